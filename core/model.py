"""Plain records shared by the engine, the store, the command line and the window.

Every offset is a Python ``str`` offset (Unicode code points) into the document text, end
exclusive, so a record never needs a spaCy ``Doc`` (or a Qt widget) to be meaningful.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: Suggestions less sure than this are left out unless asked for (``--min-confidence``).
DEFAULT_MIN_CONFIDENCE = 0.5


class Kind(StrEnum):
    """What kind of quotation a span is."""

    DIRECT = "direct"  # the content stands in quotation marks
    INDIRECT = "indirect"  # reported speech, no marks
    MIXED = "mixed"  # reported speech that quotes some words


class SpeakerType(StrEnum):
    """Whether a speaker is a person, a body (organisation, group, institution) or a document.

    A document (a report, a poll, a filing, an ad) "shows" or "says" things but is nobody's
    voice: share-of-voice counts can leave it out.
    """

    PERSON = "person"
    ORGANISATION = "organisation"
    DOCUMENT = "document"
    UNKNOWN = "unknown"


class Status(StrEnum):
    """Where a quote stands in the researcher's review."""

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
class Suggestion:
    """One quotation found by the engine.

    Attributes:
        span: the quoted content; for direct quotes it includes the quotation marks.
        kind: direct, indirect or mixed.
        cue: the reporting word(s) (``said``, ``have said``, ``according to``) or ``None``.
        mention: the mention of the source nearest the quote, as written, or ``None``.
        speaker: the resolved speaker, the fullest name the article gives, or ``None``.
        speaker_type: person or organisation.
        confidence: 0..1, how sure the engine is that the span is a quote (its rule's measured
            precision); doubt about the speaker never lowers it.
        evidence: which rule produced it and through which antecedent.
        speaker_confidence: 0..1, how sure the engine is of the speaker, or ``None`` when no
            speaker is named.
    """

    span: Span
    kind: Kind
    cue: Span | None = None
    mention: Span | None = None
    speaker: str | None = None
    speaker_type: SpeakerType = SpeakerType.UNKNOWN
    confidence: float = 0.5
    evidence: Evidence = field(default_factory=lambda: Evidence("unknown"))
    speaker_confidence: float | None = None

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def text(self) -> str:
        return self.span.text

    def to_json(self, *, exact: bool = False) -> dict[str, Any]:
        """The suggestion as a record of the quote interchange schema (one element of ``quotes``).

        The one place a suggestion becomes a record: the extract writers, the project's formats
        and the spaCy component (``span._.quote``) all call it. Keys, in order: ``start``,
        ``end``, ``text``, ``kind``, ``speaker`` (the mention as written) with
        ``speaker_start``/``speaker_end``, ``cue`` with ``cue_start``/``cue_end``, ``entity``
        (the resolved speaker), ``entity_type``, ``confidence`` (is this a quote?),
        ``speaker_confidence`` (is this who said it?), ``rule``, and where the engine has them
        ``antecedent`` (``start``, ``end``, ``text``) and ``notes``.

        Args:
            exact: keep the confidences unrounded and always write ``antecedent`` and ``notes``,
                so :meth:`from_json` gives back an equal suggestion; otherwise confidences are
                rounded to 3 places and the two evidence keys are left out when empty.
        """

        def part(span: Span | None) -> tuple[str | None, int | None, int | None]:
            return (span.text, span.start, span.end) if span else (None, None, None)

        def rounded(value: float | None) -> float | None:
            return value if exact or value is None else round(value, 3)

        mention, mention_start, mention_end = part(self.mention)
        cue, cue_start, cue_end = part(self.cue)
        out: dict[str, Any] = {
            "start": self.span.start,
            "end": self.span.end,
            "text": self.span.text,
            "kind": self.kind.value,
            "speaker": mention,
            "speaker_start": mention_start,
            "speaker_end": mention_end,
            "cue": cue,
            "cue_start": cue_start,
            "cue_end": cue_end,
            "entity": self.speaker,
            "entity_type": self.speaker_type.value,
            "confidence": rounded(self.confidence),
            "speaker_confidence": rounded(self.speaker_confidence),
            "rule": self.evidence.rule,
        }
        ante = self.evidence.antecedent
        if ante is not None or exact:
            out["antecedent"] = {"start": ante.start, "end": ante.end, "text": ante.text} if ante else None
        if self.evidence.notes or exact:
            out["notes"] = list(self.evidence.notes)
        return out

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> Suggestion:
        """The suggestion a record of :meth:`to_json` holds (``exact=True`` gives an equal one).

        Args:
            record: the record, also after a round trip through msgpack (a ``DocBin`` gives its
                ``notes`` back as a tuple).
        """

        def span(prefix: str) -> Span | None:
            if record.get(prefix) is None:
                return None
            return Span(record[f"{prefix}_start"], record[f"{prefix}_end"], record[prefix])

        ante = record.get("antecedent")
        return cls(
            span=Span(record["start"], record["end"], record["text"]),
            kind=Kind(record["kind"]),
            cue=span("cue"),
            mention=span("speaker"),
            speaker=record.get("entity"),
            speaker_type=SpeakerType(record.get("entity_type") or SpeakerType.UNKNOWN),
            confidence=record["confidence"],
            evidence=Evidence(
                record.get("rule") or "unknown",
                Span(ante["start"], ante["end"], ante["text"]) if ante else None,
                tuple(record.get("notes") or ()),
            ),
            speaker_confidence=record.get("speaker_confidence"),
        )


@dataclass(frozen=True, slots=True)
class Article:
    """An article to read: its id (file name without extension, or the JSONL ``id``) and text."""

    id: str
    text: str
    source: str = ""
    title: str = ""
    #: what the input says of the document (outlet, date, url, author, meta): see formats.metadata
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False)


# --- the project store's records ------------------------------------------------------------
# What :class:`core.project.store.Store` returns. Plain frozen values, so the window can hold them,
# compare them and hand them back (``restore_quote``) without touching SQL.


@dataclass(frozen=True, slots=True)
class Document:
    """A stored article. Its text never changes once stored, so offsets into it stay valid.

    Attributes:
        id: the project's id for it.
        title: a short name (file name without extension, or the JSONL ``id``).
        source: where it came from (a path, or ``file.jsonl``).
        sha256: hex digest of the UTF-8 text; the same text is never stored twice.
        imported_at: ISO 8601 UTC time of import.
        text: the text, or ``None`` in listings (``Store.documents()`` never reads texts).
        n_quotes: how many quotes it has, of any status.
        n_suggested: how many of them still wait for review.
    """

    id: int
    title: str
    source: str
    sha256: str
    imported_at: str
    text: str | None = None
    n_quotes: int = 0
    n_suggested: int = 0


@dataclass(frozen=True, slots=True)
class Speaker:
    """A person or organisation quoted in the project, with the other names it goes by."""

    id: int
    name: str
    type: SpeakerType
    notes: str = ""
    aliases: tuple[str, ...] = ()
    n_quotes: int = 0


@dataclass(frozen=True, slots=True)
class Quote:
    """A stored quote: offsets into its document's text, its review status and provenance.

    Attributes:
        origin: who made it: ``"quotebench-engine <version>"``, ``"annotator:<name>"`` or
            ``"import:<file>"``.
        annotator: who last wrote it (the engine's origin for untouched suggestions).
        rule: for engine suggestions, the attribution pattern that fired.
        created, modified: ISO 8601 UTC times; a suggestion whose ``modified`` equals its
            ``created`` has not been touched by a researcher.
        note: the researcher's note.
        evidence: for engine suggestions, why (a resolved pronoun, a missing closing mark);
            never the researcher's.
    """

    id: int
    document_id: int
    start: int
    end: int
    text: str
    kind: Kind
    status: Status
    cue_start: int | None = None
    cue_end: int | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    speaker_id: int | None = None
    speaker_name: str | None = None
    confidence: float | None = None
    speaker_confidence: float | None = None
    origin: str = ""
    note: str = ""
    created: str = ""
    modified: str = ""
    annotator: str = ""
    rule: str = ""
    evidence: str = ""


def _union(a: frozenset[int], b: frozenset[int]) -> frozenset[int]:
    return a | b if b else a


@dataclass(frozen=True, slots=True)
class Changes:
    """What a write touched, so views refresh only that (the way Anki's ops return ``OpChanges``)."""

    documents: frozenset[int] = frozenset()
    quotes_added: frozenset[int] = frozenset()
    quotes_updated: frozenset[int] = frozenset()
    quotes_removed: frozenset[int] = frozenset()
    speakers: frozenset[int] = frozenset()

    def __or__(self, other: Changes) -> Changes:
        if not isinstance(other, Changes):
            return NotImplemented
        return Changes(
            documents=_union(self.documents, other.documents),
            quotes_added=_union(self.quotes_added, other.quotes_added),
            quotes_updated=_union(self.quotes_updated, other.quotes_updated),
            quotes_removed=_union(self.quotes_removed, other.quotes_removed),
            speakers=_union(self.speakers, other.speakers),
        )

    def __bool__(self) -> bool:
        return bool(
            self.documents or self.quotes_added or self.quotes_updated or self.quotes_removed or self.speakers
        )


@dataclass(frozen=True, slots=True)
class Edit:
    """One row of a project's history: who changed which row, when, from what to what.

    Attributes:
        action: ``"add"``, ``"update"``, ``"delete"``, ``"restore"``, ``"merge"``, ...
        table: the table the row lives in (``"quotes"``, ``"speakers"``, ...).
        before, after: the row's fields before and after (``None`` when it did not exist).
    """

    id: int
    at: str
    annotator: str
    action: str
    table: str
    row_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class MergeRecord:
    """Everything ``Store.merge_speakers`` changed, so ``Store.unmerge`` can put it back exactly.

    Attributes:
        keep_id: the speaker that absorbed the other.
        gone: the absorbed speaker's row as it was (``id``, ``name``, ``type``, ``notes``).
        gone_aliases: its aliases.
        moved_quotes: ids of the quotes that pointed at it.
        added_aliases: aliases the kept speaker gained (the gone one's name and aliases it
            did not already have).
    """

    keep_id: int
    gone: dict[str, Any]
    gone_aliases: tuple[str, ...]
    moved_quotes: tuple[int, ...]
    added_aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SplitRecord:
    """What ``Store.split_alias`` did, so ``Store.unsplit`` can reverse it exactly."""

    speaker_id: int
    new_id: int
    alias: str
    moved_quotes: tuple[int, ...]


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> int | None:
    """The offset of the first lone surrogate in ``text`` (none in any text read from UTF-8).

    A JSON escape such as ``"\\ud800"`` decodes to one; it is no character, and neither
    UTF-8 nor spaCy can hold it.
    """
    match = _LONE_SURROGATE.search(text)
    return match.start() if match else None
