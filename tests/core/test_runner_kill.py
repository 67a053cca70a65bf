"""ProcessEngine.kill stops the engine process at once (issue 10, bug 3: Cancel mid-document)."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from quotebench.core.engine.runner import EngineError, ProcessEngine


def test_kill_stops_a_busy_engine_at_once_and_the_waiting_caller_gets_an_error() -> None:
    engine = ProcessEngine()
    ctx = multiprocessing.get_context("spawn")
    engine._proc = ctx.Process(target=time.sleep, args=(60,), daemon=True)  # an engine deep in a text
    engine._proc.start()
    engine._child.close()
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            engine.quotes("a long article")
        except EngineError as err:
            errors.append(err)

    caller = threading.Thread(target=ask, daemon=True)
    caller.start()
    time.sleep(0.2)
    t0 = time.perf_counter()
    engine.kill()
    assert time.perf_counter() - t0 < 0.5  # close() waited 0.5 s for an answer first
    assert not engine._proc.is_alive()
    caller.join(2)
    assert len(errors) == 1 and "stopped" in str(errors[0])


def test_kill_of_an_engine_never_started_only_closes_its_pipe() -> None:
    engine = ProcessEngine()
    engine.kill()
    with pytest.raises(EngineError):
        engine.quotes("text")
