"""Benchmark of ``quotebench adjudicate`` and ``quotebench evaluate`` on 1,000 documents.

Run: ``.venv/bin/python tests/benchmarks/bench_coders.py [--docs N] [--quotes-per-doc N]
[--json OUT]``. (Not collected by pytest: it only collects ``test_*.py``.)

The two coders' projects are those of ``bench_agreement.py`` (the same generator). Timed:

- adjudicate: a gold project from both (every shared text, agreements taken, each
  disagreement's versions written with their history), with ``--prefer`` deciding them all;
- evaluate: a project whose quotes are engine suggestions with their originals, most accepted,
  some edited, rejected or left, some added by hand, every document done;

each against a baseline measured in the same run: reading all quotes of the projects through
the store's fast path (``Store.iter_quote_rows``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_agreement import article, build, read_all_quotes, reference_quotes, second_coder, timed  # noqa: E402

from quotebench.core.agreement.adjudication import create_gold  # noqa: E402
from quotebench.core.agreement.evaluate import evaluate_project  # noqa: E402
from quotebench.core.project.store import Store, now  # noqa: E402


def as_engine_project(path: Path, rng: random.Random) -> None:
    """Turn a built project's quotes into reviewed engine suggestions with their originals."""
    with Store.open(path) as store, store.batch():
        stamp = now()
        rows = list(store.iter_quote_rows())
        for row in rows:
            original = {
                "start": row["start"],
                "end": row["end"],
                "text": row["text"],
                "kind": row["kind"],
                "entity": None,
                "confidence": round(rng.uniform(0.5, 1.0), 3),
                "rule": rng.choice(["direct.a", "reported.b", "mixed.c"]),
            }
            roll = rng.random()
            status, end = "accepted", row["end"]
            if roll < 0.1:
                end = max(row["start"] + 1, row["end"] - 3)
            elif roll < 0.25:
                status = "rejected"
            elif roll < 0.3:
                status = "suggested"
            origin = "annotator:bench" if roll > 0.95 else "quotebench-engine bench"
            store.db.execute(
                'UPDATE quotes SET "end" = ?, status = ?, origin = ?, original = ?, modified = ? '
                "WHERE id = ?",
                [end, status, origin, None if roll > 0.95 else json.dumps(original), stamp, row["id"]],
            )
        ids = [d.id for d in store.documents()]
        store.db.execute("DELETE FROM document_reviews")
        store.db["document_reviews"].insert_all(
            {"document_id": i, "state": "done", "annotator": "bench", "modified": stamp} for i in ids
        )


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
    folder = Path(tmp.name)
    ann, ben, engine = folder / "ann.qbproj", folder / "ben.qbproj", folder / "engine.qbproj"
    build(ann, texts, ref, args.speakers)
    build(ben, texts, oth, args.speakers)
    build(engine, texts, ref, args.speakers)
    as_engine_project(engine, rng)
    n_quotes = sum(map(len, ref)) + sum(map(len, oth))
    print(f"projects: {args.docs:,} documents each, {n_quotes:,} quotes in the two coders' projects")
    print(f"python {sys.version.split()[0]}, median of {args.repeat} runs")

    base_pair_s, _ = timed(lambda: read_all_quotes([ann, ben]), args.repeat)
    runs = iter(range(10**6))
    adj_s, summary = timed(
        lambda: create_gold([ann, ben], folder / f"gold-{next(runs)}.qbproj", prefer="ann"), args.repeat
    )
    base_one_s, _ = timed(lambda: read_all_quotes([engine]), args.repeat)
    eval_s, result = timed(lambda: evaluate_project(engine), args.repeat)
    print(f"{'adjudicate --prefer (write the gold project)':<46} {adj_s * 1000:9.1f} ms")
    print(
        f"{'  baseline: read all quotes of both coders':<46} {base_pair_s * 1000:9.1f} ms"
        f"   ratio {adj_s / base_pair_s:6.1f}x"
    )
    print(f"{'evaluate (every document done)':<46} {eval_s * 1000:9.1f} ms")
    print(
        f"{'  baseline: read all quotes of the project':<46} {base_one_s * 1000:9.1f} ms"
        f"   ratio {eval_s / base_one_s:6.1f}x"
    )
    print(
        f"adjudicate: {summary['agreed']:,} agreed, {summary['disagreements']:,} disagreements; "
        f"evaluate: P {result['spans']['precision']:.3f} R {result['spans']['recall']:.3f}"
    )
    if args.json:
        figures: dict[str, Any] = {
            "documents": args.docs,
            "coder_quotes": n_quotes,
            "adjudicate_s": adj_s,
            "baseline_read_both_s": base_pair_s,
            "adjudicate_ratio": adj_s / base_pair_s,
            "evaluate_s": eval_s,
            "baseline_read_one_s": base_one_s,
            "evaluate_ratio": eval_s / base_one_s,
            "agreed": summary["agreed"],
            "disagreements": summary["disagreements"],
        }
        args.json.write_text(json.dumps(figures) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
