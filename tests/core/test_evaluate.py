"""quotebench evaluate: the engine's original suggestions against a researcher's known decisions."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from quotebench.core.agreement.errors import AgreementError
from quotebench.core.agreement.evaluate import evaluate_store
from quotebench.core.cli.main import cli
from quotebench.core.model import Evidence, Kind, Quote, Span, Status, Suggestion
from quotebench.core.project.migrations import migrations
from quotebench.core.project.review import ReviewState
from quotebench.core.project.store import Store

# Seven stretches a suggestion can cover, and one the engine misses; written for these tests.
PARTS = [
    '"The bridge is safe," Ann Cole said.',  # s1 direct, right
    "Cole said the repairs would end soon.",  # s2 indirect, span edited
    '"Traffic will flow," Bo Li said.',  # s3 direct, speaker changed
    "Critics said nothing had changed.",  # s4 indirect, rejected
    "Drivers said the tolls were high.",  # s5 indirect, deleted
    'Cole called the plan "a good start".',  # s6 mixed -> indirect
    "Li said more was to come.",  # s7 left unreviewed
    "The council said it would vote in May.",  # hand-added, missed (mixed)
]
TEXT = " ".join(PARTS)
OTHER = "Ivo Brent said the tide was late. He said so twice."


def span(i: int) -> tuple[int, int]:
    start = TEXT.index(PARTS[i])
    return start, start + len(PARTS[i])


def sug(i: int, kind: Kind, speaker: str | None, conf: float, rule: str) -> Suggestion:
    start, end = span(i)
    return Suggestion(
        Span(start, end, TEXT[start:end]), kind, speaker=speaker, confidence=conf, evidence=Evidence(rule)
    )


@pytest.fixture
def decided(tmp_path: Path) -> Store:
    """A project whose decisions are known: see PARTS."""
    store = Store.create(tmp_path / "eval.qbproj", annotator="ann")
    doc, _ = store.add_document(TEXT, title="bridge")
    other, _ = store.add_document(OTHER, title="tide")
    store.save_suggestions(
        doc,
        [
            sug(0, Kind.DIRECT, "Ann Cole", 0.95, "direct.a"),
            sug(1, Kind.INDIRECT, "Ann Cole", 0.75, "reported.b"),
            sug(2, Kind.DIRECT, "Bo Li", 0.85, "direct.a"),
            sug(3, Kind.INDIRECT, None, 0.55, "reported.b"),
            sug(4, Kind.INDIRECT, None, 0.65, "reported.b"),
            sug(5, Kind.MIXED, "Ann Cole", 0.72, "mixed.c"),
            sug(6, Kind.INDIRECT, "Bo Li", 0.9, "reported.b"),
        ],
        "quotebench-engine 0.1.0",
    )
    o0 = OTHER.index(" the tide")
    store.save_suggestions(
        other,
        [Suggestion(Span(o0, len(OTHER), OTHER[o0:]), Kind.INDIRECT, confidence=0.6, evidence=Evidence("x"))],
        "quotebench-engine 0.1.0",
    )
    q = {store.quote(qid).start: store.quote(qid) for qid in [x.id for x in store.quotes_for(doc)]}
    by = [q[span(i)[0]] for i in range(7)]
    cole = store.find_speaker("Ann Cole")
    assert cole is not None
    store.set_status([by[0].id], Status.ACCEPTED)
    store.update_quote(by[1].id, end=by[1].end - 6, status=Status.ACCEPTED)
    store.update_quote(by[2].id, speaker_id=cole.id, status=Status.ACCEPTED)
    store.set_status([by[3].id], Status.REJECTED)
    store.delete_quote(by[4].id)
    store.update_quote(by[5].id, kind=Kind.INDIRECT, status=Status.ACCEPTED)
    store.add_quote(doc, *span(7), Kind.MIXED)
    store.set_status([store.quotes_for(other)[0].id], Status.REJECTED)  # not done: not counted
    store.set_review_state([doc], ReviewState.DONE)
    store.set_review_state([other], ReviewState.IN_PROGRESS)
    return store


def test_outcomes_of_known_decisions(decided: Store) -> None:
    r = evaluate_store(decided)
    assert r["documents"] == 1
    assert r["outcomes"] == {"right": 1, "partly_right": 3, "false": 2, "missed": 1, "unreviewed": 1}
    assert r["edits"] == {"span": 1, "kind": 1, "speaker": 1}
    assert r["spans"]["tp"] == 4 and r["spans"]["fp"] == 2 and r["spans"]["fn"] == 1
    assert r["spans"]["precision"] == pytest.approx(4 / 6)
    assert r["spans"]["recall"] == pytest.approx(4 / 5)
    assert r["spans"]["f1"] == pytest.approx(8 / 11)
    k = r["by_kind"]
    assert (k["direct"]["tp"], k["direct"]["fp"], k["direct"]["fn"]) == (2, 0, 0)
    assert (k["indirect"]["tp"], k["indirect"]["fp"], k["indirect"]["fn"]) == (1, 2, 1)
    assert (k["mixed"]["tp"], k["mixed"]["fp"], k["mixed"]["fn"]) == (0, 1, 1)
    assert r["speaker"] == {"accuracy": 0.75, "right": 3, "n": 4}
    rules = {x["rule"]: x for x in r["by_rule"]}
    assert (rules["direct.a"]["suggested"], rules["direct.a"]["precision"]) == (2, 1.0)
    assert (rules["reported.b"]["partly_right"], rules["reported.b"]["false"]) == (1, 2)
    assert rules["reported.b"]["precision"] == pytest.approx(1 / 3)
    cal = {(b["low"], b["high"]): (b["suggested"], b["accepted"]) for b in r["calibration"]}
    assert cal[(0.9, 1.0)] == (1, 1) and cal[(0.8, 0.9)] == (1, 1) and cal[(0.7, 0.8)] == (2, 2)
    assert cal[(0.6, 0.7)] == (1, 0) and cal[(0.5, 0.6)] == (1, 0) and cal[(0.0, 0.5)] == (0, 0)
    changed = {x["quote_id"]: x["changed"] for x in r["quotes"] if x["outcome"] == "partly_right"}
    assert sorted(map(tuple, changed.values())) == [("kind",), ("span",), ("speaker",)]


def test_an_edit_keeps_the_engines_original(decided: Store) -> None:
    doc = decided.documents_in_state("done")[0]
    edited = [q for q in decided.iter_quote_rows() if q["document_id"] == doc and q["kind"] == "indirect"]
    originals = [json.loads(q["original"]) for q in edited if q["original"]]
    assert {o["kind"] for o in originals} == {"indirect", "mixed"}  # the kind edit kept "mixed"
    assert all(o["rule"] for o in originals)


def test_a_restored_suggestion_keeps_its_original(decided: Store) -> None:
    doc = decided.documents_in_state("done")[0]
    (delete,) = [e for e in decided.history() if e.action == "delete" and e.table == "quotes"]
    row = delete.before
    assert row is not None and row["original"]
    restored = Quote(
        id=row["id"],
        document_id=doc,
        start=row["start"],
        end=row["end"],
        text=row["text"],
        kind=Kind(row["kind"]),
        status=Status(row["status"]),
        confidence=row["confidence"],
        origin=row["origin"],
        created=row["created"],
        modified=row["modified"],
    )
    decided.restore_quote(restored)
    after = next(q for q in decided.iter_quote_rows() if q["id"] == row["id"])
    assert after["original"] == row["original"] and after["original"]
    # restored and still a suggestion: no longer false, not yet reviewed
    assert evaluate_store(decided)["outcomes"]["unreviewed"] == 2


def test_a_merge_of_speakers_is_no_engine_error(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "m.qbproj")
    text = "Cole said the bridge was safe. Mayor Ann Cole agreed."
    doc, _ = store.add_document(text)
    s = Suggestion(
        Span(0, 30, text[:30]), Kind.INDIRECT, speaker="Cole", confidence=0.8, evidence=Evidence("r")
    )
    store.save_suggestions(doc, [s], "quotebench-engine 0.1.0")
    ann, _ = store.add_speaker("Ann Cole")
    cole = store.find_speaker("Cole")
    assert cole is not None
    store.merge_speakers(ann, cole.id)
    store.set_status([store.quotes_for(doc)[0].id], Status.ACCEPTED)
    store.set_review_state([doc], "done")
    r = evaluate_store(store)
    assert r["outcomes"]["right"] == 1 and r["speaker"]["accuracy"] == 1.0


def test_no_document_done_is_a_coded_error(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "e.qbproj")
    store.add_document(OTHER)
    with pytest.raises(AgreementError, match=r"\[E044\]"):
        evaluate_store(store)
    with pytest.raises(Exception, match=r"\[E031\]"):
        store.set_review_state([1], "finished")


def test_review_states_default_and_history(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "r.qbproj", annotator="ben")
    a, _ = store.add_document("One text here.")
    b, _ = store.add_document("Another text here.")
    assert store.review_states() == {a: ReviewState.TODO, b: ReviewState.TODO}
    assert store.set_review_state([b], "done").documents == frozenset({b})
    assert not store.set_review_state([b], "done")  # nothing changed
    assert store.documents_in_state("to do") == [a] and store.documents_in_state("done") == [b]
    (edit,) = [e for e in store.history() if e.table == "document_reviews"]
    assert (edit.annotator, edit.after and edit.after["state"]) == ("ben", "done")


def test_upgrade_fills_the_original_of_untouched_suggestions(tmp_path: Path) -> None:
    path = tmp_path / "old.qbproj"
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    migrations.apply(db, stop_before="m007_original_suggestions")
    db.execute(
        "INSERT INTO documents (id, title, source, sha256, imported_at, length, text) "
        "VALUES (1, 't', '', 'x', 'T', ?, ?)",
        [len(OTHER), OTHER],
    )
    db.execute("INSERT INTO speakers (id, name, key, type) VALUES (3, 'Ivo Brent', 'ivo brent', 'person')")
    for status, modified in (("suggested", "T"), ("suggested", "U"), ("accepted", "T")):
        db.execute(
            'INSERT INTO quotes (document_id, start, "end", text, kind, mention_start, mention_end, '
            "speaker_id, status, confidence, origin, rule, created, modified) "
            "VALUES (1, 15, 33, ?, 'indirect', 0, 9, 3, ?, 0.7, 'quotebench-engine 0.1', 'r', 'T', ?)",
            [OTHER[15:33], status, modified],
        )
    conn.close()
    with Store.open(path) as store:
        rows = list(store.iter_quote_rows())
    first = json.loads(rows[0]["original"])
    assert first["entity"] == "Ivo Brent" and first["speaker"] == "Ivo Brent" and first["confidence"] == 0.7
    assert Suggestion.from_json(first).span.text == OTHER[15:33]
    assert rows[1]["original"] is None and rows[2]["original"] is None  # touched: not the engine's any more


def test_read_only_open_writes_nothing(decided: Store) -> None:
    path = decided.path
    decided.close()
    before = path.read_bytes()
    with Store.open(path, read_only=True) as store:
        assert store.documents_in_state("done")
        with pytest.raises(Exception, match="reading only"):
            store.set_review_state([1], "to do")
    assert path.read_bytes() == before


def test_cli_evaluate_json_csv_and_review(decided: Store, tmp_path: Path) -> None:
    path = str(decided.path)
    decided.close()
    runner = CliRunner()
    res = runner.invoke(cli, ["evaluate", path, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["spans"]["tp"] == 4
    res = runner.invoke(cli, ["evaluate", path, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    overall = rows[0]
    assert (overall["table"], overall["tp"], overall["precision"]) == ("spans", "4", "0.6667")
    assert {r["table"] for r in rows} == {"spans", "kind", "speaker", "rule", "calibration"}
    res = runner.invoke(cli, ["evaluate", path])
    assert "partly right 3" in res.stdout and "speaker right on 3 of 4" in res.stdout
    res = runner.invoke(cli, ["review", path, "--state", "to do", "--all"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["evaluate", path])
    assert res.exit_code == 1 and "[E044]" in res.output


def test_speaker_names_compare_as_agreement_does() -> None:
    from quotebench.core.agreement.evaluate import classify

    original = json.dumps({"start": 0, "end": 5, "kind": "direct", "entity": "the Daily  News ", "rule": "r"})
    row = {"id": 1, "document_id": 1, "start": 0, "end": 5, "kind": "direct", "status": "accepted"}
    row |= {"speaker_id": 7, "origin": "quotebench-engine 0.1", "original": original}
    assert classify(row, {7: ("The Daily News",)}).outcome == "right"  # type: ignore[union-attr]
    assert classify(row, {7: ("Daily Mail",)}).changed == ("speaker",)  # type: ignore[union-attr]
    assert classify({**row, "speaker_id": None}, {}).changed == ("speaker",)  # type: ignore[union-attr]
    assert classify({**row, "original": None, "origin": "annotator:x"}, {}).outcome == "missed"  # type: ignore[union-attr]
