"""quotebench distribute: one project per coder, the same texts, a reproducible sample, recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotebench.core.agreement.distribute import distribute, draw_sample, parse_coders
from quotebench.core.agreement.errors import AgreementError
from quotebench.core.cli.main import cli
from quotebench.core.model import Evidence, Kind, Span, Status, Suggestion
from quotebench.core.project.store import Store

TEXTS = [f"Article {i}: Mayor Ann Cole said the bridge {i} would open in May." for i in range(12)]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """Twelve texts; the engine suggested one quote in each; the researcher rejected the first."""
    path = tmp_path / "study.qbproj"
    with Store.create(path, annotator="res") as store:
        for i, text in enumerate(TEXTS):
            doc, _ = store.add_document(text, title=f"a{i}")
            start = text.index("the bridge")
            s = Suggestion(
                Span(start, len(text) - 1, text[start:-1]),
                Kind.INDIRECT,
                speaker="Ann Cole",
                confidence=0.8,
                evidence=Evidence("reported.x"),
            )
            store.save_suggestions(doc, [s], "quotebench-engine 0.1.0")
        first = store.quotes_for(1)[0]
        store.update_quote(first.id, end=first.end - 3, status=Status.REJECTED)
        store.add_quote(2, 0, 9, Kind.DIRECT)  # the researcher's own quote: never distributed
    return path


def test_sample_is_reproducible_and_independent_of_ids() -> None:
    docs = [(i, f"{h:064x}") for i, h in enumerate([5, 3, 9, 1, 7, 2, 8])]
    first = draw_sample(docs, n=3, seed=42)
    assert first == draw_sample(docs, n=3, seed=42) and len(first) == 3
    renumbered = [(i + 100, sha) for i, sha in reversed(docs)]
    again = draw_sample(renumbered, n=3, seed=42)
    assert sorted(dict(renumbered)[i] for i in again) == sorted(dict(docs)[i] for i in first)
    assert {tuple(draw_sample(docs, n=3, seed=s)) for s in range(20)} != {tuple(first)}
    assert draw_sample(docs, ids=[4, 1]) == [1, 4]
    with pytest.raises(AgreementError, match=r"\[E046\].*8, but the project has 7"):
        draw_sample(docs, n=8)
    with pytest.raises(AgreementError, match=r"\[E046\].*no document 70"):
        draw_sample(docs, ids=[70])


def test_coders_must_be_distinct_file_names() -> None:
    assert parse_coders("ann, ben") == ["ann", "ben"]
    for bad in ("ann,", "ann,Ann", "../x", ".hidden", ""):
        with pytest.raises(AgreementError, match=r"\[E045\]"):
            parse_coders(bad)


def test_each_coder_gets_the_same_sample_stamped(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "coders"
    manifest = distribute(source, ["ann", "ben"], out, ids=[1, 2, 5, 8, 9], suggestions=True)
    assert len(manifest["sample_documents"]) == 5
    assert json.loads((out / "distribution.json").read_text()) == manifest
    texts = []
    for coder in ("ann", "ben"):
        with Store.open(out / f"{coder}.qbproj") as store:
            info = store.project_info()
            assert info["coder"] == coder and info["source_project"] == "study.qbproj"
            assert json.loads(info["sample_documents"]) == manifest["sample_documents"]
            docs = store.documents()
            assert [d.sha256 for d in docs] == manifest["sample_documents"]
            texts.append([store.document(d.id).text for d in docs])
            quotes = store.all_quotes()
            # the engine's originals only, as suggestions: not the rejection, the edit or the own quote
            assert len(quotes) == 5 and {q.status for q in quotes} == {Status.SUGGESTED}
            assert all(q.text.startswith("the bridge") and q.text.endswith("in May") for q in quotes)
            assert {q.speaker_name for q in quotes} == {"Ann Cole"}
            assert set(store.review_states().values()) == {"to do"}
    assert texts[0] == texts[1]
    again = distribute(source, ["cy"], tmp_path / "again", ids=[1, 2, 5, 8, 9])
    assert again["sample_documents"] == manifest["sample_documents"]
    with Store.open(tmp_path / "again" / "cy.qbproj") as store:
        assert store.all_quotes() == [] and store.project_info()["with_suggestions"] == "no"


def test_a_file_in_the_way_is_refused_and_nothing_is_left(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "coders"
    out.mkdir()
    (out / "ben.qbproj").write_text("mine")
    with pytest.raises(AgreementError, match=r"\[E047\]"):
        distribute(source, ["ann", "ben"], out)
    assert sorted(p.name for p in out.iterdir()) == ["ben.qbproj"]
    assert (out / "ben.qbproj").read_text() == "mine"


def test_cli_distribute(source: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "c"
    res = runner.invoke(
        cli, ["distribute", str(source), "--coders", "ann,ben", "--documents", "1,3-4", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "3 document(s) for 2 coder(s)" in res.stderr
    with Store.open(out / "ann.qbproj") as store:
        assert [d.title for d in store.documents()] == ["a0", "a2", "a3"]
    res = runner.invoke(
        cli, ["distribute", str(source), "--coders", "ann", "--sample", "99", "-o", str(out / "x")]
    )
    assert res.exit_code == 1 and "[E046]" in res.output


def test_a_seeded_sample_is_the_same_twice_and_recorded(source: Path, tmp_path: Path) -> None:
    a = distribute(source, ["ann"], tmp_path / "a", n=4, seed=3)
    b = distribute(source, ["ann"], tmp_path / "b", n=4, seed=3)
    assert a["sample_documents"] == b["sample_documents"] and len(a["sample_documents"]) == 4
    with Store.open(tmp_path / "a" / "ann.qbproj") as store:
        assert store.project_info()["sample_seed"] == "3"
    unseeded = distribute(source, ["ann"], tmp_path / "c", n=4)
    assert unseeded["sample_seed"].isdigit()
