"""Qt finds real fonts: without a font package every glyph is drawn as a box."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontDatabase, QFontInfo, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication

from quotebench.gui.app import application, font_family


def test_font_families_exist(qapp) -> None:
    application()
    families = QFontDatabase.families()
    assert families
    family = font_family()
    assert family and family in families


def test_text_is_drawn_with_real_glyphs(qapp) -> None:
    font = QApplication.font()
    assert QFontInfo(font).family() in QFontDatabase.families()
    metrics = QFontMetrics(font)
    # a font that draws boxes gives every letter the same width; real glyphs differ
    assert metrics.horizontalAdvance("i") < metrics.horizontalAdvance("W")
    assert metrics.inFontUcs4(ord("a")) and metrics.inFontUcs4(ord("“"))
    image = QImage(60, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(5, 20, "Quote")
    painter.end()
    dark = sum(1 for x in range(60) for y in range(30) if QColor(image.pixel(x, y)).lightness() < 128)
    assert dark > 20


def test_application_icon_is_drawn(qapp) -> None:
    from quotebench.gui.app import app_icon

    image = app_icon().pixmap(32, 32).toImage()
    assert not image.isNull()
    # the icon's dark ground, not an empty (transparent) picture
    assert image.pixelColor(16, 3).alpha() == 255
