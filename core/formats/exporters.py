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
from .output import check_output, project_files
from .tabular import speakers_csv_path, write_csv
from .tei import write_tei

#: Writes a project to a path: ``(store, out, accepted_only=...) -> (paths, documents, quotes)``.
Writer = Callable[..., tuple[tuple[Path, ...], int, int]]


def _one(out: Path) -> tuple[Path, ...]:
    return (out,)


def _csv_files(out: Path) -> tuple[Path, ...]:
    return out, speakers_csv_path(out)


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format: its name, what ``--help`` says of it, its writer, the paths it writes
    for an output ``OUT``, and whether ``OUT`` is a folder it replaces as a whole."""

    name: str
    help: str
    write: Writer
    outputs: Callable[[Path], tuple[Path, ...]] = _one
    folder: bool = False


#: The export formats, in the order they are offered.
REGISTRY: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("jsonl", "jsonl (lossless)", write_jsonl),
        ExportFormat("csv", "csv (+ <OUT>-speakers.csv)", write_csv, _csv_files),
        ExportFormat("brat", "brat (a folder)", write_brat, folder=True),
        ExportFormat("tei", "tei", write_tei),
        ExportFormat("docbin", "docbin (a folder of part-NNNNN.spacy shards)", write_docbin, folder=True),
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
            ``brat`` (``out`` is a folder), ``tei`` or ``docbin`` (``out`` is a folder of shards).
        out: where to write; ``"-"`` writes JSONL to standard output.
        accepted_only: write only the quotes a researcher accepted.

    Every file is written whole or not at all: to a temporary beside it, then moved over the
    previous one (:mod:`.output`); a brat or DocBin folder is built beside ``out`` and swapped in.

    Raises:
        QuotebenchError: unknown format (E035); ``out`` would write over the project or one of
            its side files (E060); ``out`` is a folder that is not a previous export of this
            format (E062); the output cannot be written (E061), the previous one left as it was.
    """
    if fmt not in REGISTRY:
        raise QuotebenchError(Errors.E035.format(fmt=fmt, expected=_listing(list(FORMATS))))
    spec = REGISTRY[fmt]
    target = Path(out)
    if str(out) != "-" or fmt != "jsonl":
        protected = project_files(store.path)
        for path in spec.outputs(target):
            check_output(path, protected, folder=spec.folder)
    try:
        paths, n_docs, n_quotes = spec.write(store, target, accepted_only=accepted_only)
    except OSError as err:
        raise QuotebenchError(Errors.E061.format(path=out, detail=err.strerror or err)) from None
    return ExportResult(paths, n_docs, n_quotes)
