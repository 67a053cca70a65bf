"""The project store: schema, documents, quotes, speakers, history, undo inverses."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from quotebench.core.errors import StoreError
from quotebench.core.model import (
    Changes,
    Evidence,
    Kind,
    Span,
    SpeakerType,
    Status,
    Suggestion,
)
from quotebench.core.project.migrations import MIGRATION_SET, known
from quotebench.core.project.store import Store

TEXT = (
    'The minister said the plan was "ready to go". He added: "We will not wait."\n'
    "Officials at the ministry said talks would continue.\n"
    'A spokeswoman, Ann Lee, told reporters: "Nothing is agreed."'
)


def span(text: str, needle: str, start: int = 0) -> Span:
    i = TEXT.index(needle, start)
    return Span(i, i + len(needle), needle)


@pytest.fixture()
def store(tmp_path):
    with Store.create(tmp_path / "p.qb", annotator="tester") as s:
        yield s


@pytest.fixture()
def doc(store):
    doc_id, _ = store.add_document(TEXT, title="plan", source="plan.txt")
    return doc_id


def test_new_project_has_schema_wal_and_foreign_keys(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    rows = store.conn.execute("SELECT migration_set, name FROM _sqlite_migrations").fetchall()
    assert rows == [(MIGRATION_SET, name) for name in known()]
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "speakers", "aliases", "quotes", "edits"} <= tables


def test_reopen_applies_nothing_twice(tmp_path):
    Store.create(tmp_path / "p.qb").close()
    with Store.open(tmp_path / "p.qb") as s:
        assert s.schema_version() == len(known())


def test_annotator_defaults_to_system_user(tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "sysuser")
    with Store.create(tmp_path / "p.qb") as s:
        assert s.annotator == "sysuser"
        s.add_document("x")
        assert s.history()[-1].annotator == "sysuser"


def test_same_text_is_stored_once(store):
    first = store.add_document("Some text.", title="a")
    second = store.add_document("Some text.", title="b", source="elsewhere")
    assert first == (first[0], True)
    assert second == (first[0], False)
    assert len(store.documents()) == 1


def test_text_can_never_change(store, doc):
    with pytest.raises(sqlite3.IntegrityError, match="never changes"):
        store.conn.execute("UPDATE documents SET text = 'x' WHERE id = ?", [doc])
    assert store.document(doc).text == TEXT


def test_documents_listing_has_counts_but_no_text(store, doc):
    q1, _ = store.add_quote(doc, 31, 44, Kind.DIRECT)
    store.add_quote(doc, 56, 75, Kind.DIRECT, status=Status.SUGGESTED)
    [d] = store.documents()
    assert (d.id, d.title, d.source, d.text, d.n_quotes, d.n_suggested) == (
        doc,
        "plan",
        "plan.txt",
        None,
        2,
        1,
    )
    assert store.document(doc).text == TEXT
    assert store.quote(q1).text == '"ready to go"'


def test_unknown_ids_are_clear_errors(store, doc):
    with pytest.raises(StoreError, match=r"\[E024\] no document with id 99"):
        store.document(99)
    with pytest.raises(StoreError, match=r"\[E024\] no quote with id 5"):
        store.quote(5)
    with pytest.raises(StoreError, match=r"\[E024\] no speaker with id 7"):
        store.add_quote(doc, 0, 3, Kind.DIRECT, speaker_id=7)


@pytest.mark.parametrize(
    "start, end, cue, what",
    [
        (-1, 3, None, "the quote"),
        (5, 5, None, "the quote"),
        (0, len(TEXT) + 1, None, "the quote"),
        (0, 3, (4, 999), "the cue"),
        (4, 2, None, "the quote"),
    ],
)
def test_bad_offsets_are_refused_and_nothing_is_written(store, doc, start, end, cue, what):
    before = store.history()
    with pytest.raises(StoreError, match=rf"\[E025\] bad offsets for {what}"):
        store.add_quote(doc, start, end, Kind.DIRECT, cue=cue)
    assert store.quotes_for(doc) == []
    assert store.history() == before


def test_add_quote_records_origin_and_history(store, doc):
    qid, changes = store.add_quote(doc, 31, 44, "direct", cue=(13, 17), mention=(0, 12))
    assert changes == Changes(documents=frozenset({doc}), quotes_added=frozenset({qid}))
    q = store.quote(qid)
    assert (q.origin, q.annotator, q.status, q.kind) == (
        "annotator:tester",
        "tester",
        Status.ACCEPTED,
        Kind.DIRECT,
    )
    assert q.created == q.modified
    [edit] = store.history(qid)
    assert (edit.action, edit.table, edit.row_id, edit.annotator, edit.before) == (
        "add",
        "quotes",
        qid,
        "tester",
        None,
    )
    assert edit.after["text"] == '"ready to go"'


def test_update_quote_validates_and_keeps_before_and_after(store, doc):
    qid, _ = store.add_quote(doc, 31, 44, Kind.DIRECT)
    changes = store.update_quote(qid, start=32, end=43, kind=Kind.MIXED, note="trimmed marks")
    assert changes.quotes_updated == {qid}
    q = store.quote(qid)
    assert (q.text, q.kind, q.note) == ("ready to go", Kind.MIXED, "trimmed marks")
    assert q.modified > q.created
    edit = store.history(qid)[-1]
    assert (edit.action, edit.before["start"], edit.after["start"]) == ("update", 31, 32)
    with pytest.raises(StoreError, match=r"\[E030\] cannot change 'text'"):
        store.update_quote(qid, text="x")
    with pytest.raises(StoreError, match=r"\[E025\]"):
        store.update_quote(qid, end=10_000)
    with pytest.raises(StoreError, match=r"\[E031\] bad value for kind"):
        store.update_quote(qid, kind="shouted")
    with pytest.raises(StoreError, match=r"\[E025\] bad offsets for the speaker mention"):
        store.update_quote(qid, mention_start=3)  # its end is still missing
    assert store.quote(qid) == q


def test_set_status_is_one_transaction(store, doc):
    a, _ = store.add_quote(doc, 31, 44, Kind.DIRECT, status=Status.SUGGESTED)
    b, _ = store.add_quote(doc, 56, 75, Kind.DIRECT, status=Status.SUGGESTED)
    with pytest.raises(StoreError, match="E024"):
        store.set_status([a, b, 999], Status.ACCEPTED)
    assert {q.status for q in store.quotes_for(doc)} == {Status.SUGGESTED}  # rolled back
    changes = store.set_status([a, b], "accepted")
    assert changes.quotes_updated == {a, b}
    assert {q.status for q in store.quotes_for(doc)} == {Status.ACCEPTED}
    assert store.set_status([a], Status.ACCEPTED).quotes_updated == frozenset()


def test_delete_and_restore_quote_is_exact(store, doc):
    sid, _ = store.add_speaker("The minister")
    qid, _ = store.add_quote(doc, 31, 44, Kind.DIRECT, speaker_id=sid, confidence=0.5, note="n")
    store.add_quote(doc, 56, 75, Kind.DIRECT)
    original = store.quote(qid)
    assert store.delete_quote(qid).quotes_removed == {qid}
    with pytest.raises(StoreError):
        store.quote(qid)
    assert store.restore_quote(original).quotes_added == {qid}
    assert store.quote(qid) == original
    with pytest.raises(StoreError, match="E036"):
        store.restore_quote(original)
    assert [e.action for e in store.history(qid)] == ["add", "delete", "restore"]


def test_quotes_for_is_sorted_by_start(store, doc):
    store.add_quote(doc, 56, 75, Kind.DIRECT)
    store.add_quote(doc, 0, 12, Kind.INDIRECT)
    store.add_quote(doc, 31, 44, Kind.DIRECT)
    assert [q.start for q in store.quotes_for(doc)] == [0, 31, 56]
    assert [q.start for q in store.all_quotes()] == [0, 31, 56]


def test_delete_document_removes_its_quotes(store, doc):
    qid, _ = store.add_quote(doc, 31, 44, Kind.DIRECT)
    changes = store.delete_document(doc)
    assert changes == Changes(documents=frozenset({doc}), quotes_removed=frozenset({qid}))
    assert store.documents() == [] and store.all_quotes() == []


# --- speakers ------------------------------------------------------------------------------


def test_speakers_names_aliases_and_lookup(store):
    sid, changes = store.add_speaker("Ann Lee", SpeakerType.PERSON)
    assert changes.speakers == {sid}
    store.add_alias(sid, "the spokeswoman")
    store.add_alias(sid, "The Spokeswoman")  # already known: case-insensitive
    store.add_alias(sid, "ann lee")  # her own name: not an alias
    assert store.speaker(sid).aliases == ("the spokeswoman",)
    assert store.find_speaker("ANN LEE").id == sid
    assert store.find_speaker("the SPOKESWOMAN").id == sid
    assert store.find_speaker("nobody") is None
    with pytest.raises(StoreError, match=r"\[E026\] there is already a speaker called 'ann lee'"):
        store.add_speaker("ann lee")
    store.rename_speaker(sid, "Ann B. Lee")
    store.set_speaker_type(sid, "organisation")
    store.set_speaker_notes(sid, "press office")
    sp = store.speaker(sid)
    assert (sp.name, sp.type, sp.notes) == ("Ann B. Lee", SpeakerType.ORGANISATION, "press office")
    store.remove_alias(sid, "THE spokeswoman")
    assert store.speaker(sid).aliases == ()
    with pytest.raises(StoreError, match="E032"):
        store.remove_alias(sid, "nope")
    with pytest.raises(StoreError, match="E031"):
        store.add_speaker("   ")
    with pytest.raises(StoreError, match="E031"):
        store.set_speaker_type(sid, "robot")


def test_delete_speaker_only_if_unused(store, doc):
    used, _ = store.add_speaker("A")
    unused, _ = store.add_speaker("B")
    store.add_quote(doc, 31, 44, Kind.DIRECT, speaker_id=used)
    with pytest.raises(StoreError, match=r"\[E027\] speaker 'A' still has 1 quote"):
        store.delete_speaker(used)
    store.delete_speaker(unused)
    assert [s.name for s in store.speakers()] == ["A"]


def _snapshot(store):
    return store.speakers(), store.all_quotes()


def test_merge_and_unmerge_are_exact_inverses(store, doc):
    keep, _ = store.add_speaker("Ministry", SpeakerType.ORGANISATION)
    gone, _ = store.add_speaker("Officials at the ministry", SpeakerType.UNKNOWN)
    store.set_speaker_notes(gone, "unnamed")
    store.add_alias(gone, "officials")
    store.add_alias(keep, "the ministry")
    a, _ = store.add_quote(doc, 107, 127, Kind.INDIRECT, speaker_id=gone)
    b, _ = store.add_quote(doc, 31, 44, Kind.DIRECT, speaker_id=keep)
    before = _snapshot(store)
    record, changes = store.merge_speakers(keep, gone)
    assert changes.speakers == {keep, gone} and changes.quotes_updated == {a}
    merged = store.speaker(keep)
    assert merged.aliases == ("officials", "Officials at the ministry", "the ministry")
    assert merged.n_quotes == 2
    assert store.quote(a).speaker_id == keep
    with pytest.raises(StoreError):
        store.speaker(gone)
    store.unmerge(record)
    assert _snapshot(store) == before
    assert store.quote(b).speaker_id == keep


def test_split_alias_and_its_undo_are_exact(store, doc):
    sid, _ = store.add_speaker("Ann Lee", SpeakerType.PERSON)
    store.add_alias(sid, "A spokeswoman")
    store.add_alias(sid, "Lee")
    mention = span(TEXT, "A spokeswoman")
    a, _ = store.add_quote(doc, 169, 189, Kind.DIRECT, mention=(mention.start, mention.end), speaker_id=sid)
    b, _ = store.add_quote(doc, 31, 44, Kind.DIRECT, speaker_id=sid)
    before = _snapshot(store)
    new_id, changes = store.split_alias(sid, "a spokeswoman")
    assert changes.quotes_updated == {a}
    new = store.speaker(new_id)
    assert (new.name, new.type, new.n_quotes) == ("A spokeswoman", SpeakerType.PERSON, 1)
    assert store.speaker(sid).aliases == ("Lee",)
    assert store.quote(b).speaker_id == sid
    store.unsplit_alias(sid, new_id, "A spokeswoman")
    assert _snapshot(store) == before
    record, _ = store.split_alias_record(sid, "A spokeswoman")
    store.unsplit(record)
    assert _snapshot(store) == before


# --- engine results ------------------------------------------------------------------------


def suggestion(
    needle: str, *, speaker: str | None = None, mention: str | None = None, conf: float = 0.8
) -> Suggestion:
    return Suggestion(
        span=span(TEXT, needle),
        kind=Kind.DIRECT if needle.startswith('"') else Kind.INDIRECT,
        mention=span(TEXT, mention) if mention else None,
        cue=None,
        speaker=speaker,
        speaker_type=SpeakerType.PERSON if speaker else SpeakerType.UNKNOWN,
        confidence=conf,
        evidence=Evidence("test.rule"),
    )


def test_save_suggestions_creates_speakers_and_aliases(store, doc):
    quotes = [
        suggestion('"ready to go"', speaker="The minister", mention="The minister"),
        suggestion('"We will not wait."', speaker="The minister", mention="He"),
        suggestion('"Nothing is agreed."', speaker="Ann Lee", mention="A spokeswoman"),
    ]
    assert store.documents_without_suggestions() == [doc]
    changes = store.save_suggestions(doc, quotes, "quotebench-engine 0.1.0")
    assert len(changes.quotes_added) == 3
    assert store.documents_without_suggestions() == []
    stored = store.quotes_for(doc)
    assert {q.status for q in stored} == {Status.SUGGESTED}
    assert {q.origin for q in stored} == {"quotebench-engine 0.1.0"}
    assert [q.speaker_name for q in stored] == ["The minister", "The minister", "Ann Lee"]
    by_name = {s.name: s for s in store.speakers()}
    assert by_name["Ann Lee"].aliases == ("A spokeswoman",)
    assert by_name["The minister"].aliases == ()  # "He" is a pronoun; the name is no alias
    assert by_name["Ann Lee"].type is SpeakerType.PERSON
    assert stored[0].rule == "test.rule"


def test_later_run_never_overwrites_a_researchers_work(store, doc):
    origin = "quotebench-engine 0.1.0"
    store.save_suggestions(
        doc,
        [
            suggestion('"ready to go"'),
            suggestion('"We will not wait."'),
            suggestion('"Nothing is agreed."'),
            suggestion("talks would continue"),
        ],
        origin,
    )
    ready, wait, talks, nothing = store.quotes_for(doc)
    store.set_status([ready.id], Status.ACCEPTED)
    store.update_quote(wait.id, note="checked")  # edited, still suggested
    store.set_status([nothing.id], Status.REJECTED)
    # talks stays an untouched suggestion: it is replaced by the new run
    rerun = [
        suggestion('"ready to go"', conf=0.9),
        suggestion('"We will not wait."', conf=0.9),
        suggestion('"Nothing is agreed."', conf=0.9),
        suggestion("talks would continue", conf=0.9),
    ]
    changes = store.save_suggestions(doc, rerun, "quotebench-engine 0.2.0")
    after = store.quotes_for(doc)
    assert len(after) == 4
    assert [q.status for q in after] == [Status.ACCEPTED, Status.SUGGESTED, Status.SUGGESTED, Status.REJECTED]
    assert after[0] == store.quote(ready.id) and after[0].origin == origin
    assert store.quote(wait.id).note == "checked"
    new_talks = after[2]
    assert (new_talks.confidence, new_talks.origin) == (0.9, "quotebench-engine 0.2.0")
    assert changes.quotes_removed | changes.quotes_updated == {talks.id}


def test_history_tells_how_an_annotation_came_to_be(tmp_path, doc, store):
    store.save_suggestions(doc, [suggestion('"ready to go"')], "quotebench-engine 0.1.0")
    [q] = store.quotes_for(doc)
    with Store.open(store.path, annotator="second") as other:
        other.set_status([q.id], Status.ACCEPTED)
    store.update_quote(q.id, note="ok")
    steps = [(e.annotator, e.action, (e.after or {}).get("status")) for e in store.history(q.id)]
    assert steps == [
        ("tester", "suggest", "suggested"),
        ("second", "update", "accepted"),
        ("tester", "update", "accepted"),
    ]
    assert store.history(limit=2)[-1].after["note"] == "ok"


def test_stats_counts_by_status_kind_and_speaker(store, doc):
    sid, _ = store.add_speaker("Ann Lee")
    store.add_quote(doc, 31, 44, Kind.DIRECT, speaker_id=sid)
    store.add_quote(doc, 56, 75, Kind.DIRECT, speaker_id=sid, status=Status.REJECTED)
    store.add_quote(doc, 107, 127, Kind.INDIRECT)
    stats = store.stats()
    assert stats["documents"] == 1 and stats["quotes"] == 3 and stats["speakers"] == 1
    assert stats["by_status"] == {"suggested": 0, "accepted": 2, "rejected": 1}
    assert stats["by_kind"] == {"direct": 2, "indirect": 1, "mixed": 0}
    assert stats["by_speaker"] == {"Ann Lee": 2, None: 1}


def test_batch_rolls_back_everything_on_error(store, doc):
    with pytest.raises(RuntimeError), store.batch():
        store.add_document("another text")
        store.add_quote(doc, 31, 44, Kind.DIRECT)
        raise RuntimeError("half-way")
    assert len(store.documents()) == 1 and store.all_quotes() == []


def test_annotation_is_a_frozen_value(store, doc):
    qid, _ = store.add_quote(doc, 31, 44, Kind.DIRECT)
    q = store.quote(qid)
    with pytest.raises(AttributeError):
        q.start = 3  # type: ignore[misc]
    assert replace(q, note="x") != q


def test_sqlite_utils_opens_the_project_as_it_is(store, doc):
    """The file is plain SQLite: sqlite-utils (and so Datasette) read it with no help."""
    from sqlite_utils import Database

    store.add_quote(doc, 31, 44, Kind.DIRECT)
    db = Database(store.path)
    assert set(db.table_names()) == {
        "_sqlite_migrations",
        "documents",
        "speakers",
        "aliases",
        "quotes",
        "edits",
        "document_metadata",
        "speaker_attributes",
        "document_reviews",
        "project_info",
        # m009's full-text index of the quotes, which sqlite-utils and Datasette find
        "quotes_fts",
        "quotes_fts_config",
        "quotes_fts_data",
        "quotes_fts_docsize",
        "quotes_fts_idx",
    }
    assert db["quotes"].detect_fts() == "quotes_fts"
    assert {name: str(t) for name, t in db["quotes"].columns_dict.items()} == {
        "id": "<class 'int'>",
        "document_id": "<class 'int'>",
        "start": "<class 'int'>",
        "end": "<class 'int'>",
        "text": "<class 'str'>",
        "kind": "<class 'str'>",
        "cue_start": "<class 'int'>",
        "cue_end": "<class 'int'>",
        "mention_start": "<class 'int'>",
        "mention_end": "<class 'int'>",
        "speaker_id": "<class 'int'>",
        "status": "<class 'str'>",
        "confidence": "<class 'float'>",
        "speaker_confidence": "<class 'float'>",
        "origin": "<class 'str'>",
        "rule": "<class 'str'>",
        "note": "<class 'str'>",
        "annotator": "<class 'str'>",
        "created": "<class 'str'>",
        "modified": "<class 'str'>",
        "original": "<class 'str'>",
        "evidence": "<class 'str'>",
    }
    assert {(fk.column, fk.other_table) for fk in db["quotes"].foreign_keys} == {
        ("document_id", "documents"),
        ("speaker_id", "speakers"),
    }
    [row] = list(db["quotes"].rows)
    assert row["text"] == '"ready to go"' and row["status"] == "accepted"
    assert db["documents"].count == 1
    db.close()
