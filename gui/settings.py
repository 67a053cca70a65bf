"""Every setting the window keeps, with its key, type and default, in one place.

``gui.app.main`` sets the organisation and application names before the first
:class:`Settings` is made, so ``QSettings()`` finds the user's file.
"""

from __future__ import annotations

import hashlib
import os

from PySide6.QtCore import QByteArray, QSettings

#: Bump when a key changes meaning; :meth:`Settings.migrate` upgrades older files.
SETTINGS_VERSION = 1

KEY_VERSION = "settings_version"
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_SPLITTER = "window/splitter/{name}"
KEY_RECENT = "projects/recent"
KEY_LAST_PROJECT = "projects/last"
KEY_ACCEPT_THRESHOLD = "review/accept_threshold"
KEY_LAST_DIR = "files/last_dir"
KEY_EXPORT_FORMAT = "files/export_format"
KEY_SHOW_LEGEND = "view/show_legend"
KEY_COLOR_SCHEME = "view/color_scheme"
KEY_ADVANCE = "review/advance_after_review"
KEY_PROJECT_VIEW = "projects/view/{key}/{name}"
KEY_ENGINE_PROCESSES = "engine/processes"

MAX_RECENT = 8
#: The most engine processes Engine > Processes… offers (each holds the pipeline, ~250 MB).
MAX_ENGINE_PROCESSES = 16


def _number(value: object, default: float) -> float:
    """A number read back from QSettings (which may hand back a string)."""
    try:
        return float(value) if isinstance(value, int | float | str) else default
    except ValueError:
        return default


class Settings:
    """Typed access to the window's ``QSettings``.

    Args:
        qsettings: the store to use; a fresh ``QSettings()`` (the user's file) by default.
    """

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._s = qsettings if qsettings is not None else QSettings()
        self.migrate()

    def migrate(self) -> None:
        """Bring a settings file written by an older version up to :data:`SETTINGS_VERSION`."""
        found = int(_number(self._s.value(KEY_VERSION, 0, type=int), 0))
        if found < SETTINGS_VERSION:
            # version 0 is an empty file or one from before versioning: nothing to convert
            self._s.setValue(KEY_VERSION, SETTINGS_VERSION)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._s.sync()

    # --- window ----------------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        """The main window's saved geometry, if any."""
        value = self._s.value(KEY_GEOMETRY)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, value: QByteArray) -> None:
        """Remember the window geometry."""
        self._s.setValue(KEY_GEOMETRY, value)

    def window_state(self) -> QByteArray | None:
        """The main window's saved toolbar/dock state, if any."""
        value = self._s.value(KEY_STATE)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_state(self, value: QByteArray) -> None:
        """Remember the window state (toolbars, docks)."""
        self._s.setValue(KEY_STATE, value)

    def splitter(self, name: str) -> QByteArray | None:
        """A splitter's saved sizes (``QSplitter.saveState``), if any."""
        value = self._s.value(KEY_SPLITTER.format(name=name))
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_splitter(self, name: str, value: QByteArray) -> None:
        """Remember a splitter's sizes, by its object name."""
        self._s.setValue(KEY_SPLITTER.format(name=name), value)

    # --- projects --------------------------------------------------------------------------

    def recent_projects(self) -> list[str]:
        """Recently opened project files, most recent first."""
        value = self._s.value(KEY_RECENT, [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-element list
            value = [value]
        if not isinstance(value, list):
            return []
        return [str(v) for v in value][:MAX_RECENT]

    def add_recent_project(self, path: str) -> None:
        """Put a project at the top of the recent list (and remember it as the last one)."""
        paths = [path, *(p for p in self.recent_projects() if p != path)][:MAX_RECENT]
        self._s.setValue(KEY_RECENT, paths)
        self._s.setValue(KEY_LAST_PROJECT, path)

    def last_project(self) -> str | None:
        """The project open when the window last closed."""
        value = self._s.value(KEY_LAST_PROJECT, "")
        return str(value) or None

    # --- review ----------------------------------------------------------------------------

    def accept_threshold(self) -> float:
        """The confidence above which "Accept all above..." accepts suggestions."""
        return float(_number(self._s.value(KEY_ACCEPT_THRESHOLD, 0.75, type=float), 0.75))

    def set_accept_threshold(self, value: float) -> None:
        """Remember the confidence last used by "Accept all above"."""
        self._s.setValue(KEY_ACCEPT_THRESHOLD, float(value))

    # --- view ------------------------------------------------------------------------------

    def show_legend(self) -> bool:
        """Whether the legend of speaker colours shows above the article."""
        return str(self._s.value(KEY_SHOW_LEGEND, "true")).lower() in ("true", "1")

    def set_show_legend(self, value: bool) -> None:
        """Remember whether the legend shows."""
        self._s.setValue(KEY_SHOW_LEGEND, bool(value))

    def advance_after_review(self) -> bool:
        """Whether accepting or rejecting a quote selects the next suggestion (on by default)."""
        return str(self._s.value(KEY_ADVANCE, "true")).lower() in ("true", "1")

    def set_advance_after_review(self, value: bool) -> None:
        """Remember whether accept and reject move on to the next suggestion."""
        self._s.setValue(KEY_ADVANCE, bool(value))

    def project_value(self, project: str, name: str) -> str:
        """A view setting kept per project (``last_document``, ``table_header``, ``filter``)."""
        return str(self._s.value(KEY_PROJECT_VIEW.format(key=_project_key(project), name=name), ""))

    def set_project_value(self, project: str, name: str, value: str) -> None:
        """Keep a view setting for one project."""
        self._s.setValue(KEY_PROJECT_VIEW.format(key=_project_key(project), name=name), value)

    def color_scheme(self) -> str:
        """The colour scheme: ``"system"`` (the default), ``"light"`` or ``"dark"``."""
        value = str(self._s.value(KEY_COLOR_SCHEME, "system"))
        return value if value in ("system", "light", "dark") else "system"

    def set_color_scheme(self, value: str) -> None:
        """Remember the colour scheme (View > Colour scheme)."""
        self._s.setValue(KEY_COLOR_SCHEME, value)

    # --- engine ----------------------------------------------------------------------------

    def engine_processes(self) -> int:
        """How many processes the window's engine runs in (default: two, or one on one core)."""
        from ..core.engine.pool import default_processes

        default = min(2, default_processes())
        value = int(_number(self._s.value(KEY_ENGINE_PROCESSES, default), default))
        return min(max(1, value), MAX_ENGINE_PROCESSES)

    def set_engine_processes(self, value: int) -> None:
        """Remember how many engine processes to start (Engine > Processes…)."""
        self._s.setValue(KEY_ENGINE_PROCESSES, min(max(1, int(value)), MAX_ENGINE_PROCESSES))

    # --- files -----------------------------------------------------------------------------

    def last_dir(self) -> str:
        """The folder the last file dialog was in."""
        return str(self._s.value(KEY_LAST_DIR, ""))

    def set_last_dir(self, path: str) -> None:
        """Remember the folder a file dialog last used."""
        self._s.setValue(KEY_LAST_DIR, path)

    def export_format(self) -> str:
        """The format chosen in the last export."""
        return str(self._s.value(KEY_EXPORT_FORMAT, "jsonl"))

    def set_export_format(self, fmt: str) -> None:
        """Remember the export format last chosen."""
        self._s.setValue(KEY_EXPORT_FORMAT, fmt)


def _project_key(project: str) -> str:
    """A settings group name for a project's path (a hash: paths hold slashes and colons)."""
    return hashlib.sha1(os.path.abspath(project).encode("utf-8")).hexdigest()[:16]
