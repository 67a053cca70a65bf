"""The article view on its own: selections map to stored spans exactly; highlights show."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QColor

from quotebench.core.model import Kind, Quote, Status
from quotebench.gui.palette import tint
from quotebench.gui.widgets.article_view import ArticleView
from quotebench.gui.widgets.dialogs import SpeakerDialog

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
        Quote(
            1, 1, start, end, text[start:end], Kind.DIRECT, Status.ACCEPTED, speaker_id=4, speaker_name="Ann"
        ),
        Quote(
            2,
            1,
            text.index("Then"),
            text.index("room") + 4,
            "",
            Kind.INDIRECT,
            Status.SUGGESTED,
            speaker_id=2,
            speaker_name="Bob",
        ),
    ]
    v = ArticleView()
    v.resize(900, 120)
    v.set_document(text, quotes)
    v.show()
    image = v.viewport().grab().toImage()
    colours = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    colour = v.colour_map().colour  # this document's speaker colours
    assert colour(4).name() in colours  # accepted: the full colour
    assert tint(colour(2)).name() in colours  # suggested: the pale tint
    v.close()


def test_click_position_finds_innermost_quote(qapp) -> None:
    text = "A said “outer words “inner” more” end"
    outer = Quote(1, 1, 7, 33, text[7:33], Kind.DIRECT, Status.ACCEPTED)
    inner = Quote(2, 1, 20, 27, text[20:27], Kind.DIRECT, Status.ACCEPTED)
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


def _looks(view: ArticleView) -> list[tuple]:
    """What every character looks like: the properties the highlighting sets."""
    from PySide6.QtGui import QTextCursor

    cur = QTextCursor(view.document())
    out = []
    for p in range(view.offsets.qt_length):
        cur.setPosition(p + 1)
        f = cur.charFormat()
        out.append(
            (
                f.background().color().name()
                if f.background().style() != f.background().style().NoBrush
                else None,
                f.fontWeight() >= 600,
                f.fontStrikeOut(),
                f.fontUnderline(),
                f.underlineStyle(),
                f.foreground().color().name()
                if f.foreground().style() != f.foreground().style().NoBrush
                else None,
            )
        )
    return out


QTEXT = (
    "Ann said “we will 👍🏽 win” today.\r\nBob told them “no”, and café owners said it would rain.\r\nEnd."
)


@st.composite
def annotations(draw: st.DrawFn, qid: int) -> Quote:
    start = draw(st.integers(0, len(QTEXT) - 2))
    end = draw(st.integers(start + 1, len(QTEXT)))
    cue = draw(st.one_of(st.none(), st.integers(0, len(QTEXT) - 3)))
    mention = draw(st.one_of(st.none(), st.integers(0, len(QTEXT) - 4)))
    return Quote(
        qid,
        1,
        start,
        end,
        QTEXT[start:end],
        Kind.DIRECT,
        draw(st.sampled_from(list(Status))),
        cue_start=cue,
        cue_end=None if cue is None else cue + 2,
        mention_start=mention,
        mention_end=None if mention is None else mention + 3,
        speaker_id=draw(st.sampled_from([None, 1, 2, 3])),
    )


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_partial_rehighlight_equals_full(qapp, data: st.DataObject) -> None:
    """Re-highlighting only an edited stretch gives exactly what highlighting all gives."""
    first = [data.draw(annotations(i)) for i in range(1, data.draw(st.integers(1, 5)) + 1)]
    view = ArticleView()
    view.set_document(QTEXT, first)
    current = {q.id: q for q in first}
    for step in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["change", "add", "remove"]))
        if action == "remove" and current:
            qid = data.draw(st.sampled_from(sorted(current)))
            del current[qid]
            view.update_quotes([], [qid])
        else:
            qid = (
                data.draw(st.sampled_from(sorted(current))) if action == "change" and current else 100 + step
            )
            q = data.draw(annotations(qid))
            current[qid] = q
            view.update_quotes([q])
    fresh = ArticleView()
    fresh.set_document(QTEXT, list(current.values()))
    assert _looks(view) == _looks(fresh)
