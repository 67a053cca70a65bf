"""The Statistics view: counts and chart from the project, filters, a bar click asks to filter the
quotes, and the colours are the window's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.patches import Rectangle

from quotebench.core.analysis.colours import speaker_colour as hex_colour
from quotebench.core.formats.importers import import_paths
from quotebench.core.model import Status
from quotebench.core.project.store import Store
from quotebench.gui.widgets.statistics_view import StatisticsView


def article(n: int) -> dict:
    text = f'Rosa Kim said: "We will build it, part {n}." Harbour Board said that it would wait.'
    a = text.index('"')
    b = text.index('"', a + 1) + 1
    c = text.index("that")
    return {
        "id": f"n{n}",
        "text": text,
        "meta": {
            "publisher": "Valley News" if n % 2 else "Hill Gazette",
            "publication_date": f"2020-0{n % 3 + 1}-10",
        },
        "quotes": [
            {"start": a, "end": b, "kind": "direct", "entity": "Rosa Kim", "entity_type": "person"},
            {
                "start": c,
                "end": len(text) - 1,
                "kind": "indirect",
                "entity": "Harbour Board",
                "entity_type": "organisation",
            },
        ],
    }


ARTICLES = [article(n) for n in range(6)]


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    with Store.create(tmp_path / "p.qbproj") as s:
        import_paths(s, [src])
        s.set_status([q.id for q in s.all_quotes()], "accepted")  # whatever the import's default
        s.set_speaker_attribute(s.find_speaker("Rosa Kim").id, "gender", "woman")
        yield s


def bars(view: StatisticsView) -> list[Rectangle]:
    return [
        p
        for ax in view.figure.axes
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_gid() is not None
    ]


def test_counts_chart_and_table_agree(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    view = StatisticsView(store)
    qtbot.addWidget(view)
    view.refresh()
    assert view.table is not None and view.table.quotes == 12
    assert [view.grid.item(i, 0).text() for i in range(view.grid.rowCount())] == ["Harbour Board", "Rosa Kim"]
    assert {p.get_gid() for p in bars(view)} == {"Harbour Board", "Rosa Kim"}
    assert "N = 12" in view.message.text()


def test_bars_have_the_speakers_window_colours(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.colors import to_hex

    from quotebench.gui.palette import speaker_colour

    view = StatisticsView(store)
    qtbot.addWidget(view)
    view.refresh()
    for bar in bars(view):
        sid = store.find_speaker(bar.get_gid()).id
        assert to_hex(bar.get_facecolor()) == speaker_colour(sid).name() == hex_colour(sid)


def test_the_palette_matches_qt_for_every_id(qtbot) -> None:  # type: ignore[no-untyped-def]
    from quotebench.gui.palette import speaker_colour

    off = [i for i in range(1, 1500) if speaker_colour(i).name() != hex_colour(i)]
    assert len(off) <= 1  # id 673 differs by one unit in 255, invisible


def test_grouping_and_filters_change_the_table(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    view = StatisticsView(store)
    qtbot.addWidget(view)
    view.by.setCurrentIndex(view.by.findData("month"))
    view.outlet.setCurrentIndex(view.outlet.findData("Valley News"))
    view.refresh()
    assert {r.key: r.quotes for r in view.table.rows} == {"2020-01": 2, "2020-02": 2, "2020-03": 2}
    view.statuses[Status.ACCEPTED].setChecked(False)
    view.statuses[Status.REJECTED].setChecked(True)
    view.refresh()
    assert view.table.quotes == 0 and view.grid.rowCount() == 0
    view.date_from.setText("March")
    view.refresh()
    assert "[E083]" in view.message.text()


def test_attribute_groupings_are_offered(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    view = StatisticsView(store)
    qtbot.addWidget(view)
    assert view.by.findData("attribute:gender") >= 0 and view.stack.findData("attribute:gender") >= 0


def test_clicking_a_bar_asks_to_filter_the_quotes(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    view = StatisticsView(store)
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.refresh()
    bar = next(p for p in bars(view) if p.get_gid() == "Rosa Kim")
    x, y = bar.axes.transData.transform(
        (bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2)
    )
    with qtbot.waitSignal(view.filter_requested) as signal:
        MouseEvent("button_press_event", view.canvas, x, y, button=1)._process()
    assert signal.args == ['status:accepted speaker:"Rosa Kim"']


def test_double_clicking_a_row_asks_to_filter(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    view = StatisticsView(store)
    qtbot.addWidget(view)
    view.by.setCurrentIndex(view.by.findData("kind"))
    view.refresh()
    with qtbot.waitSignal(view.filter_requested) as signal:
        view.grid.cellDoubleClicked.emit(0, 0)
    assert signal.args == ["status:accepted kind:direct"]  # 6 and 6: a tie is in the keys' order


def test_no_accepted_quotes_counts_suggestions_and_hints(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from quotebench.gui.widgets.statistics_view import NO_ACCEPTED

    ids = [q.id for q in store.all_quotes()]
    store.set_status(ids, "suggested")
    view = StatisticsView(store)
    qtbot.addWidget(view)
    assert view.statuses[Status.SUGGESTED].isChecked()  # nothing accepted: suggestions counted
    view.refresh()
    assert view.table is not None and view.table.quotes == 12
    view.statuses[Status.SUGGESTED].setChecked(False)
    view.refresh()
    assert view.table is not None and view.table.quotes == 0
    assert view.message.text() == NO_ACCEPTED
    assert [t.get_text() for t in view.figure.texts] == [NO_ACCEPTED]
    assert view.grid.rowCount() == 0


def test_outlet_and_month_filters_match_the_documents_details(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from quotebench.gui.models import QuoteFilter, QuotesTableModel
    from quotebench.gui.widgets.statistics_view import filter_for

    view = StatisticsView(store)
    qtbot.addWidget(view)
    view.by.setCurrentIndex(view.by.findData("outlet"))
    view.refresh()
    query = filter_for(view.table.query, "Valley News")  # what a click on its bar emits
    assert query == 'status:accepted outlet:"Valley News"'
    model = QuotesTableModel()
    model.metadata_of = store.document_metadata
    for doc in store.documents():
        model.set_quotes(doc.text or "", store.quotes_for(doc.id))
        model.set_filter(query)
        valley = store.document_metadata(doc.id)["outlet"] == "Valley News"
        assert model.rowCount() == (2 if valley else 0)
        month = store.document_metadata(doc.id)["date"][:7]
        model.set_filter(f"month:{month}")
        assert model.rowCount() == 2
        model.set_filter("month:1999-01")
        assert model.rowCount() == 0
    parsed = QuoteFilter.parse(query)  # the corpus search: the same terms in SQL
    assert store.search_count(parsed.fields, parsed.words) == 6
    assert store.search_count(*_terms("outlet:valley")) == 0  # the whole outlet, not a part
    assert store.search_count(*_terms("month:2020-01")) == 4
    assert store.search_count(*_terms("month:2020")) == 12


def _terms(query: str) -> tuple:
    from quotebench.gui.models import QuoteFilter

    parsed = QuoteFilter.parse(query)
    return parsed.fields, parsed.words


def test_the_no_outlet_bar_filters_to_the_documents_without_one(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from quotebench.gui.models import QuoteFilter, QuotesTableModel
    from quotebench.gui.widgets.statistics_view import filter_for

    undated = article(7)
    del undated["meta"]  # no outlet, no date
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in [article(1), undated]), encoding="utf-8")
    with Store.create(tmp_path / "p.qbproj") as s:
        import_paths(s, [src])
        s.set_status([q.id for q in s.all_quotes()], "accepted")
        view = StatisticsView(s)
        qtbot.addWidget(view)
        view.by.setCurrentIndex(view.by.findData("outlet"))
        view.refresh()
        assert view.table is not None
        assert sorted((row.key or "", row.quotes) for row in view.table.rows) == [("", 2), ("Valley News", 2)]
        query = filter_for(view.table.query, "")  # what a click on the bar without an outlet emits
        assert query == 'status:accepted outlet:""'
        parsed = QuoteFilter.parse(query)
        assert parsed.fields == (("status", "accepted"), ("outlet", ""))
        model = QuotesTableModel()
        model.metadata_of = s.document_metadata
        shown = {}
        for doc in s.documents():
            model.set_quotes(doc.text or "", s.quotes_for(doc.id))
            model.set_filter(query)
            shown[doc.id] = model.rowCount()
            model.set_filter('month:""')
            assert model.rowCount() == shown[doc.id]  # the document without an outlet has no date
        assert sorted(shown.values()) == [0, 2]
        assert s.search_count(parsed.fields, parsed.words) == 2
        assert s.search_count(*_terms('month:""')) == 2
        assert s.search_count(*_terms("outlet:")) == 0  # a bare key is a word, found nowhere
