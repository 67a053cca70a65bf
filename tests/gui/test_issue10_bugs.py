"""Issue 10: each window bug reproduced (these failed before their fix)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TEXT
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from quotebench.core.model import Kind, Status
from quotebench.core.project.store import Store
from quotebench.gui.widgets.main_window import MainWindow

OTHER = "A second article.\n\nIt has two paragraphs and no quotes at all, said nobody."


@pytest.fixture
def window(qtbot, store: Store, settings) -> MainWindow:
    """The window on the test project plus a second document with no quotes."""
    store.add_document(OTHER, title="second", source="second.txt")
    path = store.path
    store.close()
    w = MainWindow(settings)
    w.model_error = "not needed here"
    qtbot.addWidget(w)
    assert w.open_project(path, create=False)
    w.show()
    qtbot.waitExposed(w)
    return w


def doc_ids(w: MainWindow) -> list[int]:
    assert w.session is not None
    return [d.id for d in w.session.store.documents()]


# --- 1. format leak ------------------------------------------------------------------------


def test_1_switching_document_does_not_carry_the_selected_quote_format(window: MainWindow) -> None:
    first, second = doc_ids(window)
    window.show_document(first)
    paragraph_quote = next(q for q in window.quotes_model.quotes() if q.kind is Kind.DIRECT)
    assert TEXT[paragraph_quote.start - 1] == "\n"  # it starts a paragraph
    window.select_quote(paragraph_quote.id)
    window.show_document(second)
    doc = window.article.view.document()
    for pos in (0, 1, 5, doc.characterCount() - 2):
        cur = QTextCursor(doc)
        cur.setPosition(pos + 1)
        fmt = cur.charFormat()
        assert fmt.background().style() == Qt.BrushStyle.NoBrush, pos
        assert not fmt.fontUnderline(), pos
        assert fmt.underlineStyle() == fmt.UnderlineStyle.NoUnderline, pos


# --- 2. merge goes the wrong way -----------------------------------------------------------


def test_2_merge_keeps_the_speaker_with_most_quotes_and_a_known_type(window: MainWindow, monkeypatch) -> None:
    from quotebench.core.model import SpeakerType
    from quotebench.gui.widgets.dialogs import MergeSpeakersDialog

    store = window.session.store
    anna = store.find_speaker("Anna Smith")  # 2 quotes, a person
    bill, _ = store.add_speaker("Bill")  # unknown type
    doc = doc_ids(window)[1]
    store.add_quote(doc, 0, 17, Kind.INDIRECT, speaker_id=bill)
    window.speakers.refresh()
    seen: list[MergeSpeakersDialog] = []

    def accept(dialog: MergeSpeakersDialog) -> int:
        seen.append(dialog)
        return 1

    monkeypatch.setattr(MergeSpeakersDialog, "exec", accept)
    window.speakers.select_speakers([bill, anna.id])  # Bill current: ctrl+clicked last
    window.speakers.merge_selected()
    dialog = seen[0]
    assert dialog.survivor.currentText().startswith("Anna Smith")
    assert dialog.speaker_type() is SpeakerType.PERSON
    assert "3 quote(s) will be attributed to Anna Smith" in dialog.preview.text()
    names = [s.name for s in store.speakers()]
    assert "Anna Smith" in names and "Bill" not in names
    survivor = store.find_speaker("Anna Smith")
    assert survivor.n_quotes == 3 and survivor.type is SpeakerType.PERSON and "Bill" in survivor.aliases
    window.session.undo_stack.undo()  # one step
    assert store.find_speaker("Bill").id == bill


def test_2_merge_survivor_takes_a_known_type_over_unknown(window: MainWindow) -> None:
    from quotebench.core.model import SpeakerType
    from quotebench.gui.widgets.dialogs import MergeSpeakersDialog

    store = window.session.store
    donald, _ = store.add_speaker("Donald Trump")
    bill, _ = store.add_speaker("Bill", SpeakerType.PERSON)
    doc = doc_ids(window)[1]
    for start in (0, 2, 4):
        store.add_quote(doc, start, start + 1, Kind.INDIRECT, speaker_id=donald)
    store.add_quote(doc, 6, 7, Kind.INDIRECT, speaker_id=bill)
    dialog = MergeSpeakersDialog([store.speaker(bill), store.speaker(donald)], window)
    assert dialog.keep_id() == donald and dialog.gone_ids() == [bill]
    assert dialog.speaker_type() is SpeakerType.PERSON
    window.speakers.set_session(window.session)
    assert window.speakers.merge(dialog.keep_id(), dialog.gone_ids(), dialog.speaker_type())
    assert store.speaker(donald).type is SpeakerType.PERSON and store.speaker(donald).n_quotes == 4
    window.session.undo_stack.undo()
    assert store.speaker(donald).type is SpeakerType.UNKNOWN and store.speaker(bill).n_quotes == 1


# --- 3. Cancel does not cancel -------------------------------------------------------------


class SlowEngine:
    """An engine in 'another process' that takes a minute per text unless it is stopped."""

    def __init__(self) -> None:
        import threading

        self.stopped = threading.Event()
        self.started = threading.Event()
        self.calls = 0

    def quotes(self, text: str) -> list:
        from quotebench.core.engine.runner import EngineError

        self.calls += 1
        self.started.set()
        if self.stopped.wait(60):
            raise EngineError("the engine process stopped (exit code -15)")
        return []

    def close(self) -> None:
        self.stopped.set()


def test_3_cancel_stops_the_engine_mid_document_and_saves_nothing(qtbot, window: MainWindow) -> None:
    import time

    runner = window.suggestions
    engine = SlowEngine()
    window.model_error = None
    runner.engine = engine
    first = doc_ids(window)[0]
    before = window.session.store.quotes_for(first)
    runner.request([first])
    assert engine.started.wait(5)
    loads: list[bool] = []
    runner.load_model = lambda: loads.append(True)  # type: ignore[method-assign]
    t0 = time.perf_counter()
    with qtbot.waitSignal(runner.idle, timeout=1000):
        window.cancel_suggestions()
    assert time.perf_counter() - t0 < 1.0
    assert engine.stopped.is_set() and runner.engine is None  # stopped, started again when needed
    assert window.session.store.quotes_for(first) == before  # nothing of the document
    assert window.last_error is None or "failed" not in window.last_error
    runner.request([first])
    assert loads == [True]


def test_3_results_that_arrive_after_cancel_are_dropped(qtbot, window: MainWindow) -> None:
    from quotebench.core.model import Span, Suggestion

    runner = window.suggestions
    window.model_error = None
    runner.engine = SlowEngine()
    first = doc_ids(window)[0]
    before = window.session.store.quotes_for(first)
    runner.request([first])
    assert runner._worker is not None
    worker = runner._worker
    window.cancel_suggestions()
    late = [Suggestion(Span(0, 4, TEXT[:4]), Kind.INDIRECT)]
    runner._suggestions_ready(first, late)  # emitted by the engine just before Cancel
    assert window.session.store.quotes_for(first) == before
    qtbot.waitUntil(lambda: runner._worker is None, timeout=2000)
    assert worker.cancelled


# --- 4. freezes ----------------------------------------------------------------------------


def test_4_closing_while_the_model_loads_does_not_wait_for_it(qtbot, window: MainWindow, monkeypatch) -> None:
    import threading
    import time

    from quotebench.gui import workers

    release = threading.Event()
    monkeypatch.setattr(workers.ModelLoader, "run", lambda self: release.wait(30))
    runner = window.suggestions
    window.model_error = None
    runner.load_model()
    assert runner._loader is not None
    t0 = time.perf_counter()
    window.close()
    assert time.perf_counter() - t0 < 1.0
    release.set()


def test_4_closing_mid_document_stops_the_engine_without_waiting(qtbot, window: MainWindow) -> None:
    import time

    engine = SlowEngine()
    window.model_error = None
    window.suggestions.engine = engine
    window.suggest_current()
    assert engine.started.wait(5)
    t0 = time.perf_counter()
    window.close()
    assert time.perf_counter() - t0 < 1.0
    assert engine.stopped.wait(2)


# --- 5. Q duplicates -----------------------------------------------------------------------


def test_5_q_on_a_selected_row_does_not_duplicate_it(qtbot, window: MainWindow) -> None:
    window.show_document(doc_ids(window)[0])
    q = window.quotes_model.quotes()[0]
    window.select_quote(q.id)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Q)
    assert len(window.session.store.quotes_for(q.document_id)) == 3
    window.article.view.select_span(q.start, q.end)  # its words, selected by hand
    qtbot.keyClick(window.table, Qt.Key.Key_Q)
    assert len(window.session.store.quotes_for(q.document_id)) == 3
    assert "already a quote" in window.statusBar().currentMessage()


def test_5_q_inside_a_quote_asks_first(qtbot, window: MainWindow, monkeypatch) -> None:
    window.show_document(doc_ids(window)[0])
    q = next(x for x in window.quotes_model.quotes() if x.kind is Kind.DIRECT)
    answers: list[str] = []
    monkeypatch.setattr(window.edits, "confirm", lambda title, text: answers.append(text) or False)
    window.article.view.select_span(q.start + 1, q.start + 12)
    assert window.edits.new_quote_from_selection() is None
    assert "inside another quote" in answers[0]
    assert len(window.session.store.quotes_for(q.document_id)) == 3
    monkeypatch.setattr(window.edits, "confirm", lambda title, text: True)
    window.article.view.select_span(q.start + 1, q.start + 12)
    assert window.edits.new_quote_from_selection() is not None
    assert len(window.session.store.quotes_for(q.document_id)) == 4


# --- 13. model contract --------------------------------------------------------------------


@pytest.mark.parametrize("n", [4, 400])
def test_13_filter_never_changes_the_row_count_inside_a_layout_change(qapp, qtmodeltester, n: int) -> None:
    from PySide6.QtCore import QSortFilterProxyModel

    from quotebench.core.model import Quote, Status
    from quotebench.gui.models import QuotesTableModel

    text = "x" * (n * 10)
    quotes = [
        Quote(
            i + 1,
            1,
            i * 10,
            i * 10 + 5,
            "xxxxx",
            Kind.INDIRECT,
            Status.SUGGESTED if i % 2 else Status.ACCEPTED,
        )
        for i in range(n)
    ]
    model = QuotesTableModel()
    model.set_quotes(text, quotes)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    counts: list[tuple[int, int]] = []
    before: list[int] = []
    model.layoutAboutToBeChanged.connect(lambda *_: before.append(model.rowCount()))
    model.layoutChanged.connect(lambda *_: counts.append((before[-1], model.rowCount())))
    qtmodeltester.check(proxy)
    for query in ("status:sug", "", "status:acc", "status:rej", "status:", "status:sug"):
        model.set_filter(query)
        assert proxy.rowCount() == model.rowCount()
    assert all(a == b for a, b in counts), counts
    qtmodeltester.check(proxy)
    qtmodeltester.check(model)


def test_13_filter_keeps_the_current_quote(qtbot, window: MainWindow) -> None:
    window.show_document(doc_ids(window)[0])
    q = next(x for x in window.quotes_model.quotes() if x.status is Status.SUGGESTED)
    window.select_quote(q.id)
    window.filter_edit.setText("status:sug")
    assert window.current_quote() == q


# --- 14. selected quote colour, document titles ---------------------------------------------


def test_14_selected_quote_keeps_its_speaker_colour(qtbot, window: MainWindow) -> None:
    window.show_document(doc_ids(window)[0])
    q = next(x for x in window.quotes_model.quotes() if x.status is Status.SUGGESTED)
    window.select_quote(q.id)
    view = window.article.view
    assert not view.textCursor().hasSelection()  # no selection colour painted over it
    (marked,) = view.extraSelections()
    assert marked.format.background().color() == view.colour_map().colour(q.speaker_id)


def test_14_document_list_shows_the_title_read_from_its_start(window: MainWindow) -> None:
    # the list shows titles (from metadata where the input gives one), not ids: a title is
    # read from its start, so it is cut at its end
    view = window.docs_view
    assert view.textElideMode() == Qt.TextElideMode.ElideRight
    assert window.docs_model.index(0, 0).data() == "plan"
    assert "plan" in window.docs_model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


# --- 11. evidence in the Note column -------------------------------------------------------


def test_11_why_has_its_own_column_and_the_note_is_the_researchers(qapp) -> None:
    import dataclasses

    from quotebench.core.model import Quote
    from quotebench.gui.models import Column, QuotesTableModel

    text = "He said it would rain."
    q = Quote(1, 1, 8, 22, text[8:22], Kind.INDIRECT, Status.SUGGESTED, rule="reported.say_that", note="")
    model = QuotesTableModel()
    model.set_quotes(text, [q, dataclasses.replace(q, id=2, rule="", note="check this")])
    assert model.headerData(Column.WHY, Qt.Orientation.Horizontal) == "Why"
    assert model.index(0, Column.WHY).data() == "reported.say that"
    assert "reported.say that" in model.index(0, Column.WHY).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, Column.NOTE).data() == ""
    assert model.index(1, Column.WHY).data() == "" and model.index(1, Column.NOTE).data() == "check this"
    model.set_filter("note:reported")
    assert model.rowCount() == 0  # the rule is not a note


# --- 12. opening ---------------------------------------------------------------------------


def test_12_open_typo_asks_before_creating_an_empty_project(qtbot, settings, tmp_path, monkeypatch) -> None:
    from quotebench.gui.app import open_window

    asked: list[Path] = []
    monkeypatch.setattr(MainWindow, "confirm_create", lambda self, path: asked.append(path) or False)
    typo = tmp_path / "typo.qbproj"
    window = open_window([str(typo)], settings=settings)
    qtbot.addWidget(window)
    assert asked == [typo] and not typo.exists()
    assert "does not exist" in (window.last_error or "")
    monkeypatch.setattr(MainWindow, "confirm_create", lambda self, path: True)
    assert window.open_project(typo, create=True) and typo.exists()


def test_12_a_missing_project_is_explained_without_a_shell_command(window: MainWindow, tmp_path) -> None:
    assert not window.open_project(tmp_path / "gone.qbproj", create=False)
    message = window.last_error or ""
    assert "gone.qbproj" in message and "quotebench new" not in message and "`" not in message
    assert window.session is not None  # the open project stays


# --- 10. speakers with no quotes -----------------------------------------------------------


def test_10_delete_speaker_with_no_quotes_is_undoable_and_not_offered(window: MainWindow) -> None:
    from quotebench.core.model import SpeakerType

    store = window.session.store
    bill, _ = store.add_speaker("Bill", SpeakerType.PERSON)
    store.add_alias(bill, "William")
    window.speakers.refresh()
    assert "Bill" not in window.edits.speaker_names() and "Anna Smith" in window.edits.speaker_names()
    anna = store.find_speaker("Anna Smith").id
    window.speakers.select_speakers([bill, anna])
    assert window.speakers.delete_selected() == 1  # Anna has quotes: kept
    assert store.find_speaker("Bill") is None and store.find_speaker("Anna Smith") is not None
    assert "Bill" not in [s.name for s in window.speakers.model.speakers()]
    window.session.undo_stack.undo()
    back = store.speaker(bill)
    assert (back.name, back.type, back.aliases) == ("Bill", SpeakerType.PERSON, ("William",))


# --- 7. legend -----------------------------------------------------------------------------


def test_7_legend_takes_at_most_two_lines_and_can_be_hidden(qtbot, window: MainWindow) -> None:
    from quotebench.core.model import Quote

    window.resize(1200, 800)
    legend = window.article.legend
    quotes = [
        Quote(
            i,
            1,
            i * 10,
            i * 10 + 5,
            "x",
            Kind.INDIRECT,
            Status.SUGGESTED,
            speaker_id=i,
            speaker_name=f"S{i:03}",
        )
        for i in range(1, 201)
    ]
    legend.set_quotes(quotes)
    one_line = legend.fontMetrics().lineSpacing()
    assert legend.hidden_count > 150 and f"+{legend.hidden_count} more" in legend.text()
    assert legend.heightForWidth(legend.width()) <= 2 * one_line + 24  # two lines and padding
    assert "S200" in legend.toolTip()
    window.menu_actions.legend.trigger()
    assert legend.isHidden() and not window.settings.show_legend()
    window.menu_actions.legend.trigger()
    assert legend.isVisible()
