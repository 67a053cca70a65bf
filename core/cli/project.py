"""The project commands of the ``quotebench`` command line: new, import, export (``stats`` is in
:mod:`.stats`).

Each command is a thin layer over :mod:`core.project.store`, :mod:`core.formats.importers` and
:mod:`core.formats.exporters` (``suggest`` is in :mod:`.suggest`). A
:class:`~core.errors.QuotebenchError` becomes one line on standard error and exit status 1,
never a traceback. :func:`register` adds them to the ``cli`` group.
"""

from __future__ import annotations

import click

from ..formats.exporters import FORMATS, formats_help
from ..project.store import Store
from .options import annotator_option, errors_as_messages, input_paths_argument, project_argument


@click.command("new")
@project_argument
@annotator_option
@errors_as_messages
def new(project: str, annotator: str | None) -> None:
    """Create an empty project file PROJECT."""
    with Store.create(project, annotator=annotator):
        pass
    click.echo(f"created {project}", err=True)


@click.command("import")
@project_argument
@input_paths_argument
@annotator_option
@errors_as_messages
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


@click.command("export")
@project_argument
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(list(FORMATS)),
    help=formats_help(),
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
@errors_as_messages
def export_(project: str, fmt: str, accepted_only: bool, out: str) -> None:
    """Export PROJECT's documents, quotes and speakers."""
    from ..formats.exporters import export

    with Store.open(project) as store:
        result = export(store, fmt, out, accepted_only=accepted_only)
    where = ", ".join(map(str, result.paths)) or "standard output"
    click.echo(f"{result.documents} document(s), {result.quotes} quote(s) written to {where}", err=True)


COMMANDS = (new, import_, export_)


def register(group: click.Group) -> None:
    """Add the project commands to the ``quotebench`` group."""
    for command in COMMANDS:
        group.add_command(command)
