"""Project files: where the default project lives, and the dialogs that open, create,
import into and export a project."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from .widgets.dialogs import ExportDialog

if TYPE_CHECKING:
    from .widgets.main_window import MainWindow

#: Suffixes that name a project file rather than an article.
PROJECT_SUFFIXES = (".qbproj", ".sqlite", ".db")
#: What the import dialog offers.
IMPORT_FILTER = "Articles and JSONL (*.txt *.md *.html *.htm *.jsonl *.ndjson);;All files (*)"


def default_project_path() -> Path:
    """The project articles go into when none is named: in the user's data folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / "default.qbproj"


def import_label(paths: list[str]) -> str:
    """The undo text of an import: ``Import a.txt and 2 more``."""
    return f"Import {Path(paths[0]).name}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else "")


class ProjectDialogs:
    """The File menu's dialogs: each asks for a file, remembers its folder and hands it to the
    window (:meth:`MainWindow.open_project`, :meth:`~MainWindow.import_paths`,
    :meth:`~MainWindow.export_to`).

    Args:
        window: the window that opens, imports and exports (and parents the dialogs).
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._settings = window.settings

    def new_project(self) -> None:
        """Ask for a new project file and open it."""
        path, _ = QFileDialog.getSaveFileName(
            self._window, "New project", self._settings.last_dir(), "Quotebench projects (*.qbproj)"
        )
        if not path:
            return
        if not path.endswith(PROJECT_SUFFIXES):
            path += ".qbproj"
        if Path(path).exists() and Path(path).stat().st_size:
            self._window.show_error(f"{path} already exists: open it instead, or choose another name.")
            return
        self._settings.set_last_dir(str(Path(path).parent))
        self._window.open_project(path, create=True, ask=False)

    def open_project(self) -> None:
        """Ask for a project file and open it."""
        path, _ = QFileDialog.getOpenFileName(
            self._window,
            "Open project",
            self._settings.last_dir(),
            "Quotebench projects (*.qbproj *.sqlite *.db);;All files (*)",
        )
        if path:
            self._settings.set_last_dir(str(Path(path).parent))
            self._window.open_project(path, create=False)

    def save_copy(self) -> None:
        """Ask where to save a copy of the project and save it there."""
        if self._window.session is None:
            return
        suggested = str(
            Path(self._settings.last_dir() or ".") / f"{Path(self._window.session.path).stem} copy.qbproj"
        )
        path, _ = QFileDialog.getSaveFileName(
            self._window, "Save a copy of the project", suggested, "Quotebench projects (*.qbproj)"
        )
        if not path:
            return
        if not path.endswith(PROJECT_SUFFIXES):
            path += ".qbproj"
        self._settings.set_last_dir(str(Path(path).parent))
        self._window.save_copy(path)

    def import_files(self) -> None:
        """Ask for article or JSONL files and import them."""
        paths, _ = QFileDialog.getOpenFileNames(
            self._window, "Import articles", self._settings.last_dir(), IMPORT_FILTER
        )
        if paths:
            self._settings.set_last_dir(str(Path(paths[0]).parent))
            self._window.import_paths(paths)

    def import_folder(self) -> None:
        """Ask for a folder of articles and import it."""
        path = QFileDialog.getExistingDirectory(
            self._window, "Import a folder of articles", self._settings.last_dir()
        )
        if path:
            self._settings.set_last_dir(path)
            self._window.import_paths([path])

    def export(self) -> None:
        """Ask for a format and destination and export the project."""
        if self._window.session is None:
            return
        dialog = ExportDialog(self._settings.export_format(), self._settings.last_dir(), self._window)
        if dialog.exec() and dialog.path.text().strip():
            fmt = dialog.chosen_format()
            self._settings.set_export_format(fmt)
            self._window.export_to(
                fmt, dialog.path.text().strip(), accepted_only=dialog.accepted_only.isChecked()
            )
