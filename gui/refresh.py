"""What the views re-read and re-highlight after a change to the project.

Every change reaches the window as one :class:`~core.model.Changes` (from
:attr:`Session.changed <gui.session.Session.changed>`); :class:`ViewRefresher` turns it into
the smallest update of each view that keeps it true to the store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ..core.errors import QuotebenchError
from ..core.model import Changes, Quote
from ..core.project.store import Store
from .models import DocumentsModel, QuotesTableModel
from .widgets.article_view import ArticlePane
from .widgets.speaker_panel import SpeakerPanel

#: Up to this many changed documents or quotes are re-read one by one; more, and all are.
FEW = 50


class ViewRefresher:
    """Brings the document list, the article, its quote table and the speakers up to date.

    Args:
        documents: the document list's model.
        quotes: the quote table's model (the shown document's quotes).
        article: the article and its highlights.
        speakers: the speaker panel.
        shown_document: the document on screen, if any.
        show_first_document: shows the first listed document (or none if the list is empty),
            for when the document on screen is gone.
    """

    def __init__(
        self,
        documents: DocumentsModel,
        quotes: QuotesTableModel,
        article: ArticlePane,
        speakers: SpeakerPanel,
        *,
        shown_document: Callable[[], int | None],
        show_first_document: Callable[[], None],
    ) -> None:
        self._documents = documents
        self._quotes = quotes
        self._article = article
        self._speakers = speakers
        self._shown_document = shown_document
        self._show_first_document = show_first_document

    def apply(self, store: Store, changes: Changes) -> None:
        """Refresh what ``changes`` names: document counts, the shown quotes, the speakers."""
        quotes_changed = bool(changes.quotes_added or changes.quotes_removed or changes.quotes_updated)
        if changes.documents or quotes_changed:
            self.refresh_documents(store, changes.documents)
        shown = self._shown_document()
        if shown is not None and shown in changes.documents and self._documents.row_of(shown) is None:
            self._show_first_document()  # the shown document is gone (an import undone)
            shown = self._shown_document()
        shown_speakers = {q.speaker_id for q in self._quotes.quotes()}
        if shown is not None and (shown in changes.documents or changes.speakers & shown_speakers):
            self.reload_quotes(store, shown, changes)
        if changes.speakers or quotes_changed:
            self._speakers.refresh()

    def refresh_documents(self, store: Store, document_ids: frozenset[int]) -> None:
        """Refresh the counts of some documents; re-list all if one is new or gone."""
        # a few rows are re-read on their own: listing 10,000 documents takes ~100 ms
        if document_ids and len(document_ids) <= FEW:
            try:
                docs = [store.document(i) for i in sorted(document_ids)]
            except QuotebenchError:  # deleted
                docs = None
            if docs is not None and all(
                self._documents.update_document(dataclasses.replace(d, text=None)) for d in docs
            ):
                return
        self._documents.update_documents(store.documents())

    def reload_quotes(self, store: Store, document_id: int, changes: Changes | None = None) -> None:
        """Bring the table and highlights of the shown document up to date with the store.

        An edit of a few quotes re-reads only those and re-highlights only their stretch of
        text (an accept in a 200,000-word article with 5,000 quotes: 110 ms -> a few ms);
        New quotes alone (the engine's suggestions, stored a part at a time) are read and
        highlighted alone. Anything larger, or a speaker change (names shown on many rows),
        re-reads them all.
        """
        if (
            changes is not None
            and changes.quotes_added
            and not (changes.quotes_updated or changes.quotes_removed)
        ):
            # new quotes only (a part of the engine's suggestions, an import): read just them
            added = [q for q in store.quotes_with_ids(changes.quotes_added) if q.document_id == document_id]
            self._quotes.update_quotes(added)
            self._article.update_quotes(added)
            return
        if changes is not None:
            ids = changes.quotes_added | changes.quotes_updated | changes.quotes_removed
            shown_speakers = {q.speaker_id for q in self._quotes.quotes()}
            renamed = bool(changes.speakers & shown_speakers - {None})
            if not renamed and 0 < len(ids) <= FEW:
                self._reload_few(store, document_id, ids)
                return
        new = store.quotes_for(document_id)
        old = {q.id: q for q in self._quotes.quotes()}
        fresh = {q.id for q in new}
        self._quotes.update_quotes([q for q in new if old.get(q.id) != q], [i for i in old if i not in fresh])
        self._article.set_quotes(new)

    def _reload_few(self, store: Store, document_id: int, quote_ids: frozenset[int]) -> None:
        """Re-read a few quotes: those still in the document are updated, the others removed."""
        changed: list[Quote] = []
        removed: list[int] = []
        for quote_id in sorted(quote_ids):
            try:
                q = store.quote(quote_id)
            except QuotebenchError:
                removed.append(quote_id)
                continue
            if q.document_id == document_id:
                changed.append(q)
            else:
                removed.append(quote_id)
        self._quotes.update_quotes(changed, removed)
        self._article.update_quotes(changed, removed)
