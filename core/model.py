"""Plain records shared by the engine, the store, the command line and the window.

Every offset is a Python ``str`` offset (Unicode code points) into the document text, end
exclusive, so a record never needs a spaCy ``Doc`` (or a Qt widget) to be meaningful.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What kind of quotation a span is."""

    DIRECT = "direct"  # the content stands in quotation marks
    INDIRECT = "indirect"  # reported speech, no marks
    MIXED = "mixed"  # reported speech that quotes some words


class SpeakerType(StrEnum):
    """Whether a speaker is a person or a body (organisation, group, institution)."""

    PERSON = "person"
    ORGANISATION = "organisation"
    UNKNOWN = "unknown"


class Status(StrEnum):
    """Where an annotation stands in the researcher's review."""

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a text: ``text[start:end] == self.text``."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets: {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why the engine suggested a quote, so a researcher can check it.

    Attributes:
        rule: the attribution pattern that fired, e.g. ``"direct.colon_intro"``.
        antecedent: for a resolved pronoun, role noun or alias, the mention it was resolved
            through (``None`` when the mention names the speaker itself).
        notes: short free-text remarks (``"closing mark missing: ends with its paragraph"``).
    """

    rule: str
    antecedent: Span | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation found by the engine.

    Attributes:
        span: the quoted content; for direct quotes it includes the quotation marks.
        kind: direct, indirect or mixed.
        cue: the reporting word(s) (``said``, ``have said``, ``according to``) or ``None``.
        mention: the mention of the source nearest the quote, as written, or ``None``.
        speaker: the resolved speaker, the fullest name the article gives, or ``None``.
        speaker_type: person or organisation.
        confidence: 0..1, how sure the engine is of the span and its speaker.
        evidence: which rule produced it and through which antecedent.
    """

    span: Span
    kind: Kind
    cue: Span | None = None
    mention: Span | None = None
    speaker: str | None = None
    speaker_type: SpeakerType = SpeakerType.UNKNOWN
    confidence: float = 0.5
    evidence: Evidence = field(default_factory=lambda: Evidence("unknown"))

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def text(self) -> str:
        return self.span.text

    def to_json(self) -> dict[str, Any]:
        """The record in the quote interchange schema (one element of ``quotes``)."""
        out: dict[str, Any] = {
            "start": self.span.start,
            "end": self.span.end,
            "text": self.span.text,
            "kind": self.kind.value,
            "speaker": self.mention.text if self.mention else None,
            "speaker_start": self.mention.start if self.mention else None,
            "speaker_end": self.mention.end if self.mention else None,
            "cue": self.cue.text if self.cue else None,
            "cue_start": self.cue.start if self.cue else None,
            "cue_end": self.cue.end if self.cue else None,
            "entity": self.speaker,
            "entity_type": self.speaker_type.value,
            "confidence": round(self.confidence, 3),
            "rule": self.evidence.rule,
        }
        if self.evidence.antecedent is not None:
            ante = self.evidence.antecedent
            out["antecedent"] = {"start": ante.start, "end": ante.end, "text": ante.text}
        if self.evidence.notes:
            out["notes"] = list(self.evidence.notes)
        return out


@dataclass(frozen=True, slots=True)
class Article:
    """An article to read: its id (file name without extension, or the JSONL ``id``) and text."""

    id: str
    text: str
    source: str = ""
    title: str = ""
