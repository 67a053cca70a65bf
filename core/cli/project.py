"""The project commands of the ``quotebench`` command line: new, import, suggest, export, stats.

Each command is a thin layer over :mod:`core.store`, :mod:`core.importers` and
:mod:`core.exporters`. A :class:`~core.errors.QuotebenchError` becomes one line on standard
error and exit status 1, never a traceback. :func:`register` adds them to the ``cli`` group.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from .. import __version__
from ..errors import QuotebenchError
from ..project.store import Store

F = TypeVar("F", bound=Callable[..., Any])

#: The origin recorded on the engine's suggestions.
ENGINE_ORIGIN = f"quotebench-engine {__version__}"


def _errors_as_messages(func: F) -> F:
    """Turn the user's and the environment's errors into ``Error: <one line>`` and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QuotebenchError as err:
            raise click.ClickException(str(err)) from None

    return wrapper  # type: ignore[return-value]


annotator_option = click.option(
    "--annotator",
    metavar="NAME",
    envvar="QUOTEBENCH_ANNOTATOR",
    default=None,
    help="Name recorded with each edit (default: $QUOTEBENCH_ANNOTATOR or the system user).",
)
project_argument = click.argument("project", type=click.Path(dir_okay=False, path_type=str))


@click.command("new")
@project_argument
@annotator_option
@_errors_as_messages
def new(project: str, annotator: str | None) -> None:
    """Create an empty project file PROJECT."""
    with Store.create(project, annotator=annotator):
        pass
    click.echo(f"created {project}", err=True)


@click.command("import")
@project_argument
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@annotator_option
@_errors_as_messages
def import_(project: str, paths: tuple[str, ...], annotator: str | None) -> None:
    """Import .txt, .md, .html files, folders and JSONL files into PROJECT.

    JSONL may hold articles ({"id", "text"}), articles with "quotes" (imported as accepted
    annotations) or a project export. Nothing is imported if any input is bad.
    """
    from ..formats.importers import import_paths

    with Store.open(project, annotator=annotator) as store:
        report = import_paths(store, paths)
    for line in report.lines():
        click.echo(line, err=True)


def _texts(store: Store, ids: list[int]) -> Iterator[str]:
    for doc_id in ids:
        yield store.document(doc_id).text or ""


@click.command("suggest")
@project_argument
@click.option("--all", "all_", is_flag=True, help="Run over every document, not only those never run.")
@click.option(
    "--model", metavar="NAME", default=None, help="spaCy pipeline to use (default: en_core_web_sm)."
)
@annotator_option
@_errors_as_messages
def suggest(project: str, all_: bool, model: str | None, annotator: str | None) -> None:
    """Run the engine over PROJECT's documents and store its quotes as suggestions.

    Accepted, rejected and edited quotes are never replaced; untouched suggestions are.
    """
    from ..engine.pipeline import load_nlp, quotes_in_many

    with Store.open(project, annotator=annotator) as store:
        ids = [d.id for d in store.documents()] if all_ else store.documents_without_suggestions()
        if not ids:
            click.echo("every document already has suggestions (use --all to run again)", err=True)
            return
        nlp = load_nlp(model)
        added = done = 0
        try:
            with click.progressbar(length=len(ids), label="Suggesting", file=sys.stderr) as bar:
                # one transaction per document: an interrupted run keeps what it finished
                for doc_id, quotes in zip(ids, quotes_in_many(_texts(store, ids), nlp), strict=True):
                    added += len(store.save_suggestions(doc_id, quotes, ENGINE_ORIGIN).quotes_added)
                    done += 1
                    bar.update(1)
        except KeyboardInterrupt:
            click.echo(
                f"\ninterrupted: {done} of {len(ids)} document(s) done and saved, {added} suggestion(s) stored; "
                "run suggest again for the rest",
                err=True,
            )
            sys.exit(130)
    click.echo(f"{len(ids)} document(s) read, {added} suggestion(s) stored", err=True)


@click.command("export")
@project_argument
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["jsonl", "csv", "brat", "tei", "docbin"]),
    help="jsonl (lossless), csv (+ <OUT>-speakers.csv), brat (a folder), tei or docbin.",
)
@click.option("--accepted-only", is_flag=True, help="Only quotes a researcher accepted.")
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    metavar="OUT",
    help="File (or folder for brat); - for JSONL on stdout.",
)
@_errors_as_messages
def export_(project: str, fmt: str, accepted_only: bool, out: str) -> None:
    """Export PROJECT's documents, quotes and speakers."""
    from ..formats.exporters import export

    with Store.open(project) as store:
        result = export(store, fmt, out, accepted_only=accepted_only)
    where = ", ".join(map(str, result.paths)) or "standard output"
    click.echo(f"{result.documents} document(s), {result.quotes} quote(s) written to {where}", err=True)


@click.command("stats")
@project_argument
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_errors_as_messages
def stats(project: str, as_json: bool) -> None:
    """Documents, quotes by status and kind, and quotes per speaker in PROJECT."""
    with Store.open(project) as store:
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


COMMANDS = (new, import_, suggest, export_, stats)


def register(group: click.Group) -> None:
    """Add the project commands to the ``quotebench`` group."""
    for command in COMMANDS:
        group.add_command(command)
