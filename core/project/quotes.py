"""The ``quotes`` table: offsets into a document's text, review status and provenance."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import Errors, StaleEditError, StoreError
from ..model import Changes, Kind, Quote, Status
from .connection import now, reads
from .documents import DocumentTable
from .health import row_problem

#: Fields of a quote that ``update_quote`` may change.
EDITABLE = (
    "start",
    "end",
    "kind",
    "cue_start",
    "cue_end",
    "mention_start",
    "mention_end",
    "speaker_id",
    "status",
    "note",
    "confidence",
    "speaker_confidence",
)

_QUOTE_COLUMNS = (
    'q.id, q.document_id, q.start, q."end", q.text, q.kind, q.status, q.cue_start, q.cue_end, '
    "q.mention_start, q.mention_end, q.speaker_id, s.name AS speaker_name, q.confidence, "
    "q.speaker_confidence, q.origin, q.note, q.created, q.modified, q.annotator, q.rule, q.evidence"
)
_QUOTE_FROM = "quotes q LEFT JOIN speakers s ON s.id = q.speaker_id"
#: The order quotes are listed and exported in (the index quotes_by_document).
_IN_TEXT_ORDER = 'q.document_id, q.start, q."end", q.id'


def quote_from_row(row: dict[str, Any]) -> Quote:
    """A :class:`Quote` from a row of :data:`_QUOTE_COLUMNS`."""
    return Quote(
        id=row["id"],
        document_id=row["document_id"],
        start=row["start"],
        end=row["end"],
        text=row["text"],
        kind=Kind(row["kind"]),
        status=Status(row["status"]),
        cue_start=row["cue_start"],
        cue_end=row["cue_end"],
        mention_start=row["mention_start"],
        mention_end=row["mention_end"],
        speaker_id=row["speaker_id"],
        speaker_name=row["speaker_name"],
        confidence=row["confidence"],
        speaker_confidence=row["speaker_confidence"],
        origin=row["origin"],
        note=row["note"],
        created=row["created"],
        modified=row["modified"],
        annotator=row["annotator"],
        rule=row["rule"],
        evidence=row["evidence"],
    )


def _bad_offsets(start: Any, end: Any, length: int, empty_ok: bool) -> bool:
    if (
        not isinstance(start, int)
        or not isinstance(end, int)
        or isinstance(start, bool)
        or isinstance(end, bool)
    ):
        return True
    return not 0 <= start <= end <= length or (start == end and not empty_ok)


#: What a stale view is compared on: every stored field a researcher can see or change.
_COMPARED = (*EDITABLE, "document_id", "modified")


def _value(v: Any) -> Any:
    return v.value if isinstance(v, Kind | Status) else v


def check_expected(quote_id: int, row: dict[str, Any] | None, expected: Quote) -> None:
    """Refuse an edit made from a stale view: the stored row must still be ``expected``.

    Args:
        quote_id: the quote being changed.
        row: its stored row now (``None``: it is gone).
        expected: the quote as the caller last read it.

    Raises:
        StaleEditError: the quote was changed (E076) or deleted (E077) since.
    """
    if row is None:
        raise StaleEditError(Errors.E077.format(id=quote_id))
    if any(_value(getattr(expected, f)) != row[f] for f in _COMPARED):
        raise StaleEditError(
            Errors.E076.format(id=quote_id, who=row["annotator"] or "unknown", at=row["modified"])
        )


class QuoteTable(DocumentTable):
    """The quotes of a project (a part of :class:`~.store.Store`)."""

    # --- reading ---------------------------------------------------------------------------

    @reads
    def quotes_for(self, doc_id: int) -> list[Quote]:
        """A document's quotes, by start offset."""
        return [
            quote_from_row(r)
            for r in self._rows(
                f"SELECT {_QUOTE_COLUMNS} FROM {_QUOTE_FROM} WHERE q.document_id = ? "
                f"ORDER BY {_IN_TEXT_ORDER}",
                [doc_id],
            )
        ]

    @reads
    def quotes_with_ids(self, quote_ids: Iterable[int]) -> list[Quote]:
        """The quotes of these ids that exist, by document and start offset (one query)."""
        return [
            quote_from_row(r)
            for r in self._rows(
                f"SELECT {_QUOTE_COLUMNS} FROM {_QUOTE_FROM} WHERE q.id IN (SELECT value FROM json_each(?)) "
                f"ORDER BY {_IN_TEXT_ORDER}",
                [json.dumps(sorted(quote_ids))],
            )
        ]

    @reads
    def all_quotes(self) -> list[Quote]:
        """Every quote, by document and start offset."""
        return list(self.iter_quotes())

    @reads
    def iter_quotes(self) -> Iterator[Quote]:
        """Every quote, by document and start offset, one at a time."""
        for row in self._iter_rows(f"SELECT {_QUOTE_COLUMNS} FROM {_QUOTE_FROM} ORDER BY {_IN_TEXT_ORDER}"):
            yield quote_from_row(row)

    @reads
    def iter_quote_rows(self, *, accepted_only: bool = False) -> Iterator[dict[str, Any]]:
        """Every quote's stored row (no joins), by document and start: the fast path for exports."""
        where = "WHERE status = 'accepted' " if accepted_only else ""
        for row in self._iter_rows(f'SELECT * FROM quotes {where}ORDER BY document_id, start, "end", id'):
            if (problem := row_problem("quotes", row)) is not None:
                raise self.damaged(problem)
            yield row

    @reads
    def quote(self, quote_id: int) -> Quote:
        """One quote.

        Raises:
            StoreError: no such quote (E024).
        """
        row = self._row(f"SELECT {_QUOTE_COLUMNS} FROM {_QUOTE_FROM} WHERE q.id = ?", [quote_id])
        if row is None:
            raise StoreError(Errors.E024.format(what="quote", id=quote_id))
        return quote_from_row(row)

    # --- checking and inserting ------------------------------------------------------------

    def _check_quote(self, row: dict[str, Any]) -> None:
        """Validate a quote row's offsets, kind, status and speaker before writing it."""
        length = self._length(row["document_id"])
        for what, start, end, empty_ok in (
            ("the quote", row["start"], row["end"], False),
            ("the cue", row.get("cue_start"), row.get("cue_end"), True),
            ("the speaker mention", row.get("mention_start"), row.get("mention_end"), True),
        ):
            if start is None and end is None and what != "the quote":
                continue
            if _bad_offsets(start, end, length, empty_ok):
                raise StoreError(Errors.E025.format(what=what, start=start, end=end, length=length))
        for field, enum in (("kind", Kind), ("status", Status)):
            try:
                row[field] = enum(row[field]).value
            except ValueError:
                raise StoreError(Errors.E031.format(field=field, value=row[field])) from None
        for field in ("confidence", "speaker_confidence"):
            conf = row.get(field)
            if conf is not None and not (isinstance(conf, int | float) and 0 <= conf <= 1):
                raise StoreError(Errors.E031.format(field=field, value=conf))
        sid = row.get("speaker_id")
        if sid is not None and not self._exists("speakers", "id = ?", [sid]):
            raise StoreError(Errors.E024.format(what="speaker", id=sid))

    def _insert_quote(self, row: dict[str, Any], *, action: str = "add") -> int:
        self._check_quote(row)
        row.setdefault("original", None)  # the engine's record, for its suggestions only
        row.setdefault("evidence", "")
        cur = self.db.execute(
            'INSERT INTO quotes (id, document_id, start, "end", text, kind, cue_start, cue_end, '
            "mention_start, mention_end, speaker_id, status, confidence, speaker_confidence, origin, rule, "
            "note, annotator, created, modified, original, evidence) "
            "VALUES (:id, :document_id, :start, :end, "
            "(SELECT substr(text, :start + 1, :end - :start) FROM documents WHERE id = :document_id), "
            ":kind, :cue_start, :cue_end, :mention_start, :mention_end, :speaker_id, :status, :confidence, "
            ":speaker_confidence, :origin, :rule, :note, :annotator, :created, :modified, :original, "
            ":evidence)",
            row,
        )
        qid = int(cur.lastrowid or 0)
        self._log(action, "quotes", qid, None, self._quote_row(qid))
        return qid

    # --- writing ---------------------------------------------------------------------------

    def add_quote(
        self,
        doc_id: int,
        start: int,
        end: int,
        kind: Kind | str,
        *,
        cue: tuple[int, int] | None = None,
        mention: tuple[int, int] | None = None,
        speaker_id: int | None = None,
        status: Status | str = Status.ACCEPTED,
        confidence: float | None = None,
        speaker_confidence: float | None = None,
        origin: str | None = None,
        note: str = "",
        rule: str = "",
        created: str | None = None,
        modified: str | None = None,
        annotator: str | None = None,
        quote_id: int | None = None,
        evidence: str = "",
    ) -> tuple[int, Changes]:
        """Add a quote to a document.

        Args:
            doc_id: the document.
            start: the quote's start offset into the text.
            end: its end offset (exclusive).
            kind: direct, indirect or mixed.
            cue: ``(start, end)`` of the reporting words.
            mention: ``(start, end)`` of the speaker mention.
            speaker_id: the resolved speaker.
            status: its review status (a quote a researcher marks is accepted).
            confidence: how sure the engine was (0..1) that this is a quote, if it made it.
            speaker_confidence: how sure the engine was (0..1) of the speaker, if it named one.
            origin: who made it; ``None`` means ``"annotator:<name>"``.
            note: the researcher's note.
            rule: the attribution pattern that fired, for the engine's quotes.
            created: kept as given when an export is imported.
            modified: kept as given when an export is imported.
            annotator: kept as given when an export is imported.
            quote_id: the id to give it, if that id is free (an export imported).
            evidence: why the engine suggested it (an export of its suggestions imported).

        Raises:
            StoreError: no such document or speaker (E024), bad offsets (E025) or values (E031).
        """
        stamp = now()
        row = {
            "id": quote_id,
            "document_id": doc_id,
            "start": start,
            "end": end,
            "kind": kind,
            "cue_start": cue[0] if cue else None,
            "cue_end": cue[1] if cue else None,
            "mention_start": mention[0] if mention else None,
            "mention_end": mention[1] if mention else None,
            "speaker_id": speaker_id,
            "status": status,
            "confidence": confidence,
            "speaker_confidence": speaker_confidence,
            "origin": origin if origin is not None else f"annotator:{self.annotator}",
            "rule": rule,
            "note": note,
            "evidence": evidence,
            "annotator": annotator if annotator is not None else self.annotator,
            "created": created or stamp,
            "modified": modified or created or stamp,
        }
        with self._write():
            if quote_id is not None and self._exists("quotes", "id = ?", [quote_id]):
                row["id"] = None
            qid = self._insert_quote(row)
        return qid, Changes(documents=frozenset({doc_id}), quotes_added=frozenset({qid}))

    def update_quote(self, quote_id: int, *, expected: Quote | None = None, **fields: Any) -> Changes:
        """Change some fields of a quote (see :data:`EDITABLE`).

        Args:
            quote_id: the quote.
            expected: the quote as the caller last read it (e.g. the state an Undo returns
                from); the edit is refused if the stored quote differs from it.
            **fields: the new values.

        Raises:
            StoreError: no such quote (E024), a field that cannot be changed (E030), offsets
                outside the text (E025), a bad value (E031).
            StaleEditError: ``expected`` is no longer what is stored (E076, E077).
        """
        bad = sorted(set(fields) - set(EDITABLE))
        if bad:
            raise StoreError(Errors.E030.format(field=bad[0], allowed=", ".join(EDITABLE)))
        if not fields:
            return Changes()
        with self._write():
            if expected is not None:
                check_expected(quote_id, self._row("SELECT * FROM quotes WHERE id = ?", [quote_id]), expected)
            before = self._quote_row(quote_id)
            row = {**before, **fields}
            self._check_quote(row)
            row["modified"] = now()
            row["annotator"] = self.annotator
            sets = ", ".join(f'"{f}" = :{f}' for f in (*fields, "modified", "annotator"))
            self.db.execute(
                f"UPDATE quotes SET {sets}, text = (SELECT substr(text, :start + 1, :end - :start) "
                "FROM documents WHERE id = :document_id) WHERE id = :id",
                row,
            )
            self._log("update", "quotes", quote_id, before, self._quote_row(quote_id))
        return Changes(documents=frozenset({before["document_id"]}), quotes_updated=frozenset({quote_id}))

    def set_status(
        self, quote_ids: Iterable[int], status: Status | str, *, expected: Iterable[Quote] | None = None
    ) -> Changes:
        """Set the review status of several quotes in one transaction.

        Args:
            quote_ids: the quotes.
            status: the new status.
            expected: the quotes as the caller last read them; if any differs from what is
                stored, nothing is changed.

        Raises:
            StoreError: no such quote (E024) or status (E031).
            StaleEditError: one of ``expected`` is no longer what is stored (E076, E077).
        """
        try:
            value = Status(status).value
        except ValueError:
            raise StoreError(Errors.E031.format(field="status", value=status)) from None
        updated: set[int] = set()
        docs: set[int] = set()
        with self._write():
            for seen in expected or ():
                check_expected(seen.id, self._row("SELECT * FROM quotes WHERE id = ?", [seen.id]), seen)
            stamp = now()
            for qid in dict.fromkeys(quote_ids):
                before = self._quote_row(qid)
                docs.add(before["document_id"])
                if before["status"] == value:
                    continue
                self.db.execute(
                    "UPDATE quotes SET status = ?, modified = ?, annotator = ? WHERE id = ?",
                    [value, stamp, self.annotator, qid],
                )
                self._log("update", "quotes", qid, before, self._quote_row(qid), at=stamp)
                updated.add(qid)
        return Changes(documents=frozenset(docs), quotes_updated=frozenset(updated))

    def delete_quote(self, quote_id: int, *, expected: Quote | None = None) -> Changes:
        """Delete a quote (its last state stays in the history; :meth:`restore_quote` undoes).

        Args:
            quote_id: the quote.
            expected: the quote as the caller last read it (e.g. the Undo of an add); the
                quote is kept if the stored one differs from it.

        Raises:
            StoreError: no such quote (E024).
            StaleEditError: ``expected`` is no longer what is stored (E076, E077).
        """
        with self._write():
            if expected is not None:
                check_expected(quote_id, self._row("SELECT * FROM quotes WHERE id = ?", [quote_id]), expected)
            before = self._quote_row(quote_id)
            self.db.execute("DELETE FROM quotes WHERE id = ?", [quote_id])
            self._log("delete", "quotes", quote_id, before, None)
        return Changes(documents=frozenset({before["document_id"]}), quotes_removed=frozenset({quote_id}))

    def restore_quote(self, quote: Quote) -> Changes:
        """Put a deleted quote back with its id and all its fields (Undo of a delete).

        Raises:
            StoreError: a quote with that id exists (E036), or its document is gone (E024).
        """
        row = {
            "id": quote.id,
            "document_id": quote.document_id,
            "start": quote.start,
            "end": quote.end,
            "kind": quote.kind,
            "cue_start": quote.cue_start,
            "cue_end": quote.cue_end,
            "mention_start": quote.mention_start,
            "mention_end": quote.mention_end,
            "speaker_id": quote.speaker_id,
            "status": quote.status,
            "confidence": quote.confidence,
            "speaker_confidence": quote.speaker_confidence,
            "origin": quote.origin,
            "rule": quote.rule,
            "note": quote.note,
            "evidence": quote.evidence,
            "annotator": quote.annotator,
            "created": quote.created or now(),
            "modified": quote.modified or now(),
        }
        with self._write():
            if self._exists("quotes", "id = ?", [quote.id]):
                raise StoreError(Errors.E036.format(id=quote.id))
            row["original"] = self._original_when_deleted(quote.id)
            self._insert_quote(row, action="restore")
        return Changes(documents=frozenset({quote.document_id}), quotes_added=frozenset({quote.id}))

    def _original_when_deleted(self, quote_id: int) -> str | None:
        """The engine's record a deleted quote held (its last delete in the history), or ``None``."""
        edit = self._row(
            "SELECT before FROM edits WHERE table_name = 'quotes' AND row_id = ? AND action = 'delete' "
            "ORDER BY id DESC LIMIT 1",
            [quote_id],
        )
        if edit is None or edit["before"] is None:
            return None
        original = json.loads(edit["before"]).get("original")
        return original if isinstance(original, str) else None
