"""The quote table of the shown document, with its filter box and a count of quotes."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.model import Status
from ..metrics import row_height, scaled
from ..models import Column, QuotesTableModel

#: The quote table's column widths (the quote column takes the rest).
COLUMN_WIDTHS = (
    (Column.SPEAKER, 140),
    (Column.KIND, 62),
    (Column.CUE, 72),
    (Column.STATUS, 80),
    (Column.CONFIDENCE, 46),
    (Column.NOTE, 90),
    (Column.WHY, 120),
)


class QuotesPane(QWidget):
    """The filter box and count above the quote table (sorted and filtered in its model).

    Args:
        parent: the Qt parent.

    Attributes:
        model: the shown document's quotes.
        table: the table over :attr:`model`.
        filter_edit: the filter box (see :class:`~gui.models.QuoteFilter`).
        count_label: how many quotes are shown, of how many, and how many are to review.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QuotesTableModel(self)
        self.table = QTableView(self)
        self._set_up_table()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(
            "Filter quotes: words, status:suggested, kind:direct, speaker:name  (Ctrl+F)"
        )
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.filter_edit.returnPressed.connect(self.table.setFocus)
        self.count_label = QLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        for signal in (
            self.model.modelReset,
            self.model.layoutChanged,
            self.model.dataChanged,
            self.model.rowsInserted,
            self.model.rowsRemoved,
        ):
            signal.connect(self._update_count)

    def _set_up_table(self) -> None:
        table = self.table
        table.setObjectName("quoteTable")
        table.setModel(self.model)
        table.setSortingEnabled(True)
        table.sortByColumn(Column.QUOTE, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(row_height(table))
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(Column.QUOTE, QHeaderView.ResizeMode.Stretch)
        for col, width in COLUMN_WIDTHS:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(col, scaled(table, width))

    def _filter_changed(self, query: str) -> None:
        """Filter the table; the current quote stays current if it is still shown."""
        current = self.table.currentIndex()
        quote_id = self.model.quote_at(current.row()).id if current.isValid() else None
        self.model.set_filter(query)
        row = self.model.row_of(quote_id) if quote_id is not None else None
        if row is not None and self.table.currentIndex().row() != row:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def focus_filter(self) -> None:
        """Put the cursor in the filter box, its text selected."""
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _update_count(self, *_: object) -> None:
        quotes = self.model.quotes()
        shown, total = self.model.rowCount(), len(quotes)
        waiting = sum(1 for q in quotes if q.status is Status.SUGGESTED)
        self.count_label.setText(
            f"{shown} of {total} quotes · {waiting} to review"
            if shown != total
            else f"{total} quotes · {waiting} to review"
        )
