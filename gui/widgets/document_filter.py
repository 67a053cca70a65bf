"""The document list's filter row (outlet, date range) and its "Document details…" action.

:func:`install_document_filter` puts the row above the window's document list, keeps the
list's outlet and date columns filled from the project's metadata (all of it when the list is
reset, one document after an edit, undo or redo), and hides the rows the filter leaves out.
Rows are hidden in the view rather than filtered through a proxy model, so the window's row
numbers stay the model's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QBoxLayout, QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QToolButton, QWidget

from ...core.model import Changes
from ..commands import SetDocumentMetadataCommand
from .document_details_dialog import DocumentDetailsDialog

if TYPE_CHECKING:
    from .main_window import MainWindow


def date_in_range(date: str, date_from: str, date_to: str) -> bool:
    """Whether an ISO date falls in a range whose ends are ``YYYY``, ``YYYY-MM`` or a day
    (both included: ``to 2015-11`` keeps 2015-11-30); an empty end is open, an undated
    document is left out of any range."""
    if not (date_from or date_to):
        return True
    if not date:
        return False
    return (not date_from or date >= date_from) and (not date_to or date[: len(date_to)] <= date_to)


class DocumentFilter(QWidget):
    """Outlet and date range; :attr:`changed` is emitted when either changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outlet = QComboBox(self)
        self.outlet.setToolTip("Show the documents of one outlet")
        self.date_from = QLineEdit(self, placeholderText="from", clearButtonEnabled=True)
        self.date_to = QLineEdit(self, placeholderText="to", clearButtonEnabled=True)
        for edit in (self.date_from, self.date_to):
            edit.setToolTip("Dates: YYYY, YYYY-MM or YYYY-MM-DD, both ends included")
            edit.setMaximumWidth(92)
            edit.textChanged.connect(self.changed)
        self.row = layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.outlet, 1)
        layout.addWidget(self.date_from)
        layout.addWidget(self.date_to)
        self.set_outlets([])
        self.outlet.currentIndexChanged.connect(self.changed)

    def set_outlets(self, outlets: list[tuple[str, int]]) -> None:
        """The outlets to choose from (name, documents), keeping the choice if it is still one."""
        current = self.outlet.currentData()
        self.outlet.blockSignals(True)
        self.outlet.clear()
        self.outlet.addItem("All outlets", None)
        for name, n in outlets:
            self.outlet.addItem(f"{name} ({n:,})", name)
        self.outlet.setCurrentIndex(max(self.outlet.findData(current), 0))
        self.outlet.blockSignals(False)

    def accepts(self, meta: Any) -> bool:
        """Whether a document with this metadata is shown."""
        outlet = self.outlet.currentData()
        if outlet is not None and meta.get("outlet") != outlet:
            return False
        return date_in_range(
            str(meta.get("date") or ""), self.date_from.text().strip(), self.date_to.text().strip()
        )


class DocumentListMetadata:
    """The wiring between a window, its document list, the filter row and the details dialog."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.model = window.docs_model
        self.view = window.docs_view
        self.filter = DocumentFilter(window)
        self.filter.setObjectName("documentFilter")
        self._session: Any = None
        box_layout = self.view.parentWidget().layout()  # type: ignore[union-attr]
        assert isinstance(box_layout, QBoxLayout)
        box_layout.insertWidget(box_layout.indexOf(self.view), self.filter)
        # titles now, not ids: their start says most
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.horizontalHeader()
        for column, sample in ((3, "Breitbart"), (4, "2015-11-18")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, self.view.fontMetrics().horizontalAdvance(sample) + 16)
        self.details = QAction("Document &details…", window)
        self.details.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.details.setStatusTip("Edit the document's title, outlet, date, URL and author")
        self.details.triggered.connect(self.edit_details)
        self.view.addAction(self.details)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        button = QToolButton(self.filter)
        button.setDefaultAction(self.details)
        button.setText("Details…")
        self.filter.row.addWidget(button)
        self.model.modelReset.connect(self.reload)
        self.model.rowsInserted.connect(self.apply)
        self.filter.changed.connect(self.apply)

    def reload(self) -> None:
        """Read every document's metadata again (a project opened, documents added)."""
        session = self.window.session
        if session is not self._session:
            self._session = session
            if session is not None:
                session.changed.connect(self._on_changed)
        if session is None:
            self.model.set_metadata({})
            self.filter.set_outlets([])
        else:
            self.model.set_metadata(session.store.all_document_metadata())
            self.filter.set_outlets(session.store.outlets())
        self.apply()

    def _on_changed(self, changes: Changes) -> None:
        session = self.window.session
        if session is None or not changes.documents or len(changes.documents) > 50:
            return
        edited = False
        for doc_id in changes.documents:
            meta = session.store.document_metadata(doc_id)
            if self.model.row_of(doc_id) is not None and meta != self.model.metadata(doc_id):
                self.model.set_document_metadata(doc_id, meta)
                edited = True
        if edited:  # not after every quote edit: only when a document's details changed
            self.filter.set_outlets(session.store.outlets())
            self.apply()

    def apply(self) -> None:
        """Hide the rows the filter leaves out."""
        for row in range(self.model.rowCount()):
            doc = self.model.document_at(row)
            self.view.setRowHidden(row, not self.filter.accepts(self.model.metadata(doc.id)))

    def shown_rows(self) -> list[int]:
        """The rows the filter shows."""
        return [r for r in range(self.model.rowCount()) if not self.view.isRowHidden(r)]

    def edit_details(self) -> None:
        """Show the details of the current document and keep what the researcher changes."""
        w = self.window
        if w.session is None or w.doc_id is None:
            return
        store = w.session.store
        values = {"title": store.document(w.doc_id).title, **store.document_metadata(w.doc_id)}
        dialog = DocumentDetailsDialog(values, w)
        if dialog.exec() != DocumentDetailsDialog.DialogCode.Accepted:
            return
        fields = dialog.changed()
        if fields:
            w.session.push(SetDocumentMetadataCommand(w.session, w.doc_id, fields))


def install_document_filter(window: MainWindow) -> DocumentListMetadata:
    """Add the filter row and the details action to a window's document list."""
    return DocumentListMetadata(window)
