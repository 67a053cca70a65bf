"""The colour scheme: light, dark or the system's, from the palette alone.

The style sheets (``resources/style/*.qss``) name palette roles (``palette(window-text)``),
never colours, so one sheet serves both schemes. The dark palette is Fusion's own roles set
to dark greys; the light one is Fusion's standard palette. Speaker colours
(:mod:`gui.palette`) are pastel backgrounds under black text, which keep their contrast on
either scheme.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ColorScheme = Literal["system", "light", "dark"]
COLOR_SCHEMES: tuple[ColorScheme, ...] = ("system", "light", "dark")

_DARK = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f1f1f",
    QPalette.ColorRole.AlternateBase: "#2a2a2a",
    QPalette.ColorRole.ToolTipBase: "#3a3a3a",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Light: "#4a4a4a",
    QPalette.ColorRole.Midlight: "#3d3d3d",
    QPalette.ColorRole.Mid: "#555555",
    QPalette.ColorRole.Dark: "#1a1a1a",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Highlight: "#3d6fb8",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#7fb2ff",
    QPalette.ColorRole.LinkVisited: "#c59bff",
}
_DARK_DISABLED = {
    QPalette.ColorRole.WindowText: "#7a7a7a",
    QPalette.ColorRole.Text: "#7a7a7a",
    QPalette.ColorRole.ButtonText: "#7a7a7a",
    QPalette.ColorRole.HighlightedText: "#9a9a9a",
}


def dark_palette() -> QPalette:
    """Fusion's roles in dark greys, light text, a blue highlight."""
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def system_is_dark() -> bool:
    """Whether the desktop asks for a dark scheme (Qt's style hints; light if it says nothing)."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether a palette (the application's by default) is dark: light text on a dark window."""
    pal = palette or QApplication.palette()
    return (
        pal.color(QPalette.ColorRole.Window).lightness()
        < pal.color(QPalette.ColorRole.WindowText).lightness()
    )


def apply_color_scheme(scheme: str) -> ColorScheme:
    """Give the application the palette of a scheme, and re-apply the style sheet over it.

    Args:
        scheme: ``"dark"``, ``"light"`` or ``"system"`` (the desktop's; anything else is too).

    Returns:
        The scheme applied, as given (``"system"`` if it was not one of the three).
    """
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    chosen: ColorScheme = next((s for s in COLOR_SCHEMES if s == scheme), "system")
    dark = chosen == "dark" or (chosen == "system" and system_is_dark())
    palette = dark_palette() if dark else app.style().standardPalette()
    app.setPalette(palette)
    sheet = app.styleSheet()
    app.setStyleSheet("")  # palette(...) in the sheet is resolved when it is set
    app.setStyleSheet(sheet)
    return chosen
