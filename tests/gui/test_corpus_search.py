"""View > Search all quotes, the saved indicator and the notices' log (issue 10)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from quotebench.core.model import Status
from quotebench.core.project.store import Store
from quotebench.gui.widgets.corpus_search import CorpusSearchModel, SearchColumn
from quotebench.gui.widgets.main_window import MainWindow

OTHER = 'The mayor said: "We will build the bridge next year." Nobody believed her.'


@pytest.fixture
def window(qtbot, store: Store, settings) -> MainWindow:
    """The window on the test project with a second document."""
    doc, _ = store.add_document(OTHER, title="Bridge")
    i = OTHER.index('"We')
    store.add_quote(doc, i, OTHER.index("year.") + 6, "direct")
    path = store.path
    store.close()
    w = MainWindow(settings)
    w.model_error = "not needed here"
    qtbot.addWidget(w)
    assert w.open_project(path, create=False)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_search_lists_every_documents_quotes_and_filters(window: MainWindow, qtbot) -> None:
    search = window.search.show_search()
    model = search.model
    assert model.total == 4  # three in "plan", one in "Bridge"
    assert {model.hit_at(r).document_title for r in range(model.rowCount())} == {"plan", "Bridge"}
    search.filter_edit.setText("bridge")
    search.apply_filter()
    assert model.total == 1
    hit = model.hit_at(0)
    assert hit.before == "The mayor said:" and hit.after == "Nobody believed her."
    assert model.index(0, SearchColumn.DOCUMENT).data() == "Bridge"
    search.filter_edit.setText("status:sug speaker:anna")
    search.apply_filter()
    assert model.total == 2 and search.count_label.text() == "2 quotes"


def test_activating_a_quote_opens_its_document_and_selects_it(window: MainWindow, qtbot) -> None:
    search = window.search.show_search()
    search.filter_edit.setText("bridge")
    search.apply_filter()
    hit = search.model.hit_at(0)
    assert window.doc_id != hit.document_id
    search.table.activated.emit(search.model.index(0, SearchColumn.QUOTE))
    assert window.doc_id == hit.document_id
    assert window.current_quote() is not None and window.current_quote().id == hit.quote_id
    (selection,) = window.article.view.extraSelections()  # its span, shown as the selected quote
    assert (selection.cursor.selectionStart(), selection.cursor.selectionEnd()) == (hit.start, hit.end)


def test_sorting_asks_the_store_for_the_order(window: MainWindow) -> None:
    model = window.search.show_search().model
    model.sort(SearchColumn.DOCUMENT, Qt.SortOrder.AscendingOrder)
    assert model.hit_at(0).document_title == "Bridge"
    model.sort(SearchColumn.DOCUMENT, Qt.SortOrder.DescendingOrder)
    assert model.hit_at(0).document_title == "plan"
    model.sort(SearchColumn.SPEAKER, Qt.SortOrder.AscendingOrder)
    assert model.hit_at(model.rowCount() - 1).speaker == ""  # no speaker last


def test_rows_are_read_a_page_at_a_time(store: Store, qtmodeltester, monkeypatch) -> None:
    monkeypatch.setattr("quotebench.gui.widgets.corpus_search.PAGE", 2)
    model = CorpusSearchModel()
    model.set_store(store)
    assert model.total == 3 and model.rowCount() == 2 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 3 and not model.canFetchMore()
    qtmodeltester.check(model)


def test_search_follows_edits_and_the_saved_indicator_shows(window: MainWindow, qtbot) -> None:
    search = window.search.show_search()
    assert window.search.saved_label.text() == ""
    quote = search.model.hit_at(0)
    assert window.edits.set_status(Status.REJECTED, [quote.quote_id])
    qtbot.waitUntil(lambda: window.search.saved_label.text().startswith("Saved "))
    search.filter_edit.setText("status:rej")
    search.apply_filter()
    assert quote.quote_id in {search.model.hit_at(r).quote_id for r in range(search.model.rowCount())}
    search.close()
    assert window.edits.set_status(Status.ACCEPTED, [quote.quote_id])
    window.search.show_search()  # reopened: edits made while it was closed are in it
    assert quote.quote_id not in {search.model.hit_at(r).quote_id for r in range(search.model.rowCount())}


def test_notices_can_be_read_again(window: MainWindow) -> None:
    window.show_notice("Imported 3 documents")
    window.show_error("Could not read x.jsonl")
    dialog = window.search.show_messages()
    text = dialog.text.toPlainText()
    assert text.index("Error: Could not read x.jsonl") < text.index("Imported 3 documents")  # newest first
    assert [n.text for n in window.search.log.entries].count("Could not read x.jsonl") == 1
    assert window.search.messages_action in window.menu_actions.menus[-1].actions()


def test_set_speaker_shows_the_quote_and_whose_alias_a_name_is(
    window: MainWindow, qtbot, monkeypatch
) -> None:
    from quotebench.gui.widgets import dialogs

    seen: list[dialogs.SpeakerDialog] = []
    monkeypatch.setattr(dialogs.SpeakerDialog, "exec", lambda self: seen.append(self) or 0)
    window.show_document(1)
    quote = window.session.store.quotes_for(1)[0]
    window.select_quote(quote.id)
    window.edits.set_speaker_dialog()
    (dialog,) = seen
    assert " ".join(quote.text.split())[:40] in dialog.quote_label.text()
    completer = dialog.edit.completer()
    completer.setCompletionPrefix("smi")  # "Smith" is an alias of Anna Smith
    shown = {completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())}
    assert shown == {"Anna Smith", "Smith → Anna Smith"}
    completer.setCurrentRow(1 if completer.currentCompletion() == "Anna Smith" else 0)
    assert completer.currentCompletion() == "Smith"  # what goes in the box is the alias itself
    dialog.edit.setText("smith")
    assert dialog.who.text() == "An alias of Anna Smith"
    dialog.edit.setText("Nobody Yet")
    assert dialog.who.text() == "A new speaker"
