"""The seed article end to end: ``quotebench extract`` against its gold annotation.

The scorer is the shared one's rule, restated small: a predicted quote matches a gold quote
when, after stripping quotation marks, white space and edge punctuation, their spans overlap
by at least half of their union (one-to-one, best overlap first).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cli import cli

ROOT = Path(__file__).parents[2]
SEED = ROOT / "seeds" / "gb-news-russian-deserters.txt"
GOLD = ROOT / "tests" / "golden" / "gb-news-russian-deserters.jsonl"

_STRIP = " \t\r\n\u00a0\"'\u201c\u201d\u2018\u2019\u201e\u201f\u00ab\u00bb\u2039\u203a.,;:"


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def match(text: str, gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one ``(gold index, predicted index)`` pairs overlapping by at least half the union."""
    g = [_core(text, q["start"], q["end"]) for q in gold]
    p = [_core(text, q["start"], q["end"]) for q in pred]
    scored = sorted(((_iou(a, b), i, j) for i, a in enumerate(g) for j, b in enumerate(p)), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if score >= 0.5 and i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def test_scorer_matches_by_half_the_union_after_stripping_marks() -> None:
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
    assert match(text, gold, pred) == [(0, 0)]  # "fail badly" is under half of the report
    assert match(text, gold, [{"start": 49, "end": 66}]) == [(1, 0)]  # "would fail badly." is over half


@pytest.mark.model
def test_seed_article_all_quotes_and_speakers() -> None:
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (pred,) = [json.loads(line) for line in result.stdout.splitlines()]
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert pred["text"] == gold["text"]
    pairs = match(gold["text"], gold["quotes"], pred["quotes"])
    missed = [gold["quotes"][i]["text"][:60] for i in set(range(len(gold["quotes"]))) - {i for i, _ in pairs}]
    extra = [pred["quotes"][j]["text"][:60] for j in set(range(len(pred["quotes"]))) - {j for _, j in pairs}]
    wrong = [
        (gold["quotes"][i]["entity"], pred["quotes"][j]["entity"])
        for i, j in pairs
        if " ".join(str(pred["quotes"][j]["entity"]).split()) != gold["quotes"][i]["entity"]
    ]
    assert (missed, extra, wrong) == ([], [], [])
    assert len(pairs) == len(gold["quotes"]) == 10
