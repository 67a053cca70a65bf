"""View > Search all quotes, the "Saved" indicator and Help > Messages… (the notices' log).

:class:`SearchActions` adds them to the window's menus and status bar:

- View > Search all quotes (Ctrl+Shift+F) opens :class:`~gui.widgets.corpus_search.CorpusSearch`
  on the open project; activating a quote there shows its document and selects it;
- after each change of the project (every edit is on disk when the store returns) the status
  bar says "Saved 12:04:13";
- every status-bar notice and error goes into a log of the last 100, with their times, read
  again with Help > Messages….
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from .widgets.corpus_search import CorpusSearch
from .widgets.message_bar import MessageLog, MessagesDialog

if TYPE_CHECKING:
    from .widgets.main_window import MainWindow


class SearchActions(QObject):
    """The corpus search, the saved indicator and the message log of a window.

    Args:
        window: the window whose menus, status bar and project they use.

    Attributes:
        search_action: View > Search all quotes.
        messages_action: Help > Messages….
        search: the search dialog, once opened.
        saved_label: the status bar's "Saved 12:04:13".
        log: the notices shown, newest last.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.search: CorpusSearch | None = None
        self.log = MessageLog()
        self._messages: MessagesDialog | None = None
        actions = window.menu_actions
        view_menu, help_menu = actions.menus[5], actions.menus[-1]
        self.search_action = self._action("&Search all quotes…", "Ctrl+Shift+F", self.show_search)
        view_menu.addAction(self.search_action)
        actions.needs_project.append(self.search_action)
        self.messages_action = self._action("&Messages…", "Ctrl+Alt+M", self.show_messages)
        help_menu.addAction(self.messages_action)
        self.saved_label = QLabel(window.statusBar())
        self.saved_label.setObjectName("savedLabel")
        window.statusBar().addPermanentWidget(self.saved_label)
        window.statusBar().messageChanged.connect(self._status_message)
        window.error_shown.connect(lambda text: self.log.add(text, error=True))
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(300)
        self._refresh.timeout.connect(self._refresh_search)

    def _action(self, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self._window)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self._window.addAction(action)
        return action

    # --- the project -----------------------------------------------------------------------

    def project_opened(self) -> None:
        """Follow a newly opened project: search it, and show when its edits are saved."""
        session = self._window.session
        if session is None:
            return
        self.saved_label.clear()
        session.changed.connect(self._changed)
        if self.search is not None:
            self.search.set_store(session.store)

    def _changed(self, _changes: object) -> None:
        self.saved_label.setText(f"Saved {time.strftime('%H:%M:%S')}")
        self.saved_label.setToolTip("Every edit is written to the project file as it is made")
        if self.search is not None and self.search.isVisible():
            self._refresh.start()

    def _refresh_search(self) -> None:
        if self.search is not None and self.search.isVisible():
            self.search.model.refresh()

    # --- View > Search all quotes -----------------------------------------------------------

    def show_search(self) -> CorpusSearch:
        """Open (or raise) the search of all quotes, its filter box focused."""
        if self.search is None:
            self.search = CorpusSearch(self._window)
            self.search.quote_activated.connect(self.go_to_quote)
        session = self._window.session
        store = session.store if session else None
        if self.search.model.store is not store:
            self.search.set_store(store)
        elif not self.search.isVisible():
            self.search.model.refresh()  # edits made while it was closed
        self.search.show()
        self.search.raise_()
        self.search.filter_edit.setFocus()
        return self.search

    def go_to_quote(self, doc_id: int, quote_id: int) -> None:
        """Show a quote found: its document, the quote selected in the text and the table."""
        window = self._window
        if window.doc_id != doc_id:
            window.show_document(doc_id)
        window.select_quote(quote_id)
        window.activateWindow()

    # --- notices ---------------------------------------------------------------------------

    def _status_message(self, text: str) -> None:
        if text and (not self.log.entries or self.log.entries[-1].text != text):
            self.log.add(text)

    def show_messages(self) -> MessagesDialog:
        """Help > Messages…: the last notices and errors, with their times."""
        if self._messages is None:
            self._messages = MessagesDialog(self.log, self._window)
        self._messages.refresh()
        self._messages.show()
        self._messages.raise_()
        return self._messages
