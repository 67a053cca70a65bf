"""The store's connection: transactions, error translation, history rows and query helpers.

:class:`Connection` is the base of :class:`~.store.Store` and of its tables
(:mod:`.documents`, :mod:`.quotes`, :mod:`.speakers`). It holds no policy, only how a write
becomes one transaction and one row of history.

Writes start with ``BEGIN IMMEDIATE`` so that waiting for another program's write lock
happens at the start, under the busy timeout, and ends in :class:`ProjectBusyError` rather
than in a failed commit half-way through an edit.

Every ``sqlite3`` error (and a ``ValueError`` or ``TypeError`` met reading a row) is turned
into a coded :class:`~core.errors.StoreError` here. Errors of the file itself (damaged, on a
full disk, read-only, busy) are :class:`~core.errors.ProjectFileError` and are reported against
the project, whoever met them; a file that fails ``PRAGMA quick_check`` is never written to.

The file is in WAL mode, so a commit lands in the ``-wal`` file beside the project;
:meth:`Connection.checkpoint` copies it into the project file itself, and :meth:`Connection.close`
does so, so a copy of the project file alone holds every edit once the store is closed or idle.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import getpass
import hashlib
import inspect
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, ParamSpec, Self, TypeVar

from sqlite_utils import Database

from ..errors import (
    DamagedProjectError,
    DiskFullError,
    Errors,
    ProjectBusyError,
    ProjectFileError,
    QuotebenchError,
    ReadOnlyProjectError,
    StoreError,
)
from .health import bad_row, is_garbled_text, sqlite_problems

P = ParamSpec("P")
CheckLevel = Literal["quick", "integrity", "rows"]
#: The levels of :meth:`Connection.check`, cheapest first.
CHECK_LEVELS: tuple[CheckLevel, ...] = ("quick", "integrity", "rows")
R = TypeVar("R")


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
    name = getattr(err, "sqlite_errorname", None) or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return True
    return isinstance(err, sqlite3.OperationalError) and ("locked" in str(err) or "busy" in str(err))


def read_only_error(path: Path, *, folder: bool | None = None) -> ReadOnlyProjectError:
    """Why ``path`` cannot be written: its folder (E072) or the file or disk itself (E073).

    Args:
        path: the project file.
        folder: ``True`` if SQLite said the folder is the problem; ``None``: look at it.
    """
    parent = path.absolute().parent
    if folder is None:
        folder = not os.access(parent, os.W_OK)
    if folder:
        return ReadOnlyProjectError(Errors.E072.format(folder=parent, path=path))
    return ReadOnlyProjectError(Errors.E073.format(path=path))


def file_error(path: Path, err: sqlite3.Error, timeout: float) -> ProjectFileError | None:
    """The project-file error a ``sqlite3`` error stands for, or ``None`` if it names none.

    Uses SQLite's own result code (``sqlite_errorname``), never the wording of the message.
    """
    name = getattr(err, "sqlite_errorname", None) or ""
    if is_busy(err):
        return ProjectBusyError(Errors.E023.format(path=path, seconds=timeout))
    if name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB":
        return DamagedProjectError(Errors.E070.format(path=path, detail=err))
    if name == "SQLITE_FULL":
        return DiskFullError(Errors.E071.format(path=path))
    if name == "SQLITE_READONLY_DIRECTORY":
        return read_only_error(path, folder=True)
    if name.startswith("SQLITE_READONLY"):
        return read_only_error(path)
    if name.startswith("SQLITE_CANTOPEN") and not os.access(path.absolute().parent, os.W_OK):
        return read_only_error(path, folder=True)
    return None


def project_error_in(exc: BaseException) -> ProjectFileError | None:
    """A :class:`ProjectFileError` that ``exc`` is, or wraps (an import names its input line)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, ProjectFileError):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


def reads(method: Callable[P, R]) -> Callable[P, R]:
    """Decorate a reading method: file errors and garbage rows become coded store errors.

    Works for plain methods and for generators (their rows are read as they are iterated).
    """
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def gen_wrapper(*args: Any, **kwargs: Any) -> Any:
            self = args[0]
            try:
                yield from method(*args, **kwargs)
            except (sqlite3.Error, ValueError, TypeError, OverflowError) as err:
                found = self._explain(err)
                if found is None:
                    raise
                raise found from err

        return gen_wrapper

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except (sqlite3.Error, ValueError, TypeError, OverflowError) as err:
            found = args[0]._explain(err)  # type: ignore[attr-defined]
            if found is None:
                raise
            raise found from err

    return wrapper


class Connection:
    """An open project file: the connection, its transactions and its history.

    Attributes:
        path: the project file.
        db: the underlying :class:`sqlite_utils.Database`.
        annotator: the name recorded with every edit made through this store.
        timeout: seconds to wait for another program's write lock.
        read_only: why this store cannot write (a coded message), or ``None`` if it can.
    """

    def __init__(
        self, path: Path, db: Database, annotator: str, timeout: float, read_only: str | None = None
    ) -> None:
        self.path = path
        self.db = db
        self.annotator = annotator
        self.timeout = timeout
        self.read_only = read_only
        #: the highest level of :meth:`check` the file has passed (-1: none yet)
        self._checked = -1
        #: the damage found, if any: every later write is refused with it
        self._damage: DamagedProjectError | None = None
        #: ``time.monotonic()`` of the last commit not yet checkpointed into the project file
        self._last_commit: float | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        """The ``sqlite3`` connection (for tests and benchmarks that inspect the file)."""
        return self.db.conn

    def close(self) -> None:
        """Checkpoint (see :meth:`checkpoint`) and close the file. Everything written is on disk.

        A checkpoint that cannot finish (another program is reading, the disk is full) leaves the
        edits in the ``-wal`` file, where they are safe; closing never fails because of it.
        """
        if self._last_commit is not None:
            with contextlib.suppress(QuotebenchError, sqlite3.Error):
                self.checkpoint(wait=1.0)
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        """Close; an error that the file's damage explains is reported as damage (E070)."""
        try:
            if exc is not None and not isinstance(exc, QuotebenchError):
                found = self._explain(exc)
                if found is not None:
                    raise found from exc
        finally:
            self.close()

    # --- the file's health -----------------------------------------------------------------

    def check(self, level: CheckLevel = "integrity") -> None:
        """Refuse a damaged file (E070), checked to ``level`` (each level includes the ones before).

        ``"quick"`` is SQLite's ``quick_check`` (pages and records: 0.5 s warm for a 144 MB
        project, 2.5 s cold); ``"integrity"`` its ``integrity_check`` (indexes against tables
        too: 0.8 s warm), run before the first write of each store, never on open;
        ``"rows"`` also looks for values of the wrong type (see :mod:`.health`). The window may
        call it just after opening so that its first edit does not wait.

        Raises:
            DamagedProjectError: the file fails the check (E070).
            ProjectBusyError: another program holds the file (E023).
        """
        if self._damage is not None:
            raise self._damage
        rank = CHECK_LEVELS.index(level)
        if rank <= self._checked:
            return
        try:
            found = sqlite_problems(self.db.conn, full=level != "quick")
            if not found and level == "rows" and (bad := bad_row(self.db.conn)) is not None:
                found = [bad]
        except sqlite3.Error as err:  # only busy: any other error is a problem found
            raise ProjectBusyError(Errors.E023.format(path=self.path, seconds=self.timeout)) from err
        if found:
            more = f"; and {len(found) - 1} more problem(s)" if len(found) > 1 else ""
            self._damage = DamagedProjectError(Errors.E070.format(path=self.path, detail=found[0] + more))
            raise self._damage
        self._checked = rank

    def damaged(self, detail: str) -> DamagedProjectError:
        """The error for damage found while reading (E070); every later write is refused with it."""
        self._damage = DamagedProjectError(Errors.E070.format(path=self.path, detail=detail))
        return self._damage

    def _explain(self, err: BaseException) -> StoreError | None:
        """The store's error for one met using the file; ``None``: not the file's doing (a bug).

        ``sqlite3`` errors with a known cause are classified by :func:`file_error`; any other
        ``sqlite3`` error, and a ``ValueError`` or ``TypeError`` from a row, is the file's damage
        if the file fails ``quick_check`` or holds a value of the wrong type.
        """
        if isinstance(err, QuotebenchError):
            return None
        if isinstance(err, sqlite3.Error):
            known = file_error(self.path, err, self.timeout)
            if known is None and is_garbled_text(err):
                known = DamagedProjectError(Errors.E070.format(path=self.path, detail=err))
            if known is not None:
                if isinstance(known, DamagedProjectError):
                    self._damage = known
                return known
        elif not isinstance(err, ValueError | TypeError | OverflowError):
            return None
        self._checked = -1
        try:
            self.check("integrity" if isinstance(err, sqlite3.Error) else "rows")
        except ProjectFileError as damage:
            return damage
        if isinstance(err, sqlite3.Error):
            return StoreError(Errors.E033.format(path=self.path, detail=err))
        return None

    # --- the project file alone holds every edit --------------------------------------------

    @property
    def last_unsaved_edit(self) -> float | None:
        """``time.monotonic()`` of the last commit not yet in the project file itself, or ``None``."""
        return self._last_commit

    def checkpoint(self, *, wait: float = 0.0) -> bool:
        """Copy the committed edits from the ``-wal`` file into the project file itself.

        Call it when the store has been idle about a second after an edit (the window does so
        from a timer); :meth:`close` calls it. It never waits more than ``wait`` seconds: while
        another program is reading an older state, the part it still reads stays in the
        ``-wal`` (safe there) and the call returns ``False``; try again later.

        Returns:
            ``True`` if the project file alone now holds every committed edit.

        Raises:
            ProjectFileError: the disk is full (E071) or the file is damaged (E070).
        """
        if self.read_only is not None:
            return True  # nothing was written through this store
        if self.db.conn.in_transaction:
            return False
        conn = self.db.conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            busy, log, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error as err:
            if is_busy(err):
                return False
            raise self._explain(err) or StoreError(Errors.E033.format(path=self.path, detail=err)) from err
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        whole = log == -1 or done >= log  # -1: not in WAL mode, nothing to copy
        if whole:
            self._last_commit = None
        return whole

    def checkpoint_if_idle(self, idle: float = 1.0) -> bool:
        """:meth:`checkpoint` if the last edit is at least ``idle`` seconds old.

        For a timer that ticks: it does nothing while edits keep coming, or once all are in.

        Returns:
            ``True`` if the project file alone holds every committed edit.
        """
        if self._last_commit is None:
            return True
        if time.monotonic() - self._last_commit < idle:
            return False
        return self.checkpoint()

    # --- transactions ----------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[Self]:
        """One transaction around many writes (an import): all of them happen, or none.

        Write methods called inside become savepoints of this transaction. The first write of
        a store checks the file (:meth:`check`): nothing is written into a damaged file.

        Raises:
            ProjectBusyError: the write lock was not obtained within the timeout (E023).
            ReadOnlyProjectError: the project cannot be written here (E072, E073).
            DamagedProjectError: the file is damaged (E070).
            DiskFullError: the disk is full (E071); nothing of the transaction was written.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self._translate_errors():
                with self.db.atomic():  # nested: a savepoint
                    yield self
            return
        if self.read_only is not None:
            raise ReadOnlyProjectError(self.read_only)
        self.check()
        with self._translate_errors():
            conn.execute("BEGIN IMMEDIATE")
        try:
            with self._translate_errors():
                yield self
            with self._translate_errors():
                conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            found = project_error_in(exc)
            if found is not None and found is not exc:
                # the file failed, not the input an import was storing when it did
                raise type(found)(str(found)) from None
            raise
        self._last_commit = time.monotonic()

    _write = batch

    @contextlib.contextmanager
    def _translate_errors(self) -> Iterator[None]:
        """Turn ``sqlite3`` errors into the store's own (qutebrowser's KnownError split)."""
        try:
            yield
        except sqlite3.Error as err:
            raise self._explain(err) or StoreError(Errors.E033.format(path=self.path, detail=err)) from err

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

    @reads
    def _row(self, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
        cur = self.db.conn.execute(sql, list(params))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    @reads
    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return list(self._iter_rows(sql, params))

    @reads
    def _iter_rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        cur = self.db.conn.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(names, row, strict=True))

    @reads
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
