"""Speaker colours in the window: the one definition in :mod:`quotebench.core.analysis.colours`.

A speaker keeps its colour in every document, every session and every chart: the colour comes
from its id (see the core module for how). This module only turns it into a ``QColor`` and adds
the window's shades of it. While a document is shown, its own speakers take the sequence's
slots in order of appearance instead (:class:`.colour_map.ColourMap`, :func:`slot_colour`).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor

from ..core.analysis import colours
from ..core.analysis.colours import NO_SPEAKER, SET3

__all__ = ["NO_SPEAKER", "SET3", "ink", "slot_colour", "speaker_colour", "tint"]


@lru_cache(maxsize=4096)
def speaker_colour(speaker_id: int | None) -> QColor:
    """The colour of a speaker's quotes (grey for quotes with no speaker).

    Args:
        speaker_id: the speaker's id in the project.
    """
    return QColor(colours.speaker_colour(speaker_id))


@lru_cache(maxsize=4096)
def slot_colour(slot: int) -> QColor:
    """The ``slot``-th colour of the sequence (a document's speakers, in order of appearance)."""
    return QColor(colours.slot_colour(slot))


def tint(colour: QColor, amount: float = 0.55) -> QColor:
    """The colour mixed with white (``amount`` of white): how a suggestion is shown."""
    return QColor(
        round(colour.red() + (255 - colour.red()) * amount),
        round(colour.green() + (255 - colour.green()) * amount),
        round(colour.blue() + (255 - colour.blue()) * amount),
    )


def ink(colour: QColor) -> QColor:
    """A dark shade of the colour, for underlines and outlines on its own background."""
    return colour.darker(220)
