"""Benchmark of the project store at scale: 10,000 documents and 100,000 quotes.

Run: ``.venv/bin/python tests/benchmarks/bench_store.py [--docs N] [--quotes-per-doc N]``.
(Not collected by pytest: it only collects ``test_*.py``.)

Prints each figure with its target and, where it makes sense, a baseline measured in the same
run on the same file, and the ratio between them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlite_utils import Database

from quotebench.core.formats.jsonl import export_jsonl
from quotebench.core.model import Kind
from quotebench.core.project.store import Store, now

WORDS = (
    "the minister said that government would not change its plan officials told reporters on monday "
    "a spokesperson for ministry added talks continue despite pressure from critics who argue policy "
    "fails voters according to sources close negotiations council agreed budget"
).split()


def article(rng: random.Random, n_words: int = 500) -> str:
    words = [rng.choice(WORDS) for _ in range(n_words)]
    for i in range(0, n_words, 60):  # some quoted speech and paragraphs
        words[i] = '"' + words[i]
        words[min(i + 12, n_words - 1)] += '."'
        words[min(i + 30, n_words - 1)] += "\n"
    return " ".join(words)


def build(path: Path, n_docs: int, per_doc: int, seed: int = 1) -> float:
    """Make the project: documents through the Store, quotes and their history rows in bulk."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    with Store.create(path, annotator="bench") as store:
        texts: dict[int, str] = {}
        with store.batch():
            for i in range(n_docs):
                text = article(rng) + f" ({i})"
                doc_id, _ = store.add_document(text, title=f"article-{i:05d}", source="bench")
                texts[doc_id] = text
            speakers = [store.add_speaker(f"Speaker {i}")[0] for i in range(500)]
        stamp = now()
        rows, edits = [], []
        qid = 0
        for doc_id, text in texts.items():
            for k in range(per_doc):
                qid += 1
                start = rng.randrange(0, len(text) - 220)
                end = start + rng.randrange(20, 200)
                rows.append(
                    {
                        "id": qid,
                        "document_id": doc_id,
                        "start": start,
                        "end": end,
                        "text": text[start:end],
                        "kind": rng.choice(list(Kind)).value,
                        "cue_start": end + 1,
                        "cue_end": end + 5,
                        "mention_start": end + 6,
                        "mention_end": end + 15,
                        "speaker_id": rng.choice(speakers),
                        "status": rng.choice(["suggested", "accepted", "rejected"]),
                        "confidence": 0.5,
                        "origin": "quotebench-engine bench",
                        "rule": "bench",
                        "note": "",
                        "annotator": "bench",
                        "created": stamp,
                        "modified": stamp,
                    }
                )
                edits.append(
                    {
                        "at": stamp,
                        "annotator": "bench",
                        "action": "suggest",
                        "table_name": "quotes",
                        "row_id": qid,
                        "before": None,
                        "after": json.dumps(rows[-1]),
                    }
                )
        # sqlite-utils' own bulk insert, as a researcher's script would do it
        with store.batch():
            store.db["quotes"].insert_all(rows, batch_size=5000)
            store.db["edits"].insert_all(edits, batch_size=5000)
    return time.perf_counter() - t0


def timed(fn, repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def report(
    name: str, value: float, target: float | None = None, baseline: float | None = None, base_name: str = ""
) -> bool:
    line = f"{name:<44} {ms(value)}"
    ok = True
    if target is not None:
        ok = value < target
        line += f"   target < {target * 1000:g} ms: {'ok' if ok else 'MISSED'}"
    if baseline is not None:
        line += f"\n{'  baseline: ' + base_name:<44} {ms(baseline)}   ratio {value / baseline:5.2f}x"
    print(line)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--quotes-per-doc", type=int, default=10)
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="build the project here and keep it")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    path = args.keep or Path(tmp.name) / "bench.qb"
    if path.exists():
        path.unlink()
    build_s = build(path, args.docs, args.quotes_per_doc)
    size = path.stat().st_size
    print(
        f"project: {args.docs:,} documents, {args.docs * args.quotes_per_doc:,} quotes, "
        f"{size / 1e6:.1f} MB, built in {build_s:.1f} s ({path})"
    )
    print(f"python {sys.version.split()[0]}, sqlite {__import__('sqlite3').sqlite_version}")
    results = []

    # 1. open, and list documents without reading texts
    opens = timed(lambda: Store.open(path).close(), repeat=5)
    results.append(report("open (median of 5)", statistics.median(opens), 1.0))
    store = Store.open(path, annotator="bench")
    listing = statistics.median(timed(store.documents, repeat=5))
    listing_sql = "SELECT id, title, source, sha256, imported_at FROM documents {} ORDER BY id"
    indexed = statistics.median(
        timed(
            lambda: store.conn.execute(listing_sql.format("INDEXED BY documents_listing")).fetchall(),
            repeat=5,
        )
    )
    table_scan = statistics.median(
        timed(lambda: store.conn.execute(listing_sql.format("NOT INDEXED")).fetchall(), repeat=5)
    )
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN " + listing_sql.format("INDEXED BY documents_listing")
    ).fetchall()
    results.append(report("documents() listing with quote counts", listing, 1.0))
    report(
        "  its document query (covering index)", indexed, None, table_scan, "same query over the table rows"
    )
    print(f"{'  plan':<44} {plan[0][-1]}")

    # 2. quotes of one document
    rng = random.Random(2)
    ids = [rng.randrange(1, args.docs + 1) for _ in range(300)]
    per_doc = [timed(lambda d=d: store.quotes_for(d))[0] for d in ids]
    results.append(report("quotes_for(one document) median", statistics.median(per_doc), 0.010))
    print(f"{'  p95':<44} {ms(sorted(per_doc)[int(len(per_doc) * 0.95)])}")

    # 3. one edit, durable on disk when the call returns
    qids = [rng.randrange(1, args.docs * args.quotes_per_doc + 1) for _ in range(args.edits)]
    edit = [timed(lambda q=q, i=i: store.update_quote(q, note=f"edit {i}"))[0] for i, q in enumerate(qids)]
    # baseline: a bare sqlite-utils update in WAL mode with the same synchronous setting, same file
    bare = Database(path)
    bare.execute("PRAGMA synchronous = FULL")
    assert bare.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    base = [
        timed(lambda q=q, i=i: bare["quotes"].update(q, {"note": f"bare {i}"}))[0] for i, q in enumerate(qids)
    ]
    bare.execute("PRAGMA synchronous = NORMAL")
    normal = [
        timed(lambda q=q, i=i: bare["quotes"].update(q, {"note": f"normal {i}"}))[0]
        for i, q in enumerate(qids)
    ]
    bare.close()
    results.append(
        report(
            "update_quote, durable (median)",
            statistics.median(edit),
            0.002,
            statistics.median(base),
            "sqlite-utils update, WAL, sync FULL",
        )
    )
    print(f"{'  p95':<44} {ms(sorted(edit)[int(len(edit) * 0.95)])}")
    print(
        f"{'  sqlite-utils update, WAL, sync NORMAL':<44} {ms(statistics.median(normal))}"
        "   (not durable on power loss)"
    )
    # what the disk itself costs: one 4 KB write and fsync (sync FULL does one per commit)
    probe = path.with_suffix(".fsync")
    with open(probe, "wb") as fh:

        def write_sync() -> None:
            fh.write(b"x" * 4096)
            fh.flush()
            os.fsync(fh.fileno())

        syncs = timed(write_sync, repeat=args.edits)
    probe.unlink()
    print(f"{'  disk: 4 KB write + fsync (median)':<44} {ms(statistics.median(syncs))}")
    toggles = [
        timed(lambda q=q, i=i: store.set_status([q], "accepted" if i % 2 else "rejected"))[0]
        for i, q in enumerate(qids)
    ]
    print(f"{'set_status(one quote) median':<44} {ms(statistics.median(toggles))}")

    # 4. export every quote to JSONL
    sink = path.with_suffix(".jsonl")

    def do_export() -> None:
        with open(sink, "w", encoding="utf-8") as fh:
            export_jsonl(store, fh)

    export_s = min(timed(do_export, repeat=2))
    db = Database(path)

    def baseline_dump() -> None:  # sqlite-utils rows straight to JSON lines, no joins or texts
        with open(path.with_suffix(".base.jsonl"), "w", encoding="utf-8") as fh:
            for row in db.query("SELECT * FROM quotes"):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    base_s = min(timed(baseline_dump, repeat=2))
    results.append(
        report("export all quotes to JSONL", export_s, 2.0, base_s, "sqlite-utils dump of quotes table")
    )
    print(f"{'  export size':<44} {sink.stat().st_size / 1e6:8.1f} MB (with the {args.docs:,} texts)")
    db.close()
    store.close()
    print("all targets met" if all(results) else "SOME TARGETS MISSED")
    tmp.cleanup()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
