"""Where the engine runs: in a child process (the default) or in the calling thread.

spaCy holds Python's GIL through much of its parsing, so a parse in a thread of the window's
process makes the window stall (measured in tests/benchmarks/bench_gui.py: 220 ms event-loop
stalls while suggesting over 100 documents in a thread). In a child process the window's
interpreter is never blocked, and the window never even imports spaCy.

This module imports no Qt: the child process imports it to serve requests.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import Connection
from typing import Any, Protocol

from ..errors import ModelError, QuotebenchError
from ..model import Suggestion


class EngineError(QuotebenchError):
    """The engine failed on one text (the message says why)."""


class Engine(Protocol):
    """Finds quotes in texts, one text at a time."""

    def quotes(self, text: str) -> list[Suggestion]:
        """All quotations in a text.

        Raises:
            EngineError: the engine failed on this text.
        """
        ...

    def close(self) -> None:
        """Release the engine (stop its process)."""
        ...


class ThreadEngine:
    """The engine in the calling thread, over an already loaded pipeline (tests, baselines).

    Args:
        nlp: a loaded spaCy ``Language``.
    """

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp

    def quotes(self, text: str) -> list[Suggestion]:
        """All quotations in a text (see :meth:`Engine.quotes`)."""
        from .pipeline import quotes_in

        try:
            return quotes_in(text, self.nlp)
        except Exception as err:
            raise EngineError(_describe(err)) from err

    def close(self) -> None:
        """Nothing to release."""


def _describe(err: BaseException) -> str:
    first = str(err).splitlines()[0] if str(err) else ""
    return f"{type(err).__name__}: {first}" if first else type(err).__name__


def _serve(conn: Connection, model_name: str | None) -> None:
    """The child process: load the pipeline, then answer each text with its quotes."""
    if hasattr(os, "nice"):
        # below the window's priority: on a busy machine the window gets the CPU first
        os.nice(5)
    try:
        from .pipeline import load_nlp, quotes_in

        nlp = load_nlp(model_name)
    except QuotebenchError as err:
        conn.send(("failed", str(err)))
        return
    except Exception as err:  # noqa: BLE001 - reported to the window
        conn.send(("failed", f"the language model could not be loaded: {_describe(err)}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            text = conn.recv()
        except EOFError:
            return
        if text is None:
            return
        try:
            conn.send(("done", quotes_in(text, nlp)))
        except Exception as err:  # noqa: BLE001 - one bad text does not end the engine
            conn.send(("failed", _describe(err)))


class ProcessEngine:
    """The engine in a child process: load with :meth:`start`, then call :meth:`quotes`.

    Calls block the calling thread (a worker thread), not the window: waiting on the pipe
    releases the GIL. One caller at a time.

    Args:
        model_name: the spaCy pipeline to load (``None``: the default).
    """

    def __init__(self, model_name: str | None = None) -> None:
        # spawn, not fork: forking a process that runs Qt threads is unsafe
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(
            target=_serve, args=(child, model_name), daemon=True, name="quotebench-engine"
        )
        self._child = child
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the process and wait until its pipeline is loaded.

        Raises:
            ModelError: the pipeline could not be loaded.
        """
        self._proc.start()
        self._child.close()
        try:
            kind, payload = self._conn.recv()
        except (EOFError, OSError) as err:
            raise ModelError(
                f"the engine process ended while loading (exit code {self._proc.exitcode})"
            ) from err
        if kind != "ready":
            self.close()
            raise ModelError(str(payload))

    def quotes(self, text: str) -> list[Suggestion]:
        """All quotations in a text, found by the engine process (see :meth:`Engine.quotes`)."""
        with self._lock:
            try:
                self._conn.send(text)
                kind, payload = self._conn.recv()
            except (EOFError, OSError, BrokenPipeError) as err:
                raise EngineError(f"the engine process stopped (exit code {self._proc.exitcode})") from err
        if kind == "failed":
            raise EngineError(str(payload))
        return list(payload)

    def kill(self) -> None:
        """Stop the process at once, even in the middle of a text (Cancel): it writes nothing,
        and a caller waiting in :meth:`quotes` gets an :class:`EngineError`."""
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(1)  # reaped: SIGTERM ends it within milliseconds
            if self._proc.is_alive():
                self._proc.kill()
        self._conn.close()

    def close(self) -> None:
        """Stop the process (at once if it is in the middle of a text: it writes nothing)."""
        if self._proc.is_alive():
            try:
                self._conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            self._proc.join(0.5)
            if self._proc.is_alive():
                self._proc.terminate()
                self._proc.join(2)
        self._conn.close()
