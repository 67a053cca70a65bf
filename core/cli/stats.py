"""``quotebench stats``: who gets a voice, counted, as a table, CSV, JSON or a chart.

Without options it prints the project's overview (documents, quotes by status and kind, quotes
per speaker; ``--json`` for the same as JSON). With ``--by`` (or any of the other options) it
counts quotes as :mod:`core.project.statistics` does, accepted quotes by default, and can draw
the chart of :mod:`core.analysis.charts`.
"""

from __future__ import annotations

import json

import click

from ..model import Status
from ..project.statistics import GROUPINGS, STACKS, StatsQuery, statistics
from ..project.store import Store
from .options import errors_as_messages, project_argument


def _overview(store: Store, as_json: bool) -> None:
    figures = store.stats()
    if as_json:
        figures["by_speaker"] = [[name, n] for name, n in figures["by_speaker"].items()]
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(f"documents: {figures['documents']}")
    click.echo(f"quotes: {figures['quotes']}")
    click.echo("  by status: " + ", ".join(f"{k} {v}" for k, v in figures["by_status"].items()))
    click.echo("  by kind: " + ", ".join(f"{k} {v}" for k, v in figures["by_kind"].items()))
    click.echo(f"speakers: {figures['speakers']}")
    if figures["by_speaker"]:
        click.echo("quotes per speaker:")
        for name, n in figures["by_speaker"].items():
            click.echo(f"  {n:6d}  {name if name is not None else '(no speaker)'}")


_STATUSES = [s.value for s in Status]


@click.command("stats")
@project_argument
@click.option(
    "--by",
    metavar="|".join(GROUPINGS) + "|attribute:KEY",
    default=None,
    help="Count quotes by this (default: the project's overview; speaker when other options are given).",
)
@click.option(
    "--stack",
    metavar="|".join(STACKS) + "|attribute:KEY",
    default=None,
    help="Split each row by speaker type, kind or a speaker attribute (a stacked chart).",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([*_STATUSES, "all"]),
    help="Count quotes of this status (repeat for more; default: accepted).",
)
@click.option("--outlet", "outlets", multiple=True, metavar="OUTLET", help="Only this outlet (repeatable).")
@click.option(
    "--from", "date_from", metavar="DATE", default=None, help="Documents dated from (YYYY[-MM[-DD]])."
)
@click.option("--to", "date_to", metavar="DATE", default=None, help="Documents dated up to, inclusive.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the N most quoted rows.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    help="How to print the table.",
)
@click.option(
    "--chart", metavar="OUT.svg|OUT.png|OUT.pdf", default=None, help="Also draw the chart to a file."
)
@click.option("--json", "as_json", is_flag=True, help="Print the overview as JSON.")
@errors_as_messages
def stats(
    project: str,
    by: str | None,
    stack: str | None,
    statuses: tuple[str, ...],
    outlets: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    top: int | None,
    fmt: str,
    chart: str | None,
    as_json: bool,
) -> None:
    """Who gets a voice in PROJECT: quotes counted by speaker, speaker type or attribute, kind,
    outlet, month or document, as text, CSV or JSON, and as a chart (SVG, PNG or PDF).

    With no options: the overview (documents, quotes by status and kind, quotes per speaker).
    """
    tabled = any((by, stack, statuses, outlets, date_from, date_to, top, fmt != "text", chart))
    with Store.open(project) as store:
        if not tabled:
            _overview(store, as_json)
            return
        store.check("quick")  # figures only from a sound file
        query = StatsQuery(
            by=by or "speaker",
            statuses=tuple(_STATUSES) if "all" in statuses else (statuses or (Status.ACCEPTED.value,)),
            outlets=outlets,
            date_from=date_from,
            date_to=date_to,
            top=top,
            stack=stack,
        )
        table = statistics(store, query)
        if chart is not None:
            from ..analysis.charts import save_chart
            from ..formats.output import check_output, project_files

            check_output(chart, project_files(store.path))
            save_chart(table, chart)
            click.echo(f"chart written to {chart}", err=True)
    from ..analysis.tables import csv_table, text_table  # matplotlib is loaded only for --chart

    if fmt == "json" or as_json:
        click.echo(json.dumps(table.to_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(csv_table(table), nl=False)
    else:
        click.echo(text_table(table))


def register(group: click.Group) -> None:
    """Add ``stats`` to the ``quotebench`` group."""
    group.add_command(stats)
