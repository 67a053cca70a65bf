"""Reading comfort in the article view: space under paragraphs, with clicks and offsets exact."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont

from quotebench.core.model import Kind, Quote, Status
from quotebench.gui.widgets.article_view import PARAGRAPH_GAP, ArticleView

TEXT = "First paragraph, no quote.\n\nSecond: “a quote here” said Ann.\nThird: “another one” said Bob."


def _view(qtbot) -> ArticleView:
    a, b = TEXT.index("“a"), TEXT.index("here”") + 5
    c, d = TEXT.index("“an"), TEXT.index("one”") + 4
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.set_document(
        TEXT,
        [
            Quote(1, 1, a, b, TEXT[a:b], Kind.DIRECT, Status.ACCEPTED),
            Quote(2, 1, c, d, TEXT[c:d], Kind.DIRECT, Status.ACCEPTED),
        ],
    )
    view.show()
    qtbot.waitExposed(view)
    return view


def test_paragraphs_have_space_under_them_but_blank_lines_do_not(qtbot) -> None:
    view = _view(qtbot)
    doc = view.document()
    line = view.fontMetrics().lineSpacing()
    first, blank = doc.findBlockByNumber(0), doc.findBlockByNumber(1)
    text_height = first.layout().boundingRect().height()
    assert view.blockBoundingRect(first).height() >= text_height + round(line * PARAGRAPH_GAP) > text_height
    assert view.blockBoundingRect(blank).height() == blank.layout().boundingRect().height()
    assert view.document().documentMargin() >= 4


def test_clicks_land_on_the_quote_of_a_spaced_paragraph(qtbot) -> None:
    view = _view(qtbot)
    third = view.document().findBlockByNumber(3)
    top = view.blockBoundingGeometry(third).translated(view.contentOffset()).top()
    x = view.fontMetrics().horizontalAdvance("Third: “ano")
    with qtbot.waitSignal(view.quote_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(top) + 4))
    assert clicked.args == [2]


def test_the_space_follows_the_font(qtbot) -> None:
    view = _view(qtbot)
    before = view.paragraphs.gap
    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    assert view.paragraphs.gap > before
