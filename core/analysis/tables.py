"""A :class:`~core.project.statistics.StatsTable` as text or CSV: what ``quotebench stats``
prints and what the window's Statistics view exports."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..project.statistics import StatsTable

#: A label longer than this is cut (with an ellipsis) so the bars keep their room.
LABEL_CHARS = 40
_NO_KEY = {
    "speaker": "(no speaker)",
    "type": "(no speaker)",
    "outlet": "(no outlet)",
    "month": "(no date)",
    "document": "(untitled)",
}


def label(by: str, key: str | None) -> str:
    """A row's key as a chart or table shows it: ``(no speaker)`` for none, long ones cut."""
    if key is None or key == "":
        return _NO_KEY.get(by, "(not recorded)")
    key = " ".join(key.split())
    return key if len(key) <= LABEL_CHARS else key[: LABEL_CHARS - 1] + "…"


def text_table(table: StatsTable) -> str:
    """The table as aligned text: a title line, then quotes, share, speakers and key per row."""
    by = table.query.by
    lines = [table.title(), f"{'quotes':>8}  {'share':>6}  {'speakers':>8}  {by}"]
    for row in table.rows:
        speakers = "" if row.speakers is None else f"{row.speakers:,}"
        lines.append(f"{row.quotes:8,}  {row.share:6.1%}  {speakers:>8}  {label(by, row.key)}")
    if table.other:
        lines.append(f"{table.other:8,}  {table.other / table.quotes:6.1%}  {'':>8}  (the rest)")
    return "\n".join(lines)


def csv_table(table: StatsTable) -> str:
    """The table as CSV: ``key, quotes, share, speakers, id`` and one column per stack part."""
    parts = sorted({part for row in table.rows for part in row.stack})
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([table.query.by, "quotes", "share", "speakers", "id", *(f"stack:{p}" for p in parts)])
    for row in table.rows:
        cells: list[Any] = [row.key, row.quotes, f"{row.share:.6f}", row.speakers, row.id]
        writer.writerow(cells + [row.stack.get(p, 0) for p in parts])
    return buf.getvalue()
