"""Speaker colours within one document: distinct, in order of first appearance.

A speaker's id colour (:func:`.palette.speaker_colour`) keeps it recognisable across
documents and charts, but two speakers of one article can get near colours, and its first
speaker may be colour #9. While a document is shown, its speakers take the palette's slots
0, 1, 2, … in the order of their first quote (Set3's twelve, then the golden-angle steps), so
up to about twenty are clearly distinct; the article's highlights, the legend, the quote
table and the speakers panel all read the same map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtGui import QColor

from ..core.model import Quote
from .palette import slot_colour, speaker_colour


class ColourMap:
    """Which palette slot each speaker of a document takes (others keep their id colour)."""

    def __init__(self, slots: Mapping[int, int] | None = None) -> None:
        self._slots: dict[int, int] = dict(slots or {})

    @classmethod
    def for_quotes(cls, quotes: Iterable[Quote]) -> ColourMap:
        """Slots 0, 1, 2, … for the speakers of these quotes, by their first quote's start."""
        slots: dict[int, int] = {}
        for q in sorted(quotes, key=lambda q: (q.start, q.end, q.id)):
            if q.speaker_id is not None and q.speaker_id not in slots:
                slots[q.speaker_id] = len(slots)
        return cls(slots)

    def slot(self, speaker_id: int | None) -> int | None:
        """The speaker's slot in this document (``None``: not one of its speakers)."""
        return None if speaker_id is None else self._slots.get(speaker_id)

    def slots(self) -> dict[int, int]:
        """Speaker id -> slot, for every speaker of the document."""
        return dict(self._slots)

    def colour(self, speaker_id: int | None) -> QColor:
        """The speaker's colour here: its slot's, else its id colour (grey with no speaker)."""
        slot = self.slot(speaker_id)
        return speaker_colour(speaker_id) if slot is None else slot_colour(slot)

    def __contains__(self, speaker_id: object) -> bool:
        return speaker_id in self._slots

    def __len__(self) -> int:
        return len(self._slots)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ColourMap) and self._slots == other._slots

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._slots.items())))

    def __repr__(self) -> str:
        return f"ColourMap({self._slots!r})"
