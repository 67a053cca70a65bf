"""``quotebench open`` starts the window (in a subprocess, as a researcher starts it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED

QUOTEBENCH = Path(sys.executable).parent / "quotebench"


def launch_env(tmp_path: Path) -> dict[str, str]:
    """Offscreen, reporting its first show, with settings and data kept under ``tmp_path``."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QUOTEBENCH_REPORT_SHOWN": "1",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }


def test_open_shows_the_window_and_imports_into_the_default_project(tmp_path: Path) -> None:
    env = launch_env(tmp_path)
    done = subprocess.run(
        [str(QUOTEBENCH), "open", str(SEED)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("shown ")
    projects = list((tmp_path / "data").rglob("default.qbproj"))
    assert len(projects) == 1
    from quotebench.core.project.store import Store

    with Store.open(projects[0]) as store:
        assert [d.title for d in store.documents()] == [SEED.stem]


def test_open_reports_a_missing_article(tmp_path: Path) -> None:
    env = launch_env(tmp_path)
    project = tmp_path / "p.qbproj"
    done = subprocess.run(
        [str(QUOTEBENCH), "open", str(project), str(tmp_path / "missing.txt")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0  # the window opens and says what is wrong
    assert (
        "Nothing was imported" in done.stderr
        and "missing.txt" in done.stderr
        and "no such file" in done.stderr
    )
    assert project.exists()


@pytest.mark.model
def test_screenshot_waits_for_the_suggestions(qapp, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    from quotebench.gui.palette import speaker_colour, tint

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    out = tmp_path / "shot.png"
    done = subprocess.run(
        [str(QUOTEBENCH), "open", "--screenshot", str(out), str(SEED)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1360, 860)
    colours = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    }
    # the first speaker's suggestions are highlighted in the text (pale tint) and its swatch is in the table
    assert tint(speaker_colour(1)).name() in colours
    assert speaker_colour(1).name() in colours
