"""The engine's corner of the status bar: its state, the run's progress and a Cancel button."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar


class EngineStatus(QObject):
    """Three permanent status bar widgets that show what :class:`~gui.suggestion_runner.SuggestionRunner`
    reports (connect its signals to the slots here).

    Args:
        status_bar: the window's status bar (and the widgets' parent).

    Attributes:
        label: the engine's state ("Engine ready").
        progress: the run's progress, shown during a run.
        cancel_button: stops the run, shown during a run.
    """

    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self.label = QLabel("", status_bar)
        self.progress = QProgressBar(status_bar)
        self.progress.setMaximumWidth(240)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", status_bar)
        self.cancel_button.setToolTip("Stop the suggestion run (Esc)")
        self.cancel_button.hide()
        for widget in (self.label, self.progress, self.cancel_button):
            status_bar.addPermanentWidget(widget)

    @Slot(str)
    def set_state(self, text: str) -> None:
        """Say what the engine is doing."""
        self.label.setText(text)

    @Slot(int, int, str)
    def show_progress(self, done: int, total: int, label: str) -> None:
        """Show the run's progress: ``done`` of ``total`` documents (0: not known yet)."""
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"{label} %v/%m" if total else label)
        self.progress.show()
        self.cancel_button.show()

    @Slot()
    def hide_progress(self) -> None:
        """Hide the progress bar and Cancel (no run is going)."""
        self.progress.hide()
        self.cancel_button.hide()
