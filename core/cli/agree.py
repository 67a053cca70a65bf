"""``quotebench agree``: inter-coder agreement between projects of the same texts.

A thin layer over :mod:`core.agreement`. A :class:`~core.errors.QuotebenchError` becomes one
line on standard error and exit status 1. :func:`register` adds the command to a group.
"""

from __future__ import annotations

import json

import click

from ..agreement import agreement, open_coding, parse_statuses
from ..agreement.report import render_text, write_csv
from ..errors import QuotebenchError


@click.command("agree")
@click.argument("reference", type=click.Path(dir_okay=False, path_type=str))
@click.argument(
    "others", metavar="OTHER...", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str)
)
@click.option(
    "--status",
    "status",
    default="accepted",
    show_default=True,
    metavar="accepted[,suggested,rejected]",
    help="Which quotes count: a comma list of statuses.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text (a table), json (figures and disagreements) or csv (a row per text and an overall row).",
)
@click.option(
    "-o", "--output", "out", metavar="OUT", default="-", help="File to write (default: standard output)."
)
@click.option("--strict", is_flag=True, help="Refuse projects that do not hold exactly the same texts.")
def agree(reference: str, others: tuple[str, ...], status: str, fmt: str, out: str, strict: bool) -> None:
    """Agreement of OTHER projects' quotes with REFERENCE's, on the texts they share.

    Texts are matched by their content, whatever their ids or titles. Quotes match one to one
    when their spans overlap by at least half their union (quotation marks stripped); on
    matched quotes, kinds and speakers are compared (share equal and Krippendorff's alpha).
    With three or more projects, every pair is compared and the means are reported.
    """
    try:
        statuses = parse_statuses(status)
        paths = (reference, *others)
        codings = [open_coding(path, statuses) for path in paths]
        result = agreement(codings, strict=strict)
    except QuotebenchError as err:
        raise click.ClickException(str(err)) from None
    every = set.intersection(*(set(c.documents) for c in codings))
    left = len(set.union(*(set(c.documents) for c in codings)) - every)
    if left:
        click.echo(f"{left} text(s) not in every project left out; {len(every)} compared", err=True)
    names = [c.name for c in codings]
    with click.open_file(out, "w", encoding="utf-8") as fh:
        if fmt == "json":
            fh.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        elif fmt == "csv":
            write_csv(result, names, fh)
        else:
            fh.write(render_text(result, names, sorted(statuses)))
    if out != "-":
        click.echo(f"agreement over {result['documents']} text(s) written to {out}", err=True)


def register(cli: click.Group) -> None:
    """Add ``agree`` to the ``quotebench`` group."""
    cli.add_command(agree)
