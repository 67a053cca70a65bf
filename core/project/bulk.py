"""Bulk loading: many documents and their quotes at close to SQLite's own bulk speed.

:class:`BulkLoader` writes a batch of documents (e.g. 1,000) in one transaction: the texts
already stored are found in one query by their SHA-256, new documents and quotes are inserted
with prepared statements (``executemany``) under ids counted on from the largest in use (the
write lock is held), and their history rows are written the same way. Every check of the one-by-one
path is kept (offsets within the text, kinds, statuses, confidences; a NUL or a lone surrogate
is refused), and so are the indexes. A batch is all or nothing; an import of many batches keeps
those done before a bad one, and since known texts are recognised, importing again after a fix
adds only the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import Errors, StoreError
from ..model import Kind, SpeakerType, Status, lone_surrogate
from .connection import now, sha256
from .metadata import metadata_row
from .store import Store

_DOC_COLUMNS = (
    "id",
    "title",
    "source",
    "sha256",
    "imported_at",
    "suggested_by",
    "suggested_at",
    "length",
    "text",
)
_QUOTE_COLUMNS = (
    "id",
    "document_id",
    "start",
    "end",
    "text",
    "kind",
    "cue_start",
    "cue_end",
    "mention_start",
    "mention_end",
    "speaker_id",
    "status",
    "confidence",
    "speaker_confidence",
    "origin",
    "rule",
    "note",
    "annotator",
    "created",
    "modified",
    "original",
    "evidence",
)
_KINDS = frozenset(k.value for k in Kind)
_STATUSES = frozenset(s.value for s in Status)


@dataclass
class BulkQuote:
    """A quote to load: offsets into its document's text and what the store records."""

    start: int
    end: int
    kind: str
    cue: tuple[int, int] | None = None
    mention: tuple[int, int] | None = None
    speaker: str | None = None
    speaker_type: str | None = None
    status: str = Status.ACCEPTED.value
    confidence: float | None = None
    speaker_confidence: float | None = None
    rule: str = ""
    note: str = ""
    original: str | None = None
    evidence: str = ""


@dataclass
class BulkDocument:
    """A document to load, with its quotes; ``where`` names it in an error (file and line)."""

    text: str
    title: str
    source: str
    where: str
    quotes: list[BulkQuote] = field(default_factory=list)
    #: outlet, date, url, author and ``meta`` (the other keys), as the importers read them
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class BulkReport:
    """What the batches loaded so far did."""

    documents: int = 0
    known: int = 0
    quotes: int = 0
    speakers: int = 0


class BulkLoader:
    """Loads batches of documents into a store (see the module's docstring).

    Args:
        store: an open, writable store.
        origin: the quotes' origin (``import:<file>``, or the engine run for suggestions).
        suggested_by: marks the documents as read by this engine run (sharded extract output),
            so ``suggest`` leaves them alone.
    """

    def __init__(self, store: Store, origin: str, *, suggested_by: str | None = None) -> None:
        self.store = store
        self.origin = origin
        self.suggested_by = suggested_by
        self.report = BulkReport()
        self._speakers: dict[tuple[str, str | None], int] = {}
        # columns a later migration adds take their defaults; the history records them too
        table = store.db.conn.execute("PRAGMA table_info(quotes)").fetchall()
        self._defaults = {row[1]: _default(row[4]) for row in table if row[1] not in _QUOTE_COLUMNS}

    def load(self, docs: list[BulkDocument]) -> None:
        """Load one batch in one transaction: all of it, or (on the first error) none.

        Raises:
            StoreError: a text with a NUL (E037) or a lone surrogate (E012), bad offsets (E025)
                or values (E031), each naming the document.
        """
        store = self.store
        stamp = now()
        with store.batch():
            db = store.db.conn
            digests = [sha256(d.text) for d in docs]
            known = _known(db, digests)
            next_doc = _next_id(db, "documents")
            next_quote = _next_id(db, "quotes")
            doc_rows: list[tuple[Any, ...]] = []
            meta_rows: list[dict[str, Any]] = []
            quote_rows: list[tuple[Any, ...]] = []
            edits: list[tuple[Any, ...]] = []
            for doc, digest in zip(docs, digests, strict=True):
                if digest in known:
                    self.report.known += 1
                    continue
                _check_text(doc)
                known[digest] = doc_id = next_doc
                next_doc += 1
                row = (doc.title, doc.source, digest, stamp, self.suggested_by, self.suggested_by and stamp)
                doc_rows.append((doc_id, *row, len(doc.text), doc.text))
                logged = dict(zip(_DOC_COLUMNS[1:-1], (*row, len(doc.text)), strict=True))
                edits.append((stamp, store.annotator, "add", "documents", doc_id, None, _json(logged)))
                if doc.metadata:
                    meta = {"document_id": doc_id, **_metadata_row(doc)}
                    meta_rows.append(meta)
                    edits.append(
                        (stamp, store.annotator, "add", "document_metadata", doc_id, None, _json(meta))
                    )
                for q in doc.quotes:
                    values = self._quote_values(next_quote, doc_id, doc, q, stamp)
                    quote_rows.append(values)
                    after = {**self._defaults, **dict(zip(_QUOTE_COLUMNS, values, strict=True))}
                    edits.append((stamp, store.annotator, "add", "quotes", next_quote, None, _json(after)))
                    next_quote += 1
            _insert(db, "documents", _DOC_COLUMNS, doc_rows)
            db.executemany(
                "INSERT INTO document_metadata (document_id, outlet, date, url, author, meta) "
                "VALUES (:document_id, :outlet, :date, :url, :author, :meta)",
                meta_rows,
            )
            _insert(db, "quotes", _QUOTE_COLUMNS, quote_rows)
            db.executemany(
                "INSERT INTO edits (at, annotator, action, table_name, row_id, before, after) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                edits,
            )
        self.report.documents += len(doc_rows)
        self.report.quotes += len(quote_rows)

    def _quote_values(
        self, qid: int, doc_id: int, doc: BulkDocument, q: BulkQuote, stamp: str
    ) -> tuple[Any, ...]:
        length = len(doc.text)
        for what, span, empty_ok in (("the quote", (q.start, q.end), False), ("the cue", q.cue, True)):
            if span is not None and not _good(span, length, empty_ok):
                raise _bad(doc, Errors.E025.format(what=what, start=span[0], end=span[1], length=length))
        if q.mention is not None and not _good(q.mention, length, True):
            what = "the speaker mention"
            raise _bad(
                doc, Errors.E025.format(what=what, start=q.mention[0], end=q.mention[1], length=length)
            )
        if q.kind not in _KINDS or q.status not in _STATUSES:
            field_, value = ("kind", q.kind) if q.kind not in _KINDS else ("status", q.status)
            raise _bad(doc, Errors.E031.format(field=field_, value=value))
        for name, conf in (("confidence", q.confidence), ("speaker_confidence", q.speaker_confidence)):
            if conf is not None and not (isinstance(conf, int | float) and 0 <= conf <= 1):
                raise _bad(doc, Errors.E031.format(field=name, value=conf))
        cue, mention = q.cue or (None, None), q.mention or (None, None)
        annotator = self.origin if q.status == Status.SUGGESTED.value else self.store.annotator
        return (
            qid,
            doc_id,
            q.start,
            q.end,
            doc.text[q.start : q.end],
            q.kind,
            *cue,
            *mention,
            self._speaker(q.speaker, q.speaker_type),
            q.status,
            q.confidence,
            q.speaker_confidence,
            self.origin,
            q.rule,
            q.note,
            annotator,
            stamp,
            stamp,
            q.original,
            q.evidence,
        )

    def _speaker(self, name: str | None, stype: str | None) -> int | None:
        """The id of the speaker called ``name`` (added if new; remembered for the next quotes)."""
        if not name or not name.strip():
            return None
        key = (name.casefold(), stype)
        sid = self._speakers.get(key)
        if sid is None:
            found = self.store.find_speaker(name)
            if found is not None:
                sid = found.id
            else:
                sid, _ = self.store.add_speaker(name, stype or SpeakerType.UNKNOWN)
                self.report.speakers += 1
            self._speakers[key] = sid
        return sid


def _default(sql: str | None) -> Any:
    """A column's default as SQLite gives it in ``PRAGMA table_info`` (``''``, ``0``, ``NULL``)."""
    if sql is None or sql.upper() == "NULL":
        return None
    if sql.startswith("'") and sql.endswith("'"):
        return sql[1:-1].replace("''", "'")
    try:
        return int(sql)
    except ValueError:
        try:
            return float(sql)
        except ValueError:
            return sql


def _json(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def _good(span: tuple[int, int], length: int, empty_ok: bool) -> bool:
    start, end = span
    return 0 <= start <= end <= length and (empty_ok or start < end)


def _bad(doc: BulkDocument, message: str) -> StoreError:
    return StoreError(f"{doc.where}: {message}")


def _metadata_row(doc: BulkDocument) -> dict[str, Any]:
    try:
        return metadata_row(doc.metadata)
    except StoreError as err:
        raise _bad(doc, str(err)) from None


def _check_text(doc: BulkDocument) -> None:
    if "\x00" in doc.text:
        raise _bad(doc, Errors.E037.format(pos=doc.text.index("\x00")))
    if (pos := lone_surrogate(doc.text)) is not None:
        raise _bad(doc, Errors.E012.format(char=f"U+{ord(doc.text[pos]):04X}", pos=pos))


def _known(db: Any, digests: list[str]) -> dict[str, int]:
    """The stored documents among these SHA-256 digests (one query per 500)."""
    found: dict[str, int] = {}
    unique = sorted(set(digests))
    for i in range(0, len(unique), 500):
        chunk = unique[i : i + 500]
        marks = ",".join("?" * len(chunk))
        found.update(db.execute(f"SELECT sha256, id FROM documents WHERE sha256 IN ({marks})", chunk))
    return found


def _next_id(db: Any, table: str) -> int:
    return int(db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])


def _insert(db: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    db.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
