"""Statistics: quotes counted by speaker, type, kind, outlet, month, document and attribute, the
same numbers the JSONL export gives, and the charts drawn from them."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotebench.core.cli import cli
from quotebench.core.errors import StoreError
from quotebench.core.formats.exporters import export
from quotebench.core.formats.importers import import_paths
from quotebench.core.project.statistics import StatsQuery, statistics
from quotebench.core.project.store import Store

SPEAKERS = [
    ("Rosa Kim", "person", "woman"),
    ("Harbour Board", "organisation", None),
    ("Ivo Lund", "person", "man"),
]
OUTLETS = [
    ("Valley News", "2019-07-30"),
    ("Hill Gazette", "2019-08-02"),
    ("Valley News", "2019-09-15"),
    ("", ""),
]


def article(n: int) -> dict:
    """An article with one direct and one indirect quote, by two of the speakers in turn."""
    first, second = SPEAKERS[n % 3], SPEAKERS[(n + 1) % 3]
    text = f'{first[0]} said: "We tried, number {n}." {second[0]} said that the pier would close.'
    a = text.index('"')
    b = text.index('"', a + 1) + 1
    c = text.index("that")
    outlet, date = OUTLETS[n % 4]
    return {
        "id": f"a{n}",
        "text": text,
        "meta": {"publisher": outlet, "publication_date": date} if outlet else {},
        "quotes": [
            {"start": a, "end": b, "kind": "direct", "entity": first[0], "entity_type": first[1]},
            {
                "start": c,
                "end": len(text) - 1,
                "kind": "indirect",
                "entity": second[0],
                "entity_type": second[1],
            },
        ],
    }


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(article(n)) + "\n" for n in range(10)), encoding="utf-8")
    with Store.create(tmp_path / "p.qbproj") as s:
        import_paths(s, [src])
        # annotations to count: accepted, whatever the import's default for a corpus's quotes
        s.set_status([q.id for q in s.all_quotes()], "accepted")
        for name, _type, gender in SPEAKERS:
            if gender:
                s.set_speaker_attribute(s.find_speaker(name).id, "gender", gender)
        # one quote rejected: counted only when asked for
        q = s.all_quotes()[0]
        s.update_quote(q.id, status="rejected")
        yield s


def rows(store: Store, **kw: object) -> dict[object, int]:
    return {r.key: r.quotes for r in statistics(store, StatsQuery(**kw)).rows}


def exported_counts(store: Store, path: Path) -> dict[str, collections.Counter]:
    """The same counts, made from the JSONL export alone."""
    export(store, "jsonl", path, accepted_only=True)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    types = {s["name"]: s["type"] for s in lines[0]["speakers"]}
    gender = {s["name"]: (s.get("attributes") or {}).get("gender") for s in lines[0]["speakers"]}
    out: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for doc in lines[1:]:
        for q in doc["quotes"]:
            out["speaker"][q["entity"]] += 1
            out["type"][types.get(q["entity"])] += 1
            out["kind"][q["kind"]] += 1
            out["outlet"][doc.get("outlet") or None] += 1
            out["month"][(doc.get("date") or "")[:7] or None] += 1
            out["document"][doc["title"]] += 1
            out["attribute:gender"][gender.get(q["entity"])] += 1
    return out


@pytest.mark.parametrize("by", ["speaker", "type", "kind", "outlet", "month", "document", "attribute:gender"])
def test_stats_equal_counting_the_jsonl_export(store: Store, tmp_path: Path, by: str) -> None:
    expected = exported_counts(store, tmp_path / "out.jsonl")[by]
    table = statistics(store, StatsQuery(by=by))
    assert {r.key: r.quotes for r in table.rows} == dict(expected)
    assert table.quotes == sum(expected.values()) == 19
    assert sum(r.share for r in table.rows) == pytest.approx(1.0)


def test_status_outlet_and_date_filters(store: Store) -> None:
    assert sum(rows(store, by="kind", statuses=("accepted", "rejected")).values()) == 20
    assert rows(store, by="kind", statuses=("rejected",)) == {"direct": 1}
    assert sum(rows(store, by="kind", outlets=("Valley News",)).values()) == 9  # a0 a2 a4 a6 a8, one rejected
    assert rows(store, by="month", date_from="2019-08", date_to="2019-08") == {"2019-08": 6}
    assert rows(store, by="month", date_to="2019-08-01") == {"2019-07": 5}
    # a --to month takes the whole month; a date without a day is compared as a prefix
    assert rows(store, by="outlet", date_from="2019-09-15", date_to="2019-09") == {"Valley News": 4}


def test_months_in_time_order_undated_last_and_distinct_speakers(store: Store) -> None:
    table = statistics(store, StatsQuery(by="month"))
    assert [r.key for r in table.rows] == ["2019-07", "2019-08", "2019-09", None]
    assert all(r.speakers is not None and 1 <= r.speakers <= 3 for r in table.rows)


def test_top_keeps_the_most_quoted_and_sums_the_rest(store: Store) -> None:
    table = statistics(store, StatsQuery(by="speaker", top=1))
    assert len(table.rows) == 1 and table.rows[0].quotes + table.other == table.quotes


def test_stack_splits_each_row(store: Store) -> None:
    table = statistics(store, StatsQuery(by="outlet", stack="attribute:gender"))
    for row in table.rows:
        assert sum(row.stack.values()) == row.quotes
    assert set(table.rows[0].stack) <= {"woman", "man", ""}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (StatsQuery(by="colour"), "E082"),
        (StatsQuery(by="attribute:"), "E082"),
        (StatsQuery(stack="outlet"), "E082"),
        (StatsQuery(date_from="30/07/2019"), "E083"),
        (StatsQuery(statuses=("maybe",)), "E084"),
    ],
)
def test_bad_queries_are_coded_errors(store: Store, query: StatsQuery, code: str) -> None:
    with pytest.raises(StoreError, match=rf"\[{code}\]"):
        statistics(store, query)


def run(*args: str, ok: bool = True):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert (result.exit_code == 0) is ok, result.output
    return result


def test_cli_json_shape_and_csv(store: Store) -> None:
    path = str(store.path)
    found = json.loads(run("stats", path, "--by", "outlet", "--format", "json").stdout)
    assert found["by"] == "outlet" and found["quotes"] == 19
    assert found["rows"][0] == {"key": "Valley News", "quotes": 9, "share": round(9 / 19, 6), "speakers": 3}
    assert found["counted"]["status"] == ["accepted"]
    lines = run("stats", path, "--by", "kind", "--format", "csv").stdout.splitlines()
    assert lines[0] == "kind,quotes,share,speakers,id" and lines[1].startswith("indirect,10,")
    text = run("stats", path, "--by", "speaker", "--top", "2").stdout
    assert "N = 19" in text and "(the rest)" in text
    assert "documents: 10" in run("stats", path).stdout  # no options: the overview, as before


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf"])
@pytest.mark.parametrize(
    ("by", "stack"), [("speaker", None), ("outlet", "type"), ("month", None), ("kind", None)]
)
def test_cli_charts_are_written(
    store: Store, tmp_path: Path, suffix: str, by: str, stack: str | None
) -> None:
    out = tmp_path / f"chart{suffix}"
    run("stats", str(store.path), "--by", by, *(["--stack", stack] if stack else []), "--chart", str(out))
    head = out.read_bytes()[:8]
    assert head.startswith({".svg": b"<?xml", ".png": b"\x89PNG", ".pdf": b"%PDF"}[suffix])
    if suffix == ".svg":
        svg = out.read_text(encoding="utf-8")
        assert "N = 19" in svg or "N&#160;=&#160;19" in svg or "19 quotes" in svg


def test_cli_chart_refuses_an_unknown_suffix_and_the_project(store: Store, tmp_path: Path) -> None:
    bad = run("stats", str(store.path), "--chart", str(tmp_path / "c.gif"), ok=False)
    assert "[E085]" in bad.output and not (tmp_path / "c.gif").exists()
    over = run("stats", str(store.path), "--chart", str(store.path), ok=False)
    assert "[E060]" in over.output


@pytest.mark.parametrize("by", ["outlet", "month"])
def test_metadata_groupings_equal_counting_quote_by_quote(store: Store, by: str) -> None:
    """Outlets and months are counted from the metadata first (m010); the documents without a
    key, with an empty outlet or no metadata at all, share one row with distinct speakers."""
    doc_ids = [r[0] for r in store.db.conn.execute("SELECT id FROM documents ORDER BY id")]
    store.set_document_metadata(doc_ids[3], {"outlet": "", "date": "2020-01-05"})  # dated, no outlet
    rows = store.db.conn.execute(
        "SELECT m.outlet, m.month, q.speaker_id, s.type FROM quotes q "
        "LEFT JOIN document_metadata m ON m.document_id = q.document_id "
        "LEFT JOIN speakers s ON s.id = q.speaker_id WHERE q.status = 'accepted'"
    ).fetchall()
    expected: dict[str | None, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    speakers: dict[str | None, set[int]] = collections.defaultdict(set)
    for outlet, month, sid, kind in rows:
        key = (outlet or None) if by == "outlet" else month
        expected[key][kind or ""] += 1
        if sid is not None:
            speakers[key].add(sid)
    table = statistics(store, StatsQuery(by=by, stack="type"))
    assert {r.key: r.quotes for r in table.rows} == {k: sum(c.values()) for k, c in expected.items()}
    assert {r.key: r.speakers for r in table.rows} == {k: len(speakers[k]) for k in expected}
    assert {r.key: r.stack for r in table.rows} == {k: dict(c) for k, c in expected.items()}
    assert table.documents == len(doc_ids)
