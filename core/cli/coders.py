"""Commands for work with several coders and for measuring the engine: review, evaluate,
distribute, adjudicate.

A thin layer over :mod:`core.agreement` and the store. A :class:`~core.errors.QuotebenchError`
becomes one line on standard error and exit status 1. :func:`register` adds the commands.
"""

from __future__ import annotations

import json

import click

from ..agreement.evaluate import evaluate_project
from ..agreement.evaluate_report import render_text, write_csv
from ..errors import Errors, StoreError
from ..project.review import ReviewState
from ..project.store import Store
from .options import annotator_option, errors_as_messages, project_argument

_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text (tables), json (every figure and each quote's outcome) or csv (a row per figure group).",
)
_OUTPUT = click.option(
    "-o", "--output", "out", metavar="OUT", default="-", help="File to write (default: standard output)."
)


def parse_ids(value: str) -> list[int]:
    """``"1,4,7-9"`` as document ids.

    Raises:
        StoreError: not a comma list of ids and ranges (E031).
    """
    ids: list[int] = []
    for part in value.split(","):
        low, _, high = part.strip().partition("-")
        try:
            ids.extend(range(int(low), int(high or low) + 1))
        except ValueError:
            raise StoreError(Errors.E031.format(field="document ids", value=value)) from None
    return ids


@click.command("review")
@project_argument
@click.option(
    "--state",
    type=click.Choice([s.value for s in ReviewState]),
    required=True,
    help="The review state to give the documents.",
)
@click.option("--documents", "documents", metavar="IDS", default=None, help="Document ids: 1,4,7-9.")
@click.option("--all", "every", is_flag=True, help="Every document of the project.")
@annotator_option
@errors_as_messages
def review(project: str, state: str, documents: str | None, every: bool, annotator: str | None) -> None:
    """Mark documents of PROJECT as to do, in progress or done (the window does it too)."""
    if (documents is None) == (not every):
        raise click.UsageError("name the documents with --documents IDS, or give --all")
    with Store.open(project, annotator=annotator) as store:
        ids = [d.id for d in store.documents()] if every else parse_ids(documents or "")
        changes = store.set_review_state(ids, state)
    click.echo(f"{len(changes.documents)} document(s) now {state}", err=True)


@click.command("evaluate")
@project_argument
@_FORMAT
@_OUTPUT
@errors_as_messages
def evaluate(project: str, fmt: str, out: str) -> None:
    """How right the engine was on PROJECT's documents marked done.

    Each suggestion the engine made is compared with the researcher's decision: accepted as
    suggested (right), accepted after an edit of its span, kind or speaker (partly right),
    rejected or deleted (false); a quote accepted that the engine did not suggest was missed.
    Precision, recall and F1 by kind, speaker accuracy, precision by rule, and calibration
    (confidence bucket against the share accepted).
    """
    result = evaluate_project(project)
    with click.open_file(out, "w", encoding="utf-8") as fh:
        if fmt == "json":
            fh.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        elif fmt == "csv":
            write_csv(result, fh)
        else:
            fh.write(render_text(result, project))


def register(cli: click.Group) -> None:
    """Add ``review``, ``evaluate``, ``distribute`` and ``adjudicate`` to the ``quotebench`` group."""
    for command in (review, evaluate):
        cli.add_command(command)
