"""CSV: the project export's quote and speaker tables, and the guard against formulas.

Named ``tabular`` so it does not shadow the standard library's ``csv``. Columns name a
quote's parts as :data:`~.record.TABLE_NAMES` does: ``mention`` is the words in the text,
``speaker`` the resolved person or body.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from ..project.store import Store
from .output import AtomicFile
from .project_quotes import documents_with_rows, speakers_by_id
from .record import stored_quote_record, table_row

#: The export's quote table, one row per quote.
QUOTE_COLUMNS = (
    "quote_id",
    "document_id",
    "document",
    "outlet",
    "date",
    "url",
    "author",
    "start",
    "end",
    "quote",
    "kind",
    "cue_start",
    "cue_end",
    "cue",
    "mention_start",
    "mention_end",
    "mention",
    "speaker",
    "speaker_id",
    "speaker_type",
    "status",
    "annotator",
    "origin",
    "confidence",
    "speaker_confidence",
    "evidence",
    "note",
    "created",
    "modified",
)
#: The export's speaker table, one row per speaker.
SPEAKER_COLUMNS = ("speaker_id", "name", "type", "aliases", "notes", "quotes", "attributes")

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will show as text: ``'`` before a formula-like string."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def guarded(cells: list[Any]) -> list[Any]:
    """Every cell of a row through :func:`guard_cell`."""
    return [guard_cell(cell) for cell in cells]


def speakers_csv_path(quotes_path: Path) -> Path:
    """Where the speakers CSV goes next to the quotes CSV: ``quotes.csv`` -> ``quotes-speakers.csv``."""
    return quotes_path.with_name(f"{quotes_path.stem}-speakers.csv")


def export_csv(
    store: Store, quotes_path: Path, speakers_path: Path, *, accepted_only: bool = False
) -> tuple[int, int]:
    """Write one row per quote, and one row per speaker to a second file.

    Returns:
        How many documents and quotes were written.
    """
    speakers = speakers_by_id(store)
    n_docs = n_quotes = 0
    # both files are written whole before either replaces its previous version
    with (
        AtomicFile(speakers_path, newline="") as speakers_fh,
        AtomicFile(quotes_path, newline="") as fh,
    ):
        writer = csv.writer(fh)
        writer.writerow(QUOTE_COLUMNS)
        for info, text, rows in documents_with_rows(store, accepted_only):
            n_docs += 1
            found = info["metadata"] or {}
            meta = {name: found.get(name, "") for name in ("outlet", "date", "url", "author")}
            for row in rows:
                sid = row["speaker_id"]
                record = stored_quote_record(row, text, speakers.get(sid) if sid is not None else None)
                cells = table_row(
                    record, QUOTE_COLUMNS, document=info["title"], document_id=row["document_id"], **meta
                )
                writer.writerow(guarded(cells))
                n_quotes += 1
        writer = csv.writer(speakers_fh)
        writer.writerow(SPEAKER_COLUMNS)
        attributes = store.all_speaker_attributes()
        for s in speakers.values():
            attrs = "; ".join(f"{k}={v}" for k, v in attributes.get(s.id, {}).items())
            writer.writerow(
                guarded([s.id, s.name, s.type.value, "; ".join(s.aliases), s.notes, s.n_quotes, attrs])
            )
    return n_docs, n_quotes


def write_csv(store: Store, out: Path, *, accepted_only: bool = False) -> tuple[tuple[Path, ...], int, int]:
    """The CSV export: quotes to ``out``, speakers to ``<out stem>-speakers.csv``.

    Returns:
        The files written and how many documents and quotes they hold.
    """
    speakers_path = speakers_csv_path(out)
    n_docs, n_quotes = export_csv(store, out, speakers_path, accepted_only=accepted_only)
    return (out, speakers_path), n_docs, n_quotes
