"""Engine > Processes…: how many processes the window's engine runs in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from ..core.engine.pool import default_processes
from .settings import MAX_ENGINE_PROCESSES

if TYPE_CHECKING:
    from .widgets.main_window import MainWindow


def ask_engine_processes(window: MainWindow) -> int | None:
    """Ask how many engine processes to run, remember it, and restart an idle engine with it.

    Args:
        window: the window whose settings and engine are changed.

    Returns:
        The number chosen, or ``None`` if the dialog was cancelled.
    """
    cores = default_processes()
    value, ok = QInputDialog.getInt(
        window,
        "Engine processes",
        f"Documents parsed side by side (this computer has {cores} core{'s' if cores != 1 else ''};\n"
        "each process holds the language model, about 250 MB):",
        window.settings.engine_processes(),
        1,
        MAX_ENGINE_PROCESSES,
    )
    if not ok:
        return None
    window.settings.set_engine_processes(value)
    window.suggestions.restart_engine()
    return int(value)
