"""Issue 8, points 10 to 15: read-only folders, unreadable inputs, symlink loops, a full disk, and
the fidelity and memory of exports."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness import NOBODY, QUOTEBENCH, SETPRIV, TIME, Row, article, make_project, plain_article, qb, snapshot
from harness import write_jsonl as jsonl
from registry import Ctx, case

_READ_ONLY = re.compile(r"read-only|read only|readonly", re.I)


def _nobody_can_run() -> str | None:
    """Why the unprivileged user cannot run the command here, or None."""
    if os.geteuid() != 0:
        return "not root: cannot switch to an unprivileged user"
    if SETPRIV is None:
        return "setpriv is not installed"
    probe = subprocess.run(
        [
            SETPRIV,
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            "--",
            str(QUOTEBENCH),
            "--version",
        ],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        return f"user {NOBODY} cannot run {QUOTEBENCH} (is the venv path traversable?)"
    return None


# --- 10. a project in a read-only folder --------------------------------------------------------------


def _read_only(ctx: Ctx, command: str) -> Row:
    if why := _nobody_can_run():
        return Row.skip("", why)
    d = ctx.folder(f"10-{command}")
    out = ctx.folder("10-out")
    os.chown(out, NOBODY, NOBODY)
    project = ctx.project(d)
    os.chown(project, NOBODY, NOBODY)  # the file is writable, its folder is not
    src = jsonl(out / "more.jsonl", [article(600)])
    os.chmod(d, 0o555)
    before = snapshot(project)
    commands: dict[str, list[str | Path]] = {
        "stats": ["stats", project],
        "export": ["export", project, "--format", "jsonl", "-o", out / "out.jsonl"],
        "import": ["import", project, src],
    }
    argv = commands[command]
    res = qb(*argv, user=NOBODY)
    os.chmod(d, 0o755)
    after = snapshot(project)
    says = bool(_READ_ONLY.search(res.stderr)) and "not a SQLite database" not in res.stderr
    ok = (res.exit == 0 or says) if command != "import" else (res.refused() and says)
    return Row.of("", res, after.holds(before), ok)


case("10a stats, project in read-only folder")(lambda ctx: _read_only(ctx, "stats"))
case("10b export, project in read-only folder")(lambda ctx: _read_only(ctx, "export"))
case("10c import, project in read-only folder")(lambda ctx: _read_only(ctx, "import"))


# --- 11. unreadable inputs ---------------------------------------------------------------------------


def _unreadable(ctx: Ctx, command: str, what: str) -> Row:
    if why := _nobody_can_run():
        return Row.skip("", why)
    d = ctx.folder(f"11-{command}-{what}")
    os.chown(d, NOBODY, NOBODY)
    good = d / "good.txt"
    good.write_text(plain_article(7), encoding="utf-8")
    if what == "file":
        locked = d / "locked.txt"
        locked.write_text(plain_article(8), encoding="utf-8")
        locked.chmod(0)
        inputs: list[Path] = [locked, good]
    else:
        locked = d / "articles" / "locked"
        locked.mkdir(parents=True)
        (locked / "a.txt").write_text(plain_article(8), encoding="utf-8")
        good = d / "articles" / "good.txt"
        good.write_text(plain_article(7), encoding="utf-8")
        locked.chmod(0)
        inputs = [d / "articles"]
    if command == "extract":
        res = qb("extract", *inputs, user=NOBODY)
        later = b"good" in res.stdout
        return Row.of("", res, None, res.refused(locked.name) and later, "" if later else "good.txt not read")
    project = ctx.project(d)
    os.chown(project, NOBODY, NOBODY)
    before = snapshot(project)
    res = qb("import", project, *inputs, user=NOBODY)
    after = snapshot(project)
    return Row.of("", res, after.holds(before), res.refused(locked.name) and after.same(before))


case("11a extract locked.txt good.txt (unreadable file)")(lambda ctx: _unreadable(ctx, "extract", "file"))
case("11b import locked.txt good.txt (unreadable file)")(lambda ctx: _unreadable(ctx, "import", "file"))
case("11c extract folder with unreadable subfolder")(lambda ctx: _unreadable(ctx, "extract", "folder"))
case("11d import folder with unreadable subfolder")(lambda ctx: _unreadable(ctx, "import", "folder"))


# --- 12. honest messages -------------------------------------------------------------------------------


def _loop(ctx: Ctx, command: str) -> Row:
    d = ctx.folder(f"12-loop-{command}")
    (d / "loop.txt").symlink_to(d / "loop.txt")
    if command == "extract":
        res = qb("extract", d / "loop.txt")
    else:
        res = qb("import", ctx.project(d), d / "loop.txt")
    honest = "E008" not in res.stderr and re.search(r"loop|too many levels", res.stderr, re.I) is not None
    return Row.of("", res, None, res.refused("loop.txt") and honest)


case("12a extract symlink loop")(lambda ctx: _loop(ctx, "extract"))
case("12b import symlink loop")(lambda ctx: _loop(ctx, "import"))


@contextmanager
def _small_disk(folder: Path, size: str = "2m") -> Iterator[Path | None]:
    """A tmpfs of ``size`` mounted on ``folder``, or None where mounting is not permitted."""
    folder.mkdir(exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)


_NO_MOUNT = "cannot mount a small file system here"


@case("12c import onto a full disk")
def _full_import(ctx: Ctx) -> Row:
    d = ctx.folder("12-full")
    src = jsonl(d / "many.jsonl", [article(300 + n, 10) for n in range(600)])  # about 3 MB of text
    with _small_disk(d / "disk") as disk:
        if disk is None:
            return Row.skip("", _NO_MOUNT)
        project = ctx.project(disk)
        before = snapshot(project)
        res = qb("import", project, src)
        after = snapshot(project)
    line = res.coded_line() or ""
    honest = "many.jsonl:" not in line and re.search(r"disk|space|full", line, re.I) is not None
    return Row.of("", res, after.same(before), res.refused() and honest, f"error line: {line[:60]}")


@case("12d import a file of empty lines")
def _empty_lines(ctx: Ctx) -> Row:
    d = ctx.folder("12-empty")
    src = d / "empty.jsonl"
    src.write_text("\n\n   \n\n", encoding="utf-8")
    project = ctx.project(d)
    before = snapshot(project)
    res = qb("import", project, src)
    return Row.of("", res, snapshot(project).holds(before), res.refused("empty.jsonl", "E001"))


@case("12e import a 12 MB JSONL line: E004 names 10,000,000")
def _limit_named(ctx: Ctx) -> Row:
    d = ctx.folder("12-limit")
    src = d / "long.jsonl"
    src.write_text('{"id": "l", "text": "' + "Ann said that the tide was late. " * 380_000 + '"}\n')
    project = ctx.project(d)
    before = snapshot(project)
    res = qb("import", project, src)
    src.unlink()
    after = snapshot(project)
    return Row.of(
        "", res, after.holds(before), res.refused("long.jsonl", "E004", "10,000,000") and after.same(before)
    )


@case("12f suggest stopped by a full disk")
def _full_suggest(ctx: Ctx) -> Row:
    d = ctx.folder("12-suggest")
    with _small_disk(d / "disk", "1m") as disk:
        if disk is None:
            return Row.skip("", _NO_MOUNT)
        project = disk / "s.qbproj"
        qb("new", project)
        qb(
            "import",
            project,
            jsonl(d / "plain.jsonl", [{"id": f"p{n}", "text": plain_article(n)} for n in range(60)]),
        )
        free = shutil.disk_usage(disk).free
        (disk / "filler").write_bytes(b"\0" * max(0, free - 96 * 1024))
        res = qb("suggest", project)
        sound = snapshot(project).integrity == "ok"
    told = re.search(r"\d+ of \d+ document", res.stderr) is not None
    last = [line for line in res.stderr.splitlines() if line.strip()][-1:] or [""]
    note = "says how many were saved" if told else f"last line: {last[0].strip()[:70]}"
    return Row.of("", res, sound, res.exit == 1 and told, note)


# --- 13, 14. fidelity of TEI and brat ----------------------------------------------------------------


@case("13a TEI: CRLF text reads back equal")
def _tei_crlf(ctx: Ctx) -> Row:
    d = ctx.folder("13-tei")
    project = d / "p.qbproj"
    qb("new", project)
    rec = article(500, 4, crlf=True)
    qb("import", project, jsonl(d / "crlf.jsonl", [rec]))
    res = qb("export", project, "--format", "tei", "-o", d / "out.xml")
    try:
        ab = next(e for e in ET.parse(d / "out.xml").iter() if e.tag.endswith("}ab"))
        back = "".join(ab.itertext())
    except (ET.ParseError, StopIteration, OSError) as err:
        return Row.of("", res, False, False, f"no TEI text: {err}")
    same = back == rec["text"]
    note = "equal" if same else f"read back {len(back)} chars, stored {len(str(rec['text']))}"
    return Row.of("", res, same, res.exit == 0 and same, note)


_BRAT_LINE = re.compile(r"^(T\d+\t\w+ \d+ \d+(;\d+ \d+)*\t.*|[AR]\d+\t\S.*|\*\t\S.*|#\d+\t\S.*)$")


@case("14a brat: \\r \\x0b \\x0c \\x85 \\u2028 inside a quote")
def _brat_separators(ctx: Ctx) -> Row:
    d = ctx.folder("14-brat")
    project = d / "p.qbproj"
    qb("new", project)
    said = '"One\rtwo\x0bthree\x0cfour\x85five\u2028six\u2029seven\x1cend."'
    text = f"Mara Quill said: {said}\nThe end.\n"
    start = text.index(said)
    q = {"start": start, "end": start + len(said), "text": said, "kind": "direct", "entity": "Mara Quill"}
    qb("import", project, jsonl(d / "sep.jsonl", [{"id": "sep", "text": text, "quotes": [q]}]))
    res = qb("export", project, "--format", "brat", "-o", d / "out")
    anns = sorted((d / "out").glob("*.ann"))
    if not anns:
        return Row.of("", res, False, False, "no .ann written")
    lines = anns[0].read_text(encoding="utf-8").splitlines()
    bad = [line for line in lines if not _BRAT_LINE.match(line)]
    return Row.of(
        "", res, not bad, res.exit == 0 and not bad, f"{len(bad)} broken .ann line(s) of {len(lines)}"
    )


# --- 15. DocBin memory ----------------------------------------------------------------------------------


def _docbin_memory(ctx: Ctx, small: int, big: int, allowance_mb: int) -> Row:
    if not TIME.exists():
        return Row.skip("", "/usr/bin/time is absent (apt-get install -y time): no peak memory")
    rss: list[int] = []
    last = None
    for n in (small, big):
        d = ctx.folder(f"15-{n}")
        project = make_project(d, "p.qbproj", docs=n, quotes=10)
        last = qb("export", project, "--format", "docbin", "-o", d / "out.spacy", measure=True)
        if last.exit != 0 or last.rss_kb is None:
            return Row.of("", last, None, False, "export failed")
        rss.append(last.rss_kb)
        shutil.rmtree(d)
    grew = (rss[1] - rss[0]) / 1024
    note = f"peak {rss[0] / 1024:,.0f} MB at {small}, {rss[1] / 1024:,.0f} MB at {big} docs (+{grew:,.0f} MB)"
    assert last is not None
    return Row.of("", last, None, grew < allowance_mb, note)


case("15a docbin memory 100 vs 400 docs")(lambda ctx: _docbin_memory(ctx, 100, 400, 25))
case("15b docbin memory 1000 vs 5000 docs", huge=True)(lambda ctx: _docbin_memory(ctx, 1000, 5000, 60))
