"""The ``quotebench`` command line: a thin click layer over :mod:`core`."""

from __future__ import annotations

import click

from core import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quotebench")
def cli() -> None:
    """Quotebench: find who said what in news articles, and annotate it."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
def open(paths: tuple[str, ...]) -> None:  # noqa: A001 - the command's name
    """Open the annotation window on a project or article files."""
    from core.pipeline import load_nlp, quotes_in

    nlp = load_nlp()
    for path in paths:
        with click.open_file(path, encoding="utf-8") as fh:
            text = fh.read()
        for q in quotes_in(text, nlp):
            click.echo(f"{q.speaker or '?'}\t{q.kind}\t{q.text}")


# The project commands (new, import, suggest, export, stats) live in core/cli_project.py.
from core.cli_project import register as _register_project_commands  # noqa: E402

_register_project_commands(cli)

# `extract` (articles to JSONL, CSV or a table, no project) lives in core/cli_extract.py.
from core.cli_extract import register as _register_extract_command  # noqa: E402

_register_extract_command(cli)
