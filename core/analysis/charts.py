"""Charts of a :class:`~core.project.statistics.StatsTable`, for a paper and for the window.

One function draws every chart, :func:`draw`, on a matplotlib :class:`~matplotlib.figure.Figure`
that the command line saves (:func:`save_chart`: SVG, PNG or PDF) and the window shows on a Qt
canvas, so both look the same. Figures are made without ``pyplot``: no global state and no
display (the file formats are drawn by Agg, or matplotlib's vector backends).

The chart follows the grouping:

- ``month``: a timeline, one bar per month with no month left out (empty months are zero);
- a stacked table (``stack``): each row's share of its quotes by speaker type, kind or attribute,
  100 % wide, with the row's number of quotes beside it (share of voice per outlet);
- anything else: horizontal bars of quotes, most first, each labelled with its count and share;
  speakers in their colours in the window.

Every chart's title says what was counted: the statuses, the filters and N. Each bar carries
its row's key as its ``gid``, so a click (matplotlib's ``pick_event``) tells which row it was.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from ..errors import Errors, QuotebenchError
from ..project.statistics import StatsRow, StatsTable
from .colours import NO_SPEAKER, category_colour, ink, speaker_colour
from .tables import label

#: The file types a chart is saved as.
CHART_SUFFIXES = (".svg", ".png", ".pdf")
#: The one colour of bars that have no colour of their own (outlets, months, documents).
PLAIN = "#80b1d3"
#: Width of a figure in inches (a page's text width); its height grows with the rows.
WIDTH = 8.0


def _title(fig: Figure, table: StatsTable) -> None:
    """The title (what was counted, by what) and the subtitle (statuses, filters, N)."""
    what = table.query.by.replace("attribute:", "")
    stack = f", split by {table.query.stack.replace('attribute:', '')}" if table.query.stack else ""
    fig.suptitle(f"Quotes by {what}{stack}", x=0.01, ha="left", fontsize=13, fontweight="bold")
    sub = f"{table.query.describe()}; N = {table.quotes:,} quotes in {table.documents:,} documents"
    if table.other:
        sub += f"; the {len(table.rows)} most quoted shown, {table.other:,} quotes in the rest"
    # wrap to the width the subtitle has (the plot's, under a left-aligned title): about 13
    # characters of 9-point text to an inch, so a narrow window's chart is never cut off
    inches = fig.get_figwidth() * (fig.axes[0].get_position().width if fig.axes else 0.98)
    wrapped = "\n".join(textwrap.wrap(sub, max(40, int(inches * 13))))
    if fig.axes:
        fig.axes[0].set_title(wrapped, loc="left", fontsize=9, color="#333333", pad=10)
    else:
        fig.text(0.01, 0.85, wrapped, ha="left", va="top", fontsize=9, color="#333333")


def _bar_colours(table: StatsTable) -> tuple[list[str], list[str]]:
    """Each bar's fill and edge."""
    by = table.query.by
    if by == "speaker":
        fills = [speaker_colour(row.id) for row in table.rows]
    elif by in ("type", "kind"):
        fills = [category_colour(row.key, i) for i, row in enumerate(table.rows)]
    else:
        fills = [PLAIN] * len(table.rows)
    return fills, [ink(f) for f in fills]


def _bars(fig: Figure, table: StatsTable) -> None:
    """Horizontal bars of quotes, the most quoted at the top, each with its count and share."""
    ax = fig.add_subplot()
    rows = table.rows
    y = list(range(len(rows)))[::-1]
    fills, edges = _bar_colours(table)
    # one call for all the bars: a call per bar costs more than drawing them
    bars = ax.barh(y, [r.quotes for r in rows], color=fills, edgecolor=edges, linewidth=0.8, height=0.72)
    for patch, row, pos in zip(bars.patches, rows, y, strict=True):
        patch.set_gid(row.key if row.key is not None else "")
        patch.set_picker(True)
        ax.annotate(
            f"{row.quotes:,} ({_share(row.share)})",
            (row.quotes, pos),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
        )
    ax.set_yticks(y, [label(table.query.by, r.key) for r in rows], fontsize=9)
    ax.set_xlabel("quotes")
    ax.set_xlim(0, max((r.quotes for r in rows), default=1) * 1.18 or 1)
    _plain_axes(ax)


def _share(share: float) -> str:
    """A share as a percentage, with a decimal below 10 % (so 4 of 918 is 0.4 %, not 0 %)."""
    return f"{share:.0%}" if share >= 0.095 else f"{share:.1%}"


def _plain_axes(ax: Any) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _months(rows: tuple[StatsRow, ...]) -> list[str]:
    """Every month from the first row's to the last's (``YYYY-MM``)."""
    dated = sorted(r.key for r in rows if r.key is not None and len(r.key) == 7)
    if not dated:
        return []
    year, month = map(int, dated[0].split("-"))
    out = []
    while (last := f"{year:04d}-{month:02d}") <= dated[-1]:
        out.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _text_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (by its relative luminance)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "white"


def _part_style(stack: str, part: str, index: int) -> tuple[str, str]:
    """A stack part's fill and legend label: no speaker (or no value) is pale grey, apart from
    the "unknown" type's mid grey."""
    if part == "":
        return NO_SPEAKER, label(stack if stack == "type" else "attribute", None)
    if stack == "type" and part == "unknown":
        return category_colour(part, index), "type unknown"
    return category_colour(part, index), label(stack, part)


def _stack_keys(table: StatsTable) -> list[str]:
    totals: dict[str, int] = {}
    for row in table.rows:
        for key, n in row.stack.items():
            totals[key] = totals.get(key, 0) + n
    return sorted(totals, key=lambda k: (k == "", -totals[k], k))


def _height(row: StatsRow | None, part: str | None) -> int:
    if row is None:
        return 0
    return row.quotes if part is None else row.stack.get(part, 0)


def _timeline(fig: Figure, table: StatsTable) -> None:
    """Quotes per month: a bar for every month, stacked if the table is split."""
    ax = fig.add_subplot()
    months = _months(table.rows)
    by_month = {r.key: r for r in table.rows}
    parts = _stack_keys(table) if table.query.stack else [None]
    bottom = [0] * len(months)
    for i, part in enumerate(parts):
        heights = [_height(by_month.get(m), part) for m in months]
        colour, name = _part_style(table.query.stack or "", part, i) if part is not None else (PLAIN, "")
        bars = ax.bar(
            range(len(months)),
            heights,
            bottom=bottom,
            color=colour,
            edgecolor=ink(colour),
            linewidth=0.6,
            label=name or None,
        )
        for patch, month in zip(bars.patches, months, strict=True):
            patch.set_gid(month)
            patch.set_picker(True)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    if len(months) <= 36:  # each month's total above its bar: an empty month reads as 0, not as missing
        for x, total in enumerate(bottom):
            ax.annotate(
                f"{total:,}", (x, total), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8
            )
    step = max(1, len(months) // 16)
    ax.set_xticks(range(0, len(months), step), months[::step], rotation=45, ha="right", fontsize=8.5)
    ax.set_ylabel("quotes")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    undated = by_month.get(None)
    if undated is not None:
        ax.set_xlabel(
            f"month of the document's date ({undated.quotes:,} quotes in undated documents not shown)"
        )
    else:
        ax.set_xlabel("month of the document's date")
    if table.query.stack:
        # beside the plot, never over a bar
        ax.legend(frameon=False, fontsize=8.5, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _stacked(fig: Figure, table: StatsTable) -> None:
    """Each row's quotes split by the stack, as shares of the row (100 % wide), N beside it."""
    ax = fig.add_subplot()
    rows = table.rows
    y = list(range(len(rows)))[::-1]
    parts = _stack_keys(table)
    left = [0.0] * len(rows)
    for i, part in enumerate(parts):
        widths = [r.stack.get(part, 0) / r.quotes if r.quotes else 0.0 for r in rows]
        colour, name = _part_style(table.query.stack or "", part, i)
        bars = ax.barh(
            y, widths, left=left, color=colour, edgecolor="white", linewidth=0.8, height=0.72, label=name
        )
        for patch, row, w, x0, pos in zip(bars.patches, rows, widths, left, y, strict=True):
            patch.set_gid(row.key if row.key is not None else "")
            patch.set_picker(True)
            if w >= 0.07:  # a share too thin to hold its label goes without
                ax.text(
                    x0 + w / 2,
                    pos,
                    f"{w:.0%}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=_text_colour(colour),
                )
        left = [a + w for a, w in zip(left, widths, strict=True)]
    for row, pos in zip(rows, y, strict=True):
        ax.text(1.01, pos, f"N = {row.quotes:,}", va="center", fontsize=8.5)
    ax.set_yticks(y, [label(table.query.by, r.key) for r in rows], fontsize=9)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.set_xlabel("share of the row's quotes")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        frameon=False, fontsize=8.5, ncols=min(5, len(parts)), loc="upper center", bbox_to_anchor=(0.5, -0.12)
    )


def draw(fig: Figure, table: StatsTable, *, fit: bool = True) -> None:
    """Draw the chart of a table on ``fig`` (cleared first).

    Args:
        fig: the figure.
        table: what to draw.
        fit: size the figure to the rows (for a file); the window keeps its canvas's size.
    """
    fig.clear()
    # constrained layout places everything for a file; the window, which redraws after every
    # edit, uses fixed margins instead (constrained layout is a third of a redraw's time)
    fig.set_layout_engine("constrained" if fit else None)
    n = len(table.rows)
    if not fit:
        _fixed_margins(fig, table)
    elif table.query.by == "month":
        fig.set_size_inches(WIDTH, 4.5)
    else:
        fig.set_size_inches(WIDTH, 1.6 + 0.32 * max(n, 3) + (0.5 if table.query.stack else 0))
    if not table.rows:
        fig.text(0.5, 0.4, "no quotes match", ha="center", va="center", fontsize=12, color="#666666")
    elif table.query.by == "month":
        _timeline(fig, table)
    elif table.query.stack:
        _stacked(fig, table)
    else:
        _bars(fig, table)
    _title(fig, table)


def _fixed_margins(fig: Figure, table: StatsTable) -> None:
    """Margins for a figure of any size without a layout engine: room for the labels."""
    width, height = fig.get_size_inches()
    longest = max((len(label(table.query.by, r.key)) for r in table.rows), default=4)
    left = 0.9 if table.query.by == "month" else min(0.45 * width, 0.075 * longest + 0.3)
    right = 1.6 if table.query.stack else 0.7
    bottom = 1.0 if table.query.by == "month" or table.query.stack else 0.55
    fig.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - 0.85 / height, bottom=min(0.4, bottom / height)
    )


def chart_figure(table: StatsTable) -> Figure:
    """A new figure with the chart of a table."""
    fig = Figure()
    draw(fig, table)
    return fig


def save_chart(table: StatsTable, out: str | os.PathLike[str]) -> Path:
    """Save the chart of a table as SVG, PNG (200 dpi) or PDF, chosen by ``out``'s suffix.

    The file is written beside ``out`` and moved over it once whole.

    Raises:
        QuotebenchError: an unknown suffix (E085); the file cannot be written (E061).
    """
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise QuotebenchError(Errors.E085.format(suffix=path.suffix))
    fig = chart_figure(table)
    part = path.with_name(f".{path.name}.part")
    try:
        # fixed metadata: the same table gives the same file (no creation date in it)
        metadata: dict[str, Any] = {"svg": {"Date": None}, "pdf": {"CreationDate": None}, "png": {}}[
            suffix[1:]
        ]
        fig.savefig(part, format=suffix[1:], dpi=200, metadata=metadata)
        os.replace(part, path)
    except OSError as err:
        part.unlink(missing_ok=True)
        raise QuotebenchError(Errors.E061.format(path=path, detail=err.strerror or err)) from None
    return path
