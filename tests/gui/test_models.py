"""The table models: consistent for Qt's model tester, and sorting/filtering in the model."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QItemSelectionModel, QPersistentModelIndex, Qt

from quotebench.core.model import Document, Kind, Quote, Speaker, SpeakerType, Status
from quotebench.gui.models import (
    Column,
    DocumentsModel,
    QuoteFilter,
    QuotesTableModel,
    RecordRole,
    SpeakersModel,
)

TEXT = "Ann said it works. Bob said “no”. The firm said nothing new, and Ann agreed with Bob here."


def quote(
    i: int,
    start: int,
    end: int,
    *,
    speaker: str | None = "Ann",
    sid: int | None = 1,
    status: Status = Status.SUGGESTED,
    kind: Kind = Kind.INDIRECT,
    conf: float | None = 0.5,
    note: str = "",
) -> Quote:
    return Quote(
        i,
        1,
        start,
        end,
        TEXT[start:end],
        kind,
        status,
        cue_start=4,
        cue_end=8,
        speaker_id=sid,
        speaker_name=speaker,
        confidence=conf,
        note=note,
    )


QUOTES = [
    quote(1, 9, 17, conf=0.9, status=Status.ACCEPTED),
    quote(2, 28, 32, speaker="Bob", sid=2, kind=Kind.DIRECT, conf=0.4),
    quote(3, 48, 59, speaker="The firm", sid=3, conf=None, status=Status.REJECTED, note="check"),
    quote(4, 65, 89, speaker=None, sid=None, kind=Kind.MIXED, conf=0.7),
]


@pytest.fixture
def model(qapp) -> QuotesTableModel:
    m = QuotesTableModel()
    m.set_quotes(TEXT, QUOTES)
    return m


def ids(m: QuotesTableModel) -> list[int]:
    return [m.quote_at(r).id for r in range(m.rowCount())]


def test_quotes_model_passes_model_tester(qtmodeltester, model: QuotesTableModel) -> None:
    qtmodeltester.check(model)
    model.sort(Column.SPEAKER, Qt.SortOrder.DescendingOrder)
    model.set_filter("status:sug")
    model.update_quotes(
        [dataclasses.replace(QUOTES[1], status=Status.ACCEPTED), quote(5, 0, 3, status=Status.SUGGESTED)], [4]
    )
    qtmodeltester.check(model)


@pytest.mark.parametrize(
    "column, order, expected",
    [
        (Column.QUOTE, Qt.SortOrder.AscendingOrder, [1, 2, 3, 4]),
        (Column.QUOTE, Qt.SortOrder.DescendingOrder, [4, 3, 2, 1]),
        (Column.SPEAKER, Qt.SortOrder.AscendingOrder, [1, 2, 3, 4]),  # no speaker last
        (Column.KIND, Qt.SortOrder.AscendingOrder, [2, 1, 3, 4]),
        (Column.STATUS, Qt.SortOrder.AscendingOrder, [2, 4, 1, 3]),
        (Column.CONFIDENCE, Qt.SortOrder.DescendingOrder, [1, 4, 2, 3]),
        (Column.NOTE, Qt.SortOrder.DescendingOrder, [3, 1, 2, 4]),  # ties stay in text order
    ],
)
def test_sort(model: QuotesTableModel, column: Column, order: Qt.SortOrder, expected: list[int]) -> None:
    model.sort(column, order)
    assert ids(model) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", [1, 2, 3, 4]),
        ("status:suggested", [2, 4]),
        ("status:sug kind:direct", [2]),
        ("STATUS:Rejected", [3]),
        ("speaker:bob", [2]),
        ('speaker:"the firm"', [3]),
        ("speaker:none", [4]),
        ("works", [1]),
        ("ann", [1, 4]),
        ("firm", [3]),  # the speaker's name is searched too
        ("note:check", [3]),
        ('"nothing new"', [3]),
        ("kind:mixed bob", [4]),
        ("zebra", []),
    ],
)
def test_filter(model: QuotesTableModel, query: str, expected: list[int]) -> None:
    model.set_filter(query)
    assert ids(model) == expected


def test_parse_filter() -> None:
    f = QuoteFilter.parse('status:suggested kind:direct speaker:"Grigory Sverdlin" Sparrow')
    assert f.fields == (("status", "suggested"), ("kind", "direct"), ("speaker", "grigory sverdlin"))
    assert f.words == ("sparrow",)
    assert not QuoteFilter.parse("   ")


def test_update_keeps_selection_on_the_same_quote(qapp, model: QuotesTableModel) -> None:
    from PySide6.QtWidgets import QTableView

    view = QTableView()
    view.setModel(model)
    sm = view.selectionModel()
    sm.setCurrentIndex(
        model.index(1, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    model.sort(Column.QUOTE, Qt.SortOrder.DescendingOrder)
    assert model.quote_at(view.currentIndex().row()).id == 2
    model.update_quotes([quote(5, 0, 3)], [4])  # a new quote sorts in, another goes
    assert ids(model) == [3, 2, 1, 5]
    assert model.quote_at(view.currentIndex().row()).id == 2
    assert [model.quote_at(i.row()).id for i in sm.selectedRows()] == [2]


def test_changed_row_stays_visible_until_the_filter_changes(model: QuotesTableModel) -> None:
    model.set_filter("status:suggested")
    model.update_quotes([dataclasses.replace(QUOTES[1], status=Status.ACCEPTED)])
    assert ids(model) == [2, 4]
    assert model.index(0, Column.STATUS).data() == "accepted"
    model.set_filter("status:suggested")
    assert ids(model) == [4]


def test_display_roles(model: QuotesTableModel) -> None:
    row = model.row_of(1)
    assert model.index(row, Column.CUE).data() == "said"
    assert model.index(row, Column.CONFIDENCE).data() == "0.90"
    assert model.index(model.row_of(4), Column.SPEAKER).data() == "—"
    assert model.index(row, 0).data(RecordRole) == QUOTES[0]
    assert model.row_of(99) is None


def test_long_quote_is_one_line(model: QuotesTableModel) -> None:
    model.set_quotes("a\r\nb", [Quote(1, 1, 0, 4, "a\r\nb", Kind.DIRECT, Status.ACCEPTED)])
    assert model.index(0, Column.QUOTE).data() == "a b"


def test_documents_model(qtmodeltester) -> None:
    m = DocumentsModel()
    docs = [Document(i, f"doc {i}", "x.txt", "0", "2026-01-01T00:00:00Z", None, i, 1) for i in range(1, 6)]
    m.set_documents(docs)
    qtmodeltester.check(m)
    persistent = QPersistentModelIndex(m.index(2, 0))
    m.update_documents([*docs[:2], dataclasses.replace(docs[2], n_quotes=9), *docs[3:]])
    assert m.index(2, 1).data() == 9 and persistent.row() == 2
    m.update_documents(docs[:3])
    assert m.rowCount() == 3
    qtmodeltester.check(m)


def test_speakers_model(qtmodeltester) -> None:
    m = SpeakersModel()
    speakers = [
        Speaker(1, "Ann", SpeakerType.PERSON, "", ("A.",), 3),
        Speaker(2, "Firm", SpeakerType.ORGANISATION),
    ]
    m.set_speakers(speakers)
    qtmodeltester.check(m)
    assert m.index(0, 3).data() == "A." and m.index(1, 1).data() == "org."
    m.set_speakers([dataclasses.replace(speakers[0], n_quotes=4), speakers[1]])
    assert m.index(0, 2).data() == 4
    m.set_speakers(speakers[1:])
    assert m.rowCount() == 1 and m.row_of(2) == 0
    qtmodeltester.check(m)
