"""The engine queue: loading the engine, feeding it documents, storing what it suggests.

The engine runs in its own process (:class:`~core.engine.runner.ProcessEngine`), or in several
(:class:`~core.engine.pool.EnginePool`, documents parsed side by side, results stored in
their order; Cancel kills every process), started and
fed from background threads (:mod:`gui.workers`); results come back to the main thread, which
stores them through :meth:`Session.save_suggestions`. The threads are daemons the window
never waits for: closing while the pipeline loads, or while the engine reads a long
article, stops the engine and returns at once.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core.engine.runner import Engine, ThreadEngine
from ..core.errors import QuotebenchError
from ..core.model import Suggestion
from .session import Session
from .workers import ModelLoader, SuggestWorker, start_daemon, stop_engine

#: Suggestions stored per turn of the event loop: a long article's 3,000 are stored in twelve
#: parts, each short enough not to freeze the window (~30 ms).
STORE_CHUNK = 250


class SuggestionRunner(QObject):
    """Runs the engine over documents in the background, one run at a time, queueing the rest.

    The engine is loaded on first need (or by :meth:`load_model`, once the window is up);
    documents asked for while a run is going wait for it to end. Results belong to the
    project the run started in: if another project was opened meanwhile they are dropped.

    Args:
        model_name: the spaCy pipeline to load (``None``: the default).
        nlp: an already loaded pipeline to run in a worker thread of this process, instead of
            starting the engine's own process (tests, benchmark baselines).
        shown_document: the document on screen, whose suggestions are announced at once
            (others are announced a little later, several at a time).
        processes: how many engine processes to start, read each time the engine is loaded
            (the setting Engine > Processes…).
        parent: the Qt parent.

    Attributes:
        engine: the loaded engine, if any.
        model_error: why the engine could not be loaded, if it could not.

    Signals:
        state_changed(str): a short description of the engine's state ("Engine ready").
        progressed(int, int, str): documents done, documents in the run (0: unknown), label.
        progress_ended(): no progress to show any more.
        queue_changed(): a run started or ended, or documents were queued or dropped.
        failed(str): a message for the researcher (the engine failed, a result was not saved).
        idle(): no run is running or waiting.
    """

    state_changed = Signal(str)
    progressed = Signal(int, int, str)
    progress_ended = Signal()
    queue_changed = Signal()
    failed = Signal(str)
    idle = Signal()

    def __init__(
        self,
        *,
        model_name: str | None = None,
        nlp: Any = None,
        shown_document: Callable[[], int | None] = lambda: None,
        processes: Callable[[], int] = lambda: 1,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine: Engine | None = ThreadEngine(nlp) if nlp is not None else None
        self.model_error: str | None = None
        self.session: Session | None = None
        self._model_name = model_name
        self._shown_document = shown_document
        self._processes = processes
        self._loader: ModelLoader | None = None
        self._worker: SuggestWorker | None = None
        self._worker_session: Session | None = None
        self._pending: list[int] = []
        self._closed = False
        self._stopping: threading.Thread | None = None
        # parts of results waiting to be stored: (session, document, suggestions, first, last)
        self._to_store: deque[tuple[Session, int, list[Suggestion], bool, bool]] = deque()
        self._idle_when_stored = False

    @property
    def busy(self) -> bool:
        """Whether a suggestion run is running or waiting for the language model."""
        return self._worker is not None or bool(self._pending) or bool(self._to_store)

    def set_session(self, session: Session | None) -> None:
        """Work for another project: what is queued is dropped, a running run is cancelled."""
        self.cancel()
        self.session = session

    # --- loading the engine ----------------------------------------------------------------

    def load_model(self) -> None:
        """Start the engine's process and load its pipeline, in the background (once)."""
        if self.engine is not None or self._loader is not None or self.model_error is not None:
            return
        self._loader = ModelLoader(self._model_name, self._processes())
        self._loader.signals.loaded.connect(self._model_loaded)
        self._loader.signals.failed.connect(self._model_failed)
        self.state_changed.emit("Loading the language model…")
        start_daemon(self._loader.run, "quotebench-engine-load")

    @Slot(object)
    def _model_loaded(self, engine: Engine) -> None:
        self._loader = None
        if self._closed:  # the window closed while the pipeline loaded
            engine.close()
            return
        self.engine = engine
        self.state_changed.emit("Engine ready")
        self._start_pending()

    @Slot(str)
    def _model_failed(self, message: str) -> None:
        self._loader = None
        self.model_error = message
        self.state_changed.emit("No engine")
        had_work = bool(self._pending)
        self._pending = []
        self.failed.emit(f"Suggestions are not available: {message}. You can still mark quotes by hand.")
        self.progress_ended.emit()
        if had_work:
            self.idle.emit()

    # --- the queue -------------------------------------------------------------------------

    def request(self, document_ids: Sequence[int]) -> None:
        """Run the engine over these documents in the background (queued if one is running)."""
        if self.session is None or not document_ids:
            return
        if self.model_error is not None:
            self.failed.emit(f"Suggestions are not available: {self.model_error}")
            return
        self._pending.extend(i for i in document_ids if i not in self._pending)
        self.queue_changed.emit()
        if self.engine is None:
            self.progressed.emit(0, 0, "Loading the language model…")
            self.load_model()
            return
        self._start_pending()

    def request_missing(self) -> None:
        """Suggest quotes in every document the engine has not read yet."""
        if self.session is not None:
            self.request(self.session.store.documents_without_suggestions())

    def request_all(self) -> None:
        """Run the engine over every document (reviewed quotes are kept)."""
        if self.session is not None:
            self.request([d.id for d in self.session.store.documents()])

    def cancel(self, *, stop: bool = False) -> None:
        """End the run and drop the queue; nothing more of it is stored.

        Documents already stored stay; nothing of the document being read is stored.

        Args:
            stop: stop the engine now, in the middle of its document (Cancel, Esc): an
                engine in its own process is terminated and started again on the next
                request. Without it (another project opened) the engine finishes its
                document, whose result is dropped, and stays loaded.
        """
        self._pending = []
        if self._worker is not None and not self._worker.cancelled:
            self._worker.cancel()
            self.state_changed.emit("Cancelling…")
            if stop and self.engine is not None and not isinstance(self.engine, ThreadEngine):
                self._stopping = stop_engine(self.engine)
                self.engine = None  # loaded again when next needed
        self.queue_changed.emit()

    def restart_engine(self) -> None:
        """Stop an idle engine so the next run starts it again with the current settings
        (Engine > Processes…); a busy engine keeps running and takes them after its run."""
        if self.busy or self.engine is None or isinstance(self.engine, ThreadEngine):
            return
        self._stopping = stop_engine(self.engine)
        self.engine = None
        self.state_changed.emit("Engine stopped: started again when needed")

    def close(self) -> None:
        """Stop the engine (even in the middle of a text: it writes nothing), without waiting.

        A pipeline still loading is closed when it has loaded (:meth:`_model_loaded`); the
        threads are daemons, so nothing here or at exit waits for them.
        """
        self._pending = []
        self._to_store.clear()
        self._closed = True
        if self._worker is not None:
            self._worker.cancel()
        if self.engine is not None:
            self._stopping = stop_engine(self.engine)
            self.engine = None

    def _start_pending(self) -> None:
        if self._worker is not None or not self._pending or self.engine is None or self.session is None:
            return
        ids, self._pending = self._pending, []
        items = []
        for document_id in ids:
            try:
                items.append((document_id, self.session.store.document(document_id).text or ""))
            except QuotebenchError:
                continue  # deleted meanwhile
        worker = SuggestWorker(self.engine, items)
        self._worker_session = self.session  # results belong to this project only
        worker.signals.document_done.connect(self._suggestions_ready)
        worker.signals.progressed.connect(self._run_progressed)
        worker.signals.failed.connect(self._document_failed)
        worker.signals.finished.connect(self._run_finished)
        self._worker = worker
        self.progressed.emit(0, len(items), "Suggesting")
        self.queue_changed.emit()
        start_daemon(worker.run, "quotebench-suggest")

    # --- results ---------------------------------------------------------------------------

    @Slot(int, object)
    def _suggestions_ready(self, document_id: int, suggestions: list[Suggestion]) -> None:
        session = self.session
        if session is None or session is not self._worker_session:
            return  # the project was closed or another opened while the engine read it
        if self._worker is not None and self._worker.cancelled:
            return  # read before Cancel took effect: Cancel means nothing more is stored
        parts = [suggestions[i : i + STORE_CHUNK] for i in range(0, len(suggestions), STORE_CHUNK)] or [[]]
        busy = bool(self._to_store)
        for n, part in enumerate(parts):
            self._to_store.append((session, document_id, part, n == 0, n == len(parts) - 1))
        if not busy:
            self._store_next()

    @Slot()
    def _store_next(self) -> None:
        """Store one part of the results waiting, and come back for the next on the next turn
        of the event loop (the window stays responsive while a long article's are stored)."""
        if not self._to_store:
            return
        session, document_id, part, first, _last = self._to_store.popleft()
        if session is self.session:
            # Other documents' counts and new speakers are shown a little later, several
            # documents at once: refreshing the lists after every document of a long run kept
            # the event loop busy for no one. The document on screen is refreshed a part at a
            # time (its new quotes alone are read and highlighted), in a turn of its own.
            try:
                session.save_suggestions(document_id, part, defer=True, replace=first)
                if document_id == self._shown_document():
                    QTimer.singleShot(1, session.flush_changes)
            except QuotebenchError as err:
                self.failed.emit(f"The suggestions for document {document_id} could not be saved: {err}")
                while self._to_store and self._to_store[0][1] == document_id and not self._to_store[0][3]:
                    self._to_store.popleft()  # the rest of that document's
        if self._to_store:
            QTimer.singleShot(2, self._store_next)  # a timer, so other timers and input come between
        elif self._idle_when_stored:
            self._idle_when_stored = False
            if self.session is not None:
                self.session.flush_changes()
            self.idle.emit()

    @Slot(int, int)
    def _run_progressed(self, done: int, total: int) -> None:
        self.progressed.emit(done, total, "Suggesting")

    @Slot(int, str)
    def _document_failed(self, document_id: int, message: str) -> None:
        self.failed.emit(
            f"The engine failed on document {document_id} ({message}); the other documents go on."
        )

    @Slot(bool)
    def _run_finished(self, cancelled: bool) -> None:
        self._worker = None
        if self.session is not None:
            self.session.flush_changes()
        self.progress_ended.emit()
        self.state_changed.emit("Suggestions cancelled" if cancelled else "Engine ready")
        self.queue_changed.emit()
        if self._pending:
            if self.engine is None:
                self.load_model()  # it was stopped by Cancel
            self._start_pending()
        elif self._to_store:
            self._idle_when_stored = True  # idle once the results are stored
        else:
            self.idle.emit()
