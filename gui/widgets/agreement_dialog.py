"""The agreement report: figures of ``quotebench agree`` and the list of disagreements.

:class:`AgreementDialog` shows the JSON of :func:`core.agreement.agreement` as it is: one row of
figures per pair of coders (and their mean for three or more), one row per text, and every
disagreement (what differs, each coder's quote), filtered by kind of difference. Activating a
disagreement emits :attr:`AgreementDialog.disagreement_activated` with the text's hash and the
span, for the window to show that place.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.agreement import agreement, open_coding
from ...core.agreement.evaluate_report import figure_cell
from ...core.agreement.report import COLUMNS

#: The figures shown, from the report's columns: (header, path into a figures dict).
FIGURES = [(header, path) for _, header, path, count in COLUMNS if not count]
DIFFERENCES = ("all", "span", "kind", "speaker", "missing", "extra")


def _quote_cell(q: dict[str, Any] | None) -> str:
    if q is None:
        return "—"
    return f"{q['text']}  [{q['kind']}; {q['speaker'] or 'no speaker'}]"


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: Iterable[Sequence[str]]) -> None:
    rows = list(rows)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)


def _fit_height(table: QTableWidget, most_rows: int) -> None:
    """Make a table as tall as its rows, up to ``most_rows`` (then it scrolls)."""
    rows = min(table.rowCount(), most_rows)
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(rows)) or table.verticalHeader().defaultSectionSize()
    table.setMaximumHeight(height + 2)


class AgreementDialog(QDialog):
    """Figures and disagreements of two or more coders' projects of the same texts.

    Args:
        result: the JSON of :func:`core.agreement.agreement`.
        names: the coders' names (or project files), reference first.
        parent: the window.
    """

    #: A disagreement was activated: the text's SHA-256, start and end of the first quote's span.
    disagreement_activated = Signal(str, int, int)

    def __init__(self, result: dict[str, Any], names: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = result
        self.names = list(names)
        self.setWindowTitle("Agreement between coders")
        self.resize(1000, 640)
        self.summary = QLabel(self._summary())
        self.summary.setWordWrap(True)
        self.figures = _table(["pair", *[h for h, _ in FIGURES]])
        self.per_document = _table(["text", "F1", "kind", "speaker"])
        self.filter = QComboBox()
        self.filter.addItems(list(DIFFERENCES))
        self.filter.currentTextChanged.connect(self._show_disagreements)
        self.disagreements = _table(["text", "pair", "differs", "reference", "other"])
        self.disagreements.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.disagreements.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.disagreements.cellActivated.connect(self._activated)
        self._rows: list[tuple[str, dict[str, Any]]] = []

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.figures)
        top_layout.addWidget(self.per_document)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.count = QLabel()
        bar.addWidget(self.count)
        bar.addStretch(1)
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.filter)
        bottom_layout.addLayout(bar)
        bottom_layout.addWidget(self.disagreements)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self._fill_figures()
        self._show_disagreements("all")

    @classmethod
    def for_projects(
        cls, paths: Sequence[str | os.PathLike[str]], statuses: Iterable[str], parent: QWidget | None = None
    ) -> AgreementDialog:
        """Compute agreement of project files (the first as reference) and show it.

        Raises:
            QuotebenchError: projects that cannot be compared (E040-E043) or opened.
        """
        codings = [open_coding(p, statuses) for p in paths]
        return cls(agreement(codings), [c.name for c in codings], parent)

    # --- filling ---------------------------------------------------------------------------

    def _pairs(self) -> list[dict[str, Any]]:
        if "pairs" in self.data:
            return list(self.data["pairs"])
        return [{**self.data, "reference": self.names[0], "other": self.names[1]}]

    def _summary(self) -> str:
        r = self.data
        spans, kind, speaker = r["spans"], r["kind"], r["speaker"]
        what = "mean of every pair" if "pairs" in r else f"{self.names[1]} against {self.names[0]}"
        return (
            f"<b>{len(self.names)} coders, {r['documents']} text(s)</b> ({what}): "
            f"quotes F1 <b>{figure_cell(spans['f1'])}</b>, kind α <b>{figure_cell(kind['alpha'])}</b>, "
            f"speaker α <b>{figure_cell(speaker['alpha'])}</b>"
        )

    def _fill_figures(self) -> None:
        rows = [
            [f"{p['other']} vs {p['reference']}", *[figure_cell(p[a][b]) for _, (a, b) in FIGURES]]
            for p in self._pairs()
        ]
        if "pairs" in self.data:
            rows.append(["(mean of pairs)", *[figure_cell(self.data[a][b]) for _, (a, b) in FIGURES]])
        _fill(self.figures, rows)
        _fill(
            self.per_document,
            (
                [
                    d["title"] or d["sha256"][:12],
                    figure_cell(d["spans"]["f1"]),
                    figure_cell(d["kind"]["agreement"]),
                    figure_cell(d["speaker"]["agreement"]),
                ]
                for d in self.data["per_document"]
            ),
        )
        _fit_height(self.figures, 6)
        _fit_height(self.per_document, 6)

    def all_disagreements(self) -> list[tuple[str, str, dict[str, Any]]]:
        """Every disagreement: (text title, pair, the disagreement's JSON), in text order."""
        out = []
        for p in self._pairs():
            pair = f"{p['other']} vs {p['reference']}"
            for d in p["per_document"]:
                for item in d.get("disagreements", ()):
                    out.append((d["title"] or d["sha256"][:12], pair, {**item, "sha256": d["sha256"]}))
        return out

    def _show_disagreements(self, differs: str) -> None:
        shown = [x for x in self.all_disagreements() if differs == "all" or differs in x[2]["differs"]]
        self._rows = [(x[0], x[2]) for x in shown]
        _fill(
            self.disagreements,
            (
                [title, pair, ", ".join(d["differs"]), _quote_cell(d["reference"]), _quote_cell(d["other"])]
                for title, pair, d in shown
            ),
        )
        self.count.setText(f"{len(shown)} disagreement(s)")

    def _activated(self, row: int, _column: int) -> None:
        _, d = self._rows[row]
        q = d["reference"] or d["other"]
        self.disagreement_activated.emit(d["sha256"], int(q["start"]), int(q["end"]))
