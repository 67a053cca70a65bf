"""A small key–value table of one speaker's attributes (gender, party, role…), each edit undoable."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..commands import SetSpeakerAttributeCommand
from ..session import Session

#: Where a row keeps the key it had when it was read (``""`` for the row that adds one).
_KEY_ROLE = 256


class SpeakerAttributesDialog(QDialog):
    """Every attribute of one speaker, as key and value; the last, empty row adds one.

    Each edit is pushed at once as a :class:`~gui.commands.SetSpeakerAttributeCommand`: emptying
    a value removes the key, changing a key moves its value (one undoable step).
    """

    def __init__(self, session: Session, speaker_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.speaker_id = session, speaker_id
        name = session.store.speaker(speaker_id).name
        self.setWindowTitle(f"Attributes of {name}")
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("speakerAttributes")
        self.table.setHorizontalHeaderLabels(["Key", "Value"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        hint = QLabel("Type in the last row to add an attribute; empty a value to remove it.", self)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(360, 260)
        self.reload()
        self.table.itemChanged.connect(self._changed)
        session.changed.connect(self._store_changed)  # an undo while it is open

    def attributes(self) -> dict[str, str]:
        """The speaker's attributes as the project holds them."""
        return self.session.store.speaker_attributes(self.speaker_id)

    def reload(self) -> None:
        """Show the attributes as stored, and an empty row to add one."""
        blocked = self.table.blockSignals(True)
        try:
            rows = [*self.attributes().items(), ("", "")]
            self.table.setRowCount(len(rows))
            for row, (key, value) in enumerate(rows):
                key_item, value_item = QTableWidgetItem(key), QTableWidgetItem(value)
                key_item.setData(_KEY_ROLE, key)
                self.table.setItem(row, 0, key_item)
                self.table.setItem(row, 1, value_item)
        finally:
            self.table.blockSignals(blocked)

    def set_attribute(self, key: str, value: str, old_key: str = "") -> bool:
        """Set (or with an empty value remove) an attribute; renaming ``old_key`` moves its value.

        Returns:
            Whether the edit was made (a refusal reaches the window's message bar).
        """
        key = " ".join(key.split()).casefold()
        if not key:
            return False
        stack = self.session.undo_stack
        moving = bool(old_key) and old_key != key
        if moving:
            stack.beginMacro(f"Rename speaker attribute {old_key} to {key}")
        try:
            ok = not moving or self.session.push(
                SetSpeakerAttributeCommand(self.session, self.speaker_id, old_key, "")
            )
            ok = ok and self.session.push(
                SetSpeakerAttributeCommand(self.session, self.speaker_id, key, value)
            )
        finally:
            if moving:
                stack.endMacro()
        self.reload()
        return ok

    def _store_changed(self, *_: object) -> None:
        if self.table.state() != QAbstractItemView.State.EditingState:
            self.reload()

    def _changed(self, item: QTableWidgetItem) -> None:
        # the edit is made once the item's signal is over: reloading replaces the item
        QTimer.singleShot(0, lambda row=item.row(): self._row_edited(row))

    def _row_edited(self, row: int) -> None:
        key_item, value_item = self.table.item(row, 0), self.table.item(row, 1)
        if key_item is None or value_item is None:
            return
        old_key = str(key_item.data(_KEY_ROLE) or "")
        key, value = key_item.text(), value_item.text()
        if not key.strip():
            if old_key:  # an emptied key removes the attribute
                self.set_attribute(old_key, "")
            return
        if not old_key and not value.strip():
            return  # a new key waits for its value
        if key == old_key and value == self.attributes().get(old_key):
            return
        self.set_attribute(key, value, old_key)
