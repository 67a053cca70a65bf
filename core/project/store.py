"""The project store: one SQLite file holding a researcher's documents, speakers and quotes.

The :mod:`core.project` package is the only one that issues SQL. The file is an ordinary SQLite
database written through sqlite-utils, so ``sqlite-utils`` and Datasette open it as it is.
Every public write method is one transaction, records who changed what in the ``edits``
table, and is on disk when it returns: there is no "save".

:class:`Store` is made of one part per table (:mod:`.documents`, :mod:`.quotes`,
:mod:`.speakers`) over :mod:`.connection` (transactions, history, errors); this module opens
and upgrades the file, and stores the engine's suggestions by the rules of
:mod:`.suggestions`.

Durability: the file is in WAL mode with ``synchronous=FULL``. With ``NORMAL`` a committed
edit survives the process being killed but can be lost if the machine loses power before the
next checkpoint; researchers work on laptops whose batteries run out, and a quote reported
as saved must stay saved, so every commit syncs the WAL (measured cost: see
``tests/benchmarks/bench_store.py``).

One file: a commit lands in the ``-wal`` file; :meth:`Store.checkpoint` copies it into the
project file, on :meth:`Store.close` and (in the window) once edits have stopped for a second,
so that a person who copies or syncs the project file alone has every confirmed edit. The
rollback journal would do that at every commit, but on the same disk it costs 2 to 5 times as
much per edit (144 MB project, ``bench_store.py``: 0.9 against 0.4 ms median on a quiet disk,
20 against 4 ms on a busy one, over the 2 ms an edit may take), and it makes readers and
writers wait for each other: an edit made while an export is reading waits for the export to
end, and fails as busy (E023) after the timeout. WAL with checkpoints was chosen.
:meth:`Store.backup` makes a whole copy at any time.

Damage: a file that fails SQLite's ``integrity_check`` is never written to (checked before
the first write of each store); errors met reading it become E070 with how to recover.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..errors import DamagedProjectError, Errors, ReadOnlyProjectError, StoreError
from ..model import Changes, Edit, Kind, Status, Suggestion
from . import suggestions as policy
from .backup import backup_to
from .connection import default_annotator, file_error, name_key, now, reads, sha256
from .metadata import MetadataTable
from .migrations import known, migrations
from .quotes import EDITABLE, QuoteTable
from .review import ReviewTable
from .speakers import SpeakerTable

__all__ = ["EDITABLE", "Store", "name_key", "now", "sha256"]

#: The first 16 bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"


class Store(QuoteTable, SpeakerTable, MetadataTable, ReviewTable):
    """A Quotebench project: one SQLite file.

    Use one :class:`Store` per thread (its ``sqlite3`` connection refuses other threads).

    Attributes:
        path: the project file.
        annotator: the name recorded with every edit made through this store.
        db: the underlying :class:`sqlite_utils.Database`.
    """

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        annotator: str | None = None,
        create: bool = False,
        timeout: float = 5.0,
        read_only: bool = False,
    ) -> Store:
        """Open a project, upgrading its schema if it is older than this version.

        A project SQLite can read but not write (a read-only folder, file or disk) opens read-only:
        reading works, and every write is refused with the reason (E072, E073).
        ``read_only=True`` opens any project so (SQLite's ``mode=ro``): nothing is written, not
        even an upgrade, so a project of an older schema is refused (E078).

        Args:
            path: the project file.
            annotator: the name to record with edits; ``None`` is the system user.
            create: make a new empty project if ``path`` does not exist (or is empty).
            timeout: seconds to wait for another program's write lock.
            read_only: open for reading only, whatever the file allows (agreement, evaluation).

        Raises:
            StoreError: no such file (E028), not SQLite (E020), not a project (E021), written
                by a newer version (E022), damaged (E070), cannot be opened (E033).
            ProjectBusyError: another program held the write lock longer than ``timeout`` (E023).
        """
        path = Path(path)
        try:
            fresh = not path.exists() or path.stat().st_size == 0
            if path.is_dir():
                raise StoreError(Errors.E020.format(path=path))
        except OSError as err:  # a folder on the way that this user may not enter
            raise StoreError(Errors.E033.format(path=path, detail=err.strerror or err)) from err
        if fresh and not create:
            raise StoreError(Errors.E028.format(path=path))
        if not fresh:
            _check_header(path)
        if read_only and fresh:
            raise StoreError(Errors.E028.format(path=path))
        conn, why = _connect(path, timeout, fresh=fresh, read_only=read_only)
        try:
            store = cls._prepare(path, conn, fresh=fresh, timeout=timeout, read_only=why)
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
    def _prepare(
        cls, path: Path, conn: sqlite3.Connection, *, fresh: bool, timeout: float, read_only: str | None
    ) -> Store:
        db = Database(conn)
        store = cls(path, db, "", timeout, read_only)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables or not fresh:
                _check_version(path, db, tables)
            conn.execute("PRAGMA foreign_keys = ON")
            if read_only is not None:
                if migrations.pending(db):  # this version reads only its own schema
                    raise StoreError(Errors.E078.format(path=path, reason=read_only))
                return store
            # WAL lets the window read while a batch job writes; the mode is stored in the file.
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")  # see the module docstring
            if migrations.pending(db):
                store.check()  # never upgrade a damaged file
                migrations.apply(db)
        except UnicodeDecodeError as err:
            raise DamagedProjectError(Errors.E070.format(path=path, detail=_undecodable(err))) from err
        except sqlite3.Error as err:
            raise store._explain(err) or StoreError(Errors.E033.format(path=path, detail=err)) from err
        return store

    def backup(self, out: str | os.PathLike[str]) -> Path:
        """Copy the project, whole and consistent, to ``out`` with SQLite's online backup API.

        Safe while the window or another program has the project open. The copy is written
        beside ``out`` and moved over it only once it passes ``integrity_check``, so a failed
        backup never spoils an older one; a damaged project is not copied (E070).

        Args:
            out: the copy's path, or a folder to put it in under the project's name.

        Returns:
            The copy's path.

        Raises:
            StoreError: ``out`` is the project or its -wal/-shm (E074), cannot be written (E075),
                its disk is full (E071), the project is damaged (E070).
        """
        self.check()
        return backup_to(self.conn, self.path, Path(out))

    def schema_version(self) -> int:
        """How many migrations this file has had."""
        return len(migrations.applied(self.db))

    # --- engine results --------------------------------------------------------------------

    def _speaker_for(self, suggestion: Suggestion, text: str) -> tuple[int | None, set[int]]:
        """The speaker a suggestion names, created if new, with its mention as an alias."""
        touched: set[int] = set()
        name = policy.speaker_name(suggestion)
        if name is None:
            return None, touched
        found = self.find_speaker(name)
        if found is None:
            sid, _ = self.add_speaker(name, suggestion.speaker_type)
            touched.add(sid)
        else:
            sid = found.id
            if policy.upgrades_type(found.type, suggestion.speaker_type):
                self.set_speaker_type(sid, suggestion.speaker_type)
                touched.add(sid)
        mention = suggestion.mention
        if mention is not None:
            alias = policy.mention_alias(text, mention.start, mention.end)
            if alias is not None and self.add_alias(sid, alias):
                touched.add(sid)
        return sid, touched

    def _replace_untouched(self, doc_id: int, stamp: str) -> tuple[set[int], list[tuple[int, int]]]:
        """Delete a document's untouched suggestions; the spans of the quotes that stay."""
        removed: set[int] = set()
        kept = []
        for row in self._rows(
            'SELECT id, start, "end", status, created, modified FROM quotes WHERE document_id = ?', [doc_id]
        ):
            if policy.is_untouched(row):
                self._log("replace", "quotes", row["id"], self._quote_row(row["id"]), None, at=stamp)
                self.db.execute("DELETE FROM quotes WHERE id = ?", [row["id"]])
                removed.add(row["id"])
            else:
                kept.append((row["start"], row["end"]))
        return removed, kept

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
        speakers: set[int] = set()
        with self._write():
            text = self.document(doc_id).text or ""
            stamp = now()
            removed, kept = self._replace_untouched(doc_id, stamp)
            for q in quotes:
                if policy.overlaps_any(q.start, q.end, kept):
                    continue
                sid, touched = self._speaker_for(q, text)
                speakers |= touched
                if sid is not None:
                    speakers.add(sid)
                row = policy.suggestion_row(q, doc_id, sid, origin, stamp)
                added.add(self._insert_quote(row, action="suggest"))
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

    @reads
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

    @reads
    def stats(self) -> dict[str, Any]:
        """Figures about the project, once it has passed ``check("quick")`` (a damaged file has none).

        Returns:
            ``documents``, ``quotes``, ``speakers`` (counts), ``by_status`` and ``by_kind``
            (every status and kind, with zeros), and ``by_speaker`` (name -> quotes, most
            quoted first; quotes with no speaker under ``None``).
        """
        self.check("quick")
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


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite (E020); a SQLite file cut too short is damaged (E070)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as err:
        raise StoreError(Errors.E033.format(path=path, detail=err.strerror or err)) from err
    if head[:16] != SQLITE_HEADER[: len(head[:16])]:
        raise StoreError(Errors.E020.format(path=path))
    if len(head) < 100:
        raise DamagedProjectError(Errors.E070.format(path=path, detail=f"cut short: {len(head)} bytes"))


def _undecodable(err: UnicodeDecodeError) -> str:
    """SQLite's message that Python could not decode, readable (it quotes bytes of the file)."""
    return bytes(err.object).decode("utf-8", "backslashreplace")


def _try_connect(target: str, timeout: float, *, uri: bool = False) -> sqlite3.Connection:
    """A connection that has read the schema (SQLite opens files lazily)."""
    # isolation_level=None: the store starts and ends every transaction itself.
    conn = sqlite3.connect(target, uri=uri, timeout=timeout, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _connect(
    path: Path, timeout: float, *, fresh: bool, read_only: bool = False
) -> tuple[sqlite3.Connection, str | None]:
    """Connect to the file; read-only, with the reason, where SQLite cannot write beside it or
    where the caller asked for it."""
    if read_only:
        try:
            conn = _try_connect(f"{path.absolute().as_uri()}?mode=ro", timeout, uri=True)
        except UnicodeDecodeError as err:
            raise DamagedProjectError(Errors.E070.format(path=path, detail=_undecodable(err))) from err
        except sqlite3.Error:
            pass  # a read-only folder: the fallbacks below
        else:
            return conn, f"{path} is open for reading only"
    try:
        return _try_connect(str(path), timeout), None
    except UnicodeDecodeError as err:  # SQLite's message quotes garbage from a damaged schema
        raise DamagedProjectError(Errors.E070.format(path=path, detail=_undecodable(err))) from err
    except sqlite3.Error as err:
        problem = file_error(path, err, timeout)
        if fresh or not isinstance(problem, ReadOnlyProjectError):
            raise problem or StoreError(Errors.E033.format(path=path, detail=err)) from err
    # A read-only folder: SQLite cannot make the -shm file a WAL reader needs. mode=ro works where
    # the -shm exists (a program has the project open); else no program is writing it, and it is
    # read as it is (immutable=1). Either way, writes are refused with the reason.
    for query in ("mode=ro", "mode=ro&immutable=1"):
        with contextlib.suppress(sqlite3.Error):
            return _try_connect(f"{path.absolute().as_uri()}?{query}", timeout, uri=True), str(problem)
    raise problem


def _check_version(path: Path, db: Database, tables: set[str]) -> None:
    """Refuse a file that is not a project (E021) or was written by a newer version (E022)."""
    applied = [m.name for m in migrations.applied(db)] if "_sqlite_migrations" in tables else []
    if not applied:
        raise StoreError(Errors.E021.format(path=path))
    newer = [name for name in applied if name not in known()]
    if newer:
        raise StoreError(Errors.E022.format(path=path, found=len(applied), known=len(known())))
