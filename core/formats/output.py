"""Where exports and ``extract`` write, and how: safe output paths and atomic writing.

Two rules keep a run from destroying what it reads or what it wrote before:

- :func:`check_output` refuses an output that is (through a symlink, a relative path or a hard
  link) a protected file: the project, its ``-wal``, ``-shm`` and ``-journal``, or an input of
  the same run. An output folder is also refused when it holds a protected file.
- :class:`AtomicFile` and :class:`AtomicFolder` write to a temporary beside the target (same
  folder, so the final rename is atomic), flush and ``fsync`` it, then ``os.replace`` it over the
  target and ``fsync`` the folder. On an error or Ctrl-C the temporary is removed and the previous
  file stays as it was. Temporaries are hidden (``.<name>.<random>.tmp``), so the folder walk of
  ``extract`` and ``import`` never reads them; a run killed outright (SIGKILL, power loss) can
  leave one behind, never a half-written target.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ..errors import Errors, QuotebenchError
from .readers import files_under

#: The files SQLite keeps beside a project while it is open, and what they are.
SIDE_FILES = (
    ("-wal", "the project's write-ahead log"),
    ("-shm", "the project's shared-memory file"),
    ("-journal", "the project's rollback journal"),
)


@dataclass(frozen=True, slots=True)
class Protected:
    """A file no output may be written over, and what it is (for the message)."""

    path: Path
    what: str


def project_files(project: str | os.PathLike[str]) -> list[Protected]:
    """The project file and the side files SQLite keeps beside it (named after the path as given
    and after the real path, since either may be what SQLite opened)."""
    given = Path(project)
    found = [Protected(given, "the project")]
    for base in dict.fromkeys((str(given), os.path.realpath(given))):
        found.extend(Protected(Path(base + suffix), what) for suffix, what in SIDE_FILES)
    return found


def input_files(paths: Iterable[str | os.PathLike[str]]) -> list[Protected]:
    """The inputs of a run: each file named, and every file a folder named holds that the run reads."""
    found: list[Protected] = []
    for raw in paths:
        path = Path(raw)
        try:
            files = files_under(path) if path.is_dir() else [path]
        except OSError:  # the reader reports an input it cannot list
            files = [path]
        found.extend(Protected(f, "an input of this run") for f in files)
    return found


def _identity(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _folder_identities(folder: str) -> set[tuple[int, int]]:
    """The (device, inode) of every file under an existing folder (links not followed)."""
    found: set[tuple[int, int]] = set()
    for root, _dirs, files in os.walk(folder):
        for name in files:
            ident = _identity(os.path.join(root, name))
            if ident is not None:
                found.add(ident)
    return found


def check_output(
    out: str | os.PathLike[str], protected: Iterable[Protected], *, folder: bool = False
) -> None:
    """Refuse an output path that would write over a protected file.

    Paths are compared by ``os.path.realpath`` (symlinks, ``..``, relative paths) and, for files
    that exist, by device and inode (hard links).

    Args:
        out: the output path, as the user gave it.
        protected: the files this run must not write over (:func:`project_files`,
            :func:`input_files`).
        folder: ``out`` is a folder the export replaces as a whole: it is also refused when it
            holds a protected file.

    Raises:
        QuotebenchError: E060, naming the output and the file it would write over.
    """
    real = os.path.realpath(out)
    ident = _identity(real)
    inside: set[tuple[int, int]] | None = None
    for p in protected:
        p_real = os.path.realpath(p.path)
        p_ident = _identity(p_real)
        hit = real == p_real or (ident is not None and ident == p_ident)
        if folder and not hit:
            if inside is None:
                inside = _folder_identities(real) if os.path.isdir(real) else set()
            hit = _inside(p_real, real) or (p_ident is not None and p_ident in inside)
        if hit:
            raise QuotebenchError(Errors.E060.format(out=out, what=p.what, path=p.path))


# --- writing ---------------------------------------------------------------------------------------


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system lets a folder be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_path(final: Path, suffix: str = ".tmp") -> Path:
    return final.parent / f".{final.name}.{secrets.token_hex(4)}{suffix}"


def _new_temp_file(final: Path) -> tuple[Path, int]:
    """A new hidden file beside ``final``, with the permissions a new file gets (umask)."""
    while True:
        tmp = _temp_path(final)
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue


def _keep_mode(final: Path, tmp: Path) -> None:
    """Give the new file the permissions of the one it replaces."""
    try:
        os.chmod(tmp, stat.S_IMODE(os.stat(final).st_mode))
    except OSError:
        pass


class AtomicFile:
    """A file written to a temporary beside its target and moved over it only when whole.

    Use it as a context manager: it gives the open file; at a clean exit the file is flushed,
    ``fsync``'ed and moved over the target (whose folder is then ``fsync``'ed); at an exception,
    Ctrl-C included, the temporary is removed and the target is left as it was. A symlink target
    is followed, so the link keeps pointing at the new content.

    Args:
        target: the file to write.
        binary: open in binary mode.
        encoding: the text encoding.
        newline: as for :func:`open` (``"\\n"`` writes line ends as they are).
        partial: where the whole parts written so far go (see :meth:`mark`) when the run is
            interrupted by Ctrl-C, instead of being removed; the target is then left as it was.
    """

    def __init__(
        self,
        target: str | os.PathLike[str],
        *,
        binary: bool = False,
        encoding: str = "utf-8",
        newline: str | None = "\n",
        partial: Path | None = None,
    ) -> None:
        self.target = Path(target)
        self.final = Path(os.path.realpath(target))
        self.binary = binary
        self.encoding = encoding
        self.newline = newline
        self.partial = partial
        self.kept: Path | None = None
        self._tmp: Path | None = None
        self._fh: IO[Any] | None = None
        self._marked = 0

    def __enter__(self) -> IO[Any]:
        if self.final.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(self.target))
        self._tmp, fd = _new_temp_file(self.final)
        try:
            if self.binary:
                self._fh = os.fdopen(fd, "wb")
            else:
                self._fh = os.fdopen(fd, "w", encoding=self.encoding, newline=self.newline)
        except BaseException:
            os.close(fd)
            self._tmp.unlink(missing_ok=True)
            raise
        return self._fh

    def mark(self) -> None:
        """Flush, and remember that everything written so far is whole (kept on Ctrl-C)."""
        assert self._fh is not None
        self._fh.flush()
        self._marked = os.lseek(self._fh.fileno(), 0, os.SEEK_CUR)

    def _sync(self) -> None:
        assert self._fh is not None
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()

    def _move(self, to: Path) -> None:
        assert self._tmp is not None
        _keep_mode(to, self._tmp)
        os.replace(self._tmp, to)
        _fsync_folder(to.parent)

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._fh is not None and self._tmp is not None
        try:
            if kind is None:
                self._sync()
                self._move(self.final)
            elif issubclass(kind, KeyboardInterrupt) and self.partial is not None:
                self._fh.flush()
                os.truncate(self._fh.fileno(), self._marked)
                self._sync()
                self._move(self.partial)
                self.kept = self.partial
        finally:
            if not self._fh.closed:
                self._fh.close()
            self._tmp.unlink(missing_ok=True)


class AtomicFolder:
    """A folder built beside its target and swapped in only when whole.

    At a clean exit every file in the new folder is ``fsync``'ed, the previous folder (if any) is
    renamed aside, the new one renamed in, the folder above ``fsync``'ed and the previous folder
    removed. At an exception (Ctrl-C included) the new folder is removed and the previous one
    stays. An existing target is replaced only when it is empty or ``owned`` says its files are a
    previous export of this kind: anything else is refused (E062), never deleted.

    Args:
        target: the folder to write.
        owned: whether the names of the files in an existing target are what this export writes
            (a previous export of the same kind); an empty folder is always replaced.
        kind: what the folder is, for the message (``a brat export``).
    """

    def __init__(self, target: str | os.PathLike[str], owned: Callable[[list[str]], bool], kind: str) -> None:
        self.target = Path(target)
        self.final = Path(os.path.realpath(target))
        self.owned = owned
        self.kind = kind
        self._build: Path | None = None

    def _check_previous(self) -> None:
        if not os.path.lexists(self.final):
            return
        if not self.final.is_dir():
            raise QuotebenchError(Errors.E062.format(path=self.target, kind=self.kind, entry="it is a file"))
        names = []
        for entry in os.scandir(self.final):
            if not entry.is_file(follow_symlinks=False):
                raise QuotebenchError(
                    Errors.E062.format(path=self.target, kind=self.kind, entry=f"it holds {entry.name!r}")
                )
            names.append(entry.name)
        if names and not self.owned(sorted(names)):
            what = f"its {len(names)} file(s) are not {self.kind}"
            raise QuotebenchError(Errors.E062.format(path=self.target, kind=self.kind, entry=what))

    def __enter__(self) -> Path:
        self._check_previous()
        self.final.parent.mkdir(parents=True, exist_ok=True)
        build = _temp_path(self.final)
        build.mkdir()
        self._build = build
        return build

    def _swap(self, build: Path) -> None:
        for entry in os.scandir(build):
            fd = os.open(entry.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_folder(build)
        aside: Path | None = None
        if os.path.lexists(self.final):
            aside = _temp_path(self.final, ".old")
            os.rename(self.final, aside)
        try:
            os.rename(build, self.final)
        except BaseException:
            if aside is not None:
                os.rename(aside, self.final)
            raise
        _fsync_folder(self.final.parent)
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._build is not None
        try:
            if kind is None:
                self._swap(self._build)
        finally:
            shutil.rmtree(self._build, ignore_errors=True)
