"""How the engine's suggestions become a project's quotes and speakers: pure rules, no SQL.

The store (:meth:`~.store.Store.save_suggestions`) and the importers ask these functions
which speaker a suggestion belongs to, which mentions become aliases, which stored quotes a
new run may replace and which new suggestions are dropped. They work on the shared records of
:mod:`core.model`, so neither the engine nor SQL is needed to read or test them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..model import SpeakerType, Status, Suggestion
from .lexicon import PRONOUNS


def speaker_name(suggestion: Suggestion) -> str | None:
    """The name of the speaker a suggestion belongs to, or ``None`` if it names nobody."""
    if not suggestion.speaker or not suggestion.speaker.strip():
        return None
    return suggestion.speaker


def upgrades_type(stored: SpeakerType, suggested: SpeakerType) -> bool:
    """Whether a suggestion's speaker type replaces the stored one: only an unknown type is."""
    return stored is SpeakerType.UNKNOWN and suggested is not SpeakerType.UNKNOWN


def mention_alias(text: str, start: int, end: int) -> str | None:
    """The alias a speaker mention gives its speaker, or ``None`` for a pronoun or blank.

    Args:
        text: the document's text.
        start: the mention's start offset.
        end: its end offset (exclusive).

    Returns:
        The mention with its white space made single spaces, unless it is empty or one of
        :data:`~.lexicon.PRONOUNS` (compared case-insensitively).
    """
    mention = " ".join(text[start:end].split())
    if not mention or mention.casefold() in PRONOUNS:
        return None
    return mention


def is_untouched(row: dict[str, Any]) -> bool:
    """Whether a stored quote is a suggestion no researcher has reviewed or edited (a new run
    of the engine may replace it)."""
    return bool(row["status"] == Status.SUGGESTED and row["created"] == row["modified"])


def overlaps_any(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether ``start..end`` overlaps any of ``spans`` (a new suggestion over a reviewed quote
    is dropped, so a researcher's work is never duplicated)."""
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def suggestion_row(
    suggestion: Suggestion, doc_id: int, speaker_id: int | None, origin: str, stamp: str
) -> dict[str, Any]:
    """The ``quotes`` row that stores a suggestion, untouched (``created == modified``), with
    the engine's record in ``original``.

    Args:
        suggestion: the engine's record, with offsets into the document's text.
        doc_id: the document it was found in.
        speaker_id: its speaker (see :func:`speaker_name`), if any.
        origin: the engine run, e.g. ``"quotebench-engine 0.1.0"``; also its annotator.
        stamp: the run's time.
    """
    cue, mention = suggestion.cue, suggestion.mention
    return {
        "id": None,
        "document_id": doc_id,
        "start": suggestion.start,
        "end": suggestion.end,
        "kind": suggestion.kind,
        "cue_start": cue.start if cue else None,
        "cue_end": cue.end if cue else None,
        "mention_start": mention.start if mention else None,
        "mention_end": mention.end if mention else None,
        "speaker_id": speaker_id,
        "status": Status.SUGGESTED,
        "confidence": round(float(suggestion.confidence), 3),
        "speaker_confidence": (
            None if suggestion.speaker_confidence is None else round(float(suggestion.speaker_confidence), 3)
        ),
        "origin": origin,
        "rule": suggestion.evidence.rule,
        "note": "",  # the researcher's alone
        "evidence": "; ".join(suggestion.evidence.notes),
        "annotator": origin,
        "created": stamp,
        "modified": stamp,
        # the engine's record as it was, kept when a researcher edits the quote (quotebench evaluate)
        "original": json.dumps(suggestion.to_json(), ensure_ascii=False),
    }
