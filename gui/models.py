"""Table models over the project: documents, quotes and speakers.

The quotes model sorts and filters its own list of row indices instead of sitting behind a
``QSortFilterProxyModel``: at 100,000 rows a stock proxy over a Python model took 14 s to
sort (it calls ``data()`` for every comparison), while Python's ``sort`` on a key tuple and
one ``layoutChanged`` take a few hundredths of a second (see tests/benchmarks/bench_gui.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from core.model import Annotation, Changes, Document, Speaker, Status
from gui.palette import speaker_colour

_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()

#: Role giving a row's record (Annotation, Document or Speaker).
RecordRole = Qt.ItemDataRole.UserRole + 1
#: Role giving the value a column sorts by.
SortRole = Qt.ItemDataRole.UserRole + 2


# --- documents -----------------------------------------------------------------------------


class DocumentsModel(QAbstractTableModel):
    """The project's documents: title, number of quotes, how many are still suggestions."""

    HEADERS = ("Document", "Quotes", "To review")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._docs: list[Document] = []
        self._row_of: dict[int, int] = {}

    def set_documents(self, docs: Sequence[Document]) -> None:
        """Show these documents (a new project, or documents added or removed)."""
        self.beginResetModel()
        try:
            self._docs = list(docs)
            self._row_of = {d.id: i for i, d in enumerate(self._docs)}
        finally:
            self.endResetModel()

    def update_documents(self, docs: Sequence[Document]) -> None:
        """Refresh the counts; reset only if the set of documents changed."""
        if [d.id for d in docs] != [d.id for d in self._docs]:
            self.set_documents(docs)
            return
        for i, (old, new) in enumerate(zip(self._docs, docs, strict=True)):
            if old != new:
                self._docs[i] = new
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.HEADERS) - 1))

    def document_at(self, row: int) -> Document:
        return self._docs[row]

    def row_of(self, doc_id: int) -> int | None:
        """The row showing a document, if any."""
        return self._row_of.get(doc_id)

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:
        """Override QAbstractItemModel.rowCount."""
        return 0 if parent.isValid() else len(self._docs)

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:
        """Override QAbstractItemModel.columnCount."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel.data."""
        if not index.isValid() or not 0 <= index.row() < len(self._docs):
            return None
        doc = self._docs[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            if col == 0:
                return doc.title or f"Document {doc.id}"
            return doc.n_quotes if col == 1 else doc.n_suggested
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{doc.title}\n{doc.source}\nimported {doc.imported_at[:16].replace('T', ' ')}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RecordRole:
            return doc
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel.headerData."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 3:
            return self.HEADERS[section]
        return None


# --- quotes --------------------------------------------------------------------------------


class Column(IntEnum):
    """The quote table's columns."""

    QUOTE = 0
    SPEAKER = 1
    KIND = 2
    CUE = 3
    STATUS = 4
    CONFIDENCE = 5
    NOTE = 6


HEADERS = {
    Column.QUOTE: "Quote",
    Column.SPEAKER: "Speaker",
    Column.KIND: "Kind",
    Column.CUE: "Cue",
    Column.STATUS: "Status",
    Column.CONFIDENCE: "Conf.",
    Column.NOTE: "Note",
}

_STATUS_ORDER = {Status.SUGGESTED: 0, Status.ACCEPTED: 1, Status.REJECTED: 2}
_FILTER_KEYS = ("status", "kind", "speaker", "cue", "note")
_TERM = re.compile(r'(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class QuoteFilter:
    """A parsed filter: ``status:suggested kind:direct speaker:"Grigory Sverdlin" sparrow``.

    Every term must match (case-insensitive). ``key:value`` terms match the start of that
    field's words (``status:sug``); other words, and ``"quoted phrases"``, are looked for in
    the quote, its speaker, cue and note.
    """

    fields: tuple[tuple[str, str], ...] = ()
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, query: str) -> QuoteFilter:
        fields: list[tuple[str, str]] = []
        words: list[str] = []
        for m in _TERM.finditer(query):
            key, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if key and key.casefold() in _FILTER_KEYS:
                fields.append((key.casefold(), value.casefold()))
            else:
                word = m.group(5) if m.group(5) is not None else m.group(0)
                if word.strip():
                    words.append(word.casefold())
        return cls(tuple(fields), tuple(words))

    def __bool__(self) -> bool:
        return bool(self.fields or self.words)


@dataclass
class _Row:
    """What the table shows of one quote, computed once per change of the quote."""

    quote: Annotation
    display: str
    cue: str
    haystack: str = field(repr=False)


class QuotesTableModel(QAbstractTableModel):
    """The quotes of the open document, sorted and filtered in the model itself.

    ``_rows`` holds every quote; ``_visible`` the indices into it that pass the filter, in
    sort order.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._rows: list[_Row] = []
        self._visible: list[int] = []
        self._row_of: dict[int, int] | None = {}
        self._index_of: dict[int, int] = {}  # quote id -> index into _rows
        self._filter = QuoteFilter()
        self._sort_column = Column.QUOTE
        self._sort_order = Qt.SortOrder.AscendingOrder

    # --- contents --------------------------------------------------------------------------

    def _make_row(self, q: Annotation) -> _Row:
        display = " ".join(q.text.split())
        cue = " ".join(self._text[q.cue_start : q.cue_end].split()) if q.cue_start is not None else ""
        hay = f"{display}\n{q.speaker_name or ''}\n{cue}\n{q.note}".casefold()
        return _Row(q, display, cue, hay)

    def set_quotes(self, text: str, quotes: Iterable[Annotation]) -> None:
        """Show the quotes of a document (its text gives the cue words)."""
        self.beginResetModel()
        try:
            self._text = text
            self._rows = [self._make_row(q) for q in quotes]
            self._index_of = {r.quote.id: i for i, r in enumerate(self._rows)}
            self._visible = self._order(self._matching(range(len(self._rows))))
            self._row_of = None
        finally:
            self.endResetModel()

    def update_quotes(self, updated: Iterable[Annotation], removed: Iterable[int] = ()) -> None:
        """Apply changed, new and deleted quotes without a reset (the selection stays).

        Changed rows stay where they are, even if they no longer match the filter, so a row
        does not jump away while the researcher works on it; new rows are placed by the sort.
        """
        for qid in removed:
            i = self._index_of.get(qid)
            if i is None:
                continue
            row = self._row_index().get(i)
            if row is not None:
                self.beginRemoveRows(_NO_INDEX, row, row)
                del self._visible[row]
                self._row_of = None
                self.endRemoveRows()
            self._drop(i)
        added: list[int] = []
        for q in updated:
            i = self._index_of.get(q.id)
            if i is None:
                self._rows.append(self._make_row(q))
                i = len(self._rows) - 1
                self._index_of[q.id] = i
                added.append(i)
                continue
            self._rows[i] = self._make_row(q)
            row = self._row_index().get(i)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        new = self._matching(added)
        if new:
            first = len(self._visible)
            self.beginInsertRows(_NO_INDEX, first, first + len(new) - 1)
            self._visible.extend(new)
            self._row_of = None
            self.endInsertRows()
            self._relayout(self._order(self._visible))

    def _drop(self, i: int) -> None:
        """Forget row record ``i`` (swap with the last one to keep indices dense)."""
        last = len(self._rows) - 1
        gone = self._rows[i].quote.id
        if i != last:
            moved = self._rows[last]
            self._rows[i] = moved
            self._index_of[moved.quote.id] = i
            self._visible = [i if v == last else v for v in self._visible]
        self._rows.pop()
        del self._index_of[gone]
        self._row_of = None

    def _row_index(self) -> dict[int, int]:
        if self._row_of is None:
            self._row_of = {v: r for r, v in enumerate(self._visible)}
        return self._row_of

    # --- sorting and filtering -------------------------------------------------------------

    def _key(self, column: Column) -> Callable[[int], Any]:
        rows = self._rows

        def pos(r: _Row) -> tuple[int, int]:
            return (r.quote.start, r.quote.end)

        keys: dict[Column, Callable[[_Row], Any]] = {
            Column.QUOTE: pos,
            Column.SPEAKER: lambda r: ((r.quote.speaker_name or "\uffff").casefold(), *pos(r)),
            Column.KIND: lambda r: (r.quote.kind.value, *pos(r)),
            Column.CUE: lambda r: (r.cue.casefold(), *pos(r)),
            Column.STATUS: lambda r: (_STATUS_ORDER[r.quote.status], *pos(r)),
            Column.CONFIDENCE: lambda r: (-1.0 if r.quote.confidence is None else r.quote.confidence, *pos(r)),
            Column.NOTE: lambda r: (r.quote.note.casefold(), *pos(r)),
        }
        key = keys[column]
        return lambda i: key(rows[i])

    def _order(self, indices: Iterable[int]) -> list[int]:
        return sorted(
            indices, key=self._key(self._sort_column), reverse=self._sort_order == Qt.SortOrder.DescendingOrder
        )

    def _matching(self, indices: Iterable[int]) -> list[int]:
        f = self._filter
        if not f:
            return list(indices)
        rows = self._rows
        out = []
        for i in indices:
            r = rows[i]
            if all(w in r.haystack for w in f.words) and all(self._field_matches(r, k, v) for k, v in f.fields):
                out.append(i)
        return out

    @staticmethod
    def _field_matches(r: _Row, key: str, value: str) -> bool:
        q = r.quote
        if key == "status":
            return q.status.value.startswith(value)
        if key == "kind":
            return q.kind.value.startswith(value)
        if key == "speaker":
            name = (q.speaker_name or "").casefold()
            return value in name if value != "none" else not name
        if key == "cue":
            return value in r.cue.casefold()
        return value in q.note.casefold()

    def _relayout(self, visible: list[int]) -> None:
        """Show ``visible`` rows, keeping selections and the current row on their quotes."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._rows[self._visible[p.row()]].quote.id if 0 <= p.row() < len(self._visible) else None for p in old]
        self._visible = visible
        self._row_of = None
        rows = self._row_index()
        new = []
        for p, qid in zip(old, old_ids, strict=True):
            i = self._index_of.get(qid) if qid is not None else None
            row = rows.get(i) if i is not None else None
            new.append(self.index(row, p.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def set_filter(self, query: str) -> None:
        """Show only the quotes matching a query (see :class:`QuoteFilter`)."""
        self._filter = QuoteFilter.parse(query)
        self._relayout(self._order(self._matching(range(len(self._rows)))))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Override QAbstractItemModel.sort."""
        if not 0 <= column < len(Column):
            return
        self._sort_column, self._sort_order = Column(column), order
        self._relayout(self._order(self._visible))

    # --- lookups ---------------------------------------------------------------------------

    def quote_at(self, row: int) -> Annotation:
        """The quote shown in a row."""
        return self._rows[self._visible[row]].quote

    def row_of(self, quote_id: int) -> int | None:
        """The row showing a quote, or ``None`` (filtered out or not in this document)."""
        i = self._index_of.get(quote_id)
        return None if i is None else self._row_index().get(i)

    def quotes(self) -> list[Annotation]:
        """Every quote of the document, shown or not."""
        return [r.quote for r in self._rows]

    def visible_quotes(self) -> list[Annotation]:
        """The quotes shown, in row order."""
        return [self._rows[i].quote for i in self._visible]

    def quote(self, quote_id: int) -> Annotation | None:
        i = self._index_of.get(quote_id)
        return None if i is None else self._rows[i].quote

    # --- Qt interface ----------------------------------------------------------------------

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:
        """Override QAbstractItemModel.rowCount."""
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:
        """Override QAbstractItemModel.columnCount."""
        return 0 if parent.isValid() else len(Column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel.data."""
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        r = self._rows[self._visible[index.row()]]
        q = r.quote
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == Column.QUOTE:
                return r.display
            if col == Column.SPEAKER:
                return q.speaker_name or "—"
            if col == Column.KIND:
                return q.kind.value
            if col == Column.CUE:
                return r.cue
            if col == Column.STATUS:
                return q.status.value
            if col == Column.CONFIDENCE:
                return "" if q.confidence is None else f"{q.confidence:.2f}"
            if col == Column.NOTE:
                return " ".join(q.note.split())
        elif role == SortRole:
            return self._key(Column(col))(self._visible[index.row()])
        elif role == RecordRole:
            return q
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col in (Column.QUOTE, Column.NOTE):
                return q.text if col == Column.QUOTE else q.note or None
            if col == Column.CONFIDENCE and q.rule:
                return f"rule: {q.rule}"
        elif role == Qt.ItemDataRole.DecorationRole and col == Column.SPEAKER:
            return speaker_colour(q.speaker_id)
        elif role == Qt.ItemDataRole.ForegroundRole and q.status is Status.REJECTED:
            return _GREY
        elif role == Qt.ItemDataRole.FontRole and col == Column.STATUS and q.status is Status.SUGGESTED:
            return _italic()
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == Column.CONFIDENCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel.headerData."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return HEADERS[Column(section)]
        return None


_GREY = QColor("#8a8a8a")
_FONTS: dict[str, QFont] = {}


def _italic() -> QFont:
    """An italic font, made on first use (a QFont needs the application to exist)."""
    if "italic" not in _FONTS:
        font = QFont()
        font.setItalic(True)
        _FONTS["italic"] = font
    return _FONTS["italic"]


# --- speakers ------------------------------------------------------------------------------


class SpeakersModel(QAbstractTableModel):
    """The project's speakers: name (with colour), type, number of quotes, aliases."""

    HEADERS = ("Speaker", "Type", "Quotes", "Aliases")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._speakers: list[Speaker] = []
        self._row_of: dict[int, int] = {}

    def set_speakers(self, speakers: Sequence[Speaker]) -> None:
        """Show these speakers (updated in place when the same speakers are listed)."""
        speakers = list(speakers)
        if [s.id for s in speakers] == [s.id for s in self._speakers]:
            for i, (old, new) in enumerate(zip(self._speakers, speakers, strict=True)):
                if old != new:
                    self._speakers[i] = new
                    self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.HEADERS) - 1))
            return
        self.beginResetModel()
        try:
            self._speakers = speakers
            self._row_of = {s.id: i for i, s in enumerate(speakers)}
        finally:
            self.endResetModel()

    def speaker_at(self, row: int) -> Speaker:
        return self._speakers[row]

    def row_of(self, speaker_id: int) -> int | None:
        return self._row_of.get(speaker_id)

    def speakers(self) -> list[Speaker]:
        return list(self._speakers)

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:
        """Override QAbstractItemModel.rowCount."""
        return 0 if parent.isValid() else len(self._speakers)

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:
        """Override QAbstractItemModel.columnCount."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel.data."""
        if not index.isValid() or not 0 <= index.row() < len(self._speakers):
            return None
        s = self._speakers[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (s.name, s.type.value, s.n_quotes, ", ".join(s.aliases))[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return speaker_colour(s.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{s.name} ({s.type.value}), {s.n_quotes} quote(s)" + (
                f"\nalso: {', '.join(s.aliases)}" if s.aliases else ""
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RecordRole:
            return s
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Override QAbstractItemModel.headerData."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return self.HEADERS[section]
        return None


def changed_quote_ids(changes: Changes) -> tuple[frozenset[int], frozenset[int]]:
    """The quotes to re-read and the quotes gone, from a :class:`Changes`."""
    return changes.quotes_added | changes.quotes_updated, changes.quotes_removed
