"""The engine in the window: the seed's suggestions arrive in the background and match
``quotes_in``; the workers report progress, cancel between documents and report failures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import SEED
from PySide6.QtCore import Qt, QThreadPool

from quotebench.core.engine.pipeline import quotes_in
from quotebench.core.engine.pool import EnginePool
from quotebench.core.engine.runner import EngineError, ProcessEngine, ThreadEngine
from quotebench.core.model import Status
from quotebench.gui.app import open_window
from quotebench.gui.models import Column
from quotebench.gui.workers import ModelLoader, SuggestWorker

pytestmark = pytest.mark.model


def open_seed(qtbot, project: Path, settings, nlp):
    """The window as ``make run`` opens it: the seed article in a new project, suggested in
    the background (loading the pipeline itself when ``nlp`` is None)."""
    window = open_window([str(project), str(SEED)], settings=settings, nlp=nlp)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.engine_idle, timeout=60_000):
        window.show()  # the pipeline loads only once the window is up
    qtbot.waitExposed(window)
    window.activateWindow()
    window.table.setFocus()
    return window, project


@pytest.fixture
def seeded(qtbot, tmp_path: Path, settings, nlp):
    """The seed opened with the test session's pipeline (loaded once for all tests)."""
    return open_seed(qtbot, tmp_path / "seed.qbproj", settings, nlp)


def test_seed_suggestions_match_the_engine(qtbot, tmp_path: Path, settings, nlp) -> None:
    """The window loads the pipeline itself, after it is shown, and suggests on its own."""
    window, _ = open_seed(qtbot, tmp_path / "seed.qbproj", settings, None)
    assert isinstance(window.engine, ProcessEngine | EnginePool)  # its own process(es), not this pipeline
    expected = quotes_in(SEED.read_text(encoding="utf-8"), nlp)
    model = window.quotes_model
    rows = sorted((model.quote_at(r) for r in range(model.rowCount())), key=lambda q: q.start)
    assert [(q.start, q.end) for q in rows] == [(q.start, q.end) for q in expected]
    assert [model.index(model.row_of(q.id), Column.SPEAKER).data() for q in rows] == [
        q.speaker or "—" for q in expected
    ]
    assert {q.status for q in rows} == {Status.SUGGESTED}
    assert window.docs_model.index(0, 2).data() == len(expected)  # all still to review


def test_seed_has_ten_quotes(seeded) -> None:
    window, _ = seeded
    assert window.quotes_model.rowCount() == 10


def test_accept_and_reject_by_key_then_undo(qtbot, seeded) -> None:
    window, project = seeded
    model = window.quotes_model
    first, second = model.quote_at(0), model.quote_at(1)
    window.select_quote(first.id)
    qtbot.keyClick(window.table, Qt.Key.Key_A)
    window.select_quote(second.id)
    qtbot.keyClick(window.table, Qt.Key.Key_R)

    def on_disk(qid: int) -> tuple[str, bool]:
        con = sqlite3.connect(project)
        try:
            status, created, modified = con.execute(
                "SELECT status, created, modified FROM quotes WHERE id = ?", [qid]
            ).fetchone()
        finally:
            con.close()
        return status, created == modified

    assert on_disk(first.id) == ("accepted", False)
    assert on_disk(second.id) == ("rejected", False)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # untouched suggestions again: a new engine run may replace them
    assert on_disk(first.id) == ("suggested", True)
    assert on_disk(second.id) == ("suggested", True)
    assert model.index(model.row_of(first.id), Column.STATUS).data() == "suggested"


def test_suggest_again_keeps_reviewed_quotes(qtbot, seeded) -> None:
    window, _ = seeded
    first = window.quotes_model.quote_at(0)
    window.edits.set_status(Status.ACCEPTED, [first.id])
    with qtbot.waitSignal(window.engine_idle, timeout=30_000):
        window.suggest_current()
    assert window.session.store.quote(first.id).status is Status.ACCEPTED
    assert window.quotes_model.rowCount() == len(window.session.store.quotes_for(window.doc_id))


def test_worker_reports_each_document_and_cancels(qtbot, nlp) -> None:
    texts = [(i, f"Document {i}. “We are here,” said Anna Smith.") for i in range(1, 6)]
    worker = SuggestWorker(ThreadEngine(nlp), texts)
    done: list[int] = []
    progress: list[tuple[int, int]] = []
    worker.signals.document_done.connect(lambda doc_id, quotes: done.append(doc_id))

    def on_progress(n: int, total: int) -> None:
        progress.append((n, total))
        if n == 2:
            worker.cancel()

    # direct: the cancel happens in the worker's thread right after document 2, as if the
    # researcher pressed Cancel then, whatever the load on the test machine
    worker.signals.progressed.connect(on_progress, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(worker.signals.finished, timeout=30_000) as blocker:
        QThreadPool.globalInstance().start(worker)
    assert blocker.args == [True]
    assert progress == [(1, 5), (2, 5)]
    qtbot.waitUntil(lambda: len(done) == 2)  # queued to this thread
    assert done == [1, 2]  # cancelled between documents: nothing after the second


def test_worker_reports_a_failing_document_and_goes_on(qtbot) -> None:
    class Broken:
        """A pipeline that fails on one text."""

        def pipe(self, texts, **kw):
            for t in texts:
                if "boom" in t:
                    raise RuntimeError("the parser ran out of memory")
                yield from ()

    worker = SuggestWorker(ThreadEngine(Broken()), [(1, "boom")])
    failures = []
    worker.signals.failed.connect(lambda doc_id, msg: failures.append((doc_id, msg)))
    with qtbot.waitSignal(worker.signals.finished, timeout=10_000) as blocker:
        QThreadPool.globalInstance().start(worker)
    assert blocker.args == [False]
    assert failures == [(1, "RuntimeError: the parser ran out of memory")]


def test_process_engine_answers_like_quotes_in_and_stops(nlp) -> None:
    engine = ProcessEngine()
    engine.start()
    try:
        text = SEED.read_text(encoding="utf-8")
        assert engine.quotes(text) == quotes_in(text, nlp)
        assert engine.quotes("") == []
    finally:
        engine.close()
    with pytest.raises(EngineError, match="stopped"):
        engine.quotes("He said “yes”.")


def test_loader_reports_a_missing_pipeline(qtbot) -> None:
    loader = ModelLoader("no_such_pipeline_xyz")
    with qtbot.waitSignal(loader.signals.failed, timeout=30_000) as blocker:
        QThreadPool.globalInstance().start(loader)
    assert "E010" in blocker.args[0] and "no_such_pipeline_xyz" in blocker.args[0]


def test_failed_engine_run_is_a_message(qtbot, seeded) -> None:
    window, _ = seeded
    before = window.quotes_model.rowCount()
    window.engine = ThreadEngine(
        type(
            "Broken",
            (),
            {"pipe": lambda self, texts, **kw: (_ for _ in ()).throw(RuntimeError("out of memory"))},
        )()
    )
    with qtbot.waitSignal(window.engine_idle, timeout=30_000):
        window.suggest_current()
    assert "engine failed" in window.last_error and "out of memory" in window.last_error
    assert window.isVisible()
    assert window.quotes_model.rowCount() == before > 0  # the earlier suggestions stay
