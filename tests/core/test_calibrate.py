"""The calibration script (``tests/benchmarks/calibrate.py``) on small invented gold and predictions.

Four articles; GOLD lines 1 and 3 are the odd lines, 2 and 4 the even ones. Nine suggestions
(p1..p9), judged by hand against the gold with the scorer's rule:

====  ====  =====================  ========  ====  =======  ===========================================
line  name  rule                   kind      conf  speaker  verdict
====  ====  =====================  ========  ====  =======  ===========================================
1     p1    direct.said_after      direct    0.98  Mia      right
1     p2    reported.complement    indirect  0.89  Tom      right
1     p3    reported.topic         indirect  0.59  -        wrong (no gold); hidden: no speaker, 0.59 < 0.8
2     p4    direct.said_after      direct    0.98  Ann      right (same span as p5, listed first)
2     p5    direct.said_after      direct    0.98  Ann      wrong (the gold quote is taken: one to one)
2     p6    reported.complement    indirect  0.89  Ann      wrong (IoU 11/25 < 0.5 with the gold)
3     p7    reported.topic         indirect  0.59  -        wrong; hidden
3     p8    mixed.quoted_words     mixed     0.45  Critics  wrong; hidden (0.45 < 0.5)
3     p9    reported.complement    indirect  0.76  -        right; hidden: no speaker, 0.76 < 0.8
====  ====  =====================  ========  ====  =======  ===========================================

Line 4 has no predictions at all; the predictions hold an article the gold lacks (ignored).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "calibrate.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("calibrate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibrate"] = module
    spec.loader.exec_module(module)
    return module


cal = _load()

TEXTS = {
    "a1": 'Mia said "We will win." Tom said that the plan works. Rain fell.',
    "a2": '"The bridge is safe," Ann said. Ann added that the river was high in May.',
    "a3": 'It was decided that taxes rise. Critics called it a "theft".',
    "a4": "Nobody spoke.",
}
GOLD = {
    "a1": [("direct", '"We will win."'), ("indirect", "the plan works")],
    "a2": [("direct", '"The bridge is safe,"'), ("indirect", "the river was high in May")],
    "a3": [("indirect", "taxes rise")],
    "a4": [],
}
# (article, span text, rule, kind, confidence, speaker)
PRED = [
    ("a1", '"We will win."', "direct.said_after", "direct", 0.98, "Mia"),
    ("a1", "the plan works", "reported.complement", "indirect", 0.89, "Tom"),
    ("a1", "Rain fell", "reported.topic", "indirect", 0.59, None),
    ("a2", '"The bridge is safe,"', "direct.said_after", "direct", 0.98, "Ann"),
    ("a2", "The bridge is safe", "direct.said_after", "direct", 0.98, "Ann"),
    ("a2", "high in May", "reported.complement", "indirect", 0.89, "Ann"),
    ("a3", "It was decided", "reported.topic", "indirect", 0.59, None),
    ("a3", 'a "theft"', "mixed.quoted_words", "mixed", 0.45, "Critics"),
    ("a3", "taxes rise", "reported.complement", "indirect", 0.76, None),
]
TABLE: dict[str, Any] = {
    "version": "quotebench.confidences.v1",
    "about": {"rules": "rule id -> precision"},
    "rules": {
        "direct.said_after": 0.9,
        "direct.colon_label": 0.93,
        "reported.complement": 0.8,
        "reported.topic": 0.6,
        "mixed.quoted_words": 0.64,
    },
    "cases": {"direct.closing_mark_missing": 0.6},
    "factors": {"reported_without_speaker": 0.85},
    "thresholds": {
        "direct.said_after": 0.5,
        "direct.colon_label": 0.5,
        "reported.complement": 0.5,
        "reported.topic": 0.6,
        "reported_without_speaker": 0.8,
        "mixed.quoted_words": 0.5,
    },
}


def _quote(text: str, span: str, kind: str, **extra: Any) -> dict[str, Any]:
    start = text.index(span)
    return {"start": start, "end": start + len(span), "text": span, "kind": kind, **extra}


def _write(path: Path, articles: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    gold = [
        {"id": doc, "text": text, "quotes": [_quote(text, span, kind) for kind, span in GOLD[doc]]}
        for doc, text in TEXTS.items()
    ]
    by_doc: dict[str, list[dict[str, Any]]] = {"a1": [], "a2": [], "a3": []}
    for doc, span, rule, kind, conf, speaker in PRED:
        by_doc[doc].append(_quote(TEXTS[doc], span, kind, rule=rule, confidence=conf, speaker=speaker))
    pred = [{"id": doc, "text": TEXTS[doc], "quotes": quotes} for doc, quotes in by_doc.items()]
    stray = _quote("He said it.", "it", "indirect", rule="reported.topic", confidence=0.59)
    pred.append({"id": "elsewhere", "text": "He said it.", "quotes": [stray]})
    table = tmp_path / "confidences.json"
    table.write_text(json.dumps(TABLE, indent=2) + "\n", encoding="utf-8")
    return _write(tmp_path / "gold.jsonl", gold), _write(tmp_path / "pred.jsonl", pred), table


def _figures(files: tuple[Path, Path, Path], tmp_path: Path, *options: str) -> dict[str, Any]:
    gold, pred, table = files
    out = tmp_path / "out.json"
    assert cal.main([str(gold), str(pred), "--confidences", str(table), "--json", str(out), *options]) == 0
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return figures


def test_precision_per_rule(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    f = _figures(files, tmp_path)
    assert (f["n"], f["right"], f["precision"]) == (9, 4, 0.4444)
    assert (f["rule_direct.said_after_n"], f["rule_direct.said_after_right"]) == (3, 2)
    assert f["rule_direct.said_after_precision"] == 0.6667
    assert (f["rule_reported.complement_n"], f["rule_reported.complement_right"]) == (3, 2)
    assert (f["rule_reported.topic_n"], f["rule_reported.topic_precision"]) == (2, 0.0)
    assert (f["rule_mixed.quoted_words_n"], f["rule_mixed.quoted_words_precision"]) == (1, 0.0)
    assert (f["rule_reported.topic_confidence"], f["rule_reported.topic_threshold"]) == (0.6, 0.6)
    assert "rule_direct.colon_label_n" not in f  # no suggestion: no row


def test_buckets_of_every_suggestion(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    f = _figures(files, tmp_path)
    n = [f[f"bucket_{lo:.1f}_{hi:.1f}_n"] for lo, hi in cal.BUCKETS]
    observed = [f[f"bucket_{lo:.1f}_{hi:.1f}_observed"] for lo, hi in cal.BUCKETS]
    assert n == [1, 2, 0, 1, 2, 3]
    assert observed == [0.0, 0.0, None, 1.0, 0.5, 0.6667]
    means = (f["bucket_0.0_0.5_mean"], f["bucket_0.5_0.6_mean"], f["bucket_0.9_1.0_mean"])
    assert means == (0.45, 0.59, 0.98)


def test_shown_buckets_leave_out_the_hidden(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    f = _figures(files, tmp_path, "--shown")
    assert [f[f"bucket_{lo:.1f}_{hi:.1f}_n"] for lo, hi in cal.BUCKETS] == [0, 0, 0, 0, 2, 3]
    assert (f["bucket_0.7_0.8_observed"], f["bucket_0.8_0.9_observed"]) == (None, 0.5)
    assert f["rule_reported.complement_n"] == 3  # the per-rule figures count every suggestion


def test_by_kind(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    f = _figures(files, tmp_path, "--by-kind")
    assert [f[f"kind_indirect_bucket_{lo:.1f}_{hi:.1f}_n"] for lo, hi in cal.BUCKETS] == [0, 2, 0, 1, 2, 0]
    assert (f["kind_direct_bucket_0.9_1.0_n"], f["kind_direct_bucket_0.9_1.0_observed"]) == (3, 0.6667)
    assert (f["kind_mixed_bucket_0.0_0.5_n"], f["kind_mixed_bucket_0.9_1.0_n"]) == (1, 0)


def test_even_and_odd_lines(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    even = _figures(files, tmp_path, "--lines", "even")
    assert (even["n"], even["right"]) == (3, 1)
    assert (even["rule_direct.said_after_n"], even["rule_direct.said_after_right"]) == (2, 1)
    assert (even["rule_reported.complement_n"], even["rule_reported.complement_right"]) == (1, 0)
    assert "rule_reported.topic_n" not in even
    odd = _figures(files, tmp_path, "--lines", "odd")
    assert (odd["n"], odd["right"]) == (6, 3)
    assert (odd["rule_reported.complement_n"], odd["rule_reported.complement_precision"]) == (2, 1.0)
    assert (odd["rule_direct.said_after_n"], odd["rule_reported.topic_n"]) == (1, 2)


def test_json_is_flat(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    f = _figures(files, tmp_path, "--shown", "--by-kind")
    assert all(v is None or isinstance(v, int | float | str) for v in f.values())
    assert "bucket_0.8_0.9_observed" in f and "bucket_0.8_0.9_n" in f


def test_printed_tables(files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    gold, pred, table = files
    cal.main([str(gold), str(pred), "--confidences", str(table)])
    out = capsys.readouterr().out
    assert "| direct.said_after | 3 | 2 | 0.67 | 0.90 | 0.50 |" in out
    assert "| all | 9 | 4 | 0.44 | | |" in out
    assert "| 0.9\u20131.0 | 0.98 | 0.67 | 3 |" in out
    assert "| 0.6\u20130.7 | - | - | 0 |" in out


def test_write_confidences_rewrites_only_rules_with_enough(
    files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    gold, pred, table = files
    args = ["--confidences", str(table), "--write-confidences", "--min-suggestions", "3"]
    assert cal.main([str(gold), str(pred), *args]) == 0
    written = table.read_text(encoding="utf-8")
    expected = json.loads(json.dumps(TABLE))
    expected["rules"]["direct.said_after"] = 0.67  # 2 of 3
    expected["rules"]["reported.complement"] = 0.67  # 2 of 3
    assert written == json.dumps(expected, indent=2) + "\n"  # same order, sections and style
    assert list(json.loads(written)["rules"]) == list(TABLE["rules"])
    out = capsys.readouterr().out
    assert "kept      reported.topic: 0.6 (2 suggestions < 3)" in out
    assert "kept      direct.colon_label: 0.93 (0 suggestions < 3)" in out
    assert "rewritten direct.said_after: 0.9 -> 0.67 (2/3)" in out


def test_write_confidences_keeps_rules_under_twenty(files: tuple[Path, Path, Path]) -> None:
    gold, pred, table = files
    before = table.read_text(encoding="utf-8")
    assert cal.main([str(gold), str(pred), "--confidences", str(table), "--write-confidences"]) == 0
    assert table.read_text(encoding="utf-8") == before


def test_buckets_edges() -> None:
    assert [cal.bucket_of(c) for c in (0.0, 0.49, 0.5, 0.6, 0.7, 0.8, 0.89, 0.9, 1.0)] == [
        0, 0, 1, 2, 3, 4, 4, 5, 5,
    ]  # fmt: skip
