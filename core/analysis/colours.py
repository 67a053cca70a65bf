"""Speaker colours: stable, distinct and light enough to read black text on.

A speaker keeps its colour in every document, every session and every chart: the colour comes
from its id. The first twelve are ColorBrewer's qualitative "Set3" (designed for black labels);
ids past those step round the hue circle by the golden angle at the same lightness, so
neighbouring ids stay far apart. This is the one definition: the window (``gui/palette.py``)
and the charts (:mod:`.charts`) both use it, so a speaker's bar has its highlight's colour.
"""

from __future__ import annotations

import colorsys
from functools import lru_cache

SET3 = (
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
    "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
)  # fmt: skip

#: The colour of quotes with no speaker yet.
NO_SPEAKER = "#e4e4e4"

GOLDEN_ANGLE = 137.50776

#: Colours of speaker types and quote kinds in charts (ColorBrewer "Dark2", readable as fills
#: under black text at 60 % and distinct for the common forms of colour blindness).
CATEGORY_COLOURS = {
    "person": "#1b9e77",
    "organisation": "#d95f02",
    "document": "#7570b3",
    "unknown": "#a6a6a6",
    "direct": "#1b9e77",
    "indirect": "#d95f02",
    "mixed": "#7570b3",
}
#: Colours for other categories (attribute values), in turn: ColorBrewer "Dark2".
DARK2 = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


@lru_cache(maxsize=4096)
def speaker_colour(speaker_id: int | None) -> str:
    """The colour of a speaker's quotes, as ``#rrggbb`` (grey for quotes with no speaker).

    Args:
        speaker_id: the speaker's id in the project.
    """
    if speaker_id is None:
        return NO_SPEAKER
    return slot_colour((speaker_id - 1) % 4096)


@lru_cache(maxsize=4096)
def slot_colour(slot: int) -> str:
    """The ``slot``-th colour of the sequence, as ``#rrggbb``: Set3's twelve, then golden-angle steps.

    Speaker ``id`` takes slot ``id - 1``; a window colouring the speakers of one document
    gives them slots 0, 1, 2, … in order of appearance instead.
    """
    i = slot % 4096
    if i < len(SET3):
        return SET3[i]
    hue = (i * GOLDEN_ANGLE) % 360
    # HSL (hue, saturation 0.70, lightness 0.80) computed as Qt's QColor.fromHslF does: hue in
    # hundredths of a degree, channels in 16 bits, then 8 (equal to Qt's for all but 2 of 4,096 ids,
    # which differ by one unit in 255)
    h = round(hue * 100) / 36000
    s, lightness = round(0.70 * 65535) / 65535, round(0.80 * 65535) / 65535
    r, g, b = colorsys.hls_to_rgb(h, lightness, s)
    return "#{:02x}{:02x}{:02x}".format(*(_eight_bits(round(c * 65535)) for c in (r, g, b)))


def _eight_bits(value: int) -> int:
    """A 16-bit channel in 8 bits, rounded as Qt rounds it."""
    return (value + 128 - ((value + 128) >> 8)) >> 8


def ink(colour: str, factor: float = 1 / 2.2) -> str:
    """A dark shade of a ``#rrggbb`` colour, for outlines and text on its own background."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def category_colour(key: str | None, index: int) -> str:
    """The colour of a category in a chart: its own for types and kinds, else the ``index``-th."""
    if key is None or key == "":
        return CATEGORY_COLOURS["unknown"]
    return CATEGORY_COLOURS.get(key, DARK2[index % len(DARK2)])
