"""The seed article end to end: ``quotebench extract`` against its gold annotation.

Quotes are paired by the shared scorer's rule (``golden_match`` in ``tests/conftest.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotebench.core.cli import cli

ROOT = Path(__file__).parents[2]
SEED = ROOT / "seeds" / "gb-news-russian-deserters.txt"


def test_scorer_matches_by_half_the_union_after_stripping_marks(golden_match) -> None:
    text = '"We will win," she said. They said that the plan would fail badly.'
    gold = [
        {"start": 0, "end": 14},
        {"start": 40, "end": 65},
    ]  # '"We will win,"', 'the plan would fail badly'
    pred = [
        {"start": 1, "end": 12},
        {"start": 55, "end": 66},
        {"start": 25, "end": 29},
    ]  # 'fail badly.', 'They'
    assert golden_match(text, gold, pred) == [(0, 0)]  # "fail badly" is under half of the report
    assert golden_match(text, gold, [{"start": 49, "end": 66}]) == [
        (1, 0)
    ]  # "would fail badly." is over half


@pytest.mark.model
def test_seed_article_all_quotes_and_speakers(golden_match, seed_gold) -> None:
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (pred,) = [json.loads(line) for line in result.stdout.splitlines()]
    gold = seed_gold
    assert pred["text"] == gold["text"]
    pairs = golden_match(gold["text"], gold["quotes"], pred["quotes"])
    missed = [gold["quotes"][i]["text"][:60] for i in set(range(len(gold["quotes"]))) - {i for i, _ in pairs}]
    extra = [pred["quotes"][j]["text"][:60] for j in set(range(len(pred["quotes"]))) - {j for _, j in pairs}]
    wrong = [
        (gold["quotes"][i]["entity"], pred["quotes"][j]["entity"])
        for i, j in pairs
        if " ".join(str(pred["quotes"][j]["entity"]).split()) != gold["quotes"][i]["entity"]
    ]
    assert (missed, extra, wrong) == ([], [], [])
    assert len(pairs) == len(gold["quotes"]) == 10
