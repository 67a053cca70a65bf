"""The article view on its own: selections map to stored spans exactly; highlights show."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QColor

from core.model import Annotation, Kind, Status
from gui.palette import speaker_colour, tint
from gui.widgets.article_view import ArticleView
from gui.widgets.dialogs import SpeakerDialog

PIECES = st.sampled_from(["word", " ", "\r\n", "\n", "👍🏽", "e\u0301", "“", "”", "\u2029", "ж"])


@pytest.fixture(scope="module")
def view(qapp) -> ArticleView:
    v = ArticleView()
    v.resize(500, 300)
    return v


@settings(max_examples=100, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=20).map("".join), st.data())
def test_selection_is_the_stored_span(view: ArticleView, text: str, data: st.DataObject) -> None:
    view.set_document(text, [])
    # spans a researcher can select: not inside a CRLF pair, not starting or ending in space
    ok = [i for i in range(len(text) + 1) if not (0 < i < len(text) and text[i - 1 : i + 1] == "\r\n")]
    start = data.draw(st.sampled_from(ok))
    end = data.draw(st.sampled_from([i for i in ok if i >= start]))
    view.select_span(start, end)
    got = view.selected_span()
    stripped = text[start:end].strip()
    if not stripped:
        assert got is None
    else:
        assert got is not None and text[got[0] : got[1]] == stripped
        assert start <= got[0] <= got[1] <= end


def test_highlight_pixels_show_the_speaker_colour(qapp) -> None:
    text = "Ann said: “We will win.” Then she left the room and nobody followed her out."
    start, end = text.index("“"), text.index("”") + 1
    quotes = [
        Annotation(1, 1, start, end, text[start:end], Kind.DIRECT, Status.ACCEPTED, speaker_id=4, speaker_name="Ann"),
        Annotation(2, 1, text.index("Then"), text.index("room") + 4, "", Kind.INDIRECT, Status.SUGGESTED,
                   speaker_id=2, speaker_name="Bob"),
    ]
    v = ArticleView()
    v.resize(900, 120)
    v.set_document(text, quotes)
    v.show()
    image = v.viewport().grab().toImage()
    colours = {QColor(image.pixel(x, y)).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
    assert speaker_colour(4).name() in colours  # accepted: the full colour
    assert tint(speaker_colour(2)).name() in colours  # suggested: the pale tint
    v.close()


def test_click_position_finds_innermost_quote(qapp) -> None:
    text = "A said “outer words “inner” more” end"
    outer = Annotation(1, 1, 7, 33, text[7:33], Kind.DIRECT, Status.ACCEPTED)
    inner = Annotation(2, 1, 20, 27, text[20:27], Kind.DIRECT, Status.ACCEPTED)
    v = ArticleView()
    v.set_document(text, [outer, inner])
    assert v.quote_at(22).id == 2
    assert v.quote_at(10).id == 1 and v.quote_at(30).id == 1
    assert v.quote_at(2) is None and v.quote_at(35) is None


def test_speaker_dialog_completes_known_names(qapp) -> None:
    dialog = SpeakerDialog(["Anna Smith", "Fumio Kishida", "Smith"], "")
    completer = dialog.edit.completer()
    completer.setCompletionPrefix("kish")  # matches inside the name, any case
    assert completer.currentCompletion() == "Fumio Kishida"
    completer.setCompletionPrefix("smi")
    assert completer.completionCount() == 2
    dialog.edit.setText("  New   Person ")
    assert dialog.name() == "New Person"
