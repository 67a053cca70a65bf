"""quotebench adjudicate: two coders into one gold project; choices, undo, history, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotebench.core.agreement import agreement, read_coding
from quotebench.core.agreement.adjudication import choose, create_gold, items, reject, undo
from quotebench.core.agreement.errors import AgreementError
from quotebench.core.cli.main import cli
from quotebench.core.formats.jsonl import export_jsonl
from quotebench.core.model import Kind, Status
from quotebench.core.project.store import Store

PARTS = [
    '"The bridge is safe," Ann Cole said.',  # q1: both alike
    "Cole said the repairs would end soon.",  # q2: ann's span is longer
    'Cole called the plan "a good start".',  # q3: ann indirect, ben mixed
    '"Traffic will flow," Bo Li said.',  # q4: ann says Bo Li, ben Ann Cole
    "Critics said nothing had changed.",  # q5: only ann
    "Drivers said the tolls were high.",  # q6: only ben
]
TEXT = " ".join(PARTS)
ONLY_ANN = "Ivo Brent said the tide was late."


def at(i: int, trim: int = 0) -> tuple[int, int]:
    start = TEXT.index(PARTS[i])
    return start + trim, start + len(PARTS[i])


def coder(path: Path, name: str) -> Path:
    with Store.create(path, annotator=name) as store:
        if name == "ann":
            store.add_document(ONLY_ANN)  # ids differ between the two projects
        doc, _ = store.add_document(TEXT, title="bridge")
        store.set_project_info({"coder": name})
        ids = {n: store.add_speaker(n)[0] for n in ("Ann Cole", "Bo Li")}
        plan = {
            "ann": [
                (0, 0, Kind.DIRECT, "Ann Cole"),
                (1, 0, Kind.INDIRECT, "Ann Cole"),
                (2, 0, Kind.INDIRECT, "Ann Cole"),
            ]
            + [(3, 0, Kind.DIRECT, "Bo Li"), (4, 0, Kind.INDIRECT, None)],
            "ben": [
                (0, 0, Kind.DIRECT, "Ann Cole"),
                (1, 5, Kind.INDIRECT, "Ann Cole"),
                (2, 0, Kind.MIXED, "Ann Cole"),
            ]
            + [(3, 0, Kind.DIRECT, "Ann Cole"), (5, 0, Kind.INDIRECT, None)],
        }[name]
        for i, trim, kind, who in plan:
            store.add_quote(doc, *at(i, trim), kind, speaker_id=ids[who] if who else None)
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return coder(tmp_path / "ann.qbproj", "ann"), coder(tmp_path / "ben.qbproj", "ben")


def by_start(listed: list[dict], gold: Store) -> dict[int, dict]:
    out = {}
    for item in listed:
        qid = next(iter(item["quotes"].values()))
        out[
            PARTS.index(
                next(p for p in PARTS if TEXT.index(p) <= gold.quote(qid).start < TEXT.index(p) + len(p))
            )
        ] = item
    return out


def test_round_trip_choices_undo_history_export(pair: tuple[Path, Path], tmp_path: Path) -> None:
    result = create_gold(pair, tmp_path / "gold.qbproj", annotator="judge")
    assert result == {
        "texts": 1,
        "agreed": 1,
        "disagreements": 5,
        "decided": 0,
        "open": 5,
        "coders": ["ann", "ben"],
    }
    gold = Store.open(tmp_path / "gold.qbproj", annotator="judge")
    assert [d.title for d in gold.documents()] == ["bridge"]  # the text only ann has is left out
    listed = items(gold)
    assert {i["state"] for i in listed} == {"open"}
    it = by_start(listed, gold)
    assert [it[i]["differs"] for i in range(1, 6)] == [
        ["span"],
        ["kind"],
        ["speaker"],
        ["missing"],
        ["missing"],
    ]
    (agreed,) = [q for q in gold.all_quotes() if q.status is Status.ACCEPTED]
    assert agreed.origin == "adjudicated:ann+ben" and agreed.speaker_name == "Ann Cole"

    choose(gold, it[1], "ben")
    choose(gold, it[2], "ann", kind=Kind.MIXED)
    reject(gold, it[3])
    choose(gold, it[4], "ann")
    assert {i["state"] for i in items(gold)} == {"open", "decided"}
    undo(gold, it[1])
    restored = {c: gold.quote(q) for c, q in it[1]["quotes"].items()}
    assert {q.status for q in restored.values()} == {Status.SUGGESTED}
    assert restored["ben"].start == at(1, 5)[0] and restored["ann"].start == at(1)[0]
    choose(gold, it[1], "ann")

    decisions = [e for e in gold.history(limit=10**6) if e.action.startswith("adjudicate")]
    assert {e.annotator for e in decisions} == {"judge"}
    last = {(e.after or {}).get("decision"): e for e in decisions}
    assert last["edited"].after == {"decision": "edited", "from": "ann", "changes": {"kind": "mixed"}}
    assert set(last["edited"].before["versions"]) == {"ann", "ben"}
    assert last["rejected"].after["from"] == ["ann", "ben"] and "undone" in last
    assert [e.action for e in decisions].count("adjudicate-undo") == 1

    # agreement recomputed on the decisions: ann against the gold so far
    result = agreement([read_coding(Store.open(pair[0]), name="ann"), read_coding(gold, name="gold")])
    assert result["spans"]["matched"] == 4 and result["spans"]["precision"] == 1.0
    assert result["spans"]["recall"] == pytest.approx(4 / 5) and result["kind"]["agreement"] == pytest.approx(
        3 / 4
    )

    import io

    buf = io.StringIO()
    export_jsonl(gold, buf, accepted_only=True)
    (doc,) = [json.loads(line) for line in buf.getvalue().splitlines()[1:]]
    assert sorted((q["origin"], q["annotator"]) for q in doc["quotes"]) == [
        ("adjudicated:ann", "judge"),
        ("adjudicated:ann", "judge"),
        ("adjudicated:ann", "judge"),
        ("adjudicated:ann+ben", "judge"),
    ]
    info = json.loads(gold.project_info()["adjudication"])
    assert info["coders"] == ["ann", "ben"] and info["sources"] == {"ann": "ann.qbproj", "ben": "ben.qbproj"}
    gold.close()


def test_prefer_decides_every_disagreement(pair: tuple[Path, Path], tmp_path: Path) -> None:
    result = create_gold(pair, tmp_path / "gold.qbproj", prefer="ben")
    assert (result["decided"], result["open"]) == (5, 0)
    with Store.open(tmp_path / "gold.qbproj") as gold, Store.open(pair[1]) as ben:
        res = agreement([read_coding(ben, name="ben"), read_coding(gold, name="gold")])
    assert (
        res["spans"]["f1"] == 1.0 and res["kind"]["agreement"] == 1.0 and res["speaker"]["agreement"] == 1.0
    )


def test_refusals(pair: tuple[Path, Path], tmp_path: Path) -> None:
    gold = tmp_path / "gold.qbproj"
    with pytest.raises(AgreementError, match=r"\[E048\].*--prefer cy"):
        create_gold(pair, gold, prefer="cy")
    with pytest.raises(AgreementError, match=r"\[E043\]"):
        create_gold(pair[:1], gold)
    other = tmp_path / "other.qbproj"
    with Store.create(other) as store:
        store.add_document("A wholly different text.")
    with pytest.raises(AgreementError, match=r"\[E040\]"):
        create_gold([pair[0], other], gold)
    assert not gold.exists() and sorted(p.name for p in tmp_path.iterdir() if "gold" in p.name) == []
    gold.write_text("mine")
    with pytest.raises(AgreementError, match=r"\[E049\]"):
        create_gold(pair, gold)
    assert gold.read_text() == "mine"


def test_cli_adjudicate(pair: tuple[Path, Path], tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli,
        [
            "adjudicate",
            *map(str, pair),
            "-o",
            str(tmp_path / "g.qbproj"),
            "--prefer",
            "ann",
            "--annotator",
            "jo",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "1 quote(s) agreed; 5 disagreement(s), 5 decided, 0 left to decide" in res.stderr
    with Store.open(tmp_path / "g.qbproj") as gold:
        assert {e.annotator for e in gold.history(limit=10**6) if e.action.startswith("adjudicate")} == {"jo"}
