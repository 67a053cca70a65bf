"""The open project: its :class:`~core.project.store.Store` and the one undo stack of its edits."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from ..core import __version__
from ..core.errors import QuotebenchError
from ..core.model import Changes, Suggestion

if TYPE_CHECKING:
    from ..core.project.store import Store
    from .commands import StoreCommand

#: The origin recorded on the engine's suggestions (the same as ``quotebench suggest``).
ENGINE_ORIGIN = f"quotebench-engine {__version__}"
#: How long the changes of suggestions stored with ``defer=True`` may wait to be announced.
DEFERRED_CHANGES_MS = 300
#: After this long without an edit, the edits are copied into the project file itself.
CHECKPOINT_IDLE_MS = 1000


class Session(QObject):
    """Owns the project store and the undo stack; every view listens to :attr:`changed`.

    Every write to the store goes through the session: edits build a command from
    :mod:`gui.commands` and hand it to :meth:`push`; the engine's suggestions are stored by
    :meth:`save_suggestions`, without a command (they are the engine's output, not the
    researcher's edits; accepting, rejecting or changing them is an edit). Each store call is
    on disk when it returns, so there is no Save and nothing to lose when the window closes.

    Args:
        store: the open project (closed by :meth:`close`).
        parent: the Qt parent.

    Attributes:
        store: the project.
        undo_stack: every edit made in this session, undoable in order.

    Signals:
        changed(Changes): something in the project changed (an edit, its undo or redo, new
            suggestions, an import); views refresh what it names.
        failed(str): an edit could not be made; the message is for the researcher.
    """

    changed = Signal(object)
    failed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = QUndoStack(self)
        self._deferred = Changes()
        self._deferred_timer = QTimer(self)
        self._deferred_timer.setSingleShot(True)
        self._deferred_timer.setInterval(DEFERRED_CHANGES_MS)
        self._deferred_timer.timeout.connect(self.flush_changes)
        # every edit is committed at once, first into the -wal beside the project file; a
        # second after the last one, it is copied into the file itself, so a copy of the
        # .qbproj alone (a backup tool, a mail attachment) holds every edit
        self._checkpoint_timer = QTimer(self)
        self._checkpoint_timer.setSingleShot(True)
        self._checkpoint_timer.setInterval(CHECKPOINT_IDLE_MS)
        self._checkpoint_timer.timeout.connect(self.checkpoint)
        self.changed.connect(self._checkpoint_timer.start)
        self.undo_stack.indexChanged.connect(self._checkpoint_timer.start)

    @property
    def path(self) -> str:
        """The project file."""
        return str(self.store.path)

    def apply(self, changes: Changes) -> None:
        """Tell the views what changed (nothing is emitted for an empty change)."""
        if changes:
            self.changed.emit(changes)

    def push(self, command: StoreCommand) -> bool:
        """Make an edit and put it on the undo stack.

        The edit is made before it is pushed, so a failure (a busy project, a bad offset)
        leaves nothing on the stack: the researcher sees :attr:`failed` and the project is as
        it was.

        Returns:
            Whether the edit was made.
        """
        try:
            command.execute()
        except QuotebenchError as err:
            self.failed.emit(f"{command.text()}: {err}")
            return False
        self.undo_stack.push(command)
        return True

    def save_suggestions(
        self,
        document_id: int,
        suggestions: Sequence[Suggestion],
        *,
        defer: bool = False,
        replace: bool = True,
    ) -> Changes:
        """Store the engine's suggestions for a document and announce the change.

        Untouched suggestions are replaced; reviewed quotes stay (see
        :meth:`Store.save_suggestions <core.project.store.Store.save_suggestions>`).

        Args:
            document_id: the document the engine read.
            suggestions: what it found, with offsets into that document's text.
            defer: announce the change a little later, together with the other deferred
                ones (:data:`DEFERRED_CHANGES_MS`): a long run over documents nobody is
                looking at then refreshes the lists a few times, not after every document.
                Without it, the change and any waiting ones are announced at once.
            replace: replace the untouched suggestions (``False``: add to them, for the later
                parts of one document's results, stored a part at a time).

        Returns:
            What changed.

        Raises:
            QuotebenchError: the suggestions could not be stored (nothing was).
        """
        changes = self.store.save_suggestions(document_id, list(suggestions), ENGINE_ORIGIN, replace=replace)
        self._deferred = self._deferred | changes
        if not defer:
            self.flush_changes()
        elif not self._deferred_timer.isActive():
            self._deferred_timer.start()
        return changes

    def flush_changes(self) -> None:
        """Announce the changes :meth:`save_suggestions` deferred, if any, now."""
        self._deferred_timer.stop()
        changes, self._deferred = self._deferred, Changes()
        self.apply(changes)

    def checkpoint(self) -> bool:
        """Copy the committed edits into the project file itself, if no one is reading an older state.

        Returns:
            Whether the project file alone now holds every edit (if not, the timer tries again).
        """
        try:
            done = self.store.checkpoint()
        except sqlite3.ProgrammingError:
            return False  # the store was closed without this session (its owner closed it)
        except QuotebenchError as err:
            self.failed.emit(f"The project file could not be brought up to date: {err}")
            return False
        if not done:
            self._checkpoint_timer.start()  # another program reads an older state: later
        return done

    def close(self) -> None:
        """Close the project file (every edit is already in it, and the store copies them
        into the file itself on closing); deferred changes are dropped."""
        self._checkpoint_timer.stop()
        self._deferred_timer.stop()
        self._deferred = Changes()
        self.undo_stack.blockSignals(True)  # the views are going away with the project
        self.undo_stack.clear()
        self.store.close()
