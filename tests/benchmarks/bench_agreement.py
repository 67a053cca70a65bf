"""Benchmark of ``quotebench agree``: two projects of 1,000 documents and 30,000 quotes each.

Run: ``.venv/bin/python tests/benchmarks/bench_agreement.py [--docs N] [--quotes-per-doc N]
[--json OUT]``. (Not collected by pytest: it only collects ``test_*.py``.)

The two projects hold the same generated texts. REFERENCE has ``quotes-per-doc`` quotes per text,
one in each slot of the text; OTHER is a second coder's version of it: most quotes with shifted
boundaries, some with another kind or speaker, some left out, some added. Timed: reading both
projects and computing every figure and disagreement (what ``agree --format json`` does, without
the process start), against a baseline measured in the same run: just reading all quotes of
both projects through the store's fast path (``Store.iter_quote_rows``, no joins).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from quotebench.core.agreement import agreement, open_coding
from quotebench.core.project.store import Store, now

WORDS = (
    "the minister said that government would not change its plan officials told reporters on monday "
    "a spokesperson for ministry added talks continue despite pressure from critics who argue policy "
    "fails voters according to sources close negotiations council agreed budget"
).split()
KINDS = ("direct", "indirect", "mixed")
TARGET_S = 2.0


def article(rng: random.Random, n_words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


def reference_quotes(rng: random.Random, length: int, per_doc: int, n_speakers: int) -> list[dict[str, Any]]:
    slot = length // per_doc
    out = []
    for k in range(per_doc):
        start = k * slot + rng.randrange(0, slot // 4)
        end = start + rng.randrange(slot // 3, slot // 2)
        out.append(
            {"start": start, "end": end, "kind": rng.choice(KINDS), "speaker": rng.randrange(n_speakers)}
        )
    return out


def second_coder(rng: random.Random, quotes: list[dict[str, Any]], n_speakers: int) -> list[dict[str, Any]]:
    out = []
    for q in quotes:
        roll = rng.random()
        if roll < 0.08:  # left out
            continue
        q = dict(q)
        if roll < 0.7:  # other boundaries
            q["start"] = max(0, q["start"] + rng.randrange(-4, 5))
            q["end"] = max(q["start"] + 1, q["end"] + rng.randrange(-6, 7))
        if rng.random() < 0.1:
            q["kind"] = rng.choice(KINDS)
        if rng.random() < 0.15:
            q["speaker"] = rng.choice([None, rng.randrange(n_speakers)])
        out.append(q)
        if roll > 0.95:  # an extra quote after this one
            out.append({**q, "start": q["end"] + 2, "end": q["end"] + 12, "kind": "indirect"})
    return out


def build(path: Path, texts: list[str], quotes: list[list[dict[str, Any]]], n_speakers: int) -> None:
    """Documents and speakers through the store; quotes in bulk through sqlite-utils."""
    with Store.create(path, annotator="bench") as store:
        with store.batch():
            ids = [
                store.add_document(text, title=f"article-{i:05d}", source="bench")[0]
                for i, text in enumerate(texts)
            ]
            speakers = [store.add_speaker(f"Speaker {i}")[0] for i in range(n_speakers)]
        stamp = now()
        rows = []
        for doc_id, text, doc_quotes in zip(ids, texts, quotes, strict=True):
            for q in doc_quotes:
                end = min(q["end"], len(text))
                rows.append(
                    {
                        "document_id": doc_id,
                        "start": q["start"],
                        "end": end,
                        "text": text[q["start"] : end],
                        "kind": q["kind"],
                        "speaker_id": None if q["speaker"] is None else speakers[q["speaker"]],
                        "status": "accepted",
                        "confidence": None,
                        "origin": "bench",
                        "rule": "",
                        "note": "",
                        "annotator": "bench",
                        "created": stamp,
                        "modified": stamp,
                    }
                )
        with store.batch():
            store.db["quotes"].insert_all(rows, batch_size=5000)


def read_all_quotes(paths: list[Path]) -> int:
    n = 0
    for path in paths:
        with Store.open(path) as store:
            n += sum(1 for _ in store.iter_quote_rows())
    return n


def run_agree(paths: list[Path]) -> dict[str, Any]:
    result = agreement([open_coding(p) for p in paths])
    json.dumps(result)  # what --format json writes
    return result


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--quotes-per-doc", type=int, default=30)
    parser.add_argument("--words", type=int, default=600, help="words per generated text")
    parser.add_argument("--speakers", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures to this file as one JSON object")
    args = parser.parse_args()

    rng = random.Random(11)
    texts = [article(rng, args.words) + f" ({i})" for i in range(args.docs)]
    ref = [reference_quotes(rng, len(t), args.quotes_per_doc, args.speakers) for t in texts]
    oth = [second_coder(rng, qs, args.speakers) for qs in ref]
    tmp = tempfile.TemporaryDirectory()
    paths = [Path(tmp.name) / "reference.qbproj", Path(tmp.name) / "other.qbproj"]
    t0 = time.perf_counter()
    build(paths[0], texts, ref, args.speakers)
    build(paths[1], texts, oth, args.speakers)
    build_s = time.perf_counter() - t0
    n_ref, n_oth = sum(map(len, ref)), sum(map(len, oth))
    print(f"projects: {args.docs:,} documents each, {n_ref:,} and {n_oth:,} quotes, built in {build_s:.1f} s")
    print(f"python {sys.version.split()[0]}, median of {args.repeat} runs")

    base_s, n_read = timed(lambda: read_all_quotes(paths), args.repeat)
    agree_s, result = timed(lambda: run_agree(paths), args.repeat)
    ok = agree_s <= TARGET_S
    verdict = "ok" if ok else "MISSED"
    print(
        f"{'agree (read both, match, measure, JSON)':<44} {agree_s * 1000:8.1f} ms   target <= 2 s: {verdict}"
    )
    print(
        f"{'  baseline: read all quotes of both':<44} {base_s * 1000:8.1f} ms"
        f"   ratio {agree_s / base_s:5.2f}x"
    )
    print(
        f"figures: P {result['spans']['precision']:.3f}  R {result['spans']['recall']:.3f}  "
        f"F1 {result['spans']['f1']:.3f}  kind alpha {result['kind']['alpha']:.3f}  "
        f"speaker alpha {result['speaker']['alpha']:.3f}  alpha_u {result['spans']['alpha_u']:.3f}"
    )
    if args.json:
        figures = {
            "documents": args.docs,
            "reference_quotes": n_ref,
            "other_quotes": n_oth,
            "quotes_read": n_read,
            "agree_s": agree_s,
            "baseline_read_quotes_s": base_s,
            "ratio": agree_s / base_s,
            "target_s": TARGET_S,
            "target_met": ok,
            "f1": result["spans"]["f1"],
            "kind_alpha": result["kind"]["alpha"],
            "speaker_alpha": result["speaker"]["alpha"],
        }
        args.json.write_text(json.dumps(figures) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
