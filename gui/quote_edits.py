"""The researcher's edits of quotes, each made as one undoable command through the session.

The edits act on the window's selection (the selected table rows, the words selected in the
article) and say in the window why nothing happened when the selection does not fit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMessageBox

from ..core.model import Kind, Status
from .commands import (
    AddQuoteCommand,
    DeleteQuotesCommand,
    EditQuotesCommand,
    SetSpeakerCommand,
    SetStatusCommand,
    StoreCommand,
)
from .widgets.dialogs import SpeakerDialog, alias_owners

if TYPE_CHECKING:
    from .widgets.main_window import MainWindow

#: Marks a quote opens with; a new quote starting with one is direct, else indirect.
OPENING_MARKS = "\"'“‘«‹„‚「『"


class QuoteEdits:
    """Accept, reject, mark, attribute, annotate and delete quotes (the Edit and Review menus).

    Methods that take ``quote_ids`` act on the selected quotes when it is ``None``.

    Args:
        window: the window whose selection the edits act on and whose project they change.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def _push(self, command: StoreCommand) -> bool:
        session = self._window.session
        return bool(session and session.push(command))

    def _ids(self, quote_ids: Iterable[int] | None) -> list[int]:
        """``quote_ids``, or the selected quotes' ids if it is ``None``."""
        if quote_ids is not None:
            return list(quote_ids)
        return [q.id for q in self._window.selected_quotes()]

    # --- review ----------------------------------------------------------------------------

    def set_status(self, status: Status, quote_ids: Iterable[int] | None = None) -> bool:
        """Accept, reject or reopen the selected quotes (or ``quote_ids``)."""
        session = self._window.session
        if session is None:
            return False
        ids = self._ids(quote_ids)
        if not ids:
            return False
        command = SetStatusCommand(session, ids, status)
        if not (command.count > 0 and self._push(command)):
            return False
        self._window.review.after_status(status, ids)
        return True

    def accept_above(self, threshold: float) -> int:
        """Accept every suggestion of this document with confidence at least ``threshold``."""
        ids = [
            q.id
            for q in self._window.quotes_model.quotes()
            if q.status is Status.SUGGESTED and q.confidence is not None and q.confidence >= threshold
        ]
        session = self._window.session
        if ids and session is not None:
            self._push(SetStatusCommand(session, ids, Status.ACCEPTED))
        self._window.statusBar().showMessage(f"{len(ids)} suggestion(s) accepted", 4000)
        return len(ids)

    def accept_above_dialog(self) -> None:
        """Ask for a confidence and accept this document's suggestions at or above it."""
        settings = self._window.settings
        value, ok = QInputDialog.getDouble(
            self._window,
            "Accept suggestions",
            "Accept every suggestion with confidence at least:",
            settings.accept_threshold(),
            0.0,
            1.0,
            2,
        )
        if ok:
            settings.set_accept_threshold(value)
            self.accept_above(value)

    # --- boundaries and kind ---------------------------------------------------------------

    def new_quote(self, start: int, end: int, kind: Kind | None = None) -> int | None:
        """Mark ``text[start:end]`` as a quote (accepted) and select it.

        Args:
            start: where it starts, in code points into the shown document's text.
            end: where it ends.
            kind: its kind; by default direct if it opens with a quotation mark, else indirect.

        Returns:
            The new quote's id, or ``None`` if it could not be made.
        """
        w = self._window
        if w.session is None or w.doc_id is None:
            return None
        if kind is None:
            kind = Kind.DIRECT if w.article.view.text()[start:end][:1] in OPENING_MARKS else Kind.INDIRECT
        command = AddQuoteCommand(w.session, w.doc_id, start, end, kind)
        if not self._push(command):
            return None
        assert command.quote_id is not None
        w.select_quote(command.quote_id)
        return command.quote_id

    def new_quote_from_selection(self) -> int | None:
        """Make the selected words a quote (key Q).

        The same words as a quote already there make nothing (selecting a row selects its
        words, so Q would copy it): the window says so and selects that quote. Words inside
        or across another quote make a nested or overlapping quote only if the researcher
        says yes.

        Returns:
            The new quote's id, or ``None`` if none was made.
        """
        w = self._window
        span = w.article.view.selected_span()
        if span is None:
            w.show_error("Select the quote's words in the article first, then press Q.")
            return None
        start, end = span
        quotes = w.article.view.quotes()
        same = next((q for q in quotes if (q.start, q.end) == span), None)
        if same is not None:
            w.show_notice(f"These words are already a quote ({same.status.value}); nothing was added.")
            w.select_quote(same.id)
            return None
        around = next((q for q in quotes if q.start < end and start < q.end), None)
        if around is not None:
            inside = around.start <= start and end <= around.end
            where = "inside" if inside else "overlapping"
            question = f"The selected words are {where} another quote. Mark them as a quote of their own?"
            if not self.confirm("New quote", question):
                return None
        return self.new_quote(start, end)

    def confirm(self, title: str, question: str) -> bool:
        """Ask a yes/no question (No is the default)."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(self._window, title, question, buttons, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def set_boundaries(self, quote_id: int, start: int, end: int) -> bool:
        """Move a quote's boundaries; its speaker, cue and mention stay."""
        session = self._window.session
        if session is None:
            return False
        return self._push(
            EditQuotesCommand(session, "Change quote boundaries", [quote_id], start=start, end=end)
        )

    def set_boundaries_from_selection(self) -> None:
        """Move the current quote to the selected words (key B)."""
        w = self._window
        span, q = w.article.view.selected_span(), w.current_quote()
        if span is None or q is None:
            w.show_error("Select a quote in the table, then the new words in the article, then press B.")
            return
        if self.set_boundaries(q.id, *span):
            w.select_quote(q.id)

    def set_kind(self, kind: Kind) -> bool:
        """Set the kind of the selected quotes (keys 1, 2, 3)."""
        session = self._window.session
        ids = [q.id for q in self._window.selected_quotes() if q.kind is not kind]
        if not ids or session is None:
            return False
        return self._push(EditQuotesCommand(session, f"Set kind to {kind.value}", ids, kind=kind))

    # --- speakers --------------------------------------------------------------------------

    def set_speaker(
        self, name: str, quote_ids: Iterable[int] | None = None, *, mention: tuple[int, int] | None = None
    ) -> bool:
        """Attribute the selected quotes to a speaker (known, or new if no one has that name).

        Args:
            name: the speaker's name or one of their aliases.
            quote_ids: the quotes (``None``: the selected ones).
            mention: also make these ``(start, end)`` words the quotes' speaker mention.
        """
        session = self._window.session
        ids = self._ids(quote_ids)
        if session is None or not ids or not name.strip():
            return False
        return self._push(SetSpeakerCommand(session, ids, name, mention=mention))

    def speaker_names(self) -> list[str]:
        """Every name and alias of the speakers with quotes, for completion."""
        session = self._window.session
        if session is None:
            return []
        names: list[str] = []
        for s in session.store.speakers():
            if s.n_quotes == 0:
                continue  # left over after a merge or an edit: not offered
            names.append(s.name)
            names.extend(a for a in s.aliases if a != s.name)
        return sorted(dict.fromkeys(names), key=str.casefold)

    def set_speaker_dialog(self) -> None:
        """Ask for the selected quotes' speaker, with completion on known names (key S)."""
        quotes = self._window.selected_quotes()
        if not quotes:
            self._window.show_error("Select a quote first (click it in the text or the table).")
            return
        owners = alias_owners(self._window.session.store.speakers()) if self._window.session else {}
        dialog = SpeakerDialog(
            self.speaker_names(),
            quotes[0].speaker_name or "",
            self._window,
            owners=owners,
            quotes=[q.text for q in quotes],
        )
        if dialog.exec() and dialog.name():
            self.set_speaker(dialog.name(), [q.id for q in quotes])

    def set_speaker_from_mention(self) -> None:
        """Make the selected words the selected quotes' speaker mention and speaker (key M)."""
        w = self._window
        span, quotes = w.article.view.selected_span(), w.selected_quotes()
        if span is None or not quotes:
            w.show_error("Select a quote, then select the speaker's name in the article, then press M.")
            return
        name = " ".join(w.article.view.text()[span[0] : span[1]].split())
        self.set_speaker(name, [q.id for q in quotes], mention=span)

    # --- notes and deleting ----------------------------------------------------------------

    def set_note(self, note: str, quote_ids: Iterable[int] | None = None) -> bool:
        """Set the note of the selected quotes (or ``quote_ids``)."""
        session = self._window.session
        ids = self._ids(quote_ids)
        if session is None or not ids:
            return False
        return self._push(EditQuotesCommand(session, "Edit note", ids, note=note))

    def edit_note_dialog(self) -> None:
        """Ask for the current quote's note (key E)."""
        q = self._window.current_quote()
        if q is None:
            return
        note, ok = QInputDialog.getMultiLineText(self._window, "Note", "Note on this quote:", q.note)
        if ok and note != q.note:
            self.set_note(note)

    def delete_selected(self) -> bool:
        """Delete the selected quotes (Delete) and select the next row."""
        w = self._window
        quotes = w.selected_quotes()
        if not quotes or w.session is None:
            return False
        row = w.table.currentIndex().row()
        ok = self._push(DeleteQuotesCommand(w.session, [q.id for q in quotes]))
        if ok:  # Delete and Backspace are easy to hit: say what went, and how to get it back
            what = f"“{quotes[0].text[:40]}…”" if len(quotes) == 1 else f"{len(quotes)} quotes"
            w.show_notice(f"Deleted {what} (Ctrl+Z brings it back)")
        rows = w.quotes_model.rowCount()
        if ok and rows:
            w.select_quote(w.quotes_model.quote_at(min(max(row, 0), rows - 1)).id)
        return ok
