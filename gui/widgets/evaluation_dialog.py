"""The engine measured on the researcher's own decisions, in the window (``quotebench evaluate``).

:class:`EvaluationDialog` shows the figures of :func:`core.agreement.evaluate.evaluate_store`:
what became of the engine's suggestions on the documents marked done, P/R/F1 by kind, speaker
accuracy, precision by rule and calibration, as the command line's tables; *Save CSV…* writes
the CSV for a paper's methods section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.agreement.evaluate import evaluate_store
from ...core.agreement.evaluate_report import render_text, write_csv
from ...core.project.store import Store


class EvaluationDialog(QDialog):
    """The evaluation's figures, read-only, with a button to save them as CSV.

    Args:
        data: the JSON of :func:`core.agreement.evaluate.evaluate_store`.
        name: the project's name, for the title line.
        parent: the window.
    """

    def __init__(self, data: dict[str, Any], name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.setWindowTitle("How right was the engine?")
        self.resize(760, 620)
        s = {k: "–" if v is None else f"{v:.3f}" for k, v in data["spans"].items()}
        self.summary = QLabel(
            f"On <b>{data['documents']}</b> document(s) marked done: precision <b>{s['precision']}</b>, "
            f"recall <b>{s['recall']}</b>, F1 <b>{s['f1']}</b>"
        )
        self.text = QPlainTextEdit(render_text(data, name))
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.save = QPushButton("Save CSV…")
        self.save.clicked.connect(self._ask_and_save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    @classmethod
    def for_store(cls, store: Store, parent: QWidget | None = None) -> EvaluationDialog:
        """Evaluate an open project and show it.

        Raises:
            AgreementError: no document is marked done (E044).
        """
        return cls(evaluate_store(store), Path(store.path).name, parent)

    def save_csv(self, path: str | Path) -> None:
        """Write the figures as CSV to ``path``."""
        with open(path, "w", encoding="utf-8", newline="") as fh:
            write_csv(self.data, fh)

    def _ask_and_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the figures as CSV", "evaluation.csv", "CSV (*.csv)"
        )
        if path:
            self.save_csv(path)
