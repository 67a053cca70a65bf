"""Speaker colours: stable, distinct and light enough to read black text on.

A speaker keeps its colour in every document and every session: the colour comes from its
id. The first twelve are ColorBrewer's qualitative "Set3" (designed for black labels); ids
past those step round the hue circle by the golden angle at the same lightness, so
neighbouring ids stay far apart.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor

SET3 = (
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
    "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
)  # fmt: skip

#: The colour of quotes with no speaker yet.
NO_SPEAKER = "#e4e4e4"

GOLDEN_ANGLE = 137.50776


@lru_cache(maxsize=4096)
def speaker_colour(speaker_id: int | None) -> QColor:
    """The colour of a speaker's quotes (grey for quotes with no speaker).

    Args:
        speaker_id: the speaker's id in the project.
    """
    if speaker_id is None:
        return QColor(NO_SPEAKER)
    i = (speaker_id - 1) % 4096
    if i < len(SET3):
        return QColor(SET3[i])
    hue = (i * GOLDEN_ANGLE) % 360
    return QColor.fromHslF(hue / 360, 0.70, 0.80)


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
