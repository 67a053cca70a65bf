"""Imported answer keys: what their quotes become is asked, and a pronoun is never a speaker
(issue 10, bug 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotebench.core.cli import cli
from quotebench.core.formats.importers import import_paths, speaker_name
from quotebench.core.model import Status
from quotebench.core.project.store import Store

TEXT = 'He said "we stay". The mayor, who said "no", left. Jo Brand said "yes".'


def record() -> dict:
    def q(needle: str, **keys: str) -> dict:
        start = TEXT.index(needle)
        return {"start": start, "end": start + len(needle), **keys}

    return {
        "id": "a",
        "text": TEXT,
        "quotes": [
            q('"we stay"', speaker="He", entity="He"),
            q('"no"', speaker="who", entity="who"),
            q('"yes"', speaker="Jo Brand", entity="t"),
        ],
    }


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record()) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mode", "statuses"),
    [("suggested", [Status.SUGGESTED] * 3), ("accepted", [Status.ACCEPTED] * 3), ("ignore", [])],
)
def test_the_quotes_of_an_input_become_what_the_import_is_told(tmp_path, gold, mode, statuses) -> None:
    with Store.open(tmp_path / "p.qb", create=True) as store:
        report = import_paths(store, [gold], quotes=mode)
        assert [q.status for q in store.all_quotes()] == statuses
        assert report.ignored == (3 if mode == "ignore" else 0)
        assert len(store.documents()) == 1


def test_the_default_is_suggested_and_no_pronoun_becomes_a_speaker(tmp_path, gold) -> None:
    with Store.open(tmp_path / "p.qb", create=True) as store:
        import_paths(store, [gold])
        quotes = store.all_quotes()
        assert {q.status for q in quotes} == {Status.SUGGESTED}
        assert [q.speaker_name for q in quotes] == [None, None, "Jo Brand"]
        assert [s.name for s in store.speakers()] == ["Jo Brand"]


def test_speaker_name_skips_pronouns_relatives_and_fragments() -> None:
    assert speaker_name({"entity": "He"}) is None
    assert speaker_name({"entity": "who", "speaker": "which"}) is None
    assert speaker_name({"entity": "t", "speaker": "The  mayor"}) == "The mayor"
    assert speaker_name({"entity": "Jo Brand", "speaker": "she"}) == "Jo Brand"


def test_cli_import_takes_quotes(tmp_path, gold) -> None:
    project = tmp_path / "p.qb"
    runner = CliRunner()
    assert runner.invoke(cli, ["new", str(project)]).exit_code == 0
    result = runner.invoke(cli, ["import", str(project), str(gold), "--quotes", "ignore"])
    assert result.exit_code == 0, result.output
    assert "3 quotes in the input left out" in result.output
    with Store.open(project) as store:
        assert store.all_quotes() == []
    bad = runner.invoke(cli, ["import", str(project), str(gold), "--quotes", "maybe"])
    assert bad.exit_code == 2
