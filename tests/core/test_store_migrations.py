"""Upgrading a project written by an earlier Quotebench keeps every row and allows what is new."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from quotebench.core.errors import StoreError
from quotebench.core.model import SpeakerType
from quotebench.core.project.migrations import known, migrations
from quotebench.core.project.store import Store

TEXT = "Mayor Ann Cole said the bridge would open in May. A new report says traffic will double."


def _old_project(path: Path) -> None:
    """A project at the schema before document speakers, with a speaker, an alias and a quote."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    migrations.apply(db, stop_before="m003_document_speakers")
    db.execute("INSERT INTO speakers (id, name, key, type) VALUES (7, 'Ann Cole', 'ann cole', 'person')")
    db.execute("INSERT INTO aliases (speaker_id, alias, key) VALUES (7, 'Mayor Cole', 'mayor cole')")
    db.execute(
        "INSERT INTO documents (id, title, source, sha256, imported_at, length, text) "
        "VALUES (1, 'bridge', '', 'x', '2026-01-01T00:00:00Z', ?, ?)",
        [len(TEXT), TEXT],
    )
    db.execute(
        'INSERT INTO quotes (document_id, start, "end", text, kind, speaker_id, status, origin, created, '
        "modified, annotator) VALUES (1, 16, 48, ?, 'indirect', 7, 'accepted', 'a', 't', 't', 'a')",
        [TEXT[16:48]],
    )
    conn.close()


def test_the_old_schema_refuses_a_document_speaker(tmp_path: Path) -> None:
    path = tmp_path / "old.qbproj"
    _old_project(path)
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("INSERT INTO speakers (name, key, type) VALUES ('A report', 'a report', 'document')")
    conn.close()


def test_an_old_project_upgrades_with_every_row_and_takes_document_speakers(tmp_path: Path) -> None:
    path = tmp_path / "old.qbproj"
    _old_project(path)
    store = Store.open(path)
    try:
        assert store.schema_version() == len(known())
        (speaker,) = store.speakers()
        assert (speaker.id, speaker.name, speaker.type, speaker.aliases) == (
            7,
            "Ann Cole",
            SpeakerType.PERSON,
            ("Mayor Cole",),
        )
        (quote,) = store.quotes_for(1)
        assert quote.speaker_id == 7
        report_id, _ = store.add_speaker("A new report", SpeakerType.DOCUMENT)
        assert store.speaker(report_id).type is SpeakerType.DOCUMENT
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        # the alias still cascades with its speaker: the rebuilt table kept the references
        store.db.execute("DELETE FROM quotes")
        store.delete_speaker(7)
        assert store.db.execute("SELECT count(*) FROM aliases").fetchone()[0] == 0
    finally:
        store.close()


def test_the_upgrade_is_idempotent_when_its_record_was_lost(tmp_path: Path) -> None:
    """A crash after the rebuild commits but before its record is written: the next open finishes."""
    path = tmp_path / "old.qbproj"
    _old_project(path)
    Store.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_document_speakers'")
    conn.close()
    store = Store.open(path)
    try:
        assert [s.name for s in store.speakers()] == ["Ann Cole"]
        assert store.schema_version() == len(known())
    finally:
        store.close()


def test_an_unknown_speaker_type_is_still_refused(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "new.qbproj")
    try:
        with pytest.raises(StoreError):
            store.add_speaker("Somebody", "ghost")
    finally:
        store.close()


def test_a_suggestion_keeps_both_confidences_through_the_store_and_the_export(tmp_path: Path) -> None:
    import json

    from quotebench.core.formats.exporters import export
    from quotebench.core.model import Evidence, Kind, Span, Suggestion

    store = Store.create(tmp_path / "p.qbproj")
    try:
        doc, _ = store.add_document(TEXT, title="bridge")
        suggestion = Suggestion(
            span=Span(16, 48, TEXT[16:48]),
            kind=Kind.INDIRECT,
            mention=Span(0, 14, TEXT[:14]),
            speaker="Ann Cole",
            speaker_type=SpeakerType.PERSON,
            confidence=0.8912,
            speaker_confidence=0.4321,
            evidence=Evidence("reported.complement"),
        )
        store.save_suggestions(doc, [suggestion], "quotebench-engine test")
        (quote,) = store.quotes_for(doc)
        assert (quote.confidence, quote.speaker_confidence) == (0.891, 0.432)
        export(store, "jsonl", tmp_path / "out.jsonl")
    finally:
        store.close()
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    (record,) = json.loads(lines[1])["quotes"]
    assert (record["confidence"], record["speaker_confidence"]) == (0.891, 0.432)
