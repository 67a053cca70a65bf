"""What the adversarial cases share: running the real ``quotebench`` command, building inputs and
projects, and telling whether a project, an input or an export survived.

Everything here uses the standard library only (plus ``sqlite3``), so a case's verdict never
depends on Quotebench's own code.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: The console script next to the interpreter that runs this file (the venv's).
QUOTEBENCH = Path(sys.executable).with_name("quotebench")
TIME = Path("/usr/bin/time")
SETPRIV = shutil.which("setpriv")
NOBODY = 65534
TIMEOUT = 120.0
TRACEBACK = "Traceback (most recent call last)"
CODE = re.compile(r"\[E\d{3}\]")

Arg = str | bytes | os.PathLike[str]


@dataclass
class Result:
    """One command's outcome. ``exit`` is the status, or ``"timeout"``."""

    argv: list[str]
    exit: int | str
    stdout: bytes
    stderr: str
    rss_kb: int | None = None

    @property
    def traceback(self) -> bool:
        return TRACEBACK in self.stderr

    @property
    def first_line(self) -> str:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[0] if lines else ""

    def coded_line(self, *names: str) -> str | None:
        """The first line of stderr with an ``[Exxx]`` code that names every one of ``names``."""
        for line in self.stderr.splitlines():
            if CODE.search(line) and all(n in line for n in names):
                return line
        return None

    def refused(self, *names: str) -> bool:
        """Exit 1, one coded line naming ``names``, no traceback."""
        return self.exit == 1 and not self.traceback and self.coded_line(*names) is not None


@dataclass
class Row:
    """One line of the report."""

    case: str
    exit: int | str
    stderr: str
    traceback: bool
    intact: bool | None  # None: nothing to lose in this case
    ok: bool
    note: str = ""
    rss_kb: int | None = None
    skipped: bool = False

    @classmethod
    def of(cls, case: str, res: Result, intact: bool | None, ok: bool, note: str = "") -> Row:
        return cls(
            case,
            res.exit,
            res.first_line,
            res.traceback,
            intact,
            ok and not res.traceback and intact is not False,
            note,
            res.rss_kb,
        )

    @classmethod
    def skip(cls, case: str, why: str) -> Row:
        return cls(case, "-", "", False, None, True, f"skipped: {why}", skipped=True)


def _limit_memory(limit: int | None) -> Callable[[], None] | None:
    if limit is None:
        return None

    def set_limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return set_limit


def qb(
    *args: Arg,
    cwd: Path | None = None,
    timeout: float = TIMEOUT,
    user: int | None = None,
    measure: bool = False,
    memory: int | None = None,
) -> Result:
    """Run ``quotebench ARGS``; as ``user`` (through setpriv), under ``/usr/bin/time -v`` if ``measure``."""
    argv: list[Arg] = [str(QUOTEBENCH), *args]
    if user is not None:
        argv = [SETPRIV or "setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--", *argv]
    timing: Path | None = None
    if measure and TIME.exists():
        fd, name = tempfile.mkstemp(prefix="qb-time-")
        os.close(fd)
        timing = Path(name)
        argv = [str(TIME), "-v", "-o", str(timing), *argv]
    shown = [os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in argv]
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_limit_memory(memory),
    )
    try:
        out, err = proc.communicate(timeout=timeout)
        code: int | str = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = "timeout"
    rss = _max_rss(timing) if timing else None
    if timing:
        timing.unlink(missing_ok=True)
    return Result(shown, code, out, err.decode("utf-8", "replace"), rss)


def _max_rss(timing: Path) -> int | None:
    for line in timing.read_text(errors="replace").splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1])
    return None


def kill_when_changed(args: Sequence[Arg], watch: Path, timeout: float = TIMEOUT) -> str:
    """Run ``quotebench ARGS`` and SIGKILL it as soon as ``watch`` or its folder changes.

    Returns what happened: ``"killed"``, ``"finished"`` (it ended before any change was seen) or
    ``"timeout"``.
    """

    def state() -> tuple[object, ...]:
        entries = sorted(os.listdir(watch.parent))
        try:
            st = watch.stat()
            inner: list[tuple[str, int, int]] = []
            if watch.is_dir():
                inner = [(e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(watch)]
            return (tuple(entries), st.st_ino, st.st_size, st.st_mtime_ns, tuple(sorted(inner)))
        except FileNotFoundError:
            return (tuple(entries), None)

    before = state()
    proc = subprocess.Popen(
        [str(QUOTEBENCH), *args],
        cwd=watch.parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        if state() != before:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return "killed"
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return "timeout"
        time.sleep(0.002)
    return "finished"


# --- inputs ----------------------------------------------------------------------------------

_PEOPLE = ["Mara Quill", "Tobin Ashgrove", "Ilse Varden", "Otto Pembry", "Nadia Crell"]
_TOPICS = [
    "the ferry timetable",
    "the library roof",
    "the harbour wall",
    "the night market",
    "the tram fares",
]


def article(n: int, quotes: int = 10, *, crlf: bool = False) -> dict[str, object]:
    """An invented article (about 70 characters a quote) with ``quotes`` direct quotes, as an
    interchange-schema record whose offsets point at the quoted text."""
    nl = "\r\n" if crlf else "\n"
    text = f"Council notes, issue {n}.{nl}"
    records: list[dict[str, object]] = []
    for i in range(quotes):
        who = _PEOPLE[(n + i) % len(_PEOPLE)]
        topic = _TOPICS[(n * 7 + i) % len(_TOPICS)]
        lead = f"{who} said: "
        start_mention = len(text)
        text += lead
        start = len(text)
        said = f'"We will look at {topic} again, item {n}.{i}."'
        text += said + nl
        records.append(
            {
                "start": start,
                "end": start + len(said),
                "text": said,
                "kind": "direct",
                "speaker": who,
                "speaker_start": start_mention,
                "speaker_end": start_mention + len(who),
                "cue": "said",
                "cue_start": start_mention + len(who) + 1,
                "cue_end": start_mention + len(who) + 5,
                "entity": who,
                "confidence": 0.9,
            }
        )
    return {"id": f"notes-{n}", "text": text, "quotes": records}


def plain_article(n: int) -> str:
    """An invented article the engine finds quotes in (for extract and suggest)."""
    who = _PEOPLE[n % len(_PEOPLE)]
    topic = _TOPICS[n % len(_TOPICS)]
    return (
        f"The harbour board met on Tuesday to discuss {topic}, item {n}.\n"
        f'{who} said: "We will not close {topic} this winter."\n'
        f"Officials said that the work would start in May.\n"
    )


def write_jsonl(path: Path, records: Sequence[object]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write((rec if isinstance(rec, str) else json.dumps(rec, ensure_ascii=False)) + "\n")
    return path


# --- projects --------------------------------------------------------------------------------


@dataclass
class Snapshot:
    """What a project holds: counts per table and ``PRAGMA integrity_check``."""

    counts: dict[str, int] = field(default_factory=dict)
    integrity: str = ""
    error: str = ""

    def holds(self, before: Snapshot) -> bool:
        """Nothing of ``before`` is lost: same or more rows, and a sound file."""
        if self.error or self.integrity != "ok":
            return False
        return all(self.counts.get(t, -1) >= n for t, n in before.counts.items())

    def same(self, before: Snapshot) -> bool:
        return not self.error and self.integrity == "ok" and self.counts == before.counts


TABLES = ("documents", "quotes", "speakers", "aliases")


def _side_files(project: Path) -> list[Path]:
    return [Path(f"{project}{suffix}") for suffix in ("-wal", "-shm")]


def _tidy(project: Path, existed: list[bool]) -> None:
    """Remove the empty ``-wal`` and its ``-shm`` that a read-only look created (as root, SQLite
    even hands them to the file's owner), so that a case meets the project as the CLI left it."""
    wal, shm = _side_files(project)
    if not any(existed) and wal.exists() and wal.stat().st_size == 0:
        wal.unlink()
        shm.unlink(missing_ok=True)


def snapshot(project: Path) -> Snapshot:
    existed = [p.exists() for p in _side_files(project)]
    try:
        conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
        try:
            counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as err:
        return Snapshot(error=f"{type(err).__name__}: {err}")
    finally:
        _tidy(project, existed)
    return Snapshot(counts, integrity)


def integrity(project: Path) -> str:
    """``PRAGMA integrity_check``'s first line, or the error opening the file gives."""
    existed = [p.exists() for p in _side_files(project)]
    try:
        conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
        try:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error as err:
        return f"{type(err).__name__}: {err}"
    finally:
        _tidy(project, existed)


def digest(path: Path) -> str:
    if path.is_dir():
        h = hashlib.sha256()
        for p in sorted(path.rglob("*")):
            h.update(str(p.relative_to(path)).encode())
            if p.is_file():
                h.update(p.read_bytes())
        return h.hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def make_project(folder: Path, name: str, docs: int = 20, quotes: int = 10) -> Path:
    """A project of ``docs`` invented articles with ``quotes`` accepted quotes each (no model)."""
    folder.mkdir(parents=True, exist_ok=True)
    project = folder / name
    source = write_jsonl(folder / f"{name}-source.jsonl", [article(n, quotes) for n in range(docs)])
    for res in (qb("new", project), qb("import", project, source)):
        if res.exit != 0:
            raise RuntimeError(f"cannot build {project}: {res.stderr.strip()}")
    source.unlink()
    return project


def copy_project(project: Path, to: Path) -> Path:
    """A byte copy of a closed project (its WAL is checkpointed and gone once the CLI returns)."""
    to.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(project, to)
    return to
