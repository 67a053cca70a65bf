"""The window over a project: highlights, selection both ways, keyboard edits, undo, errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import TEXT
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor

from quotebench.core.model import Kind, Status
from quotebench.core.project.store import Store
from quotebench.gui.app import split_paths
from quotebench.gui.models import Column
from quotebench.gui.palette import tint
from quotebench.gui.widgets.main_window import MainWindow


def stored(path: Path, sql: str, params=()) -> list[tuple]:
    """Read the project file through a connection of its own (what is really on disk)."""
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture
def window(qtbot, store: Store, settings) -> MainWindow:
    path = store.path
    store.close()  # the window opens the file itself
    w = MainWindow(settings)
    w.model_error = "not needed here"  # these tests never run the engine
    qtbot.addWidget(w)
    assert w.open_project(path, create=False)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.table.setFocus()
    return w


def key(qtbot, w: MainWindow, k, mod=Qt.KeyboardModifier.NoModifier, widget=None) -> None:
    qtbot.keyClick(widget or w.table, k, mod)


def char_format(w: MainWindow, offset: int) -> QTextCharFormat:
    """The format of the stored character at ``offset`` as the view shows it."""
    view = w.article.view
    cur = QTextCursor(view.document())
    cur.setPosition(view.offsets.to_qt(offset) + 1)  # the format of the character before the cursor
    return cur.charFormat()


def test_highlights_follow_speaker_status_cue_and_mention(window: MainWindow) -> None:
    quotes = window.session.store.all_quotes()
    anna_said, anna_direct, ministry = quotes
    colour_of = window.article.view.colour_map().colour  # this document's speaker colours
    # suggested: a pale tint of the speaker's colour and a dashed underline
    fmt = char_format(window, anna_direct.start)
    assert fmt.background().color() == tint(colour_of(anna_direct.speaker_id))
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
    # the last character of the quote (after the emoji) and not one more
    assert char_format(window, anna_direct.end - 1).background().color() == tint(
        colour_of(anna_direct.speaker_id)
    )
    assert char_format(window, anna_direct.end).background().style() == Qt.BrushStyle.NoBrush
    assert (
        char_format(window, anna_direct.start - 3).background().style() == Qt.BrushStyle.NoBrush
    )  # before CRLF
    # accepted: the full colour; its mention underlined
    assert char_format(window, ministry.start).background().color() == colour_of(ministry.speaker_id)
    assert char_format(window, ministry.mention_start).fontUnderline()
    # the cue is bold, the words around it are not
    assert char_format(window, anna_said.cue_start).fontWeight() >= 700
    assert char_format(window, anna_said.cue_start - 2).fontWeight() < 700
    # rejected: struck out, no colour
    window.edits.set_status(Status.REJECTED, [anna_said.id])
    assert char_format(window, anna_said.start).fontStrikeOut()
    assert char_format(window, anna_said.start).background().style() == Qt.BrushStyle.NoBrush
    legend = window.article.legend.text()
    assert "Anna Smith" in legend and "The ministry" in legend


def test_row_selects_text_and_click_selects_row(qtbot, window: MainWindow) -> None:
    view = window.article.view
    store = window.session.store
    direct = store.all_quotes()[1]  # after a CRLF and holding an emoji
    window.table.selectRow(window.quotes_model.row_of(direct.id))
    assert view.selected_quote() == direct.id
    assert view.extraSelections()[0].cursor.selectedText() == direct.text
    assert view.selected_span() is None  # marked, not selected: Q cannot copy it
    ministry = store.all_quotes()[2]
    rect = view.cursorRect(_cursor_at(view, view.offsets.to_qt(ministry.start + 3)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_quote().id == ministry.id


def _cursor_at(view, pos: int) -> QTextCursor:
    cur = QTextCursor(view.document())
    cur.setPosition(pos)
    return cur


def test_new_quote_from_selection_is_exact_span(qtbot, window: MainWindow, monkeypatch) -> None:
    monkeypatch.setattr(window.edits, "confirm", lambda title, text: True)  # yes, inside another
    start = TEXT.index("We will")
    end = TEXT.index("👍🏽") + 2  # ends after the two-code-point emoji
    window.article.view.select_span(start, end)
    key(qtbot, window, Qt.Key.Key_Q, widget=window.article.view)
    new = window.current_quote()
    assert (new.start, new.end, new.text) == (start, end, TEXT[start:end])
    assert new.status is Status.ACCEPTED and new.kind is Kind.INDIRECT
    assert stored(window.session.store.path, "SELECT text FROM quotes WHERE id = ?", [new.id]) == [
        (TEXT[start:end],)
    ]


def test_boundaries_from_selection_keep_speaker_and_cue(qtbot, window: MainWindow) -> None:
    said = window.session.store.all_quotes()[0]
    window.select_quote(said.id)
    window.article.view.select_span(said.start, said.start + 8)
    key(qtbot, window, Qt.Key.Key_B, widget=window.article.view)
    q = window.session.store.quote(said.id)
    assert (q.start, q.end) == (said.start, said.start + 8)
    assert (q.speaker_id, q.cue_start, q.mention_start) == (
        said.speaker_id,
        said.cue_start,
        said.mention_start,
    )
    assert window.current_quote().id == said.id


def test_speaker_from_mention_and_by_name(qtbot, window: MainWindow) -> None:
    store = window.session.store
    direct = store.all_quotes()[1]
    window.select_quote(direct.id)
    m = TEXT.index("reporters")
    window.article.view.select_span(m, m + len("reporters"))
    key(qtbot, window, Qt.Key.Key_M, widget=window.article.view)
    q = store.quote(direct.id)
    assert q.speaker_name == "reporters" and (q.mention_start, q.mention_end) == (m, m + 9)
    assert window.quotes_model.index(window.quotes_model.row_of(q.id), Column.SPEAKER).data() == "reporters"
    assert "reporters" in [s.name for s in window.speakers.model.speakers()]
    assert window.edits.set_speaker("smith", [q.id])  # an alias finds its speaker
    assert store.quote(q.id).speaker_name == "Anna Smith"
    assert "Anna Smith" in window.edits.speaker_names() and "Smith" in window.edits.speaker_names()


def test_keys_review_and_undo_everything(qtbot, window: MainWindow) -> None:
    store = window.session.store
    path = store.path
    before = store.all_quotes()
    window.select_quote(before[2].id)
    key(qtbot, window, Qt.Key.Key_P)  # back to the previous suggestion
    assert window.current_quote().id == before[1].id
    key(qtbot, window, Qt.Key.Key_P)
    first = window.current_quote()
    assert first.id == before[0].id
    key(qtbot, window, Qt.Key.Key_A)
    key(qtbot, window, Qt.Key.Key_N)
    second = window.current_quote()
    assert second.id == before[1].id
    key(qtbot, window, Qt.Key.Key_R)
    key(qtbot, window, Qt.Key.Key_2)  # kind: indirect
    key(qtbot, window, Qt.Key.Key_P)
    assert window.current_quote().id == before[1].id  # quote 0 is accepted now: no earlier suggestion
    window.edits.set_note("double-check", [second.id])
    assert stored(path, "SELECT id, status FROM quotes ORDER BY id") == [
        (before[0].id, "accepted"),
        (before[1].id, "rejected"),
        (before[2].id, "accepted"),
    ]
    assert store.quote(second.id).kind is Kind.INDIRECT and store.quote(second.id).note == "double-check"
    window.select_quote(before[2].id)
    key(qtbot, window, Qt.Key.Key_Delete)
    assert len(stored(path, "SELECT id FROM quotes")) == 2
    for _ in range(5):
        key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.all_quotes() == before  # every field, times included
    assert (
        window.quotes_model.index(window.quotes_model.row_of(before[0].id), Column.STATUS).data()
        == "suggested"
    )
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert stored(path, "SELECT status FROM quotes WHERE id = ?", [before[0].id]) == [("accepted",)]


def test_accept_above_confidence(window: MainWindow) -> None:
    assert window.edits.accept_above(0.7) == 1
    statuses = {q.id: q.status for q in window.session.store.all_quotes()}
    assert list(statuses.values()) == [Status.ACCEPTED, Status.SUGGESTED, Status.ACCEPTED]
    window.session.undo_stack.undo()
    assert window.session.store.all_quotes()[0].status is Status.SUGGESTED


def test_filter_box_filters_table(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.filter_edit, "status:suggested ministry")
    assert window.quotes_model.rowCount() == 0
    window.filter_edit.setText("status:suggested")
    assert window.quotes_model.rowCount() == 2
    assert "2 of 3" in window.count_label.text()


def test_speakers_panel_merge_split_rename_type(window: MainWindow, monkeypatch) -> None:
    from quotebench.gui.widgets.dialogs import MergeSpeakersDialog

    monkeypatch.setattr(MergeSpeakersDialog, "exec", lambda self: 1)  # Merge, with its defaults
    panel = window.speakers
    store = window.session.store
    anna, ministry = store.find_speaker("Anna Smith").id, store.find_speaker("The ministry").id
    panel.select_speakers([anna, ministry])
    panel.merge_selected()
    assert [s.name for s in panel.model.speakers()] == ["Anna Smith"]
    assert panel.model.speakers()[0].n_quotes == 3
    assert {window.quotes_model.quote_at(r).speaker_name for r in range(3)} == {"Anna Smith"}
    window.session.undo_stack.undo()
    assert [s.name for s in panel.model.speakers()] == ["Anna Smith", "The ministry"]
    panel.select_speakers([anna])
    panel.aliases.setCurrentRow(0)
    panel.split_selected_alias()
    assert "Smith" in [s.name for s in panel.model.speakers()]
    assert panel.rename(ministry, "Ministry of Plans")
    panel.select_speakers([ministry])
    from quotebench.core.model import SpeakerType

    panel.set_type(SpeakerType.PERSON)
    assert store.speaker(ministry).type is SpeakerType.PERSON
    assert (
        window.quotes_model.index(window.quotes_model.row_of(3), Column.SPEAKER).data() == "Ministry of Plans"
    )
    while window.session.undo_stack.canUndo():
        window.session.undo_stack.undo()
    assert [(s.name, s.type.value) for s in store.speakers()] == [
        ("Anna Smith", "person"),
        ("The ministry", "organisation"),
    ]


def test_shortcuts_dialog_lists_every_action(qtbot, window: MainWindow) -> None:
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    rows = dialog.rows()
    actions = [a for _, group in window.menu_actions.shortcut_groups() for a in group if a.text()]
    assert len(rows) == len(actions) > 30
    assert all(keys for _, _, keys in rows)
    assert ("Review", "Accept", "A") in rows
    assert len({keys for _, _, keys in rows}) == len(rows)  # no key does two things


def test_busy_project_is_a_message_and_nothing_is_lost(qtbot, window: MainWindow) -> None:
    store = window.session.store
    store.timeout = 0.2
    store.db.conn.execute("PRAGMA busy_timeout = 200")
    first = store.all_quotes()[0]
    window.select_quote(first.id)
    con = sqlite3.connect(store.path, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")  # another program is writing the project
    try:
        key(qtbot, window, Qt.Key.Key_A)
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert "busy" in window.last_error and "close it and try again" in window.last_error
    assert window.message_bar.isVisible() and window.isVisible()
    assert window.session.undo_stack.count() == 0
    assert store.quote(first.id).status is Status.SUGGESTED
    key(qtbot, window, Qt.Key.Key_A)  # once the other program is done, the same key works
    assert stored(store.path, "SELECT status FROM quotes WHERE id = ?", [first.id]) == [("accepted",)]


def test_project_that_is_not_a_project_is_a_message(window: MainWindow, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("just some text, not SQLite")
    assert not window.open_project(bogus, create=False)
    assert "not a SQLite database" in window.last_error
    assert window.session is not None and window.quotes_model.rowCount() == 3  # still on the old project


def test_unreadable_file_is_a_message(window: MainWindow, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait")
    assert window.import_paths([bad]) == []
    assert "bad.txt" in window.last_error and "UTF-8" in window.last_error
    assert window.docs_model.rowCount() == 1


def test_window_state_is_remembered(qtbot, window: MainWindow, settings) -> None:
    window.main_split.setSizes([200, 700, 400])
    sizes = window.main_split.sizes()
    window.close()
    again = MainWindow(settings)
    again.model_error = "not needed"
    qtbot.addWidget(again)
    again.show()

    # the offscreen screen is smaller than the window, so the sizes come back scaled down
    def shares(xs):
        return [x / sum(xs) for x in xs]

    assert shares(again.main_split.sizes()) == pytest.approx(shares(sizes), abs=0.01)
    assert shares(sizes) != pytest.approx(shares([240, 770, 350]), abs=0.01)  # not the defaults
    assert settings.recent_projects()[0].endswith("test.qbproj")


def test_split_paths() -> None:
    assert split_paths(["a.txt", "p.qbproj", "b.md", "x.DB"]) == ("x.DB", ["a.txt", "b.md"])
    assert split_paths([]) == (None, [])


def test_import_folder_and_jsonl_then_export(window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("Ann said “one”.", encoding="utf-8")
    (folder / "two.md").write_text("Bob said “two”.", encoding="utf-8")
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text('{"id": "three", "text": "Cy said “three”."}\n', encoding="utf-8")
    ids = window.import_paths([folder, jsonl])
    assert len(ids) == 3
    assert [window.docs_model.document_at(r).title for r in range(window.docs_model.rowCount())] == [
        "plan",
        "one",
        "two",
        "three",
    ]
    assert window.doc_id == ids[0] and window.article.view.text() == "Ann said “one”."
    out = tmp_path / "out.jsonl"
    assert window.export_to("jsonl", str(out))
    assert out.read_text(encoding="utf-8").count("\n") >= 4
    assert not window.export_to("csv", str(tmp_path / "missing" / "dir" / "x.csv"))
    assert window.last_error.startswith("Export failed") and "x.csv" in window.last_error


def test_recent_projects_menu(window: MainWindow, tmp_path: Path) -> None:
    other = tmp_path / "second.qbproj"
    assert window.open_project(other, create=True, ask=False)
    window.menu_actions.fill_recent()
    paths = [a.text() for a in window.menu_actions.recent_menu.actions()]
    assert paths[0] == str(other) and paths[1].endswith("test.qbproj")
    window.menu_actions.recent_menu.actions()[1].trigger()
    assert window.session.path.endswith("test.qbproj") and window.quotes_model.rowCount() == 3


def test_results_of_a_run_never_go_into_another_project(qtbot, window: MainWindow, tmp_path: Path) -> None:
    import threading

    from quotebench.core.model import Span, Suggestion

    release = threading.Event()

    class SlowEngine:
        def quotes(self, text: str) -> list[Suggestion]:
            release.wait(10)
            return [Suggestion(Span(0, 4, text[:4]), Kind.INDIRECT, speaker=f"Reader of {text.split()[0]}")]

        def close(self) -> None:
            release.set()

    window.model_error = None
    window.engine = SlowEngine()
    window.suggest_current()
    assert window.busy
    other = tmp_path / "other.qbproj"
    with Store.open(other, create=True) as s:
        s.add_document("Text of another project, said nobody.", title="other")
    assert window.open_project(other, create=False)
    with qtbot.waitSignal(window.engine_idle, timeout=10_000):
        release.set()
    # the other project got its own suggestions (it had none) and nothing of the first run
    assert [s.name for s in window.session.store.speakers()] == ["Reader of Text"]
    assert len(window.session.store.all_quotes()) == 1
    assert stored(tmp_path / "test.qbproj", "SELECT count(*) FROM quotes WHERE rule = ''") == [(3,)]


def test_import_is_undoable(window: MainWindow, tmp_path: Path) -> None:
    store = window.session.store
    before = (store.documents(), store.all_quotes(), store.speakers())
    jsonl = tmp_path / "annotated.jsonl"
    jsonl.write_text(
        '{"id": "new", "text": "Zoe Quill said “hello”.", '
        '"quotes": [{"start": 15, "end": 22, "kind": "direct", '
        '"speaker": "Zoe Quill", "speaker_start": 0, "speaker_end": 9}]}\n',
        encoding="utf-8",
    )
    (ids,) = [window.import_paths([jsonl], quotes="accepted")]
    assert len(ids) == 1 and window.doc_id == ids[0]
    assert store.find_speaker("Zoe Quill") is not None and len(store.all_quotes()) == 4
    window.undo()
    assert (store.documents(), store.all_quotes(), store.speakers()) == before
    assert window.docs_model.rowCount() == 1 and window.doc_id == before[0][0].id
    window.redo()
    assert [d.title for d in store.documents()] == ["plan", "new"]
    assert store.find_speaker("Zoe Quill").n_quotes == 1
    assert window.docs_model.rowCount() == 2
