"""View > Search all quotes: every quote of the project in one table, keyword in context.

The filter box takes the quote table's terms (``status:sug speaker:"Ann Cole" budget``, see
:class:`~gui.models.QuoteFilter`); the store answers with the matching ids in order through its
full-text index (:mod:`core.project.search`), and :class:`CorpusSearchModel` reads the rows a
page at a time as the table scrolls (``canFetchMore``/``fetchMore``), so 100,000 quotes cost
one query of ids and one page of rows.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import QuotebenchError
from ..models import QuoteFilter

if TYPE_CHECKING:
    from ...core.project.search import Hit
    from ...core.project.store import Store

_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()

#: Rows read from the store at a time.
PAGE = 200


class SearchColumn(IntEnum):
    """The search table's columns."""

    DOCUMENT = 0
    BEFORE = 1
    QUOTE = 2
    AFTER = 3
    SPEAKER = 4
    KIND = 5
    STATUS = 6


HEADERS = ("Document", "Before", "Quote", "After", "Speaker", "Kind", "Status")
#: The store's order for each sortable column (the context columns sort by document).
_ORDER = {
    SearchColumn.DOCUMENT: "document",
    SearchColumn.BEFORE: "document",
    SearchColumn.QUOTE: "quote",
    SearchColumn.AFTER: "document",
    SearchColumn.SPEAKER: "speaker",
    SearchColumn.KIND: "kind",
    SearchColumn.STATUS: "status",
}


class CorpusSearchModel(QAbstractTableModel):
    """The quotes of a whole project that match a query, read a page at a time.

    Args:
        parent: the Qt parent.

    Attributes:
        store: the project searched (``None``: nothing to show).
        error: why the last search failed, if it did.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.error: str | None = None
        self._query = ""
        self._order = "document"
        self._descending = False
        self._ids: list[int] = []
        self._hits: list[Hit] = []

    # --- searching -------------------------------------------------------------------------

    def set_store(self, store: Store | None) -> None:
        """Search this project (and search again)."""
        self.store = store
        self.refresh()

    def set_query(self, query: str) -> None:
        """Show the quotes matching a query typed in the filter box."""
        self._query = query
        self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Override QAbstractItemView.sort: ask the store for this order."""
        self._order = _ORDER.get(SearchColumn(column), "document")
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()

    def refresh(self) -> None:
        """Search again (after an edit, a new query or order); shows the first page."""
        self.beginResetModel()
        self._ids, self._hits, self.error = [], [], None
        if self.store is not None:
            parsed = QuoteFilter.parse(self._query)
            try:
                self._ids = self.store.search_ids(
                    parsed.fields, parsed.words, order=self._order, descending=self._descending
                )
                self._hits = self.store.search_hits(self._ids[:PAGE])
            except QuotebenchError as err:
                self.error = str(err)
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many quotes match (read or not)."""
        return len(self._ids)

    def hit_at(self, row: int) -> Hit:
        """The quote shown in a row."""
        return self._hits[row]

    def row_of(self, quote_id: int) -> int | None:
        """The row of a quote, if it is read."""
        return next((i for i, h in enumerate(self._hits) if h.quote_id == quote_id), None)

    # --- lazy reading ----------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = _NO_INDEX) -> bool:
        """Override QAbstractItemModel.canFetchMore: matches not read yet."""
        return not parent.isValid() and len(self._hits) < len(self._ids)

    def fetchMore(self, parent: _Index = _NO_INDEX) -> None:
        """Override QAbstractItemModel.fetchMore: read the next page of rows."""
        if parent.isValid() or self.store is None:
            return
        first = len(self._hits)
        try:
            hits = self.store.search_hits(self._ids[first : first + PAGE])
        except QuotebenchError as err:
            self.error = str(err)
            return
        if not hits:
            self._ids = self._ids[:first]  # the rest went away since the search
            return
        self.beginInsertRows(_NO_INDEX, first, first + len(hits) - 1)
        self._hits.extend(hits)
        self.endInsertRows()

    # --- Qt's model ------------------------------------------------------------------------

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:
        """Override QAbstractItemModel.rowCount: the rows read so far."""
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:
        """Override QAbstractItemModel.columnCount."""
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel.data: the keyword in context, its speaker, document and status."""
        if not index.isValid():
            return None
        hit, col = self._hits[index.row()], SearchColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = _value(hit, col)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{hit.before} {hit.text} {hit.after}" if col <= SearchColumn.AFTER else value
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and col == SearchColumn.BEFORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Override QAbstractItemModel.headerData: the column names."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


def _value(hit: Hit, col: SearchColumn) -> str:
    return {
        SearchColumn.DOCUMENT: hit.document_title,
        SearchColumn.BEFORE: hit.before,
        SearchColumn.QUOTE: hit.text,
        SearchColumn.AFTER: hit.after,
        SearchColumn.SPEAKER: hit.speaker or "—",
        SearchColumn.KIND: hit.kind,
        SearchColumn.STATUS: hit.status,
    }[col]


class _ElideLeft(QStyledItemDelegate):
    """Cuts a cell's text at its start ("…said the mayor:")."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        """Override QStyledItemDelegate.initStyleOption: elide on the left."""
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


class CorpusSearch(QDialog):
    """Search all quotes: a filter box, a count and the table; activating a row shows the quote.

    Args:
        parent: the window.

    Attributes:
        model: the quotes found.
        filter_edit: the filter box (the quote table's terms).
        count_label: "1,204 of 10,931 quotes".
        table: the table.
    """

    quote_activated = Signal(int, int)  # document id, quote id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("corpusSearch")
        self.setWindowTitle("Search all quotes")
        self.model = CorpusSearchModel(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("corpusFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(
            'Search all quotes: words, status:sug kind:direct speaker:"Ann Cole"'
        )
        self.count_label = QLabel(self)
        self.table = QTableView(self)
        self.table.setObjectName("corpusTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(SearchColumn.DOCUMENT, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in SearchColumn:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SearchColumn.QUOTE, QHeaderView.ResizeMode.Stretch)
        em = self.fontMetrics().horizontalAdvance("m")
        widths = {
            SearchColumn.DOCUMENT: 9,
            SearchColumn.BEFORE: 13,
            SearchColumn.AFTER: 13,
            SearchColumn.SPEAKER: 8,
            SearchColumn.KIND: 5,
            SearchColumn.STATUS: 6,
        }
        for col, ems in widths.items():
            self.table.setColumnWidth(col, ems * em)
        # the words before a quote are cut at their start, so they still lead into it
        self._before_delegate = _ElideLeft(self.table)
        self.table.setItemDelegateForColumn(SearchColumn.BEFORE, self._before_delegate)
        self.table.activated.connect(self._activated)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._timer.start())
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.model.modelReset.connect(self._update_count)
        self.resize(70 * em, 32 * em)

    def set_store(self, store: Store | None) -> None:
        """Search this project."""
        self.model.set_store(store)

    def apply_filter(self) -> None:
        """Search with the filter box's text now (it waits for typing to pause otherwise)."""
        self._timer.stop()
        self.model.set_query(self.filter_edit.text())

    def _update_count(self) -> None:
        if self.model.error:
            self.count_label.setText(self.model.error)
        else:
            n = self.model.total
            self.count_label.setText(f"{n:,} quote{'s' if n != 1 else ''}")

    def _activated(self, index: QModelIndex) -> None:
        hit = self.model.hit_at(index.row())
        self.quote_activated.emit(hit.document_id, hit.quote_id)
