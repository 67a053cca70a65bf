"""Sizes that follow the font: a pixel size chosen at the default font grows with larger fonts
(``QT_FONT_DPI=144``, a desktop's large-text setting), so columns, rows and panes fit their text."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QWidget

#: The line height (px) of the default 9 pt font at 96 dpi, at which the sizes were chosen.
REFERENCE_LINE = 14


def scaled(widget: QWidget, px: int) -> int:
    """``px`` (chosen at the default font) for the widget's font: never smaller.

    Args:
        widget: whose font the size is for.
        px: the size at the default font.
    """
    line = QFontMetrics(widget.font()).height()
    return max(px, round(px * line / REFERENCE_LINE))


def row_height(widget: QWidget) -> int:
    """A table row's height for the widget's font: a line and some room (24 px by default)."""
    return QFontMetrics(widget.font()).height() + 10


def window_size(widget: QWidget, width: int, height: int) -> QSize:
    """A first window size: ``width`` x ``height`` at the default font, scaled with the font,
    and never more than 92% of the screen the window is on (so every pane is on screen)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    w, h = scaled(widget, width), scaled(widget, height)
    if screen is not None:
        room = screen.availableGeometry()
        w, h = min(w, int(room.width() * 0.92)), min(h, int(room.height() * 0.92))
    return QSize(w, h)
