"""Issue 8, the window's side: two windows on one project never undo each other's edits
silently; File > Save a copy; the idle checkpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotebench.core.model import Status
from quotebench.core.project.store import Store
from quotebench.gui.commands import DeleteQuotesCommand, EditQuotesCommand, SetStatusCommand
from quotebench.gui.session import Session


@pytest.fixture
def two(qapp, store: Store):
    """Two sessions (two windows) on the same project file, in one process."""
    path = store.path
    store.close()
    a, b = Session(Store.open(path)), Session(Store.open(path))
    yield a, b
    a.close()
    b.close()


def failures(session: Session) -> list[str]:
    out: list[str] = []
    session.failed.connect(out.append)
    return out


def test_undo_does_not_wipe_another_windows_later_change(two) -> None:
    a, b = two
    q = a.store.all_quotes()[0]
    assert a.push(SetStatusCommand(a, [q.id], Status.ACCEPTED))
    assert b.push(EditQuotesCommand(b, "Edit note", [q.id], note="B's note"))
    said = failures(a)
    seen: list[object] = []
    a.changed.connect(seen.append)
    a.undo_stack.undo()
    now = a.store.quote(q.id)
    assert now.note == "B's note" and now.status is Status.ACCEPTED  # B's edit kept
    assert said and "changed elsewhere" in said[0]
    assert seen and q.id in seen[-1].quotes_updated  # the view re-reads the quote
    assert a.undo_stack.count() == 0  # the refused step is gone, not left to fail again


def test_undo_of_a_delete_and_of_an_edit_still_work_alone(two) -> None:
    a, _ = two
    q = a.store.all_quotes()[1]
    assert a.push(EditQuotesCommand(a, "Edit note", [q.id], note="mine"))
    assert a.push(DeleteQuotesCommand(a, [q.id]))
    a.undo_stack.undo()
    a.undo_stack.undo()
    assert a.store.quote(q.id) == q
    a.undo_stack.redo()
    assert a.store.quote(q.id).note == "mine"


def test_redo_does_not_overwrite_another_windows_change(two) -> None:
    a, b = two
    q = a.store.all_quotes()[0]
    assert a.push(EditQuotesCommand(a, "Edit note", [q.id], note="A"))
    a.undo_stack.undo()
    assert b.push(EditQuotesCommand(b, "Edit note", [q.id], note="B"))
    said = failures(a)
    a.undo_stack.redo()
    assert a.store.quote(q.id).note == "B" and said


def test_save_a_copy_holds_every_edit(qtbot, window_on, tmp_path: Path) -> None:
    window = window_on
    q = window.session.store.all_quotes()[0]
    window.edits.set_note("in the copy", [q.id])
    out = tmp_path / "copy.qbproj"
    assert window.save_copy(out)
    with Store.open(out) as copy:
        assert copy.quote(q.id).note == "in the copy"
    assert "copy.qbproj" in window.statusBar().currentMessage()


def test_idle_checkpoint_puts_every_edit_in_the_project_file(qtbot, window_on, tmp_path: Path) -> None:
    import shutil

    window = window_on
    q = window.session.store.all_quotes()[0]
    window.edits.set_note("checkpointed", [q.id])
    qtbot.waitUntil(lambda: window.session.store.last_unsaved_edit is None, timeout=3000)
    alone = tmp_path / "alone.qbproj"
    shutil.copyfile(window.session.store.path, alone)  # the .qbproj alone, no -wal
    with Store.open(alone) as copy:
        assert copy.quote(q.id).note == "checkpointed"


@pytest.fixture
def window_on(qtbot, store: Store, settings):
    from quotebench.gui.widgets.main_window import MainWindow

    path = store.path
    store.close()
    w = MainWindow(settings)
    w.model_error = "not needed here"
    qtbot.addWidget(w)
    assert w.open_project(path, create=False)
    return w
