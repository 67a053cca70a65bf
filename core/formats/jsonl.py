"""JSON Lines, the lossless export: a header line with the speakers, then one line per document
with its text and its quotes as records of :mod:`.record`.

Importing it into a new project and exporting again gives the same bytes.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import IO, Any

from ..project.store import Store
from .output import AtomicFile
from .project_quotes import documents_with_rows, speakers_by_id
from .record import EXPORT_MARK, stored_quote_record


def compact(obj: Any) -> str:
    """JSON on one line, without spaces after separators and with characters as they are."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def export_jsonl(store: Store, out: IO[str], *, accepted_only: bool = False) -> tuple[int, int]:
    """Write the project as JSON Lines: a header line with the speakers, then one line per
    document with its text and quotes (interchange schema plus provenance).

    Returns:
        How many documents and quotes were written.
    """
    speakers = speakers_by_id(store)
    attributes = store.all_speaker_attributes()
    header = {
        EXPORT_MARK: 1,
        "schema": store.schema_version(),
        "accepted_only": accepted_only,
        "speakers": [
            {
                "id": s.id,
                "name": s.name,
                "type": s.type.value,
                "notes": s.notes,
                "aliases": list(s.aliases),
                **({"attributes": attributes[s.id]} if s.id in attributes else {}),
            }
            for s in speakers.values()
        ],
    }
    out.write(compact(header) + "\n")
    n_docs = n_quotes = 0
    for info, text, rows in documents_with_rows(store, accepted_only):
        record = {
            "id": info["title"],
            "document_id": info["id"],
            "title": info["title"],
            "source": info["source"],
            "sha256": info["sha256"],
            "imported_at": info["imported_at"],
            "suggested_by": info["suggested_by"],
            "suggested_at": info["suggested_at"],
            **(info["metadata"] or {}),  # outlet, date, url, author, meta: only where there are some
            "text": text,
            "quotes": [
                stored_quote_record(
                    q, text, speakers.get(q["speaker_id"]) if q["speaker_id"] is not None else None
                )
                for q in rows
            ],
        }
        out.write(compact(record) + "\n")
        n_docs += 1
        n_quotes += len(rows)
    return n_docs, n_quotes


def write_jsonl(store: Store, out: Path, *, accepted_only: bool = False) -> tuple[tuple[Path, ...], int, int]:
    """The JSONL export to a file (written whole or not at all, see :class:`.output.AtomicFile`),
    or to standard output when ``out`` is ``-``.

    Returns:
        The files written (none for standard output) and how many documents and quotes.
    """
    if str(out) == "-":
        buf = io.StringIO()
        n_docs, n_quotes = export_jsonl(store, buf, accepted_only=accepted_only)
        sys.stdout.write(buf.getvalue())
        return (), n_docs, n_quotes
    with AtomicFile(out, newline="\n") as fh:
        n_docs, n_quotes = export_jsonl(store, fh, accepted_only=accepted_only)
    return (out,), n_docs, n_quotes
