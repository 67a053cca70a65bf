"""A suggestion as a record of plain values, and back.

The spaCy component puts this record in ``span._.quote``: a dict of strings, numbers, lists
and ``None``, so a ``Doc`` holding quotes serialises (``Doc.to_bytes``, ``DocBin`` with user
data, ``nlp.pipe(..., n_process=2)``). Its keys follow the quote interchange schema (``start``,
``end``, ``text``, ``kind``, ``speaker`` for the mention as written, ``entity`` for the speaker
it refers to, ``confidence``, ``rule`` …); unlike the exported form, the confidence is not
rounded, and ``antecedent`` and ``notes`` are always present, so the record converts back to the
same :class:`~core.model.Suggestion`.
"""

from __future__ import annotations

from typing import Any

from ..model import Evidence, Kind, SpeakerType, Suggestion
from ..model import Span as CharSpan


def quote_record(quote: Suggestion) -> dict[str, Any]:
    """A suggestion as a dict of plain values (see the module's description).

    Args:
        quote: a suggestion of the engine.

    Returns:
        The record.
    """
    mention, cue, ante = quote.mention, quote.cue, quote.evidence.antecedent
    return {
        "start": quote.start,
        "end": quote.end,
        "text": quote.text,
        "kind": quote.kind.value,
        "speaker": mention.text if mention else None,
        "speaker_start": mention.start if mention else None,
        "speaker_end": mention.end if mention else None,
        "cue": cue.text if cue else None,
        "cue_start": cue.start if cue else None,
        "cue_end": cue.end if cue else None,
        "entity": quote.speaker,
        "entity_type": quote.speaker_type.value,
        "confidence": quote.confidence,
        "speaker_confidence": quote.speaker_confidence,
        "rule": quote.evidence.rule,
        "antecedent": {"start": ante.start, "end": ante.end, "text": ante.text} if ante else None,
        "notes": list(quote.evidence.notes),
    }


def suggestion_from_record(record: dict[str, Any]) -> Suggestion:
    """The suggestion a record of :func:`quote_record` was made from.

    Args:
        record: the record, also after a round trip through msgpack (``DocBin`` gives its
            ``notes`` back as a tuple).

    Returns:
        An equal suggestion.
    """

    def span(prefix: str) -> CharSpan | None:
        if record[prefix] is None:
            return None
        return CharSpan(record[f"{prefix}_start"], record[f"{prefix}_end"], record[prefix])

    ante = record["antecedent"]
    return Suggestion(
        span=CharSpan(record["start"], record["end"], record["text"]),
        kind=Kind(record["kind"]),
        cue=span("cue"),
        mention=span("speaker"),
        speaker=record["entity"],
        speaker_type=SpeakerType(record["entity_type"]),
        confidence=record["confidence"],
        speaker_confidence=record.get("speaker_confidence"),
        evidence=Evidence(
            record["rule"],
            CharSpan(ante["start"], ante["end"], ante["text"]) if ante else None,
            tuple(record["notes"]),
        ),
    )
