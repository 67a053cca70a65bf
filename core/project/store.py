"""The project store: one SQLite file holding a researcher's documents, speakers and quotes.

This is the only module that issues SQL. The file is an ordinary SQLite database written
through sqlite-utils, so ``sqlite-utils`` and Datasette open it as it is. Every public write
method is one transaction, records who changed what in the ``edits`` table, and is on disk
when it returns: there is no "save".

Durability: the file is in WAL mode with ``synchronous=FULL``. With ``NORMAL`` a committed
edit survives the process being killed but can be lost if the machine loses power before the
next checkpoint; researchers work on laptops whose batteries run out, and an annotation
reported as saved must stay saved, so every commit syncs the WAL (measured cost: see
``tests/benchmarks/bench_store.py``).

Writes start with ``BEGIN IMMEDIATE`` so that waiting for another program's write lock
happens at the start, under the busy timeout, and ends in :class:`ProjectBusyError` rather
than in a failed commit half-way through an edit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..errors import Errors, ProjectBusyError, StoreError
from ..model import (
    Changes,
    Document,
    Edit,
    Kind,
    MergeRecord,
    Quote,
    Speaker,
    SpeakerType,
    SplitRecord,
    Status,
    Suggestion,
    lone_surrogate,
)
from .migrations import known, migrations

#: Mentions that never become a speaker's alias: they name nobody on their own.
PRONOUNS = frozenset(
    "i me my we us our you your he him his she her hers it its they them their theirs "
    "this that these those who one someone".split()
)

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
)

_QUOTE_COLUMNS = (
    'q.id, q.document_id, q.start, q."end", q.text, q.kind, q.status, q.cue_start, q.cue_end, '
    "q.mention_start, q.mention_end, q.speaker_id, s.name AS speaker_name, q.confidence, q.origin, "
    "q.note, q.created, q.modified, q.annotator, q.rule"
)
_QUOTE_FROM = "quotes q LEFT JOIN speakers s ON s.id = q.speaker_id"


def now() -> str:
    """The current UTC time as ISO 8601 with microseconds (sorts as text)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sha256(text: str) -> str:
    """Hex SHA-256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def name_key(name: str) -> str:
    """How names are compared: case-insensitively (Unicode casefold), ignoring outer spaces."""
    return " ".join(name.split()).casefold()


def default_annotator() -> str:
    """The system user's name, or ``"unknown"`` where the system has none (some containers)."""
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError):
        return "unknown"


def _is_busy(err: sqlite3.Error) -> bool:
    return isinstance(err, sqlite3.OperationalError) and ("locked" in str(err) or "busy" in str(err))


def _quote_from_row(row: dict[str, Any]) -> Quote:
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
        origin=row["origin"],
        note=row["note"],
        created=row["created"],
        modified=row["modified"],
        annotator=row["annotator"],
        rule=row["rule"],
    )


class Store:
    """A Quotebench project: one SQLite file.

    Use one :class:`Store` per thread (its ``sqlite3`` connection refuses other threads).

    Attributes:
        path: the project file.
        annotator: the name recorded with every edit made through this store.
        db: the underlying :class:`sqlite_utils.Database`.
    """

    def __init__(self, path: Path, db: Database, annotator: str, timeout: float) -> None:
        self.path = path
        self.db = db
        self.annotator = annotator
        self.timeout = timeout

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        annotator: str | None = None,
        create: bool = False,
        timeout: float = 5.0,
    ) -> Store:
        """Open a project, upgrading its schema if it is older than this version.

        Args:
            path: the project file.
            annotator: the name to record with edits; ``None`` is the system user.
            create: make a new empty project if ``path`` does not exist (or is empty).
            timeout: seconds to wait for another program's write lock.

        Raises:
            StoreError: no such file (E028), not SQLite (E020), not a project (E021), written
                by a newer version (E022).
            ProjectBusyError: another program held the write lock longer than ``timeout`` (E023).
        """
        path = Path(path)
        fresh = not path.exists() or path.stat().st_size == 0
        if fresh and not create:
            raise StoreError(Errors.E028.format(path=path))
        if path.is_dir():
            raise StoreError(Errors.E020.format(path=path))
        try:
            # isolation_level=None: the store starts and ends every transaction itself.
            conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreError(Errors.E033.format(path=path, detail=err)) from err
        try:
            store = cls._prepare(path, conn, fresh=fresh, timeout=timeout)
        except BaseException:
            conn.close()
            raise
        store.annotator = annotator or default_annotator()
        return store

    @classmethod
    def create(
        cls, path: str | os.PathLike[str], *, annotator: str | None = None, timeout: float = 5.0
    ) -> Store:
        """Create a new project; refuse to overwrite an existing file (E029)."""
        path = Path(path)
        if path.exists() and path.stat().st_size > 0:
            raise StoreError(Errors.E029.format(path=path))
        return cls.open(path, annotator=annotator, create=True, timeout=timeout)

    @classmethod
    def _prepare(cls, path: Path, conn: sqlite3.Connection, *, fresh: bool, timeout: float) -> Store:
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as err:
            if _is_busy(err):
                raise ProjectBusyError(Errors.E023.format(path=path, seconds=timeout)) from err
            raise StoreError(Errors.E020.format(path=path)) from err
        db = Database(conn)
        if tables or not fresh:
            applied = [m.name for m in migrations.applied(db)] if "_sqlite_migrations" in tables else []
            if not applied:
                raise StoreError(Errors.E021.format(path=path))
            newer = [name for name in applied if name not in known()]
            if newer:
                raise StoreError(Errors.E022.format(path=path, found=len(applied), known=len(known())))
        try:
            # WAL lets the window read while a batch job writes; the mode is stored in the file.
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")  # see the module docstring
            if migrations.pending(db):
                migrations.apply(db)
        except sqlite3.Error as err:
            if _is_busy(err):
                raise ProjectBusyError(Errors.E023.format(path=path, seconds=timeout)) from err
            raise StoreError(Errors.E033.format(path=path, detail=err)) from err
        return cls(path, db, "", timeout)

    def close(self) -> None:
        """Close the file. Everything written is already on disk."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        """The ``sqlite3`` connection (for tests and benchmarks that inspect the file)."""
        return self.db.conn

    def schema_version(self) -> int:
        """How many migrations this file has had."""
        return len(migrations.applied(self.db))

    # --- transactions and history ----------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[Store]:
        """One transaction around many writes (an import): all of them happen, or none.

        Write methods called inside become savepoints of this transaction.

        Raises:
            ProjectBusyError: the write lock was not obtained within the timeout.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self._translate_errors():
                with self.db.atomic():  # nested: a savepoint
                    yield self
            return
        with self._translate_errors():
            conn.execute("BEGIN IMMEDIATE")
        try:
            with self._translate_errors():
                yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        with self._translate_errors():
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    _write = batch

    @contextlib.contextmanager
    def _translate_errors(self) -> Iterator[None]:
        """Turn ``sqlite3`` errors into the store's own (qutebrowser's KnownError split)."""
        try:
            yield
        except sqlite3.Error as err:
            if _is_busy(err):
                raise ProjectBusyError(Errors.E023.format(path=self.path, seconds=self.timeout)) from err
            raise StoreError(Errors.E033.format(path=self.path, detail=err)) from err

    def _log(
        self,
        action: str,
        table: str,
        row_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        *,
        at: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO edits (at, annotator, action, table_name, row_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                at or now(),
                self.annotator,
                action,
                table,
                row_id,
                None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
                None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
            ],
        )

    def _row(self, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
        cur = self.db.conn.execute(sql, list(params))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.db.conn.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    # --- documents -------------------------------------------------------------------------

    def add_document(
        self,
        text: str,
        *,
        title: str = "",
        source: str = "",
        imported_at: str | None = None,
        doc_id: int | None = None,
        suggested_by: str | None = None,
        suggested_at: str | None = None,
    ) -> tuple[int, bool]:
        """Store a text, unless the same text is already here.

        Args:
            text: the document's text; it never changes afterwards.
            title, source: what to call it and where it came from.
            imported_at, doc_id, suggested_by, suggested_at: kept as given when a project's
                own export is imported (``doc_id`` only if that id is free).

        Returns:
            The document's id and whether it was newly added (``False``: the same text, found
            by its SHA-256, was already stored under that id).
        """
        if "\x00" in text:
            # SQLite's text functions stop at a NUL, so offsets past it could not be trusted
            raise StoreError(Errors.E037.format(pos=text.index("\x00")))
        if (pos := lone_surrogate(text)) is not None:
            raise StoreError(Errors.E012.format(char=f"U+{ord(text[pos]):04X}", pos=pos))
        digest = sha256(text)
        with self._write():
            existing = self._row("SELECT id FROM documents WHERE sha256 = ?", [digest])
            if existing is not None:
                return existing["id"], False
            if doc_id is not None and self._row("SELECT 1 AS x FROM documents WHERE id = ?", [doc_id]):
                doc_id = None
            row = {
                "title": title,
                "source": source,
                "sha256": digest,
                "imported_at": imported_at or now(),
                "suggested_by": suggested_by,
                "suggested_at": suggested_at,
                "length": len(text),
            }
            cur = self.db.execute(
                "INSERT INTO documents (id, title, source, sha256, imported_at, suggested_by, "
                "suggested_at, length, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc_id, *row.values(), text],
            )
            new_id = int(cur.lastrowid or 0)
            self._log("add", "documents", new_id, None, row)  # the text itself is in the row
            return new_id, True

    def documents(self) -> list[Document]:
        """All documents, without their texts, with quote counts, by id."""
        # The counts come from the (document_id, status) index and the rest from the
        # covering index documents_listing: no text page is read (fast at 10,000 documents).
        counts = {
            r[0]: (r[1], r[2])
            for r in self.db.conn.execute(
                "SELECT document_id, count(*), sum(status = 'suggested') FROM quotes GROUP BY document_id"
            )
        }
        out = []
        for r in self.db.conn.execute(
            "SELECT id, title, source, sha256, imported_at FROM documents INDEXED BY documents_listing "
            "ORDER BY id"
        ):
            n, s = counts.get(r[0], (0, 0))
            out.append(Document(r[0], r[1], r[2], r[3], r[4], None, n, s or 0))
        return out

    def document(self, doc_id: int) -> Document:
        """One document, with its text.

        Raises:
            StoreError: no such document (E024).
        """
        row = self._row(
            "SELECT d.id, d.title, d.source, d.sha256, d.imported_at, d.text, "
            "(SELECT count(*) FROM quotes WHERE document_id = d.id) AS n, "
            "(SELECT count(*) FROM quotes WHERE document_id = d.id AND status = 'suggested') AS s "
            "FROM documents d WHERE d.id = ?",
            [doc_id],
        )
        if row is None:
            raise StoreError(Errors.E024.format(what="document", id=doc_id))
        return Document(
            row["id"],
            row["title"],
            row["source"],
            row["sha256"],
            row["imported_at"],
            row["text"],
            row["n"],
            row["s"],
        )

    def document_info(self, doc_id: int) -> dict[str, Any]:
        """A document's stored row without its text (incl. ``suggested_by``, ``length``)."""
        row = self._row(
            "SELECT id, title, source, sha256, imported_at, suggested_by, suggested_at, length "
            "FROM documents WHERE id = ?",
            [doc_id],
        )
        if row is None:
            raise StoreError(Errors.E024.format(what="document", id=doc_id))
        return row

    def documents_from(self, title: str, source: str) -> list[Document]:
        """Documents stored under this title and source (earlier versions of an article)."""
        return [
            Document(r["id"], r["title"], r["source"], r["sha256"], r["imported_at"])
            for r in self._rows(
                "SELECT id, title, source, sha256, imported_at FROM documents "
                "WHERE title = ? AND source = ? ORDER BY id",
                [title, source],
            )
        ]

    def delete_document(self, doc_id: int) -> Changes:
        """Delete a document and its quotes."""
        with self._write():
            info = self.document_info(doc_id)
            gone = [
                r[0] for r in self.db.conn.execute("SELECT id FROM quotes WHERE document_id = ?", [doc_id])
            ]
            for qid in gone:
                self._log("delete", "quotes", qid, self._quote_row(qid), None)
            self.db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
            self._log("delete", "documents", doc_id, info, None)
        return Changes(documents=frozenset({doc_id}), quotes_removed=frozenset(gone))

    def documents_without_suggestions(self) -> list[int]:
        """Ids of documents the engine has not been run on yet."""
        return [
            r[0]
            for r in self.db.conn.execute("SELECT id FROM documents WHERE suggested_by IS NULL ORDER BY id")
        ]

    def iter_documents(self) -> Iterator[tuple[dict[str, Any], str]]:
        """Every document's row (as :meth:`document_info`) and text, by id, one at a time."""
        cur = self.db.conn.execute(
            "SELECT id, title, source, sha256, imported_at, suggested_by, suggested_at, length, text "
            "FROM documents ORDER BY id"
        )
        names = [d[0] for d in cur.description]
        for row in cur:
            info = dict(zip(names, row, strict=True))
            yield info, info.pop("text")

    # --- quotes ----------------------------------------------------------------------------

    def _quote_row(self, quote_id: int) -> dict[str, Any]:
        row = self._row("SELECT * FROM quotes WHERE id = ?", [quote_id])
        if row is None:
            raise StoreError(Errors.E024.format(what="quote", id=quote_id))
        return row

    def quotes_for(self, doc_id: int) -> list[Quote]:
        """A document's quotes, by start offset."""
        return [
            _quote_from_row(r)
            for r in self._rows(
                f'SELECT {_QUOTE_COLUMNS} FROM {_QUOTE_FROM} WHERE q.document_id = ? ORDER BY q.start, q."end", q.id',
                [doc_id],
            )
        ]

    def all_quotes(self) -> list[Quote]:
        """Every quote, by document and start offset."""
        return list(self.iter_quotes())

    def iter_quotes(self) -> Iterator[Quote]:
        """Every quote, by document and start offset, one at a time."""
        cur = self.db.conn.execute(
            f'SELECT {_QUOTE_COLUMNS} FROM {_QUOTE_FROM} ORDER BY q.document_id, q.start, q."end", q.id'
        )
        names = [d[0] for d in cur.description]
        for row in cur:
            yield _quote_from_row(dict(zip(names, row, strict=True)))

    def iter_quote_rows(self, *, accepted_only: bool = False) -> Iterator[dict[str, Any]]:
        """Every quote's stored row (no joins), by document and start: the fast path for exports."""
        where = "WHERE status = 'accepted' " if accepted_only else ""
        cur = self.db.conn.execute(f'SELECT * FROM quotes {where}ORDER BY document_id, start, "end", id')
        names = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(names, row, strict=True))

    def iter_quote_json(self, *, accepted_only: bool = False) -> Iterator[tuple[int, str]]:
        """Every quote as ``(document id, JSON object)`` in the interchange schema plus the
        project's fields, by document and start.

        SQLite builds the JSON (``json_object``): exporting 100,000 quotes this way takes a
        third of the time of building and encoding the same dicts in Python.
        """
        where = "WHERE q.status = 'accepted' " if accepted_only else ""
        yield from self.db.conn.execute(
            "SELECT q.document_id, json_object("
            "'quote_id', q.id, 'start', q.start, 'end', q.\"end\", 'text', q.text, 'kind', q.kind, "
            "'speaker', CASE WHEN q.mention_start IS NULL THEN NULL "
            "ELSE substr(d.text, q.mention_start + 1, q.mention_end - q.mention_start) END, "
            "'speaker_start', q.mention_start, 'speaker_end', q.mention_end, "
            "'cue', CASE WHEN q.cue_start IS NULL THEN NULL "
            "ELSE substr(d.text, q.cue_start + 1, q.cue_end - q.cue_start) END, "
            "'cue_start', q.cue_start, 'cue_end', q.cue_end, 'entity', s.name, 'entity_type', s.type, "
            "'speaker_id', q.speaker_id, 'confidence', q.confidence, 'status', q.status, 'origin', q.origin, "
            "'rule', q.rule, 'note', q.note, 'annotator', q.annotator, 'created', q.created, "
            "'modified', q.modified) "
            "FROM quotes q JOIN documents d ON d.id = q.document_id LEFT JOIN speakers s ON s.id = q.speaker_id "
            f'{where}ORDER BY q.document_id, q.start, q."end", q.id'
        )

    def quote(self, quote_id: int) -> Quote:
        """One quote.

        Raises:
            StoreError: no such quote (E024).
        """
        row = self._row(f"SELECT {_QUOTE_COLUMNS} FROM {_QUOTE_FROM} WHERE q.id = ?", [quote_id])
        if row is None:
            raise StoreError(Errors.E024.format(what="quote", id=quote_id))
        return _quote_from_row(row)

    def _length(self, doc_id: int) -> int:
        row = self._row("SELECT length FROM documents WHERE id = ?", [doc_id])
        if row is None:
            raise StoreError(Errors.E024.format(what="document", id=doc_id))
        return int(row["length"])

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
            if (
                not isinstance(start, int)
                or not isinstance(end, int)
                or isinstance(start, bool)
                or isinstance(end, bool)
                or not 0 <= start <= end <= length
                or (start == end and not empty_ok)
            ):
                raise StoreError(Errors.E025.format(what=what, start=start, end=end, length=length))
        for field, enum in (("kind", Kind), ("status", Status)):
            try:
                row[field] = enum(row[field]).value
            except ValueError:
                raise StoreError(Errors.E031.format(field=field, value=row[field])) from None
        conf = row.get("confidence")
        if conf is not None and not (isinstance(conf, int | float) and 0 <= conf <= 1):
            raise StoreError(Errors.E031.format(field="confidence", value=conf))
        sid = row.get("speaker_id")
        if sid is not None and self._row("SELECT 1 AS x FROM speakers WHERE id = ?", [sid]) is None:
            raise StoreError(Errors.E024.format(what="speaker", id=sid))

    def _insert_quote(self, row: dict[str, Any], *, action: str = "add") -> int:
        self._check_quote(row)
        cur = self.db.execute(
            'INSERT INTO quotes (id, document_id, start, "end", text, kind, cue_start, cue_end, '
            "mention_start, mention_end, speaker_id, status, confidence, origin, rule, note, annotator, "
            "created, modified) VALUES (:id, :document_id, :start, :end, "
            "(SELECT substr(text, :start + 1, :end - :start) FROM documents WHERE id = :document_id), "
            ":kind, :cue_start, :cue_end, :mention_start, :mention_end, :speaker_id, :status, :confidence, "
            ":origin, :rule, :note, :annotator, :created, :modified)",
            row,
        )
        qid = int(cur.lastrowid or 0)
        self._log(action, "quotes", qid, None, self._quote_row(qid))
        return qid

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
        origin: str | None = None,
        note: str = "",
        rule: str = "",
        created: str | None = None,
        modified: str | None = None,
        annotator: str | None = None,
        quote_id: int | None = None,
    ) -> tuple[int, Changes]:
        """Add a quote to a document.

        Args:
            doc_id: the document.
            start, end: the quote's offsets into the text (end exclusive).
            kind: direct, indirect or mixed.
            cue, mention: ``(start, end)`` of the reporting words and of the speaker mention.
            speaker_id: the resolved speaker.
            status: its review status (a quote a researcher marks is accepted).
            origin: who made it; ``None`` means ``"annotator:<name>"``.
            rule, created, modified, annotator, quote_id: provenance kept as given when an
                export is imported (``quote_id`` only if that id is free).

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
            "origin": origin if origin is not None else f"annotator:{self.annotator}",
            "rule": rule,
            "note": note,
            "annotator": annotator if annotator is not None else self.annotator,
            "created": created or stamp,
            "modified": modified or created or stamp,
        }
        with self._write():
            if quote_id is not None and self._row("SELECT 1 AS x FROM quotes WHERE id = ?", [quote_id]):
                row["id"] = None
            qid = self._insert_quote(row)
        return qid, Changes(documents=frozenset({doc_id}), quotes_added=frozenset({qid}))

    def update_quote(self, quote_id: int, **fields: Any) -> Changes:
        """Change some fields of a quote (see :data:`EDITABLE`).

        Raises:
            StoreError: no such quote (E024), a field that cannot be changed (E030), offsets
                outside the text (E025), a bad value (E031).
        """
        bad = sorted(set(fields) - set(EDITABLE))
        if bad:
            raise StoreError(Errors.E030.format(field=bad[0], allowed=", ".join(EDITABLE)))
        if not fields:
            return Changes()
        with self._write():
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

    def set_status(self, quote_ids: Iterable[int], status: Status | str) -> Changes:
        """Set the review status of several quotes in one transaction."""
        try:
            value = Status(status).value
        except ValueError:
            raise StoreError(Errors.E031.format(field="status", value=status)) from None
        updated: set[int] = set()
        docs: set[int] = set()
        with self._write():
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

    def delete_quote(self, quote_id: int) -> Changes:
        """Delete a quote (its last state stays in the history; :meth:`restore_quote` undoes)."""
        with self._write():
            before = self._quote_row(quote_id)
            self.db.execute("DELETE FROM quotes WHERE id = ?", [quote_id])
            self._log("delete", "quotes", quote_id, before, None)
        return Changes(documents=frozenset({before["document_id"]}), quotes_removed=frozenset({quote_id}))

    def restore_quote(self, annotation: Quote) -> Changes:
        """Put a deleted quote back with its id and all its fields (Undo of a delete).

        Raises:
            StoreError: a quote with that id exists (E036), or its document is gone (E024).
        """
        a = annotation
        row = {
            "id": a.id,
            "document_id": a.document_id,
            "start": a.start,
            "end": a.end,
            "kind": a.kind,
            "cue_start": a.cue_start,
            "cue_end": a.cue_end,
            "mention_start": a.mention_start,
            "mention_end": a.mention_end,
            "speaker_id": a.speaker_id,
            "status": a.status,
            "confidence": a.confidence,
            "origin": a.origin,
            "rule": a.rule,
            "note": a.note,
            "annotator": a.annotator,
            "created": a.created or now(),
            "modified": a.modified or now(),
        }
        with self._write():
            if self._row("SELECT 1 AS x FROM quotes WHERE id = ?", [a.id]):
                raise StoreError(Errors.E036.format(id=a.id))
            self._insert_quote(row, action="restore")
        return Changes(documents=frozenset({a.document_id}), quotes_added=frozenset({a.id}))

    # --- speakers --------------------------------------------------------------------------

    def _speaker_row(self, speaker_id: int) -> dict[str, Any]:
        row = self._row("SELECT id, name, type, notes FROM speakers WHERE id = ?", [speaker_id])
        if row is None:
            raise StoreError(Errors.E024.format(what="speaker", id=speaker_id))
        return row

    def _aliases(self, speaker_id: int) -> list[str]:
        return [
            r[0]
            for r in self.db.conn.execute(
                "SELECT alias FROM aliases WHERE speaker_id = ? ORDER BY key, alias", [speaker_id]
            )
        ]

    def speakers(self) -> list[Speaker]:
        """All speakers, by name, with their aliases and how many quotes each has."""
        aliases: dict[int, list[str]] = {}
        for sid, alias in self.db.conn.execute("SELECT speaker_id, alias FROM aliases ORDER BY key, alias"):
            aliases.setdefault(sid, []).append(alias)
        return [
            Speaker(r[0], r[1], SpeakerType(r[2]), r[3], tuple(aliases.get(r[0], ())), r[4])
            for r in self.db.conn.execute(
                "SELECT s.id, s.name, s.type, s.notes, "
                "(SELECT count(*) FROM quotes WHERE speaker_id = s.id) FROM speakers s ORDER BY s.key, s.id"
            )
        ]

    def speaker(self, speaker_id: int) -> Speaker:
        """One speaker.

        Raises:
            StoreError: no such speaker (E024).
        """
        r = self._speaker_row(speaker_id)
        n = self.db.conn.execute("SELECT count(*) FROM quotes WHERE speaker_id = ?", [speaker_id]).fetchone()[
            0
        ]
        return Speaker(
            r["id"], r["name"], SpeakerType(r["type"]), r["notes"], tuple(self._aliases(speaker_id)), n
        )

    def find_speaker(self, name: str) -> Speaker | None:
        """The speaker called ``name``, or else one with it as an alias (case-insensitive)."""
        key = name_key(name)
        row = self._row("SELECT id FROM speakers WHERE key = ?", [key]) or self._row(
            "SELECT speaker_id AS id FROM aliases WHERE key = ? ORDER BY speaker_id", [key]
        )
        return None if row is None else self.speaker(row["id"])

    def _check_name(self, name: str, field: str = "name") -> str:
        clean = " ".join(str(name).split())
        if not clean:
            raise StoreError(Errors.E031.format(field=field, value=name))
        return clean

    def add_speaker(
        self,
        name: str,
        type: SpeakerType | str = SpeakerType.UNKNOWN,  # the contract's name
        *,
        notes: str = "",
        speaker_id: int | None = None,
    ) -> tuple[int, Changes]:
        """Add a speaker.

        Raises:
            StoreError: the name is empty or bad type (E031), or taken (E026).
        """
        clean = self._check_name(name)
        stype = self._check_type(type)
        with self._write():
            if self._row("SELECT 1 AS x FROM speakers WHERE key = ?", [name_key(clean)]):
                raise StoreError(Errors.E026.format(name=clean))
            if speaker_id is not None and self._row("SELECT 1 AS x FROM speakers WHERE id = ?", [speaker_id]):
                speaker_id = None
            cur = self.db.execute(
                "INSERT INTO speakers (id, name, key, type, notes) VALUES (?, ?, ?, ?, ?)",
                [speaker_id, clean, name_key(clean), stype, notes],
            )
            sid = int(cur.lastrowid or 0)
            self._log("add", "speakers", sid, None, self._speaker_row(sid))
        return sid, Changes(speakers=frozenset({sid}))

    @staticmethod
    def _check_type(value: SpeakerType | str) -> str:
        try:
            return SpeakerType(value).value
        except ValueError:
            raise StoreError(Errors.E031.format(field="speaker type", value=value)) from None

    def _update_speaker(self, speaker_id: int, **fields: Any) -> Changes:
        with self._write():
            before = self._speaker_row(speaker_id)
            sets = ", ".join(f"{f} = :{f}" for f in fields)
            self.db.execute(f"UPDATE speakers SET {sets} WHERE id = :id", {**fields, "id": speaker_id})
            after = self._speaker_row(speaker_id)
            if after != before:
                self._log("update", "speakers", speaker_id, before, after)
        return Changes(speakers=frozenset({speaker_id}))

    def rename_speaker(self, speaker_id: int, name: str) -> Changes:
        """Rename a speaker.

        Raises:
            StoreError: another speaker has that name (E026).
        """
        clean = self._check_name(name)
        with self._write():
            other = self._row("SELECT id FROM speakers WHERE key = ?", [name_key(clean)])
            if other is not None and other["id"] != speaker_id:
                raise StoreError(Errors.E026.format(name=clean))
            changes = self._update_speaker(speaker_id, name=clean, key=name_key(clean))
            # an alias equal to the new name would only repeat it
            same = self._row(
                "SELECT id, alias FROM aliases WHERE speaker_id = ? AND key = ?",
                [speaker_id, name_key(clean)],
            )
            if same is not None:
                self.db.execute("DELETE FROM aliases WHERE id = ?", [same["id"]])
                self._log(
                    "delete", "aliases", same["id"], {"speaker_id": speaker_id, "alias": same["alias"]}, None
                )
        return changes

    def set_speaker_type(self, speaker_id: int, type: SpeakerType | str) -> Changes:
        """Say whether a speaker is a person or an organisation."""
        return self._update_speaker(speaker_id, type=self._check_type(type))

    def set_speaker_notes(self, speaker_id: int, notes: str) -> Changes:
        """Replace a speaker's notes."""
        return self._update_speaker(speaker_id, notes=str(notes))

    def add_alias(self, speaker_id: int, alias: str) -> Changes:
        """Record another name a speaker goes by (no-op if it is already known)."""
        clean = self._check_name(alias, "alias")
        key = name_key(clean)
        with self._write():
            sp = self._speaker_row(speaker_id)
            if sp["name"] and name_key(sp["name"]) == key:
                return Changes()
            if self._row("SELECT 1 AS x FROM aliases WHERE speaker_id = ? AND key = ?", [speaker_id, key]):
                return Changes()
            cur = self.db.execute(
                "INSERT INTO aliases (speaker_id, alias, key) VALUES (?, ?, ?)", [speaker_id, clean, key]
            )
            self._log(
                "add", "aliases", int(cur.lastrowid or 0), None, {"speaker_id": speaker_id, "alias": clean}
            )
        return Changes(speakers=frozenset({speaker_id}))

    def remove_alias(self, speaker_id: int, alias: str) -> Changes:
        """Forget one of a speaker's aliases.

        Raises:
            StoreError: the speaker has no such alias (E032).
        """
        with self._write():
            sp = self._speaker_row(speaker_id)
            row = self._row(
                "SELECT id, alias FROM aliases WHERE speaker_id = ? AND key = ?",
                [speaker_id, name_key(alias)],
            )
            if row is None:
                raise StoreError(Errors.E032.format(name=sp["name"], alias=alias))
            self.db.execute("DELETE FROM aliases WHERE id = ?", [row["id"]])
            self._log("delete", "aliases", row["id"], {"speaker_id": speaker_id, "alias": row["alias"]}, None)
        return Changes(speakers=frozenset({speaker_id}))

    def _move_quotes(self, quote_ids: Iterable[int], from_id: int, to_id: int) -> list[int]:
        """Point quotes at another speaker; ``modified`` is left alone so Undo is exact."""
        moved = []
        for qid in quote_ids:
            cur = self.db.execute(
                "UPDATE quotes SET speaker_id = ? WHERE id = ? AND speaker_id = ?", [to_id, qid, from_id]
            )
            if cur.rowcount:
                moved.append(qid)
                self._log("update", "quotes", qid, {"speaker_id": from_id}, {"speaker_id": to_id})
        return moved

    def _quotes_of(self, speaker_id: int) -> list[int]:
        return [
            r[0]
            for r in self.db.conn.execute(
                "SELECT id FROM quotes WHERE speaker_id = ? ORDER BY id", [speaker_id]
            )
        ]

    def merge_speakers(self, keep_id: int, gone_id: int) -> tuple[MergeRecord, Changes]:
        """Make two speakers one: ``gone_id``'s quotes, name and aliases go to ``keep_id``.

        Returns:
            What changed, for :meth:`unmerge`, and the :class:`Changes`.
        """
        if keep_id == gone_id:
            raise StoreError(Errors.E031.format(field="speaker to merge", value=gone_id))
        with self._write():
            keep = self._speaker_row(keep_id)
            gone = self._speaker_row(gone_id)
            gone_aliases = tuple(self._aliases(gone_id))
            have = {name_key(keep["name"]), *(name_key(a) for a in self._aliases(keep_id))}
            added: list[str] = []
            for alias in (gone["name"], *gone_aliases):
                if name_key(alias) not in have:
                    have.add(name_key(alias))
                    added.append(alias)
            moved = self._move_quotes(self._quotes_of(gone_id), gone_id, keep_id)
            self.db.execute("DELETE FROM speakers WHERE id = ?", [gone_id])
            for alias in added:
                self.db.execute(
                    "INSERT INTO aliases (speaker_id, alias, key) VALUES (?, ?, ?)",
                    [keep_id, alias, name_key(alias)],
                )
            record = MergeRecord(keep_id, gone, gone_aliases, tuple(moved), tuple(added))
            self._log(
                "merge",
                "speakers",
                gone_id,
                {**gone, "aliases": list(gone_aliases)},
                {"merged_into": keep_id, "added_aliases": added, "moved_quotes": moved},
            )
        return record, Changes(
            speakers=frozenset({keep_id, gone_id}),
            quotes_updated=frozenset(moved),
            documents=self._docs_of(moved),
        )

    def _docs_of(self, quote_ids: Iterable[int]) -> frozenset[int]:
        ids = list(quote_ids)
        if not ids:
            return frozenset()
        marks = ",".join("?" * len(ids))
        return frozenset(
            r[0]
            for r in self.db.conn.execute(
                f"SELECT DISTINCT document_id FROM quotes WHERE id IN ({marks})", ids
            )
        )

    def unmerge(self, record: MergeRecord) -> Changes:
        """Undo :meth:`merge_speakers` exactly: the gone speaker comes back with its id,
        aliases and quotes, and the kept speaker loses the aliases it gained."""
        with self._write():
            gone = record.gone
            self.db.execute(
                "INSERT INTO speakers (id, name, key, type, notes) VALUES (?, ?, ?, ?, ?)",
                [gone["id"], gone["name"], name_key(gone["name"]), gone["type"], gone["notes"]],
            )
            for alias in record.gone_aliases:
                self.db.execute(
                    "INSERT INTO aliases (speaker_id, alias, key) VALUES (?, ?, ?)",
                    [gone["id"], alias, name_key(alias)],
                )
            for alias in record.added_aliases:
                self.db.execute(
                    "DELETE FROM aliases WHERE speaker_id = ? AND key = ?", [record.keep_id, name_key(alias)]
                )
            moved = self._move_quotes(record.moved_quotes, record.keep_id, gone["id"])
            self._log(
                "unmerge",
                "speakers",
                gone["id"],
                {"merged_into": record.keep_id},
                {**gone, "aliases": list(record.gone_aliases)},
            )
        return Changes(
            speakers=frozenset({record.keep_id, gone["id"]}),
            quotes_updated=frozenset(moved),
            documents=self._docs_of(moved),
        )

    def split_alias(self, speaker_id: int, alias: str) -> tuple[int, Changes]:
        """Make one of a speaker's aliases a speaker of its own.

        The new speaker is named ``alias`` and has the old one's type; the alias is removed
        from the old speaker, and its quotes whose speaker mention reads ``alias``
        (case-insensitively) move to the new one. :meth:`unsplit` undoes it.

        Returns:
            The new speaker's id and the :class:`Changes`.
        """
        record, changes = self.split_alias_record(speaker_id, alias)
        return record.new_id, changes

    def split_alias_record(self, speaker_id: int, alias: str) -> tuple[SplitRecord, Changes]:
        """:meth:`split_alias`, returning the :class:`SplitRecord` that :meth:`unsplit` takes."""
        key = name_key(alias)
        with self._write():
            sp = self._speaker_row(speaker_id)
            row = self._row("SELECT alias FROM aliases WHERE speaker_id = ? AND key = ?", [speaker_id, key])
            if row is None:
                raise StoreError(Errors.E032.format(name=sp["name"], alias=alias))
            self.remove_alias(speaker_id, row["alias"])
            new_id, _ = self.add_speaker(row["alias"], sp["type"])
            matching = [
                r[0]
                for r in self.db.conn.execute(
                    "SELECT q.id, substr(d.text, q.mention_start + 1, q.mention_end - q.mention_start) "
                    "FROM quotes q JOIN documents d ON d.id = q.document_id "
                    "WHERE q.speaker_id = ? AND q.mention_start IS NOT NULL ORDER BY q.id",
                    [speaker_id],
                )
                if name_key(r[1]) == key
            ]
            moved = self._move_quotes(matching, speaker_id, new_id)
        record = SplitRecord(speaker_id, new_id, row["alias"], tuple(moved))
        return record, Changes(
            speakers=frozenset({speaker_id, new_id}),
            quotes_updated=frozenset(moved),
            documents=self._docs_of(moved),
        )

    def unsplit(self, record: SplitRecord) -> Changes:
        """Undo :meth:`split_alias_record` exactly."""
        return self.unsplit_alias(record.speaker_id, record.new_id, record.alias)

    def unsplit_alias(self, speaker_id: int, new_id: int, alias: str) -> Changes:
        """Undo ``split_alias(speaker_id, alias)`` that made speaker ``new_id``: its quotes go
        back, it is deleted, and the alias is restored."""
        with self._write():
            self._speaker_row(speaker_id)
            gone = self._speaker_row(new_id)
            moved = self._move_quotes(self._quotes_of(new_id), new_id, speaker_id)
            self.db.execute("DELETE FROM speakers WHERE id = ?", [new_id])
            self._log("delete", "speakers", new_id, gone, None)
            self.add_alias(speaker_id, alias)
        return Changes(
            speakers=frozenset({speaker_id, new_id}),
            quotes_updated=frozenset(moved),
            documents=self._docs_of(moved),
        )

    def delete_speaker(self, speaker_id: int) -> Changes:
        """Delete a speaker no quote points at.

        Raises:
            StoreError: it still has quotes (E027).
        """
        with self._write():
            sp = self._speaker_row(speaker_id)
            n = len(self._quotes_of(speaker_id))
            if n:
                raise StoreError(Errors.E027.format(name=sp["name"], n=n))
            self.db.execute("DELETE FROM speakers WHERE id = ?", [speaker_id])
            self._log("delete", "speakers", speaker_id, {**sp, "aliases": self._aliases(speaker_id)}, None)
        return Changes(speakers=frozenset({speaker_id}))

    # --- engine results --------------------------------------------------------------------

    def _speaker_for(self, quote: Suggestion, text: str) -> tuple[int | None, set[int]]:
        """The speaker a suggestion names, created if new, with its mention as an alias."""
        touched: set[int] = set()
        if not quote.speaker or not quote.speaker.strip():
            return None, touched
        found = self.find_speaker(quote.speaker)
        if found is None:
            sid, _ = self.add_speaker(quote.speaker, quote.speaker_type)
            touched.add(sid)
        else:
            sid = found.id
            if found.type is SpeakerType.UNKNOWN and quote.speaker_type is not SpeakerType.UNKNOWN:
                self.set_speaker_type(sid, quote.speaker_type)
                touched.add(sid)
        if quote.mention is not None:
            mention = " ".join(text[quote.mention.start : quote.mention.end].split())
            if mention and mention.casefold() not in PRONOUNS and self.add_alias(sid, mention):
                touched.add(sid)
        return sid, touched

    def save_suggestions(self, doc_id: int, quotes: list[Suggestion], origin: str) -> Changes:
        """Store the engine's quotes for a document as suggestions, in one transaction.

        Suggestions no researcher has touched (status suggested, never modified) are replaced;
        a new suggestion overlapping any other quote (accepted, rejected, or an edited
        suggestion) is dropped, so a researcher's work is never overwritten or duplicated.

        Args:
            doc_id: the document the quotes were found in.
            quotes: the engine's records, with offsets into that document's text.
            origin: e.g. ``"quotebench-engine 0.1.0"``.
        """
        added: set[int] = set()
        removed: set[int] = set()
        speakers: set[int] = set()
        with self._write():
            text = self.document(doc_id).text or ""
            stamp = now()
            kept = []
            for row in self._rows(
                'SELECT id, start, "end", status, created, modified FROM quotes WHERE document_id = ?',
                [doc_id],
            ):
                if row["status"] == Status.SUGGESTED and row["created"] == row["modified"]:
                    self._log("replace", "quotes", row["id"], self._quote_row(row["id"]), None, at=stamp)
                    self.db.execute("DELETE FROM quotes WHERE id = ?", [row["id"]])
                    removed.add(row["id"])
                else:
                    kept.append((row["start"], row["end"]))
            for q in quotes:
                if any(q.start < end and start < q.end for start, end in kept):
                    continue
                sid, touched = self._speaker_for(q, text)
                speakers |= touched
                if sid is not None:
                    speakers.add(sid)
                qid = self._insert_quote(
                    {
                        "id": None,
                        "document_id": doc_id,
                        "start": q.start,
                        "end": q.end,
                        "kind": q.kind,
                        "cue_start": q.cue.start if q.cue else None,
                        "cue_end": q.cue.end if q.cue else None,
                        "mention_start": q.mention.start if q.mention else None,
                        "mention_end": q.mention.end if q.mention else None,
                        "speaker_id": sid,
                        "status": Status.SUGGESTED,
                        "confidence": round(float(q.confidence), 3),
                        "origin": origin,
                        "rule": q.evidence.rule,
                        "note": "; ".join(q.evidence.notes),
                        "annotator": origin,
                        "created": stamp,
                        "modified": stamp,
                    },
                    action="suggest",
                )
                added.add(qid)
            self.db.execute(
                "UPDATE documents SET suggested_by = ?, suggested_at = ? WHERE id = ?",
                [origin, stamp, doc_id],
            )
        # an id freed by a replaced suggestion and reused by a new one was both removed and added
        return Changes(
            documents=frozenset({doc_id}),
            quotes_added=frozenset(added),
            quotes_removed=frozenset(removed - added),
            quotes_updated=frozenset(removed & added),
            speakers=frozenset(speakers),
        )

    # --- history and figures ---------------------------------------------------------------

    def history(self, quote_id: int | None = None, limit: int = 1000) -> list[Edit]:
        """The last ``limit`` edits, oldest first; only those of one quote if ``quote_id`` is given."""
        where, params = (
            ("WHERE table_name = 'quotes' AND row_id = ?", [quote_id]) if quote_id is not None else ("", [])
        )
        rows = self._rows(f"SELECT * FROM edits {where} ORDER BY id DESC LIMIT ?", [*params, limit])
        return [
            Edit(
                r["id"],
                r["at"],
                r["annotator"],
                r["action"],
                r["table_name"],
                r["row_id"],
                None if r["before"] is None else json.loads(r["before"]),
                None if r["after"] is None else json.loads(r["after"]),
            )
            for r in reversed(rows)
        ]

    def stats(self) -> dict[str, Any]:
        """Figures about the project.

        Returns:
            ``documents``, ``quotes``, ``speakers`` (counts), ``by_status`` and ``by_kind``
            (every status and kind, with zeros), and ``by_speaker`` (name -> quotes, most
            quoted first; quotes with no speaker under ``None``).
        """
        c = self.db.conn
        by_status = {s.value: 0 for s in Status}
        by_status.update(dict(c.execute("SELECT status, count(*) FROM quotes GROUP BY status").fetchall()))
        by_kind = {k.value: 0 for k in Kind}
        by_kind.update(dict(c.execute("SELECT kind, count(*) FROM quotes GROUP BY kind").fetchall()))
        by_speaker = dict(
            c.execute(
                "SELECT s.name, count(*) AS n FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id "
                "GROUP BY q.speaker_id ORDER BY n DESC, s.key"
            ).fetchall()
        )
        return {
            "documents": c.execute("SELECT count(*) FROM documents").fetchone()[0],
            "quotes": c.execute("SELECT count(*) FROM quotes").fetchone()[0],
            "speakers": c.execute("SELECT count(*) FROM speakers").fetchone()[0],
            "by_status": by_status,
            "by_kind": by_kind,
            "by_speaker": by_speaker,
        }
