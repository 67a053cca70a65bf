"""The main window: documents, the article, its quotes and the speakers, in remembered splitters."""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QStandardPaths,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core import __version__
from ...core.engine.runner import Engine, ThreadEngine
from ...core.errors import QuotebenchError
from ...core.model import Changes, Kind, Quote, SpeakerType, Status, Suggestion
from ...core.project.store import Store
from ..commands import (
    AddQuoteCommand,
    DeleteQuotesCommand,
    EditQuotesCommand,
    ImportCommand,
    SetSpeakerCommand,
    SetStatusCommand,
)
from ..models import Column, DocumentsModel, QuotesTableModel
from ..session import Session
from ..settings import Settings
from ..workers import ModelLoader, SuggestWorker
from .article_view import ArticlePane
from .dialogs import ExportDialog, ShortcutsDialog, SpeakerDialog
from .speaker_panel import SpeakerPanel

log = logging.getLogger("quotebench.gui")

#: The origin recorded on the engine's suggestions (the same as ``quotebench suggest``).
ENGINE_ORIGIN = f"quotebench-engine {__version__}"
#: Suffixes that name a project file rather than an article.
PROJECT_SUFFIXES = (".qbproj", ".sqlite", ".db")
_OPENING_MARKS = "\"'“‘«‹„‚「『"


def default_project_path() -> Path:
    """The project articles go into when none is named: in the user's data folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / "default.qbproj"


class MessageBar(QFrame):
    """A dismissible line at the top of the window for errors and notices."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Dismiss", self)
        close.setObjectName("dismissButton")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, *, error: bool = True) -> None:
        """Show a message (``error`` styles it as a problem)."""
        self.setProperty("error", error)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self.show()


class MainWindow(QMainWindow):
    """The annotation window.

    Args:
        settings: where window state and recent projects are kept.
        model_name: the spaCy pipeline to load (``None``: the default).
        nlp: an already loaded pipeline to run in a worker thread of this process, instead
            of starting the engine's own process (tests, benchmark baselines).

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
        self.engine: Engine | None = ThreadEngine(nlp) if nlp is not None else None
        self.model_error: str | None = None
        self.last_error: str | None = None
        self._model_name = model_name
        self._loader: ModelLoader | None = None
        self._worker: SuggestWorker | None = None
        self._pending: list[int] = []
        self._shown_once = False
        self._closed = False
        self._deferred = Changes()
        self._worker_session: Session | None = None
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(300)
        self._flush_timer.timeout.connect(self._flush_deferred)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.setWindowTitle("Quotebench")
        self.setObjectName("mainWindow")
        self._build_widgets()
        self._build_actions()
        self._restore_state()
        self._update_actions()

    # --- building --------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.docs_model = DocumentsModel(self)
        self.docs_view = QTableView(self)
        self.docs_view.setObjectName("documentList")
        self.docs_view.setModel(self.docs_model)
        self.docs_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.docs_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.docs_view.verticalHeader().hide()
        self.docs_view.setWordWrap(False)
        self.docs_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        dh = self.docs_view.horizontalHeader()
        dh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # fixed widths from the header text: ResizeToContents measures every row on each
        # reset, which is slow with 10,000 documents
        for col in (1, 2):
            dh.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.docs_view.setColumnWidth(
                col, self._header_width(self.docs_view, DocumentsModel.HEADERS[col])
            )
        self.docs_view.selectionModel().currentRowChanged.connect(self._document_row_changed)
        docs_box = self._titled("Documents", self.docs_view)

        self.article = ArticlePane(self)
        self.article.view.quote_clicked.connect(self.select_quote)

        self.quotes_model = QuotesTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("quoteTable")
        self.table.setModel(self.quotes_model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.QUOTE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        th = self.table.horizontalHeader()
        th.setSectionResizeMode(Column.QUOTE, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (Column.SPEAKER, 140),
            (Column.KIND, 62),
            (Column.CUE, 72),
            (Column.STATUS, 80),
            (Column.CONFIDENCE, 46),
            (Column.NOTE, 90),
        ):
            th.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._quote_row_changed)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(
            "Filter quotes: words, status:suggested, kind:direct, speaker:name  (Ctrl+F)"
        )
        self.filter_edit.textChanged.connect(self.quotes_model.set_filter)
        self.filter_edit.returnPressed.connect(self.table.setFocus)
        self.count_label = QLabel(self)
        table_box = QWidget(self)
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        tl.addLayout(top)
        tl.addWidget(self.table, 1)
        for signal in (
            self.quotes_model.modelReset,
            self.quotes_model.layoutChanged,
            self.quotes_model.dataChanged,
            self.quotes_model.rowsInserted,
            self.quotes_model.rowsRemoved,
        ):
            signal.connect(self._update_count)

        self.speakers = SpeakerPanel(self)
        self.speakers.speaker_activated.connect(self._filter_by_speaker)
        self.speakers.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        self.center_split = QSplitter(Qt.Orientation.Vertical, self)
        self.center_split.setObjectName("centerSplit")
        self.center_split.addWidget(self.article)
        self.center_split.addWidget(table_box)
        self.center_split.setStretchFactor(0, 3)
        self.center_split.setStretchFactor(1, 2)
        self.main_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_split.setObjectName("mainSplit")
        self.main_split.addWidget(docs_box)
        self.main_split.addWidget(self.center_split)
        self.main_split.addWidget(self.speakers)
        self.main_split.setStretchFactor(0, 1)
        self.main_split.setStretchFactor(1, 4)
        self.main_split.setStretchFactor(2, 1)
        for split in (self.main_split, self.center_split):
            split.setChildrenCollapsible(False)

        self.message_bar = MessageBar(self)
        central = QWidget(self)
        cl = QVBoxLayout(central)
        cl.setContentsMargins(6, 6, 6, 6)
        cl.setSpacing(6)
        cl.addWidget(self.message_bar)
        cl.addWidget(self.main_split, 1)
        self.setCentralWidget(central)

        self.engine_label = QLabel("", self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(240)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop the suggestion run (Esc)")
        self.cancel_button.clicked.connect(self.cancel_suggestions)
        self.cancel_button.hide()
        self.statusBar().addPermanentWidget(self.engine_label)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.resize(1360, 860)

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

    def _action(
        self,
        menu: QMenu,
        text: str,
        keys: str | Sequence[str] | QKeySequence.StandardKey,
        slot: Any,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(keys, QKeySequence.StandardKey):
            action.setShortcuts(keys)
        else:
            action.setShortcuts([QKeySequence(k) for k in ([keys] if isinstance(keys, str) else keys)])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        mb = self.menuBar()
        self.menus: list[QMenu] = []

        m = mb.addMenu("&File")
        self.menus.append(m)
        self.act_new = self._action(m, "&New project…", "Ctrl+N", self.new_project_dialog)
        self.act_open = self._action(m, "&Open project…", "Ctrl+O", self.open_project_dialog)
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addSeparator()
        self.act_import = self._action(
            m, "&Import files…", "Ctrl+I", self.import_files_dialog, "Import .txt, .md, .html or JSONL files"
        )
        self.act_import_dir = self._action(m, "Import &folder…", "Ctrl+Shift+I", self.import_folder_dialog)
        self.act_export = self._action(m, "&Export…", "Ctrl+E", self.export_dialog)
        m.addSeparator()
        self.act_quit = self._action(m, "&Quit", "Ctrl+Q", self.close)

        m = mb.addMenu("&Edit")
        self.menus.append(m)
        self.act_undo = QAction("&Undo", self)
        self.act_undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.act_undo.triggered.connect(self.undo)
        self.act_redo = QAction("&Redo", self)
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_redo.triggered.connect(self.redo)
        for a in (self.act_undo, self.act_redo):
            a.setProperty("plain_text", a.text().replace("&", ""))  # its text names the edit
            m.addAction(a)
            self.addAction(a)
        m.addSeparator()
        self.act_new_quote = self._action(m, "New &quote from selection", "Q", self.new_quote_from_selection)
        self.act_bounds = self._action(
            m, "Set &boundaries from selection", "B", self.set_boundaries_from_selection
        )
        self.act_speaker = self._action(m, "Set &speaker…", "S", self.set_speaker_dialog)
        self.act_mention = self._action(
            m, "Speaker from selected &mention", "M", self.set_speaker_from_mention
        )
        self.act_direct = self._action(m, "Kind: &direct", "1", lambda: self.set_kind(Kind.DIRECT))
        self.act_indirect = self._action(m, "Kind: &indirect", "2", lambda: self.set_kind(Kind.INDIRECT))
        self.act_mixed = self._action(m, "Kind: m&ixed", "3", lambda: self.set_kind(Kind.MIXED))
        self.act_note = self._action(m, "&Note…", "E", self.edit_note_dialog)
        self.act_delete = self._action(m, "&Delete quote", ["Delete", "Backspace"], self.delete_selected)

        m = mb.addMenu("&Review")
        self.menus.append(m)
        self.act_accept = self._action(m, "&Accept", "A", lambda: self.set_status(Status.ACCEPTED))
        self.act_reject = self._action(m, "&Reject", "R", lambda: self.set_status(Status.REJECTED))
        self.act_reopen = self._action(
            m, "Back to s&uggested", "U", lambda: self.set_status(Status.SUGGESTED)
        )
        self.act_accept_above = self._action(
            m, "Accept all &above confidence…", "Ctrl+Shift+A", self.accept_above_dialog
        )
        m.addSeparator()
        self.act_next = self._action(m, "&Next suggestion", ["N", "J"], lambda: self.goto_suggestion(+1))
        self.act_prev = self._action(m, "&Previous suggestion", ["P", "K"], lambda: self.goto_suggestion(-1))
        self.act_next_doc = self._action(
            m, "Next &document", ["Ctrl+PgDown", "Alt+Down"], lambda: self.goto_document(+1)
        )
        self.act_prev_doc = self._action(
            m, "Previous d&ocument", ["Ctrl+PgUp", "Alt+Up"], lambda: self.goto_document(-1)
        )

        m = mb.addMenu("E&ngine")
        self.menus.append(m)
        self.act_suggest = self._action(
            m, "&Suggest quotes in this document", ["Ctrl+R", "F5"], self.suggest_current
        )
        self.act_suggest_all = self._action(
            m, "Suggest quotes in &all documents", ["Ctrl+Shift+R", "Shift+F5"], self.suggest_all
        )
        self.act_cancel = self._action(m, "&Cancel suggestions", "Esc", self.cancel_suggestions)

        m = mb.addMenu("S&peakers")
        self.menus.append(m)
        self.act_rename = self._action(m, "&Rename speaker…", "F2", self.speakers.rename_selected)
        self.act_merge = self._action(
            m, "&Merge selected speakers", "Ctrl+Shift+M", self.speakers.merge_selected
        )
        self.act_split = self._action(
            m, "&Split off alias", "Ctrl+Shift+L", self.speakers.split_selected_alias
        )
        self.act_person = self._action(
            m, "Mark as &person", "Ctrl+Shift+P", lambda: self.speakers.set_type(SpeakerType.PERSON)
        )
        self.act_org = self._action(
            m,
            "Mark as &organisation",
            "Ctrl+Shift+O",
            lambda: self.speakers.set_type(SpeakerType.ORGANISATION),
        )

        m = mb.addMenu("&View")
        self.menus.append(m)
        self._action(m, "&Filter quotes", "Ctrl+F", self._focus_filter)
        self._action(m, "Go to &documents", "Ctrl+1", self.docs_view.setFocus)
        self._action(m, "Go to &article", "Ctrl+2", self.article.view.setFocus)
        self._action(m, "Go to &quotes", "Ctrl+3", self.table.setFocus)
        self._action(m, "Go to &speakers", "Ctrl+4", self.speakers.table.setFocus)

        m = mb.addMenu("&Help")
        self.menus.append(m)
        self.act_shortcuts = self._action(m, "&Keyboard shortcuts", ["F1", "Ctrl+/"], self.show_shortcuts)
        self._action(m, "&About Quotebench", "Ctrl+Shift+F1", self._about)

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
            QTimer.singleShot(0, self.load_model)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Override QWidget.closeEvent: stop the engine and close the project (all saved)."""
        self.save_state()
        self._pending = []
        self._closed = True
        if self._worker is not None:
            self._worker.cancel()
        if self.engine is not None:
            # stops the engine process even in the middle of a text: it writes nothing
            self.engine.close()
            self.engine = None
        self.pool.waitForDone(30_000)
        if self.session is not None:
            self.session.close()
            self.session = None
        super().closeEvent(event)

    # --- messages --------------------------------------------------------------------------

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

    # --- projects --------------------------------------------------------------------------

    def open_project(self, path: str | os.PathLike[str], *, create: bool = True) -> bool:
        """Open (or create) a project file; the current one is closed first.

        Returns:
            Whether it opened. On failure the researcher sees why and the old project stays.
        """
        path = Path(path)
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
        self.cancel_suggestions()
        self._pending = []
        self._flush_timer.stop()
        self._deferred = Changes()  # the old project's, not to be applied to the new one
        if self.session is not None:
            self.session.close()
        self.session = Session(store, self)
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
        if self.docs_model.rowCount():
            self.show_document(self.docs_model.document_at(0).id)
        else:
            self._clear_document()
        self._update_actions()
        self.suggest_missing()
        return True

    def import_paths(self, paths: Iterable[str | os.PathLike[str]]) -> list[int]:
        """Import article files, folders or JSONL into the project (all or nothing, undoable).

        Returns:
            The documents the paths hold (new or already there), in order.
        """
        if self.session is None:
            return []
        from ...core.formats.importers import read_inputs

        paths = [str(p) for p in paths]
        if not paths:
            return []
        try:
            items = read_inputs(paths)  # everything is read and checked before anything is stored
        except QuotebenchError as err:
            self.show_error(f"Nothing was imported: {err}")
            return []
        label = f"Import {Path(paths[0]).name}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")
        command = ImportCommand(self.session, items, label)
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

    def new_project_dialog(self) -> None:
        """Ask for a new project file and open it."""
        path, _ = QFileDialog.getSaveFileName(
            self, "New project", self.settings.last_dir(), "Quotebench projects (*.qbproj)"
        )
        if path:
            if not path.endswith(PROJECT_SUFFIXES):
                path += ".qbproj"
            if Path(path).exists() and Path(path).stat().st_size:
                self.show_error(f"{path} already exists: open it instead, or choose another name.")
                return
            self.settings.set_last_dir(str(Path(path).parent))
            self.open_project(path, create=True)

    def open_project_dialog(self) -> None:
        """Ask for a project file and open it."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open project",
            self.settings.last_dir(),
            "Quotebench projects (*.qbproj *.sqlite *.db);;All files (*)",
        )
        if path:
            self.settings.set_last_dir(str(Path(path).parent))
            self.open_project(path, create=False)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_projects():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda checked=False, p=path: self.open_project(p, create=False))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def import_files_dialog(self) -> None:
        """Ask for article or JSONL files and import them."""
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Import articles",
            self.settings.last_dir(),
            "Articles and JSONL (*.txt *.md *.html *.htm *.jsonl *.ndjson);;All files (*)",
        )
        if paths:
            self.settings.set_last_dir(str(Path(paths[0]).parent))
            self.import_paths(paths)

    def import_folder_dialog(self) -> None:
        """Ask for a folder of articles and import it."""
        path = QFileDialog.getExistingDirectory(self, "Import a folder of articles", self.settings.last_dir())
        if path:
            self.settings.set_last_dir(path)
            self.import_paths([path])

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

    def export_dialog(self) -> None:
        """Ask for a format and destination and export the project."""
        if self.session is None:
            return
        dialog = ExportDialog(self.settings.export_format(), self.settings.last_dir(), self)
        if dialog.exec() and dialog.path.text().strip():
            fmt = dialog.chosen_format()
            self.settings.set_export_format(fmt)
            self.export_to(fmt, dialog.path.text().strip(), accepted_only=dialog.accepted_only.isChecked())

    # --- documents -------------------------------------------------------------------------

    def _clear_document(self) -> None:
        self.doc_id = None
        self.article.set_document("", [])
        self.quotes_model.set_quotes("", [])

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
            self.docs_view.selectionModel().setCurrentIndex(
                self.docs_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update_actions()
        self.document_shown.emit(doc_id)

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
        if changes.documents or changes.quotes_added or changes.quotes_removed or changes.quotes_updated:
            self._refresh_documents(changes.documents)
        if (
            self.doc_id is not None
            and self.doc_id in changes.documents
            and self.docs_model.row_of(self.doc_id) is None
        ):
            # the shown document is gone (an import undone): show another
            if self.docs_model.rowCount():
                self.show_document(self.docs_model.document_at(0).id)
            else:
                self._clear_document()
        shown_speakers = {q.speaker_id for q in self.quotes_model.quotes()}
        if self.doc_id is not None and (
            self.doc_id in changes.documents or changes.speakers & shown_speakers
        ):
            self._reload_quotes(changes)
        if changes.speakers or changes.quotes_added or changes.quotes_removed or changes.quotes_updated:
            self.speakers.refresh()
        self._update_actions()

    def _refresh_documents(self, doc_ids: frozenset[int]) -> None:
        """Refresh the counts of some documents; re-list all if one is new or gone."""
        assert self.session is not None
        store = self.session.store
        # a few rows are re-read on their own: listing 10,000 documents takes ~100 ms
        if doc_ids and len(doc_ids) <= 50:
            try:
                docs = [store.document(i) for i in sorted(doc_ids)]
            except QuotebenchError:  # deleted
                docs = None
            if docs is not None and all(
                self.docs_model.update_document(dataclasses.replace(d, text=None)) for d in docs
            ):
                return
        self.docs_model.update_documents(store.documents())

    def _reload_quotes(self, changes: Changes | None = None) -> None:
        """Bring the table and highlights up to date with the store.

        An edit of a few quotes re-reads only those and re-highlights only their stretch of
        text (an accept in a 200,000-word article with 5,000 quotes: 110 ms -> a few ms);
        anything larger, or a speaker change (names shown on many rows), re-reads them all.
        """
        assert self.session is not None and self.doc_id is not None
        store = self.session.store
        ids = (
            (changes.quotes_added | changes.quotes_updated | changes.quotes_removed)
            if changes
            else frozenset()
        )
        shown_speakers = {q.speaker_id for q in self.quotes_model.quotes()}
        renamed = changes is not None and bool(changes.speakers & shown_speakers - {None})
        if changes is not None and not renamed and 0 < len(ids) <= 50:
            changed, removed = [], []
            for qid in sorted(ids):
                try:
                    q = store.quote(qid)
                except QuotebenchError:
                    removed.append(qid)
                    continue
                if q.document_id == self.doc_id:
                    changed.append(q)
                else:
                    removed.append(qid)
            self.quotes_model.update_quotes(changed, removed)
            self.article.update_quotes(changed, removed)
            return
        new = store.quotes_for(self.doc_id)
        old = {q.id: q for q in self.quotes_model.quotes()}
        fresh = {q.id for q in new}
        self.quotes_model.update_quotes(
            [q for q in new if old.get(q.id) != q], [i for i in old if i not in fresh]
        )
        self.article.set_quotes(new)

    def _update_count(self, *_: object) -> None:
        shown, total = self.quotes_model.rowCount(), len(self.quotes_model.quotes())
        waiting = sum(1 for q in self.quotes_model.quotes() if q.status is Status.SUGGESTED)
        self.count_label.setText(
            f"{shown} of {total} quotes · {waiting} to review"
            if shown != total
            else f"{total} quotes · {waiting} to review"
        )

    @Slot()
    def _stack_changed(self, *_: object) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        has_project = self.session is not None
        has_doc = has_project and self.doc_id is not None
        stack = self.session.undo_stack if self.session else None
        self.act_undo.setEnabled(bool(stack and stack.canUndo()))
        self.act_redo.setEnabled(bool(stack and stack.canRedo()))
        self.act_undo.setText(f"&Undo {stack.undoText()}" if stack and stack.canUndo() else "&Undo")
        self.act_redo.setText(f"&Redo {stack.redoText()}" if stack and stack.canRedo() else "&Redo")
        for a in (self.act_import, self.act_import_dir, self.act_export, self.act_suggest_all):
            a.setEnabled(has_project)
        for a in (
            self.act_new_quote,
            self.act_bounds,
            self.act_speaker,
            self.act_mention,
            self.act_direct,
            self.act_indirect,
            self.act_mixed,
            self.act_note,
            self.act_delete,
            self.act_accept,
            self.act_reject,
            self.act_reopen,
            self.act_accept_above,
            self.act_next,
            self.act_prev,
            self.act_suggest,
        ):
            a.setEnabled(has_doc)
        self.act_cancel.setEnabled(self.busy)

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

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

    def _push(self, command: Any) -> bool:
        return bool(self.session and self.session.push(command))

    def set_status(self, status: Status, quote_ids: Iterable[int] | None = None) -> bool:
        """Accept, reject or reopen the selected quotes (or ``quote_ids``)."""
        if self.session is None:
            return False
        ids = list(quote_ids) if quote_ids is not None else [q.id for q in self.selected_quotes()]
        if not ids:
            return False
        command = SetStatusCommand(self.session, ids, status)
        return command.count > 0 and self._push(command)

    def accept_above(self, threshold: float) -> int:
        """Accept every suggestion of this document with confidence at least ``threshold``."""
        ids = [
            q.id
            for q in self.quotes_model.quotes()
            if q.status is Status.SUGGESTED and q.confidence is not None and q.confidence >= threshold
        ]
        if ids and self.session is not None:
            self._push(SetStatusCommand(self.session, ids, Status.ACCEPTED))
        self.statusBar().showMessage(f"{len(ids)} suggestion(s) accepted", 4000)
        return len(ids)

    def accept_above_dialog(self) -> None:
        """Ask for a confidence and accept this document's suggestions at or above it."""
        value, ok = QInputDialog.getDouble(
            self,
            "Accept suggestions",
            "Accept every suggestion with confidence at least:",
            self.settings.accept_threshold(),
            0.0,
            1.0,
            2,
        )
        if ok:
            self.settings.set_accept_threshold(value)
            self.accept_above(value)

    def new_quote(self, start: int, end: int, kind: Kind | None = None) -> int | None:
        """Mark ``text[start:end]`` as a quote (accepted) and select it."""
        if self.session is None or self.doc_id is None:
            return None
        text = self.article.view.text()
        if kind is None:
            kind = Kind.DIRECT if text[start:end][:1] in _OPENING_MARKS else Kind.INDIRECT
        command = AddQuoteCommand(self.session, self.doc_id, start, end, kind)
        if not self._push(command):
            return None
        assert command.quote_id is not None
        self.select_quote(command.quote_id)
        return command.quote_id

    def new_quote_from_selection(self) -> None:
        """Make the selected words a quote (key Q)."""
        span = self.article.view.selected_span()
        if span is None:
            self.show_error("Select the quote's words in the article first, then press Q.")
            return
        self.new_quote(*span)

    def set_boundaries(self, quote_id: int, start: int, end: int) -> bool:
        """Move a quote's boundaries; its speaker, cue and mention stay."""
        if self.session is None:
            return False
        return self._push(
            EditQuotesCommand(self.session, "Change quote boundaries", [quote_id], start=start, end=end)
        )

    def set_boundaries_from_selection(self) -> None:
        """Move the current quote to the selected words (key B)."""
        span, q = self.article.view.selected_span(), self.current_quote()
        if span is None or q is None:
            self.show_error("Select a quote in the table, then the new words in the article, then press B.")
            return
        if self.set_boundaries(q.id, *span):
            self.select_quote(q.id)

    def set_kind(self, kind: Kind) -> bool:
        """Set the kind of the selected quotes (keys 1, 2, 3)."""
        quotes = [q for q in self.selected_quotes() if q.kind is not kind]
        if not quotes or self.session is None:
            return False
        return self._push(
            EditQuotesCommand(self.session, f"Set kind to {kind.value}", [q.id for q in quotes], kind=kind)
        )

    def set_speaker(
        self, name: str, quote_ids: Iterable[int] | None = None, *, mention: tuple[int, int] | None = None
    ) -> bool:
        """Attribute the selected quotes to a speaker (known, or new if no one has that name)."""
        ids = list(quote_ids) if quote_ids is not None else [q.id for q in self.selected_quotes()]
        if self.session is None or not ids or not name.strip():
            return False
        return self._push(SetSpeakerCommand(self.session, ids, name, mention=mention))

    def speaker_names(self) -> list[str]:
        """Every speaker's name and alias, for completion."""
        if self.session is None:
            return []
        names: list[str] = []
        for s in self.session.store.speakers():
            names.append(s.name)
            names.extend(a for a in s.aliases if a != s.name)
        return sorted(dict.fromkeys(names), key=str.casefold)

    def set_speaker_dialog(self) -> None:
        """Ask for the selected quotes' speaker, with completion on known names (key S)."""
        quotes = self.selected_quotes()
        if not quotes:
            self.show_error("Select a quote first (click it in the text or the table).")
            return
        dialog = SpeakerDialog(self.speaker_names(), quotes[0].speaker_name or "", self)
        if dialog.exec() and dialog.name():
            self.set_speaker(dialog.name(), [q.id for q in quotes])

    def set_speaker_from_mention(self) -> None:
        """Make the selected words the selected quotes' speaker mention and speaker (key M)."""
        span, quotes = self.article.view.selected_span(), self.selected_quotes()
        if span is None or not quotes:
            self.show_error("Select a quote, then select the speaker's name in the article, then press M.")
            return
        name = " ".join(self.article.view.text()[span[0] : span[1]].split())
        self.set_speaker(name, [q.id for q in quotes], mention=span)

    def set_note(self, note: str, quote_ids: Iterable[int] | None = None) -> bool:
        """Set the note of the selected quotes (or ``quote_ids``)."""
        ids = list(quote_ids) if quote_ids is not None else [q.id for q in self.selected_quotes()]
        if self.session is None or not ids:
            return False
        return self._push(EditQuotesCommand(self.session, "Edit note", ids, note=note))

    def edit_note_dialog(self) -> None:
        """Ask for the current quote's note (key E)."""
        q = self.current_quote()
        if q is None:
            return
        note, ok = QInputDialog.getMultiLineText(self, "Note", "Note on this quote:", q.note)
        if ok and note != q.note:
            self.set_note(note)

    def delete_selected(self) -> bool:
        """Delete the selected quotes (Delete) and select the next row."""
        quotes = self.selected_quotes()
        if not quotes or self.session is None:
            return False
        row = self.table.currentIndex().row()
        ok = self._push(DeleteQuotesCommand(self.session, [q.id for q in quotes]))
        if ok and self.quotes_model.rowCount():
            self.select_quote(
                self.quotes_model.quote_at(min(max(row, 0), self.quotes_model.rowCount() - 1)).id
            )
        return ok

    # --- engine ----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether a suggestion run is running or waiting for the language model."""
        return self._worker is not None or bool(self._pending)

    def load_model(self) -> None:
        """Start the engine's process and load its pipeline, in the background (once)."""
        if self.engine is not None or self._loader is not None or self.model_error is not None:
            return
        self._loader = ModelLoader(self._model_name)
        self._loader.signals.loaded.connect(self._model_loaded)
        self._loader.signals.failed.connect(self._model_failed)
        self.engine_label.setText("Loading the language model…")
        self.pool.start(self._loader)

    @Slot(object)
    def _model_loaded(self, engine: Engine) -> None:
        self._loader = None
        if self._closed:  # the window closed while the pipeline loaded
            engine.close()
            return
        self.engine = engine
        self.engine_label.setText("Engine ready")
        self._start_pending()

    @Slot(str)
    def _model_failed(self, message: str) -> None:
        self._loader = None
        self.model_error = message
        self.engine_label.setText("No engine")
        had_work = bool(self._pending)
        self._pending = []
        self.show_error(f"Suggestions are not available: {message}. You can still mark quotes by hand.")
        self._set_progress(None)
        if had_work:
            self.engine_idle.emit()

    def request_suggestions(self, doc_ids: Sequence[int]) -> None:
        """Run the engine over these documents in the background (queued if one is running)."""
        if self.session is None or not doc_ids:
            return
        if self.model_error is not None:
            self.show_error(f"Suggestions are not available: {self.model_error}")
            return
        self._pending.extend(i for i in doc_ids if i not in self._pending)
        self._update_actions()
        if self.engine is None:
            self._set_progress(0, 0, "Loading the language model…")
            self.load_model()
            return
        self._start_pending()

    def suggest_missing(self) -> None:
        """Suggest quotes in every document the engine has not read yet."""
        if self.session is not None:
            self.request_suggestions(self.session.store.documents_without_suggestions())

    def suggest_current(self) -> None:
        """Run the engine over the shown document."""
        if self.doc_id is not None:
            self.request_suggestions([self.doc_id])

    def suggest_all(self) -> None:
        """Run the engine over every document (reviewed quotes are kept)."""
        if self.session is not None:
            self.request_suggestions([d.id for d in self.session.store.documents()])

    def cancel_suggestions(self) -> None:
        """Stop the suggestion run after the current document; what is done stays."""
        self._pending = []
        if self._worker is not None:
            self._worker.cancel()
            self.engine_label.setText("Cancelling…")
        self._update_actions()

    def _start_pending(self) -> None:
        if self._worker is not None or not self._pending or self.engine is None or self.session is None:
            return
        ids, self._pending = self._pending, []
        items = []
        for doc_id in ids:
            try:
                items.append((doc_id, self.session.store.document(doc_id).text or ""))
            except QuotebenchError:
                continue  # deleted meanwhile
        worker = SuggestWorker(self.engine, items)
        self._worker_session = self.session  # results belong to this project only
        worker.signals.document_done.connect(self._suggestions_ready)
        worker.signals.progressed.connect(self._suggest_progress)
        worker.signals.failed.connect(self._suggest_failed)
        worker.signals.finished.connect(self._suggest_finished)
        self._worker = worker
        self._set_progress(0, len(items), "Suggesting")
        self._update_actions()
        self.pool.start(worker)

    @Slot(int, object)
    def _suggestions_ready(self, doc_id: int, quotes: list[Suggestion]) -> None:
        if self.session is None or self.session is not self._worker_session:
            return  # the project was closed or another opened while the engine read it
        try:
            changes = self.session.store.save_suggestions(doc_id, quotes, ENGINE_ORIGIN)
        except QuotebenchError as err:
            self.show_error(f"The suggestions for document {doc_id} could not be saved: {err}")
            return
        # Other documents' counts and new speakers are shown a little later, several
        # documents at once: refreshing the lists after every document of a long run kept
        # the event loop busy for no one. The document on screen is refreshed at once.
        self._deferred = self._deferred | changes
        if doc_id == self.doc_id:
            self._flush_deferred()
        elif not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush_deferred(self) -> None:
        self._flush_timer.stop()
        changes, self._deferred = self._deferred, Changes()
        if self.session is not None:
            self.session.apply(changes)

    @Slot(int, int)
    def _suggest_progress(self, done: int, total: int) -> None:
        self._set_progress(done, total, "Suggesting")

    @Slot(int, str)
    def _suggest_failed(self, doc_id: int, message: str) -> None:
        self.show_error(f"The engine failed on document {doc_id} ({message}); the other documents go on.")

    @Slot(bool)
    def _suggest_finished(self, cancelled: bool) -> None:
        self._worker = None
        self._flush_deferred()
        self._set_progress(None)
        self.engine_label.setText("Suggestions cancelled" if cancelled else "Engine ready")
        self._update_actions()
        if self._pending:
            self._start_pending()
        else:
            self.engine_idle.emit()

    def _set_progress(self, done: int | None, total: int = 0, label: str = "") -> None:
        if done is None:
            self.progress.hide()
            self.cancel_button.hide()
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"{label} %v/%m" if total else label)
        self.progress.show()
        self.cancel_button.show()

    # --- help ------------------------------------------------------------------------------

    def shortcut_groups(self) -> list[tuple[str, list[QAction]]]:
        """Each menu's title and its actions, for the shortcuts dialog."""
        return [
            (m.title().replace("&", ""), [a for a in m.actions() if a.menu() is None]) for m in self.menus
        ]

    def show_shortcuts(self) -> ShortcutsDialog:
        """Show the keyboard shortcuts dialog (F1)."""
        dialog = ShortcutsDialog(self.shortcut_groups(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _about(self) -> None:
        QMessageBox.about(
            self, "About Quotebench", f"Quotebench {__version__}\nAnnotate who said what in news articles."
        )
