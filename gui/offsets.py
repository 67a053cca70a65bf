"""Converting offsets between stored text (Python code points) and Qt's text document.

The store counts Unicode code points (Python ``str`` indexes). Qt counts UTF-16 code units,
so every character outside the Basic Multilingual Plane (most emoji) takes two Qt positions.
A ``QTextDocument`` also turns line ends into block separators: ``\\r\\n`` becomes *one*
separator, while ``\\n``, a lone ``\\r`` and ``\\u2029`` each stay one position. Combining
marks are separate code points in both counts, so they need nothing.

The displayed text is therefore the stored text with every ``\\r\\n`` shown as one line end
(:func:`display_text`); the ``\\r`` of a CRLF has no position of its own on screen. A stored
offset just before the ``\\r`` and one between ``\\r`` and ``\\n`` show at the same place;
mapping back from the screen gives the first of them, so a selection never starts or ends
inside a CRLF pair.

Only the characters that make the two counts differ are recorded, in sorted lists, so a
conversion is a binary search: building the map for a 200,000-word article takes a few
milliseconds and each lookup is O(log n).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

# Characters whose Qt width differs from 1: astral characters (2 UTF-16 units) and the \r of
# a \r\n pair (0: Qt merges the pair into one block separator).
_SPECIAL = re.compile("[\U00010000-\U0010ffff]|\r(?=\n)")


def display_text(text: str) -> str:
    """The text as a ``QTextDocument`` holds it (CRLF pairs become one line end).

    Args:
        text: the stored text.

    Returns:
        The text to hand to ``setPlainText`` (lone ``\\r`` shown as ``\\n``, same width); its
        UTF-16 positions are those of
        :meth:`OffsetMap.to_qt`.
    """
    # lone \r become \n too: otherwise "\r\r\n" would shrink twice (Qt merges the new \r\n)
    return text.replace("\r\n", "\n").replace("\r", "\n")


class OffsetMap:
    """Two-way map between code point offsets in a text and positions in its Qt document.

    Attributes:
        length: the text's length in code points.
        qt_length: its length in Qt positions (without the document's final separator).
    """

    __slots__ = ("_cum", "_keys", "_qt_starts", "_widths", "length", "qt_length")

    def __init__(self, text: str) -> None:
        keys: list[int] = []
        widths: list[int] = []
        for m in _SPECIAL.finditer(text):
            keys.append(m.start())
            widths.append(0 if m.group() == "\r" else 2)
        deltas = [w - 1 for w in widths]
        #: _cum[n]: how far Qt positions run ahead after the first n special characters
        self._cum = [0, *accumulate(deltas)]
        self._keys = keys
        self._widths = widths
        self._qt_starts = [k + c for k, c in zip(keys, self._cum, strict=False)]
        self.length = len(text)
        self.qt_length = len(text) + self._cum[-1]

    def to_qt(self, offset: int) -> int:
        """The Qt document position of a code point offset.

        Args:
            offset: 0 to ``length`` (clamped).
        """
        offset = min(max(offset, 0), self.length)
        return offset + self._cum[bisect_left(self._keys, offset)]

    def to_text(self, position: int) -> int:
        """The code point offset of a Qt position.

        A position inside a surrogate pair (which Qt never gives for a cursor, but a raw
        count might) rounds down to the start of that character.

        Args:
            position: 0 to ``qt_length`` (clamped).
        """
        position = min(max(position, 0), self.qt_length)
        n = bisect_left(self._qt_starts, position)  # special characters starting before it
        if n and self._widths[n - 1] == 2 and position < self._qt_starts[n - 1] + 2:
            return self._keys[n - 1]  # inside an astral character
        return position - self._cum[n]

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        """A ``(start, end)`` code point span as Qt positions."""
        return self.to_qt(start), self.to_qt(end)

    def span_to_text(self, start: int, end: int) -> tuple[int, int]:
        """A Qt selection ``(start, end)`` as a code point span."""
        return self.to_text(start), self.to_text(end)
