"""The ``quotebench`` command group and ``open``; the other commands come from one module per family."""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quotebench")
def cli() -> None:
    """Quotebench: find who said what in news articles, and annotate it."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False, path_type=str))
@click.option(
    "--screenshot",
    metavar="OUT.png",
    default=None,
    help="Save the window to a PNG once the engine has suggested quotes, then quit.",
)
@click.option(
    "--model", metavar="NAME", default=None, help="spaCy pipeline to use (default: en_core_web_sm)."
)
@click.option(
    "--color-scheme",
    type=click.Choice(["dark", "light", "system"]),
    default=None,
    help="Colours for this run (default: the one chosen in View > Colour scheme, else the system's).",
)
@click.option(
    "--view",
    type=click.Choice(["statistics"]),
    default=None,
    help="Show a view as well: statistics (View > Statistics).",
)
def open(  # noqa: A001 - the command's name
    paths: tuple[str, ...],
    screenshot: str | None,
    model: str | None,
    color_scheme: str | None,
    view: str | None,
) -> None:
    """Open the annotation window on PROJECT or article FILEs.

    A .qbproj, .sqlite or .db path is a project; other files are articles, imported into the
    project named (or into the default project in your data folder). With no paths the last
    project opens. Documents the engine has not read yet get suggestions in the background.
    """
    import importlib

    # core must never import the GUI (import-linter contract "core never imports Qt or the
    # GUI", which sees only static imports): the window is reached by name at run time, so
    # the command line, the store and the engine still work where PySide6 is not installed.
    try:
        app = importlib.import_module("quotebench.gui.app")
    except ImportError as err:
        raise click.ClickException(f"the window cannot start: {err} (is PySide6 installed?)") from None
    raise SystemExit(
        app.run(list(paths), screenshot=screenshot, model_name=model, color_scheme=color_scheme, view=view)
    )


# Each command family has its own module and adds its commands here.
from . import agree, coders, extract, maintenance, project, stats, suggest  # noqa: E402

for _family in (project, suggest, extract, agree, coders, maintenance, stats):
    _family.register(cli)
