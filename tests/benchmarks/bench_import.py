"""Benchmark of bulk import: ~100,000 quotes against a bare ``sqlite-utils insert`` of the same rows.

Run: ``.venv/bin/python tests/benchmarks/bench_import.py [--corpus FILE] [--copies N] [--json OUT]``.

The input is ``--copies`` copies (default 10) of a JSONL corpus of articles with quotes, read at
run time (default: the dev corpus in /work/shared/corpus, never copied into the project): each
copy gets new ids and a changed text (a line of its own put first, every offset moved), so no
text is a duplicate of another. Timed, in one run:

- ``bulk``: ``quotebench import --bulk`` of the file into a new project (in this process, no
  start-up): documents, quotes, speakers and history, indexes kept, 1,000 documents a transaction;
- ``baseline``: ``sqlite-utils insert`` (its command line) of the quote rows the bulk import
  stored (``SELECT * FROM quotes``, as JSON Lines) into a new database: SQLite's bulk speed for
  the same rows, with none of the checks, documents or history;
- ``classic`` (unless ``--no-classic``): the one-transaction import, one statement at a time.

Memory: peak RSS of a bulk import of one copy and of all copies, each in a fresh process (flat
means the same, whatever the size).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEV = Path("/work/shared/corpus/polnear-dev.jsonl")
TARGET_RATIO = 4.0

_CHILD = """
import resource, sys
from quotebench.core.formats.bulk_import import bulk_import
from quotebench.core.project.store import Store
with Store.create(sys.argv[1]) as store:
    bulk_import(store, [sys.argv[2]])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _copy(record: dict[str, Any], k: int) -> dict[str, Any]:
    head = f"Copy {k} of {record.get('id')}.\n"
    shift = len(head)
    quotes = []
    for q in record.get("quotes") or []:
        q = dict(q)
        for key in ("start", "end", "cue_start", "cue_end", "speaker_start", "speaker_end"):
            if isinstance(q.get(key), int):
                q[key] += shift
        quotes.append(q)
    return {"id": f"{record.get('id')}#{k}", "text": head + record["text"], "quotes": quotes}


def make_input(corpus: Path, copies: int, out: Path) -> tuple[int, int]:
    """Write ``copies`` changed copies of the corpus to ``out``; the numbers of documents and quotes."""
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = quotes = 0
    with out.open("w", encoding="utf-8") as fh:
        for k in range(copies):
            for record in records:
                copy = _copy(record, k)
                fh.write(json.dumps(copy, ensure_ascii=False) + "\n")
                docs += 1
                quotes += len(copy["quotes"])
    return docs, quotes


def timed_bulk(project: Path, source: Path) -> float:
    from quotebench.core.formats.bulk_import import bulk_import
    from quotebench.core.project.store import Store

    start = time.perf_counter()
    with Store.create(project) as store:
        bulk_import(store, [source])
    return time.perf_counter() - start


def timed_classic(project: Path, source: Path) -> float:
    from quotebench.core.formats.importers import import_paths
    from quotebench.core.project.store import Store

    start = time.perf_counter()
    with Store.create(project) as store:
        import_paths(store, [source])
    return time.perf_counter() - start


def timed_baseline(project: Path, work: Path, batch_size: int | None = None) -> tuple[float, int]:
    """``sqlite-utils insert`` of the quote rows the bulk import stored; the time and the row count.

    With ``batch_size``, ``--batch-size`` is passed: fewer commits (sqlite-utils commits each batch,
    100 rows by default), which is SQLite's bulk speed when the disk is slow to sync.
    """
    import sqlite3

    rows = work / "quote_rows.jsonl"
    n = 0
    with sqlite3.connect(project) as db, rows.open("w", encoding="utf-8") as fh:
        cur = db.execute("SELECT * FROM quotes ORDER BY id")
        names = [d[0] for d in cur.description]
        for row in cur:
            fh.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n")
            n += 1
    target = work / f"baseline{batch_size or ''}.db"
    tool = Path(sys.executable).with_name("sqlite-utils")
    extra = ["--batch-size", str(batch_size)] if batch_size else []
    start = time.perf_counter()
    subprocess.run([str(tool), "insert", str(target), "quotes", str(rows), "--nl", *extra], check=True)
    return time.perf_counter() - start, n


def peak_rss_kb(project: Path, source: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(project), str(source)], check=True, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEV)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--no-classic", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here (one flat object)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qb-bench-import-") as tmp:
        work = Path(tmp)
        source, one = work / "input.jsonl", work / "one.jsonl"
        docs, quotes = make_input(args.corpus, args.copies, source)
        make_input(args.corpus, 1, one)
        bulk_s = timed_bulk(work / "bulk.qb", source)
        baseline_s, rows = timed_baseline(work / "bulk.qb", work)
        batched_s, _ = timed_baseline(work / "bulk.qb", work, batch_size=10_000)
        classic_s = None if args.no_classic else timed_classic(work / "classic.qb", source)
        rss_one = peak_rss_kb(work / "rss1.qb", one)
        rss_all = peak_rss_kb(work / "rssN.qb", source)
    figures = {
        "documents": docs,
        "quotes": quotes,
        "quote_rows_stored": rows,
        "bulk_s": round(bulk_s, 2),
        "sqlite_utils_insert_s": round(baseline_s, 2),
        "bulk_over_sqlite_utils": round(bulk_s / baseline_s, 2),
        "sqlite_utils_insert_batch_10000_s": round(batched_s, 2),
        "bulk_over_sqlite_utils_batch_10000": round(bulk_s / batched_s, 2),
        "target_ratio": TARGET_RATIO,
        "classic_import_s": None if classic_s is None else round(classic_s, 2),
        "classic_over_bulk": None if classic_s is None else round(classic_s / bulk_s, 2),
        "bulk_quotes_per_s": round(quotes / bulk_s),
        "peak_rss_mb_one_copy": round(rss_one / 1024, 1),
        f"peak_rss_mb_{args.copies}_copies": round(rss_all / 1024, 1),
    }
    figures["load_average"] = round(os.getloadavg()[0], 2)
    for key, value in figures.items():
        print(f"{key:>36}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
