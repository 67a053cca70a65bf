"""Review state per document, a project's own facts, and the engine's suggestions as they were.

Three things the agreement and evaluation tools read (migration m007):

- ``document_reviews``: where a researcher stands with each document (``to do``, ``in
  progress``, ``done``); a document without a row is ``to do``. ``quotebench evaluate``
  counts only documents marked done.
- ``project_info``: key–value facts about the project itself, e.g. the coder a distributed
  copy was made for, the project it was drawn from, the sample's seed and texts.
- ``quotes.original``: the engine's record of a suggestion when it was stored, kept when a
  researcher edits the quote (written by :meth:`~.store.Store.save_suggestions`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from ..errors import Errors, StoreError
from ..model import Changes
from .connection import Connection, now, reads


class ReviewState(StrEnum):
    """Where a researcher stands with a document."""

    TODO = "to do"
    IN_PROGRESS = "in progress"
    DONE = "done"


class ReviewTable(Connection):
    """Review states, project facts and original suggestions (a part of :class:`~.store.Store`)."""

    # --- review state ----------------------------------------------------------------------

    @reads
    def review_states(self) -> dict[int, ReviewState]:
        """Every document's review state, by document id (``to do`` where none was set)."""
        states = {
            r["document_id"]: ReviewState(r["state"])
            for r in self._iter_rows("SELECT document_id, state FROM document_reviews")
        }
        return {
            doc_id: states.get(doc_id, ReviewState.TODO) for doc_id in self._ids("SELECT id FROM documents")
        }

    @reads
    def documents_in_state(self, state: ReviewState | str) -> list[int]:
        """Ids of the documents in one review state, by id."""
        value = _state(state)
        if value is ReviewState.TODO:
            return self._ids(
                "SELECT id FROM documents WHERE id NOT IN "
                "(SELECT document_id FROM document_reviews WHERE state != 'to do') ORDER BY id"
            )
        return self._ids(
            "SELECT document_id FROM document_reviews WHERE state = ? ORDER BY document_id", [value.value]
        )

    def set_review_state(self, doc_ids: Iterable[int], state: ReviewState | str) -> Changes:
        """Set the review state of documents, in one transaction recorded in the history.

        Args:
            doc_ids: the documents.
            state: ``to do``, ``in progress`` or ``done``.

        Raises:
            StoreError: no such document (E024), not a review state (E031).
        """
        value = _state(state)
        changed: set[int] = set()
        with self._write():
            stamp = now()
            for doc_id in dict.fromkeys(doc_ids):
                if not self._exists("documents", "id = ?", [doc_id]):
                    raise StoreError(Errors.E024.format(what="document", id=doc_id))
                before = self._row("SELECT * FROM document_reviews WHERE document_id = ?", [doc_id])
                if (before["state"] if before else ReviewState.TODO.value) == value.value:
                    continue
                after = {
                    "document_id": doc_id,
                    "state": value.value,
                    "annotator": self.annotator,
                    "modified": stamp,
                }
                self.db.execute(
                    "INSERT OR REPLACE INTO document_reviews (document_id, state, annotator, modified) "
                    "VALUES (:document_id, :state, :annotator, :modified)",
                    after,
                )
                self._log("review", "document_reviews", doc_id, before, after, at=stamp)
                changed.add(doc_id)
        return Changes(documents=frozenset(changed))

    # --- the project's own facts -----------------------------------------------------------

    @reads
    def project_info(self) -> dict[str, str]:
        """The project's facts (``coder``, ``source_project``, ``sample_seed``, ...), by key."""
        return {
            r["key"]: r["value"] for r in self._iter_rows("SELECT key, value FROM project_info ORDER BY key")
        }

    def set_project_info(self, facts: Mapping[str, Any]) -> None:
        """Set some facts of the project; a value that is not text is stored as JSON.

        Raises:
            StoreError: an empty key (E031).
        """
        with self._write():
            for key, value in facts.items():
                if not isinstance(key, str) or not key.strip():
                    raise StoreError(Errors.E031.format(field="project_info key", value=key))
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                before = self._row("SELECT key, value FROM project_info WHERE key = ?", [key])
                self.db.execute("INSERT OR REPLACE INTO project_info (key, value) VALUES (?, ?)", [key, text])
                self._log("info", "project_info", 0, before, {"key": key, "value": text})

    def log_decision(self, action: str, quote_id: int, before: Any, after: Any) -> None:
        """Record a decision about a quote in the history (e.g. an adjudicator's choice between
        coders' versions), by this store's annotator; inside a caller's :meth:`batch`, with the
        edits it explains."""
        with self._write():
            self._log(action, "quotes", quote_id, before, after)

    # --- the engine's suggestions as they were ---------------------------------------------

    @reads
    def originals_for(self, doc_id: int) -> list[tuple[int, str, str]]:
        """A document's quotes that hold the engine's original record: ``(id, origin, original)``,
        in text order (whatever the researcher decided about them since)."""
        return [
            (r["id"], r["origin"], r["original"])
            for r in self._iter_rows(
                "SELECT id, origin, original FROM quotes WHERE document_id = ? AND original IS NOT NULL "
                'ORDER BY start, "end", id',
                [doc_id],
            )
        ]

    @reads
    def deleted_suggestions(self, doc_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The last stored rows of engine suggestions a researcher deleted from some documents.

        Suggestions a new engine run replaced (never reviewed) are not among them, nor quotes
        deleted and then restored.
        """
        wanted = set(doc_ids)
        present = set(self._ids("SELECT id FROM quotes"))
        out: dict[int, dict[str, Any]] = {}
        for r in self._iter_rows(
            "SELECT row_id, before FROM edits WHERE table_name = 'quotes' AND action = 'delete' ORDER BY id"
        ):
            row = json.loads(r["before"]) if r["before"] else None
            if (
                row
                and row.get("original")
                and row.get("document_id") in wanted
                and r["row_id"] not in present
            ):
                out[r["row_id"]] = row
        return list(out.values())


def _state(state: ReviewState | str) -> ReviewState:
    try:
        return ReviewState(state)
    except ValueError:
        raise StoreError(Errors.E031.format(field="review state", value=state)) from None
