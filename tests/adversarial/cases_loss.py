"""Issue 8, points 1 to 4: outputs that overwrite the project or the input, killed writes, and
a project file that is not whole while a store is open."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from harness import Result, Row, article, digest, kill_when_changed, make_project, plain_article, qb, snapshot
from harness import write_jsonl as jsonl
from registry import Ctx, case

# --- 1. export -o the project itself -------------------------------------------------------------


def _export_onto_project(ctx: Ctx, fmt: str, how: str) -> Row:
    d = ctx.folder(f"1-{fmt}-{how}")
    project = ctx.project(d)
    before = snapshot(project)
    cwd: Path | None = None
    hold: sqlite3.Connection | None = None
    if how == "same":
        out = str(project)
    elif how == "symlink":
        (d / "out.link").symlink_to(project)
        out = str(d / "out.link")
    elif how == "relative":
        (d / "sub").mkdir()
        cwd, out = d, "sub/../p.qbproj"
    elif how == "hardlink":
        os.link(project, d / "hard.xml")
        out = str(d / "hard.xml")
    else:  # the -wal of a project some other program has open
        hold = sqlite3.connect(project)
        hold.execute("SELECT count(*) FROM quotes").fetchone()
        out = f"{project}-wal"
    res = qb("export", project, "--format", fmt, "-o", out, cwd=cwd)
    if hold is not None:
        hold.close()
    after = snapshot(project)
    return Row.of("", res, after.same(before), res.refused(), f"after: {after.error or after.counts}")


def _onto_project_case(fmt: str) -> Callable[[Ctx], Row]:
    return lambda ctx: _export_onto_project(ctx, fmt, "same")


for _letter, _fmt in zip("abcd", ("tei", "docbin", "csv", "jsonl"), strict=True):
    case(f"1{_letter} export -o project ({_fmt})")(_onto_project_case(_fmt))
case("1e export -o symlink to project (jsonl)")(lambda ctx: _export_onto_project(ctx, "jsonl", "symlink"))
case("1f export -o sub/../project (tei)")(lambda ctx: _export_onto_project(ctx, "tei", "relative"))
case("1g export -o hard link of project (tei)")(lambda ctx: _export_onto_project(ctx, "tei", "hardlink"))
case("1h export -o project-wal, project open (jsonl)")(lambda ctx: _export_onto_project(ctx, "jsonl", "wal"))


# --- 2. extract X -o X ---------------------------------------------------------------------------


def _extract_onto_input(ctx: Ctx, kind: str) -> Row:
    d = ctx.folder(f"2-{kind}")
    if kind == "jsonl":
        src = jsonl(d / "in.jsonl", [{"id": "a", "text": plain_article(1)}])
        out = str(src)
    else:
        src = d / "in.txt"
        src.write_text(plain_article(1), encoding="utf-8")
        out = str(src)
        if kind == "symlink":
            (d / "out.txt").symlink_to(src)
            out = str(d / "out.txt")
    before = digest(src)
    res = qb("extract", src, "-o", out)
    return Row.of("", res, digest(src) == before, res.refused())


case("2a extract a.txt -o a.txt")(lambda ctx: _extract_onto_input(ctx, "txt"))
case("2b extract a.jsonl -o a.jsonl")(lambda ctx: _extract_onto_input(ctx, "jsonl"))
case("2c extract a.txt -o link-to-a.txt")(lambda ctx: _extract_onto_input(ctx, "symlink"))


# --- 3. a killed re-export leaves the previous export ----------------------------------------------

_BIG_DOCS = 300


def _big_project(ctx: Ctx) -> Path:
    d = ctx.folder("3-big")
    return make_project(d, "big.qbproj", docs=_BIG_DOCS, quotes=10)


def _jsonl_whole(path: Path) -> bool:
    lines = path.read_text(encoding="utf-8").splitlines()
    return len(lines) == _BIG_DOCS + 1 and all(json.loads(line) for line in lines)


def _tei_whole(path: Path) -> bool:
    tree = ET.parse(path)
    return len([e for e in tree.iter() if e.get("type") == "article"]) == _BIG_DOCS


def _csv_whole(path: Path) -> bool:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return len(rows) == _BIG_DOCS * 10 + 1 and len(set(map(len, rows))) == 1


def _killed_export(ctx: Ctx, fmt: str, whole: Callable[[Path], bool] | None) -> Row:
    project = _big_project(ctx)
    # the output has a folder of its own: the project's -wal and -shm come and go beside the project
    (project.parent / "exports").mkdir()
    out = (
        project.parent
        / "exports"
        / {"jsonl": "out.jsonl", "tei": "out.xml", "csv": "out.csv", "brat": "out"}[fmt]
    )
    first = qb("export", project, "--format", fmt, "-o", out)
    if first.exit != 0:
        return Row.of("", first, None, False, "the first export failed")
    kept = digest(out)
    what = kill_when_changed(["export", str(project), "--format", fmt, "-o", str(out)], out)
    try:
        intact = whole(out) if whole else digest(out) == kept
    except (ValueError, OSError, ET.ParseError):
        intact = False
    res = Result([], f"SIGKILL ({what})", b"", "")
    return Row.of(
        "", res, intact, intact, f"re-export {what}; previous export {'whole' if intact else 'damaged'}"
    )


case("3a killed re-export (jsonl)")(lambda ctx: _killed_export(ctx, "jsonl", _jsonl_whole))
case("3b killed re-export (tei)")(lambda ctx: _killed_export(ctx, "tei", _tei_whole))
case("3c killed re-export (csv)")(lambda ctx: _killed_export(ctx, "csv", _csv_whole))
case("3d killed re-export (brat folder)")(lambda ctx: _killed_export(ctx, "brat", None))


@case("3e killed extract -o (previous output)")
def _killed_extract(ctx: Ctx) -> Row:
    d = ctx.folder("3-extract")
    small = jsonl(d / "small.jsonl", [{"id": f"s{n}", "text": plain_article(n)} for n in range(3)])
    many = jsonl(d / "many.jsonl", [{"id": f"m{n}", "text": plain_article(n) * 20} for n in range(200)])
    (d / "out").mkdir()
    out = d / "out" / "quotes.jsonl"
    first = qb("extract", small, "-o", out)
    if first.exit != 0:
        return Row.of("", first, None, False, "the first extract failed")
    kept = out.read_bytes()
    what = kill_when_changed(["extract", str(many), "-o", str(out)], out)
    now = out.read_bytes() if out.exists() else b""
    try:
        complete = len([json.loads(x) for x in now.decode().splitlines()]) == 200
    except ValueError:
        complete = False
    intact = now == kept or complete
    res = Result([], f"SIGKILL ({what})", b"", "")
    return Row.of("", res, intact, intact, f"{len(now):,} of {len(kept):,} bytes left")


# --- 4. the .qbproj alone while a store is open ------------------------------------------------------


def _open_elsewhere(project: Path) -> sqlite3.Connection:
    """Another program (the window) with the project open, idle."""
    hold = sqlite3.connect(project)
    hold.execute("SELECT count(*) FROM quotes").fetchone()
    return hold


@case("4a copy of .qbproj alone, store open elsewhere")
def _copy_while_open(ctx: Ctx) -> Row:
    d = ctx.folder("4-copy")
    project = ctx.project(d)
    hold = _open_elsewhere(project)
    try:
        extra = jsonl(d / "more.jsonl", [article(100 + n) for n in range(10)])  # 100 quotes
        res = qb("import", project, extra)
        time.sleep(1.5)  # "checkpoint when idle, about a second after the last edit"
        shutil.copyfile(project, d / "copy.qbproj")
        live = snapshot(project)
    finally:
        hold.close()
    copy = snapshot(d / "copy.qbproj")
    got, want = copy.counts.get("quotes", 0), live.counts.get("quotes", -1)
    return Row.of("", res, got == want, res.exit == 0, f"copy holds {got} of {want} quotes")


@case("4b quotebench backup PROJECT OUT")
def _backup(ctx: Ctx) -> Row:
    d = ctx.folder("4-backup")
    project = ctx.project(d)
    hold = _open_elsewhere(project)
    try:
        res = qb("backup", project, d / "backup.qbproj")
    finally:
        hold.close()
    live, copy = snapshot(project), snapshot(d / "backup.qbproj")
    good = res.exit == 0 and copy.same(live)
    return Row.of("", res, None, good, f"backup: {copy.error or copy.counts}")
