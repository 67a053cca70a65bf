"""The open project: its :class:`~core.store.Store` and the one undo stack of its edits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..core.errors import QuotebenchError
from ..core.model import Changes

if TYPE_CHECKING:
    from ..core.project.store import Store
    from .commands import StoreCommand


class Session(QObject):
    """Owns the project store and the undo stack; every view listens to :attr:`changed`.

    Edits never write to the store directly: they build a command from :mod:`gui.commands`
    and hand it to :meth:`push`. Each store call is on disk when it returns, so there is no
    Save and nothing to lose when the window closes.

    The engine's suggestions are stored without a command: they are the engine's output,
    not the researcher's edits (accepting, rejecting or changing them is an edit).

    Args:
        store: the open project (closed by :meth:`close`).

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

    def close(self) -> None:
        """Close the project file (every edit is already in it)."""
        self.undo_stack.blockSignals(True)  # the views are going away with the project
        self.undo_stack.clear()
        self.store.close()
