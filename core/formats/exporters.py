"""Writing a project out: one registry of export formats and one entry point, :func:`export`.

Each format has its own module: :mod:`.jsonl` (lossless), :mod:`.tabular` (CSV), :mod:`.brat`
(standoff), :mod:`.tei` (XML) and :mod:`.docbin` (spaCy). Every exporter reads the project
through :class:`~core.project.store.Store` and can write all quotes or only the accepted ones.
Outputs are deterministic (ordered by id, no export timestamp), so the same project always
exports to the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import Errors, QuotebenchError
from ..project.store import Store
from .brat import write_brat
from .docbin import write_docbin
from .jsonl import write_jsonl
from .tabular import write_csv
from .tei import write_tei

#: Writes a project to a path: ``(store, out, accepted_only=...) -> (paths, documents, quotes)``.
Writer = Callable[..., tuple[tuple[Path, ...], int, int]]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format: its name, what ``--help`` says of it, and its writer."""

    name: str
    help: str
    write: Writer


#: The export formats, in the order they are offered.
REGISTRY: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("jsonl", "jsonl (lossless)", write_jsonl),
        ExportFormat("csv", "csv (+ <OUT>-speakers.csv)", write_csv),
        ExportFormat("brat", "brat (a folder)", write_brat),
        ExportFormat("tei", "tei", write_tei),
        ExportFormat("docbin", "docbin", write_docbin),
    )
}
#: The names of the export formats.
FORMATS = tuple(REGISTRY)


def _listing(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " or " + items[-1]


def formats_help() -> str:
    """One sentence naming every format: the ``--format`` option's help."""
    return _listing([f.help for f in REGISTRY.values()]) + "."


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote."""

    paths: tuple[Path, ...]
    documents: int
    quotes: int


def export(
    store: Store, fmt: str, out: str | os.PathLike[str], *, accepted_only: bool = False
) -> ExportResult:
    """Export a project in one of :data:`FORMATS`.

    Args:
        store: the project.
        fmt: ``jsonl``, ``csv`` (quotes to ``out``, speakers to ``<out stem>-speakers.csv``),
            ``brat`` (``out`` is a folder), ``tei`` or ``docbin``.
        out: where to write; ``"-"`` writes JSONL to standard output.
        accepted_only: write only the quotes a researcher accepted.

    Raises:
        QuotebenchError: unknown format (E035) or the output cannot be written.
    """
    if fmt not in REGISTRY:
        raise QuotebenchError(Errors.E035.format(fmt=fmt, expected=_listing(list(FORMATS))))
    try:
        paths, n_docs, n_quotes = REGISTRY[fmt].write(store, Path(out), accepted_only=accepted_only)
    except OSError as err:
        raise QuotebenchError(f"{out}: cannot write: {err.strerror or err}") from None
    return ExportResult(paths, n_docs, n_quotes)
