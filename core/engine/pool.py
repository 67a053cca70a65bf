"""Several engine processes for the window: documents parsed side by side, results in order.

:class:`EnginePool` holds ``processes`` :class:`~.runner.ProcessEngine` children (spawned, as the
window runs Qt threads) and gives the quotes of many texts in their order while up to one text
per process is being parsed. Each text is parsed whole by one child, by the same code as with
one process, so the quotes are the same. Waiting on the children's pipes releases the GIL: the
pool's threads never stall the window.

This module imports no Qt.
"""

from __future__ import annotations

import os
import queue
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from ..model import Suggestion
from .runner import EngineError, ProcessEngine


def default_processes() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class EnginePool:
    """``processes`` engine processes (default: the cores available); :meth:`start` loads them all.

    Args:
        processes: how many children (each holds the pipeline, about 250 MB).
        model_name: the spaCy pipeline to load (``None``: the default).
    """

    def __init__(self, processes: int | None = None, model_name: str | None = None) -> None:
        self.engines = [ProcessEngine(model_name) for _ in range(processes or default_processes())]
        self._free: queue.SimpleQueue[ProcessEngine] = queue.SimpleQueue()
        self._threads = ThreadPoolExecutor(len(self.engines), thread_name_prefix="quotebench-pool")

    def start(self) -> None:
        """Start every process and wait until each has loaded its pipeline.

        Raises:
            ModelError: a pipeline could not be loaded (the others are stopped).
        """
        try:
            for future in [self._threads.submit(e.start) for e in self.engines]:
                future.result()
        except BaseException:
            self.close()
            raise
        for engine in self.engines:
            self._free.put(engine)

    def _parse(self, text: str) -> list[Suggestion]:
        engine = self._free.get()
        try:
            return engine.quotes(text)
        finally:
            self._free.put(engine)

    def quotes(self, text: str) -> list[Suggestion]:
        """All quotations in one text (the :class:`~.runner.Engine` protocol)."""
        return self._parse(text)

    def quotes_many(self, texts: Iterable[str]) -> Iterator[list[Suggestion] | EngineError]:
        """The quotes of each text, in order; an :class:`EngineError` (yielded) for a text that failed.

        Texts are read only as a process comes free (two per process are queued at most).
        Closing the iterator early (Cancel) drops the texts queued and not yet started.
        """
        pending: deque[Future[list[Suggestion]]] = deque()
        try:
            for text in texts:
                pending.append(self._threads.submit(self._parse, text))
                if len(pending) >= 2 * len(self.engines):
                    yield _outcome(pending.popleft())
            while pending:
                yield _outcome(pending.popleft())
        finally:
            for future in pending:
                future.cancel()

    def kill(self) -> None:
        """Stop every process at once (Cancel): callers waiting get an :class:`EngineError`."""
        for engine in self.engines:
            engine.kill()

    def close(self) -> None:
        """Stop every process and the pool's threads."""
        for engine in self.engines:
            engine.close()
        self._threads.shutdown(wait=False, cancel_futures=True)


def _outcome(future: Future[list[Suggestion]]) -> list[Suggestion] | EngineError:
    try:
        return future.result()
    except EngineError as err:
        return err
