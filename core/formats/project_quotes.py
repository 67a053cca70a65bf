"""A project read for export: each document with its quotes, one text at a time.

Each document's row carries its metadata under ``metadata`` (outlet, date, url, author, meta),
or ``None`` if it has none (:meth:`~core.project.metadata.MetadataTable.document_metadata`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Quote, Speaker, Status
from ..project.store import Store


def speakers_by_id(store: Store) -> dict[int, Speaker]:
    """The project's speakers that have quotes, by id: a speaker left with none (its quotes
    merged away or deleted) is in no export's list of speakers."""
    return {s.id: s for s in sorted(store.speakers(), key=lambda s: s.id) if s.n_quotes > 0}


def documents_with_quotes(
    store: Store, accepted_only: bool
) -> Iterator[tuple[dict[str, Any], str, list[Quote]]]:
    """Each document's row, text and quotes, by id; reads one text at a time."""
    metadata = store.all_document_metadata()
    quotes = store.iter_quotes()
    pending = next(quotes, None)
    for info, text in store.iter_documents():
        info["metadata"] = metadata.get(info["id"])
        mine: list[Quote] = []
        # both streams are ordered by document id
        while pending is not None and pending.document_id <= info["id"]:
            if pending.document_id == info["id"] and (not accepted_only or pending.status is Status.ACCEPTED):
                mine.append(pending)
            pending = next(quotes, None)
        yield info, text, mine


def documents_with_rows(
    store: Store, accepted_only: bool
) -> Iterator[tuple[dict[str, Any], str, list[dict[str, Any]]]]:
    """Like :func:`documents_with_quotes` with stored rows instead of records: the fast path
    for exports that only copy fields (JSONL, CSV)."""
    metadata = store.all_document_metadata()
    rows = store.iter_quote_rows(accepted_only=accepted_only)
    pending = next(rows, None)
    for info, text in store.iter_documents():
        info["metadata"] = metadata.get(info["id"])
        mine: list[dict[str, Any]] = []
        while pending is not None and pending["document_id"] <= info["id"]:
            if pending["document_id"] == info["id"]:
                mine.append(pending)
            pending = next(rows, None)
        yield info, text, mine
