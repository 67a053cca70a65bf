"""The evaluation dialog: the engine's figures on the documents marked done, saved as CSV."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from quotebench.core.agreement.errors import AgreementError
from quotebench.core.project.store import Store
from quotebench.gui.widgets.evaluation_dialog import EvaluationDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_evaluate import decided  # noqa: E402, F401  (the project of known decisions, a fixture)


def test_figures_and_csv(qtbot: QtBot, decided: Store, tmp_path: Path) -> None:  # noqa: F811
    dialog = EvaluationDialog.for_store(decided)
    qtbot.addWidget(dialog)
    assert "precision <b>0.667</b>" in dialog.summary.text() and "F1 <b>0.727</b>" in dialog.summary.text()
    assert "partly right 3" in dialog.text.toPlainText()
    dialog.save_csv(tmp_path / "e.csv")
    rows = list(csv.DictReader((tmp_path / "e.csv").open(encoding="utf-8")))
    assert rows[0]["precision"] == "0.6667" and rows[0]["recall"] == "0.8000"
    dialog.grab().save(str(tmp_path / "evaluation.png"))


def test_no_document_done(tmp_path: Path) -> None:
    with Store.create(tmp_path / "x.qbproj") as store:
        store.add_document("Some text.")
        with pytest.raises(AgreementError, match=r"\[E044\]"):
            EvaluationDialog.for_store(store)
