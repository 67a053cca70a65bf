"""Benchmark of sharded extraction: one process, ``--processes 2`` and Dask ``--workers 2``, same texts.

Run: ``.venv/bin/python tests/benchmarks/bench_distributed.py [--corpus FILE] [--articles N]
[--partition-size N] [--suggest-docs N] [--window-docs N] [--only-window] [--json OUT]``.

The texts are the first ``--articles`` (120) articles of a JSONL corpus read at run time
(default: the dev corpus in /work/shared/corpus, never copied into the project). Each run is the
command line as a user types it (``quotebench extract IN -o DIR/ ...``): start-up, pipeline loads
and the cluster's start included. The three outputs must be the same bytes (checked).

Figures: articles/s of each and the ratios; the per-article cost (one process, less its pipeline
load) and Dask's overhead per partition (a stand-in engine that does nothing, on many one-article
partitions); from these, a projection of a million articles on 10 and 100 workers. With
``--suggest-docs`` (200), also ``quotebench suggest --processes 2`` against 1 on that many
documents: the speed-up and whether the stored quotes are identical. With ``--window-docs`` (20),
the window's background engine (``SuggestionRunner``) over that many documents with one process
and with two (``EnginePool``): the wall time from the request to the last quote stored, pipelines
already loaded, and whether the stored quotes are identical (``--only-window``: only this). The
load average of the machine is reported before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEV = Path("/work/shared/corpus/polnear-dev.jsonl")
QB = str(Path(sys.executable).with_name("quotebench"))
TARGET_DASK_OVER_PROCESSES = 1.25
HERE = Path(__file__).resolve().parent


def _run(args: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - start


def _shards(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("part-*.jsonl")))


def _load_seconds() -> float:
    code = (
        "import time; from quotebench.core.engine.pipeline import load_nlp; "
        "t = time.perf_counter(); load_nlp(); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


_OVERHEAD = """
import sys, time
sys.path.insert(0, sys.argv[3])
from quotebench.core.batch.dask_runner import DaskRunner
from quotebench.core.batch.runner import run_sharded
from quotebench.core.batch.work import EngineSpec
spec = EngineSpec(stand_in="_bench_noop:load")
t0 = time.perf_counter()
with DaskRunner(spec, workers=2) as runner:
    t1 = time.perf_counter()
    run_sharded([sys.argv[1]], sys.argv[2], spec, runner, size=1)
    t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""

_NOOP = """
from quotebench.core.batch.work import Engine
def load(spec):
    return Engine(lambda texts: [[] for _ in texts], {"name": "noop", "version": "0"})
"""


def dask_overhead(work: Path, partitions: int) -> tuple[float, float]:
    """Seconds to start a 2-worker local cluster, and Dask's cost per partition (with a no-op engine)."""
    (work / "_bench_noop.py").write_text(_NOOP)
    src = work / "tiny.jsonl"
    src.write_text(
        "".join(json.dumps({"id": f"t{i}", "text": f"Text {i}."}) + "\n" for i in range(partitions))
    )
    out = subprocess.run(
        [sys.executable, "-c", _OVERHEAD, str(src), str(work / "noop"), str(work)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(work)},
    ).stdout.split()
    start, run = float(out[-2]), float(out[-1])
    return start, run * 2 / partitions  # two workers: each partition holds one of them this long


def _stored(project: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(project) as db:
        rows = db.execute(
            'SELECT document_id, start, "end", kind, cue_start, mention_start, speaker_id, confidence, rule '
            'FROM quotes ORDER BY document_id, start, "end", kind'
        )
        return list(rows)


def suggest_figures(corpus: Path, n: int, work: Path) -> dict[str, Any]:
    src = work / "suggest.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines()[:n]
    src.write_text(
        "".join(json.dumps({"id": json.loads(x)["id"], "text": json.loads(x)["text"]}) + "\n" for x in lines)
    )
    times, stored = {}, {}
    for procs in ("1", "2"):
        project = work / f"s{procs}.qb"
        subprocess.run([QB, "new", str(project)], check=True, capture_output=True)
        subprocess.run([QB, "import", str(project), str(src)], check=True, capture_output=True)
        times[procs] = _run([QB, "suggest", str(project), "--processes", procs])
        stored[procs] = _stored(project)
    return {
        "suggest_docs": len(lines),
        "suggest_1_process_s": round(times["1"], 1),
        "suggest_2_processes_s": round(times["2"], 1),
        "suggest_speedup": round(times["1"] / times["2"], 2),
        "suggest_quotes_stored": len(stored["1"]),
        "suggest_identical": stored["1"] == stored["2"],
    }


def _window_run(app: Any, project: Path, processes: int) -> tuple[float, list[tuple[Any, ...]]]:
    from quotebench.core.project.store import Store
    from quotebench.gui.session import Session
    from quotebench.gui.suggestion_runner import SuggestionRunner

    store = Store.open(project)
    runner = SuggestionRunner(processes=lambda: processes)
    runner.set_session(Session(store))
    idle: list[bool] = []
    runner.idle.connect(lambda: idle.append(True))
    runner.load_model()
    while runner.engine is None and runner.model_error is None:
        app.processEvents()
        time.sleep(0.005)
    start = time.perf_counter()
    runner.request([d.id for d in store.documents()])
    while not idle:
        app.processEvents()
        time.sleep(0.001)
    seconds = time.perf_counter() - start
    runner.close()
    store.close()
    return seconds, _stored(project)


def window_figures(corpus: Path, n: int, work: Path) -> dict[str, Any]:
    """The window's engine over ``n`` documents with one process and with two (pipelines loaded)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from quotebench.core.project.store import Store

    app = QApplication.instance() or QApplication([])
    texts = [json.loads(x)["text"] for x in corpus.read_text(encoding="utf-8").splitlines()[:n]]
    times, stored = {}, {}
    for procs in (1, 2):
        project = work / f"w{procs}.qbproj"
        with Store.open(project, create=True) as store:
            for i, text in enumerate(texts):
                store.add_document(text, title=f"doc-{i:03d}")
        times[procs], stored[procs] = _window_run(app, project, procs)
    return {
        "window_docs": len(texts),
        "window_1_process_s": round(times[1], 2),
        "window_2_processes_s": round(times[2], 2),
        "window_speedup": round(times[1] / times[2], 2),
        "window_quotes_stored": len(stored[1]),
        "window_identical": stored[1] == stored[2],
    }


def extract_figures(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """One process, ``--processes 2`` and ``--workers 2`` over the same articles, and the projection."""
    figures: dict[str, Any] = {}
    src = work / "in.jsonl"
    src.write_text("\n".join(args.corpus.read_text(encoding="utf-8").splitlines()[: args.articles]) + "\n")
    n = args.articles
    size = ["--partition-size", str(args.partition_size)]
    runs = {
        "one_process": ["--processes", "1"],
        "processes_2": ["--processes", "2"],
        "dask_workers_2": ["--workers", "2"],
    }
    seconds, outputs = {}, {}
    for name, extra in runs.items():
        out = work / name
        seconds[name] = _run([QB, "extract", str(src), "-o", f"{out}/", *size, *extra])
        outputs[name] = _shards(out)
    load = _load_seconds()
    start, per_partition = dask_overhead(work, 200)
    per_article = (seconds["one_process"] - load) / n
    for name, s in seconds.items():
        figures[f"{name}_s"] = round(s, 2)
        figures[f"{name}_articles_per_s"] = round(n / s, 2)
    figures["processes_2_speedup"] = round(seconds["one_process"] / seconds["processes_2"], 2)
    figures["dask_over_processes_2"] = round(seconds["dask_workers_2"] / seconds["processes_2"], 2)
    figures["target_dask_over_processes_2"] = TARGET_DASK_OVER_PROCESSES
    figures["same_output_all_three"] = len(set(outputs.values())) == 1
    figures["pipeline_load_s"] = round(load, 2)
    figures["per_article_s"] = round(per_article, 4)
    figures["dask_cluster_start_s"] = round(start, 2)
    figures["dask_overhead_per_partition_s"] = round(per_partition, 4)
    for workers in (10, 100):
        partitions = 1_000_000 / 100  # a cluster run would use 100 articles a partition
        hours = (1_000_000 * per_article + partitions * per_partition) / workers / 3600 + load / 3600
        figures[f"projection_1M_articles_{workers}_workers_h"] = round(hours, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEV)
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--partition-size", type=int, default=10)
    parser.add_argument("--suggest-docs", type=int, default=200)
    parser.add_argument("--window-docs", type=int, default=20)
    parser.add_argument("--only-window", action="store_true", help="only the window's engine figures")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here (one flat object)")
    args = parser.parse_args()
    figures: dict[str, Any] = {
        "load_before": round(os.getloadavg()[0], 2),
        "cores": len(os.sched_getaffinity(0)),
    }
    with tempfile.TemporaryDirectory(prefix="qb-bench-dist-") as tmp:
        work = Path(tmp)
        if args.window_docs:
            figures.update(window_figures(args.corpus, args.window_docs, work))
        if not args.only_window:
            figures.update(extract_figures(args, work))
        if args.suggest_docs and not args.only_window:
            figures.update(suggest_figures(args.corpus, args.suggest_docs, work))
    figures["load_after"] = round(os.getloadavg()[0], 2)
    for key, value in figures.items():
        print(f"{key:>40}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
