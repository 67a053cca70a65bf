"""The window's menus and their actions, each with its keys, wired to the window's slots."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu

from ..core.model import Kind, SpeakerType, Status
from .engine_processes import ask_engine_processes

if TYPE_CHECKING:
    from .widgets.main_window import MainWindow

#: What an action's keys may be given as: one key, several, or a standard key.
Keys = str | Sequence[str] | QKeySequence.StandardKey


class WindowActions:
    """Builds the window's menu bar; holds every action so the window can enable them.

    Each action is added to the window too, so its keys work wherever the focus is.

    Args:
        window: the window whose menu bar is filled and whose slots the actions call.

    Attributes:
        menus: the menu bar's menus, in order (the shortcuts dialog lists them).
        recent_menu: File > Open recent, filled when it opens.
        undo, redo: Edit > Undo and Redo; their text names the edit.
        needs_project: the actions that need an open project.
        needs_document: the actions that need a document on screen.
        cancel: Engine > Cancel suggestions, enabled while the engine is busy.
        quit_separator: the separator above File > Quit.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.menus: list[QMenu] = []
        self._build_file_menu()
        self._build_edit_menu()
        self._build_review_menu()
        self._build_engine_menu()
        self._build_speakers_menu()
        self._build_view_menu()
        self._build_help_menu()

    def _menu(self, title: str) -> QMenu:
        menu = self._window.menuBar().addMenu(title)
        self.menus.append(menu)
        return menu

    def _action(
        self, menu: QMenu, text: str, keys: Keys, slot: Callable[[], object], tip: str = ""
    ) -> QAction:
        """An action in ``menu`` and on the window, calling ``slot`` (with no arguments)."""
        action = QAction(text, self._window)
        if isinstance(keys, QKeySequence.StandardKey):
            action.setShortcuts(keys)
        else:
            action.setShortcuts([QKeySequence(k) for k in ([keys] if isinstance(keys, str) else keys)])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self._window.addAction(action)
        return action

    # --- menus -----------------------------------------------------------------------------

    def _build_file_menu(self) -> None:
        w, m = self._window, self._menu("&File")
        self._action(m, "&New project…", "Ctrl+N", w.projects.new_project)
        self._action(m, "&Open project…", "Ctrl+O", w.projects.open_project)
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        m.addSeparator()
        self.needs_project = [
            self._action(
                m,
                "&Import files…",
                "Ctrl+I",
                w.projects.import_files,
                "Import .txt, .md, .html or JSONL files",
            ),
            self._action(m, "Import &folder…", "Ctrl+Shift+I", w.projects.import_folder),
            self._action(m, "&Export…", "Ctrl+E", w.projects.export),
            self._action(
                m,
                "Save a &copy…",
                "Ctrl+Shift+S",
                w.projects.save_copy,
                "Save the whole project, every edit in it, to another file",
            ),
        ]
        self.quit_separator = m.addSeparator()  # the study tools go in before it
        self._action(m, "&Quit", "Ctrl+Q", w.close)

    def _build_edit_menu(self) -> None:
        w, m = self._window, self._menu("&Edit")
        self.undo = QAction("&Undo", w)
        self.undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.undo.triggered.connect(w.undo)
        self.redo = QAction("&Redo", w)
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo.triggered.connect(w.redo)
        for a in (self.undo, self.redo):
            a.setProperty("plain_text", a.text().replace("&", ""))  # its text names the edit
            m.addAction(a)
            w.addAction(a)
        m.addSeparator()
        self.needs_document = [
            self._action(m, "New &quote from selection", "Q", w.edits.new_quote_from_selection),
            self._action(m, "Set &boundaries from selection", "B", w.edits.set_boundaries_from_selection),
            self._action(m, "Set &speaker…", "S", w.edits.set_speaker_dialog),
            self._action(m, "Speaker from selected &mention", "M", w.edits.set_speaker_from_mention),
            self._action(m, "Kind: &direct", "1", lambda: w.edits.set_kind(Kind.DIRECT)),
            self._action(m, "Kind: &indirect", "2", lambda: w.edits.set_kind(Kind.INDIRECT)),
            self._action(m, "Kind: m&ixed", "3", lambda: w.edits.set_kind(Kind.MIXED)),
            self._action(m, "&Note…", "E", w.edits.edit_note_dialog),
            self._action(m, "&Delete quote", ["Delete", "Backspace"], w.edits.delete_selected),
        ]

    def _build_review_menu(self) -> None:
        w, m = self._window, self._menu("&Review")
        self.needs_document += [
            self._action(m, "&Accept", "A", lambda: w.edits.set_status(Status.ACCEPTED)),
            self._action(m, "&Reject", "R", lambda: w.edits.set_status(Status.REJECTED)),
            self._action(m, "Back to s&uggested", "U", lambda: w.edits.set_status(Status.SUGGESTED)),
            self._action(m, "Accept all &above confidence…", "Ctrl+Shift+A", w.edits.accept_above_dialog),
        ]
        m.addSeparator()
        self.needs_document += [
            self._action(m, "&Next suggestion", ["N", "J"], lambda: w.goto_suggestion(+1)),
            self._action(m, "&Previous suggestion", ["P", "K"], lambda: w.goto_suggestion(-1)),
        ]
        self._action(m, "Next &document", ["Ctrl+PgDown", "Alt+Down"], lambda: w.goto_document(+1))
        self._action(m, "Previous d&ocument", ["Ctrl+PgUp", "Alt+Up"], lambda: w.goto_document(-1))
        m.addSeparator()
        self.needs_document.append(self._action(m, "&Mark document done", "D", w.review.toggle_done))
        self._action(m, "Next document &not done", ["Shift+D", "Ctrl+Shift+PgDown"], w.review.next_not_done)
        self.advance = self._action(
            m, "Move to the next suggestion after accept or reject", "Ctrl+Shift+N", self._advance
        )
        self.advance.setCheckable(True)
        self.advance.setChecked(w.settings.advance_after_review())

    def _advance(self) -> None:
        """Turn on or off moving to the next suggestion after accept or reject, and remember it."""
        self._window.settings.set_advance_after_review(self.advance.isChecked())

    def _build_engine_menu(self) -> None:
        w, m = self._window, self._menu("E&ngine")
        self.needs_document.append(
            self._action(m, "&Suggest quotes in this document", ["Ctrl+R", "F5"], w.suggest_current)
        )
        self.needs_project.append(
            self._action(m, "Suggest quotes in &all documents", ["Ctrl+Shift+R", "Shift+F5"], w.suggest_all)
        )
        self.cancel = self._action(m, "&Cancel suggestions", "Esc", w.cancel_suggestions)
        m.addSeparator()
        self._action(
            m,
            "&Processes…",
            "Ctrl+Alt+P",
            lambda: ask_engine_processes(w),
            "How many processes the engine runs in",
        )

    def _build_speakers_menu(self) -> None:
        panel, m = self._window.speakers, self._menu("S&peakers")
        self._action(m, "&Rename speaker…", "F2", panel.rename_selected)
        self._action(m, "&Merge selected speakers", "Ctrl+Shift+M", panel.merge_selected)
        self._action(m, "&Split off alias", "Ctrl+Shift+L", panel.split_selected_alias)
        self._action(
            m,
            "&Delete speakers with no quotes",
            "Ctrl+Shift+Del",
            panel.delete_selected,
            "Delete the selected speakers that no quote is attributed to",
        )
        self._action(m, "Mark as &person", "Ctrl+Shift+P", lambda: panel.set_type(SpeakerType.PERSON))
        self._action(
            m, "Mark as &organisation", "Ctrl+Shift+O", lambda: panel.set_type(SpeakerType.ORGANISATION)
        )

    def _build_view_menu(self) -> None:
        w, m = self._window, self._menu("&View")
        self._action(m, "&Filter quotes", "Ctrl+F", w.quotes_pane.focus_filter)
        self._action(m, "Go to &documents", "Ctrl+1", w.docs_view.setFocus)
        self._action(m, "Go to &article", "Ctrl+2", w.article.view.setFocus)
        self._action(m, "Go to &quotes", "Ctrl+3", w.table.setFocus)
        self._action(m, "Go to &speakers", "Ctrl+4", w.speakers.table.setFocus)
        m.addSeparator()
        self.legend = self._action(m, "Show &legend", "Ctrl+Shift+G", self._toggle_legend)
        self.legend.setCheckable(True)
        self.legend.setChecked(w.settings.show_legend())
        w.article.set_legend_visible(self.legend.isChecked())
        schemes = m.addMenu("&Colour scheme")
        group = QActionGroup(schemes)
        self.color_schemes: dict[str, QAction] = {}
        for scheme, label in (("system", "&System"), ("light", "&Light"), ("dark", "&Dark")):
            action = schemes.addAction(label)
            action.setCheckable(True)
            action.setActionGroup(group)
            action.triggered.connect(lambda _checked=False, s=scheme: w.set_color_scheme(s))
            self.color_schemes[scheme] = action
        self.color_schemes[w.settings.color_scheme()].setChecked(True)

    def _toggle_legend(self) -> None:
        """Show or hide the legend, and remember it."""
        shown = self.legend.isChecked()
        self._window.article.set_legend_visible(shown)
        self._window.settings.set_show_legend(shown)

    def _build_help_menu(self) -> None:
        w, m = self._window, self._menu("&Help")
        self._action(m, "&Keyboard shortcuts", ["F1", "Ctrl+/"], w.show_shortcuts)
        self._action(m, "&About Quotebench", "Ctrl+Shift+F1", w.show_about)

    # --- state -----------------------------------------------------------------------------

    def fill_recent(self) -> None:
        """List the recent projects in File > Open recent (each opens its project)."""
        self.recent_menu.clear()
        for path in self._window.settings.recent_projects():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(
                lambda _checked=False, p=path: self._window.open_project(p, create=False)
            )
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def update(self, stack: QUndoStack | None, *, has_document: bool, busy: bool) -> None:
        """Enable what can be done now and name the edits Undo and Redo would undo or redo.

        Args:
            stack: the open project's undo stack (``None``: no project is open).
            has_document: whether a document is on screen.
            busy: whether the engine is running or has documents waiting.
        """
        self.undo.setEnabled(bool(stack and stack.canUndo()))
        self.redo.setEnabled(bool(stack and stack.canRedo()))
        self.undo.setText(f"&Undo {stack.undoText()}" if stack and stack.canUndo() else "&Undo")
        self.redo.setText(f"&Redo {stack.redoText()}" if stack and stack.canRedo() else "&Redo")
        for a in self.needs_project:
            a.setEnabled(stack is not None)
        for a in self.needs_document:
            a.setEnabled(stack is not None and has_document)
        self.cancel.setEnabled(busy)

    def shortcut_groups(self) -> list[tuple[str, list[QAction]]]:
        """Each menu's title and its actions, for the shortcuts dialog."""
        return [
            (m.title().replace("&", ""), [a for a in m.actions() if a.menu() is None]) for m in self.menus
        ]
