"""What a run of quoted text looks like: a title or name, a sentence, at a clause's edge.

Pure text, no parse: these decide whether a quote run can be speech at all, and whether it
stands where an attribution can frame it.
"""

from __future__ import annotations

from .lexicons import word_set
from .marks import CLOSING_MARKS, QuoteRun


def run_body(text: str, run: QuoteRun) -> str:
    """A run without its closing marks, nested ones included (``…Clinton,' "`` → ``…Clinton,``)."""
    return text[run.start : run.end].rstrip(CLOSING_MARKS + " \t\u00a0")


def word_count(text: str, run: QuoteRun) -> int:
    """How many words a run holds between its marks."""
    start, end = run.inner(text)
    return len(text[start:end].split())


def names_something(text: str, run: QuoteRun, words: int) -> bool:
    """A quoted title or name: Title Case words, or a short run after ``on``/``titled``/``the``."""
    if words > 12:
        return False
    start, end = run.inner(text)
    inner = text[start:end].rstrip(",;:")
    tokens = [w.strip(".,!?;:") for w in inner.split()]
    tokens = [w for w in tokens if w]
    small_words = word_set("title_small_words")
    title_case = len(tokens) >= 2 and all(
        w[:1].isupper() or w.lower() in small_words or not w[:1].isalpha() for w in tokens
    )
    # a Title Case run is a title, unless it ends like an exclamation, a question or a long sentence
    if title_case and not inner.endswith(("!", "?")) and (words <= 7 or not inner.endswith(".")):
        return True
    if words > 7:
        return False
    para_start = text.rfind("\n", 0, run.start) + 1
    before = text[max(para_start, run.start - 30) : run.start].split()
    return bool(before) and before[-1].lower() in word_set("naming_words") and words <= 5


def sentence_like(text: str, run: QuoteRun, words: int) -> bool:
    """A run that reads as a sentence (or more), not as a name or a phrase."""
    start, end = run.inner(text)
    inner = text[start:end]
    if words >= 8 or run.paragraphs > 1:
        return True
    ends_sentence = run_body(text, run)[-1:] in ".!?,"
    return words >= 3 and ends_sentence and inner[:1].isupper()


def stands_alone(text: str, run: QuoteRun) -> bool:
    """Whether a run is a paragraph of its own that ends like a sentence (``"Where?"``).

    A line holding nothing but quotation is speech however short it is: dialogue, or a
    quoted reply. A title or name on a line of its own does not end in ``.``, ``!`` or ``?``.
    """
    line_start = max(text.rfind("\n", 0, run.start), text.rfind("\u2029", 0, run.start)) + 1
    if text[line_start : run.start].strip():
        return False
    line_end = len(text)
    for brk in ("\n", "\u2029"):
        at = text.find(brk, run.end)
        if at != -1:
            line_end = min(line_end, at)
    if text[run.end : line_end].strip(" \t\u00a0.,"):
        return False
    return run.closed and run_body(text, run)[-1:] in (".", "!", "?", "…")


def starts_clause(text: str, run: QuoteRun, prev: QuoteRun | None) -> bool:
    """Whether the run opens a sentence, or follows a colon, comma or a cue's object."""
    i = run.start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    if i < 0 or text[i] in "\n\u2029:,—–-(":
        return True
    if prev is not None and i < prev.end:
        return True
    if text[i] in ".!?":
        return True
    # `He said "We will win."`: a capitalised quote after a word
    inner_start, _ = run.inner(text)
    return text[inner_start : inner_start + 1].isupper()


def ends_clause(text: str, run: QuoteRun) -> bool:
    """Whether the run closes a clause: ends a sentence or is followed by a comma or cue."""
    body = run_body(text, run)
    if body[-1:] in ".!?,;:—-…":
        return True
    after = text[run.end : run.end + 3].lstrip(" \u00a0")
    return not after or after[0] in ".,;:!?\n—–-"


def ends_with_comma_or_cry(text: str, run: QuoteRun) -> bool:
    """Whether a quote ends in a comma, ``!`` or ``?`` (``"Go back," Ann barked``)."""
    body = run_body(text, run)
    return body[-1:] in (",", "!", "?")


def sentence_ends_in(text: str, start: int, end: int) -> bool:
    """Whether a sentence ends between two offsets."""
    gap = text[start:end].rstrip()
    return any(ch in ".!?" for ch in gap[:-1]) or gap[-1:] in (".", "!", "?")
