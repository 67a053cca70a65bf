"""Inputs that must give one coded error and never a traceback (issue 8, points 5, 6, 7, 9, 11, 12):
the record schema, strict JSON, regular files only, bounded reads, file names that are not UTF-8,
unreadable files and folders, link loops, one limit for one text."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quotebench.core.errors import InputError
from quotebench.core.formats import readers
from quotebench.core.formats.importers import import_paths, read_inputs
from quotebench.core.formats.readers import MAX_BYTES, jsonl_lines, read_articles
from quotebench.core.formats.schema import RecordError, check_record, parse_line
from quotebench.core.model import Article
from quotebench.core.project.store import Store

TEXT = 'Mara Quill said: "The ferry will run again."\n'
QUOTE = {
    "start": 17,
    "end": 44,
    "text": '"The ferry will run again."',
    "kind": "direct",
    "entity": "Mara Quill",
}


def read(*paths: Path | str, **kwargs: int) -> list[Article | InputError]:
    return list(read_articles(paths, **kwargs))


def codes(items: list[Article | InputError]) -> list[str]:
    return [str(i).split("[", 1)[1][:4] if isinstance(i, InputError) else "ok" for i in items]


# --- the record schema ---------------------------------------------------------------------------


GOOD = [
    {"id": "a", "text": TEXT},
    {"id": 7, "text": TEXT, "title": None, "meta": {"anything": [1, 2]}},
    {"id": "a", "text": TEXT, "quotes": [QUOTE]},
    {"quotebench_export": 1, "schema": 2, "speakers": [{"id": 1, "name": "Bob", "aliases": ["B L"]}]},
    {
        "id": "a",
        "document_id": 3,
        "text": TEXT,
        "quotes": [{**QUOTE, "quote_id": 9, "speaker_id": 2**63 - 1}],
    },
]


@pytest.mark.parametrize("record", GOOD)
def test_schema_takes_the_three_shapes(record: dict[str, Any]) -> None:
    check_record(record)


BAD = [
    ({"id": [1, 2], "text": TEXT}, "$.id"),
    ({"id": "a", "text": 5}, "$.text"),
    ({"id": "a", "title": {"t": 1}, "text": TEXT}, "$.title"),
    ({"text": TEXT, "quotes": [{**QUOTE, "text": 5}]}, "$.quotes[0].text"),
    ({"text": TEXT, "quotes": [{**QUOTE, "entity": {"n": "Bob"}}]}, "$.quotes[0].entity"),
    ({"text": TEXT, "quotes": [{**QUOTE, "speaker_id": "x"}]}, "$.quotes[0].speaker_id"),
    ({"text": TEXT, "quotes": [{**QUOTE, "speaker_id": 1.5}]}, "$.quotes[0].speaker_id"),
    ({"text": TEXT, "quotes": [{**QUOTE, "speaker_id": 1.0}]}, "$.quotes[0].speaker_id"),
    ({"text": TEXT, "quotes": [{**QUOTE, "start": True}]}, "$.quotes[0].start"),
    ({"text": TEXT, "quotes": [{**QUOTE, "quote_id": 2**63}]}, "$.quotes[0].quote_id"),
    ({"text": TEXT, "quotes": [{**QUOTE, "confidence": 2}]}, "$.quotes[0].confidence"),
    ({"text": TEXT, "quotes": "none"}, "$.quotes"),
    ({"quotebench_export": 1, "speakers": [{"id": 1, "name": 7}]}, "$.speakers[0].name"),
    ({"quotebench_export": 1, "speakers": [{"id": 1, "name": ["A"]}]}, "$.speakers[0].name"),
    ({"quotebench_export": 1, "speakers": [{"id": 10**30, "name": "B"}]}, "$.speakers[0].id"),
    ({"quotebench_export": 1, "speakers": [{"name": "Bob", "aliases": "Bobby"}]}, "$.speakers[0].aliases"),
    ({"quotebench_export": 1, "speakers": [{"name": "  "}]}, "$.speakers[0].name"),
]


@pytest.mark.parametrize(("record", "path"), BAD)
def test_schema_names_the_bad_value(record: dict[str, Any], path: str) -> None:
    with pytest.raises(RecordError) as err:
        check_record(record)
    assert str(err.value).startswith(f"[E055] bad record at {path}: "), str(err.value)
    assert len(str(err.value)) < 200 and "\n" not in str(err.value)


def test_schema_message_is_short_for_a_huge_value() -> None:
    with pytest.raises(RecordError) as err:
        check_record({"text": TEXT, "title": ["word " * 100_000]})
    assert "$.title" in str(err.value) and len(str(err.value)) < 200


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {"id": "a", "text": "ok \ud800"},
            "[E012] not valid Unicode: a lone surrogate (U+D800) at character 3",
        ),
        ({"id": "a\udc00", "text": "ok"}, "[E056] not valid Unicode at $.id: a lone surrogate (U+DC00)"),
        ({"text": "ok", "quotes": [{"start": 0, "end": 2, "entity": "\ud800"}]}, "at $.quotes[0].entity"),
        ({"text": "ok", "extra": {"k\ud800": 1}}, "[E056] not valid Unicode at $.extra: "),
    ],
)
def test_lone_surrogates_anywhere_are_refused(record: dict[str, Any], expected: str) -> None:
    with pytest.raises(RecordError) as err:
        check_record(record)
    assert expected in str(err.value)
    str(err.value).encode("utf-8")  # the message itself can be printed


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"text": "a", "x": NaN}', "[E005] not JSON: NaN is not a JSON number"),
        ('{"text": "a", "x": -Infinity}', "[E005] not JSON: -Infinity is not a JSON number"),
        ('{"text": "a", "x": ' + "1" * 5000 + "}", "[E005] not JSON: "),
        ("[" * 200_000 + "]" * 200_000, "[E054] not JSON that can be read: nested too deeply"),
        ('{"text": ', "[E005] not JSON: Expecting value (column 10)"),
    ],
    ids=["nan", "infinity", "long-integer", "deep", "cut"],
)
def test_parse_line_is_strict(line: str, expected: str) -> None:
    with pytest.raises(RecordError) as err:
        parse_line(line)
    assert str(err.value).startswith(expected), str(err.value)


# --- extract's reader and import's: deep JSON, wrong types --------------------------------------------


def test_extract_reader_reports_deep_json_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("[" * 200_000 + "]" * 200_000 + "\n" + json.dumps({"id": "b", "text": TEXT}) + "\n")
    bad, good = read(path)
    assert isinstance(bad, InputError) and bad.line == 1 and "[E054]" in str(bad)
    assert isinstance(good, Article) and good.id == "b"


def test_extract_reader_checks_only_what_it_reads(tmp_path: Path) -> None:
    """Extract reads id, title and text: a gold file's other fields are left alone, its own are checked."""
    path = tmp_path / "a.jsonl"
    lines = [
        {"id": "a", "text": TEXT, "quotes": [{"group": 3}], "meta": {"x": float("inf")} and {}},
        {"id": ["a"], "text": TEXT},
        {"id": "c", "title": "t\udc00", "text": TEXT},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    a, b, c = read(path)
    assert isinstance(a, Article) and a.id == "a"
    assert isinstance(b, InputError) and "[E055] bad record at $.id" in str(b) and b.line == 2
    assert isinstance(c, InputError) and "[E056] not valid Unicode at $.title" in str(c) and c.line == 3


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.create(tmp_path / "p.qbproj", annotator="tester") as s:
        yield s


def test_import_stops_at_the_first_bad_record_and_stores_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    good = {"id": "a", "text": TEXT, "quotes": [QUOTE]}
    bad = {"id": "b", "text": "Other text.", "quotes": [{"start": 0, "end": 5, "speaker_id": 10**30}]}
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(InputError) as err:
        import_paths(store, [path])
    assert str(err.value).startswith(f"{path}:2: [E055] bad record at $.quotes[0].speaker_id: ")
    assert store.stats()["documents"] == 0 and store.stats()["quotes"] == 0


def test_import_of_blank_lines_is_empty(tmp_path: Path) -> None:
    (tmp_path / "e.jsonl").write_text("\n\n   \n")
    with pytest.raises(InputError, match=r"e\.jsonl: \[E001\]"):
        read_inputs([tmp_path / "e.jsonl"])


def test_one_limit_for_a_text_in_extract_and_import(tmp_path: Path) -> None:
    """A JSONL text over the limit is E004 naming 10,000,000 in both; a file the same."""
    text = "Ann said that the tide was late. " * (MAX_BYTES // 33 + 10)
    (tmp_path / "long.jsonl").write_text(json.dumps({"id": "l", "text": text}) + "\n")
    (tmp_path / "long.txt").write_text(text)
    size = len(text.encode())
    expected = f"[E004] too large: {size:,} bytes, over the limit of 10,000,000 bytes for one text"
    with pytest.raises(InputError) as err:
        read_inputs([tmp_path / "long.jsonl"])
    assert str(err.value) == f"{tmp_path / 'long.jsonl'}:1: {expected}"
    extracted = read(tmp_path / "long.jsonl", tmp_path / "long.txt")
    assert [str(e) for e in extracted] == [
        f"{tmp_path / 'long.jsonl'}:1: {expected}",
        f"{tmp_path / 'long.txt'}: {expected}",
    ]


def test_a_text_with_escapes_is_measured_as_text_not_as_json(tmp_path: Path) -> None:
    """ensure_ascii JSON takes 6 bytes for a character that UTF-8 writes in 2: the text decides."""
    text = "Анна сказала: «Паром пойдёт». " * 1000  # about 55,000 bytes of UTF-8
    line = json.dumps({"id": "ru", "text": text})  # about 150,000 bytes of \\u escapes
    (tmp_path / "ru.jsonl").write_text(line + "\n")
    size = len(text.encode())
    assert len(line) > 100_000 > size
    (article,) = read(tmp_path / "ru.jsonl", max_bytes=size)
    assert isinstance(article, Article) and article.text == text
    (err,) = read(tmp_path / "ru.jsonl", max_bytes=size - 1)
    assert f"[E004] too large: {size:,} bytes" in str(err)


class Recorder(io.BytesIO):
    """A file that remembers the most it was asked to read at once."""

    largest = 0

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.largest = max(self.largest, len(line))
        return line


def test_the_line_reader_never_holds_more_than_its_limit() -> None:
    fh = Recorder(b'{"text": "a"}\n' + b"x" * 5_000_000 + b"\n" + b'{"text": "b"}\n')
    lines = list(jsonl_lines(fh, 1000))
    assert [(n, line is None, size) for n, line, size in lines] == [
        (1, False, 14),
        (2, True, 5_000_001),
        (3, False, 14),
    ]
    assert fh.largest <= 1 << 20


# --- regular files only ----------------------------------------------------------------------------


@pytest.fixture()
def alarm() -> Iterator[None]:
    """Fail rather than hang if reading blocks."""

    def stuck(*_: Any) -> None:
        raise AssertionError("reading blocked")

    old = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("name", ["fifo.txt", "fifo.jsonl"])
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, alarm: None, name: str) -> None:
    os.mkfifo(tmp_path / name)
    (tmp_path / "good.txt").write_text(TEXT)
    bad, good = read(tmp_path / name, tmp_path / "good.txt")
    assert str(bad) == f"{tmp_path / name}: [E050] not a regular file (a FIFO): only files are read"
    assert isinstance(good, Article)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_without_reading_it(tmp_path: Path, alarm: None, device: str) -> None:
    (tmp_path / "dev.txt").symlink_to(device)
    (tmp_path / "dev.jsonl").symlink_to(device)
    items = read(tmp_path / "dev.txt", tmp_path / "dev.jsonl")
    assert [str(i) for i in items] == [
        f"{tmp_path / n}: [E050] not a regular file (a character device): only files are read"
        for n in ("dev.txt", "dev.jsonl")
    ]


def test_a_socket_is_refused(tmp_path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s.txt"))
        (err,) = read(tmp_path / "s.txt")
    finally:
        sock.close()
    assert "[E050] not a regular file (a socket)" in str(err)


def test_a_fifo_swapped_in_after_the_check_does_not_block(
    tmp_path: Path, alarm: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kind is checked again on the open file: a FIFO that replaces the file is refused."""
    path = tmp_path / "a.txt"
    path.write_text(TEXT)
    real_stat = os.stat
    swapped: list[bool] = []

    def swap(p: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        result = real_stat(p, *args, **kwargs)
        if Path(p) == path and not swapped:
            swapped.append(True)
            path.unlink()
            os.mkfifo(path)
        return result

    monkeypatch.setattr(readers.os, "stat", swap)
    (err,) = read(path)
    assert "[E050] not a regular file (a FIFO)" in str(err)


def test_a_file_is_read_no_further_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that reports a small size but holds more (it grew) is still read only to the limit."""
    path = tmp_path / "grows.txt"
    path.write_text("word " * 1000)
    asked: list[int] = []
    real_fdopen = os.fdopen

    class Spy(io.BufferedReader):
        def read(self, size: int | None = -1) -> bytes:
            asked.append(-1 if size is None else size)
            return super().read(size)

    monkeypatch.setattr(readers.os, "fdopen", lambda fd, mode: Spy(real_fdopen(fd, "rb", buffering=0)))
    (err,) = read(path, max_bytes=1000)
    assert "[E004]" in str(err)
    monkeypatch.setattr(
        readers.os, "fstat", lambda fd: os.stat_result((0o100644, 0, 0, 1, 0, 0, 10, 0, 0, 0))
    )
    (err,) = read(path, max_bytes=1000)
    assert str(err).endswith("[E004] too large: 1,001 bytes, over the limit of 1,000 bytes for one text")
    assert asked == [1001]


# --- names, permissions, loops -----------------------------------------------------------------------

LATIN1 = os.fsdecode(b"caf\xe9.txt")


def test_a_name_that_is_not_utf8_is_shown_with_escapes(tmp_path: Path) -> None:
    (tmp_path / LATIN1).write_text(TEXT)
    (tmp_path / "empty.txt").write_text("")
    (article,) = read(tmp_path / LATIN1)
    assert isinstance(article, Article)
    assert article.id == "caf\\xe9" and article.source == f"{tmp_path}/caf\\xe9.txt"
    json.dumps(article.id, ensure_ascii=False).encode("utf-8")  # printable, storable
    (err,) = read(tmp_path / os.fsdecode(b"gon\xe9.txt"))
    assert str(err) == f"{tmp_path}/gon\\xe9.txt: [E008] no such file or folder"


def test_a_name_that_is_not_utf8_in_a_folder_and_in_jsonl(tmp_path: Path, store: Store) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / LATIN1).write_text(TEXT)
    jsonl = tmp_path / "in" / os.fsdecode(b"d\xe9p\xf4t.jsonl")
    jsonl.write_text(json.dumps({"text": "Tobin Ashgrove said so."}) + "\n")
    items = read(tmp_path / "in")
    assert [getattr(i, "id", None) for i in items] == ["caf\\xe9", "d\\xe9p\\xf4t.jsonl:1"]
    report = import_paths(store, [tmp_path / "in"])
    assert len(report.added) == 2
    sources = {d.source for d in store.documents()}
    assert sources == {f"{tmp_path}/in/caf\\xe9.txt", f"{tmp_path}/in/d\\xe9p\\xf4t.jsonl"}


def test_a_symlink_loop_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").symlink_to(tmp_path / "d" / "b.txt")
    (tmp_path / "d" / "b.txt").symlink_to(tmp_path / "d" / "a.txt")
    items = read(tmp_path / "loop.txt", tmp_path / "d")
    assert [str(i) for i in items] == [
        f"{tmp_path / p}: [E053] symbolic link loop: the link leads back to itself"
        for p in ("loop.txt", "d/a.txt", "d/b.txt")
    ]
    with pytest.raises(InputError, match=r"loop\.txt: \[E053\]"):
        read_inputs([tmp_path / "loop.txt"])


def test_an_unreadable_file_is_a_coded_error_and_the_others_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked.txt").write_text(TEXT)
    (tmp_path / "good.txt").write_text(TEXT)
    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(readers.os, "open", refuse)
    bad, good = read(tmp_path / "locked.txt", tmp_path / "good.txt")
    assert str(bad) == f"{tmp_path / 'locked.txt'}: [E052] cannot read this file: permission denied"
    assert isinstance(good, Article)


def test_an_unreadable_subfolder_is_a_coded_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "locked" / "a.txt").write_text(TEXT)
    (tmp_path / "in" / "z.txt").write_text(TEXT)
    (tmp_path / "in" / "b.txt").write_text(TEXT)
    real_scandir = os.scandir

    def refuse(path: Any = ".") -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    items = read(tmp_path / "in")
    assert codes(items) == ["ok", "E051", "ok"]  # in path order: b.txt, locked/, z.txt
    assert str(items[1]) == f"{tmp_path / 'in' / 'locked'}: [E051] cannot read this folder: permission denied"
    with pytest.raises(InputError, match=r"locked: \[E051\]"):
        read_inputs([tmp_path / "in"])


NOBODY = 65534
as_nobody = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv"
)


@as_nobody
def test_unreadable_inputs_as_an_unprivileged_user(request: pytest.FixtureRequest) -> None:
    """The real thing: files and folders another user cannot read, read by the readers as nobody."""
    work = Path(tempfile.mkdtemp(prefix="qb-nobody-", dir="/tmp"))  # pytest's own folder is root's only
    request.addfinalizer(lambda: shutil.rmtree(work))
    (work / "in" / "locked").mkdir(parents=True)
    (work / "in" / "locked" / "a.txt").write_text(TEXT)
    (work / "in" / "good.txt").write_text(TEXT)
    (work / "locked.txt").write_text(TEXT)
    (work / "locked.txt").chmod(0)
    (work / "in" / "locked").chmod(0)
    for p in (work, work / "in"):
        p.chmod(0o755)
    script = (
        "import sys\n"
        "from quotebench.core.formats.readers import read_articles\n"
        "for item in read_articles(sys.argv[1:]):\n"
        "    print(item if isinstance(item, Exception) else 'article ' + item.id)\n"
    )
    argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    done = subprocess.run(
        [*argv, sys.executable, "-c", script, str(work / "locked.txt"), str(work / "in")],
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
    )
    if "Permission denied" in done.stderr and "python" in done.stderr:
        pytest.skip("nobody cannot run this interpreter here")
    assert done.stdout.splitlines() == [
        f"{work / 'locked.txt'}: [E052] cannot read this file: permission denied",
        "article good",
        f"{work / 'in' / 'locked'}: [E051] cannot read this folder: permission denied",
    ], done.stderr
