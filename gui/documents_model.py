"""The document list's model: title, review state, number of quotes, how many are suggestions,
outlet and date (the document's metadata)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ..core.model import Document

_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()

#: Role giving a row's record (as :data:`.models.RecordRole`).
RecordRole = Qt.ItemDataRole.UserRole + 1
#: Role giving the value a column sorts by (as :data:`.models.SortRole`).
SortRole = Qt.ItemDataRole.UserRole + 2
#: The mark before a document's title: its review state (to do has none).
STATE_COLOURS = {"in progress": "#f0b429", "done": "#3aa55d"}


class DocumentsModel(QAbstractTableModel):
    """The project's documents: title (marked with its review state), number of quotes, how
    many are still suggestions, outlet and date (from :meth:`set_metadata`)."""

    HEADERS = ("Document", "Quotes", "To review", "Outlet", "Date")
    #: the metadata shown in the columns after the counts
    META_COLUMNS = {3: "outlet", 4: "date"}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._docs: list[Document] = []
        self._row_of: dict[int, int] = {}
        self._states: dict[int, str] = {}
        self._meta: dict[int, Mapping[str, Any]] = {}

    def set_metadata(self, meta: Mapping[int, Mapping[str, Any]]) -> None:
        """Show the documents' metadata (outlet, date; URL and author in the tooltip)."""
        self._meta = dict(meta)
        if self._docs:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._docs) - 1, len(self.HEADERS) - 1))

    def set_document_metadata(self, doc_id: int, meta: Mapping[str, Any]) -> None:
        """Show one document's metadata after an edit."""
        self._meta[doc_id] = meta
        row = self._row_of.get(doc_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def metadata(self, doc_id: int) -> Mapping[str, Any]:
        """A document's metadata as last shown (empty if none)."""
        return self._meta.get(doc_id, {})

    def set_review_states(self, states: Mapping[int, str]) -> None:
        """Show each document's review state (``to do``, ``in progress``, ``done``)."""
        changed = [i for i, d in enumerate(self._docs) if self._states.get(d.id) != states.get(d.id)]
        self._states = dict(states)
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), 0))

    def review_state(self, doc_id: int) -> str:
        """A document's review state (``to do`` if none was set)."""
        return self._states.get(doc_id, "to do")

    def documents(self) -> list[Document]:
        """The documents listed, in order."""
        return list(self._docs)

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

    def update_document(self, doc: Document) -> bool:
        """Refresh one document's row; ``False`` if the model does not show it."""
        row = self._row_of.get(doc.id)
        if row is None:
            return False
        if self._docs[row] != doc:
            self._docs[row] = doc
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
        return True

    def document_at(self, row: int) -> Document:
        """The document shown in a row."""
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
            if col in self.META_COLUMNS:
                value = str(self.metadata(doc.id).get(self.META_COLUMNS[col]) or "")
                return value[:10] if col == 4 else value  # the day, not the time
            return doc.n_quotes if col == 1 else doc.n_suggested
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(doc)
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            colour = STATE_COLOURS.get(self.review_state(doc.id))
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RecordRole:
            return doc
        return None

    def _tooltip(self, doc: Document) -> str:
        meta = self.metadata(doc.id)
        lines = [doc.title]
        lines += [str(meta[k]) for k in ("outlet", "date", "author", "url") if meta.get(k)]
        imported = doc.imported_at[:16].replace("T", " ")
        lines += [doc.source, f"imported {imported}", self.review_state(doc.id)]
        return "\n".join(lines)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Override QAbstractItemModel.headerData."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None
