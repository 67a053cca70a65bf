"""Issue 10: speaker colours are distinct within a document, in order of first appearance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from quotebench.core.analysis.colours import SET3, slot_colour, speaker_colour
from quotebench.core.model import Kind, Quote, Speaker, SpeakerType, Status
from quotebench.gui.colour_map import ColourMap
from quotebench.gui.models import Column, QuotesTableModel, SpeakersModel
from quotebench.gui.widgets.article_view import ArticlePane

TEXT = "Ann said: “We will win.” Bob added: “Not yet.” Cy: “Maybe.” Ann again: “Surely.”"


def _quotes() -> list[Quote]:
    """Speakers 9, 3 and 14 in order of appearance (9 speaks again last)."""
    spans = [m for m in ("“We will win.”", "“Not yet.”", "“Maybe.”", "“Surely.”")]
    who = [(9, "Ann"), (3, "Bob"), (14, "Cy"), (9, "Ann")]
    quotes = []
    for i, (span, (sid, name)) in enumerate(zip(spans, who, strict=True), 1):
        start = TEXT.index(span)
        quotes.append(
            Quote(
                i,
                1,
                start,
                start + len(span),
                span,
                Kind.DIRECT,
                Status.ACCEPTED,
                speaker_id=sid,
                speaker_name=name,
            )
        )
    return quotes[::-1]  # the order given does not matter: the text's order does


def test_slot_colours_are_the_id_sequence_by_slot() -> None:
    assert [slot_colour(i) for i in range(12)] == list(SET3)
    assert all(slot_colour(i - 1) == speaker_colour(i) for i in range(1, 60))
    assert len({slot_colour(i) for i in range(20)}) == 20  # distinct for twenty speakers


def test_speakers_take_slots_in_order_of_first_quote(qapp) -> None:
    quotes = _quotes()
    assert ColourMap.for_quotes(quotes).slots() == {9: 0, 3: 1, 14: 2}
    pane = ArticlePane()
    pane.resize(900, 300)
    table, speakers = QuotesTableModel(), SpeakersModel()
    for model in (table, speakers):
        pane.view.colours_changed.connect(model.set_colour_map)
    speakers.set_speakers(
        [
            Speaker(sid, name, SpeakerType.PERSON)
            for sid, name in ((3, "Bob"), (9, "Ann"), (14, "Cy"), (20, "Di"))
        ]
    )
    pane.set_document(TEXT, quotes)
    table.set_quotes(TEXT, quotes)
    colours = pane.view.colour_map()
    assert [colours.slot(s) for s in (9, 3, 14)] == [0, 1, 2]
    expected = {9: slot_colour(0), 3: slot_colour(1), 14: slot_colour(2)}
    # the highlight at each quote
    view = pane.view
    for q in quotes:
        cur = QTextCursor(view.document())
        cur.setPosition(view.offsets.to_qt(q.start) + 1)
        assert cur.charFormat().background().color().name() == expected[q.speaker_id], q
    # the legend: Ann, Bob, Cy in their slots' colours
    legend = pane.legend.text()
    found = [legend.index(f"background-color:{expected[s]}") for s in (9, 3, 14)]
    assert found == sorted(found) and legend.index("Ann") < legend.index("Bob") < legend.index("Cy")
    # the quote table's swatch and the speakers panel's
    deco = Qt.ItemDataRole.DecorationRole
    for row in range(table.rowCount()):
        sid = table.quote_at(row).speaker_id
        assert table.data(table.index(row, Column.SPEAKER), deco).name() == expected[sid]
    for row, s in enumerate(speakers.speakers()):
        want = expected.get(s.id, speaker_colour(s.id))  # Di is not in this document: its id colour
        assert speakers.data(speakers.index(row, 0), deco).name() == want
    pane.close()


def test_a_new_first_speaker_moves_the_others(qapp) -> None:
    quotes = _quotes()
    pane = ArticlePane()
    pane.set_document(TEXT, quotes)
    early = Quote(9, 1, 0, 3, "Ann", Kind.DIRECT, Status.SUGGESTED, speaker_id=14, speaker_name="Cy")
    pane.update_quotes([early])
    assert pane.view.colour_map().slots() == {14: 0, 9: 1, 3: 2}
    bob = next(q for q in quotes if q.speaker_id == 3)
    cur = QTextCursor(pane.view.document())
    cur.setPosition(pane.view.offsets.to_qt(bob.start) + 1)
    assert cur.charFormat().background().color().name() == slot_colour(2)  # re-highlighted beyond the edit
    assert f"background-color:{slot_colour(0)}" in pane.legend.text()
    pane.close()
