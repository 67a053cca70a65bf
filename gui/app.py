"""Starting the window: ``quotebench open`` and the ``quotebench-gui`` launcher."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFontDatabase, QFontInfo, QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from .projects import PROJECT_SUFFIXES, default_project_path
from .settings import Settings
from .study_actions import VIEWS
from .widgets.main_window import MainWindow

#: Set to print ``shown <unix time>`` at the window's first show and quit (launch benchmark).
REPORT_SHOWN_ENV = "QUOTEBENCH_REPORT_SHOWN"


def style_sheet() -> str:
    """The application's QSS: ``resources/style/*.qss`` in name order, concatenated."""
    folder = files("quotebench.resources") / "style"
    parts = sorted((p for p in folder.iterdir() if p.name.endswith(".qss")), key=lambda p: p.name)
    return "\n".join(p.read_text(encoding="utf-8") for p in parts)


def app_icon() -> QIcon:
    """The application's icon, drawn from ``resources/icons/quotebench.svg``."""
    pixmap = QPixmap()
    pixmap.loadFromData((files("quotebench.resources") / "icons" / "quotebench.svg").read_bytes(), "SVG")
    return QIcon(pixmap)


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The ``QApplication`` (made once), with the names ``QSettings`` and data paths use."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("Quotebench")
        QCoreApplication.setOrganizationDomain("quotebench.org")
        QCoreApplication.setApplicationName("Quotebench")
        app = QApplication(list(argv or [sys.argv[0]]))
        app.setStyle("Fusion")  # the same look on every platform, and in offscreen tests
        app.setStyleSheet(style_sheet())
        app.setWindowIcon(app_icon())
    assert isinstance(app, QApplication)
    return app


def font_family() -> str:
    """The family the application font resolves to ("" if Qt found no font at all)."""
    if not QFontDatabase.families():
        return ""
    return QFontInfo(QApplication.font()).family()


def split_paths(paths: Sequence[str]) -> tuple[str | None, list[str]]:
    """Tell a project file from article files: ``.qbproj``, ``.sqlite`` and ``.db`` are projects.

    Returns:
        The last project named (or ``None``) and the other paths, in order.
    """
    project = None
    articles = []
    for p in paths:
        if p.lower().endswith(PROJECT_SUFFIXES):
            project = p
        else:
            articles.append(p)
    return project, articles


def open_window(
    paths: Sequence[str] = (),
    *,
    settings: Settings | None = None,
    model_name: str | None = None,
    nlp: Any = None,
    color_scheme: str | None = None,
) -> MainWindow:
    """Make the window and open what ``paths`` name (see :func:`run`), without showing it.

    Args:
        paths: as for :func:`run`.
        settings: the settings to use (the user's by default).
        model_name: the spaCy pipeline to load in the background.
        nlp: a pipeline already loaded (tests, benchmarks), used instead of loading one.
        color_scheme: ``"dark"``, ``"light"`` or ``"system"`` for this run; ``None`` is the
            one chosen in View > Colour scheme.
    """
    application()
    window = MainWindow(settings or Settings(), model_name=model_name, nlp=nlp)
    if color_scheme is not None:
        window.set_color_scheme(color_scheme, remember=False)
    elif window.settings.color_scheme() != "system":
        window.set_color_scheme(window.settings.color_scheme(), remember=False)
    project, articles = split_paths(paths)
    if project is not None:
        # with articles to import, a new project is what was asked for; alone, a name that
        # does not exist may be a typo: the window asks before making an empty project
        window.open_project(project, create=True, ask=not articles)
    elif articles:
        window.open_project(default_project_path(), create=True)
    else:
        last = window.settings.last_project()
        if not (last and Path(last).exists() and window.open_project(last, create=False)):
            window.open_project(default_project_path(), create=True)
    if articles and window.session is not None:
        window.import_paths(articles)
    return window


def run(
    paths: Sequence[str] = (),
    *,
    screenshot: str | None = None,
    model_name: str | None = None,
    color_scheme: str | None = None,
    view: str | None = None,
) -> int:
    """Open the window on a project or article files and run until it is closed.

    Args:
        paths: a project file (``.qbproj``, ``.sqlite``, ``.db``) and/or article files; the
            articles go into the named project, or else the default project in the user's
            data folder. With no paths the last project opens.
        screenshot: save the window to this PNG once the engine has suggested quotes in the
            opened documents, and quit.
        model_name: the spaCy pipeline to use.
        color_scheme: ``"dark"``, ``"light"`` or ``"system"`` for this run (``None``: the
            one chosen in the window's View menu).
        view: a view to show as well (``"statistics"``: View > Statistics).

    Returns:
        The exit status.
    """
    app = application()
    window = open_window(paths, model_name=model_name, color_scheme=color_scheme)
    if view:
        window.study.show_view(view)
    if os.environ.get(REPORT_SHOWN_ENV):

        def report(at: float) -> None:
            print(f"shown {at:.6f}", flush=True)
            QTimer.singleShot(0, window.close)

        window.first_shown.connect(report)
    if screenshot:
        out = screenshot
        window.resize(1360, 860)  # the same picture whatever size the window was left at

        def grab() -> None:
            window.study.settle()  # a view's refresh still waiting is made first
            app.processEvents()
            window.grab().save(out)
            print(f"saved {out}", file=sys.stderr)
            window.close()

        def when_idle() -> None:
            if window.busy:
                window.engine_idle.connect(lambda: QTimer.singleShot(200, grab))
            else:
                QTimer.singleShot(200, grab)

        window.first_shown.connect(lambda _at: QTimer.singleShot(0, when_idle))
    window.show()
    code = app.exec()
    _exit_without_waiting(code)
    return code


def _exit_without_waiting(code: int) -> None:
    """End the process now if a daemon thread (the model still loading) outlives the window.

    The window never waits for the loader (closing stays instant), but letting the interpreter
    tear Qt down while that thread may still emit a signal can crash the process at exit. The
    window has closed its project by now (checkpointed, nothing pending), so the only work left
    is the loader's, whose engine process ends by itself when its pipe closes.
    """
    if not any(t.daemon and t.is_alive() for t in threading.enumerate()):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``quotebench-gui`` launcher."""
    parser = argparse.ArgumentParser(prog="quotebench-gui", description="Open the Quotebench window.")
    parser.add_argument("paths", nargs="*", help="a project file and/or article files")
    parser.add_argument(
        "--screenshot", metavar="OUT.png", help="save the window once suggestions are in, and quit"
    )
    parser.add_argument("--model", default=None, help="spaCy pipeline to use")
    parser.add_argument(
        "--color-scheme", choices=("dark", "light", "system"), default=None, help="colours for this run"
    )
    parser.add_argument("--view", choices=VIEWS, default=None, help="a view to show as well")
    args = parser.parse_args(argv)
    return run(
        args.paths,
        screenshot=args.screenshot,
        model_name=args.model,
        color_scheme=args.color_scheme,
        view=args.view,
    )
