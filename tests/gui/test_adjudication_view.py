"""The adjudication view: disagreements, each coder's version, decisions as undoable commands."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from quotebench.core.agreement.adjudication import create_gold
from quotebench.core.model import Status
from quotebench.core.project.store import Store
from quotebench.gui.widgets.adjudication_view import AdjudicationView

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_adjudication import coder  # noqa: E402  (the two coders' projects of the core tests)


def test_decide_undo_and_figures(qtbot: QtBot, tmp_path: Path) -> None:
    pair = [coder(tmp_path / "ann.qbproj", "ann"), coder(tmp_path / "ben.qbproj", "ben")]
    create_gold(pair, tmp_path / "gold.qbproj")
    gold = Store.open(tmp_path / "gold.qbproj", annotator="judge")
    stack = QUndoStack()
    view = AdjudicationView(gold, stack)
    qtbot.addWidget(view)
    assert view.list.rowCount() == 5 and "0 of 5" in view.progress.text()
    assert "ann: F1 0.333" in view.progress.text()  # the agreed quote alone: 1 of ann's 5
    kinds = [view.list.item(r, 1).text() for r in range(5)]
    row = kinds.index("kind")
    view.list.selectRow(row)
    assert [view.versions.item(r, 0).text() for r in range(2)] == ["ann", "ben"]
    view.versions.selectRow(1)  # ben's version
    with qtbot.waitSignal(view.changed):
        view.take.click()
    assert view.list.item(row, 2).text() == "decided" and "1 of 5" in view.progress.text()
    assert "ben: F1 0.571" in view.progress.text()  # recomputed: 2 of ben's 5 in the gold
    statuses = {view.versions.item(r, 0).text(): view.versions.item(r, 4).text() for r in range(2)}
    assert statuses == {"ann": "rejected", "ben": "accepted"}
    stack.undo()
    assert view.list.item(row, 2).text() == "open"
    assert {gold.quote(q).status for q in view.items[row]["quotes"].values()} == {Status.SUGGESTED}
    stack.redo()
    assert view.list.item(row, 2).text() == "decided"
    view.undo_current()  # the button: a command of its own
    assert view.list.item(row, 2).text() == "open"
    stack.undo()
    assert view.list.item(row, 2).text() == "decided"
    missing = kinds.index("missing")
    view.list.selectRow(missing)
    view.reject_all.click()
    assert view.list.item(missing, 2).text() == "decided" and "2 of 5" in view.progress.text()
    actions = [e.action for e in gold.history(limit=10**6) if e.action.startswith("adjudicate")]
    assert actions.count("adjudicate-reject") == 1 and actions.count("adjudicate-undo") == 2
    view.resize(1000, 420)
    view.grab().save(str(tmp_path / "adjudication.png"))
    assert (tmp_path / "adjudication.png").stat().st_size > 0
    gold.close()
