"""File > Distribute to coders…: one project per coder with the same documents (``quotebench distribute``).

:class:`DistributeDialog` asks for the coders' names, a sample size (0: every document), a seed
(blank: a random one, recorded), whether each coder gets the engine's suggestions, and the output
folder, then calls :func:`core.agreement.distribute.distribute` on the open project.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ...core.agreement.distribute import distribute
from ...core.errors import QuotebenchError


class DistributeDialog(QDialog):
    """Coders, sample and folder for :func:`~core.agreement.distribute.distribute`.

    Args:
        project: the open project's file (only read).
        parent: the window.

    Signals:
        distributed(str): the projects were written; the text says where.
        failed(str): they were not; the text says why.
    """

    distributed = Signal(str)
    failed = Signal(str)

    def __init__(self, project: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.manifest: dict[str, Any] | None = None
        self.setWindowTitle("Distribute to coders")
        self.coders = QLineEdit(self, placeholderText="ann, ben")
        self.sample = QSpinBox(self, minimum=0, maximum=1_000_000, value=0)
        self.sample.setSpecialValueText("every document")
        self.seed = QLineEdit(self, placeholderText="random (recorded)")
        self.suggestions = QCheckBox("Give each coder the engine's suggestions", self)
        self.folder = QLineEdit(self)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Coders", self.coders)
        form.addRow("Sample size", self.sample)
        form.addRow("Seed", self.seed)
        form.addRow("", self.suggestions)
        form.addRow("Output folder", folder_row)
        form.addRow(buttons)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the coders' projects")
        if folder:
            self.folder.setText(folder)

    def run(self) -> bool:
        """Write the coders' projects; close on success, stay open (and say why) on failure.

        Returns:
            Whether the projects were written.
        """
        seed_text = self.seed.text().strip()
        if seed_text and not seed_text.isdigit():
            self.failed.emit(f"The seed must be a whole number, not {seed_text!r}.")
            return False
        if not self.folder.text().strip():
            self.failed.emit("Choose a folder for the coders' projects.")
            return False
        try:
            self.manifest = distribute(
                self.project,
                self.coders.text().split(","),
                self.folder.text().strip(),
                n=self.sample.value() or None,
                seed=int(seed_text) if seed_text else None,
                suggestions=self.suggestions.isChecked(),
            )
        except QuotebenchError as err:
            self.failed.emit(f"Nothing was distributed: {err}")
            return False
        m = self.manifest
        self.distributed.emit(
            f"Wrote {len(m['coders'])} coders' projects of {m['sample_size']} document(s) "
            f"(seed {m['sample_seed']}) to {self.folder.text().strip()}"
        )
        self.accept()
        return True
