"""Plain records the agreement measures work on: one coder's documents and quotes.

They hold only what agreement needs (offsets, kind, resolved speaker), so the measures are
pure functions that tests can feed by hand, without a project file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class QuoteRecord(NamedTuple):
    """One coder's quote (a named tuple: tens of thousands are made per project, quickly).

    Attributes:
        id: the quote's id in its project (0 for records built by hand).
        start, end: code-point offsets into the document text, end exclusive.
        kind: ``direct``, ``indirect`` or ``mixed``.
        speaker: the resolved speaker's name, or ``None`` where the quote has none.
        status: the review status it had (``accepted``, ``suggested``, ``rejected``).
        text: the quoted text (``text[start:end]`` of the document).
    """

    id: int
    start: int
    end: int
    kind: str
    speaker: str | None = None
    status: str = "accepted"
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        """The record as JSON (what a disagreement shows of each side)."""
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "speaker": self.speaker,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class DocRecord:
    """One coder's document: its text and the quotes that count.

    Attributes:
        id: the document's id in its project.
        title: its title in that project.
        sha256: hex SHA-256 of the UTF-8 text: how documents of two projects are matched.
        text: the text (quote spans are normalised against it).
        quotes: the quotes, in the order the coder made them (by quote id); their positions
            in this tuple break ties in the one-to-one matching, as the scorer's do.
    """

    id: int
    title: str
    sha256: str
    text: str
    quotes: tuple[QuoteRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class Coding:
    """One coder's project: a name for reports and its documents by text hash."""

    name: str
    documents: dict[str, DocRecord] = field(default_factory=dict)
