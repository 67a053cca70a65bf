"""The store's connection: transactions, error translation, history rows and query helpers.

:class:`Connection` is the base of :class:`~.store.Store` and of its tables
(:mod:`.documents`, :mod:`.quotes`, :mod:`.speakers`). It holds no policy, only how a write
becomes one transaction and one row of history.

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
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Self

from sqlite_utils import Database

from ..errors import Errors, ProjectBusyError, StoreError


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


def is_busy(err: sqlite3.Error) -> bool:
    """Whether a ``sqlite3`` error means another program holds the lock."""
    return isinstance(err, sqlite3.OperationalError) and ("locked" in str(err) or "busy" in str(err))


class Connection:
    """An open project file: the connection, its transactions and its history.

    Attributes:
        path: the project file.
        db: the underlying :class:`sqlite_utils.Database`.
        annotator: the name recorded with every edit made through this store.
        timeout: seconds to wait for another program's write lock.
    """

    def __init__(self, path: Path, db: Database, annotator: str, timeout: float) -> None:
        self.path = path
        self.db = db
        self.annotator = annotator
        self.timeout = timeout

    @property
    def conn(self) -> sqlite3.Connection:
        """The ``sqlite3`` connection (for tests and benchmarks that inspect the file)."""
        return self.db.conn

    def close(self) -> None:
        """Close the file. Everything written is already on disk."""
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ----------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[Self]:
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
            if is_busy(err):
                raise ProjectBusyError(Errors.E023.format(path=self.path, seconds=self.timeout)) from err
            raise StoreError(Errors.E033.format(path=self.path, detail=err)) from err

    # --- history ---------------------------------------------------------------------------

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

    # --- queries ---------------------------------------------------------------------------

    def _row(self, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
        cur = self.db.conn.execute(sql, list(params))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return list(self._iter_rows(sql, params))

    def _iter_rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        cur = self.db.conn.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(names, row, strict=True))

    def _ids(self, sql: str, params: Iterable[Any] = ()) -> list[int]:
        return [r[0] for r in self.db.conn.execute(sql, list(params))]

    def _exists(self, table: str, where: str, params: Iterable[Any]) -> bool:
        return self._row(f"SELECT 1 AS x FROM {table} WHERE {where}", params) is not None

    def _quote_row(self, quote_id: int) -> dict[str, Any]:
        """A quote's stored row, as the history records it."""
        row = self._row("SELECT * FROM quotes WHERE id = ?", [quote_id])
        if row is None:
            raise StoreError(Errors.E024.format(what="quote", id=quote_id))
        return row

    def _docs_of(self, quote_ids: Iterable[int]) -> frozenset[int]:
        """The documents some quotes belong to."""
        ids = list(quote_ids)
        if not ids:
            return frozenset()
        marks = ",".join("?" * len(ids))
        return frozenset(self._ids(f"SELECT DISTINCT document_id FROM quotes WHERE id IN ({marks})", ids))
