"""Corpus-scale review: each document's review state, the corpus's progress, and moving on.

A document is *to do*, *in progress* or *done* (``document_reviews``, migration m007; see
:mod:`core.project.review`). D marks the shown document done (again: in progress), Shift+D
shows the next document not done; the document list marks each document's state and the
status bar says how far the corpus is ("12 of 393 documents done, 1,204 of 10,931 quotes
reviewed"). Accepting or rejecting a quote moves on to the next suggestion (a setting, on by
default). The last document shown is remembered per project.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel

from ..core.model import Changes, Status
from .commands import StoreCommand

if TYPE_CHECKING:
    from .session import Session
    from .widgets.main_window import MainWindow

DONE, IN_PROGRESS, TODO = "done", "in progress", "to do"


class SetReviewStateCommand(StoreCommand):
    """Set a document's review state (undoable: the state it had comes back).

    Args:
        session: the project.
        doc_id: the document.
        state: ``to do``, ``in progress`` or ``done``.
    """

    def __init__(self, session: Session, doc_id: int, state: str) -> None:
        super().__init__(session, f"Mark document {state}")
        self._doc, self._state = doc_id, state
        self._before = str(session.store.review_states().get(doc_id, TODO))

    def run(self) -> Changes:
        """Override StoreCommand.run."""
        return self.store.set_review_state([self._doc], self._state)

    def revert(self) -> Changes:
        """Override StoreCommand.revert."""
        return self.store.set_review_state([self._doc], self._before)


def progress_text(states: dict[int, str], counts: dict[int, tuple[int, int]]) -> str:
    """The corpus's progress line.

    Args:
        states: each document's review state.
        counts: each document's (quotes, quotes still suggested).
    """
    done = sum(1 for s in states.values() if s == DONE)
    quotes = sum(n for n, _ in counts.values())
    reviewed = sum(n - waiting for n, waiting in counts.values())
    return f"{done:,} of {len(states):,} documents done, {reviewed:,} of {quotes:,} quotes reviewed"


class CorpusReview(QObject):
    """The window's corpus review: states in the document list, the progress line, the keys.

    Args:
        window: the main window (its session, document list and status bar).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.progress = QLabel(window)
        self.progress.setObjectName("reviewProgress")
        window.statusBar().addPermanentWidget(self.progress)

    @Slot()
    def refresh(self) -> None:
        """Re-read the review states and counts (after any change; one query each)."""
        w = self._window
        if w.session is None:
            self.progress.clear()
            return
        states = {k: str(v) for k, v in w.session.store.review_states().items()}
        w.docs_model.set_review_states(states)
        counts = {d.id: (d.n_quotes, d.n_suggested) for d in w.docs_model.documents()}
        self.progress.setText(progress_text(states, counts))

    def toggle_done(self) -> bool:
        """Mark the shown document done, or (if it is done) in progress again (D)."""
        w = self._window
        if w.session is None or w.doc_id is None:
            return False
        state = IN_PROGRESS if w.docs_model.review_state(w.doc_id) == DONE else DONE
        if not w.session.push(SetReviewStateCommand(w.session, w.doc_id, state)):
            return False
        w.show_notice(f"Document marked {state}. {self.progress.text()}")
        return True

    def started(self, doc_id: int) -> None:
        """A quote of a document was reviewed: a document still to do is now in progress."""
        w = self._window
        if w.session is not None and w.docs_model.review_state(doc_id) == TODO:
            w.session.store.set_review_state([doc_id], IN_PROGRESS)
            self.refresh()

    def next_not_done(self) -> int | None:
        """Show the next document (after the shown one, round the list) not done (Shift+D)."""
        w = self._window
        docs = w.docs_model.documents()
        if not docs:
            return None
        start = next((i for i, d in enumerate(docs) if d.id == w.doc_id), -1)
        for k in range(1, len(docs) + 1):
            doc = docs[(start + k) % len(docs)]
            if w.docs_model.review_state(doc.id) != DONE and doc.id != w.doc_id:
                w.show_document(doc.id)
                return doc.id
        w.statusBar().showMessage("Every other document is done", 3000)
        return None

    def after_status(self, status: Status, quote_ids: list[int]) -> None:
        """After an accept or reject: the document is in progress, and (a setting, on by
        default) the next suggestion is selected."""
        w = self._window
        if w.doc_id is not None:
            self.started(w.doc_id)
        if status is not Status.SUGGESTED and len(quote_ids) == 1 and w.settings.advance_after_review():
            w.goto_suggestion(+1)


# --- the view remembered per project -------------------------------------------------------


def save_project_view(window: MainWindow) -> None:
    """Remember the project's last document, the quote table's columns and sort, and its filter."""
    if window.session is None:
        return
    project, settings = str(window.session.store.path), window.settings
    if window.doc_id is not None:
        settings.set_project_value(project, "last_document", str(window.doc_id))
    header = bytes(window.table.horizontalHeader().saveState().toBase64().data()).decode("ascii")
    settings.set_project_value(project, "table_header", header)
    settings.set_project_value(project, "filter", window.quotes_pane.filter_edit.text())


def restore_project_view(window: MainWindow) -> int | None:
    """Put back what :func:`save_project_view` kept for the open project.

    Returns:
        The document last shown in it, if it is still there.
    """
    from PySide6.QtCore import QByteArray

    if window.session is None:
        return None
    project, settings = str(window.session.store.path), window.settings
    header = settings.project_value(project, "table_header")
    if header:
        table = window.table
        if table.horizontalHeader().restoreState(QByteArray.fromBase64(header.encode("ascii"))):
            h = table.horizontalHeader()
            table.sortByColumn(h.sortIndicatorSection(), h.sortIndicatorOrder())
    window.quotes_pane.filter_edit.setText(settings.project_value(project, "filter"))
    last = settings.project_value(project, "last_document")
    if last.isdigit() and window.docs_model.row_of(int(last)) is not None:
        return int(last)
    return None
