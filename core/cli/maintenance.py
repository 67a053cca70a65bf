"""Keeping a project safe: ``quotebench backup`` (a whole copy) and ``quotebench check`` (its health)."""

from __future__ import annotations

import click

from ..project.store import Store
from .options import errors_as_messages, project_argument


@click.command("backup")
@project_argument
@click.argument("out", type=click.Path(path_type=str))
@errors_as_messages
def backup(project: str, out: str) -> None:
    """Copy PROJECT to OUT (a file, or a folder to put it in), whole, while it may be open.

    The copy is one self-contained file, checked with SQLite's integrity_check before it replaces
    an older OUT; a damaged project is not copied.
    """
    with Store.open(project) as store:
        written = store.backup(out)
        figures = store.stats()
    click.echo(
        f"backed up {project} to {written}: {figures['documents']} document(s), {figures['quotes']} quote(s)",
        err=True,
    )


@click.command("check")
@project_argument
@errors_as_messages
def check(project: str) -> None:
    """Check PROJECT: SQLite's integrity_check and the types of its values; exit 1 (E070) if damaged."""
    with Store.open(project) as store:
        store.check("rows")
    click.echo(f"{project}: ok (integrity_check, and every value of the right type)", err=True)


def register(group: click.Group) -> None:
    """Add ``backup`` and ``check`` to the command group."""
    group.add_command(backup)
    group.add_command(check)
