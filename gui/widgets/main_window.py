"""The main window: documents, the article, its quotes and the speakers, in remembered splitters.

The window lays out the views and wires them together. The rest lives beside it:
:mod:`gui.actions` (menus and keys), :mod:`gui.projects` (file dialogs),
:mod:`gui.suggestion_runner` (the engine queue), :mod:`gui.refresh` (what to re-read after a
change) and :mod:`gui.session` (the project, its undo stack and every write to it).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core import __version__
from ...core.engine.runner import Engine
from ...core.errors import QuotebenchError
from ...core.model import Changes, Quote, Status
from ...core.project.store import Store
from ..actions import WindowActions
from ..commands import ImportCommand
from ..metrics import window_size
from ..models import DocumentsModel
from ..projects import ProjectDialogs, import_label
from ..quote_edits import QuoteEdits
from ..refresh import ViewRefresher
from ..review import CorpusReview, restore_project_view, save_project_view
from ..search_actions import SearchActions
from ..session import Session
from ..settings import Settings
from ..study_actions import StudyActions
from ..suggestion_runner import SuggestionRunner
from .article_view import ArticlePane
from .dialogs import ShortcutsDialog, ask_imported_quotes
from .document_filter import DocumentListMetadata, install_document_filter
from .engine_status import EngineStatus
from .message_bar import MessageBar
from .quotes_pane import QuotesPane
from .speaker_panel import SpeakerPanel

if TYPE_CHECKING:
    from ...core.formats.importers import QuotesMode

log = logging.getLogger("quotebench.gui")


def settle_heap() -> None:
    """Collect garbage once a project is open, and leave what is alive out of later collections.

    With a large project in memory (10,000 documents, 100,000 quotes) each of Python's full
    collections took 45-75 ms, in the middle of storing suggestions or switching documents;
    objects frozen here are not scanned again (``gc.freeze``), so they took ~25 ms. The
    previous project's objects are unfrozen first, so its garbage is collected.
    """
    import gc

    gc.unfreeze()
    gc.collect()
    gc.freeze()


_ROW_SELECTION = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


class MainWindow(QMainWindow):
    """The annotation window.

    Args:
        settings: where window state and recent projects are kept.
        model_name: the spaCy pipeline to load (``None``: the default).
        nlp: an already loaded pipeline to run in a worker thread of this process, instead
            of starting the engine's own process (tests, benchmark baselines).

    Attributes:
        settings: as given.
        session: the open project, if any.
        doc_id: the document on screen, if any.
        last_error: the last message :meth:`show_error` showed.
        suggestions: the engine queue.
        projects: the File menu's dialogs.
        edits: the edits of quotes (the Edit and Review menus).
        menu_actions: the menus and their actions.
        study: the study tools (statistics, agreement, evaluation, adjudication, distribution).

    Signals:
        first_shown(float): the window was first shown (``time.time()``).
        document_shown(int): a document is in the article view.
        engine_idle(): no suggestion run is running or waiting.
        error_shown(str): a message was shown to the researcher.
    """

    first_shown = Signal(float)
    document_shown = Signal(int)
    engine_idle = Signal()
    error_shown = Signal(str)

    def __init__(self, settings: Settings, *, model_name: str | None = None, nlp: Any = None) -> None:
        super().__init__()
        self.settings = settings
        self.session: Session | None = None
        self.doc_id: int | None = None
        self.last_error: str | None = None
        self._shown_once = False
        self.setWindowTitle("Quotebench")
        self.setObjectName("mainWindow")
        self.suggestions = SuggestionRunner(
            model_name=model_name,
            nlp=nlp,
            shown_document=lambda: self.doc_id,
            processes=settings.engine_processes,
            parent=self,
        )
        self.projects: ProjectDialogs = ProjectDialogs(self)
        self._build_widgets()
        self._connect_suggestions()
        self.refresher = ViewRefresher(
            self.docs_model,
            self.quotes_model,
            self.article,
            self.speakers,
            shown_document=lambda: self.doc_id,
            show_first_document=self._show_first_document,
        )
        self.edits: QuoteEdits = QuoteEdits(self)
        self.review: CorpusReview = CorpusReview(self)
        self.document_list: DocumentListMetadata = install_document_filter(self)
        self.menu_actions: WindowActions = WindowActions(self)
        self.study: StudyActions = StudyActions(self)
        self.search: SearchActions = SearchActions(self)
        self._restore_state()
        self._update_actions()

    @property
    def engine(self) -> Engine | None:
        """The loaded engine, if any (see :class:`SuggestionRunner`)."""
        return self.suggestions.engine

    @engine.setter
    def engine(self, engine: Engine | None) -> None:
        """Use this engine (tests put one of their own)."""
        self.suggestions.engine = engine

    @property
    def model_error(self) -> str | None:
        """Why the engine could not be loaded, if it could not."""
        return self.suggestions.model_error

    @model_error.setter
    def model_error(self, message: str | None) -> None:
        """Take the engine as unavailable for this reason (``None``: available again)."""
        self.suggestions.model_error = message

    @property
    def busy(self) -> bool:
        """Whether a suggestion run is running or waiting for the language model."""
        return self.suggestions.busy

    # --- building --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        docs_box = self._build_documents_pane()
        self.article = ArticlePane(self)
        self.article.view.quote_clicked.connect(self.select_quote)
        self.quotes_pane = QuotesPane(self)
        self.quotes_model, self.table = self.quotes_pane.model, self.quotes_pane.table
        self.filter_edit, self.count_label = self.quotes_pane.filter_edit, self.quotes_pane.count_label
        self.table.selectionModel().currentRowChanged.connect(self._quote_row_changed)
        self.speakers = SpeakerPanel(self)
        self.speakers.speaker_activated.connect(self._filter_by_speaker)
        for model in (self.quotes_model, self.speakers.model):  # one document's speaker colours
            self.article.view.colours_changed.connect(model.set_colour_map)
        self.speakers.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        self.center_split = QSplitter(Qt.Orientation.Vertical, self)
        self.center_split.setObjectName("centerSplit")
        self.center_split.addWidget(self.article)
        self.center_split.addWidget(self.quotes_pane)
        self.center_split.setStretchFactor(0, 3)
        self.center_split.setStretchFactor(1, 2)
        self.main_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_split.setObjectName("mainSplit")
        for i, (pane, stretch) in enumerate(((docs_box, 1), (self.center_split, 4), (self.speakers, 1))):
            self.main_split.addWidget(pane)
            self.main_split.setStretchFactor(i, stretch)
        for split in (self.main_split, self.center_split):
            split.setChildrenCollapsible(True)  # with large fonts a pane gives way, not the window

        self.message_bar = MessageBar(self)
        central = QWidget(self)
        cl = QVBoxLayout(central)
        cl.setContentsMargins(6, 6, 6, 6)
        cl.setSpacing(6)
        cl.addWidget(self.message_bar)
        cl.addWidget(self.main_split, 1)
        self.setCentralWidget(central)
        self.engine_status = EngineStatus(self.statusBar())
        self.engine_status.cancel_button.clicked.connect(self.cancel_suggestions)
        self.resize(window_size(self, 1360, 860))

    def _build_documents_pane(self) -> QWidget:
        self.docs_model = DocumentsModel(self)
        self.docs_view = view = QTableView(self)
        view.setObjectName("documentList")
        view.setModel(self.docs_model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().hide()
        view.setWordWrap(False)
        # ids share their start ("breitbart_2017…"): keep the start and the distinct end
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # fixed widths from the header text: ResizeToContents measures every row on each
        # reset, which is slow with 10,000 documents
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            view.setColumnWidth(col, self._header_width(view, DocumentsModel.HEADERS[col]))
        view.selectionModel().currentRowChanged.connect(self._document_row_changed)
        return self._titled("Documents", view)

    def _connect_suggestions(self) -> None:
        runner = self.suggestions
        runner.state_changed.connect(self.engine_status.set_state)
        runner.progressed.connect(self.engine_status.show_progress)
        runner.progress_ended.connect(self.engine_status.hide_progress)
        runner.queue_changed.connect(self._update_actions)
        runner.failed.connect(self.show_error)
        runner.idle.connect(self.engine_idle)

    @staticmethod
    def _header_width(view: QTableView, text: str) -> int:
        """A column width that fits its header text (and the numbers under it)."""
        bold = view.horizontalHeader().font()
        bold.setBold(True)  # header sections are bold (resources/style/01_table.qss)
        return QFontMetrics(bold).horizontalAdvance(text) + 16

    def _titled(self, title: str, widget: QWidget) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(title, box)
        label.setObjectName("paneTitle")
        layout.addWidget(label)
        layout.addWidget(widget, 1)
        return box

    # --- state -----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        for split in (self.main_split, self.center_split):
            saved = self.settings.splitter(split.objectName())
            if saved is None or not split.restoreState(saved):
                split.setSizes([240, 770, 350] if split is self.main_split else [480, 300])

    def save_state(self) -> None:
        """Remember geometry and splitter sizes."""
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        for split in (self.main_split, self.center_split):
            self.settings.set_splitter(split.objectName(), split.saveState())
        self.settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        """Override QWidget.showEvent: start loading the engine once the window is up."""
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.first_shown.emit(time.time())
            QTimer.singleShot(0, self.suggestions.load_model)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Override QWidget.closeEvent: stop the engine and close the project (all saved)."""
        save_project_view(self)
        self.save_state()
        self.suggestions.close()
        if self.session is not None:
            self.session.close()
            self.session = None
        super().closeEvent(event)

    # --- messages --------------------------------------------------------------------------

    @Slot(str)
    def show_error(self, text: str) -> None:
        """Tell the researcher something went wrong, without a modal box (work goes on)."""
        self.last_error = text
        log.warning("%s", text)  # also on the terminal, for a window opened from one
        self.message_bar.show_message(text, error=True)
        self.statusBar().showMessage(text, 8000)
        self.error_shown.emit(text)

    def show_notice(self, text: str) -> None:
        """A passing remark (an import's result): in the status bar, gone after a while."""
        self.statusBar().showMessage(text, 10_000)

    def show_about(self) -> None:
        """Show the version and what Quotebench is for."""
        QMessageBox.about(
            self, "About Quotebench", f"Quotebench {__version__}\nAnnotate who said what in news articles."
        )

    def set_color_scheme(self, scheme: str, *, remember: bool = True) -> None:
        """Switch to the light, dark or system colour scheme (View > Colour scheme).

        Args:
            scheme: ``"system"``, ``"light"`` or ``"dark"``.
            remember: keep it for the next start (``quotebench open --color-scheme`` does not).
        """
        from ..theme import apply_color_scheme

        chosen = apply_color_scheme(scheme)
        if remember:
            self.settings.set_color_scheme(chosen)
        action = getattr(self.menu_actions, "color_schemes", {}).get(chosen)
        if action is not None:
            action.setChecked(True)

    def show_shortcuts(self) -> ShortcutsDialog:
        """Show the keyboard shortcuts dialog (F1)."""
        dialog = ShortcutsDialog(self.menu_actions.shortcut_groups(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # --- projects --------------------------------------------------------------------------

    def open_project(self, path: str | os.PathLike[str], *, create: bool = True, ask: bool = True) -> bool:
        """Open (or create) a project file; the current one is closed first.

        A file that does not exist is created only if ``create`` is set, and then only once
        the researcher says yes (:meth:`confirm_create`) unless ``ask`` is off (File > New
        project has asked already).

        Returns:
            Whether it opened. On failure the researcher sees why and the old project stays.
        """
        path = Path(path)
        if not path.exists():
            if not create:
                self.show_error(
                    f"There is no project at {path}. Choose File > Open project… to find it, "
                    "or File > New project… to start one."
                )
                return False
            if ask and not self.confirm_create(path):
                self.show_error(f"No project was opened: {path} does not exist.")
                return False
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            store = Store.open(path, create=create)
        except QuotebenchError as err:
            self.show_error(f"Could not open the project: {err}")
            return False
        except OSError as err:
            self.show_error(f"Could not open the project {path}: {err.strerror or err}")
            return False
        self.suggestions.cancel()
        if self.session is not None:
            save_project_view(self)
            self.session.close()  # drops its changes not yet shown: they are not the new project's
        self.session = self.suggestions.session = Session(store, self)
        self.quotes_model.metadata_of = store.document_metadata  # outlet: and month: filters
        self.session.changed.connect(self._on_changed)
        self.session.failed.connect(self.show_error)
        # bound slots (not lambdas) are disconnected by Qt when the window goes away
        self.session.undo_stack.cleanChanged.connect(self._stack_changed)
        self.session.undo_stack.indexChanged.connect(self._stack_changed)
        self.doc_id = None
        self.docs_model.set_documents(store.documents())
        self.speakers.set_session(self.session)
        self.settings.add_recent_project(str(path))
        self.setWindowTitle(f"{path.stem} — Quotebench")
        self.review.refresh()
        self.study.project_opened()
        self.search.project_opened()
        last = restore_project_view(self)
        if last is not None:
            self.show_document(last)
        else:
            self._show_first_document()
        self._update_actions()
        self.suggest_missing()
        QTimer.singleShot(0, settle_heap)
        return True

    def confirm_create(self, path: Path) -> bool:
        """Ask before a project file that does not exist is created (a typo makes none).

        The default project in the data folder is created without asking.
        """
        from ..projects import default_project_path

        if path == default_project_path():
            return True
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(
            self,
            "New project",
            f"There is no project at {path}.\nCreate a new, empty project there?",
            buttons,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def import_paths(
        self, paths: Iterable[str | os.PathLike[str]], *, quotes: QuotesMode | None = None
    ) -> list[int]:
        """Import article files, folders or JSONL into the project (all or nothing, undoable).

        Args:
            paths: files and folders.
            quotes: what the quotes of JSONL articles become (``"suggested"``, ``"accepted"``,
                ``"ignore"``); ``None`` asks, if the inputs carry any.

        Returns:
            The documents the paths hold (new or already there), in order.
        """
        if self.session is None:
            return []
        from ...core.formats.importers import Item, read_inputs

        names = [str(p) for p in paths]
        if not names:
            return []
        try:
            items = read_inputs(names)  # everything is read and checked before anything is stored
        except QuotebenchError as err:
            self.show_error(f"Nothing was imported: {err}")
            return []
        marked = sum(len(i.quotes) for i in items if isinstance(i, Item) and i.document is None)
        if quotes is None and marked:
            quotes = ask_imported_quotes(self, marked)
            if quotes is None:
                return []
        command = ImportCommand(self.session, items, import_label(names), quotes or "suggested")
        if not self.session.push(command):
            return []
        report = command.report
        self.docs_model.set_documents(self.session.store.documents())
        self.show_notice(" ".join(report.lines()[-1:]))
        ids = list(dict.fromkeys([*report.added, *(i for _, i in report.known)]))
        if ids:
            self.show_document(ids[0])
        self.suggest_missing()
        return ids

    def save_copy(self, path: str | os.PathLike[str]) -> bool:
        """Save a whole, consistent copy of the project (File > Save a copy…); work goes on here.

        Returns:
            Whether the copy was made.
        """
        if self.session is None:
            return False
        try:
            out = self.session.store.backup(path)
        except QuotebenchError as err:
            self.show_error(f"The copy was not saved: {err}")
            return False
        except OSError as err:
            self.show_error(f"The copy was not saved to {path}: {err.strerror or err}")
            return False
        self.show_notice(f"Saved a copy of the project to {out}")
        return True

    def export_to(self, fmt: str, path: str, *, accepted_only: bool = False) -> bool:
        """Export the project in one of the store's formats."""
        if self.session is None:
            return False
        from ...core.formats.exporters import export

        try:
            result = export(self.session.store, fmt, path, accepted_only=accepted_only)
        except QuotebenchError as err:
            self.show_error(f"Export failed: {err}")
            return False
        self.show_notice(f"Exported {result.documents} document(s) and {result.quotes} quote(s) to {path}")
        return True

    # --- documents -------------------------------------------------------------------------

    def show_document(self, doc_id: int) -> None:
        """Show a document: its text, highlights and quote table."""
        if self.session is None:
            return
        try:
            doc = self.session.store.document(doc_id)
            quotes = self.session.store.quotes_for(doc_id)
        except QuotebenchError as err:
            self.show_error(str(err))
            return
        self.doc_id = doc_id
        text = doc.text or ""
        self.article.set_document(text, quotes)
        self.quotes_model.set_quotes(text, quotes)
        row = self.docs_model.row_of(doc_id)
        if row is not None and self.docs_view.currentIndex().row() != row:
            self.docs_view.selectionModel().setCurrentIndex(self.docs_model.index(row, 0), _ROW_SELECTION)
        self._update_actions()
        self.document_shown.emit(doc_id)

    def _show_first_document(self) -> None:
        """Show the first listed document, or an empty view if there is none."""
        if self.docs_model.rowCount():
            self.show_document(self.docs_model.document_at(0).id)
        else:
            self.doc_id = None
            self.article.set_document("", [])
            self.quotes_model.set_quotes("", [])

    @Slot(QModelIndex, QModelIndex)
    def _document_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            doc = self.docs_model.document_at(current.row())
            if doc.id != self.doc_id:
                self.show_document(doc.id)

    def goto_document(self, step: int) -> None:
        """Show the next (``step`` 1) or previous (-1) document in the list."""
        row = self.docs_view.currentIndex().row() + step
        if 0 <= row < self.docs_model.rowCount():
            self.show_document(self.docs_model.document_at(row).id)

    # --- refreshing ------------------------------------------------------------------------

    @Slot(object)
    def _on_changed(self, changes: Changes) -> None:
        if self.session is None:
            return
        self.refresher.apply(self.session.store, changes)
        if changes.documents:
            self.review.refresh()
        self._update_actions()

    @Slot()
    def _stack_changed(self, *_: object) -> None:
        self._update_actions()

    @Slot()
    def _update_actions(self) -> None:
        stack = self.session.undo_stack if self.session else None
        self.menu_actions.update(stack, has_document=self.doc_id is not None, busy=self.busy)

    @Slot(int)
    def _filter_by_speaker(self, speaker_id: int) -> None:
        name = self.session.store.speaker(speaker_id).name if self.session else ""
        self.filter_edit.setText(f'speaker:"{name}"' if " " in name else f"speaker:{name}")

    # --- selection -------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _quote_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.article.view.select_quote(self.quotes_model.quote_at(current.row()).id)

    @Slot(int)
    def select_quote(self, quote_id: int) -> None:
        """Select a quote's row (clearing a filter that hides it) and show it in the text."""
        row = self.quotes_model.row_of(quote_id)
        if row is None and self.quotes_model.quote(quote_id) is not None:
            self.filter_edit.clear()
            row = self.quotes_model.row_of(quote_id)
        if row is None:
            return
        index = self.quotes_model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        self.article.view.select_quote(quote_id)

    def current_quote(self) -> Quote | None:
        """The quote of the current table row."""
        index = self.table.currentIndex()
        return self.quotes_model.quote_at(index.row()) if index.isValid() else None

    def selected_quotes(self) -> list[Quote]:
        """The quotes of the selected rows (the current one if none is selected)."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        quotes = [self.quotes_model.quote_at(r) for r in rows]
        if not quotes and (q := self.current_quote()) is not None:
            quotes = [q]
        return quotes

    def goto_suggestion(self, step: int) -> Quote | None:
        """Select the next (``step`` 1) or previous (-1) suggestion in the text."""
        quotes = sorted(self.quotes_model.quotes(), key=lambda q: (q.start, q.end, q.id))
        current = self.current_quote()
        if current is None:
            pos = -1 if step > 0 else len(quotes)
        else:
            pos = next((i for i, q in enumerate(quotes) if q.id == current.id), -1)
        i = pos + step
        while 0 <= i < len(quotes):
            if quotes[i].status is Status.SUGGESTED:
                self.select_quote(quotes[i].id)
                return quotes[i]
            i += step
        self.statusBar().showMessage("No more suggestions in this direction", 3000)
        return None

    # --- edits -----------------------------------------------------------------------------

    @Slot()
    def undo(self) -> None:
        """Undo the last edit (Ctrl+Z)."""
        if self.session is not None:
            self.session.undo_stack.undo()

    @Slot()
    def redo(self) -> None:
        """Redo the last undone edit (Ctrl+Shift+Z)."""
        if self.session is not None:
            self.session.undo_stack.redo()

    # --- engine ----------------------------------------------------------------------------

    def suggest_missing(self) -> None:
        """Suggest quotes in every document the engine has not read yet."""
        self.suggestions.request_missing()

    def suggest_current(self) -> None:
        """Run the engine over the shown document (Ctrl+R)."""
        if self.doc_id is not None:
            self.suggestions.request([self.doc_id])

    def suggest_all(self) -> None:
        """Run the engine over every document; reviewed quotes are kept (Ctrl+Shift+R)."""
        self.suggestions.request_all()

    def cancel_suggestions(self) -> None:
        """Stop the suggestion run now, mid-document; documents already done stay (Esc)."""
        self.suggestions.cancel(stop=True)
