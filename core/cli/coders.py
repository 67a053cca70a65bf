"""Commands for work with several coders and for measuring the engine: review, evaluate,
distribute, adjudicate.

A thin layer over :mod:`core.agreement` and the store. A :class:`~core.errors.QuotebenchError`
becomes one line on standard error and exit status 1. :func:`register` adds the commands.
"""

from __future__ import annotations

import json

import click

from ..agreement.adjudication import create_gold
from ..agreement.distribute import distribute as distribute_projects
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


@click.command("distribute")
@project_argument
@click.option("--coders", required=True, metavar="ANN,BEN[,...]", help="The coders' names, one project each.")
@click.option(
    "--sample", "n", type=click.IntRange(min=1), default=None, help="A random sample of N documents."
)
@click.option("--documents", "documents", metavar="IDS", default=None, help="These documents: 1,4,7-9.")
@click.option("--seed", type=int, default=None, help="The sample's seed (default: a random one, recorded).")
@click.option(
    "--with-suggestions/--without-suggestions",
    "suggestions",
    default=False,
    show_default=True,
    help="Give each coder the engine's original suggestions (off: coders code the texts blind).",
)
@click.option(
    "-o", "--output", "out", required=True, metavar="FOLDER", help="Folder for the coders' projects."
)
@errors_as_messages
def distribute(
    project: str,
    coders: str,
    n: int | None,
    documents: str | None,
    seed: int | None,
    suggestions: bool,
    out: str,
) -> None:
    """Write one project per coder into FOLDER, each with the same documents of PROJECT.

    Each project is stamped with its coder's name, the source project, the sample's seed and
    its texts (the project_info table); FOLDER/distribution.json lists them. Documents are
    drawn by the SHA-256 of their text, so the same seed gives the same sample of any copy.
    """
    if n is not None and documents is not None:
        raise click.UsageError("give --sample N or --documents IDS, not both")
    ids = parse_ids(documents) if documents is not None else None
    manifest = distribute_projects(
        project, coders.split(","), out, n=n, ids=ids, seed=seed, suggestions=suggestions
    )
    click.echo(
        f"{manifest['sample_size']} document(s) for {len(manifest['coders'])} coder(s) in {out} "
        f"(seed {manifest['sample_seed']})",
        err=True,
    )


@click.command("adjudicate")
@click.argument(
    "projects", metavar="A B [...]", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str)
)
@click.option("-o", "--output", "out", required=True, metavar="GOLD", help="The gold project to create.")
@click.option("--prefer", metavar="CODER", default=None, help="Decide every disagreement for this coder.")
@annotator_option
@errors_as_messages
def adjudicate(projects: tuple[str, ...], out: str, prefer: str | None, annotator: str | None) -> None:
    """Make a gold project GOLD from coders' projects A, B, ... of the same texts.

    Quotes every coder accepted alike (span, kind, speaker) are taken, accepted. Where they
    differ, each coder's version is put in GOLD as a suggestion (origin adjudicated:<coder>) to
    pick, edit or reject in the window; --prefer CODER decides them all for that coder. Every
    decision is in GOLD's history: who chose, what, from whom.
    """
    result = create_gold(projects, out, annotator=annotator, prefer=prefer)
    click.echo(
        f"{out}: {result['texts']} text(s); {result['agreed']} quote(s) agreed; "
        f"{result['disagreements']} disagreement(s), {result['decided']} decided, "
        f"{result['open']} left to decide",
        err=True,
    )


def register(cli: click.Group) -> None:
    """Add ``review``, ``evaluate``, ``distribute`` and ``adjudicate`` to the ``quotebench`` group."""
    for command in (review, evaluate, distribute, adjudicate):
        cli.add_command(command)
