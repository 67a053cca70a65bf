"""``quotebench backup``: a whole, consistent copy of a project, made while it may be in use.

SQLite's online backup API copies the pages of the project as one consistent state, with the
``-wal`` file's edits folded in, so the copy is one self-contained file. It is written beside
its target and moved over it only once it passes ``integrity_check``: a failed or interrupted
backup never spoils an older one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import tempfile
from pathlib import Path

from ..errors import DiskFullError, Errors, StoreError

#: The files SQLite keeps beside a project in WAL mode.
SIDE_FILES = ("-wal", "-shm", "-journal")


def is_project_file(out: Path, project: Path) -> bool:
    """Whether ``out`` is (by path, symlink or hard link) the project or a file SQLite keeps beside it."""
    real = Path(os.path.realpath(out))
    for suffix in ("", *SIDE_FILES):
        target = Path(f"{project}{suffix}")
        if real == Path(os.path.realpath(target)):
            return True
        with contextlib.suppress(OSError):
            if os.path.samefile(out, target):
                return True
    return False


def backup_to(conn: sqlite3.Connection, project: Path, out: Path) -> Path:
    """Copy the open project ``conn`` (the file ``project``) to ``out``; see the module docstring.

    Returns:
        The copy's path (inside ``out`` if ``out`` is a folder).

    Raises:
        StoreError: ``out`` is the project (E074), cannot be written (E075), its disk is full (E071).
    """
    if out.is_dir():
        out = out / project.name
    if is_project_file(out, project):
        raise StoreError(Errors.E074.format(out=out, path=project))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as err:
        raise _write_error(out, err) from err
    os.close(fd)
    tmp = Path(name)
    try:
        _copy(conn, tmp, out)
        os.replace(tmp, out)
        _sync_folder(out.parent)
    except OSError as err:
        raise _write_error(out, err) from err
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _copy(conn: sqlite3.Connection, tmp: Path, out: Path) -> None:
    """Back up into ``tmp``: one file (rollback journal), checked and synced to disk."""
    dest = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.backup(dest)
        # a file with no -wal beside it: readable from a read-only place, e.g. a mounted backup disk
        dest.execute("PRAGMA journal_mode = DELETE")
        found = [r[0] for r in dest.execute("PRAGMA integrity_check(5)")]
        if found != ["ok"]:
            raise StoreError(
                Errors.E075.format(out=out, detail=f"the copy fails integrity_check: {found[0]}")
            )
    except sqlite3.Error as err:
        if getattr(err, "sqlite_errorname", "") == "SQLITE_FULL":
            raise DiskFullError(Errors.E071.format(path=out)) from err
        raise StoreError(Errors.E075.format(out=out, detail=err)) from err
    finally:
        dest.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system allows opening a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_error(out: Path, err: OSError) -> StoreError:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(Errors.E071.format(path=out))
    return StoreError(Errors.E075.format(out=out, detail=err.strerror or err))
