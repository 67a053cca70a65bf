"""Benchmark of the project store at scale: 10,000 documents and 100,000 quotes.

Run: ``.venv/bin/python tests/benchmarks/bench_store.py [--docs N] [--quotes-per-doc N] [--json OUT]``.
(Not collected by pytest: it only collects ``test_*.py``.)

Prints each figure with its target and, where it makes sense, a baseline measured in the same
run on the same file, and the ratio between them; ``--json OUT`` also writes every figure as
one flat JSON object (seconds, sizes in bytes).

"One file" (issue 8.4): the edit cost under the two ways of keeping every confirmed edit in the
project file itself, each against a bare sqlite-utils update in the same journal mode and run:
(a) WAL, checkpointed when idle and on close (the cost of the checkpoint is paid once, after
the edits, and is measured too) and (b) the rollback journal (``journal_mode=DELETE``,
``synchronous=FULL``), where every commit writes the project file itself. Also: the cost of
``PRAGMA quick_check`` (the damage check before the first write) and of ``quotebench backup``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
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


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def edit_costs(path: Path, qids: list[int], mode: str) -> dict[str, float]:
    """Median and p99 of ``update_quote`` and of a bare sqlite-utils update, in one journal mode.

    The store is opened, switched to ``mode`` (``wal`` or ``delete``), edited, closed; then the
    same for a bare sqlite-utils connection. Both run with ``synchronous=FULL``.
    """
    store = Store.open(path, annotator="bench")
    store.conn.execute(f"PRAGMA journal_mode = {mode}")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == mode
    store.check()  # the damage check of the first write, not counted as an edit
    edit = [timed(lambda q=q, i=i: store.update_quote(q, note=f"{mode} {i}"))[0] for i, q in enumerate(qids)]
    checkpoint = timed(store.checkpoint)[0]
    copy_whole = store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    store.close()
    bare = Database(path)
    bare.execute(f"PRAGMA journal_mode = {mode}")
    bare.execute("PRAGMA synchronous = FULL")
    base = [
        timed(lambda q=q, i=i: bare["quotes"].update(q, {"note": f"bare {mode} {i}"}))[0]
        for i, q in enumerate(qids)
    ]
    bare.execute("PRAGMA journal_mode = wal")
    bare.close()
    out = {
        f"edit_{mode}_median_s": statistics.median(edit),
        f"edit_{mode}_p99_s": percentile(edit, 0.99),
        f"bare_{mode}_median_s": statistics.median(base),
        f"bare_{mode}_p99_s": percentile(base, 0.99),
    }
    if mode == "wal":
        out["checkpoint_after_edits_s"] = checkpoint
        out["wal_frames_left_after_checkpoint"] = float(copy_whole[1] if copy_whole[1] > 0 else 0)
    return out


def edit_beside_a_reader(path: Path, qid: int, mode: str, wait: float = 0.5) -> float:
    """Seconds one edit takes while another connection is half-way through reading (an export).

    ``float("inf")``: the edit gave up after ``wait`` seconds (E023, the project is busy).
    """
    Store.open(path).close()
    switch = sqlite3.connect(path)
    switch.execute(f"PRAGMA journal_mode = {mode}")
    switch.close()
    reader = sqlite3.connect(path)
    cursor = reader.execute("SELECT * FROM quotes")
    cursor.fetchone()  # the export's read is under way: its snapshot (or SHARED lock) is held
    writer = sqlite3.connect(path, timeout=wait)  # bare: the Store would switch the file to WAL
    writer.execute("PRAGMA synchronous = FULL")
    try:
        t0 = time.perf_counter()
        writer.execute("UPDATE quotes SET note = ? WHERE id = ?", [f"beside a reader, {mode}", qid])
        writer.commit()
        took = time.perf_counter() - t0
    except sqlite3.OperationalError:  # database is locked: E023 in the store
        took = float("inf")
    finally:
        cursor.close()
        reader.close()
        writer.close()
    switch = sqlite3.connect(path)
    switch.execute("PRAGMA journal_mode = wal")
    switch.close()
    return took


def one_file(path: Path, qids: list[int], rounds: int = 3) -> dict[str, float]:
    """Issue 8.4: WAL with checkpoints against the rollback journal, and what each edit costs.

    The two modes alternate over ``rounds`` rounds, so that a disk busy with other work in one
    part of the run weighs on both alike.
    """
    runs: dict[str, list[dict[str, float]]] = {"wal": [], "delete": []}
    per_round = max(1, len(qids) // rounds)
    for r in range(rounds):
        for mode in ("wal", "delete"):
            runs[mode].append(edit_costs(path, qids[r * per_round : (r + 1) * per_round], mode))
    figures = {
        key: statistics.median(run[key] for run in runs[mode]) for mode in runs for key in runs[mode][0]
    }
    for mode in ("wal", "delete"):
        figures[f"edit_{mode}_beside_reader_s"] = edit_beside_a_reader(path, qids[0], mode)
    print(f"\none file (issue 8.4): edit cost, synchronous=FULL, same file, {rounds} alternating rounds")
    print(f"{'':<30} {'median':>10} {'p99':>10}   {'bare median':>12} {'bare p99':>10}   beside a reader")
    for mode, label in (("wal", "(a) WAL + idle checkpoint"), ("delete", "(b) rollback journal")):
        beside = figures[f"edit_{mode}_beside_reader_s"]
        print(
            f"{label:<30} {ms(figures[f'edit_{mode}_median_s'])} {ms(figures[f'edit_{mode}_p99_s'])}   "
            f"{ms(figures[f'bare_{mode}_median_s'])} {ms(figures[f'bare_{mode}_p99_s'])}   "
            + (ms(beside) if beside != float("inf") else "busy (E023) after 0.5 s")
        )
    print(f"{'  (a) the checkpoint, once idle':<30} {ms(figures['checkpoint_after_edits_s'])}")
    within = figures["edit_delete_median_s"] <= 0.002
    figures["rollback_journal_within_2ms"] = float(within)
    figures["rollback_over_wal_ratio"] = figures["edit_delete_median_s"] / figures["edit_wal_median_s"]
    print(
        f"  rollback journal median within 2 ms in this run: {'yes' if within else 'no'}; "
        f"{figures['rollback_over_wal_ratio']:.1f}x WAL's"
    )
    return {k: (v if v != float("inf") else -1.0) for k, v in figures.items()}


def health(path: Path, out_dir: Path) -> dict[str, float]:
    """The damage check (quick_check) and a backup of the whole project."""
    with Store.open(path) as store:
        quick = timed(lambda: store.check("quick") or setattr(store, "_checked", -1), repeat=3)
        integrity = timed(lambda: store.check("integrity") or setattr(store, "_checked", -1), repeat=3)
        rows = timed(lambda: store.check("rows"))[0]
        backup_s = timed(lambda: store.backup(out_dir / "backup.qb"))[0]
    opened = timed(lambda: Store.open(out_dir / "backup.qb").close())[0]
    print(f"\n{'quick_check (warm, median of 3)':<44} {ms(statistics.median(quick))}")
    print(f"{'integrity_check (median of 3)':<44} {ms(statistics.median(integrity))}")
    print(f"{'integrity_check and the values types':<44} {ms(rows)}")
    print(f"{'quotebench backup (online backup API)':<44} {ms(backup_s)}")
    print(f"{'  the backup opens as a project':<44} {ms(opened)}")
    return {
        "quick_check_median_s": statistics.median(quick),
        "quick_check_first_s": quick[0],
        "integrity_check_median_s": statistics.median(integrity),
        "check_rows_s": rows,
        "backup_s": backup_s,
        "backup_bytes": float((out_dir / "backup.qb").stat().st_size),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--quotes-per-doc", type=int, default=10)
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="build the project here and keep it")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures as one flat JSON object")
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
    figures: dict[str, float] = {
        "documents": float(args.docs),
        "quotes": float(args.docs * args.quotes_per_doc),
        "project_bytes": float(size),
        "build_s": build_s,
    }

    # 1. open, and list documents without reading texts
    opens = timed(lambda: Store.open(path).close(), repeat=5)
    results.append(report("open (median of 5)", statistics.median(opens), 1.0))
    figures["open_median_s"] = statistics.median(opens)
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
    figures["documents_listing_s"] = listing
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
    figures["update_quote_median_s"] = statistics.median(edit)
    figures["update_quote_p95_s"] = percentile(edit, 0.95)
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
    figures["disk_fsync_4k_median_s"] = statistics.median(syncs)
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
    figures["export_jsonl_s"] = export_s
    db.close()
    store.close()
    figures.update(one_file(path, qids))
    figures.update(health(path, Path(tmp.name)))
    print("all targets met" if all(results) else "SOME TARGETS MISSED")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    tmp.cleanup()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
