"""The project commands of the ``quotebench`` command line: new, import, export (``stats`` is in
:mod:`.stats`).

Each command is a thin layer over :mod:`core.project.store`, :mod:`core.formats.importers` and
:mod:`core.formats.exporters` (``suggest`` is in :mod:`.suggest`). A
:class:`~core.errors.QuotebenchError` becomes one line on standard error and exit status 1,
never a traceback. :func:`register` adds them to the ``cli`` group.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

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
@click.option(
    "--bulk",
    is_flag=True,
    help="Large JSONL: one transaction per 1,000 documents, at SQLite's bulk speed (the output "
    "folder of extract -o DIR/ is always read so).",
)
@click.option(
    "--quotes",
    "quotes",
    type=click.Choice(["accepted", "suggested", "ignore"]),
    default="suggested",
    show_default=True,
    help='What the "quotes" of JSONL articles become: accepted annotations, suggestions to '
    "review, or nothing (the texts alone). A project export's quotes keep their statuses.",
)
@annotator_option
@errors_as_messages
def import_(project: str, paths: tuple[str, ...], bulk: bool, quotes: str, annotator: str | None) -> None:
    """Import .txt, .md, .html files, folders and JSONL files into PROJECT.

    JSONL may hold articles ({"id", "text"}), articles with "quotes" (by default imported as
    suggestions to review: see --quotes) or a project export. Nothing is imported if any input
    is bad. An imported quote whose record names its speaker only by a pronoun ("He", "who")
    has no speaker.

    The folder of a sharded extract (-o DIR/, with its manifest.json) is imported in bulk: its
    quotes become suggestions to review. In bulk, a bad record stops the import after the
    batches before it; import again once it is fixed, and only what is missing is added.
    """
    from ..formats.bulk_import import is_shard_folder

    if bulk or any(is_shard_folder(p) for p in paths):
        _import_bulk(project, paths, annotator, quotes)
        return
    from ..formats.importers import QuotesMode, import_paths

    with Store.open(project, annotator=annotator) as store:
        report = import_paths(store, paths, quotes=cast(QuotesMode, quotes))
    for line in report.lines():
        click.echo(line, err=True)


def _import_bulk(project: str, paths: tuple[str, ...], annotator: str | None, quotes: str) -> None:
    import sys

    from ..formats.bulk_import import bulk_import

    with Store.open(project, annotator=annotator) as store:
        with click.progressbar(length=_documents_in(paths), label="Importing", file=sys.stderr) as bar:
            report = bulk_import(store, paths, progress=bar.update, quotes=quotes)
    click.echo(
        f"{report.documents:,} document(s) added ({report.known:,} already there), "
        f"{report.quotes:,} quote(s), {report.speakers:,} new speaker(s)",
        err=True,
    )


def _documents_in(paths: tuple[str, ...]) -> int:
    """How many documents the inputs hold, about: the manifests' counts, the JSONL files' lines."""
    from ..batch.manifest import Manifest
    from ..formats.bulk_import import is_shard_folder
    from ..formats.readers import input_files

    total = 0
    for raw in paths:
        if is_shard_folder(raw):
            total += sum(s["articles"] for s in Manifest.read(Path(raw)).shards.values())
            continue
        for path in input_files([raw]):
            if isinstance(path, Path) and path.suffix != ".gz":
                with open(path, "rb") as fh:
                    total += sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    return max(total, 1)


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
