"""The ``quotebench suggest`` command: the engine's quotes for a project's documents."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

from .. import __version__
from ..batch.local import available_cores
from ..project.store import Store
from .options import annotator_option, errors_as_messages, project_argument

#: The origin recorded on the engine's suggestions.
ENGINE_ORIGIN = f"quotebench-engine {__version__}"
#: Documents per process below which fewer processes are started.
MIN_PER_PROCESS = 8


def _saved(done: int, total: int, added: int) -> str:
    return (
        f"{done} of {total} document(s) done and saved, {added} suggestion(s) stored; "
        "run suggest again for the rest"
    )


def _texts(store: Store, ids: list[int]) -> Iterator[str]:
    for doc_id in ids:
        yield store.document(doc_id).text or ""


@click.command("suggest")
@project_argument
@click.option("--all", "all_", is_flag=True, help="Run over every document, not only those never run.")
@click.option(
    "--model", metavar="NAME", default=None, help="spaCy pipeline to use (default: en_core_web_sm)."
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="Parse in this many processes (each holds its own copy of the pipeline). Default: the cores "
    "available. The quotes stored are the same whatever the number.",
)
@annotator_option
@errors_as_messages
def suggest(
    project: str, all_: bool, model: str | None, processes: int | None, annotator: str | None
) -> None:
    """Run the engine over PROJECT's documents and store its quotes as suggestions.

    Accepted, rejected and edited quotes are never replaced; untouched suggestions are. Documents
    are parsed in several processes and saved here, in order, one transaction each.
    """
    from ..engine.pipeline import load_nlp, quotes_in_many

    with Store.open(project, annotator=annotator) as store:
        ids = [d.id for d in store.documents()] if all_ else store.documents_without_suggestions()
        if not ids:
            click.echo("every document already has suggestions (use --all to run again)", err=True)
            return
        nlp = load_nlp(model)
        # a few documents are not worth starting processes for (each loads the pipeline)
        n_process = min(processes or available_cores(), max(1, len(ids) // MIN_PER_PROCESS))
        added = done = 0
        try:
            with click.progressbar(length=len(ids), label="Suggesting", file=sys.stderr) as bar:
                # one transaction per document: an interrupted run keeps what it finished
                for doc_id, quotes in zip(
                    ids, quotes_in_many(_texts(store, ids), nlp, n_process=n_process), strict=True
                ):
                    added += len(store.save_suggestions(doc_id, quotes, ENGINE_ORIGIN).quotes_added)
                    done += 1
                    bar.update(1)
        except KeyboardInterrupt:
            click.echo(f"\ninterrupted: {_saved(done, len(ids), added)}", err=True)
            sys.exit(130)
        except Exception:
            # a full disk, a damaged or busy file (or a bug): say what is safe before the error
            click.echo(f"\nstopped: {_saved(done, len(ids), added)}", err=True)
            raise
    click.echo(f"{len(ids)} document(s) read, {added} suggestion(s) stored", err=True)


def register(group: click.Group) -> None:
    """Add ``suggest`` to the command group."""
    group.add_command(suggest)
