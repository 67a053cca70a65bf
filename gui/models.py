"""Table models over the project: quotes and speakers (documents: :mod:`.documents_model`).

The quotes model sorts and filters its own list of row indices instead of sitting behind a
``QSortFilterProxyModel``: at 100,000 rows a stock proxy over a Python model took 14 s to
sort (it calls ``data()`` for every comparison), while Python's ``sort`` on a key tuple and
one ``layoutChanged`` take a few hundredths of a second (see tests/benchmarks/bench_gui.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ..core.model import Quote, Speaker, Status
from .colour_map import ColourMap
from .documents_model import DocumentsModel as DocumentsModel  # its own module; named here too
from .documents_model import RecordRole as RecordRole
from .documents_model import SortRole as SortRole

_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()


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
    WHY = 7


HEADERS = {
    Column.QUOTE: "Quote",
    Column.SPEAKER: "Speaker",
    Column.KIND: "Kind",
    Column.CUE: "Cue",
    Column.STATUS: "Status",
    Column.CONFIDENCE: "Conf.",
    Column.NOTE: "Note",
    Column.WHY: "Why",
}

#: Above this many separate runs of rows to remove, a new filter resets the model instead.
MAX_ROW_RUNS = 64

_STATUS_ORDER = {Status.SUGGESTED: 0, Status.ACCEPTED: 1, Status.REJECTED: 2}
_FILTER_KEYS = ("status", "kind", "speaker", "cue", "note", "outlet", "month")
_TERM = re.compile(r'(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class QuoteFilter:
    """A parsed filter: ``status:suggested kind:direct speaker:"Grigory Sverdlin" sparrow``.

    Every term must match (case-insensitive). ``key:value`` terms match the start of that
    field's words (``status:sug``); other words, and ``"quoted phrases"``, are looked for in
    the quote, its speaker, cue and note. ``outlet:`` (the whole outlet, any case) and
    ``month:`` (``2016-03``, or the start of one: ``2016``) match the quote's document's details;
    ``outlet:""`` and ``month:""`` the documents without one.
    """

    fields: tuple[tuple[str, str], ...] = ()
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, query: str) -> QuoteFilter:
        """Parse a query typed in the filter box."""
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


def why(q: Quote) -> str:
    """Why the engine suggested a quote: its rule and evidence ("" for the researcher's own).

    The evidence is the engine's, never the researcher's note (the store keeps them apart).
    """
    evidence = q.evidence
    return " — ".join(p for p in (q.rule.replace("_", " "), " ".join(evidence.split())) if p)


class _Row:
    """What the table shows of one quote, and its sort and filter keys, computed once per
    change of the quote so sorting and filtering 100,000 rows touch only plain values."""

    __slots__ = (
        "conf",
        "cue",
        "display",
        "hay",
        "kind",
        "note",
        "pos",
        "quote",
        "rank",
        "speaker",
        "status",
        "why",
    )

    def __init__(self, q: Quote, text: str) -> None:
        self.quote = q
        self.display = " ".join(q.text.split())
        self.cue = " ".join(text[q.cue_start : q.cue_end].split()) if q.cue_start is not None else ""
        self.note = q.note.casefold()
        speaker = (q.speaker_name or "").casefold()
        self.hay = f"{self.display}\n{speaker}\n{self.cue}\n{q.note}".casefold()
        self.pos = (q.start << 32) | q.end  # sorts as (start, end)
        self.speaker = speaker or "\uffff"  # quotes with no speaker sort last
        self.kind = q.kind.value
        self.status = q.status.value
        self.rank = _STATUS_ORDER[q.status]
        self.conf = -1.0 if q.confidence is None else q.confidence
        self.why = why(q)


#: The key each column sorts by (ties are broken by position in the text).
_SORT_ATTR = {
    Column.SPEAKER: "speaker",
    Column.KIND: "kind",
    Column.CUE: "cue",
    Column.STATUS: "rank",
    Column.CONFIDENCE: "conf",
    Column.NOTE: "note",
    Column.WHY: "why",
}


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
        #: a document's metadata by id (``Store.document_metadata``), for ``outlet:`` and ``month:``
        self.metadata_of: Callable[[int], Mapping[str, Any]] | None = None
        self._key_cache: dict[str, list[Any]] = {}
        self._sort_column = Column.QUOTE
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._colours = ColourMap()

    def set_colour_map(self, colours: ColourMap) -> None:
        """Colour the speaker swatches as the shown document's speakers are coloured."""
        if colours == self._colours:
            return
        self._colours = colours
        if self._visible:
            col = Column.SPEAKER
            last = self.index(len(self._visible) - 1, col)
            self.dataChanged.emit(self.index(0, col), last, [Qt.ItemDataRole.DecorationRole])

    # --- contents --------------------------------------------------------------------------

    def _make_row(self, q: Quote) -> _Row:
        return _Row(q, self._text)

    def set_quotes(self, text: str, quotes: Iterable[Quote]) -> None:
        """Show the quotes of a document (its text gives the cue words)."""
        self.beginResetModel()
        try:
            self._text = text
            self._rows = [self._make_row(q) for q in quotes]
            self._key_cache = {}
            self._index_of = {r.quote.id: i for i, r in enumerate(self._rows)}
            self._visible = self._order(self._matching(range(len(self._rows))))
            self._row_of = None
        finally:
            self.endResetModel()

    def update_quotes(self, updated: Iterable[Quote], removed: Iterable[int] = ()) -> None:
        """Apply changed, new and deleted quotes without a reset (the selection stays).

        Changed rows stay where they are, even if they no longer match the filter, so a row
        does not jump away while the researcher works on it; new rows are placed by the sort.
        """
        self._key_cache = {}
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

    def _keys(self, attr: str) -> list[Any]:
        """Every row's sort key for an attribute (strings as ranks), cached until rows change."""
        keys = self._key_cache.get(attr)
        if keys is None:
            keys = list(map(attrgetter(attr), self._rows))
            if attr == "cue":
                keys = [k.casefold() for k in keys]
            if attr in ("speaker", "kind", "cue", "note", "why"):
                # few distinct strings: compare their ranks (ints) instead of the strings
                rank = {k: n for n, k in enumerate(sorted(set(keys)))}
                keys = [rank[k] for k in keys]
            self._key_cache[attr] = keys
        return keys

    def _order(self, indices: Iterable[int]) -> list[int]:
        """Indices in the sort order: by position, then (stable) by the sort column's key.

        Two sorts on plain keys are several times faster than one on key tuples, and the
        order by position is kept between sorts.
        """
        by_pos = self._key_cache.get("order")
        if by_pos is None:
            pos = self._keys("pos")
            by_pos = self._key_cache["order"] = sorted(range(len(self._rows)), key=pos.__getitem__)
        indices = indices if isinstance(indices, list) else list(indices)
        if len(indices) == len(self._rows):
            out = list(by_pos)
        else:
            wanted = set(indices)
            out = [i for i in by_pos if i in wanted]
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        attr = _SORT_ATTR.get(self._sort_column)
        if attr is None:
            if descending:
                out.reverse()
            return out
        # reverse=True keeps equal keys in their (ascending position) order
        out.sort(key=self._keys(attr).__getitem__, reverse=descending)
        return out

    def _matching(self, indices: Iterable[int]) -> list[int]:
        """The indices whose quotes pass the filter, each term narrowing the last."""
        out = list(indices)
        for key, value in self._filter.fields:
            out = self._matching_field(out, key, value)
        rows = self._rows
        for word in self._filter.words:
            out = [i for i in out if word in rows[i].hay]
        return out

    def _matching_field(self, indices: list[int], key: str, value: str) -> list[int]:
        """The indices whose quotes' ``key`` field matches ``value`` (see :class:`QuoteFilter`)."""
        rows = self._rows
        if key in ("outlet", "month"):
            return self._matching_document(indices, key, value)
        if key == "status":
            return [i for i in indices if rows[i].status.startswith(value)]
        if key == "kind":
            return [i for i in indices if rows[i].kind.startswith(value)]
        if key == "speaker" and value == "none":
            return [i for i in indices if rows[i].quote.speaker_name is None]
        if key == "speaker":
            return [i for i in indices if value in rows[i].speaker]
        if key == "cue":
            return [i for i in indices if value in rows[i].cue.casefold()]
        return [i for i in indices if value in rows[i].note]

    def _matching_document(self, indices: list[int], key: str, value: str) -> list[int]:
        """The indices whose quotes' document has that outlet (whole, any case) or month (start)."""
        if not indices or self.metadata_of is None:
            return []
        meta = self.metadata_of(self._rows[indices[0]].quote.document_id)
        if key == "outlet":
            ok = str(meta.get("outlet") or "").casefold() == value  # 'outlet:""': none given
        else:
            date = str(meta.get("date") or "")
            ok = date[:7].startswith(value) if value else len(date) < 7  # 'month:""': no month
        return indices if ok else []

    def _relayout(self, visible: list[int]) -> None:
        """Show the same rows in a new order, keeping selections and the current row on their
        quotes (``visible`` holds the same indices as now: a layout change never adds or
        drops rows)."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [
            self._rows[self._visible[p.row()]].quote.id if 0 <= p.row() < len(self._visible) else None
            for p in old
        ]
        self._visible = visible
        self._row_of = None
        rows = self._row_index() if old else {}
        new = []
        for p, qid in zip(old, old_ids, strict=True):
            i = self._index_of.get(qid) if qid is not None else None
            row = rows.get(i) if i is not None else None
            new.append(self.index(row, p.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _show(self, visible: list[int]) -> None:
        """Show ``visible`` rows, a different set from now, without breaking the model contract.

        A layout change may only move rows, so rows that go are removed and rows that come
        are inserted first (selections stay on the rows kept); then the layout changes to the
        new order. When the rows that go lie in many separate runs (a new filter over
        100,000 rows), one reset is much faster than thousands of removals.
        """
        keep = set(visible)
        runs: list[tuple[int, int]] = []  # (first, last) rows that go, bottom first
        for row in range(len(self._visible) - 1, -1, -1):
            if self._visible[row] not in keep:
                if runs and runs[-1][0] == row + 1:
                    runs[-1] = (row, runs[-1][1])
                else:
                    runs.append((row, row))
        if len(runs) > MAX_ROW_RUNS:
            self.beginResetModel()
            try:
                self._visible = visible
                self._row_of = None
            finally:
                self.endResetModel()
            return
        for first, last in runs:
            self.beginRemoveRows(_NO_INDEX, first, last)
            del self._visible[first : last + 1]
            self._row_of = None
            self.endRemoveRows()
        shown = set(self._visible)
        new = [i for i in visible if i not in shown]
        if new:
            first = len(self._visible)
            self.beginInsertRows(_NO_INDEX, first, first + len(new) - 1)
            self._visible.extend(new)
            self._row_of = None
            self.endInsertRows()
        if self._visible != visible:
            self._relayout(visible)

    def set_filter(self, query: str) -> None:
        """Show only the quotes matching a query (see :class:`QuoteFilter`)."""
        self._filter = QuoteFilter.parse(query)
        self._show(self._order(self._matching(range(len(self._rows)))))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Override QAbstractItemModel.sort."""
        if not 0 <= column < len(Column):
            return
        self._sort_column, self._sort_order = Column(column), order
        self._relayout(self._order(self._visible))

    # --- lookups ---------------------------------------------------------------------------

    def quote_at(self, row: int) -> Quote:
        """The quote shown in a row."""
        return self._rows[self._visible[row]].quote

    def row_of(self, quote_id: int) -> int | None:
        """The row showing a quote, or ``None`` (filtered out or not in this document)."""
        i = self._index_of.get(quote_id)
        return None if i is None else self._row_index().get(i)

    def quotes(self) -> list[Quote]:
        """Every quote of the document, shown or not."""
        return [r.quote for r in self._rows]

    def quote(self, quote_id: int) -> Quote | None:
        """A quote of the document by id, shown or not."""
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
        """Override QAbstractItemModel.data: each role's value comes from :data:`_ROLE_DATA`."""
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        row = self._rows[self._visible[index.row()]]
        if role == Qt.ItemDataRole.DecorationRole:  # the speaker's swatch, in this document's colours
            return self._colours.colour(row.quote.speaker_id) if index.column() == Column.SPEAKER else None
        role_data = _ROLE_DATA.get(role)
        if role_data is None:
            return None
        return role_data(row, Column(index.column()))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Override QAbstractItemModel.headerData."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return HEADERS[Column(section)]
        return None


_GREY = QColor("#8a8a8a")
_FONTS: dict[str, QFont] = {}
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _italic() -> QFont:
    """An italic font, made on first use (a QFont needs the application to exist)."""
    if "italic" not in _FONTS:
        font = QFont()
        font.setItalic(True)
        _FONTS["italic"] = font
    return _FONTS["italic"]


#: What each column shows of a row.
_DISPLAY: dict[Column, Callable[[_Row], str]] = {
    Column.QUOTE: lambda r: r.display,
    Column.SPEAKER: lambda r: r.quote.speaker_name or "—",
    Column.KIND: lambda r: r.quote.kind.value,
    Column.CUE: lambda r: r.cue,
    Column.STATUS: lambda r: r.quote.status.value,
    Column.CONFIDENCE: lambda r: "" if r.quote.confidence is None else f"{r.quote.confidence:.2f}",
    Column.NOTE: lambda r: " ".join(r.quote.note.split()),
    Column.WHY: lambda r: r.why,
}


def _sort_value(r: _Row, col: Column) -> Any:
    attr = _SORT_ATTR.get(col)
    return r.pos if attr is None else getattr(r, attr)


def _tool_tip(r: _Row, col: Column) -> str | None:
    if col == Column.QUOTE:
        return r.quote.text
    if col == Column.NOTE:
        return r.quote.note or None
    if col in (Column.CONFIDENCE, Column.WHY) and r.why:
        return f"Why the engine suggested it: {r.why}"
    return None


#: The quote table's value for each role, from a row and a column (``None``: nothing).
_ROLE_DATA: dict[int, Callable[[_Row, Column], Any]] = {
    Qt.ItemDataRole.DisplayRole: lambda r, col: _DISPLAY[col](r),
    SortRole: _sort_value,
    RecordRole: lambda r, col: r.quote,
    Qt.ItemDataRole.ToolTipRole: _tool_tip,
    Qt.ItemDataRole.ForegroundRole: lambda r, col: _GREY if r.quote.status is Status.REJECTED else None,
    Qt.ItemDataRole.FontRole: lambda r, col: (
        _italic() if col == Column.STATUS and r.quote.status is Status.SUGGESTED else None
    ),
    Qt.ItemDataRole.TextAlignmentRole: lambda r, col: _RIGHT if col == Column.CONFIDENCE else None,
}


# --- speakers ------------------------------------------------------------------------------


class SpeakersModel(QAbstractTableModel):
    """The project's speakers: name (with colour), type, number of quotes, aliases."""

    HEADERS = ("Speaker", "Type", "Quotes", "Also called")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._speakers: list[Speaker] = []
        self._row_of: dict[int, int] = {}
        self._colours = ColourMap()

    def set_colour_map(self, colours: ColourMap) -> None:
        """Colour the shown document's speakers as it does (the others keep their id colour)."""
        if colours == self._colours:
            return
        self._colours = colours
        if self._speakers:
            last = self.index(len(self._speakers) - 1, 0)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.DecorationRole])

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
        """The speaker shown in a row."""
        return self._speakers[row]

    def row_of(self, speaker_id: int) -> int | None:
        """The row showing a speaker, if any."""
        return self._row_of.get(speaker_id)

    def speakers(self) -> list[Speaker]:
        """Every speaker shown, in row order."""
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
            kind = {"organisation": "org.", "person": "person", "document": "doc."}.get(s.type.value, "?")
            return (s.name, kind, s.n_quotes, ", ".join(s.aliases))[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self._colours.colour(s.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{s.name} ({s.type.value}), {s.n_quotes} quote(s)" + (
                f"\nalso: {', '.join(s.aliases)}" if s.aliases else ""
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RecordRole:
            return s
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Override QAbstractItemModel.headerData."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 4
        ):
            return self.HEADERS[section]
        return None
