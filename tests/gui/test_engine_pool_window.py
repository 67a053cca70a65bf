"""The window's engine in several processes (gui/suggestion_runner.py with core/engine/pool.py):
the same stored quotes as one process, Cancel kills every process and stores nothing of the
documents in flight, and the number of processes is a setting (Engine > Processes…)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import SEED
from PySide6.QtCore import QSettings

from quotebench.core.engine.pool import EnginePool
from quotebench.core.engine.runner import ProcessEngine
from quotebench.core.project.store import Store
from quotebench.gui.session import Session
from quotebench.gui.settings import Settings
from quotebench.gui.suggestion_runner import SuggestionRunner


def six_documents(path: Path) -> tuple[Store, list[int]]:
    """A project of six documents: the seed's paragraphs, dealt out in turn."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    store = Store.open(path, create=True, annotator="tester")
    ids = [store.add_document("\n".join(paragraphs[i::6]) + "\n", title=f"part {i}")[0] for i in range(6)]
    return store, ids


def stored(store: Store, ids: list[int]) -> list[list[tuple]]:
    """Each document's stored quotes, as plain values (ids and times left out)."""
    return [
        sorted(
            (q.start, q.end, q.kind, q.speaker_id is not None, q.status, q.confidence)
            for q in store.quotes_for(i)
        )
        for i in ids
    ]


def suggest(qtbot, tmp_path: Path, processes: int) -> tuple[list[list[tuple]], type]:
    store, ids = six_documents(tmp_path / f"p{processes}.qbproj")
    runner = SuggestionRunner(processes=lambda: processes)
    runner.set_session(Session(store))
    try:
        with qtbot.waitSignal(runner.idle, timeout=120_000):
            runner.request(ids)
        return stored(store, ids), type(runner.engine)
    finally:
        runner.close()
        runner._stopping.join(5)
        store.close()


@pytest.mark.model
def test_two_processes_store_the_quotes_of_one(qtbot, tmp_path: Path) -> None:
    one, one_kind = suggest(qtbot, tmp_path, 1)
    two, two_kind = suggest(qtbot, tmp_path, 2)
    assert (one_kind, two_kind) == (ProcessEngine, EnginePool)
    assert sum(map(len, one)) >= 6 and sum(1 for quotes in one if quotes) >= 4
    assert two == one


@pytest.mark.model
def test_cancel_kills_every_process_and_stores_nothing_in_flight(qtbot, tmp_path: Path) -> None:
    store, ids = six_documents(tmp_path / "c.qbproj")
    long_ids = [
        store.add_document(SEED.read_text(encoding="utf-8") * 40, title=f"long {i}")[0] for i in range(4)
    ]
    runner = SuggestionRunner(processes=lambda: 2)
    runner.set_session(Session(store))
    try:
        with qtbot.waitSignal(
            runner.state_changed, timeout=120_000, check_params_cb=lambda s: s == "Engine ready"
        ):
            runner.load_model()
        pool = runner.engine
        assert isinstance(pool, EnginePool)
        runner.request(long_ids)
        qtbot.wait(300)  # both processes in the middle of a long document
        t0 = time.perf_counter()
        with qtbot.waitSignal(runner.idle, timeout=3000):
            runner.cancel(stop=True)
        assert time.perf_counter() - t0 < 2.0
        assert runner.engine is None
        runner._stopping.join(5)
        assert not any(e._proc.is_alive() for e in pool.engines)
        assert all(store.quotes_for(i) == [] for i in long_ids)
    finally:
        runner.close()
        store.close()


def test_processes_setting_defaults_to_two_at_most_and_is_kept(tmp_path: Path) -> None:
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert 1 <= settings.engine_processes() <= 2
    settings.set_engine_processes(3)
    assert settings.engine_processes() == 3
    settings.set_engine_processes(0)
    assert settings.engine_processes() == 1


def test_engine_menu_has_processes(qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from quotebench.gui.widgets.main_window import MainWindow

    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    [engine_menu] = [m for m in window.menu_actions.menus if m.title() == "E&ngine"]
    assert "&Processes…" in [a.text() for a in engine_menu.actions()]
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (3, True))
    [action] = [a for a in window.actions() if a.text() == "&Processes…"]
    action.trigger()
    assert settings.engine_processes() == 3
    assert window.suggestions._processes() == 3
