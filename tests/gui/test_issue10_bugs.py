"""Issue 10: each window bug reproduced (these failed before their fix)."""

from __future__ import annotations

import pytest
from conftest import TEXT
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from quotebench.core.model import Kind
from quotebench.core.project.store import Store
from quotebench.gui.widgets.main_window import MainWindow

OTHER = "A second article.\n\nIt has two paragraphs and no quotes at all, said nobody."


@pytest.fixture
def window(qtbot, store: Store, settings) -> MainWindow:
    """The window on the test project plus a second document with no quotes."""
    store.add_document(OTHER, title="second", source="second.txt")
    path = store.path
    store.close()
    w = MainWindow(settings)
    w.model_error = "not needed here"
    qtbot.addWidget(w)
    assert w.open_project(path, create=False)
    w.show()
    qtbot.waitExposed(w)
    return w


def doc_ids(w: MainWindow) -> list[int]:
    assert w.session is not None
    return [d.id for d in w.session.store.documents()]


# --- 1. format leak ------------------------------------------------------------------------


def test_1_switching_document_does_not_carry_the_selected_quote_format(window: MainWindow) -> None:
    first, second = doc_ids(window)
    window.show_document(first)
    paragraph_quote = next(q for q in window.quotes_model.quotes() if q.kind is Kind.DIRECT)
    assert TEXT[paragraph_quote.start - 1] == "\n"  # it starts a paragraph
    window.select_quote(paragraph_quote.id)
    window.show_document(second)
    doc = window.article.view.document()
    for pos in (0, 1, 5, doc.characterCount() - 2):
        cur = QTextCursor(doc)
        cur.setPosition(pos + 1)
        fmt = cur.charFormat()
        assert fmt.background().style() == Qt.BrushStyle.NoBrush, pos
        assert not fmt.fontUnderline(), pos
        assert fmt.underlineStyle() == fmt.UnderlineStyle.NoUnderline, pos
