"""The study tools reached from the window's menus: statistics, agreement, evaluation, adjudication."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from quotebench.core.agreement.adjudication import create_gold
from quotebench.core.model import Changes
from quotebench.core.project.store import Store
from quotebench.gui.settings import Settings
from quotebench.gui.widgets.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_adjudication import coder  # noqa: E402  (the two coders' projects of the core tests)


def open_window(qtbot, path: Path, settings: Settings) -> MainWindow:  # type: ignore[no-untyped-def]
    """A window on the project at ``path``, shown, with no engine."""
    w = MainWindow(settings)
    w.model_error = "not needed here"
    qtbot.addWidget(w)
    assert w.open_project(path, create=False)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def window(qtbot, store: Store, settings: Settings) -> MainWindow:  # type: ignore[no-untyped-def]
    path = store.path
    store.close()
    return open_window(qtbot, Path(path), settings)


def test_statistics_view_from_the_menu(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.study.statistics_action.trigger()
    view, dock = window.study.statistics, window.study.statistics_dock
    assert view is not None and dock is not None
    qtbot.waitUntil(dock.isVisible)
    assert view.store is window.session.store  # type: ignore[union-attr]
    assert view.table is not None and view.table.rows  # the one accepted quote is counted
    view.filter_requested.emit("speaker:Anna")
    assert window.filter_edit.text() == "speaker:Anna"
    window.session.changed.emit(Changes(documents=frozenset({window.doc_id})))  # type: ignore[union-attr]
    assert view._timer.isActive()
    window.study.statistics_action.trigger()
    assert not dock.isVisible()


def test_evaluation_without_done_documents_is_a_message(window: MainWindow) -> None:
    window.study.evaluation_action.trigger()
    assert "E044" in (window.last_error or "") and window.message_bar.isVisible()
    assert not window.study.dialogs


def test_evaluation_dialog_from_the_menu(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.doc_id is not None
    window.session.store.set_review_state([window.doc_id], "done")  # type: ignore[union-attr]
    window.study.evaluation_action.trigger()
    assert len(window.study.dialogs) == 1
    dialog = window.study.dialogs[0]
    qtbot.waitUntil(dialog.isVisible)
    assert "marked done" in dialog.summary.text()  # type: ignore[attr-defined]
    dialog.close()


def test_agreement_report_from_the_menu_selects_a_disagreement(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, settings: Settings, monkeypatch
) -> None:
    coder(tmp_path / "ann.qbproj", "ann")
    coder(tmp_path / "ben.qbproj", "ben")
    w = open_window(qtbot, tmp_path / "ann.qbproj", settings)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(tmp_path / "ben.qbproj")], ""))
    )
    w.study.agreement_action.trigger()
    assert len(w.study.dialogs) == 1, w.last_error
    dialog = w.study.dialogs[0]
    qtbot.waitUntil(dialog.isVisible)
    rows = dialog.disagreements.rowCount()  # type: ignore[attr-defined]
    assert rows > 0
    _, d = dialog._rows[0]  # type: ignore[attr-defined]
    q = d["reference"] or d["other"]
    dialog._activated(0, 0)  # type: ignore[attr-defined]
    doc = next(x for x in w.session.store.documents() if x.sha256 == d["sha256"])  # type: ignore[union-attr]
    assert w.doc_id == doc.id
    assert w.article.view.selected_span() == (q["start"], q["end"])
    dialog.close()


def test_adjudication_dock_for_a_gold_project(qtbot, tmp_path: Path, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    pair = [coder(tmp_path / "ann.qbproj", "ann"), coder(tmp_path / "ben.qbproj", "ben")]
    create_gold(pair, tmp_path / "gold.qbproj")
    w = open_window(qtbot, tmp_path / "gold.qbproj", settings)
    view = w.study.adjudication
    assert view is not None and w.study.adjudication_action.isEnabled()
    qtbot.waitUntil(w.study.adjudication_dock.isVisible)
    w.study.adjudication_action.trigger()
    assert not w.study.adjudication_dock.isVisible()
    w.study.adjudication_action.trigger()
    qtbot.waitUntil(w.study.adjudication_dock.isVisible)
    view.list.selectRow(0)
    view.versions.selectRow(0)
    with qtbot.waitSignal(w.session.changed):  # type: ignore[union-attr]
        view.take.click()
    # another project, not a gold one: no adjudication
    shutil.copy(tmp_path / "ann.qbproj", tmp_path / "plain.qbproj")
    assert w.open_project(tmp_path / "plain.qbproj", create=False)
    assert w.study.adjudication is None and not w.study.adjudication_action.isEnabled()
    assert not w.study.adjudication_dock.isVisible()


def test_distribute_dialog_writes_coders_projects(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.study.distribute_action.trigger()
    dialog = window.study.dialogs[0]
    qtbot.waitUntil(dialog.isVisible)
    dialog.coders.setText("ann, ben")  # type: ignore[attr-defined]
    dialog.seed.setText("7")  # type: ignore[attr-defined]
    dialog.folder.setText(str(tmp_path / "out"))  # type: ignore[attr-defined]
    assert dialog.run()  # type: ignore[attr-defined]
    assert (tmp_path / "out" / "distribution.json").exists()
    assert not window.study.dialogs


def test_open_takes_a_view() -> None:
    from click.testing import CliRunner

    from quotebench.core.cli.main import cli

    result = CliRunner().invoke(cli, ["open", "--help"])
    assert result.exit_code == 0 and "--view [statistics]" in result.output
