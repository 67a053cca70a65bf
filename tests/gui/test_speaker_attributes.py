"""Speaker attributes edited in the speakers panel: a key–value dialog, each edit undoable."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidgetItem

from quotebench.core.project.store import Store
from quotebench.gui.session import Session
from quotebench.gui.widgets.speaker_attributes_dialog import SpeakerAttributesDialog
from quotebench.gui.widgets.speaker_panel import SpeakerPanel


def cell(dialog: SpeakerAttributesDialog, row: int, col: int) -> QTableWidgetItem:
    item = dialog.table.item(row, col)
    assert item is not None
    return item


def panel_on_anna(qtbot, session: Session) -> tuple[SpeakerPanel, int]:  # type: ignore[no-untyped-def]
    panel = SpeakerPanel()
    qtbot.addWidget(panel)
    panel.set_session(session)
    anna = session.store.find_speaker("Anna Smith").id
    panel.select_speakers([anna])
    return panel, anna


def test_set_change_remove_and_undo(qtbot, session: Session, store: Store) -> None:  # type: ignore[no-untyped-def]
    panel, anna = panel_on_anna(qtbot, session)
    assert panel.attributes_button.isEnabled()
    dialog = panel.edit_attributes()
    assert dialog is not None
    assert dialog.set_attribute("Gender", "woman")
    assert dialog.set_attribute("gender", "female")
    assert store.speaker_attributes(anna) == {"gender": "female"}
    assert dialog.table.rowCount() == 2  # the attribute and the row that adds one
    assert dialog.set_attribute("gender", "")  # an empty value removes the key
    assert store.speaker_attributes(anna) == {}
    stack = session.undo_stack
    stack.undo()
    assert store.speaker_attributes(anna) == {"gender": "female"}
    stack.undo()
    assert store.speaker_attributes(anna) == {"gender": "woman"}
    stack.undo()
    assert store.speaker_attributes(anna) == {}
    stack.redo()
    assert store.speaker_attributes(anna) == {"gender": "woman"}
    assert cell(dialog, 0, 1).text() == "woman"  # the open dialog follows undo and redo


def test_typing_in_the_table_and_renaming_a_key(qtbot, session: Session, store: Store) -> None:  # type: ignore[no-untyped-def]
    panel, anna = panel_on_anna(qtbot, session)
    dialog = panel.edit_attributes()
    assert dialog is not None
    cell(dialog, 0, 0).setText("party")
    qtbot.wait(10)
    assert store.speaker_attributes(anna) == {}  # a new key waits for its value
    cell(dialog, 0, 1).setText("Greens")
    qtbot.waitUntil(lambda: store.speaker_attributes(anna) == {"party": "Greens"})
    cell(dialog, 0, 0).setText("affiliation")
    qtbot.waitUntil(lambda: store.speaker_attributes(anna) == {"affiliation": "Greens"})
    session.undo_stack.undo()  # the rename is one step
    assert store.speaker_attributes(anna) == {"party": "Greens"}


def test_a_refused_edit_reaches_the_message_bar(qtbot, session: Session, store: Store) -> None:  # type: ignore[no-untyped-def]
    panel, anna = panel_on_anna(qtbot, session)
    dialog = panel.edit_attributes()
    assert dialog is not None
    messages: list[str] = []
    session.failed.connect(messages.append)
    dialog.speaker_id = 10_000  # a speaker gone meanwhile
    assert not dialog.set_attribute("gender", "woman")
    assert messages and "attribute" in messages[0].lower()
    assert session.undo_stack.count() == 0


def test_no_button_without_exactly_one_speaker(qtbot, session: Session) -> None:  # type: ignore[no-untyped-def]
    panel, _ = panel_on_anna(qtbot, session)
    panel.select_speakers([s.id for s in session.store.speakers()])
    assert not panel.attributes_button.isEnabled()
    assert panel.edit_attributes() is None
