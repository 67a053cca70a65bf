"""Bulk import (core/formats/bulk_import.py, core/project/bulk.py): the same quotes as the classic
import, suggestions from a sharded extract, checked manifests, batches, and bad records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quotebench.core.batch.local import InProcess
from quotebench.core.batch.runner import run_sharded
from quotebench.core.batch.work import EngineSpec
from quotebench.core.cli import cli
from quotebench.core.errors import InputError, QuotebenchError
from quotebench.core.formats.bulk_import import bulk_import
from quotebench.core.formats.importers import import_paths
from quotebench.core.project.store import Store

NAMES = ["Ana Ruiz", "Tom Park", "the ministry"]


def _record(i: int) -> dict[str, Any]:
    who = NAMES[i % 3]
    text = f'{who} said: "Plan {i} is ready." Later {who} added that costs would rise by {i} percent.'
    q1 = text.index('"Plan')
    q2 = text.index("costs")
    return {
        "id": f"r{i}",
        "text": text,
        "quotes": [
            {
                "start": q1,
                "end": text.index('."') + 2,
                "kind": "direct",
                "speaker": who,
                "speaker_start": 0,
                "speaker_end": len(who),
                "cue_start": len(who) + 1,
                "cue_end": len(who) + 5,
            },
            {"start": q2, "end": len(text) - 1, "kind": "indirect", "entity": who, "confidence": 0.75},
        ],
    }


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _quotes(store: Store) -> list[tuple[Any, ...]]:
    """Every stored quote but its status (what a JSONL's quotes become is the import's choice)."""
    return sorted(
        (q.document_id, q.start, q.end, q.text, q.kind.value, q.cue_start, q.cue_end, q.mention_start)
        + (q.speaker_name, q.confidence, q.origin)
        for q in store.all_quotes()
    )


def test_bulk_stores_what_the_classic_import_stores(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", [_record(i) for i in range(25)])
    with Store.create(tmp_path / "classic.qb") as classic:
        import_paths(classic, [src])
        expected = _quotes(classic)
        classic_docs = [(d.title, d.sha256) for d in classic.documents()]
    with Store.create(tmp_path / "bulk.qb") as store:
        report = bulk_import(store, [src], batch=10)
        assert (report.documents, report.quotes, report.speakers) == (25, 50, 3)
        assert _quotes(store) == expected
        assert {q.status.value for q in store.all_quotes()} == {"accepted"}
        assert [(d.title, d.sha256) for d in store.documents()] == classic_docs
        history = store.history(limit=10_000)
        logged = [(e.action, e.table, e.row_id) for e in history if e.table in ("documents", "quotes")]
        assert sorted(logged) == sorted(
            [("add", "documents", d.id) for d in store.documents()]
            + [("add", "quotes", q.id) for q in store.all_quotes()]
        )
        [row] = [e.after for e in store.history(limit=10_000) if e.table == "quotes" and e.row_id == 1]
        assert row is not None and row["text"] == '"Plan 0 is ready."' and row["speaker_id"] is not None
        stored = store.db.conn.execute("SELECT * FROM quotes WHERE id = 1")
        assert row == dict(zip([d[0] for d in stored.description], stored.fetchone(), strict=True))
    with Store.open(tmp_path / "bulk.qb") as store:  # a second import recognises every text
        again = bulk_import(store, [src])
        assert (again.documents, again.known, again.quotes) == (0, 25, 0)
        assert len(_quotes(store)) == 50


def test_bulk_stores_the_documents_metadata_as_the_classic_import_does(tmp_path: Path) -> None:
    records = [_record(i) for i in range(6)]
    for i, record in enumerate(records):
        if i % 3:  # every third article comes without any
            record["title"] = f"Harbour story {i}"
            record["meta"] = {"publisher": "Valley News" if i % 2 else "Hill Gazette", "desk": "city"}
            record["publication_date"] = f"2020-0{i}-10T08:00:00Z"
    src = _write(tmp_path / "in.jsonl", records)
    with Store.create(tmp_path / "classic.qb") as classic:
        import_paths(classic, [src])
        expected = [(d.title, classic.document_metadata(d.id)) for d in classic.documents()]
    with Store.create(tmp_path / "bulk.qb") as store:
        bulk_import(store, [src], batch=4)
        got = [(d.title, store.document_metadata(d.id)) for d in store.documents()]
        assert got == expected
        title, meta = got[1]
        assert (title, meta["outlet"], meta["date"], meta["meta"]["desk"]) == (
            "Harbour story 1",
            "Valley News",
            "2020-01-10T08:00:00+00:00",
            "city",
        )
        assert got[0][1]["outlet"] == ""  # an article without any
        assert store.outlets() == [("Hill Gazette", 2), ("Valley News", 2)]
        logged = sorted(e.row_id for e in store.history(limit=10_000) if e.table == "document_metadata")
        assert logged == sorted(d.id for d in store.documents() if store.document_metadata(d.id)["outlet"])


def test_bad_record_names_its_line_and_keeps_the_batches_before(tmp_path: Path) -> None:
    records = [_record(i) for i in range(7)]
    records[5]["quotes"][0]["end"] = 10_000
    src = _write(tmp_path / "in.jsonl", records)
    with Store.create(tmp_path / "p.qb") as store:
        with pytest.raises(InputError, match=r"in\.jsonl:6: \[E034\]"):
            bulk_import(store, [src], batch=2)
        assert len(store.documents()) == 4  # two batches of two; the third had the bad line
        records[5] = _record(5)
        bulk_import(store, [_write(src, records)], batch=2)
        assert len(store.documents()) == 7 and len(_quotes(store)) == 14


def _standin(tmp_path: Path) -> Path:
    """A sharded extract of invented articles (the stand-in engine of test_batch)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    articles = [
        {"id": f"a{i}", "text": _record(i)["text"], "publisher": "Valley News" if i % 2 else "Hill Gazette"}
        for i in range(9)
    ]
    src = _write(tmp_path / "articles.jsonl", articles)
    spec = EngineSpec(stand_in="batch_standin:load")
    run_sharded([str(src)], tmp_path / "shards", spec, InProcess(spec), size=4)
    return tmp_path / "shards"


def test_sharded_output_is_imported_as_suggestions(tmp_path: Path) -> None:
    shards = _standin(tmp_path)
    runner = CliRunner()
    project = str(tmp_path / "p.qb")
    assert runner.invoke(cli, ["new", project]).exit_code == 0
    result = runner.invoke(cli, ["import", project, str(shards)])
    assert result.exit_code == 0, result.output
    assert "9 document(s) added" in result.output
    with Store.open(project) as store:
        quotes = store.all_quotes()
        assert len(quotes) == 9 and {q.status.value for q in quotes} == {"suggested"}
        assert {q.origin for q in quotes} == {"quotebench-engine 0.1.0"}
        assert all(q.text.startswith('"Plan') for q in quotes)
        assert store.documents_without_suggestions() == []
        assert store.outlets() == [
            ("Hill Gazette", 5),
            ("Valley News", 4),
        ]  # the articles' outlets came along


def test_a_changed_shard_or_an_unfinished_run_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    shards = _standin(tmp_path)
    shard = shards / "part-00001.jsonl"
    shard.write_text(shard.read_text().replace("Plan", "Plot"))
    with Store.create(tmp_path / "p.qb") as store:
        with pytest.raises(QuotebenchError, match=r"\[E098\].*part-00001"):
            bulk_import(store, [shards])
        assert store.documents() == []
    manifest = json.loads((shards / "manifest.json").read_text())
    manifest["complete"] = False
    (shards / "manifest.json").write_text(json.dumps(manifest))
    with Store.open(tmp_path / "p.qb") as store:
        with pytest.raises(QuotebenchError, match=r"\[E092\]"):
            bulk_import(store, [shards])


@pytest.mark.parametrize(("mode", "statuses"), [("suggested", {"suggested"}), ("ignore", set())])
def test_jsonl_quotes_as_suggestions_or_not_at_all(tmp_path: Path, mode: str, statuses: set[str]) -> None:
    src = _write(tmp_path / "in.jsonl", [_record(i) for i in range(3)])
    with Store.create(tmp_path / "p.qb") as store:
        report = bulk_import(store, [src], quotes=mode)
        assert report.documents == 3 and {q.status.value for q in store.all_quotes()} == statuses


def test_a_pronoun_is_no_speaker_as_in_the_classic_import(tmp_path: Path) -> None:
    text = 'He said: "We will build it."'
    quote = {
        "start": 9,
        "end": len(text),
        "kind": "direct",
        "speaker": "He",
        "speaker_start": 0,
        "speaker_end": 2,
    }
    src = _write(tmp_path / "in.jsonl", [{"id": "p", "text": text, "quotes": [quote]}])
    with Store.create(tmp_path / "p.qb") as store:
        bulk_import(store, [src])
        [q] = store.all_quotes()
        assert q.speaker_id is None and q.mention_start == 0
