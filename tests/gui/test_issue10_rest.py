"""Issue 10, the rest: fast suggestion storing, evidence apart from notes, imported quotes,
the dark scheme, large fonts, and corpus-scale review (each reproduced before its fix)."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from generated import long_article
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QLabel

from quotebench.core.model import Kind, Status, Suggestion
from quotebench.core.project.store import Store
from quotebench.gui.widgets.main_window import MainWindow


class StallMeter:
    """A 5 ms timer recording the longest gap between its ticks: the event loop's stalls."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.clock = QElapsedTimer()
        self.longest = 0.0
        self.timer.timeout.connect(self._tick)
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.nsecsElapsed() / 1e6)
        self.clock.restart()


@pytest.fixture
def window(qtbot, store: Store, settings) -> MainWindow:
    """The window on the test project (conftest's)."""
    path = store.path
    store.close()
    w = MainWindow(settings)
    w.model_error = "not needed here"
    qtbot.addWidget(w)
    assert w.open_project(path, create=False)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def long_window(qtbot, settings, tmp_path: Path) -> tuple[MainWindow, int, list[Suggestion]]:
    """The window on a project of one long article (3,000 paragraphs), shown."""
    text, suggestions = long_article(3000)
    with Store.open(tmp_path / "long.qbproj", create=True) as store:
        doc, _ = store.add_document(text, title="long")
    w = MainWindow(settings)
    w.model_error = "not needed here"
    qtbot.addWidget(w)
    assert w.open_project(tmp_path / "long.qbproj", create=False)
    w.show()
    qtbot.waitExposed(w)
    return w, doc, suggestions


# --- 4. storing 3,000 suggestions ----------------------------------------------------------


def test_4_storing_3000_suggestions_of_the_shown_article_never_stalls_long(
    qtbot, long_window, monkeypatch
) -> None:
    from quotebench.gui.session import Session
    from quotebench.gui.suggestion_runner import SuggestionRunner

    window, doc, suggestions = long_window
    window.suggestions._worker_session = window.session  # as if the engine had read it
    steps: list[float] = []  # each piece of work done in one turn of the event loop (CPU time)

    def timed(method):
        def run(*args, **kwargs):
            t = time.thread_time()
            try:
                return method(*args, **kwargs)
            finally:
                steps.append((time.thread_time() - t) * 1000)

        return run

    monkeypatch.setattr(SuggestionRunner, "_suggestions_ready", timed(SuggestionRunner._suggestions_ready))
    monkeypatch.setattr(SuggestionRunner, "_store_next", timed(SuggestionRunner._store_next))
    monkeypatch.setattr(Session, "flush_changes", timed(Session.flush_changes))
    meter = StallMeter()
    qtbot.wait(50)
    meter.longest = 0.0
    gc.collect()
    gc.disable()  # a collection of the whole test session's garbage is not this code's stall
    try:
        t0 = time.perf_counter()
        QTimer.singleShot(0, lambda: window.suggestions._suggestions_ready(doc, suggestions))
        qtbot.waitUntil(lambda: window.quotes_model.rowCount() == 3000, timeout=20_000)
        qtbot.wait(100)  # highlighting and lists done
        total = time.perf_counter() - t0
    finally:
        gc.enable()
    assert len(window.session.store.quotes_for(doc)) == 3000
    assert len(window.article.view.quotes()) == 3000
    print(f"stored and shown in {total * 1000:.0f} ms, longest stall {meter.longest:.0f} ms, steps {steps}")
    # the longest wall-clock stall is 86-91 ms on a quiet 2-core machine (bench_gui.py), more
    # under load; the CPU time of one step does not depend on the load. In one piece: 300 ms.
    assert len(steps) >= 12 and max(steps) < 100


# --- 6. imported answer keys ---------------------------------------------------------------


def _gold(tmp_path: Path) -> Path:
    import json

    text = 'He said "we stay". Jo Brand said "yes".'
    a, b = text.index('"we stay"'), text.index('"yes"')
    quotes = [
        {"start": a, "end": a + 9, "speaker": "He", "entity": "He"},
        {"start": b, "end": b + 5, "speaker": "Jo Brand", "entity": "Jo Brand"},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "gold", "text": text, "quotes": quotes}) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("answer", "statuses"), [("suggested", ["suggested"] * 2), ("ignore", []), (None, None)]
)
def test_6_import_asks_what_the_quotes_of_an_answer_key_become(
    qtbot, long_window, tmp_path, monkeypatch, answer, statuses
) -> None:
    from quotebench.gui.widgets import main_window

    window, _, _ = long_window
    asked: list[int] = []
    monkeypatch.setattr(main_window, "ask_imported_quotes", lambda parent, n: asked.append(n) or answer)
    window.model_error = "not needed here"
    ids = window.import_paths([_gold(tmp_path)])
    assert asked == [2]
    store = window.session.store
    if answer is None:  # cancelled: nothing imported
        assert ids == [] and len(store.documents()) == 1
        return
    quotes = store.quotes_for(ids[0])
    assert [q.status.value for q in quotes] == statuses
    assert all(q.speaker_name != "He" for q in quotes)
    window.session.undo_stack.undo()
    assert len(store.documents()) == 1


def test_6_the_import_dialog_defaults_to_suggestions(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from quotebench.gui.widgets.dialogs import ask_imported_quotes

    def press_default(box: QMessageBox) -> int:
        box.defaultButton().click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_default)
    assert ask_imported_quotes(None, 370) == "suggested"


# --- 8. dark colour scheme -----------------------------------------------------------------


def _luminance(c) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def restore_scheme(qapp):
    yield
    from quotebench.gui.theme import apply_color_scheme

    apply_color_scheme("light")


def test_8_the_style_sheet_names_no_colour_of_its_own() -> None:
    import re

    from quotebench.gui.app import style_sheet

    assert re.findall(r"#[0-9a-fA-F]{3,6}\b", style_sheet()) == []
    assert "palette(window-text)" in style_sheet() and "palette(alternate-base)" in style_sheet()


def test_8_dark_scheme_keeps_titles_rows_and_quotes_readable(qtbot, window, restore_scheme) -> None:
    from PySide6.QtGui import QPalette

    from quotebench.gui.palette import speaker_colour, tint

    window.set_color_scheme("dark")
    qtbot.wait(20)  # the new palette reaches the widgets by events
    assert window.settings.color_scheme() == "dark"
    assert window.menu_actions.color_schemes["dark"].isChecked()
    pal = window.palette()
    window_bg, text = pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.WindowText)
    assert window_bg.lightness() < 80 and contrast(window_bg, text) > 7
    base, alt = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.AlternateBase)
    assert (
        contrast(alt, pal.color(QPalette.ColorRole.Text)) > 7
        and alt.lightness() < 80
        and base.lightness() < 80
    )
    # a pane title is drawn in the palette's text colour, not a hard-coded dark grey
    title = window.findChild(QLabel, "paneTitle")
    assert title is not None and title.palette().color(title.foregroundRole()).lightness() > 180
    # quotes: dark ink on their speakers' light colours, in either scheme
    view = window.article.view
    for sid in range(1, 30):
        for status in (Status.ACCEPTED, Status.SUGGESTED):
            fmt = view._quote_format(sid, status)
            assert contrast(fmt.background().color(), fmt.foreground().color()) > 4.5, (
                sid,
                status,
            )  # WCAG AA
    assert (
        contrast(tint(speaker_colour(None)), view._quote_format(None, Status.SUGGESTED).foreground().color())
        > 7
    )
    window.set_color_scheme("light")
    qtbot.wait(20)
    assert window.palette().color(QPalette.ColorRole.Window).lightness() > 200


def test_8_open_takes_a_colour_scheme(monkeypatch) -> None:
    import sys

    from click.testing import CliRunner

    from quotebench.core.cli import cli

    seen: dict = {}

    class FakeApp:
        @staticmethod
        def run(paths, **kwargs):
            seen.update(kwargs)
            return 0

    monkeypatch.setitem(sys.modules, "quotebench.gui.app", FakeApp)
    result = CliRunner().invoke(cli, ["open", "--color-scheme", "dark", "x.txt"])
    assert result.exit_code == 0, result.output
    assert seen["color_scheme"] == "dark"
    assert CliRunner().invoke(cli, ["open", "--color-scheme", "purple"]).exit_code == 2


# --- 9. large fonts ------------------------------------------------------------------------


@pytest.fixture
def large_font(qapp):
    """The application font one and a half times as large (as QT_FONT_DPI=144 makes it)."""
    normal = qapp.font()
    big = qapp.font()
    big.setPointSizeF(normal.pointSizeF() * 1.5)
    qapp.setFont(big)
    yield
    qapp.setFont(normal)


def test_9_sizes_follow_the_font_and_every_pane_stays_on_screen(qtbot, store, settings, large_font) -> None:
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    from quotebench.gui.models import Column

    path = store.path
    store.close()
    w = MainWindow(settings)
    w.model_error = "not needed here"
    qtbot.addWidget(w)
    assert w.open_project(path, create=False)
    room = (w.screen() or QApplication.primaryScreen()).availableGeometry()
    assert w.width() <= room.width() and w.height() <= room.height()
    line = QFontMetrics(w.table.font()).height()
    assert w.table.verticalHeader().defaultSectionSize() >= line + 6  # rows fit their text
    assert w.table.columnWidth(Column.SPEAKER) >= 140 * line / 14 - 1  # columns grow with it
    assert w.main_split.childrenCollapsible() and w.center_split.childrenCollapsible()
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    assert w.width() <= 1600  # no minimum wider than the screen
    speakers = w.speakers.mapTo(w, w.speakers.rect().topRight())
    assert w.speakers.width() > 100 and speakers.x() <= w.width()  # the Speakers pane is not cut off


# --- corpus-scale review -------------------------------------------------------------------


@pytest.fixture
def corpus_window(qtbot, store: Store, settings) -> MainWindow:
    """The window on the test project plus a second document with a suggestion."""
    from conftest import TEXT

    doc2, _ = store.add_document(
        "Bo Li said the river was high. " + TEXT, title="second", source="second.txt"
    )
    store.add_quote(doc2, 11, 30, Kind.INDIRECT, status=Status.SUGGESTED)
    path = store.path
    store.close()
    w = MainWindow(settings)
    w.model_error = "not needed here"
    qtbot.addWidget(w)
    assert w.open_project(path, create=False)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_review_state_per_document_and_the_corpus_progress(qtbot, corpus_window) -> None:
    from PySide6.QtGui import QColor

    w = corpus_window
    first, second = (d.id for d in w.docs_model.documents())
    assert w.review.progress.text() == "0 of 2 documents done, 1 of 4 quotes reviewed"
    assert w.docs_model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is None  # to do
    w.show_document(first)
    assert w.review.toggle_done()  # D
    assert w.session.store.review_states()[first] == "done"
    assert isinstance(w.docs_model.index(0, 0).data(Qt.ItemDataRole.DecorationRole), QColor)
    assert "done" in w.docs_model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert w.review.progress.text().startswith("1 of 2 documents done")
    w.session.undo_stack.undo()
    assert w.session.store.review_states()[first] == "to do"
    w.session.undo_stack.redo()
    assert w.review.next_not_done() == second  # Shift+D
    assert w.doc_id == second
    assert w.review.next_not_done() is None  # the first is done
    actions = {a.text(): a for a in w.actions()}
    assert actions["&Mark document done"].shortcut().toString() == "D"
    assert actions["Next document &not done"].shortcut().toString() == "Shift+D"


def test_accept_moves_on_to_the_next_suggestion_and_marks_the_document_in_progress(
    qtbot, corpus_window
) -> None:
    w = corpus_window
    first = w.docs_model.documents()[0].id
    w.show_document(first)
    suggestions = [
        q for q in sorted(w.quotes_model.quotes(), key=lambda q: q.start) if q.status is Status.SUGGESTED
    ]
    assert len(suggestions) == 2
    w.select_quote(suggestions[0].id)
    assert w.edits.set_status(Status.ACCEPTED)
    assert w.current_quote().id == suggestions[1].id  # moved on
    assert w.session.store.review_states()[first] == "in progress"
    w.settings.set_advance_after_review(False)
    w.select_quote(suggestions[0].id)
    assert w.edits.set_status(Status.REJECTED)
    assert w.current_quote().id == suggestions[0].id  # stays, as asked


def test_the_last_document_columns_sort_and_filter_are_remembered_per_project(
    qtbot, corpus_window, settings
) -> None:
    from quotebench.gui.models import Column

    w = corpus_window
    second = w.docs_model.documents()[1].id
    path = w.session.store.path
    w.show_document(second)
    w.table.sortByColumn(Column.SPEAKER, Qt.SortOrder.DescendingOrder)
    w.table.setColumnWidth(Column.KIND, 111)
    w.quotes_pane.filter_edit.setText("river")
    w.close()
    again = MainWindow(settings)
    again.model_error = "not needed here"
    qtbot.addWidget(again)
    assert again.open_project(path, create=False)
    header = again.table.horizontalHeader()
    assert again.doc_id == second
    assert again.quotes_pane.filter_edit.text() == "river"
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        Column.SPEAKER,
        Qt.SortOrder.DescendingOrder,
    )
    assert again.table.columnWidth(Column.KIND) == 111


def test_4_opening_a_project_leaves_its_objects_out_of_later_collections(qtbot, corpus_window) -> None:
    import gc

    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=2000)
    gc.unfreeze()


def test_delete_says_what_went_and_undo_brings_it_back(qtbot, corpus_window) -> None:
    w = corpus_window
    w.show_document(w.docs_model.documents()[0].id)
    before = w.quotes_model.rowCount()
    first = sorted(w.quotes_model.quotes(), key=lambda q: q.start)[0]
    w.select_quote(first.id)
    assert w.edits.delete_selected()
    assert "Deleted" in w.statusBar().currentMessage() and "Ctrl+Z" in w.statusBar().currentMessage()
    w.undo()
    assert w.quotes_model.rowCount() == before
