"""Slow work off the main thread: starting the engine and running it over documents.

Workers only compute. They never touch widgets or the project file (a ``sqlite3``
connection belongs to the thread that opened it): they emit plain values, and the main
thread stores them. Exceptions never escape ``run()``; they become a ``failed`` signal.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Generator, Sequence

from PySide6.QtCore import QObject, QRunnable, Signal

from ..core.engine.runner import Engine
from ..core.errors import QuotebenchError
from ..core.model import Suggestion


class LoadSignals(QObject):
    """Signals of :class:`ModelLoader`.

    Signals:
        loaded(object): the started :class:`~core.engine.runner.ProcessEngine`.
        failed(str): why it could not be loaded.
    """

    loaded = Signal(object)
    failed = Signal(str)


class ModelLoader(QRunnable):
    """Start the engine's process and wait for its pipeline to load, in a background thread.

    Args:
        name: the pipeline to load, ``None`` for the default.
        processes: how many engine processes: one gives a
            :class:`~core.engine.runner.ProcessEngine`, more an
            :class:`~core.engine.pool.EnginePool` (documents parsed side by side).

    Emits ``loaded`` with the started engine.
    """

    def __init__(self, name: str | None = None, processes: int = 1) -> None:
        super().__init__()
        self.signals = LoadSignals()
        self._name = name
        self._processes = max(1, processes)

    def run(self) -> None:
        """Override QRunnable.run."""
        from ..core.engine.pool import EnginePool
        from ..core.engine.runner import ProcessEngine

        engine: ProcessEngine | EnginePool | None = None
        try:
            if self._processes > 1:
                engine = EnginePool(self._processes, self._name)
            else:
                engine = ProcessEngine(self._name)
            engine.start()
            self.signals.loaded.emit(engine)
        except QuotebenchError as err:
            self._report(str(err))
        except RuntimeError:  # the window closed while the model loaded: its signals are gone
            if engine is not None:
                engine.close()
        except Exception as err:  # noqa: BLE001 - reported, never raised in a thread
            self._report(f"the language model could not be loaded: {err}")

    def _report(self, message: str) -> None:
        """Say why the model could not be loaded, unless the window has gone (the process
        ending with the window is no failure to report)."""
        try:
            self.signals.failed.emit(message)
        except RuntimeError:
            pass


class SuggestSignals(QObject):
    """Signals of :class:`SuggestWorker`.

    Signals:
        progressed(int, int): documents done, documents in the run.
        document_done(int, object): a document's id and its ``list[Suggestion]``.
        failed(int, str): a document (or -1) and why the engine failed on it.
        finished(bool): the run is over; ``True`` if it was cancelled.
    """

    progressed = Signal(int, int)
    document_done = Signal(int, object)
    failed = Signal(int, str)
    finished = Signal(bool)


class SuggestWorker(QRunnable):
    """Run the engine over documents, one at a time, so progress shows and Cancel is quick.

    Args:
        engine: a :class:`~core.engine.runner.ProcessEngine` or :class:`~core.engine.runner.ThreadEngine`
            (used by this worker alone while it runs).
        items: ``(document id, text)`` pairs.
    """

    def __init__(self, engine: Engine, items: Sequence[tuple[int, str]]) -> None:
        super().__init__()
        self.signals = SuggestSignals()
        self._engine = engine
        self._items = list(items)
        self._cancel = threading.Event()

    @property
    def total(self) -> int:
        """How many documents the run reads."""
        return len(self._items)

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Stop after the document being read (thread-safe); stopping the engine stops it
        in the middle of that document, whose failure is then not reported."""
        self._cancel.set()

    def run(self) -> None:
        """Override QRunnable.run."""
        total = len(self._items)
        done = 0
        results = self._results()
        try:
            for doc_id, outcome in results:
                if self._cancel.is_set():
                    break  # read, but after Cancel (or stopped under it): nothing of it is kept
                if isinstance(outcome, QuotebenchError):  # one bad document does not stop the run
                    self.signals.failed.emit(doc_id, str(outcome))
                elif isinstance(outcome, BaseException):  # a bug, reported like the others
                    self.signals.failed.emit(doc_id, f"{type(outcome).__name__}: {outcome}")
                    traceback.print_exception(outcome)
                else:
                    self.signals.document_done.emit(doc_id, outcome)
                done += 1
                self.signals.progressed.emit(done, total)
        finally:
            results.close()  # a pool drops the documents queued behind a Cancel
            self.signals.finished.emit(self._cancel.is_set())

    def _results(self) -> Generator[tuple[int, list[Suggestion] | BaseException], None, None]:
        """Each document's quotes, or why the engine failed on it, in the order of the items.

        An :class:`~core.engine.pool.EnginePool` parses several documents side by side
        (``quotes_many``); another engine reads them one at a time.
        """
        quotes_many = getattr(self._engine, "quotes_many", None)
        if quotes_many is not None:
            texts = (text for _, text in self._items)
            yield from zip((doc_id for doc_id, _ in self._items), quotes_many(texts), strict=False)
            return
        for doc_id, text in self._items:
            if self._cancel.is_set():
                return
            try:
                outcome: list[Suggestion] | BaseException = self._engine.quotes(text)
            except Exception as err:  # noqa: BLE001 - reported by run(), never raised in a thread
                outcome = err
            yield doc_id, outcome


def stop_engine(engine: Engine) -> threading.Thread:
    """Stop an engine in a thread of its own, so the window does not wait for it.

    A :class:`~core.engine.runner.ProcessEngine` in the middle of a text is terminated (it
    writes nothing); the worker waiting on it then gets an error, which a cancelled worker
    does not report.

    Returns:
        The thread (joined by tests and at exit, never by the window).
    """
    kill = getattr(engine, "kill", None)

    def stop() -> None:
        if kill is not None:
            kill()  # at once, even in the middle of a text
        engine.close()  # then its pipes (and a pool's threads)

    return start_daemon(stop, "quotebench-engine-stop")


def start_daemon(target: Callable[[], None], name: str) -> threading.Thread:
    """Run ``target`` in a daemon thread: one nobody has to wait for when the window closes."""
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread
