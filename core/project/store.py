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

import bisect
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
from .search import SearchTable
from .speakers import SpeakerTable

__all__ = ["EDITABLE", "Store", "name_key", "now", "sha256"]

#: The first 16 bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"


class Store(QuoteTable, SpeakerTable, MetadataTable, ReviewTable, SearchTable):
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

    def _speakers_for(self, quotes: list[Suggestion], text: str) -> tuple[list[int | None], set[int]]:
        """The speakers the suggestions name, created if new, with their mentions as aliases.

        Each name and each (speaker, alias) pair is looked up once, however many suggestions
        share it.
        """
        touched: set[int] = set()
        by_name: dict[str, int] = {}
        aliases: set[tuple[int, str]] = set()
        out: list[int | None] = []
        for suggestion in quotes:
            name = policy.speaker_name(suggestion)
            if name is None:
                out.append(None)
                continue
            key = name_key(name)
            sid = by_name.get(key)
            if sid is None:
                found = self.find_speaker(name)
                if found is None:
                    sid, _ = self.add_speaker(name, suggestion.speaker_type)
                    touched.add(sid)
                else:
                    sid = found.id
                    if policy.upgrades_type(found.type, suggestion.speaker_type):
                        self.set_speaker_type(sid, suggestion.speaker_type)
                        touched.add(sid)
                by_name[key] = sid
            out.append(sid)
            mention = suggestion.mention
            alias = None if mention is None else policy.mention_alias(text, mention.start, mention.end)
            if alias is not None and (sid, name_key(alias)) not in aliases:
                aliases.add((sid, name_key(alias)))
                if self.add_alias(sid, alias):
                    touched.add(sid)
        return out, touched

    def _log_rows(self, action: str, ids: list[int], stamp: str, *, before: bool) -> None:
        """One history row per quote of ``ids`` (its stored row, as ``before`` or ``after``), all
        written by one statement that makes the JSON in SQLite (the keys sorted, as :meth:`_log`)."""
        columns = sorted(r[1] for r in self.db.conn.execute("PRAGMA table_info(quotes)"))
        row = "json_object({})".format(", ".join(f"'{c}', \"{c}\"" for c in columns))
        self.db.conn.execute(
            "INSERT INTO edits (at, annotator, action, table_name, row_id, before, after) "
            f"SELECT ?, ?, ?, 'quotes', id, {row if before else 'NULL'}, {'NULL' if before else row} "
            "FROM quotes WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            [stamp, self.annotator, action, json.dumps(ids)],
        )

    def _replace_untouched(
        self, doc_id: int, stamp: str, *, replace: bool = True
    ) -> tuple[set[int], list[tuple[int, int]]]:
        """Delete a document's untouched suggestions (if ``replace``); the spans of the other quotes."""
        removed: list[int] = []
        kept = []
        for row in self._rows(
            'SELECT id, start, "end", status, created, modified FROM quotes WHERE document_id = ?', [doc_id]
        ):
            if policy.is_untouched(row):
                removed.append(row["id"])
            else:
                kept.append((row["start"], row["end"]))
        if removed and not replace:
            return set(), kept
        if removed:
            self._log_rows("replace", removed, stamp, before=True)
            self.db.conn.execute(
                "DELETE FROM quotes WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(removed)]
            )
        return set(removed), kept

    def _suggestion_rows(
        self, doc_id: int, quotes: list[Suggestion], kept: list[tuple[int, int]], origin: str, stamp: str
    ) -> tuple[list[dict[str, Any]], set[int]]:
        """The rows of the suggestions that overlap no kept quote, checked, with their texts;
        and the speakers made or changed for them."""
        text = self.document(doc_id).text or ""
        overlaps = _Spans(kept)
        fresh = [q for q in quotes if not overlaps.any(q.start, q.end)]
        sids, touched = self._speakers_for(fresh, text)
        rows = []
        for q, sid in zip(fresh, sids, strict=True):
            row = policy.suggestion_row(q, doc_id, sid, origin, stamp)
            _check_suggestion(row, len(text))
            row["text"] = text[q.start : q.end]
            rows.append(row)
        return rows, touched

    def save_suggestions(
        self, doc_id: int, quotes: list[Suggestion], origin: str, *, replace: bool = True
    ) -> Changes:
        """Store the engine's quotes for a document as suggestions, in one transaction.

        Suggestions no researcher has touched (status suggested, never modified) are replaced;
        a new suggestion overlapping any other quote (accepted, rejected, or an edited
        suggestion) is dropped, so a researcher's work is never overwritten or duplicated.
        Rows and their history are written with one statement each (3,000 suggestions in
        tens of milliseconds), speakers and aliases looked up once per name.

        Args:
            doc_id: the document the quotes were found in.
            quotes: the engine's records, with offsets into that document's text.
            origin: e.g. ``"quotebench-engine 0.1.0"``.
            replace: replace the untouched suggestions; ``False`` adds to them (the second and
                later parts of one run's suggestions, stored a part at a time).
        """
        with self._write():
            stamp = now()
            removed, kept = self._replace_untouched(doc_id, stamp, replace=replace)
            rows, touched = self._suggestion_rows(doc_id, quotes, kept, origin, stamp)
            first = int(self.db.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM quotes").fetchone()[0])
            for i, row in enumerate(rows):
                row["id"] = first + i
            if rows:
                columns = list(rows[0])
                names = ", ".join(f'"{c}"' for c in columns)
                self.db.conn.executemany(
                    f"INSERT INTO quotes ({names}) VALUES ({', '.join(':' + c for c in columns)})", rows
                )
            added = {row["id"] for row in rows}
            if added:
                self._log_rows("suggest", sorted(added), stamp, before=False)
            self.db.execute(
                "UPDATE documents SET suggested_by = ?, suggested_at = ? WHERE id = ?",
                [origin, stamp, doc_id],
            )
        speakers = touched | {row["speaker_id"] for row in rows if row["speaker_id"] is not None}
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


class _Spans:
    """Spans asked whether any overlaps a given one, in O(log n) (bisect on sorted starts, with
    the largest end so far)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._max_end: list[int] = []
        top = -1
        for _, end in ordered:
            top = max(top, end)
            self._max_end.append(top)

    def any(self, start: int, end: int) -> bool:
        """Whether ``start..end`` overlaps any span (as :func:`.suggestions.overlaps_any`)."""
        before = bisect.bisect_left(self._starts, end)  # the spans that start before it ends
        return before > 0 and self._max_end[before - 1] > start


def _check_suggestion(row: dict[str, Any], length: int) -> None:
    """Check a suggestion's offsets, kind and confidences before it is written.

    Raises:
        StoreError: offsets outside the text (E025), a bad kind or confidence (E031).
    """
    for what, start, end, empty_ok in (
        ("the quote", row["start"], row["end"], False),
        ("the cue", row["cue_start"], row["cue_end"], True),
        ("the speaker mention", row["mention_start"], row["mention_end"], True),
    ):
        if start is None and end is None and what != "the quote":
            continue
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= length) or (
            start == end and not empty_ok
        ):
            raise StoreError(Errors.E025.format(what=what, start=start, end=end, length=length))
    try:
        row["kind"] = Kind(row["kind"]).value
    except ValueError:
        raise StoreError(Errors.E031.format(field="kind", value=row["kind"])) from None
    row["status"] = Status(row["status"]).value
    for field in ("confidence", "speaker_confidence"):
        conf = row[field]
        if conf is not None and not 0 <= conf <= 1:
            raise StoreError(Errors.E031.format(field=field, value=conf))
