"""Pairing quotation marks, character by character and paragraph by paragraph.

Real news text is messy: straight and curly marks are mixed, closing marks go missing, a quote
runs over several paragraphs (each opens with a mark, only the last closes), apostrophes look
like closing single quotes (``voters’``, ``‘08``) and some papers write two apostrophes for a
double mark. Instead of giving up on an odd count of marks, this module pairs what it can,
closes an unclosed quote at the end of its paragraph, and records how each run was closed.
Nothing here needs spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from .lexicons import load_lexicon, word_set

Role = Literal["open", "close", "either"]

# The quotation marks, defined once (the lexicon's ``quote_marks``) and read everywhere.
_MARKS = load_lexicon()["quote_marks"]
#: Every quotation mark, double or single, straight or curly.
ALL_MARKS: str = "".join(_MARKS["all"])
#: The marks a quote may end with, stripped before its last punctuation is read.
CLOSING_MARKS: str = "".join(_MARKS["closing"])
#: The marks a clause may end with: kept when trailing punctuation is trimmed off content.
CLAUSE_END_MARKS: str = "".join(_MARKS["kept_at_clause_end"])
#: The marks that may stand between an alias cue and the alias (``nicknamed "X"``).
ALIAS_MARKS: str = "".join(_MARKS["before_alias"])
_STRAIGHT = frozenset(_MARKS["straight"])
#: The straight marks (``"`` and ``'``), which open and close alike.
STRAIGHT_MARKS: str = "".join(_MARKS["straight"])
_SINGLE_OPEN = frozenset(_MARKS["single_open"])
_SINGLE_CLOSE = frozenset(_MARKS["single_close"])
_SINGLE_EITHER = frozenset(_MARKS["single_either"])
# opening and closing marks that pair only with each other (German style: „ … “)
_PAIRS_ONLY = frozenset((pair[0], pair[1]) for pair in _MARKS["pairs_only"])


@dataclass(frozen=True, slots=True)
class QuoteRun:
    """A stretch of text between quotation marks.

    Attributes:
        start: offset of the opening mark.
        end: offset just after the closing mark (or the end of the paragraph when unclosed).
        closed: whether a closing mark was found.
        paragraphs: how many paragraphs the run spans (more than one for a continued quote).
        single: whether the marks are single quotation marks.
    """

    start: int
    end: int
    closed: bool
    paragraphs: int = 1
    single: bool = False

    def inner(self, text: str) -> tuple[int, int]:
        """Offsets of the content without its marks and surrounding white space."""
        start, end = self.start, self.end
        while start < end and (text[start] in ALL_MARKS or text[start].isspace()):
            start += 1
        while end > start and (text[end - 1] in ALL_MARKS or text[end - 1].isspace()):
            end -= 1
        return start, end


@dataclass(frozen=True, slots=True)
class _Mark:
    pos: int
    length: int
    role: Role


@cache
def _mark_tables() -> tuple[frozenset[str], frozenset[str], frozenset[str], tuple[str, ...]]:
    return (
        frozenset(_MARKS["double_open"]),
        frozenset(_MARKS["double_close"]),
        frozenset(_MARKS["double_either"]),
        tuple(_MARKS["double_digraphs"]),
    )


_OPENERS_BEFORE = set(" \t\n\r\u00a0([{—–-/")  # a straight mark after these opens a quote
#: how far (in characters) into an open quote a quote may open inside it
_MAX_NESTED_REACH = 250
#: how many lines of hard-wrapped text an open quote may run over before one closes it
_MAX_WRAPPED_LINES = 12
_BACKTICK = "`"
_PARAGRAPH = re.compile(r"[^\n\u2029]+")
#: A markup tag left in text copied from a web page (``<blockquote class="tweet">``): a name,
#: then attributes each with a value; its marks quote nothing.
_ATTRIBUTE = r"""\s+[\w:-]+\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>]+)"""
MARKUP_TAG = re.compile(rf"</?[A-Za-z][\w:-]*(?:{_ATTRIBUTE})*\s*/?>")


def _without_markup(text: str) -> str:
    """The text with the quotation marks inside markup tags blanked out (offsets unchanged)."""
    if "<" not in text:
        return text
    return MARKUP_TAG.sub(lambda m: re.sub(f"[{re.escape(ALL_MARKS)}]", "_", m.group()), text)


def _classify(text: str, pos: int, length: int) -> Role:
    """Decide whether an ambiguous (straight) mark opens or closes, from its neighbours."""
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + length] if pos + length < len(text) else " "
    if before in _OPENERS_BEFORE and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-"):
        return "close"
    return "either"


@cache
def _mark_pattern() -> re.Pattern[str]:
    openers, closers, either, digraphs = _mark_tables()
    alternatives = [re.escape(d) for d in digraphs] + [
        re.escape(c) for c in sorted(openers | closers | either)
    ]
    return re.compile("|".join(alternatives))


def _double_marks(text: str, start: int, end: int) -> list[_Mark]:
    """The double quotation marks of one paragraph, in order, with their roles."""
    openers, closers, _, _ = _mark_tables()
    out: list[_Mark] = []
    for match in _mark_pattern().finditer(text, start, end):
        mark = match.group()
        if mark in openers:
            # and close with the opening mark (here,“ said): judge by neighbours
            role: Role = "close" if _classify(text, match.start(), len(mark)) == "close" else "open"
        elif mark in closers:
            # some texts open with the closing mark too (”Yes,” she said): judge by neighbours
            role = "open" if _classify(text, match.start(), len(mark)) == "open" else "close"
        elif _floating(text, match.start(), len(mark)):
            role = "close"  # `'Well done,' " said Ruiz`: a mark set apart by spaces closes
        else:
            role = _classify(text, match.start(), len(mark))
        out.append(_Mark(match.start(), len(mark), role))
    return out


def _floating(text: str, pos: int, length: int) -> bool:
    """Whether a mark stands between spaces (within its line): it may close a quote, never open one."""
    return text[pos - 1 : pos] in (" ", "\t") and text[pos + length : pos + length + 1] in (" ", "\t")


def _single_marks(text: str, start: int, end: int) -> list[_Mark]:
    """Single marks used as primary quotation marks (British style), curly or straight.

    An opening mark must start a word; a closing one must end one and not be followed by a
    letter, so that apostrophes (``it’s``, ``don't``) never pair. Elided forms (``‘08``,
    ``'90s``, ``rock 'n' roll``) and plural possessives (``the Joneses' house``) are
    apostrophes too.
    """
    out: list[_Mark] = []
    for i in range(start, end):
        ch = text[i]
        if ch not in _SINGLE_OPEN and ch not in _SINGLE_CLOSE and ch not in _SINGLE_EITHER:
            continue
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        opens = (before.isspace() or before in "([—–-") and not after.isspace()
        closes = not before.isspace() and not after.isalnum()
        if ch in _SINGLE_OPEN or ch in _SINGLE_EITHER and opens:
            if _elision(text, i + 1, end):
                continue  # ‘08, ‘em, 'til: an apostrophe written as an opening mark
            if opens:
                out.append(_Mark(i, 1, "open"))
        elif ch in _SINGLE_CLOSE and closes:
            out.append(_Mark(i, 1, "close"))
        elif ch in _SINGLE_EITHER and closes and not _plural_possessive(text, i, end):
            out.append(_Mark(i, 1, "close"))
    return out


def _plural_possessive(text: str, i: int, end: int) -> bool:
    """``the Joneses' house``: a straight mark after an ``s`` and before another word."""
    after = text[i + 1 : min(end, i + 3)]
    return text[i - 1 : i] == "s" and after[:1] == " " and after[1:2].isalnum()


def _elision(text: str, i: int, end: int) -> bool:
    """Whether the word after a left single mark is an elided form: digits or ``em``, ``til`` …"""
    j = i
    while j < end and text[j].isalnum():
        j += 1
    word = text[i:j].lower()
    decade = word[:-1].isdigit() and word.endswith("s")  # '90s
    return bool(word) and (word.isdigit() or decade or word in word_set("elisions"))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def quote_runs(text: str) -> list[QuoteRun]:
    """Pair the quotation marks of a text into runs, in text order.

    Steps:
      1. Split the text into paragraphs (lines with text).
      2. In each paragraph, pair double marks with a small state machine: a straight mark's
         role comes from its neighbours, and an ambiguous one toggles the state; an opening
         mark inside an open quote opens a quote within it when enough marks follow to close
         both (``"what "fair" means here"``).
      3. A run still open at its paragraph's end continues into the next paragraph when that
         one opens with a mark, or over a single line break when the next line closes it
         (hard-wrapped text); otherwise it ends with its paragraph (closing mark missing).
      4. A paragraph without double marks, or whose double marks pair into no quote (a stray
         mark), may use single marks as quotation marks.

    Marks inside markup tags left in the text (``<a href="…">``) are no quotation marks.
    """
    text = _without_markup(text)
    runs: list[QuoteRun] = []
    paragraphs = _paragraphs(text)
    state = _Open(None, 0)
    wrapped = False  # the open run continues over a line break, not into a new paragraph
    for index, (p_start, p_end) in enumerate(paragraphs):
        marks = _double_marks(text, p_start, p_end)
        if state.at is not None and not wrapped:
            # a continued quote: this paragraph opened with a mark (checked below), consume it
            marks = marks[1:]
            state = _Open(state.at, state.spanned + 1)
        elif state.at is None and not marks:
            runs.extend(_single_runs(text, p_start, p_end))
            continue
        was_open = state.at is not None
        before = len(runs)
        state = _pair(text, marks, state, runs)
        if not was_open and state.at is None and len(runs) == before:
            runs.extend(_single_runs(text, p_start, p_end))  # stray double marks that pair with nothing
        elif not was_open and state.at is None and _BACKTICK in text[p_start:p_end]:
            runs[before:] = _with_ascii_singles(text, p_start, p_end, runs[before:])
        wrapped = False
        if state.at is not None:
            nxt = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if _hard_wrapped(text, paragraphs, index):
                wrapped = True
                continue
            if nxt is not None and _opens_with_mark(text, *nxt):
                continue
            runs.append(QuoteRun(state.at, _rstrip(text, state.at, p_end), False, state.spanned))
            state = _Open(None, 0)
    return runs


@dataclass(frozen=True, slots=True)
class _Open:
    """The run being read: where it opened (``None``: none is open) and the paragraphs it spans."""

    at: int | None
    spanned: int


def _pair(text: str, marks: list[_Mark], state: _Open, runs: list[QuoteRun]) -> _Open:
    """Pair one paragraph's double marks, appending the closed runs; the run left open, if any."""
    open_at, spanned = state.at, state.spanned
    depth = 0  # quotes inside the open quote: "what "fair" means here"
    closers = [0] * (len(marks) + 1)  # marks after each one that may close a quote
    for n in range(len(marks) - 1, -1, -1):
        closers[n] = closers[n + 1] + (marks[n].role != "open")
    for n, mark in enumerate(marks):
        if open_at is None:
            if mark.role in ("open", "either"):
                open_at, spanned = mark.pos, 1
            # a stray closing mark with nothing open is ignored
        elif mark.role == "open" and closers[n + 1] >= depth + 2 and _may_nest(open_at, mark.pos):
            depth += 1  # enough marks follow to close this one and every quote it stands in
        elif depth and mark.role != "open":
            depth -= 1
        elif (text[open_at], text[mark.pos]) in _PAIRS_ONLY:
            # German and Central European style: „ … “
            runs.append(QuoteRun(open_at, mark.pos + mark.length, True, spanned))
            open_at = None
        elif mark.role == "open" and (text[mark.pos] not in _STRAIGHT or _opens_sentence(text, mark.pos)):
            # an opening mark while open (curly, or straight after a finished sentence:
            # `"A.  "B," he said`): the previous closing mark is missing
            runs.append(QuoteRun(open_at, _rstrip(text, open_at, mark.pos), False, spanned))
            open_at, spanned = mark.pos, 1
        else:
            runs.append(QuoteRun(open_at, mark.pos + mark.length, True, spanned))
            open_at = None
    return _Open(open_at, spanned)


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether a mark stands after a finished sentence and white space, before a capital."""
    before = text[max(0, pos - 3) : pos]
    return (
        before[-1:].isspace()
        and before.rstrip()[-1:] in (".", "!", "?")
        and text[pos + 1 : pos + 2].isupper()
    )


def _may_nest(open_at: int, pos: int) -> bool:
    """Whether a mark this far into an open quote may open a quote inside it.

    A mark right after the opening one doubles it (``"“``); far into a long quotation (a block
    quote of another text) it more often opens a quotation of its own, with its own speaker.
    """
    return 1 < pos - open_at <= _MAX_NESTED_REACH


def _hard_wrapped(text: str, paragraphs: list[tuple[int, int]], index: int) -> bool:
    """A single line break inside an open quote that a later line of the paragraph closes.

    Hard-wrapped text breaks lines anywhere; a new paragraph is a blank line, or a line that
    opens with a mark (a quote continued over paragraphs). The lines between may hold no mark;
    the first line with a mark must close the quote with it, at most
    :data:`_MAX_WRAPPED_LINES` lines on.
    """
    end = paragraphs[index][1]
    for next_start, next_end in paragraphs[index + 1 : index + 1 + _MAX_WRAPPED_LINES]:
        if text.count("\n", end, next_start) != 1 or "\u2029" in text[end:next_start]:
            return False
        marks = _double_marks(text, next_start, next_end)
        if marks:
            return marks[0].role == "close" and marks[0].pos > _first_visible(text, next_start, next_end)
        end = next_end
    return False


def _first_visible(text: str, start: int, end: int) -> int:
    """The offset of a line's first character that is not white space (``end`` if none)."""
    while start < end and text[start].isspace():
        start += 1
    return start


def _opens_with_mark(text: str, start: int, end: int) -> bool:
    """Whether a line opens with a quotation mark, after any indentation."""
    start = _first_visible(text, start, end)
    marks = _double_marks(text, start, min(end, start + 3))
    return bool(marks) and marks[0].pos == start and marks[0].role != "close"


def _with_ascii_singles(text: str, start: int, end: int, doubles: list[QuoteRun]) -> list[QuoteRun]:
    """A paragraph's double runs, with the single runs opened by a backtick outside them.

    Text typed in the ASCII convention quotes with two backticks and two apostrophes, and
    with one of each inside or beside: ```Yes,' she said, ``no.''``. Other single marks
    beside double ones are apostrophes or scare quotes (``and ‘they waited’ for hours``).
    """
    singles = [
        run
        for run in _single_runs(text, start, end)
        if text[run.start] == _BACKTICK and not any(run.start < d.end and d.start < run.end for d in doubles)
    ]
    return sorted([*doubles, *singles], key=lambda run: run.start) if singles else doubles


def _single_runs(text: str, start: int, end: int) -> Iterator[QuoteRun]:
    open_at: int | None = None
    for mark in _single_marks(text, start, end):
        if mark.role == "open":
            open_at = mark.pos if open_at is None else open_at
        elif open_at is not None:
            yield QuoteRun(open_at, mark.pos + 1, True, 1, single=True)
            open_at = None
