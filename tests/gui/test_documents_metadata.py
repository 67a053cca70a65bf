"""The document list's outlet and date columns, its filter row (outlet, date range) and the
undoable "Document details…" dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from quotebench.core.formats.importers import import_paths
from quotebench.core.project.store import Store
from quotebench.gui.settings import Settings
from quotebench.gui.widgets import document_filter
from quotebench.gui.widgets.document_details_dialog import DocumentDetailsDialog
from quotebench.gui.widgets.document_filter import date_in_range
from quotebench.gui.widgets.main_window import MainWindow

ARTICLES = [
    ("a1", "Valley News", "2019-07-30", "Pier closes"),
    ("a2", "Hill Gazette", "2019-08-02", "Harbour board votes"),
    ("a3", "Valley News", "2019-09-15", "A new pier"),
    ("a4", "", "", ""),
]


@pytest.fixture()
def window(qtbot, tmp_path: Path, settings: Settings) -> MainWindow:  # type: ignore[no-untyped-def]
    src = tmp_path / "in.jsonl"
    lines = []
    for ident, outlet, date, title in ARTICLES:
        meta = {"publisher": outlet, "publication_date": date, "title": title} if outlet else {}
        lines.append(json.dumps({"id": ident, "text": f"Text of {ident}. Rosa Kim said so.", "meta": meta}))
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store.create(tmp_path / "p.qbproj") as s:
        import_paths(s, [src])
    w = MainWindow(settings)
    w.model_error = "not needed here"
    qtbot.addWidget(w)
    assert w.open_project(tmp_path / "p.qbproj", create=False)
    return w


def shown(w: MainWindow) -> list[str]:
    return [w.docs_model.document_at(r).title for r in w.document_list.shown_rows()]


def test_titles_outlets_and_dates_are_listed(window: MainWindow) -> None:
    model = window.docs_model
    assert [model.index(r, 0).data() for r in range(4)] == [
        "Pier closes",
        "Harbour board votes",
        "A new pier",
        "a4",
    ]
    assert [model.index(r, 3).data() for r in range(4)] == ["Valley News", "Hill Gazette", "Valley News", ""]
    assert model.index(1, 4).data() == "2019-08-02"
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Outlet"
    assert "Hill Gazette" in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_filter_by_outlet_and_date_range(window: MainWindow) -> None:
    f = window.document_list.filter
    assert f.outlet.count() == 3  # all, Valley News (2), Hill Gazette (1)
    f.outlet.setCurrentIndex(f.outlet.findData("Valley News"))
    assert shown(window) == ["Pier closes", "A new pier"]
    f.date_from.setText("2019-08")
    assert shown(window) == ["A new pier"]
    f.outlet.setCurrentIndex(0)
    f.date_to.setText("2019-08")
    assert shown(window) == ["Harbour board votes"]
    f.date_from.clear()
    f.date_to.clear()
    assert len(shown(window)) == 4


def test_date_range_ends_are_prefixes() -> None:
    assert date_in_range("2015-11-30T23:00", "", "2015-11")
    assert not date_in_range("2015-12-01", "", "2015-11")
    assert date_in_range("2015-11-01", "2015-11", "")
    assert not date_in_range("", "2015", "")
    assert date_in_range("", "", "")


def test_details_dialog_edits_and_undo_restores(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    doc = window.docs_model.document_at(3)
    window.show_document(doc.id)

    def fill(dialog: DocumentDetailsDialog) -> int:
        assert dialog.edits["title"].text() == "a4"
        dialog.edits["title"].setText("The lost article")
        dialog.edits["outlet"].setText("Coastal Times")
        dialog.edits["date"].setText("2020-03-01")
        dialog.edits["url"].setText("https://example.org/lost")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(document_filter.DocumentDetailsDialog, "exec", fill)
    window.document_list.details.trigger()
    store = window.session.store
    meta = store.document_metadata(doc.id)
    assert (meta["outlet"], meta["date"], meta["url"]) == (
        "Coastal Times",
        "2020-03-01",
        "https://example.org/lost",
    )
    assert store.document(doc.id).title == "The lost article"
    row = window.docs_model.row_of(doc.id)
    assert window.docs_model.index(row, 0).data() == "The lost article"
    assert window.docs_model.index(row, 3).data() == "Coastal Times"
    assert window.document_list.filter.outlet.findData("Coastal Times") > 0
    window.session.undo_stack.undo()
    assert store.document_metadata(doc.id)["outlet"] == ""
    assert store.document(doc.id).title == "a4"
    assert window.docs_model.index(row, 3).data() == ""
    assert window.docs_model.index(row, 0).data() == "a4"
