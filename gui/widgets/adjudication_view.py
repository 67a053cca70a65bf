"""Adjudication: a gold project's disagreements, each coder's version side by side, decided.

:class:`AdjudicationView` lists the disagreements of a gold project made by ``quotebench
adjudicate`` (:mod:`core.agreement.adjudication`) and, for the one selected, every coder's
version (quote, kind, speaker). The adjudicator takes one version (its kind changed if asked),
rejects all, or undoes the decision; each decision is a :class:`DecisionCommand` on the given
undo stack, so Edit > Undo takes it back, and is recorded in the gold project's history with
who chose what from whom. After each decision, every coder's agreement with the gold so far
is recomputed (when the coders' projects lie beside the gold project).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.agreement import Coding, agreement, open_coding, read_coding
from ...core.agreement import adjudication as adj
from ...core.errors import QuotebenchError
from ...core.project.store import Store

KEEP_KIND = "kind as the coder gave it"


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _set_row(table: QTableWidget, row: int, cells: list[str]) -> None:
    for col, text in enumerate(cells):
        item = QTableWidgetItem(text)
        item.setToolTip(text)
        table.setItem(row, col, item)


class DecisionCommand(QUndoCommand):
    """One adjudication decision: take a coder's version (``coder``), or reject all (``None``)."""

    def __init__(
        self, view: AdjudicationView, item: dict[str, Any], coder: str | None, changes: dict[str, Any]
    ):
        label = f"Take {coder}'s version" if coder else "Reject every version"
        super().__init__(label)
        self.view, self.item, self.coder, self.changes = view, item, coder, changes

    def redo(self) -> None:
        """Override QUndoCommand.redo: make the decision in the gold project."""
        if self.coder is None:
            adj.reject(self.view.gold, self.item)
        else:
            adj.choose(self.view.gold, self.item, self.coder, **self.changes)
        self.view.refresh()

    def undo(self) -> None:
        """Override QUndoCommand.undo: the versions back as they came, undecided."""
        adj.undo(self.view.gold, self.item)
        self.view.refresh()


class AdjudicationView(QWidget):
    """A gold project's disagreements and their coders' versions, to decide one by one.

    Args:
        gold: the gold project, open (its annotator is the adjudicator).
        undo_stack: the window's undo stack (a stack of the view's own if ``None``).
        parent: the parent widget.
    """

    #: A decision was made or undone (the window re-reads the gold project's quotes).
    changed = Signal()

    def __init__(
        self, gold: Store, undo_stack: QUndoStack | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.gold = gold
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.items: list[dict[str, Any]] = []
        self.titles = {d.id: d.title for d in gold.documents()}
        self._coders: dict[str, Coding] | None = None
        self.progress = QLabel()
        self.progress.setWordWrap(True)
        self.list = _table(["text", "differs", "state", "first version"])
        self.list.itemSelectionChanged.connect(self._show_versions)
        self.versions = _table(["coder", "quote", "kind", "speaker", "status"])
        self.versions.horizontalHeader().setStretchLastSection(False)
        self.versions.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.kind = QComboBox()
        self.kind.addItems([KEEP_KIND, "direct", "indirect", "mixed"])
        self.take = QPushButton("Take this version")
        self.take.clicked.connect(self.take_selected)
        self.reject_all = QPushButton("Reject all")
        self.reject_all.clicked.connect(self.reject_current)
        self.undo_button = QPushButton("Undo decision")
        self.undo_button.clicked.connect(self.undo_current)
        buttons = QHBoxLayout()
        for w in (self.kind, self.take, self.reject_all, self.undo_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Each coder's version:"))
        right_layout.addWidget(self.versions, 1)
        right_layout.addLayout(buttons)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(split, 1)
        self.refresh()

    # --- reading ---------------------------------------------------------------------------

    def current(self) -> dict[str, Any] | None:
        """The selected disagreement, or ``None``."""
        rows = self.list.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def refresh(self) -> None:
        """Re-read the disagreements and the figures, keeping the selection."""
        keep = self.list.currentRow()
        self.items = adj.items(self.gold)
        self.list.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            first = self.gold.quote(next(iter(item["quotes"].values())))
            _set_row(
                self.list,
                row,
                [
                    self.titles.get(item["document_id"], ""),
                    ", ".join(item["differs"]),
                    item["state"],
                    first.text,
                ],
            )
        if 0 <= keep < len(self.items):
            self.list.selectRow(keep)
        self._show_versions()
        self.progress.setText(self._progress())
        self.changed.emit()

    def _show_versions(self) -> None:
        item = self.current()
        quotes = [(c, self.gold.quote(q)) for c, q in item["quotes"].items()] if item else []
        self.versions.setRowCount(len(quotes))
        for row, (coder, q) in enumerate(quotes):
            _set_row(self.versions, row, [coder, q.text, q.kind.value, q.speaker_name or "—", q.status.value])
        if quotes:
            self.versions.selectRow(0)
        for w in (self.take, self.reject_all, self.undo_button):
            w.setEnabled(item is not None)

    def _coder_codings(self) -> dict[str, Coding]:
        """The coders' projects found beside the gold project (read once)."""
        if self._coders is None:
            info = json.loads(self.gold.project_info().get("adjudication") or "{}")
            self._coders = {}
            for coder, name in info.get("sources", {}).items():
                path = self.gold.path.parent / name
                if path.exists():
                    try:
                        self._coders[coder] = open_coding(path)
                    except QuotebenchError:
                        continue
        return self._coders

    def _progress(self) -> str:
        decided = sum(i["state"] == "decided" for i in self.items)
        text = f"<b>{decided} of {len(self.items)}</b> disagreement(s) decided."
        gold = read_coding(self.gold, name="gold")
        figures = []
        for coder, coding in self._coder_codings().items():
            try:
                r = agreement([gold, coding])
            except QuotebenchError:
                continue
            f1, kind = r["spans"]["f1"], r["kind"]["agreement"]
            figures.append(
                f"{coder}: F1 {f1:.3f}, kind {kind:.3f}" if kind is not None else f"{coder}: F1 {f1:.3f}"
            )
        if figures:
            text += " Agreement with the gold so far — " + "; ".join(figures)
        return text

    # --- deciding --------------------------------------------------------------------------

    def take_selected(self) -> None:
        """Take the selected coder's version of the selected disagreement (its kind as chosen)."""
        item, rows = self.current(), self.versions.selectionModel().selectedRows()
        if item is None or not rows:
            return
        coder = list(item["quotes"])[rows[0].row()]
        kind = self.kind.currentText()
        changes = {} if kind == KEEP_KIND else {"kind": kind}
        self.undo_stack.push(DecisionCommand(self, item, coder, changes))

    def reject_current(self) -> None:
        """Reject every version of the selected disagreement."""
        item = self.current()
        if item is not None:
            self.undo_stack.push(DecisionCommand(self, item, None, {}))

    def undo_current(self) -> None:
        """Put the selected disagreement's versions back, undecided (itself a command)."""
        item = self.current()
        if item is not None and item["state"] == "decided":
            self.undo_stack.push(_UndoDecision(self, item))


class _UndoDecision(QUndoCommand):
    """Undo decision, as a command of its own (whose undo makes the versions' states come back)."""

    def __init__(self, view: AdjudicationView, item: dict[str, Any]) -> None:
        super().__init__("Undo the decision")
        self.view, self.item = view, item
        self.states = {qid: view.gold.quote(qid) for qid in item["quotes"].values()}

    def redo(self) -> None:
        """Override QUndoCommand.redo."""
        adj.undo(self.view.gold, self.item)
        self.view.refresh()

    def undo(self) -> None:
        """Override QUndoCommand.undo: each version as it was before."""
        with self.view.gold.batch():
            for qid, q in self.states.items():
                self.view.gold.update_quote(qid, start=q.start, end=q.end, kind=q.kind, status=q.status)
        self.view.refresh()
