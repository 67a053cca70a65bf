"""Calibration of the engine's confidences: each rule's precision and the reliability of ``confidence``.

Run by hand (it asserts nothing; it prints figures)::

    .venv/bin/quotebench extract ../shared/corpus/polnear-dev.jsonl --processes 2 \\
        --min-confidence 0 -o pred.jsonl
    .venv/bin/python tests/benchmarks/calibrate.py ../shared/corpus/polnear-dev.jsonl pred.jsonl --lines even
    .venv/bin/python tests/benchmarks/calibrate.py GOLD PRED --lines odd --shown --by-kind --json out.json
    .venv/bin/python tests/benchmarks/calibrate.py GOLD PRED --lines even --write-confidences \\
        --confidences /tmp/confidences-copy.json

GOLD and PRED are JSON Lines, one article per line (``../shared/eval/SCHEMA.md``); PRED holds every
suggestion the engine makes, hidden ones too (``extract --min-confidence 0``), each with its ``rule``
and ``confidence``. Both are read where they are (the corpus is never copied into the project).
Articles are paired by ``id``; ``--lines even|odd|all`` keeps the articles on GOLD's even-numbered
(2nd, 4th, ...) or odd-numbered (1st, 3rd, ...) lines, or all of them (the rules' confidences are
measured on the even lines; the odd lines are the held-out check).

A suggestion is right when it matches a gold quote of any kind by the scorer's rule (spans
normalised, IoU at least 0.5, one to one, greedy; :mod:`quotebench.core.agreement.matching`).
Printed, as Markdown tables:

1. per rule: suggestions, right, precision, the rule's confidence in ``confidences.json`` and its
   threshold (every suggestion counts);
2. reliability: buckets of predicted confidence (<0.5, 0.5-0.6, ..., 0.9-1.0), each with the mean
   predicted confidence, the observed precision and the count; with ``--shown`` only suggestions at
   or above their threshold count (a report with no speaker is held to ``reported_without_speaker``,
   as the engine does);
3. with ``--by-kind``, the reliability table for each kind of suggestion.

``--json OUT`` writes one flat JSON object: ``rule_<id>_n``, ``rule_<id>_right``,
``rule_<id>_precision``, ``rule_<id>_confidence``, ``rule_<id>_threshold``;
``bucket_<lo>_<hi>_mean``, ``bucket_<lo>_<hi>_observed``, ``bucket_<lo>_<hi>_n`` (``bucket_0.0_0.5``
for <0.5); with ``--by-kind`` the same prefixed ``kind_<kind>_``; and ``n``, ``right``, ``precision``.

``--write-confidences`` rewrites the ``rules`` section of the confidence table (``--confidences
PATH``, default the package's ``core/engine/lexicons/confidences.json``) with each rule's measured
precision, two decimals, for the rules with at least ``--min-suggestions`` (20) suggestions; every
other rule, section, the key order and the file's formatting stay as they are.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from quotebench.core.agreement.matching import match_spans, normalize_span

#: Reports that name no speaker are held to this threshold instead of their rule's.
NO_SPEAKER = "reported_without_speaker"
#: (low, high) of every reliability bucket; the last one includes 1.0.
BUCKETS: tuple[tuple[float, float], ...] = (
    (0.0, 0.5),
    (0.5, 0.6),
    (0.6, 0.7),
    (0.7, 0.8),
    (0.8, 0.9),
    (0.9, 1.0),
)
MIN_SUGGESTIONS = 20
KINDS = ("direct", "indirect", "mixed")


def default_confidences() -> Path:
    """The package's confidence table (``core/engine/lexicons/confidences.json``)."""
    return Path(str(resources.files("quotebench.core.engine.lexicons").joinpath("confidences.json")))


@dataclass(frozen=True)
class Suggestion:
    """One predicted quote, judged against the gold."""

    rule: str
    kind: str
    confidence: float
    threshold: float
    right: bool

    @property
    def shown(self) -> bool:
        """At or above its threshold (what ``extract`` shows by default)."""
        return self.confidence >= self.threshold


def read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """``(line number from 1, article)`` for every non-blank line of a JSON Lines file."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                out.append((number, json.loads(line)))
    return out


def select_lines(articles: Iterable[tuple[int, dict[str, Any]]], lines: str) -> list[dict[str, Any]]:
    """The articles on even-numbered lines, odd-numbered lines, or all."""
    if lines == "all":
        return [a for _, a in articles]
    parity = 0 if lines == "even" else 1
    return [a for number, a in articles if number % 2 == parity]


def threshold_of(quote: dict[str, Any], thresholds: dict[str, float]) -> float:
    """The threshold a suggestion must reach to be shown (as ``core.engine.extract.shown``)."""
    key = str(quote.get("rule") or "")
    if quote.get("kind") != "direct" and quote.get("speaker") is None and quote.get("speaker_start") is None:
        key = NO_SPEAKER
    return float(thresholds.get(key, 0.0))


def judge(
    gold: Sequence[dict[str, Any]], pred: dict[str, dict[str, Any]], thresholds: dict[str, float]
) -> list[Suggestion]:
    """Every suggestion of the gold's articles, right when it matches a gold quote of any kind."""
    out: list[Suggestion] = []
    for article in gold:
        text = article["text"]
        quotes = pred.get(article["id"], {}).get("quotes", [])
        gold_spans = [normalize_span(text, q["start"], q["end"]) for q in article.get("quotes", [])]
        pred_spans = [normalize_span(text, q["start"], q["end"]) for q in quotes]
        matched = {oi for _, oi, _ in match_spans(gold_spans, pred_spans)}
        for i, q in enumerate(quotes):
            conf = q.get("confidence")
            out.append(
                Suggestion(
                    rule=str(q.get("rule") or ""),
                    kind=str(q.get("kind") or ""),
                    confidence=float(conf) if conf is not None else 0.0,
                    threshold=threshold_of(q, thresholds),
                    right=i in matched,
                )
            )
    return out


def _precision(right: int, n: int) -> float | None:
    return right / n if n else None


def per_rule(suggestions: Iterable[Suggestion], order: Sequence[str]) -> dict[str, tuple[int, int]]:
    """rule -> (suggestions, right): the table's rules first, in its order, then any other rule."""
    counts: dict[str, list[int]] = {}
    for s in suggestions:
        c = counts.setdefault(s.rule, [0, 0])
        c[0] += 1
        c[1] += s.right
    rules = [r for r in order if r in counts] + sorted(r for r in counts if r not in order)
    return {r: (counts[r][0], counts[r][1]) for r in rules}


def bucket_of(confidence: float) -> int:
    """The index in :data:`BUCKETS` of a confidence (0.9 to 1.0 inclusive share the last)."""
    tenths = math.floor(round(confidence * 10, 6))
    return max(0, min(len(BUCKETS) - 1, tenths - 4))


def reliability(suggestions: Iterable[Suggestion]) -> list[tuple[int, float | None, float | None]]:
    """For each bucket: (count, mean predicted confidence, observed precision)."""
    counts, rights = [0] * len(BUCKETS), [0] * len(BUCKETS)
    totals = [0.0] * len(BUCKETS)
    for s in suggestions:
        b = bucket_of(s.confidence)
        counts[b] += 1
        rights[b] += s.right
        totals[b] += s.confidence
    return [
        (n, total / n if n else None, _precision(right, n))
        for n, total, right in zip(counts, totals, rights, strict=True)
    ]


def bucket_label(low: float, high: float) -> str:
    return "<0.5" if low == 0.0 else f"{low:.1f}\u2013{high:.1f}"


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def rule_table(rules: dict[str, tuple[int, int]], table: dict[str, Any]) -> list[str]:
    """The per-rule Markdown table."""
    lines = [
        "| rule | suggestions | right | precision | confidence | threshold |",
        "|---|---|---|---|---|---|",
    ]
    for rule, (n, right) in rules.items():
        conf, thr = _fmt(table["rules"].get(rule)), _fmt(table["thresholds"].get(rule))
        lines.append(f"| {rule} | {n:,} | {right:,} | {_fmt(_precision(right, n))} | {conf} | {thr} |")
    n = sum(v[0] for v in rules.values())
    right = sum(v[1] for v in rules.values())
    lines.append(f"| all | {n:,} | {right:,} | {_fmt(_precision(right, n))} | | |")
    return lines


def reliability_table(rows: list[tuple[int, float | None, float | None]]) -> list[str]:
    """The reliability Markdown table (as in the README's Accuracy section)."""
    lines = [
        "| predicted confidence | mean predicted | observed precision | suggestions |",
        "|---|---|---|---|",
    ]
    for (low, high), (n, mean, observed) in zip(BUCKETS, rows, strict=True):
        lines.append(f"| {bucket_label(low, high)} | {_fmt(mean)} | {_fmt(observed)} | {n:,} |")
    return lines


def flat_reliability(rows: list[tuple[int, float | None, float | None]], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for (low, high), (n, mean, observed) in zip(BUCKETS, rows, strict=True):
        key = f"{prefix}bucket_{low:.1f}_{high:.1f}"
        out[f"{key}_mean"] = None if mean is None else round(mean, 4)
        out[f"{key}_observed"] = None if observed is None else round(observed, 4)
        out[f"{key}_n"] = n
    return out


def flat_figures(
    suggestions: Sequence[Suggestion], table: dict[str, Any], *, shown: bool, by_kind: bool
) -> dict[str, Any]:
    """Every figure as one flat JSON object."""
    rules = per_rule(suggestions, list(table["rules"]))
    n, right = len(suggestions), sum(s.right for s in suggestions)
    out: dict[str, Any] = {"n": n, "right": right, "precision": _round(_precision(right, n))}
    for rule, (rn, rr) in rules.items():
        out[f"rule_{rule}_n"] = rn
        out[f"rule_{rule}_right"] = rr
        out[f"rule_{rule}_precision"] = _round(_precision(rr, rn))
        out[f"rule_{rule}_confidence"] = table["rules"].get(rule)
        out[f"rule_{rule}_threshold"] = table["thresholds"].get(rule)
    counted = [s for s in suggestions if s.shown] if shown else list(suggestions)
    out.update(flat_reliability(reliability(counted)))
    if by_kind:
        for kind in kinds_of(counted):
            out.update(flat_reliability(reliability(s for s in counted if s.kind == kind), f"kind_{kind}_"))
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def kinds_of(suggestions: Iterable[Suggestion]) -> list[str]:
    """The kinds present: direct, indirect, mixed first, then any other."""
    present = {s.kind for s in suggestions}
    return [k for k in KINDS if k in present] + sorted(present - set(KINDS))


def report(suggestions: Sequence[Suggestion], table: dict[str, Any], *, shown: bool, by_kind: bool) -> str:
    """The printed tables."""
    lines = ["Per rule (every suggestion):", ""]
    lines += rule_table(per_rule(suggestions, list(table["rules"])), table)
    counted = [s for s in suggestions if s.shown] if shown else list(suggestions)
    which = "suggestions at or above their threshold" if shown else "every suggestion"
    lines += ["", f"Reliability ({which}):", ""]
    lines += reliability_table(reliability(counted))
    if by_kind:
        for kind in kinds_of(counted):
            lines += ["", f"Reliability, {kind} ({which}):", ""]
            lines += reliability_table(reliability(s for s in counted if s.kind == kind))
    return "\n".join(lines)


def write_confidences(
    path: Path, rules: dict[str, tuple[int, int]], min_suggestions: int = MIN_SUGGESTIONS
) -> list[str]:
    """Rewrite the table's ``rules`` with the measured precisions; every other value stays.

    Returns:
        One line per rule of the table and per measured rule it lacks: what was done and why.
    """
    source = path.read_text(encoding="utf-8")
    data = json.loads(source)
    notes = []
    for rule, old in data["rules"].items():
        n, right = rules.get(rule, (0, 0))
        if n < min_suggestions:
            notes.append(f"kept      {rule}: {old} ({n} suggestions < {min_suggestions})")
            continue
        new = round(right / n, 2)
        data["rules"][rule] = new
        verb = "rewritten" if new != old else "unchanged"
        notes.append(f"{verb} {rule}: {old} -> {new} ({right}/{n})")
    for rule in rules:
        if rule not in data["rules"]:
            notes.append(f"not added {rule}: not in the table ({rules[rule][0]} suggestions)")
    path.write_text(dump_like(data, source), encoding="utf-8")
    return notes


def dump_like(data: Any, source: str) -> str:
    """``data`` as JSON in the style of ``source``: its indent, escaping and final newline."""
    second = source.splitlines()[1] if source.count("\n") >= 1 else ""
    indent = len(second) - len(second.lstrip(" ")) or 2
    text = json.dumps(data, indent=indent, ensure_ascii=source.isascii())
    return text + "\n" if source.endswith("\n") else text


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("gold", type=Path, help="gold quotes (JSON Lines)")
    parser.add_argument("pred", type=Path, help="every suggestion (extract --min-confidence 0)")
    parser.add_argument("--lines", choices=("even", "odd", "all"), default="all")
    parser.add_argument("--shown", action="store_true", help="reliability of the shown suggestions only")
    parser.add_argument("--by-kind", action="store_true", help="reliability per kind of suggestion")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures as one flat JSON object")
    parser.add_argument("--confidences", type=Path, default=None, help="the confidence table to read/rewrite")
    parser.add_argument("--write-confidences", action="store_true", help="rewrite the table's rules")
    parser.add_argument("--min-suggestions", type=int, default=MIN_SUGGESTIONS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    conf_path: Path = args.confidences or default_confidences()
    table = json.loads(conf_path.read_text(encoding="utf-8"))
    gold = select_lines(read_jsonl(args.gold), args.lines)
    pred = {a["id"]: a for _, a in read_jsonl(args.pred)}
    suggestions = judge(gold, pred, table["thresholds"])
    print(f"{len(gold)} articles ({args.lines} lines of {args.gold}), {len(suggestions):,} suggestions")
    print()
    print(report(suggestions, table, shown=args.shown, by_kind=args.by_kind))
    if args.json:
        figures = flat_figures(suggestions, table, shown=args.shown, by_kind=args.by_kind)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.write_confidences:
        if args.lines != "even":
            print(f"\nnote: the confidences are meant to be measured on the even lines (these: {args.lines})")
        rules = per_rule(suggestions, list(table["rules"]))
        print(f"\nRewriting the rules of {conf_path}:")
        for note in write_confidences(conf_path, rules, args.min_suggestions):
            print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
