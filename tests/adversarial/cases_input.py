"""Issue 8, points 5 to 9: import records of the wrong types, deep JSON, file names that are not
UTF-8, damaged project files, and inputs that never end."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path

from harness import TIME, Result, Row, article, digest, integrity, plain_article, qb, snapshot
from harness import write_jsonl as jsonl
from registry import Ctx, case

# --- 5. import records of the wrong types --------------------------------------------------------

_HEADER = {
    "quotebench_export": 1,
    "schema": 2,
    "accepted_only": False,
    "speakers": [{"id": 1, "name": "Bob Lark", "type": "person", "notes": "", "aliases": ["Bobby L"]}],
}


def _export_doc(**quote_changes: object) -> dict[str, object]:
    """A project-export document line (new text) with one quote, changed as asked."""
    rec = article(900, 1)
    q = dict(rec["quotes"][0])  # type: ignore[index]
    q.update({"speaker_id": 1, "entity": "Bob Lark", "status": "accepted", "quote_id": 5001})
    q.update(quote_changes)
    return {"id": "n900", "title": "n900", "source": "s", "text": rec["text"], "quotes": [q]}


def _schema_doc(field: str, value: object, in_quote: bool = True) -> dict[str, object]:
    rec = article(901, 1)
    if in_quote:
        rec["quotes"][0][field] = value  # type: ignore[index]
    else:
        rec[field] = value
    return rec


# (id, label, lines of the file as JSON values or raw strings, the line at fault)
_RECORDS: list[tuple[str, str, list[object], int]] = [
    ("5a", "quote text a number", [article(800), _schema_doc("text", 5)], 2),
    ("5b", "entity a number", [article(800), _schema_doc("entity", 42)], 2),
    ("5c", "speaker name a number", [{**_HEADER, "speakers": [{"id": 1, "name": 7}]}, _export_doc()], 1),
    (
        "5d",
        "speaker name a list",
        [{**_HEADER, "speakers": [{"id": 1, "name": ["A", "B"]}]}, _export_doc()],
        1,
    ),
    ("5e", "quote_id 10**30", [_HEADER, _export_doc(quote_id=10**30)], 2),
    (
        "5f",
        "speaker id 10**30",
        [{**_HEADER, "speakers": [{"id": 10**30, "name": "Bob Lark"}]}, _export_doc()],
        1,
    ),
    ("5g", 'speaker_id "x"', [_HEADER, _export_doc(speaker_id="x")], 2),
    ("5h", "lone surrogate in id", [article(800), '{"id": "a\\ud800", "text": "Ann said: \\"Yes.\\""}'], 2),
    (
        "5i",
        "lone surrogate in title",
        [article(800), '{"id": "t", "title": "\\udc00", "text": "Ann said so."}'],
        2,
    ),
    ("5j", "lone surrogate in entity", [article(800), _schema_doc("entity", "\ud800")], 2),
    ("5k", '"id": [1, 2]', [article(800), _schema_doc("id", [1, 2], in_quote=False)], 2),
    (
        "5l",
        'aliases "Bobby" (a string)',
        [{**_HEADER, "speakers": [{"id": 1, "name": "Bob", "aliases": "Bobby"}]}],
        1,
    ),
    ("5m", 'entity {"n": "Bob"}', [article(800), _schema_doc("entity", {"n": "Bob"})], 2),
    ("5n", "speaker_id 1.5", [_HEADER, _export_doc(speaker_id=1.5)], 2),
    ("5o", "confidence NaN", [article(800), _schema_doc("confidence", float("nan"))], 2),
]


def _dump(value: object) -> str:
    if isinstance(value, str):
        return value
    # lone surrogates as \u escapes, NaN as the bare word Python's json writes
    return json.dumps(value, ensure_ascii=True)


def _bad_record(ctx: Ctx, cid: str, lines: list[object], line: int) -> Row:
    d = ctx.folder(f"5-{cid}")
    project = ctx.project(d)
    src = d / "bad.jsonl"
    src.write_text("\n".join(_dump(v) for v in lines) + "\n", encoding="utf-8")
    before = snapshot(project)
    res = qb("import", project, src)
    after = snapshot(project)
    refused = res.refused(f"bad.jsonl:{line}") and after.same(before)
    added = {t: after.counts.get(t, 0) - n for t, n in before.counts.items() if after.counts.get(t, 0) != n}
    return Row.of("", res, after.holds(before), refused, f"added: {added}" if added else "")


def _bad_record_case(cid: str, lines: list[object], line: int) -> Callable[[Ctx], Row]:
    return lambda ctx: _bad_record(ctx, cid, lines, line)


for _cid, _label, _lines, _line in _RECORDS:
    case(f"{_cid} import {_label}")(_bad_record_case(_cid, _lines, _line))


@case("5p import a well-formed export (control)")
def _good_export(ctx: Ctx) -> Row:
    d = ctx.folder("5-good")
    project = ctx.project(d)
    before = snapshot(project)
    res = qb("import", project, jsonl(d / "good.jsonl", [_HEADER, _export_doc()]))
    after = snapshot(project)
    return Row.of(
        "",
        res,
        after.holds(before),
        res.exit == 0,
        f"quotes {before.counts['quotes']} -> {after.counts.get('quotes')}",
    )


# --- 6. deep JSON --------------------------------------------------------------------------------

_DEEP = "[" * 200_000 + "]" * 200_000


@case("6a extract deep.jsonl good.txt")
def _deep_extract(ctx: Ctx) -> Row:
    d = ctx.folder("6-extract")
    deep = d / "deep.jsonl"
    deep.write_text(_DEEP + "\n", encoding="utf-8")
    good = d / "good.txt"
    good.write_text(plain_article(2), encoding="utf-8")
    res = qb("extract", deep, good)
    later = b'"id": "good"' in res.stdout or b'"id":"good"' in res.stdout
    return Row.of("", res, later, res.refused("deep.jsonl:1"), "" if later else "good.txt not extracted")


@case("6b import deep.jsonl")
def _deep_import(ctx: Ctx) -> Row:
    d = ctx.folder("6-import")
    project = ctx.project(d)
    deep = d / "deep.jsonl"
    deep.write_text(_DEEP + "\n", encoding="utf-8")
    before = snapshot(project)
    res = qb("import", project, deep)
    after = snapshot(project)
    return Row.of("", res, after.holds(before), res.refused("deep.jsonl:1") and after.same(before))


# --- 7. file names that are not UTF-8 ------------------------------------------------------------

_LATIN1 = os.fsencode("caf") + b"\xe9.txt"


@case("7a extract caf\\xe9.txt good.txt (stdout)")
def _latin1_extract(ctx: Ctx) -> Row:
    d = ctx.folder("7-extract")
    (Path(os.fsdecode(os.fsencode(d) + b"/" + _LATIN1))).write_text(plain_article(3), encoding="utf-8")
    (d / "good.txt").write_text(plain_article(4), encoding="utf-8")
    res = qb("extract", os.fsencode(d) + b"/" + _LATIN1, d / "good.txt")
    try:
        n = len([json.loads(x) for x in res.stdout.decode("utf-8").splitlines()])
        note = f"{n} record(s), valid UTF-8"
    except UnicodeDecodeError as err:
        n, note = -1, f"stdout not UTF-8 (byte {err.start})"
    return Row.of("", res, n == 2, res.exit == 0 and n == 2, note)


@case("7b import caf\\xe9.txt good.txt")
def _latin1_import(ctx: Ctx) -> Row:
    d = ctx.folder("7-import")
    project = ctx.project(d)
    Path(os.fsdecode(os.fsencode(d) + b"/" + _LATIN1)).write_text(plain_article(3), encoding="utf-8")
    (d / "good.txt").write_text(plain_article(4), encoding="utf-8")
    before = snapshot(project)
    res = qb("import", project, os.fsencode(d) + b"/" + _LATIN1, d / "good.txt")
    after = snapshot(project)
    added = after.counts.get("documents", 0) - before.counts["documents"]
    return Row.of("", res, after.holds(before), res.exit == 0 and added == 2, f"{added} document(s) added")


# --- 8. damaged project files ----------------------------------------------------------------------


def _damaged(ctx: Ctx, n_flips: int = 12) -> list[Path]:
    """Copies of the base project with one byte flipped (seeded) or cut short."""
    d = ctx.folder("8-damaged")
    data = ctx.base.read_bytes()
    rnd = random.Random(8)
    out: list[Path] = []
    for i in range(n_flips):
        pos = rnd.randrange(100, len(data))
        bad = bytearray(data)
        bad[pos] ^= 1 << rnd.randrange(8)
        out.append(d / f"flip{i:02d}-{pos}.qbproj")
        out[-1].write_bytes(bytes(bad))
    for frac in (0.1, 0.5, 0.9):
        out.append(d / f"cut{int(frac * 100):02d}.qbproj")
        out[-1].write_bytes(data[: int(len(data) * frac)])
    return out


_DAMAGED: list[Path] = []


def _on_damaged(ctx: Ctx, label: str, *args: str) -> Row:
    if not _DAMAGED:
        _DAMAGED.extend(_damaged(ctx))
    good = ctx.folder(f"8-{label}")
    src = jsonl(good / "more.jsonl", [article(700)])
    codes: dict[str, int] = {}
    tracebacks = unchanged = bad_writes = unexplained = 0
    first = ""
    for path in _DAMAGED:
        work = good / path.name
        work.write_bytes(path.read_bytes())
        sound = integrity(work) == "ok"
        before = digest(work)
        argv = [a.replace("{P}", str(work)).replace("{OUT}", str(good / "out")) for a in args]
        res = qb(*(src if a == "{SRC}" else a for a in argv))
        codes[str(res.exit)] = codes.get(str(res.exit), 0) + 1
        tracebacks += res.traceback
        first = first or (res.first_line if res.traceback or res.exit else "")
        if digest(work) == before:
            unchanged += 1
        if not sound and args[0] == "import" and res.exit == 0:
            bad_writes += 1
        if res.exit not in (0,) and not res.traceback and res.coded_line() is None:
            unexplained += 1
        if not sound and res.exit == 1 and not any(w in res.stderr for w in ("backup", "recover")):
            unexplained += 1
    n = len(_DAMAGED)
    exits = " ".join(f"{k}x{v}" for k, v in sorted(codes.items()))
    intact = bad_writes == 0 and (args[0] == "import" or unchanged == n)
    ok = tracebacks == 0 and unexplained == 0 and intact
    note = (
        f"{n} files: {tracebacks} traceback(s), {bad_writes} write(s) into damaged, {unexplained} unexplained"
    )
    return Row("", exits, first, tracebacks > 0, intact, ok, note)


case("8a stats on damaged projects")(lambda ctx: _on_damaged(ctx, "stats", "stats", "{P}"))
case("8b export jsonl from damaged projects")(
    lambda ctx: _on_damaged(ctx, "jsonl", "export", "{P}", "--format", "jsonl", "-o", "{OUT}")
)
case("8c export tei from damaged projects")(
    lambda ctx: _on_damaged(ctx, "tei", "export", "{P}", "--format", "tei", "-o", "{OUT}")
)
case("8d import into damaged projects")(lambda ctx: _on_damaged(ctx, "import", "import", "{P}", "{SRC}"))


# --- 9. inputs that never end --------------------------------------------------------------------

_AS_LIMIT = 3 << 30  # address space for the /dev/zero cases: a MemoryError, not the machine's memory


def _device(ctx: Ctx, command: str, device: str) -> Row:
    d = ctx.folder(f"9-{command}-{Path(device).name}")
    name = "fifo.txt" if device == "fifo" else f"{Path(device).name}.txt"
    if device == "fifo":
        os.mkfifo(d / name)
    else:
        (d / name).symlink_to(device)
    good = d / "good.txt"
    good.write_text(plain_article(5), encoding="utf-8")
    timeout = 30.0 if device == "fifo" else 120.0
    if command == "extract":
        res = qb("extract", d / name, good, timeout=timeout, memory=_AS_LIMIT, measure=True)
        later = b"good" in res.stdout
        return Row.of("", res, later, res.refused(name), _rss(res))
    project = ctx.project(d)
    before = snapshot(project)
    res = qb("import", project, d / name, good, timeout=timeout, memory=_AS_LIMIT, measure=True)
    after = snapshot(project)
    return Row.of("", res, after.holds(before), res.refused(name) and after.same(before), _rss(res))


def _rss(res: Result) -> str:
    if res.rss_kb is None:
        return "peak RSS unknown (no /usr/bin/time)" if not TIME.exists() else ""
    return f"peak RSS {res.rss_kb / 1024:,.0f} MB"


case("9a extract zero.txt -> /dev/zero")(lambda ctx: _device(ctx, "extract", "/dev/zero"))
case("9b import zero.txt -> /dev/zero")(lambda ctx: _device(ctx, "import", "/dev/zero"))
case("9c extract urandom.txt -> /dev/urandom")(lambda ctx: _device(ctx, "extract", "/dev/urandom"))
case("9d extract fifo.txt (FIFO)")(lambda ctx: _device(ctx, "extract", "fifo"))
case("9e import fifo.txt (FIFO)")(lambda ctx: _device(ctx, "import", "fifo"))


def _long_line(ctx: Ctx, megabytes: int) -> Row:
    """Import one JSONL line of ``megabytes``: refused, and read no further than the limit."""
    d = ctx.folder(f"9-line-{megabytes}")
    project = ctx.project(d)
    src = d / "long.jsonl"
    with src.open("w", encoding="ascii") as fh:
        fh.write('{"id": "long", "text": "')
        chunk = "Ann said that the tide was late. " * 32_000  # about 1 MB
        for _ in range(megabytes):
            fh.write(chunk)
        fh.write('"}\n')
    small = jsonl(d / "small.jsonl", [{"id": "s", "text": plain_article(6)}])
    base = qb("import", ctx.project(ctx.folder("9-line-base")), small, measure=True)
    res = qb("import", project, src, measure=True)
    src.unlink()
    grew = (res.rss_kb or 0) - (base.rss_kb or 0)
    bounded = res.rss_kb is None or grew < 30 * 1024
    note = f"{_rss(res)}, {grew / 1024:,.0f} MB over a small import" if res.rss_kb else _rss(res)
    return Row.of("", res, None, res.refused("long.jsonl:1", "E004") and bounded, note)


case("9f import a 150 MB JSONL line (memory)")(lambda ctx: _long_line(ctx, 150))
case("9g import a 500 MB JSONL line (memory)", huge=True)(lambda ctx: _long_line(ctx, 500))


@case("9h extract a 50 MB .txt (memory)", huge=True)
def _huge_text(ctx: Ctx) -> Row:
    d = ctx.folder("9-50mb")
    src = d / "big.txt"
    with src.open("w", encoding="ascii") as fh:
        for _ in range(50):
            fh.write("Ann said that the tide was late. " * 32_000)
    res = qb("extract", src, measure=True)
    src.unlink()
    return Row.of("", res, None, res.refused("big.txt", "E004"), _rss(res))
