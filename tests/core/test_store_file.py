"""The project file as a person handles it: copied while open, backed up, damaged, read-only, full.

Issue 8, points 4 (one file), 8 (damaged files), 10 (read-only places), 12 (full disks) and 16
(edits from a stale view), at the store and through the command line.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from quotebench.core.cli import cli
from quotebench.core.errors import (
    DamagedProjectError,
    DiskFullError,
    ReadOnlyProjectError,
    StaleEditError,
    StoreError,
)
from quotebench.core.model import Kind, Status
from quotebench.core.project.store import Store

CODE = re.compile(r"\[E\d{3}\]")
NOBODY = 65534
IS_ROOT = os.geteuid() == 0
QUOTEBENCH = Path(sys.executable).with_name("quotebench")


def text_of(n: int) -> str:
    return f'Harbour notes {n}. Wren Attley said: "The pier opens in May, item {n}." Then rain.\n' * 3


def make_project(path: Path, docs: int = 12, quotes: int = 3) -> Path:
    """A closed project of ``docs`` documents with ``quotes`` accepted quotes each."""
    with Store.create(path, annotator="maker") as store:
        sid, _ = store.add_speaker("Wren Attley")
        with store.batch():
            for n in range(docs):
                text = text_of(n)
                doc, _ = store.add_document(text, title=f"notes {n}", source="harbour")
                for k in range(quotes):
                    start = text.index('"The pier', k * (len(text) // 3))
                    store.add_quote(doc, start, text.index('."', start) + 2, Kind.DIRECT, speaker_id=sid)
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("base") / "base.qbproj")


@pytest.fixture()
def project(base: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "p.qbproj"
    shutil.copyfile(base, copy)
    return copy


def notes(path: Path) -> int:
    """How many quotes of a (closed or copied) project file carry a note, read from that file alone."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)  # never reads a -wal beside it
    try:
        return int(conn.execute("SELECT count(*) FROM quotes WHERE note != ''").fetchone()[0])
    finally:
        conn.close()


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def refused(res: Result, *words: str) -> str:
    """Exit 1, no traceback, and a coded line with ``words``: that line."""
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code == 1, res.output
    line = next((x for x in res.output.splitlines() if CODE.search(x)), "")
    assert line and all(w in line for w in words), res.output
    return line


# --- 4. the project file alone holds every confirmed edit -----------------------------------------------

HOLDER = textwrap.dedent(
    """
    import sys, time
    from quotebench.core.project.store import Store
    store = Store.open(sys.argv[1], annotator="window")
    ids = [q.id for q in store.all_quotes()][:100]
    for i, qid in enumerate(ids):
        store.update_quote(qid, note=f"confirmed {i}")
    print(len(ids), flush=True)
    # the window's timer: a tick every 200 ms, a checkpoint once the edits are a second old
    while sys.stdin.readline().strip() != "quit":
        time.sleep(0.2)
        print(store.checkpoint_if_idle(1.0), flush=True)
    store.close()
    """
)


def test_a_copy_of_the_open_project_holds_every_edit_after_the_idle_checkpoint(tmp_path: Path) -> None:
    path = make_project(tmp_path / "big.qbproj", docs=40)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "100"
        shutil.copyfile(path, tmp_path / "at-once.qbproj")  # the edits are in the -wal only
        assert notes(tmp_path / "at-once.qbproj") < 100
        time.sleep(1.0)
        for _ in range(20):  # ticks until the checkpoint reports the file whole
            holder.stdin.write("tick\n")
            holder.stdin.flush()
            if holder.stdout.readline().strip() == "True":
                break
        shutil.copyfile(path, tmp_path / "idle.qbproj")  # the store is still open
        assert holder.poll() is None
        assert notes(tmp_path / "idle.qbproj") == 100
    finally:
        holder.stdin.write("quit\n")
        holder.stdin.close()
        holder.wait(timeout=30)


def test_close_checkpoints_even_with_another_program_reading(project: Path, tmp_path: Path) -> None:
    other = sqlite3.connect(project)  # the window, idle
    other.execute("SELECT count(*) FROM quotes").fetchone()
    with Store.open(project, annotator="cli") as store:
        qids = [q.id for q in store.all_quotes()][:7]
        for qid in qids:
            store.update_quote(qid, note="from the command line")
    shutil.copyfile(project, tmp_path / "copy.qbproj")
    other.close()
    assert notes(tmp_path / "copy.qbproj") == 7


def test_checkpoint_waits_for_nobody_and_reports_a_reader(project: Path) -> None:
    reader = sqlite3.connect(project, isolation_level=None)
    store = Store.open(project, annotator="a")
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM quotes").fetchone()  # holds a snapshot
        store.update_quote(store.all_quotes()[0].id, note="late")
        t0 = time.monotonic()
        assert store.checkpoint() is False  # the reader still needs the older state
        assert time.monotonic() - t0 < 1.0
        assert store.checkpoint_if_idle(0.0) is False
        reader.execute("COMMIT")
        assert store.checkpoint() is True
        assert store.last_unsaved_edit is None
    finally:
        store.close()
        reader.close()
    assert notes(project) == 1


def test_checkpoint_if_idle_waits_for_the_edits_to_stop(project: Path) -> None:
    with Store.open(project, annotator="a") as store:
        assert store.checkpoint_if_idle(1.0) is True  # nothing written
        store.update_quote(store.all_quotes()[0].id, note="now")
        assert store.checkpoint_if_idle(5.0) is False  # the edit is not 5 s old
        assert notes(project) == 0
        assert store.checkpoint_if_idle(0.0) is True
        assert notes(project) == 1


# --- 4. quotebench backup ---------------------------------------------------------------------------------


def rows(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found: dict[str, Any] = {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("documents", "quotes", "speakers", "edits")
        }
        found["integrity"] = conn.execute("PRAGMA integrity_check").fetchone()[0]
        found["journal_mode"] = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    return found


def test_backup_of_an_open_project_is_whole_and_one_file(project: Path, tmp_path: Path) -> None:
    window = Store.open(project, annotator="window")
    try:
        window.update_quote(window.all_quotes()[0].id, note="not checkpointed yet")
        res = invoke("backup", project, tmp_path / "safe.qbproj")
        assert res.exit_code == 0, res.output
        assert "36 quote(s)" in res.output
        copy = rows(tmp_path / "safe.qbproj")
        assert copy["integrity"] == "ok" and copy["journal_mode"] == "delete"
        assert not Path(f"{tmp_path / 'safe.qbproj'}-wal").exists()
        assert notes(tmp_path / "safe.qbproj") == 1
        live = rows(project)
        assert {k: copy[k] for k in ("documents", "quotes", "speakers", "edits")} == {
            k: live[k] for k in ("documents", "quotes", "speakers", "edits")
        }
    finally:
        window.close()
    with Store.open(tmp_path / "safe.qbproj") as again:
        assert again.stats()["quotes"] == 36


def test_backup_into_a_folder_replaces_an_older_backup(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "p.qbproj").write_bytes(b"an older backup")
    assert invoke("backup", project, folder).exit_code == 0
    assert rows(folder / "p.qbproj")["integrity"] == "ok"
    assert [p.name for p in folder.iterdir()] == ["p.qbproj"]  # no temporary left


@pytest.mark.parametrize("how", ["same", "relative", "symlink", "hardlink", "wal", "shm"])
def test_backup_refuses_the_project_itself(project: Path, tmp_path: Path, how: str) -> None:
    (tmp_path / "sub").mkdir()
    out: Path = {
        "same": project,
        "relative": tmp_path / "sub" / ".." / project.name,
        "symlink": tmp_path / "link.qbproj",
        "hardlink": tmp_path / "hard.qbproj",
        "wal": Path(f"{project}-wal"),
        "shm": Path(f"{project}-shm"),
    }[how]
    if how == "symlink":
        out.symlink_to(project)
    if how == "hardlink":
        os.link(project, out)
    before = project.read_bytes()
    refused(invoke("backup", project, out), "E074", "p.qbproj")
    assert project.read_bytes() == before


def test_backup_of_a_damaged_project_keeps_the_older_backup(project: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.qbproj"
    shutil.copyfile(project, older)
    kept = older.read_bytes()
    damage_table(project, "quotes")
    line = refused(invoke("backup", project, older), "E070", "p.qbproj")
    assert "backup" in line and ".recover" in line
    assert older.read_bytes() == kept


def test_check_command(project: Path) -> None:
    res = invoke("check", project)
    assert res.exit_code == 0 and "ok" in res.output, res.output
    damage_table(project, "speakers")
    refused(invoke("check", project), "E070", "p.qbproj")


# --- 8. damaged files -----------------------------------------------------------------------------------


def damage_table(path: Path, table: str) -> None:
    """Zero the cells at the end of ``table``'s root page."""
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[root * page - 300 : root * page] = bytes(300)
    path.write_bytes(bytes(data))


def sound(path: Path, pragma: str = "integrity_check") -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        try:
            return [r[0] for r in conn.execute(f"PRAGMA {pragma}")] == ["ok"]
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError):  # a flipped bit in the schema's text
        return False


def flipped_copies(base: Path, folder: Path, n: int = 128) -> Iterator[Path]:
    """Copies of ``base`` with one bit flipped: in the header, in every page, and cut short."""
    data = base.read_bytes()
    rnd = random.Random(88)
    offsets = sorted({*range(16, 100, 9), *(rnd.randrange(100, len(data)) for _ in range(n))})
    for pos in offsets:
        bad = bytearray(data)
        bad[pos] ^= 1 << rnd.randrange(8)
        out = folder / f"flip-{pos}.qbproj"
        out.write_bytes(bytes(bad))
        yield out
    for cut in (50, 4096, len(data) // 3, len(data) - 4096):
        out = folder / f"cut-{cut}.qbproj"
        out.write_bytes(data[:cut])
        yield out


def test_flipped_bytes_never_give_a_traceback_nor_a_write(base: Path, tmp_path: Path) -> None:
    src = tmp_path / "more.jsonl"
    src.write_text('{"id": "more", "text": "Ivo Brent said: \\"The tide is late.\\""}\n', encoding="utf-8")
    seen = {"damaged": 0, "refused": 0}
    for path in flipped_copies(base, tmp_path):
        ok, quick_ok = sound(path), sound(path, "quick_check")
        seen["damaged"] += not ok
        for args in (["stats"], ["export", "--format", "jsonl", "-o", tmp_path / "out.jsonl"]):
            before = path.read_bytes()
            res = invoke(args[0], path, *args[1:])
            assert res.exception is None or isinstance(res.exception, SystemExit), (path, repr(res.exception))
            assert res.exit_code in (0, 1), (path, res.output)
            if res.exit_code == 1:
                refused(res)
            if args[0] == "stats" and not quick_ok:
                refused(res, "E070")  # stats vouches for the pages and records of the whole file
            assert path.read_bytes() == before, path  # reading never writes
        before = path.read_bytes()
        res = invoke("import", path, src)
        assert res.exception is None or isinstance(res.exception, SystemExit), (path, repr(res.exception))
        if not ok:
            line = refused(res)
            seen["refused"] += 1
            assert path.read_bytes() == before, path
            assert "E070" in line or "E020" in line, line
    assert seen["damaged"] > 10 and seen["refused"] == seen["damaged"]


def test_damaged_messages_say_how_to_recover(project: Path) -> None:
    damage_table(project, "quotes")
    line = refused(invoke("stats", project), "E070", str(project))
    assert "quotebench backup" in line and f"sqlite3 {project} .recover > recovered.sql" in line


def test_a_file_cut_short_is_damaged_not_foreign(project: Path, tmp_path: Path) -> None:
    project.write_bytes(project.read_bytes()[:60])
    with pytest.raises(DamagedProjectError, match=r"^\[E070\] .*cut short"):
        Store.open(project)
    (tmp_path / "notes.qbproj").write_bytes(b"Harbour notes, not a database.\n" * 10)
    with pytest.raises(StoreError, match=r"^\[E020\]"):
        Store.open(tmp_path / "notes.qbproj")


def test_a_value_of_the_wrong_type_is_damage_not_a_traceback(project: Path) -> None:
    conn = sqlite3.connect(project)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE quotes SET kind = 'sung' WHERE id = 3")
    conn.commit()
    conn.close()
    with Store.open(project) as store:
        with pytest.raises(
            DamagedProjectError, match=r"\[E070\] .*\((CHECK constraint failed in quotes|quotes row 3)"
        ):
            store.all_quotes()
        with pytest.raises(DamagedProjectError):  # and nothing is written into it
            store.update_quote(5, note="x")
    refused(invoke("export", project, "--format", "jsonl", "-o", project.with_suffix(".jsonl")), "E070")


def test_text_that_is_not_utf8_is_damage(project: Path) -> None:
    conn = sqlite3.connect(project)
    conn.execute("UPDATE speakers SET notes = CAST(x'ff00fe' AS TEXT) WHERE id = 1")
    conn.commit()
    conn.close()
    with Store.open(project) as store, pytest.raises(DamagedProjectError, match=r"\[E070\].*UTF-8"):
        store.speakers()


def test_writes_check_the_file_once_before_the_first(project: Path) -> None:
    store = Store.open(project, annotator="a")
    try:
        damage_table(project, "documents")  # damaged after opening, before the first write
        with pytest.raises(DamagedProjectError, match="E070"):
            store.update_quote(1, note="x")
    finally:
        store.close()


# --- 10. read-only places ------------------------------------------------------------------------------


def as_nobody(*args: str | Path) -> subprocess.CompletedProcess[str]:
    argv = [str(QUOTEBENCH), *map(str, args)]
    if IS_ROOT:
        argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture()
def reachable(base: Path) -> Iterator[Path]:
    """A copy of the project in a folder an unprivileged user can reach (pytest's is root's only)."""
    if IS_ROOT and shutil.which("setpriv") is None:
        pytest.skip("needs setpriv to act as an unprivileged user")
    outer = Path(tempfile.mkdtemp(prefix="qb-store-file-", dir="/tmp"))
    os.chmod(outer, 0o777)
    (outer / "ro").mkdir()
    project = outer / "ro" / "p.qbproj"
    shutil.copyfile(base, project)
    if IS_ROOT:
        os.chown(project, NOBODY, NOBODY)
        os.chown(outer / "ro", NOBODY, NOBODY)
    try:
        yield project
    finally:
        os.chmod(outer / "ro", 0o755)
        shutil.rmtree(outer)


def test_read_only_folder_reads_but_refuses_writes(reachable: Path) -> None:
    src = reachable.parent.parent / "more.jsonl"
    src.write_text('{"id": "more", "text": "Ivo Brent said: \\"The tide is late.\\""}\n', encoding="utf-8")
    os.chmod(src, 0o644)
    os.chmod(reachable.parent, 0o555)
    before = reachable.read_bytes()
    stats = as_nobody("stats", reachable)
    assert stats.returncode == 0 and "quotes: 36" in stats.stdout, stats.stderr
    out = reachable.parent.parent / "out.jsonl"
    exported = as_nobody("export", reachable, "--format", "jsonl", "-o", out)
    assert exported.returncode == 0, exported.stderr
    assert out.read_text(encoding="utf-8").count('"quote_id"') == 36
    imported = as_nobody("import", reachable, src)
    assert imported.returncode == 1 and "Traceback" not in imported.stderr
    assert re.search(
        r"\[E072\] the folder .*/ro is read-only: SQLite cannot create its journal", imported.stderr
    )
    assert "copy the project somewhere writable" in imported.stderr
    assert reachable.read_bytes() == before
    assert sorted(p.name for p in reachable.parent.iterdir()) == ["p.qbproj"]


def test_read_only_file_reads_but_refuses_writes(reachable: Path) -> None:
    os.chmod(reachable, 0o444)
    src = reachable.parent.parent / "more.jsonl"
    src.write_text('{"id": "more", "text": "Ivo Brent said: \\"The tide is late.\\""}\n', encoding="utf-8")
    os.chmod(src, 0o644)
    assert as_nobody("stats", reachable).returncode == 0
    imported = as_nobody("import", reachable, src)
    assert imported.returncode == 1 and "Traceback" not in imported.stderr
    assert re.search(r"\[E073\] .*p\.qbproj is read-only", imported.stderr), imported.stderr


def test_read_only_store_refuses_writes_at_once(reachable: Path) -> None:
    os.chmod(reachable.parent, 0o555)
    script = (
        "import sys\n"
        "from quotebench.core.project.store import Store\n"
        "s = Store.open(sys.argv[1])\n"
        "print(s.read_only)\n"
        "try:\n"
        "    s.update_quote(1, note='x')\n"
        "except Exception as e:\n"
        "    print(type(e).__name__)\n"
    )
    argv = [sys.executable, "-c", script, str(reachable)]
    if IS_ROOT:
        argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--", *argv]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.splitlines()[0].startswith("[E072]"), done.stdout + done.stderr
    assert done.stdout.splitlines()[1] == ReadOnlyProjectError.__name__


# --- 12. a full disk ------------------------------------------------------------------------------------


@pytest.fixture()
def small_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store opened gets room for only 3 more pages: SQLite then says SQLITE_FULL."""
    real = Store._prepare.__func__  # type: ignore[attr-defined]

    def prepare(cls: type[Store], path: Path, conn: sqlite3.Connection, **kw: Any) -> Store:
        store = real(cls, path, conn, **kw)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 3}")
        return store

    monkeypatch.setattr(Store, "_prepare", classmethod(prepare))


def test_full_disk_during_import_is_the_projects_problem(
    project: Path, tmp_path: Path, small_disk: None
) -> None:
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps({"id": f"m{n}", "text": text_of(1000 + n)}) + "\n" for n in range(80)))
    before = rows(project)
    line = refused(invoke("import", project, src), "E071", str(project))
    assert "many.jsonl" not in line and "is full" in line
    assert rows(project) == before


def test_full_disk_in_the_store_is_disk_full_error(project: Path, small_disk: None) -> None:
    with Store.open(project, annotator="a") as store:
        with pytest.raises(DiskFullError, match=r"^\[E071\] the disk holding .*p\.qbproj is full"):
            with store.batch():
                for n in range(60):
                    store.add_document(text_of(2000 + n) * 5, title=f"n{n}")
        assert store.stats()["documents"] == 12


def test_suggest_stopped_by_a_full_disk_says_what_it_saved(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quotebench.core.engine.pipeline as pipeline

    monkeypatch.setattr(pipeline, "load_nlp", lambda name=None: object())
    monkeypatch.setattr(pipeline, "quotes_in_many", lambda texts, nlp, **kw: ([] for _ in texts))
    real = Store.save_suggestions
    calls = []

    def save(self: Store, doc_id: int, quotes: list[Any], origin: str) -> Any:
        calls.append(doc_id)
        if len(calls) > 4:
            self.conn.execute("PRAGMA max_page_count = 1")  # the disk is now full
            with self.batch():
                self.db.execute("CREATE TABLE filler (x)")
        return real(self, doc_id, quotes, origin)

    monkeypatch.setattr(Store, "save_suggestions", save)
    res = invoke("suggest", project)
    line = refused(res, "E071")
    assert "4 of 12 document(s) done and saved" in res.output, res.output
    assert line.index("E071") > 0
    with Store.open(project) as store:
        assert len(store.documents_without_suggestions()) == 8


# --- 16. edits from a stale view ------------------------------------------------------------------------


@pytest.fixture()
def two_windows(project: Path) -> Iterator[tuple[Store, Store]]:
    a = Store.open(project, annotator="ann")
    b = Store.open(project, annotator="bea")
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def test_update_from_a_stale_view_is_refused(two_windows: tuple[Store, Store]) -> None:
    a, b = two_windows
    seen = a.quote(1)
    b.update_quote(1, note="Bea's later change")
    with pytest.raises(StaleEditError, match=r"^\[E076\] quote 1 was changed elsewhere .*\(by bea at 20"):
        a.update_quote(1, expected=seen, note="Ann's undo")
    assert a.quote(1).note == "Bea's later change"
    fresh = a.quote(1)
    a.update_quote(1, expected=fresh, note="Ann, having reloaded")
    assert b.quote(1).note == "Ann, having reloaded"
    a.update_quote(1, status=Status.REJECTED)  # without expected: as before
    assert b.quote(1).status == Status.REJECTED


def test_delete_and_status_from_a_stale_view_are_refused(two_windows: tuple[Store, Store]) -> None:
    a, b = two_windows
    seen = [a.quote(1), a.quote(2)]
    b.update_quote(2, kind=Kind.INDIRECT)
    with pytest.raises(StaleEditError, match=r"\[E076\] quote 2"):
        a.delete_quote(2, expected=seen[1])
    with pytest.raises(StaleEditError, match=r"\[E076\] quote 2"):
        a.set_status([1, 2], Status.REJECTED, expected=seen)
    assert [q.status for q in (b.quote(1), b.quote(2))] == [Status.ACCEPTED, Status.ACCEPTED]  # neither
    b.delete_quote(1)
    with pytest.raises(StaleEditError, match=r"^\[E077\] quote 1 was deleted elsewhere"):
        a.update_quote(1, expected=seen[0], note="x")
    a.delete_quote(2, expected=a.quote(2))
    assert [q.id for q in b.all_quotes()][:2] == [3, 4]
