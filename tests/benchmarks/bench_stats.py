"""Benchmark of the statistics (issue 12): every grouping over 100,000 quotes, against a bare
``SELECT count(*)`` of the same quotes in the same run; and the chart drawn from a table.

Run: ``.venv/bin/python tests/benchmarks/bench_stats.py [--docs N] [--quotes-per-doc N] [--json OUT]
[--view-project P.qbproj]``.
(Not collected by pytest: it only collects ``test_*.py``.)

The project is built in bulk with plain SQL (short texts: the statistics never read them), with
outlets, dates and a speaker attribute, so every join of the statistics is exercised. Each
figure is the median of 7 warm runs; the target is 100 ms per query (the window refreshes its
Statistics view after edits). ``--json OUT`` writes every figure as one flat JSON object
(seconds). The window's Statistics view is timed too (a refresh: the query, the chart drawn on
its canvas and the table; target 200 ms), on the 100,000 quotes and, with ``--view-project``,
on a project of your own (e.g. 30 dev-corpus articles), offscreen.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics as stats_module
import sys
import tempfile
import time
from pathlib import Path

from quotebench.core.project.statistics import StatsQuery, statistics
from quotebench.core.project.store import Store, now

OUTLETS = ("Valley News", "Hill Gazette", "Coastal Times", "Northern Post", "The Ledger", "")
TARGET = 0.100
VIEW_TARGET = 0.200


def time_view(path: Path, figures: dict[str, float], prefix: str) -> float:
    """Median refresh of the Statistics view on a project, by speaker and by outlet stacked."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from quotebench.gui.widgets.statistics_view import StatisticsView

    app = QApplication.instance() or QApplication([])
    worst = 0.0
    with Store.open(path) as store:
        view = StatisticsView(store)
        view.resize(1300, 520)
        view.show()
        app.processEvents()
        for name, by, stack in (("speaker", "speaker", None), ("outlet_stack_type", "outlet", "type")):
            view.by.setCurrentIndex(view.by.findData(by))
            view.stack.setCurrentIndex(view.stack.findData(stack))
            view._timer.stop()
            secs = timed(view.refresh)
            figures[f"{prefix}_view_refresh_{name}_s"] = secs
            worst = max(worst, secs)
            print(f"{prefix}: Statistics view refresh by {name:18s} {secs * 1000:7.1f} ms")
        view.close()
    return worst


def build(path: Path, n_docs: int, per_doc: int, n_speakers: int = 2_000, seed: int = 1) -> None:
    rng = random.Random(seed)
    stamp = now()
    with Store.create(path, annotator="bench") as store:
        conn = store.db.conn
        with store.batch():
            conn.executemany(
                "INSERT INTO speakers (id, name, key, type) VALUES (?, ?, ?, ?)",
                [
                    (i, f"Speaker {i}", f"speaker {i}", rng.choice(("person", "organisation", "unknown")))
                    for i in range(1, n_speakers + 1)
                ],
            )
            conn.executemany(
                "INSERT INTO speaker_attributes (speaker_id, key, value) VALUES (?, 'gender', ?)",
                [(i, rng.choice(("woman", "man"))) for i in range(1, n_speakers + 1) if i % 3],
            )
            text = "x" * 400
            for d in range(1, n_docs + 1):
                conn.execute(
                    "INSERT INTO documents (id, title, source, sha256, imported_at, length, text) "
                    "VALUES (?, ?, 'bench', ?, ?, ?, ?)",
                    [d, f"article {d}", f"{d:064x}", stamp, len(text), text],
                )
                outlet = rng.choice(OUTLETS)
                if outlet:
                    date = f"20{rng.randint(15, 19)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    conn.execute(
                        "INSERT INTO document_metadata (document_id, outlet, date) VALUES (?, ?, ?)",
                        [d, outlet, date],
                    )
                conn.executemany(
                    'INSERT INTO quotes (document_id, start, "end", text, kind, speaker_id, status, '
                    "origin, created, modified) VALUES (?, ?, ?, 'x', ?, ?, ?, 'bench', ?, ?)",
                    [
                        (
                            d,
                            k * 3,
                            k * 3 + 1,
                            rng.choice(("direct", "indirect", "mixed")),
                            rng.randint(1, n_speakers) if rng.random() > 0.1 else None,
                            rng.choice(("accepted", "accepted", "suggested", "rejected")),
                            stamp,
                            stamp,
                        )
                        for k in range(per_doc)
                    ],
                )


def timed(fn: object, runs: int = 7) -> float:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - t0)
    return stats_module.median(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--quotes-per-doc", type=int, default=10)
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures as one flat JSON object")
    parser.add_argument("--view-project", type=Path, metavar="P", help="also time the view on this project")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.qbproj"
        t0 = time.perf_counter()
        build(path, args.docs, args.quotes_per_doc)
        figures["build_s"] = time.perf_counter() - t0
        with Store.open(path) as store:
            conn = store.db.conn
            n = conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
            figures["quotes"] = n
            baseline = timed(
                lambda: conn.execute("SELECT count(*) FROM quotes WHERE status = 'accepted'").fetchone()
            )
            figures["baseline_count_s"] = baseline
            print(f"{n:,} quotes in {args.docs:,} documents (built in {figures['build_s']:.1f} s)")
            print(f"baseline: SELECT count(*) of the accepted quotes   {baseline * 1000:7.1f} ms")
            queries = {
                "speaker": StatsQuery(by="speaker"),
                "speaker_top20": StatsQuery(by="speaker", top=20),
                "type": StatsQuery(by="type"),
                "kind": StatsQuery(by="kind"),
                "outlet": StatsQuery(by="outlet"),
                "outlet_stack_type": StatsQuery(by="outlet", stack="type"),
                "month": StatsQuery(by="month"),
                "document": StatsQuery(by="document"),
                "attribute_gender": StatsQuery(by="attribute:gender"),
                "outlet_filtered_dated": StatsQuery(
                    by="speaker", outlets=("Valley News",), date_from="2016", date_to="2017-06"
                ),
                "all_statuses_kind": StatsQuery(by="kind", statuses=("accepted", "suggested", "rejected")),
            }
            worst = 0.0
            table = None
            for name, query in queries.items():
                secs = timed(lambda q=query: statistics(store, q))
                worst = max(worst, secs)
                figures[f"stats_{name}_s"] = secs
                ok = "ok" if secs <= TARGET else "OVER"
                print(
                    f"stats --by {name:24s} {secs * 1000:7.1f} ms  ({secs / baseline:5.1f}x baseline)  {ok}"
                )
                table = statistics(store, query) if name == "outlet_stack_type" else table
            figures["stats_worst_s"] = worst
            print(f"worst: {worst * 1000:.1f} ms (target {TARGET * 1000:.0f} ms)")

            from quotebench.core.analysis.charts import chart_figure, draw

            speakers = statistics(store, StatsQuery(by="speaker", top=20))
            fig = chart_figure(speakers)
            figures["chart_draw_speaker_top20_s"] = timed(
                lambda: (draw(fig, speakers), fig.canvas.draw()), runs=5
            )
            assert table is not None
            figures["chart_draw_outlet_stack_s"] = timed(
                lambda: (draw(fig, table), fig.canvas.draw()), runs=5
            )
            print(
                f"chart draw (Agg), top 20 speakers: {figures['chart_draw_speaker_top20_s'] * 1000:.0f} ms; "
                f"outlets stacked by type: {figures['chart_draw_outlet_stack_s'] * 1000:.0f} ms"
            )
        view_worst = time_view(path, figures, "bench")
        if args.view_project:
            view_worst = max(view_worst, time_view(args.view_project, figures, args.view_project.stem))
        figures["view_refresh_worst_s"] = view_worst
        print(f"view worst: {view_worst * 1000:.1f} ms (target {VIEW_TARGET * 1000:.0f} ms)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if worst <= TARGET and view_worst <= VIEW_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
