"""The article, read-only, with every quote highlighted in its speaker's colour.

Highlighting merges character formats into the document in one edit block, rather than
running a ``QSyntaxHighlighter``: on a 200,000-word article a highlighter took 2.4 s (it
re-runs block by block), merged formats about 20 ms. The document's own undo is off, so
formats cost no memory there. The selected quote is an extra selection (an outline that
does not touch the document).
"""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QRectF, QSignalBlocker, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.model import Quote, Status
from ..colour_map import ColourMap
from ..offsets import OffsetMap, display_text
from ..palette import ink, tint

#: The text colour of quotes, on their speakers' light colours (in the light and dark schemes).
QUOTE_INK = "#111111"


#: The space under each paragraph, in lines of the article's font.
PARAGRAPH_GAP = 0.6


class ParagraphLayout(QPlainTextDocumentLayout):
    """The plain-text layout with space under each paragraph, for reading.

    ``QPlainTextDocumentLayout`` ignores block formats (margins, line height), and a
    ``QTextEdit`` lays out a 200,000-word article many times slower; so each non-empty
    paragraph's box is made taller here. The view paints, scrolls and hit-tests with these
    boxes, so clicks land on the right quote and the text (and its offsets) is unchanged.

    Attributes:
        gap: the space under a paragraph, in pixels.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.gap = 0

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        """Override QPlainTextDocumentLayout.blockBoundingRect: the paragraph and its gap."""
        rect = super().blockBoundingRect(block)
        if self.gap and block.length() > 1:  # blank lines keep their own height
            rect.setHeight(rect.height() + self.gap)
        return rect


class ArticleView(QPlainTextEdit):
    """Shows a document's text and its quotes.

    Speakers are coloured by the shown document's :class:`.ColourMap` (slots in order of
    first quote), made again whenever the quotes change.

    Signals:
        quote_clicked(int): the researcher clicked inside a quote (its id).
        colours_changed(ColourMap): the document's speaker colours changed (a new document,
            or a speaker added, removed or moved first).
    """

    quote_clicked = Signal(int)
    colours_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.document().setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setObjectName("articleView")
        self.paragraphs = ParagraphLayout(self.document())
        self.document().setDocumentLayout(self.paragraphs)
        self._set_spacing()
        self._map = OffsetMap("")
        self._text = ""
        self._quotes: list[Quote] = []
        self._starts: list[int] = []
        self._selected: int | None = None
        self._formats: dict[object, QTextCharFormat] = {}
        self._formatted = False  # whether the document holds formats to clear first
        self._colours = ColourMap()

    def _set_spacing(self) -> None:
        """Space under paragraphs and around the text, from the font's line height."""
        line = self.fontMetrics().lineSpacing()
        self.paragraphs.gap = round(line * PARAGRAPH_GAP)
        self.document().setDocumentMargin(max(4, line // 2))

    def changeEvent(self, event: QEvent) -> None:
        """Override QPlainTextEdit.changeEvent: a new palette (light or dark) re-formats the
        quotes, whose mention underlines follow it; a new font re-spaces the paragraphs."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._set_spacing()
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange) and self._formats:
            self._formats.clear()
            if self._quotes:
                self._highlight()

    def _dark(self) -> bool:
        pal = self.palette()
        return pal.color(QPalette.ColorRole.Base).lightness() < pal.color(QPalette.ColorRole.Text).lightness()

    # --- contents --------------------------------------------------------------------------

    @property
    def offsets(self) -> OffsetMap:
        """The map between stored offsets and this view's positions."""
        return self._map

    def text(self) -> str:
        """The stored text shown (``\\r\\n`` and all)."""
        return self._text

    def set_document(self, text: str, quotes: Sequence[Quote] = ()) -> None:
        """Show a document and highlight its quotes."""
        self._text = text
        self._map = OffsetMap(text)
        self._selected = None
        self.setExtraSelections([])
        # setPlainText gives the new text the cursor's character format: if the cursor sat
        # at the start of a highlighted quote, the whole new article took its colour
        self.setTextCursor(QTextCursor(self.document()))
        self.setCurrentCharFormat(QTextCharFormat())
        self.setPlainText(display_text(text))
        self._formatted = False
        self.set_quotes(quotes)

    def colour_map(self) -> ColourMap:
        """The shown document's speaker colours."""
        return self._colours

    def _update_colours(self) -> bool:
        """Make the colour map of the quotes shown; whether it changed (formats are then new)."""
        colours = ColourMap.for_quotes(self._quotes)
        if colours == self._colours:
            return False
        self._colours = colours
        self._formats.clear()
        self.colours_changed.emit(colours)
        return True

    def set_quotes(self, quotes: Iterable[Quote]) -> None:
        """Highlight these quotes (all of the document's; replaces earlier highlights)."""
        self._quotes = sorted(quotes, key=lambda q: (q.start, q.end, q.id))
        self._starts = [q.start for q in self._quotes]
        self._update_colours()
        self._highlight()
        if self._selected is not None:
            self.select_quote(self._selected, scroll=False)

    def quotes(self) -> list[Quote]:
        """The highlighted quotes, in text order."""
        return list(self._quotes)

    def _quote_format(self, speaker_id: int | None, status: Status) -> QTextCharFormat:
        key = (speaker_id, status)
        fmt = self._formats.get(key)
        if fmt is None:
            colour = self._colours.colour(speaker_id)
            fmt = QTextCharFormat()
            # speaker colours are light in both schemes: dark ink on them, whatever the text colour
            if status is Status.ACCEPTED:
                fmt.setBackground(colour)
                fmt.setForeground(QColor(QUOTE_INK))
            elif status is Status.SUGGESTED:
                fmt.setBackground(tint(colour))
                fmt.setForeground(QColor(QUOTE_INK))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(ink(colour))
            else:
                fmt.setFontStrikeOut(True)
                fmt.setForeground(QColor("#8a8a8a"))
            self._formats[key] = fmt
        return fmt

    def _mention_format(self, speaker_id: int | None) -> QTextCharFormat:
        key = (speaker_id, "mention")
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            # on a dark page, the speaker's own (light) colour; on a light one, a dark shade of it
            colour = self._colours.colour(speaker_id)
            fmt.setUnderlineColor(colour if self._dark() else ink(colour))
            fmt.setFontWeight(QFont.Weight.DemiBold)
            self._formats[key] = fmt
        return fmt

    def _highlight(self, region: tuple[int, int] | None = None) -> None:
        """Format quotes, cues and mentions (about 15,000 ranges in 50 ms, see the benchmark).

        Formats are shared per speaker and status, and offsets are mapped inline.

        Args:
            region: re-format only this stored span (after an edit of a few quotes): it is
                cleared and every range in it is formatted again, clipped to it, in the
                same order as a full pass, so the result is the same as re-formatting all.
        """
        m = self._map
        keys, cum = m._keys, m._cum  # the map's tables, read directly in this hot loop
        doc = self.document()
        cur = QTextCursor(doc)
        keep = QTextCursor.MoveMode.KeepAnchor
        set_pos, merge = cur.setPosition, cur.mergeCharFormat
        rejected = Status.REJECTED
        lo, hi = region if region is not None else (0, m.length)
        cue_fmt = self._formats.get("cue")
        if cue_fmt is None:
            cue_fmt = self._formats["cue"] = QTextCharFormat()
            cue_fmt.setFontWeight(QFont.Weight.Bold)

        def paint(start: int, end: int, fmt: QTextCharFormat) -> None:
            start, end = max(start, lo), min(end, hi)
            if end > start:
                set_pos(start + cum[bisect_left(keys, start)])
                set_pos(end + cum[bisect_left(keys, end)], keep)
                merge(fmt)

        cur.beginEditBlock()
        try:
            if region is not None:
                set_pos(m.to_qt(lo))
                set_pos(m.to_qt(hi), keep)
                cur.setCharFormat(QTextCharFormat())
            elif self._formatted:
                cur.select(QTextCursor.SelectionType.Document)
                cur.setCharFormat(QTextCharFormat())
            marks: list[tuple[int, int, QTextCharFormat]] = []
            for q in self._quotes:
                paint(q.start, q.end, self._quote_format(q.speaker_id, q.status))
                if q.status is rejected:
                    continue
                if q.cue_start is not None and q.cue_end is not None and q.cue_end > q.cue_start:
                    marks.append((q.cue_start, q.cue_end, cue_fmt))
                if (
                    q.mention_start is not None
                    and q.mention_end is not None
                    and q.mention_end > q.mention_start
                ):
                    marks.append((q.mention_start, q.mention_end, self._mention_format(q.speaker_id)))
            for start, end, fmt in marks:  # over the quote backgrounds
                paint(start, end, fmt)
        finally:
            cur.endEditBlock()
        self._formatted = bool(self._quotes) or region is not None

    def update_quotes(self, changed: Iterable[Quote], removed: Iterable[int] = ()) -> None:
        """Re-highlight a few changed, new or removed quotes, not the whole text."""
        changed = list(changed)
        gone = set(removed) | {q.id for q in changed}
        old = [q for q in self._quotes if q.id in gone]
        touched = old + changed
        if not touched:
            return
        spans = [(q.start, q.end) for q in touched]
        spans += [
            (q.cue_start, q.cue_end) for q in touched if q.cue_start is not None and q.cue_end is not None
        ]
        spans += [
            (q.mention_start, q.mention_end)
            for q in touched
            if q.mention_start is not None and q.mention_end is not None
        ]
        self._quotes = sorted(
            [q for q in self._quotes if q.id not in gone] + changed, key=lambda q: (q.start, q.end, q.id)
        )
        self._starts = [q.start for q in self._quotes]
        if self._update_colours():  # other speakers' colours moved: all of the text again
            self._highlight()
        else:
            self._highlight((min(a for a, _ in spans), max(b for _, b in spans)))
        if self._selected is not None:
            self.select_quote(self._selected, scroll=False)

    # --- selection -------------------------------------------------------------------------

    def quote_at(self, offset: int) -> Quote | None:
        """The innermost quote containing a stored offset (the one starting last)."""
        i = bisect_right(self._starts, offset)
        for q in reversed(self._quotes[:i]):
            if q.start <= offset < q.end:
                return q
            if offset - q.start > 200_000:  # quotes are never this long; stop scanning
                break
        return None

    def select_quote(self, quote_id: int | None, *, scroll: bool = True) -> None:
        """Mark a quote as the selected one (``None``: none) and scroll to it.

        The quote is shown in its speaker's full colour with an underline, as an extra
        selection; the text itself is not selected, so the selection colour never hides the
        speaker's colour, and Q cannot copy the quote by accident.
        """
        self._selected = quote_id
        q = next((x for x in self._quotes if x.id == quote_id), None) if quote_id is not None else None
        if q is None:
            self.setExtraSelections([])
            return
        start, end = self._map.span_to_qt(q.start, q.end)
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(self.document())
        cur.setPosition(start)
        cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur
        colour = self._colours.colour(q.speaker_id)
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        fmt.setForeground(QColor(QUOTE_INK))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(ink(colour))
        sel.format = fmt
        self.setExtraSelections([sel])
        if scroll:
            with QSignalBlocker(self):
                view_cursor = QTextCursor(self.document())
                view_cursor.setPosition(start)
                self.setTextCursor(view_cursor)
            self.centerCursor()

    def selected_quote(self) -> int | None:
        """The quote marked as selected, if any."""
        return self._selected

    def selected_span(self) -> tuple[int, int] | None:
        """The selected text as a stored ``(start, end)`` (``None`` if nothing is selected).

        Outer white space is left out, so a sloppy drag still gives a clean quote.
        """
        cur = self.textCursor()
        if not cur.hasSelection():
            return None
        start, end = self._map.span_to_text(cur.selectionStart(), cur.selectionEnd())
        while start < end and self._text[start].isspace():
            start += 1
        while end > start and self._text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def select_span(self, start: int, end: int) -> None:
        """Select a stored span (as the researcher would with the mouse)."""
        qs, qe = self._map.span_to_qt(start, end)
        cur = QTextCursor(self.document())
        cur.setPosition(qs)
        cur.setPosition(qe, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Override QWidget.mouseReleaseEvent: a click (not a drag) in a quote selects it."""
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        pos = self.cursorForPosition(event.position().toPoint()).position()
        q = self.quote_at(self._map.to_text(pos))
        if q is not None:
            self.quote_clicked.emit(q.id)


class LegendLabel(QLabel):
    """The colours of the speakers in the shown document, in at most two lines.

    Speakers are listed in order of first quote; those that do not fit in two lines are
    counted ("+12 more") and all are named in the tooltip, with how statuses look.
    """

    #: How many lines of speakers the legend may take.
    MAX_LINES = 2
    KEY = (
        "accepted: full colour · suggested: pale, dashed underline · "
        "rejected: <s>struck out</s> · <b>cue</b> · <u>speaker mention</u>"
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._speakers: list[tuple[int | None, str]] = []
        self.hidden_count = 0
        self.colours = ColourMap()

    def set_quotes(self, quotes: Iterable[Quote], colours: ColourMap | None = None) -> None:
        """List each speaker of these quotes once, in order of first quote, in these colours
        (the article view's map; by default, the one these quotes make)."""
        quotes = list(quotes)
        self.colours = ColourMap.for_quotes(quotes) if colours is None else colours
        seen: dict[int | None, str] = {}
        for q in sorted(quotes, key=lambda q: q.start):
            if q.speaker_id not in seen:
                seen[q.speaker_id] = q.speaker_name or "no speaker"
        self._speakers = list(seen.items())
        self._render()

    def _chip(self, speaker_id: int | None, name: str) -> str:
        return (
            f'<span style="background-color:{self.colours.colour(speaker_id).name()}; color:#000;">'
            f"&nbsp;{html.escape(name)}&nbsp;</span>"
        )

    def _render(self) -> None:
        """Fit as many chips as two lines of the legend's width hold; count the rest."""
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        width = max(200, self.width() - margins.left() - margins.right() - 16)
        space = metrics.horizontalAdvance("\u00a0" * 3)
        more = metrics.horizontalAdvance(f"+{len(self._speakers)} more") + space
        lines, used, shown = 1, 0, 0
        for i, (_, name) in enumerate(self._speakers):
            chip = metrics.horizontalAdvance(f"\u00a0{name}\u00a0") + space
            last_line = lines == self.MAX_LINES
            room = width - (more if last_line and i < len(self._speakers) - 1 else 0)
            if used + chip > room:
                if last_line:
                    break
                lines, used = lines + 1, 0
            used += chip
            shown += 1
        self.hidden_count = len(self._speakers) - shown
        chips = [self._chip(sid, name) for sid, name in self._speakers[:shown]]
        if self.hidden_count:
            chips.append(f"<i>+{self.hidden_count} more</i>")
        self.setText("&nbsp; ".join(chips) if chips else f"<span>{self.KEY}</span>")
        names = ", ".join(html.escape(name) for _, name in self._speakers)
        self.setToolTip((f"Speakers: {names}<br>" if names else "") + self.KEY)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Override QWidget.resizeEvent: fit the chips to the new width."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._render()


class ArticlePane(QWidget):
    """The legend above the article view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.legend = LegendLabel(self)
        self.view = ArticleView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.legend)
        layout.addWidget(self.view, 1)

    def set_legend_visible(self, visible: bool) -> None:
        """Show or hide the legend (View > Legend)."""
        self.legend.setVisible(visible)

    def set_document(self, text: str, quotes: Sequence[Quote]) -> None:
        """Show a document and its quotes, with their legend."""
        self.view.set_document(text, quotes)
        self.legend.set_quotes(quotes, self.view.colour_map())

    def set_quotes(self, quotes: Sequence[Quote]) -> None:
        """Highlight these quotes and list their speakers in the legend."""
        self.view.set_quotes(quotes)
        self.legend.set_quotes(quotes, self.view.colour_map())

    def update_quotes(self, changed: Sequence[Quote], removed: Iterable[int] = ()) -> None:
        """Re-highlight a few changed quotes and refresh the legend."""
        self.view.update_quotes(changed, removed)
        self.legend.set_quotes(self.view.quotes(), self.view.colour_map())
