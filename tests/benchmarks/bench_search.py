"""Corpus search on 100,000 quotes: filter time against a bare ``SELECT count(*)`` baseline.

Each query is what the Search all quotes view does when the filter changes: count the matches
and read the first page (200 rows, with their words in context).

    .venv/bin/python tests/benchmarks/bench_search.py [--quotes 100000] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_store import build

from quotebench.core.project.store import Store

#: (name, fields, words) of the queries timed.
QUERIES = [
    ("all", (), ()),
    ("word", (), ("council",)),
    ("two_words", (), ("council", "budget")),
    ("short_word", (), ("on",)),
    ("status_kind", (("status", "acc"), ("kind", "direct")), ()),
    ("speaker", (("speaker", "speaker 12"),), ()),
    ("mixed", (("status", "sug"),), ("minister",)),
]
TARGET_MS = 100.0


def median_ms(fn, repeat: int = 7) -> float:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return statistics.median(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--json", type=Path, help="write the figures as one flat JSON object")
    args = parser.parse_args(argv)
    per_doc = 50
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "search.qbproj"
        build_s = build(path, max(1, args.quotes // per_doc), per_doc)
        figures: dict[str, float | int] = {"quotes": args.quotes, "build_s": round(build_s, 2)}
        with Store.open(path) as store:
            conn = store.db.conn
            figures["baseline_count_ms"] = median_ms(
                lambda: conn.execute("SELECT count(*) FROM quotes").fetchone()
            )
            worst = 0.0
            for name, fields, words in QUERIES:

                def run(fields=fields, words=words) -> None:
                    ids = store.search_ids(fields, words)
                    store.search_hits(ids[:200])

                figures[f"filter_{name}_ms"] = value = median_ms(run)
                figures[f"filter_{name}_count"] = store.search_count(fields, words)
                worst = max(worst, value)
            figures["filter_ms"] = worst
            figures["sort_speaker_desc_ms"] = median_ms(
                lambda: store.search_ids((), (), order="speaker", descending=True)
            )
            ids = store.search_ids()
            figures["page_ms"] = median_ms(lambda: store.search_hits(ids[90_000:90_200]))
    print(f"{'query':<36} {'ms':>9}  (target {TARGET_MS:.0f} ms for filter_*)")
    for key, value in figures.items():
        print(f"{key:<36} {value:>9.2f}" if isinstance(value, float) else f"{key:<36} {value:>9}")
    if args.json:
        args.json.write_text(
            json.dumps({k: round(v, 3) for k, v in figures.items()}) + "\n", encoding="utf-8"
        )
    return 0 if figures["filter_ms"] <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
