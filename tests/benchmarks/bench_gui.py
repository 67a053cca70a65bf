"""Benchmark of the window: launch, switching documents, highlighting, the quote table, and
how responsive the window stays while the engine runs.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_gui.py [--only NAME ...]
[--json OUT]`` (not collected by pytest: it only collects ``test_*.py``). ``--json OUT`` also
writes the headline figures as one flat JSON object of milliseconds: ``launch_ms``,
``switch_document_ms``, ``highlight_ms``, ``sort_ms`` and ``filter_ms`` (the slowest sort and
filter of 100,000 quotes), ``suggest_stall_ms``, ``store_suggestions_stall_ms``, ``cancel_ms``
and ``close_ms``.

Each figure is printed with its target and, where it makes sense, a baseline measured in the
same run, and the ratio between them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect_left
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TMP = Path(tempfile.mkdtemp(prefix="quotebench-bench-"))
os.environ["XDG_CONFIG_HOME"] = str(_TMP / "config")  # never the user's settings
os.environ["XDG_DATA_HOME"] = str(_TMP / "data")

from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer
from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import QApplication

from quotebench.core.model import Kind, Quote, Status
from quotebench.core.project.store import Store
from quotebench.gui.app import application, open_window
from quotebench.gui.models import Column, QuotesTableModel
from quotebench.gui.settings import Settings
from quotebench.gui.widgets.article_view import ArticleView

sys.path.insert(0, str(Path(__file__).parents[1]))  # tests/: the shared generated data
from generated import long_article  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "gb-news-russian-deserters.txt"
QUOTEBENCH = Path(sys.executable).parent / "quotebench"
WORDS = [
    "the",
    "minister",
    "said",
    "that",
    "government",
    "would",
    "not",
    "change",
    "its",
    "plan",
    "officials",
    "told",
    "reporters",
    "on",
    "monday",
    "a",
    "spokesperson",
    "for",
    "ministry",
    "added",
    "talks",
    "continue",
    "despite",
    "pressure",
    "from",
    "critics",
    "who",
    "argue",
    "policy",
    "fails",
    "voters",
    "according",
    "to",
    "sources",
    "close",
    "negotiations",
    "council",
    "agreed",
    "budget",
    "👍",
    "café",
]


#: The headline figures, by their --json key.
FIGURES: dict[str, float] = {}


def report(
    name: str,
    value_ms: float,
    target_ms: float | None = None,
    baseline_ms: float | None = None,
    baseline: str = "",
    key: str | None = None,
) -> None:
    if key is not None:
        FIGURES[key] = round(value_ms, 1)
    line = f"{name:<58} {value_ms:10.1f} ms"
    if target_ms is not None:
        line += f"   target < {target_ms:g} ms {'OK' if value_ms < target_ms else 'MISSED'}"
    if baseline_ms is not None:
        line += f"   baseline ({baseline}) {baseline_ms:.1f} ms, ratio {value_ms / baseline_ms:.2f}"
    print(line, flush=True)


def settings() -> Settings:
    return Settings(QSettings(str(_TMP / f"settings-{time.monotonic_ns()}.ini"), QSettings.Format.IniFormat))


def article(rng: random.Random, n_words: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n_words)]
    for i in range(0, n_words, 40):
        words[i] = "“" + words[i]
        words[min(i + 12, n_words - 1)] += ",” he said."
        words[min(i + 25, n_words - 1)] += "\r\n"
    return " ".join(words)


# --- 1. launch -----------------------------------------------------------------------------

BASELINE_LAUNCH = """
import sys, time
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow()
class Shown(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Show:
            print(f"shown {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
f = Shown(); w.installEventFilter(f); w.show(); app.exec()
"""


def launch_once(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False).stdout
    shown = float(next(line for line in out.splitlines() if line.startswith("shown ")).split()[1])
    return (shown - t0) * 1000


def bench_launch(runs: int = 5) -> None:
    project = _TMP / "launch.qbproj"
    with Store.open(project, create=True) as store:
        store.add_document(SEED.read_text(encoding="utf-8"), title="seed")
    env = {**os.environ, "QUOTEBENCH_REPORT_SHOWN": "1"}
    # first run also suggests the seed (in the background, after the window is up) and warms caches
    launch_once([str(QUOTEBENCH), "open", str(project)], env)
    ours = [launch_once([str(QUOTEBENCH), "open", str(project)], env) for _ in range(runs)]
    base = [launch_once([sys.executable, "-c", BASELINE_LAUNCH], env) for _ in range(runs)]
    report(
        "launch: `quotebench open PROJECT` to first show (median)",
        statistics.median(ours),
        1500,
        statistics.median(base),
        "bare QMainWindow in python",
        key="launch_ms",
    )
    print(f"{'':<58} runs: {', '.join(f'{x:.0f}' for x in ours)} ms")


# --- 2. switching documents ----------------------------------------------------------------


def bench_switch(n_docs: int = 10_000, per_doc: int = 10) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_store import build  # the store benchmark's project: 10,000 documents, 100,000 quotes

    path = _TMP / "big.qbproj"
    t_build = build(path, n_docs, per_doc)
    print(f"(built a project of {n_docs:,} documents and {n_docs * per_doc:,} quotes in {t_build:.1f} s)")
    window = open_window([str(path)], settings=settings(), nlp=object())
    window.cancel_suggestions()  # the synthetic documents are already suggested
    window.resize(1360, 860)
    window.show()
    app = QApplication.instance()
    app.processEvents()
    rng = random.Random(3)
    ids = [window.docs_model.document_at(rng.randrange(n_docs)).id for _ in range(40)]
    times, base = [], []
    for doc_id in ids:
        t = time.perf_counter()
        window.show_document(doc_id)
        app.processEvents()  # layout and paint of the new text
        times.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        store = window.session.store
        store.document(doc_id)
        store.quotes_for(doc_id)
        base.append((time.perf_counter() - t) * 1000)
    report(
        f"switch document, {n_docs:,} documents (median of {len(ids)})",
        statistics.median(times),
        100,
        statistics.median(base),
        "store reads alone",
        key="switch_document_ms",
    )
    report(f"switch document, {n_docs:,} documents (slowest)", max(times), 100)
    print(f"{'':<58} runs: {', '.join(f'{x:.0f}' for x in times)} ms")
    # an edit: accept a quote, undo it (store write, table, highlights, document counts)
    edits = []
    for doc_id in ids[:10]:
        window.show_document(doc_id)
        app.processEvents()
        q = window.quotes_model.quote_at(0)
        t = time.perf_counter()
        window.edits.set_status(
            Status.REJECTED if q.status is not Status.REJECTED else Status.ACCEPTED, [q.id]
        )
        app.processEvents()
        edits.append((time.perf_counter() - t) * 1000)
        window.session.undo_stack.undo()
    report(
        f"an edit (accept/reject) in a project of {n_docs:,} documents (median)",
        statistics.median(edits),
        100,
    )
    t = time.perf_counter()
    window.docs_model.update_documents(window.session.store.documents())
    report(f"  (re-listing all {n_docs:,} documents, done only on import)", (time.perf_counter() - t) * 1000)
    window.close()


# --- 3. highlighting -----------------------------------------------------------------------


def big_article(n_words: int, n_quotes: int) -> tuple[str, list[Quote]]:
    rng = random.Random(5)
    text = article(rng, n_words)
    step = len(text) // n_quotes
    quotes = []
    for i in range(n_quotes):
        start = i * step + 3
        end = start + rng.randrange(20, max(21, step - 40))
        status = (Status.SUGGESTED, Status.ACCEPTED, Status.REJECTED)[i % 3]
        quotes.append(
            Quote(
                i + 1,
                1,
                start,
                end,
                text[start:end],
                Kind.DIRECT,
                status,
                cue_start=end + 1,
                cue_end=end + 5,
                mention_start=end + 6,
                mention_end=end + 12,
                speaker_id=1 + i % 40,
                speaker_name=f"S{i % 40}",
                confidence=0.5,
            )
        )
    return text, quotes


class QuoteHighlighter(QSyntaxHighlighter):
    """The approach not taken: a syntax highlighter colouring quotes block by block (one
    colour for all quotes: it does less than the view's own highlighting)."""

    def __init__(self, doc, quotes: list[Quote], starts: list[int]) -> None:
        super().__init__(doc)
        self.quotes, self.starts = quotes, starts
        self.fmt = QTextCharFormat()
        self.fmt.setBackground(Qt.GlobalColor.yellow)
        self.bold, self.under = QTextCharFormat(), QTextCharFormat()
        self.bold.setFontWeight(700)
        self.under.setFontUnderline(True)

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        begin, end = block.position(), block.position() + block.length()
        i = max(0, bisect_left(self.starts, begin) - 1)
        while i < len(self.quotes) and self.quotes[i].start < end:
            q = self.quotes[i]
            s, e = max(q.start, begin), min(q.end, end)
            if e > s:
                self.setFormat(s - begin, e - s, self.fmt)
            for a, z, f in (
                (q.cue_start, q.cue_end, self.bold),
                (q.mention_start, q.mention_end, self.under),
            ):
                if begin <= a and z <= end:
                    self.setFormat(a - begin, z - a, f)
            i += 1


def bench_highlight(n_words: int = 200_000, n_quotes: int = 5_000) -> None:
    text, quotes = big_article(n_words, n_quotes)
    view = ArticleView()
    view.resize(900, 700)
    view.show()
    app = QApplication.instance()
    t = time.perf_counter()
    view.set_document(text, [])
    app.processEvents()
    t_text = (time.perf_counter() - t) * 1000
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        view.set_quotes(quotes)
        app.processEvents()
        runs.append((time.perf_counter() - t) * 1000)
    # baseline: the same quotes, cues and mentions with a QSyntaxHighlighter
    plain = ArticleView()
    plain.resize(900, 700)
    plain.show()
    plain.setPlainText(text.replace("\r\n", "\n"))  # (offsets differ slightly; same amount of work)
    app.processEvents()
    t = time.perf_counter()
    hl = QuoteHighlighter(plain.document(), quotes, [q.start for q in quotes])
    app.processEvents()
    t_base = (time.perf_counter() - t) * 1000
    del hl
    report(
        f"highlight {n_words:,} words, {n_quotes:,} quotes (+cues, mentions; median of 3)",
        statistics.median(runs),
        100,
        t_base,
        "QSyntaxHighlighter",
        key="highlight_ms",
    )
    report(f"  (setting the {n_words:,}-word text itself, before highlighting)", t_text)
    import dataclasses

    edits = []
    for i in range(5):
        q = quotes[n_quotes // 3 + i * 7]
        t = time.perf_counter()
        view.update_quotes(
            [
                dataclasses.replace(
                    q, status=Status.ACCEPTED if q.status is not Status.ACCEPTED else Status.REJECTED
                )
            ]
        )
        app.processEvents()
        edits.append((time.perf_counter() - t) * 1000)
    report(
        "  re-highlight after an edit of one quote (median of 5)",
        statistics.median(edits),
        100,
        statistics.median(runs),
        "highlighting all",
    )
    t = time.perf_counter()
    view.select_quote(quotes[n_quotes // 2].id)
    app.processEvents()
    report("  select and scroll to a quote in it", (time.perf_counter() - t) * 1000, 100)
    view.close()
    plain.close()


# --- 4. the quote table --------------------------------------------------------------------


def bench_table(n: int = 100_000, proxy_baseline: bool = True) -> None:
    rng = random.Random(7)
    text = article(rng, 20_000)
    names = [f"Speaker {i}" for i in range(300)]
    quotes = []
    for i in range(n):
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randrange(10, 190)
        quotes.append(
            Quote(
                i + 1,
                1,
                start,
                end,
                text[start:end],
                rng.choice(list(Kind)),
                rng.choice(list(Status)),
                cue_start=end,
                cue_end=min(len(text), end + 5),
                speaker_id=i % 300 + 1,
                speaker_name=names[i % 300],
                confidence=round(rng.random(), 2),
            )
        )
    from PySide6.QtWidgets import QTableView

    model = QuotesTableModel()
    t = time.perf_counter()
    model.set_quotes(text, quotes)
    report(f"table: load {n:,} quotes", (time.perf_counter() - t) * 1000)
    view = QTableView()
    view.setModel(model)
    view.resize(900, 500)
    view.show()
    app = QApplication.instance()
    app.processEvents()
    figures = {}
    for name, action, undo in (
        (
            "sort by speaker",
            lambda: model.sort(Column.SPEAKER, Qt.SortOrder.AscendingOrder),
            lambda: model.sort(Column.CONFIDENCE, Qt.SortOrder.AscendingOrder),
        ),
        (
            "sort by confidence, descending",
            lambda: model.sort(Column.CONFIDENCE, Qt.SortOrder.DescendingOrder),
            lambda: model.sort(Column.SPEAKER, Qt.SortOrder.AscendingOrder),
        ),
        (
            "sort by quote position",
            lambda: model.sort(Column.QUOTE, Qt.SortOrder.AscendingOrder),
            lambda: model.sort(Column.SPEAKER, Qt.SortOrder.AscendingOrder),
        ),
        (
            "filter `status:suggested kind:direct`",
            lambda: model.set_filter("status:suggested kind:direct"),
            lambda: model.set_filter(""),
        ),
        ("filter `the minister`", lambda: model.set_filter("the minister"), lambda: model.set_filter("")),
        (
            'filter `speaker:"speaker 12" said`',
            lambda: model.set_filter('speaker:"speaker 12" said'),
            lambda: model.set_filter(""),
        ),
        ("clear the filter", lambda: model.set_filter(""), lambda: model.set_filter("the minister")),
    ):
        runs = []
        for _ in range(5):
            undo()  # start from another order, so no run sorts an already sorted list
            app.processEvents()
            t = time.perf_counter()
            action()
            app.processEvents()
            runs.append((time.perf_counter() - t) * 1000)
        figures[name] = statistics.median(runs)
        report(f"table ({n:,} quotes): {name} (median of 5)", figures[name], 200)
        print(f"{'':<58} runs: {', '.join(f'{x:.0f}' for x in runs)} ms")
    FIGURES["sort_ms"] = round(max(v for k, v in figures.items() if k.startswith("sort")), 1)
    FIGURES["filter_ms"] = round(max(v for k, v in figures.items() if k.startswith("filter")), 1)
    if proxy_baseline:
        from PySide6.QtCore import QSortFilterProxyModel

        stock = QuotesTableModel()
        stock.set_quotes(text, quotes)
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(stock)
        proxy.setFilterKeyColumn(-1)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        t = time.perf_counter()
        proxy.sort(Column.SPEAKER, Qt.SortOrder.AscendingOrder)
        t_sort = (time.perf_counter() - t) * 1000
        report(f"  baseline: QSortFilterProxyModel sort by speaker ({n:,})", t_sort)
        print(f"{'':<58} ratio ours/stock {figures['sort by speaker'] / t_sort:.4f}")
        t = time.perf_counter()
        proxy.setFilterFixedString("the minister")
        t_filter = (time.perf_counter() - t) * 1000
        report(f"  baseline: QSortFilterProxyModel filter `the minister` ({n:,})", t_filter)
        print(f"{'':<58} ratio ours/stock {figures['filter `the minister`'] / t_filter:.4f}")
    view.close()


# --- 5. responsiveness while suggesting ----------------------------------------------------


class StallMeter:
    """A 5 ms timer recording the gaps between its ticks: the event loop's stalls."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.clock = QElapsedTimer()
        self.gaps: list[float] = []
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps = []
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.gaps.append(self.clock.nsecsElapsed() / 1e6)
        self.clock.restart()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps


def _suggest_all(window, meter: StallMeter) -> tuple[list[float], float]:
    app = QApplication.instance()
    done = []
    window.engine_idle.connect(lambda: done.append(True))
    meter.start()
    t = time.perf_counter()
    window.suggest_all()
    while not done:
        app.processEvents()
        time.sleep(0.001)
    return meter.stop(), time.perf_counter() - t


def bench_stalls(n_docs: int = 100, n_words: int = 600) -> None:
    from quotebench.core.engine.pipeline import load_nlp

    rng = random.Random(11)
    seed = SEED.read_text(encoding="utf-8")
    app = QApplication.instance()
    meter = StallMeter()
    results = {}
    for mode in ("thread", "process"):
        path = _TMP / f"suggest-{mode}.qbproj"
        with Store.open(path, create=True) as store, store.batch():
            for i in range(n_docs):
                body = seed if i % 4 == 0 else article(rng, n_words)
                store.add_document(f"{body}\n({i})", title=f"doc-{i:03d}")
        # thread: the pipeline in a worker thread of the window's process (the baseline);
        # process: the window's own engine process (what `quotebench open` does)
        window = open_window([str(path)], settings=settings(), nlp=load_nlp() if mode == "thread" else None)
        window.cancel_suggestions()
        window.resize(1360, 860)
        window.show()
        if mode == "process":
            while window.engine is None and window.model_error is None:
                app.processEvents()
                time.sleep(0.01)
        if mode == "thread":  # the idle window, for reference
            meter.start()
            end = time.perf_counter() + 2
            while time.perf_counter() < end:
                app.processEvents()
                time.sleep(0.001)
            idle = meter.stop()
            report("idle window: longest gap between 5 ms ticks", max(idle))
        gaps, elapsed = _suggest_all(window, meter)
        ordered = sorted(gaps)
        results[mode] = (max(gaps), ordered[int(len(ordered) * 0.99)])
        stored = window.session.store.stats()["quotes"]
        print(f"({mode}: suggested {n_docs} documents in {elapsed:.1f} s, {stored} quotes stored, ", end="")
        print(f"{len(gaps)} ticks)")
        window.close()
    report(
        f"longest event-loop stall while suggesting {n_docs} documents",
        results["process"][0],
        100,
        results["thread"][0],
        "engine in a thread",
        key="suggest_stall_ms",
    )
    report(
        "  99th percentile gap while suggesting",
        results["process"][1],
        None,
        results["thread"][1],
        "engine in a thread",
    )


# --- 6. storing a long article's suggestions; Cancel and closing ---------------------------


def _wait(app, until, timeout: float = 120.0) -> None:
    end = time.perf_counter() + timeout
    while not until() and time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def bench_store_suggestions(n: int = 3000) -> None:
    app = QApplication.instance()
    text, suggestions = long_article(n)
    path = _TMP / "long.qbproj"
    with Store.open(path, create=True) as store:
        doc, _ = store.add_document(text, title="long")
    window = open_window([str(path)], settings=settings(), nlp=object())
    window.cancel_suggestions()
    window.resize(1360, 860)
    window.show()
    window.show_document(doc)
    runner = window.suggestions
    _wait(app, lambda: not runner.busy)  # the cancelled run has ended
    _wait(app, lambda: False, 0.3)
    runner._worker_session = window.session  # as if the engine had just read the article
    meter = StallMeter()
    meter.start()
    t = time.perf_counter()
    QTimer.singleShot(0, lambda: runner._suggestions_ready(doc, suggestions))
    _wait(app, lambda: window.quotes_model.rowCount() == n and not runner.busy)
    _wait(app, lambda: False, 0.2)
    gaps = meter.stop()
    print(f"(stored and showed {n:,} suggestions in {time.perf_counter() - t:.2f} s)")
    report(
        f"longest event-loop stall storing and showing {n:,} suggestions of one article",
        max(gaps),
        100,
        key="store_suggestions_stall_ms",
    )
    window.close()


def bench_cancel(megabytes: float = 1.0) -> None:
    """Esc in the middle of a 1 MB article, until the engine process has stopped; then closing
    the window while the language model loads."""
    app = QApplication.instance()
    seed = SEED.read_text(encoding="utf-8")
    body = (seed + "\n\n") * int(megabytes * 1_000_000 / (len(seed.encode()) + 2) + 1)
    path = _TMP / "cancel.qbproj"
    with Store.open(path, create=True) as store:
        doc, _ = store.add_document(body, title="one megabyte")
    window = open_window([str(path)], settings=settings())
    window.cancel_suggestions()
    window.resize(1360, 860)
    window.show()
    _wait(app, lambda: window.engine is not None or window.model_error is not None)
    runner = window.suggestions
    engine = runner.engine
    runner.request([doc])
    _wait(app, lambda: False, 2.0)  # the engine is well into the article
    assert runner._worker is not None, "the engine finished the article too soon to cancel"
    t = time.perf_counter()
    window.cancel_suggestions()
    _wait(app, lambda: not engine._proc.is_alive(), 10)
    cancel_ms = (time.perf_counter() - t) * 1000
    stored = len(window.session.store.quotes_for(doc))
    report(
        "Cancel in the middle of a 1 MB article, until the engine stopped", cancel_ms, 1000, key="cancel_ms"
    )
    print(f"{'':<58} quotes stored of that article: {stored}")
    window.close()
    # closing while the language model loads
    window = open_window([str(path)], settings=settings())
    window.show()
    app.processEvents()
    window.suggestions.load_model()
    _wait(app, lambda: False, 0.3)
    t = time.perf_counter()
    window.close()
    report(
        "close the window while the language model loads",
        (time.perf_counter() - t) * 1000,
        1000,
        key="close_ms",
    )


BENCHES = {
    "launch": bench_launch,
    "switch": bench_switch,
    "highlight": bench_highlight,
    "table": bench_table,
    "stalls": bench_stalls,
    "store": bench_store_suggestions,
    "cancel": bench_cancel,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(BENCHES), help="run only these")
    parser.add_argument("--json", metavar="OUT", help="also write the headline figures (ms) as JSON to OUT")
    args = parser.parse_args()
    application()
    print(f"Qt platform: {QApplication.platformName()}; python {sys.version.split()[0]}")
    for name in args.only or list(BENCHES):
        BENCHES[name]()
    if args.json:
        Path(args.json).write_text(json.dumps(FIGURES, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
