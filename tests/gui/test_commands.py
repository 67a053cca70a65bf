"""Each undo command changes the store, and undo and redo put it back exactly."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from quotebench.core.model import Kind, SpeakerType, Status
from quotebench.core.project.store import Store
from quotebench.gui.commands import (
    AddQuoteCommand,
    DeleteQuotesCommand,
    EditQuotesCommand,
    MergeSpeakersCommand,
    RenameSpeakerCommand,
    SetSpeakerCommand,
    SetSpeakerTypeCommand,
    SetStatusCommand,
    SplitAliasCommand,
)
from quotebench.gui.session import Session


def snapshot(store: Store) -> tuple:
    """Every quote and speaker as stored (all fields, times included)."""
    return (tuple(store.all_quotes()), tuple(store.speakers()))


def quote_ids(store: Store) -> list[int]:
    return [q.id for q in store.all_quotes()]


def check_round_trip(session: Session, command, changed: Callable[[Store], None]) -> None:
    """Push, check the edit, undo to the exact earlier state, redo to the edit again."""
    store = session.store
    before = snapshot(store)
    emitted = []
    session.changed.connect(emitted.append)
    assert session.push(command)
    changed(store)
    after = snapshot(store)
    assert after != before
    assert emitted and emitted[-1]
    session.undo_stack.undo()
    assert snapshot(store) == before
    session.undo_stack.redo()
    changed(store)
    redone = snapshot(store)

    # a redo writes new modification times; everything else is as after the first run
    def strip(snap):
        return (
            tuple(
                q.__class__(**{**{f: getattr(q, f) for f in q.__slots__}, "modified": "", "annotator": ""})
                for q in snap[0]
            ),
            snap[1],
        )

    assert strip(redone) == strip(after)
    session.undo_stack.undo()
    assert snapshot(store) == before


def test_add_quote(session: Session) -> None:
    store = session.store
    doc = store.documents()[0].id
    text = store.document(doc).text
    start = text.index("no comment")
    cmd = AddQuoteCommand(session, doc, start, start + 10, Kind.INDIRECT)

    def changed(s: Store) -> None:
        q = s.quote(cmd.quote_id)
        assert (q.start, q.end, q.text, q.status) == (start, start + 10, "no comment", Status.ACCEPTED)

    check_round_trip(session, cmd, changed)
    session.undo_stack.redo()
    assert cmd.quote_id in quote_ids(store)  # the same id after redo


def test_delete_quotes(session: Session) -> None:
    ids = quote_ids(session.store)[:2]
    check_round_trip(
        session,
        DeleteQuotesCommand(session, ids),
        lambda s: [pytest.fail() for i in ids if i in quote_ids(s)],
    )


def test_accept_and_reject(session: Session) -> None:
    first, second, _ = quote_ids(session.store)
    check_round_trip(
        session,
        SetStatusCommand(session, [first], Status.ACCEPTED),
        lambda s: s.quote(first).status is Status.ACCEPTED or pytest.fail(),
    )
    check_round_trip(
        session,
        SetStatusCommand(session, [first, second], Status.REJECTED),
        lambda s: {s.quote(first).status, s.quote(second).status} == {Status.REJECTED} or pytest.fail(),
    )


def test_undone_accept_leaves_an_untouched_suggestion(session: Session) -> None:
    first = quote_ids(session.store)[0]
    before = session.store.quote(first)
    session.push(SetStatusCommand(session, [first], Status.ACCEPTED))
    session.undo_stack.undo()
    after = session.store.quote(first)
    assert after == before and after.created == after.modified


def test_boundaries_keep_speaker_and_cue(session: Session) -> None:
    q = session.store.all_quotes()[0]

    def changed(s: Store) -> None:
        new = s.quote(q.id)
        assert (new.start, new.end) == (q.start, q.end - 5)
        assert (new.speaker_id, new.cue_start, new.cue_end, new.mention_start) == (
            q.speaker_id,
            q.cue_start,
            q.cue_end,
            q.mention_start,
        )

    check_round_trip(
        session,
        EditQuotesCommand(session, "Change boundaries", [q.id], start=q.start, end=q.end - 5),
        changed,
    )


@pytest.mark.parametrize("fields", [{"kind": Kind.MIXED}, {"note": "check the video"}])
def test_edit_fields(session: Session, fields: dict) -> None:
    qid = quote_ids(session.store)[1]
    key, value = next(iter(fields.items()))
    check_round_trip(
        session,
        EditQuotesCommand(session, "Edit", [qid], **fields),
        lambda s: getattr(s.quote(qid), key) == value or pytest.fail(),
    )


def test_set_known_speaker_by_alias(session: Session) -> None:
    store = session.store
    qid = quote_ids(store)[2]
    anna = store.find_speaker("Anna Smith").id
    check_round_trip(
        session,
        SetSpeakerCommand(session, [qid], "smith"),
        lambda s: s.quote(qid).speaker_id == anna or pytest.fail(),
    )


def test_set_new_speaker_from_mention(session: Session) -> None:
    store = session.store
    qid = quote_ids(store)[1]
    text = store.document(store.quote(qid).document_id).text
    m = text.index("she")
    n_speakers = len(store.speakers())
    cmd = SetSpeakerCommand(session, [qid], "Reporter Jones", mention=(m, m + 3))

    def changed(s: Store) -> None:
        q = s.quote(qid)
        assert q.speaker_name == "Reporter Jones" and (q.mention_start, q.mention_end) == (m, m + 3)
        assert len(s.speakers()) == n_speakers + 1

    check_round_trip(session, cmd, changed)
    assert len(store.speakers()) == n_speakers


def test_rename_speaker(session: Session) -> None:
    sid = session.store.find_speaker("Anna Smith").id
    check_round_trip(
        session,
        RenameSpeakerCommand(session, sid, "Anna B. Smith"),
        lambda s: s.speaker(sid).name == "Anna B. Smith" or pytest.fail(),
    )


def test_rename_to_alias_gives_alias_back_on_undo(session: Session) -> None:
    sid = session.store.find_speaker("Anna Smith").id
    check_round_trip(
        session,
        RenameSpeakerCommand(session, sid, "Smith"),
        lambda s: (s.speaker(sid).name, s.speaker(sid).aliases) == ("Smith", ()) or pytest.fail(),
    )
    assert session.store.speaker(sid).aliases == ("Smith",)


def test_speaker_type(session: Session) -> None:
    sid = session.store.find_speaker("The ministry").id
    check_round_trip(
        session,
        SetSpeakerTypeCommand(session, sid, SpeakerType.PERSON),
        lambda s: s.speaker(sid).type is SpeakerType.PERSON or pytest.fail(),
    )


def test_merge_speakers(session: Session) -> None:
    store = session.store
    anna, ministry = store.find_speaker("Anna Smith").id, store.find_speaker("The ministry").id

    def changed(s: Store) -> None:
        assert [sp.id for sp in s.speakers()] == [anna]
        assert {q.speaker_id for q in s.all_quotes()} == {anna}
        assert "The ministry" in s.speaker(anna).aliases

    check_round_trip(session, MergeSpeakersCommand(session, anna, ministry), changed)


def test_split_alias(session: Session) -> None:
    store = session.store
    anna = store.find_speaker("Anna Smith").id
    cmd = SplitAliasCommand(session, anna, "Smith")

    def changed(s: Store) -> None:
        assert s.find_speaker("Smith").id == cmd.new_id != anna
        assert "Smith" not in s.speaker(anna).aliases

    check_round_trip(session, cmd, changed)


def test_failed_edit_is_not_pushed_and_is_reported(session: Session) -> None:
    doc = session.store.documents()[0].id
    messages = []
    session.failed.connect(messages.append)
    assert not session.push(AddQuoteCommand(session, doc, 5, 10_000, Kind.DIRECT))
    assert session.undo_stack.count() == 0
    assert messages and "E025" in messages[0]


def test_busy_project_on_undo_is_reported_and_dropped(session: Session, tmp_path) -> None:
    store = session.store
    store.timeout = 0.1
    store.db.conn.execute("PRAGMA busy_timeout = 100")
    qid = quote_ids(store)[0]
    assert session.push(SetStatusCommand(session, [qid], Status.ACCEPTED))
    messages = []
    session.failed.connect(messages.append)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        session.undo_stack.undo()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert messages and "busy" in messages[0]
    assert store.quote(qid).status is Status.ACCEPTED  # nothing half-done
    assert session.undo_stack.count() == 0  # the stack does not claim an undo it could not make


def test_suggestions_are_stored_through_the_session(qtbot, session: Session) -> None:
    """The engine's results go through the session: at once, or batched with ``defer``."""
    from quotebench.core.model import Span, Suggestion
    from quotebench.gui.session import ENGINE_ORIGIN

    store = session.store
    doc_id = store.documents()[0].id
    text = store.document(doc_id).text or ""
    start = text.index("The ministry")
    suggestion = Suggestion(Span(start, start + 12, text[start : start + 12]), Kind.INDIRECT, speaker="Ed")
    emitted = []
    session.changed.connect(emitted.append)
    changes = session.save_suggestions(doc_id, [suggestion], defer=True)
    assert doc_id in changes.documents and not emitted  # waits to be announced
    with qtbot.waitSignal(session.changed, timeout=2_000):
        pass  # announced on its own a little later
    assert emitted == [changes]
    session.save_suggestions(doc_id, [suggestion])
    assert len(emitted) == 2  # at once
    assert [q.origin for q in store.quotes_for(doc_id) if q.start == start] == [ENGINE_ORIGIN]
