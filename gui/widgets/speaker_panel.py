"""The speakers panel: every speaker with its aliases and quote count, and the edits on them."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.model import Speaker, SpeakerType
from ..commands import (
    DeleteSpeakerCommand,
    MergeSpeakersCommand,
    RenameSpeakerCommand,
    SetSpeakerTypeCommand,
    SplitAliasCommand,
)
from ..metrics import scaled
from ..models import SpeakersModel
from ..session import Session
from .dialogs import MergeSpeakersDialog
from .speaker_attributes_dialog import SpeakerAttributesDialog


class SpeakerPanel(QWidget):
    """Lists speakers; renames, merges, splits off aliases and sets person/organisation.

    Every edit is a command on the session's undo stack.

    Signals:
        speaker_activated(int): the researcher double-clicked a speaker (filter by it).
    """

    speaker_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        self.model = SpeakersModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("speakerTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        bold = header.font()
        bold.setBold(True)  # header sections are bold (resources/style/01_table.qss)
        metrics = QFontMetrics(bold)
        for col, sample in ((1, "person"), (2, "Quotes")):
            # fixed: ResizeToContents measures every row on each refresh
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, metrics.horizontalAdvance(sample) + 16)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # all of them in the tooltip
        self.table.setColumnWidth(0, scaled(self.table, 135))
        self.table.doubleClicked.connect(self._activated)

        self.aliases = QListWidget(self)
        self.aliases.setObjectName("aliasList")
        self.aliases.setMaximumHeight(110)
        self.alias_label = QLabel("Aliases", self)

        self.rename_button = QPushButton("Rename…", self)
        self.merge_button = QPushButton("Merge…", self)
        self.split_button = QPushButton("Split off alias", self)
        self.person_button = QPushButton("Person", self)
        self.org_button = QPushButton("Organisation", self)
        self.attributes_button = QPushButton("Attributes…", self)
        self.attributes_button.setToolTip("Edit the selected speaker's attributes: gender, party, role…")
        self.attributes_button.clicked.connect(self.edit_attributes)
        self.rename_button.setToolTip("Rename the selected speaker (F2)")
        self.merge_button.setToolTip("Merge the selected speakers: choose the name that stays (Ctrl+Shift+M)")
        self.split_button.setToolTip("Make the selected alias a speaker of its own (Ctrl+Shift+L)")
        self.person_button.setToolTip("Mark as a person (Ctrl+Shift+P)")
        self.org_button.setToolTip("Mark as an organisation (Ctrl+Shift+O)")
        self.rename_button.clicked.connect(self.rename_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.split_button.clicked.connect(self.split_selected_alias)
        self.person_button.clicked.connect(lambda: self.set_type(SpeakerType.PERSON))
        self.org_button.clicked.connect(lambda: self.set_type(SpeakerType.ORGANISATION))

        row1 = QHBoxLayout()
        row1.addWidget(self.rename_button)
        row1.addWidget(self.merge_button)
        row2 = QHBoxLayout()
        row2.addWidget(self.person_button)
        row2.addWidget(self.org_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Speakers", self)
        title.setObjectName("paneTitle")
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.attributes_button)
        layout.addWidget(self.alias_label)
        layout.addWidget(self.aliases)
        layout.addWidget(self.split_button)
        self.table.selectionModel().selectionChanged.connect(self._show_aliases)
        self._show_aliases()

    def set_session(self, session: Session | None) -> None:
        """Show a project's speakers."""
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        """Re-read the speakers, keeping the selection on the same speakers."""
        keep = [s.id for s in self.selected_speakers()]
        self.model.set_speakers(self.session.store.speakers() if self.session else [])
        self.select_speakers(keep)
        self._show_aliases()

    # --- selection -------------------------------------------------------------------------

    def selected_speakers(self) -> list[Speaker]:
        """The selected speakers, the current one first."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        current = self.table.currentIndex().row()
        if current in rows:
            rows.remove(current)
            rows.insert(0, current)
        return [self.model.speaker_at(r) for r in rows if 0 <= r < self.model.rowCount()]

    def select_speakers(self, speaker_ids: list[int]) -> None:
        """Select speakers by id (the first becomes current)."""
        sm = self.table.selectionModel()
        sm.clearSelection()
        first = True
        for sid in speaker_ids:
            row = self.model.row_of(sid)
            if row is None:
                continue
            index = self.model.index(row, 0)
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            if first:
                sm.setCurrentIndex(index, flags)
                first = False
            else:
                sm.select(index, flags)

    def _show_aliases(self, *_: object) -> None:
        chosen = self.selected_speakers()
        self.aliases.clear()
        if len(chosen) == 1:
            self.aliases.addItems(list(chosen[0].aliases))
            self.alias_label.setText(f"Aliases of {chosen[0].name}")
        else:
            self.alias_label.setText("Aliases")
        has = bool(chosen) and self.session is not None
        self.rename_button.setEnabled(len(chosen) == 1)
        self.merge_button.setEnabled(len(chosen) >= 2)
        self.person_button.setEnabled(has)
        self.org_button.setEnabled(has)
        self.split_button.setEnabled(len(chosen) == 1 and bool(chosen[0].aliases))
        self.attributes_button.setEnabled(len(chosen) == 1 and self.session is not None)

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        self.speaker_activated.emit(self.model.speaker_at(index.row()).id)

    # --- edits -----------------------------------------------------------------------------

    def rename(self, speaker_id: int, name: str) -> bool:
        """Rename a speaker (undoable)."""
        if self.session is None or not name.strip():
            return False
        return self.session.push(RenameSpeakerCommand(self.session, speaker_id, name))

    def rename_selected(self) -> None:
        """Ask for a new name for the selected speaker (F2)."""
        chosen = self.selected_speakers()
        if len(chosen) != 1:
            return
        name, ok = QInputDialog.getText(self, "Rename speaker", "Name:", text=chosen[0].name)
        if ok:
            self.rename(chosen[0].id, name)

    def merge(self, keep_id: int, gone_ids: list[int], speaker_type: SpeakerType | None = None) -> bool:
        """Merge speakers into ``keep_id``, and set its type: one undoable step.

        Args:
            keep_id: the speaker whose name survives.
            gone_ids: the speakers merged into it (their names become its aliases).
            speaker_type: the survivor's type (``None``: as it is).
        """
        if self.session is None:
            return False
        session, stack = self.session, self.session.undo_stack
        retype = speaker_type is not None and session.store.speaker(keep_id).type is not speaker_type
        macro = len(gone_ids) > 1 or retype
        if macro:
            stack.beginMacro(f"Merge {len(gone_ids) + 1} speakers")
        try:
            ok = all(session.push(MergeSpeakersCommand(session, keep_id, g)) for g in gone_ids)
            if ok and retype and speaker_type is not None:
                ok = session.push(SetSpeakerTypeCommand(session, keep_id, speaker_type))
        finally:
            if macro:
                stack.endMacro()
        self.select_speakers([keep_id])
        return ok

    def merge_selected(self) -> None:
        """Ask which name survives and merge the selected speakers (Ctrl+Shift+M)."""
        chosen = self.selected_speakers()
        if len(chosen) < 2:
            return
        dialog = MergeSpeakersDialog(chosen, self)
        if dialog.exec():
            self.merge(dialog.keep_id(), dialog.gone_ids(), dialog.speaker_type())

    def delete_selected(self) -> int:
        """Delete the selected speakers that have no quotes (undoable, one step).

        Returns:
            How many were deleted.
        """
        if self.session is None:
            return 0
        empty = [s for s in self.selected_speakers() if s.n_quotes == 0]
        if not empty:
            return 0
        stack = self.session.undo_stack
        if len(empty) > 1:
            stack.beginMacro(f"Delete {len(empty)} speakers")
        try:
            done = sum(self.session.push(DeleteSpeakerCommand(self.session, s.id)) for s in empty)
        finally:
            if len(empty) > 1:
                stack.endMacro()
        return done

    def split_alias(self, speaker_id: int, alias: str) -> bool:
        """Make an alias a speaker of its own (undoable)."""
        if self.session is None:
            return False
        return self.session.push(SplitAliasCommand(self.session, speaker_id, alias))

    def split_selected_alias(self) -> None:
        """Make the selected alias a speaker of its own (Ctrl+Shift+L)."""
        chosen = self.selected_speakers()
        item = self.aliases.currentItem() or (self.aliases.item(0) if self.aliases.count() == 1 else None)
        if len(chosen) == 1 and item is not None:
            self.split_alias(chosen[0].id, item.text())

    def edit_attributes(self) -> SpeakerAttributesDialog | None:
        """Open the selected speaker's attributes (each edit undoable); returns the dialog shown."""
        chosen = self.selected_speakers()
        if self.session is None or len(chosen) != 1:
            return None
        dialog = SpeakerAttributesDialog(self.session, chosen[0].id, self)
        dialog.open()
        return dialog

    def set_type(self, speaker_type: SpeakerType) -> None:
        """Mark the selected speakers as persons or organisations."""
        if self.session is None:
            return
        chosen = [s for s in self.selected_speakers() if s.type is not speaker_type]
        if not chosen:
            return
        stack = self.session.undo_stack
        if len(chosen) > 1:
            stack.beginMacro(f"Mark {len(chosen)} speakers as {speaker_type.value}")
        try:
            for s in chosen:
                self.session.push(SetSpeakerTypeCommand(self.session, s.id, speaker_type))
        finally:
            if len(chosen) > 1:
                stack.endMacro()


__all__ = ["Qt", "SpeakerPanel"]
