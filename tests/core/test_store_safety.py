"""The project file under stress: wrong files, newer files, busy files, killed writers, two writers."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from quotebench.core.errors import ProjectBusyError, StoreError
from quotebench.core.model import Kind, Status
from quotebench.core.project.migrations import known, migrations
from quotebench.core.project.store import Store

TEXT = "x" * 5000


def test_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.qb"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match=r"^\[E020\] .*notes\.qb is not a SQLite database$"):
        Store.open(path)


def test_sqlite_but_not_a_project(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=r"^\[E021\] .*other\.db is not a Quotebench project$"):
        Store.open(path)
    with pytest.raises(StoreError, match=r"E021"):
        Store.open(path, create=True)  # never adopts someone else's database


def test_a_file_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "p.qb"
    Store.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('quotebench', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    n = len(known())
    with pytest.raises(
        StoreError,
        match=rf"\[E022\] .*p\.qb was written by a newer Quotebench \(schema {n + 1}, this one knows {n}\)",
    ):
        Store.open(path)


def test_an_older_project_is_upgraded_on_open(tmp_path):
    from sqlite_utils import Database

    path = tmp_path / "old.qb"
    db = Database(path)
    migrations.apply(db, stop_before=known()[1])  # a file from the first version
    db["documents"].insert(
        {"title": "kept", "sha256": "x" * 64, "imported_at": "t", "length": 1, "text": "a"}
    )
    db.close()
    with Store.open(path) as store:
        assert store.schema_version() == len(known())
        assert [d.title for d in store.documents()] == ["kept"]
        index = store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'quotes_by_document'"
        ).fetchone()[0]
        assert index == 'CREATE INDEX quotes_by_document ON quotes (document_id, start, "end")'
    with Store.open(path) as store:  # applying again changes nothing
        assert not migrations.pending(store.db)


def test_no_such_project_and_no_overwriting(tmp_path):
    with pytest.raises(StoreError, match=r"\[E028\] no project at .*missing\.qb"):
        Store.open(tmp_path / "missing.qb")
    assert not (tmp_path / "missing.qb").exists()
    Store.create(tmp_path / "p.qb").close()
    with pytest.raises(StoreError, match=r"\[E029\] a project already exists"):
        Store.create(tmp_path / "p.qb")


def test_busy_project_gives_project_busy_error_not_a_crash(tmp_path):
    path = tmp_path / "p.qb"
    with Store.create(path) as store:
        doc, _ = store.add_document(TEXT)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with Store.open(path, timeout=0.5) as waiting:
                assert waiting.documents()[0].id == doc  # reading still works (WAL)
                t0 = time.monotonic()
                with pytest.raises(ProjectBusyError, match=r"\[E023\] project is busy: .* for 0\.5 s"):
                    waiting.add_quote(doc, 0, 5, Kind.DIRECT)
                waited = time.monotonic() - t0
                assert 0.4 <= waited < 3
                assert not waiting.conn.in_transaction
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        qid, _ = store.add_quote(doc, 0, 5, Kind.DIRECT)  # free again
        assert store.quote(qid).start == 0


_WRITER = textwrap.dedent(
    """
    import sys
    from quotebench.core.model import Kind
    from quotebench.core.project.store import Store

    path, tag = sys.argv[1], sys.argv[5]
    doc, first, count = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with Store.open(path, annotator=tag, timeout=20) as store:
        for n in range(first, first + count):
            qid, _ = store.add_quote(doc, n % 4000, n % 4000 + 7, Kind.DIRECT, note=f"{tag}{n}")
            if n % 3 == 0:
                store.update_quote(qid, status="suggested")
            print(n, flush=True)  # only after the call returned
    """
)


def _writer(path, doc, first, count, tag="e"):
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), str(doc), str(first), str(count), tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _integrity(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
def test_no_returned_edit_is_lost_when_the_writer_is_killed(tmp_path):
    path = tmp_path / "p.qb"
    with Store.create(path) as store:
        doc, _ = store.add_document(TEXT)
    rng = random.Random(20261125)
    confirmed: list[str] = []  # notes of edits whose call returned before the kill
    kills = 0
    n = 0
    while n < 1000 or kills < 20:
        tag = f"k{kills}-"  # each run's notes are its own, so an unconfirmed edit is never counted
        child = _writer(path, doc, n, 1000, tag)
        stop_after = rng.randint(20, 80)  # about 20 runs for 1,000 edits
        got = []
        for line in child.stdout:
            got.append(int(line))
            if len(got) >= stop_after:
                break
        time.sleep(rng.random() * 0.004)  # land anywhere in the next edit
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
        got.extend(int(line) for line in child.stdout.read().split())
        assert child.returncode == -signal.SIGKILL and got, child.stderr.read()  # killed, not crashed
        confirmed.extend(f"{tag}{m}" for m in got)
        n = got[-1] + 1
        with Store.open(path) as store:
            quotes = {q.note: q for q in store.quotes_for(doc)}
            missing = [note for note in confirmed if note not in quotes]
            assert missing == [], f"kill {kills}: edits lost {missing[:5]}"
            # an update that returned is there too
            assert all(quotes[f"{tag}{m}"].status is Status.SUGGESTED for m in got if m % 3 == 0)
        assert _integrity(path) == "ok"
    assert kills >= 20 and len(confirmed) >= 1000
    print(f"{kills} kills, {len(confirmed)} confirmed edits, none lost, integrity ok")


def test_two_processes_writing_one_project(tmp_path):
    path = tmp_path / "p.qb"
    with Store.create(path) as store:
        doc, _ = store.add_document(TEXT)
    a = _writer(path, doc, 0, 150, "a")
    b = _writer(path, doc, 0, 150, "b")
    out_a, err_a = a.communicate(timeout=60)
    out_b, err_b = b.communicate(timeout=60)
    assert (a.returncode, b.returncode) == (0, 0), err_a + err_b
    assert len(out_a.split()) == len(out_b.split()) == 150
    with Store.open(path) as store:
        notes = [q.note for q in store.quotes_for(doc)]
        assert sorted(notes) == sorted([f"a{i}" for i in range(150)] + [f"b{i}" for i in range(150)])
        assert {e.annotator for e in store.history(limit=10_000)} >= {"a", "b"}
    assert _integrity(path) == "ok"
