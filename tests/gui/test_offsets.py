"""quotebench.gui.offsets: stored code point offsets and Qt document positions map exactly, both ways."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument

from quotebench.gui.offsets import OffsetMap, display_text

EMOJI = "👍🏽"  # two astral code points: thumbs up + skin tone modifier
COMBINING = "e\u0301"  # e + combining acute accent


def _selected(doc: QTextDocument, start: int, end: int) -> str:
    cur = QTextCursor(doc)
    cur.setPosition(start)
    cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cur.selectedText().replace("\u2029", "\n")


def _shown(text: str) -> str:
    """What Qt shows for a piece of stored text, separators as \\n."""
    return display_text(text).replace("\r", "\n").replace("\u2029", "\n")


def _document(text: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setPlainText(display_text(text))
    return doc


@pytest.mark.parametrize(
    "text, start, end, qt",
    [
        (f"He said {EMOJI} “yes”", 11, 16, (13, 18)),
        ("Line one\r\nShe said “no”.\r\n", 19, 23, (18, 22)),
        (f"Caf{COMBINING} owner: “bien”", 13, 19, (13, 19)),
        (f"a\r\n{EMOJI}\r\nb “c”", 9, 12, (9, 12)),
    ],
)
def test_known_spans(qapp, text: str, start: int, end: int, qt: tuple[int, int]) -> None:
    m = OffsetMap(text)
    assert m.span_to_qt(start, end) == qt
    assert m.span_to_text(*qt) == (start, end)
    assert _selected(_document(text), *qt) == _shown(text[start:end])


def test_emoji_quote_highlights_exactly_its_characters(qapp) -> None:
    text = f"{EMOJI}{EMOJI} Ann: “I love it {EMOJI}” she said.\r\nNext line é"
    start = text.index("“")
    end = text.index("”") + 1
    m = OffsetMap(text)
    doc = _document(text)
    assert _selected(doc, *m.span_to_qt(start, end)) == text[start:end]
    assert m.to_qt(start) == start + 4  # two emoji of two code points each, 2 units per code point


def test_crlf_counts_once_on_screen(qapp) -> None:
    text = "ab\r\ncd\r\nef"
    m = OffsetMap(text)
    assert m.qt_length == len(text) - 2
    assert [m.to_qt(i) for i in range(len(text) + 1)] == [0, 1, 2, 2, 3, 4, 5, 5, 6, 7, 8]
    # a screen position maps to the offset before the \r, never between \r and \n
    assert [m.to_text(p) for p in range(m.qt_length + 1)] == [0, 1, 2, 4, 5, 6, 8, 9, 10]


def test_position_inside_surrogate_pair_rounds_down() -> None:
    m = OffsetMap(f"x{EMOJI}y")
    assert m.to_text(2) == 1  # inside 👍
    assert m.to_text(3) == 2
    assert m.to_text(4) == 2  # inside the skin tone
    assert m.to_text(5) == 3


def test_out_of_range_clamps() -> None:
    m = OffsetMap("abc")
    assert m.to_qt(-3) == 0 and m.to_qt(99) == 3
    assert m.to_text(-1) == 0 and m.to_text(99) == 3


def test_big_text_builds_and_maps(qapp) -> None:
    text = f"Word {EMOJI} said “quote”.\r\n" * 20_000
    m = OffsetMap(text)
    last = text.rindex("“")
    assert m.to_text(m.to_qt(last)) == last
    assert m.qt_length == len(text) + 2 * 20_000 - 20_000


ALPHABET = st.sampled_from(
    ["a", "b", " ", "\n", "\r\n", "\r", "\u2029", "\u2028", "😀", EMOJI, COMBINING, "\u0301", "“", "ж"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(ALPHABET, max_size=25).map("".join), st.data())
def test_any_span_selects_exactly_its_text(qapp, text: str, data: st.DataObject) -> None:
    # offsets a researcher can have: not between the \r and \n of a CRLF
    inside_crlf = {i + 1 for i in range(len(text) - 1) if text[i : i + 2] == "\r\n"}
    valid = [i for i in range(len(text) + 1) if i not in inside_crlf]
    start = data.draw(st.sampled_from(valid))
    end = data.draw(st.sampled_from([i for i in valid if i >= start]))
    m = OffsetMap(text)
    doc = _document(text)
    qs, qe = m.span_to_qt(start, end)
    assert _selected(doc, qs, qe) == _shown(text[start:end])
    assert m.span_to_text(qs, qe) == (start, end)
    assert m.qt_length == doc.characterCount() - 1


@settings(max_examples=150, deadline=None)
@given(st.lists(ALPHABET, max_size=25).map("".join))
def test_every_cursor_position_round_trips(qapp, text: str) -> None:
    m = OffsetMap(text)
    doc = _document(text)
    cur = QTextCursor(doc)
    positions = {0}
    while cur.movePosition(QTextCursor.MoveOperation.NextCharacter):
        positions.add(cur.position())
    for p in positions:
        assert m.to_qt(m.to_text(p)) == p
