"""The quote record: the one schema every reader and writer of quotes uses.

The interchange schema (``/work/shared/eval/SCHEMA.md``) names a quote's keys: its span
(``start``, ``end``, ``text``, ``kind``), the mention of its source as written (``speaker``,
``speaker_start``, ``speaker_end``), its reporting words (``cue``, ``cue_start``, ``cue_end``)
and the resolved speaker (``entity``, ``entity_type``), with an optional ``confidence``. A
project export adds the project's fields (:data:`PROJECT_KEYS`). Tables name the same things
as a reader would: ``mention`` for the words in the text and ``speaker`` for the resolved
person or body (:data:`TABLE_NAMES`).

An engine suggestion becomes a record through :meth:`~core.model.Suggestion.to_json`; this
module turns a stored quote row and a :class:`~core.model.Quote` into records, and checks a
record read from a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Kind, Quote, Speaker, SpeakerType, Status

#: The keys of a quote in the interchange schema, in the order they are written.
INTERCHANGE_KEYS = (
    "start",
    "end",
    "text",
    "kind",
    "speaker",
    "speaker_start",
    "speaker_end",
    "cue",
    "cue_start",
    "cue_end",
    "entity",
    "entity_type",
    "confidence",
    "speaker_confidence",
)
#: The project's own fields that a project export adds to each quote.
PROJECT_KEYS = (
    "quote_id",
    "speaker_id",
    "status",
    "origin",
    "rule",
    "evidence",
    "note",
    "annotator",
    "created",
    "modified",
)
#: The key of the first line of a project export (its header, with the speakers).
EXPORT_MARK = "quotebench_export"

#: How a table (CSV) names a record's keys where the interchange schema's name would mislead:
#: the words in the text are the ``mention``, the resolved person or body the ``speaker``.
TABLE_NAMES = {
    "text": "quote",
    "speaker": "mention",
    "speaker_start": "mention_start",
    "speaker_end": "mention_end",
    "entity": "speaker",
    "entity_type": "speaker_type",
}

#: Characters that open a quotation: a quote that starts with one is direct.
OPENING_MARKS = "\"'“‘«‹„‚「『"


def stored_quote_record(row: Mapping[str, Any], text: str, speaker: Speaker | None) -> dict[str, Any]:
    """A stored quote row (``quotes`` table) as an interchange record plus the project's fields.

    Args:
        row: the quote's row as the store keeps it.
        text: its document's text (the mention and cue are read from it).
        speaker: the speaker ``row["speaker_id"]`` points at, if any.
    """
    ms, me, cs, ce = row["mention_start"], row["mention_end"], row["cue_start"], row["cue_end"]
    return {
        "quote_id": row["id"],
        "start": row["start"],
        "end": row["end"],
        "text": row["text"],
        "kind": row["kind"],
        "speaker": text[ms:me] if ms is not None else None,
        "speaker_start": ms,
        "speaker_end": me,
        "cue": text[cs:ce] if cs is not None else None,
        "cue_start": cs,
        "cue_end": ce,
        "entity": speaker.name if speaker else None,
        "entity_type": speaker.type.value if speaker else None,
        "speaker_id": row["speaker_id"],
        "confidence": row["confidence"],
        "speaker_confidence": row["speaker_confidence"],
        "status": row["status"],
        "origin": row["origin"],
        "rule": row["rule"],
        "evidence": row.get("evidence") or "",
        "note": row["note"],
        "annotator": row["annotator"],
        "created": row["created"],
        "modified": row["modified"],
    }


def docbin_quote_record(quote: Quote, speaker: Speaker | None) -> dict[str, Any]:
    """A quote as a DocBin export keeps it in ``doc.user_data["quotebench"]["quotes"]``.

    This older shape names the resolved speaker ``speaker`` and gives the cue and mention as
    ``[start, end]`` pairs; it is kept as it is so that existing DocBin files read the same.
    """
    return {
        "id": quote.id,
        "start": quote.start,
        "end": quote.end,
        "kind": quote.kind.value,
        "status": quote.status.value,
        "speaker": speaker.name if speaker else None,
        "speaker_id": quote.speaker_id,
        "speaker_type": speaker.type.value if speaker else None,
        "cue": [quote.cue_start, quote.cue_end] if quote.cue_start is not None else None,
        "mention": [quote.mention_start, quote.mention_end] if quote.mention_start is not None else None,
        "confidence": quote.confidence,
        "speaker_confidence": quote.speaker_confidence,
        "origin": quote.origin,
    }


def table_row(record: Mapping[str, Any], columns: tuple[str, ...], **extra: Any) -> list[Any]:
    """A record as the cells of a table row under ``columns`` (named as in :data:`TABLE_NAMES`).

    Args:
        record: a quote record (``Suggestion.to_json()`` or :func:`stored_quote_record`).
        columns: the table's columns.
        extra: cells that are not in the record (the document's id or title).
    """
    keys = {TABLE_NAMES.get(key, key): key for key in record}
    return [extra[c] if c in extra else record.get(keys.get(c, c)) for c in columns]


# --- reading -------------------------------------------------------------------------------


def _offsets(
    q: Mapping[str, Any], start_key: str, end_key: str, text: str, what: str
) -> tuple[int, int] | None:
    start, end = q.get(start_key), q.get(end_key)
    if start is None and end is None:
        return None
    if not (type(start) is int and type(end) is int and 0 <= start <= end <= len(text)):
        raise ValueError(
            f"{what} offsets {start!r}..{end!r} are not within the text ({len(text)} characters)"
        )
    return start, end


def _check_values(q: Mapping[str, Any]) -> None:
    for key, enum in (("status", Status), ("entity_type", SpeakerType)):
        if q.get(key) is not None:
            try:
                enum(q[key])
            except ValueError:
                raise ValueError(f"unknown {key} {q[key]!r}") from None
    conf = q.get("confidence")
    if conf is not None and not (
        isinstance(conf, int | float) and not isinstance(conf, bool) and 0 <= conf <= 1
    ):
        raise ValueError(f"confidence {conf!r} is not a number from 0 to 1")


def check_quote(q: Any, text: str) -> dict[str, Any]:
    """Validate one quote record of the interchange schema against its article's text.

    Returns:
        The record with ``kind`` filled in (from the quotation marks if it was missing), and
        ``_cue`` and ``_mention`` as ``(start, end)`` or ``None``.

    Raises:
        ValueError: what is wrong with it.
    """
    if not isinstance(q, dict):
        raise ValueError("not an object")
    span = _offsets(q, "start", "end", text, "quote")
    if span is None or span[0] == span[1]:
        raise ValueError("no start and end")
    start, end = span
    if "text" in q and q["text"] is not None and q["text"] != text[start:end]:
        raise ValueError(f"its text {q['text'][:40]!r} is not the text at {start}..{end}")
    kind = q.get("kind") or (Kind.DIRECT if text[start] in OPENING_MARKS else Kind.INDIRECT)
    try:
        kind = Kind(kind)
    except ValueError:
        raise ValueError(f"unknown kind {kind!r}") from None
    cue = _offsets(q, "cue_start", "cue_end", text, "cue")
    mention = _offsets(q, "speaker_start", "speaker_end", text, "speaker")
    _check_values(q)
    return {**q, "kind": kind, "_cue": cue, "_mention": mention}
