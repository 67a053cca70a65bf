"""Hostile inputs through the real ``quotebench`` command line (issue 8: nothing lost, never a traceback).

Run from the repository:

    .venv/bin/python tests/adversarial/run.py [--huge] [--json OUT] [--only PATTERN] [--strict]

Each case of issue 8 (points 1 to 15; point 16, two windows, is a GUI matter and not here) runs
the ``quotebench`` console script next to this interpreter in a fresh temporary folder under
/tmp, with a timeout per command, and prints one row: the case, the exit status, the first line
of standard error, whether a Python traceback was printed, whether the data survived (the
project's row counts and ``PRAGMA integrity_check``, the input's bytes, the previous export) and
whether the behaviour is what the issue asks for. A last line sums it up.

- ``--huge`` adds the expensive cases (a 50 MB text, a 500 MB JSONL line, DocBin exports of
  1,000 and 5,000 documents) with their peak memory, read from ``/usr/bin/time -v``
  (``apt-get install -y time`` if it is absent; those rows then say so).
- ``--json OUT`` writes the figures as one flat JSON object.
- ``--only PATTERN`` runs the cases whose id contains PATTERN (e.g. ``--only 8`` or ``--only tei``).
- ``--strict`` exits 1 if any row fails; without it the exit status is 0 (it is a report).

Cases that need an unprivileged user (read-only folder, unreadable files) run through
``setpriv`` as uid 65534 when run as root; the disk-full cases mount a 1-2 MB tmpfs, and are
reported as skipped where that is not permitted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_env  # noqa: E402, F401 - registers its cases
import cases_input  # noqa: E402, F401
import cases_loss  # noqa: E402, F401
from harness import QUOTEBENCH, TIME, Row  # noqa: E402
from registry import CASES, Case, Ctx  # noqa: E402


def _yes(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "NO")


def _short(text: str, width: int) -> str:
    text = text.replace("\t", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _order(c: Case) -> tuple[int, str]:
    head = c.id.split()[0]
    digits = "".join(ch for ch in head if ch.isdigit())
    return int(digits or 0), head


def run_case(c: Case, ctx: Ctx) -> Row:
    start = time.monotonic()
    try:
        row = c.run(ctx)
    except Exception as err:  # a broken case is a row, never the end of the report
        detail = traceback.format_exception_only(type(err), err)[-1].strip()
        row = Row("", "error", _short(detail, 80), False, None, False, "the case itself failed")
    row.case = c.id
    row.note = f"{row.note} ({time.monotonic() - start:.1f} s)".strip()
    return row


def print_row(row: Row) -> None:
    verdict = "skip" if row.skipped else ("ok" if row.ok else "FAIL")
    print(
        f"{_short(row.case, 50):<50} {str(row.exit):<14} {_short(row.stderr, 60):<60} "
        f"{_yes(row.traceback):<4} {_yes(row.intact):<6} {verdict:<5} {row.note}",
        flush=True,
    )


def summary(rows: list[Row]) -> dict[str, object]:
    counted = [r for r in rows if not r.skipped]
    figures: dict[str, object] = {
        "cases": len(rows),
        "ok": sum(r.ok for r in counted),
        "traceback": sum(r.traceback for r in counted),
        "data_lost": sum(r.intact is False for r in counted),
        "other_failures": sum(not r.ok and not r.traceback and r.intact is not False for r in counted),
        "skipped": len(rows) - len(counted),
    }
    for r in rows:
        key = f"case.{r.case.split()[0]}"
        figures[f"{key}.exit"] = r.exit
        figures[f"{key}.ok"] = r.ok
        figures[f"{key}.traceback"] = r.traceback
        figures[f"{key}.intact"] = r.intact if r.intact is not None else "n/a"
        figures[f"{key}.skipped"] = r.skipped
        figures[f"{key}.stderr"] = r.stderr
        figures[f"{key}.note"] = r.note
        if r.rss_kb is not None:
            figures[f"{key}.rss_kb"] = r.rss_kb
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", action="store_true", help="add the expensive cases (memory)")
    parser.add_argument("--json", metavar="OUT", help="write the figures as one flat JSON object")
    parser.add_argument("--only", metavar="PATTERN", help="run only the cases whose id contains this")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any case fails")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    if not QUOTEBENCH.exists():
        print(f"no quotebench command at {QUOTEBENCH}: run this with the venv's python", file=sys.stderr)
        return 2
    if args.huge and not TIME.exists():
        print("/usr/bin/time is absent (apt-get install -y time): peak memory cannot be measured")
    chosen = [
        c
        for c in sorted(CASES, key=_order)
        if (args.huge or not c.huge) and (not args.only or args.only in c.id)
    ]
    root = Path(tempfile.mkdtemp(prefix="qb-adversarial-", dir="/tmp"))
    os.chmod(root, 0o755)
    os.environ.setdefault("QUOTEBENCH_ANNOTATOR", "adversary")
    print(f"{len(chosen)} case(s) through {QUOTEBENCH} in {root}\n")
    print(f"{'case':<50} {'exit':<14} {'stderr (first line)':<60} {'tb':<4} {'intact':<6} {'ok':<5} note")
    rows: list[Row] = []
    try:
        ctx = Ctx(root)
        for c in chosen:
            rows.append(run_case(c, ctx))
            print_row(rows[-1])
    finally:
        if args.keep:
            print(f"\nkept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    figures = summary(rows)
    print(
        f"\n{figures['cases']} cases: {figures['ok']} ok, {figures['traceback']} traceback, "
        f"{figures['data_lost']} data lost, {figures['other_failures']} other failures, "
        f"{figures['skipped']} skipped"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    failed = any(not r.ok for r in rows if not r.skipped)
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
