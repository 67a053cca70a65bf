"""The engine's evidence in a column of its own, never in the researcher's note (issue 10, bug 11)."""

from __future__ import annotations

import csv
import sqlite3

from quotebench.core.formats.exporters import export
from quotebench.core.formats.importers import import_paths
from quotebench.core.model import Evidence, Kind, Span, SpeakerType, Suggestion
from quotebench.core.project.store import Store

TEXT = 'He said "we will stay" and left. The minister said "nothing is agreed".'


def suggestions() -> list[Suggestion]:
    out = []
    for needle, notes in (
        ('"we will stay"', ("pronoun 'He' resolved to Ann Lee",)),
        ('"nothing is agreed"', ()),
    ):
        start = TEXT.index(needle)
        out.append(
            Suggestion(
                Span(start, start + len(needle), needle),
                Kind.DIRECT,
                speaker="Ann Lee",
                speaker_type=SpeakerType.PERSON,
                confidence=0.9,
                evidence=Evidence("direct.said", notes=notes),
            )
        )
    return out


def test_the_engine_writes_evidence_and_leaves_the_note_to_the_researcher(tmp_path) -> None:
    with Store.open(tmp_path / "p.qb", create=True) as store:
        doc, _ = store.add_document(TEXT, title="t")
        store.save_suggestions(doc, suggestions(), "quotebench-engine test")
        first, second = store.quotes_for(doc)
        assert (first.evidence, first.note) == ("pronoun 'He' resolved to Ann Lee", "")
        assert (second.evidence, second.note) == ("", "")
        store.update_quote(second.id, note="check the speaker")
        store.delete_quote(first.id)
        store.restore_quote(first)
        assert store.quote(first.id).evidence == first.evidence


def test_exports_carry_evidence_and_a_jsonl_round_trip_is_byte_identical(tmp_path) -> None:
    with Store.open(tmp_path / "p.qb", create=True) as store:
        doc, _ = store.add_document(TEXT, title="t")
        store.save_suggestions(doc, suggestions(), "quotebench-engine test")
        export(store, "jsonl", tmp_path / "one.jsonl")
        export(store, "csv", tmp_path / "quotes.csv")
        quotes = store.all_quotes()
    assert '"evidence":"pronoun \'He\' resolved to Ann Lee"' in (tmp_path / "one.jsonl").read_text()
    with Store.open(tmp_path / "q.qb", create=True) as other:
        import_paths(other, [tmp_path / "one.jsonl"])
        assert [q.evidence for q in other.all_quotes()] == [q.evidence for q in quotes]
        export(other, "jsonl", tmp_path / "two.jsonl")
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    with (tmp_path / "quotes.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["evidence"] == "pronoun 'He' resolved to Ann Lee" and rows[0]["note"] == ""


def test_the_upgrade_moves_untouched_suggestions_notes_into_evidence(tmp_path) -> None:
    path = tmp_path / "p.qb"
    with Store.open(path, create=True) as store:
        doc, _ = store.add_document(TEXT, title="t")
        store.save_suggestions(doc, suggestions(), "quotebench-engine test")
        first, second = store.quotes_for(doc)
    conn = sqlite3.connect(path)  # as an older version left it: the evidence in the note
    with conn:
        conn.execute("UPDATE quotes SET note = evidence, evidence = ''")
        conn.execute("UPDATE quotes SET note = 'mine', modified = 'later' WHERE id = ?", [second.id])
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_quote_evidence'")
        conn.execute("ALTER TABLE quotes DROP COLUMN evidence")
    conn.close()
    with Store.open(path) as store:
        assert (store.quote(first.id).evidence, store.quote(first.id).note) == (first.evidence, "")
        assert (store.quote(second.id).evidence, store.quote(second.id).note) == ("", "mine")


def test_speakers_with_no_quotes_are_in_no_export(tmp_path) -> None:
    """Issue 10, bug 10: "Bill (0)" stayed in every export's speaker list."""
    import json

    with Store.open(tmp_path / "p.qb", create=True) as store:
        doc, _ = store.add_document(TEXT, title="t")
        store.save_suggestions(doc, suggestions(), "quotebench-engine test")
        store.add_speaker("Bill")
        for fmt, out in (("jsonl", "p.jsonl"), ("csv", "q.csv"), ("tei", "p.xml")):
            export(store, fmt, tmp_path / out)
    header = json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert [s["name"] for s in header["speakers"]] == ["Ann Lee"]
    speaker_tables = [p for p in tmp_path.iterdir() if p.suffix == ".csv" and p.name != "q.csv"]
    assert speaker_tables and all("Bill" not in p.read_text(encoding="utf-8") for p in speaker_tables)
    assert "Bill" not in (tmp_path / "p.xml").read_text(encoding="utf-8")
