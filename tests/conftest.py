"""Shared test setup: Qt runs offscreen and never touches the real user's settings or data.

This must run before any ``QApplication`` exists, hence at import time.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# QSettings and QStandardPaths read these on Linux; subprocesses (the launch tests) inherit them.
_HOME = tempfile.mkdtemp(prefix="quotebench-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
os.environ["XDG_CACHE_HOME"] = os.path.join(_HOME, "cache")
os.environ.setdefault("XDG_RUNTIME_DIR", os.path.join(_HOME, "runtime"))
os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)


# --- the trained spaCy pipeline, loaded once (about 2 s) for every test that parses -------------

import pytest


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The trained English pipeline (``load_nlp()``'s default), shared by the whole session."""
    from quotebench.core.engine.pipeline import load_nlp

    return load_nlp()


# --- the seed article's gold annotation and the scorer's matching rule --------------------------

_EDGE = " \t\r\n\u00a0\"'\u201c\u201d\u2018\u2019\u201e\u201f\u00ab\u00bb\u2039\u203a.,;:"


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def match_spans(text: str, gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """One-to-one ``(gold index, predicted index)`` pairs, as the shared scorer pairs them.

    After stripping quotation marks, white space and edge punctuation, two spans match when
    they overlap by at least half of their union; the best overlaps pair first.
    """
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


@pytest.fixture(scope="session")
def golden_match():  # type: ignore[no-untyped-def]
    """The matching rule of the shared scorer, restated small: :func:`match_spans`."""
    return match_spans


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    """The seed article's gold annotation (``tests/golden``), checked against ``seeds/``."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    (gold,) = [
        json.loads(line)
        for line in (root / "tests" / "golden" / "gb-news-russian-deserters.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    assert gold["text"] == (root / "seeds" / "gb-news-russian-deserters.txt").read_text(encoding="utf-8")
    return gold
