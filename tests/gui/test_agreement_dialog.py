"""The agreement report dialog: figures and disagreements from quotebench agree's JSON."""

from __future__ import annotations

import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from quotebench.gui.widgets.agreement_dialog import AgreementDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_adjudication import coder  # noqa: E402  (the two coders' projects of the core tests)


def test_two_coders_figures_and_disagreements(qtbot: QtBot, tmp_path: Path) -> None:
    ann, ben = coder(tmp_path / "ann.qbproj", "ann"), coder(tmp_path / "ben.qbproj", "ben")
    dialog = AgreementDialog.for_projects([ann, ben], {"accepted"})
    qtbot.addWidget(dialog)
    assert "ben.qbproj against ann.qbproj" in dialog.summary.text() and "0.800" in dialog.summary.text()
    assert dialog.figures.rowCount() == 1 and dialog.figures.item(0, 0).text() == "ben.qbproj vs ann.qbproj"
    assert dialog.per_document.item(0, 0).text() == "bridge"
    assert dialog.disagreements.rowCount() == 5 and dialog.count.text() == "5 disagreement(s)"
    dialog.filter.setCurrentText("kind")
    assert dialog.disagreements.rowCount() == 1
    assert "a good start" in dialog.disagreements.item(0, 3).text()
    with qtbot.waitSignal(dialog.disagreement_activated) as signal:
        dialog.disagreements.cellActivated.emit(0, 0)
    sha, start, end = signal.args
    assert len(sha) == 64 and end > start
    dialog.filter.setCurrentText("extra")
    assert dialog.disagreements.rowCount() == 1 and dialog.disagreements.item(0, 3).text() == "—"
    dialog.filter.setCurrentText("all")
    dialog.grab().save(str(tmp_path / "agreement.png"))
    assert (tmp_path / "agreement.png").stat().st_size > 0


def test_three_coders_show_every_pair_and_the_mean(qtbot: QtBot, tmp_path: Path) -> None:
    paths = [coder(tmp_path / f"{n}.qbproj", n) for n in ("ann", "ben")]
    paths.append(coder(tmp_path / "cy.qbproj", "ann"))  # cy codes as ann did
    dialog = AgreementDialog.for_projects(paths, {"accepted"})
    qtbot.addWidget(dialog)
    labels = [dialog.figures.item(r, 0).text() for r in range(dialog.figures.rowCount())]
    assert labels == [
        "ben.qbproj vs ann.qbproj",
        "cy.qbproj vs ann.qbproj",
        "cy.qbproj vs ben.qbproj",
        "(mean of pairs)",
    ]
    assert "mean of every pair" in dialog.summary.text()
    assert dialog.disagreements.rowCount() == 10  # ann-ben and ben-cy differ alike; ann and cy agree
