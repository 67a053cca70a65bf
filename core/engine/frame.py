"""The document the rules read: its quote runs, fast look-ups between tokens and runs, and
the records the rules produce (an attribution, a candidate quote).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..model import Kind
from .lexicons import load_lexicon, word_set
from .marks import MARKUP_TAG, QuoteRun, quote_runs

#: Sentence-ending punctuation, as a token's text.
SENTENCE_END = frozenset({".", "!", "?"})
#: Dependency labels of a subject.
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """A cue and its speaker mention, with the id of the rule that linked them.

    Attributes:
        cue: the reporting word(s), if any.
        mention: the words of the text that name the speaker, if any.
        rule: the rule id (a key of the registry in :mod:`core.engine.rules`).
    """

    cue: Span | None
    mention: Span | None
    rule: str


@dataclass(slots=True)
class Candidate:
    """A quote before its speaker is resolved.

    Attributes:
        start: character offset of the content.
        end: character offset just after the content.
        kind: direct, indirect or mixed.
        attribution: its cue, mention and rule, or ``None`` for an unattributed quote.
        confidence: the rule's confidence, before the speaker is weighed.
        notes: remarks for the evidence.
        continues: index of the direct quote whose speaker this one continues.
    """

    start: int
    end: int
    kind: Kind
    attribution: Attribution | None
    confidence: float
    notes: tuple[str, ...] = ()
    continues: int | None = None


class Frame:
    """The document with its quote runs, and fast look-ups between tokens and runs.

    Args:
        doc: a parsed document.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = text = doc.text  # Doc.text joins every token: read it once
        self.runs = [r for r in quote_runs(text) if has_words(text, r)]
        self._run_starts = [r.start for r in self.runs]
        self._token_starts = [t.idx for t in doc]
        self._markup = [(m.start(), m.end()) for m in MARKUP_TAG.finditer(text)] if "<" in text else []
        self.speech = word_set("speech_verbs")
        self.particle_cues: dict[str, str] = load_lexicon()["particle_cues"]
        self.thought = word_set("thought_verbs")
        self.directive = word_set("directive_verbs")
        self.clause_only = word_set("clause_only_verbs")
        self.report_nouns = word_set("report_nouns")
        self.non_speakers = word_set("non_speakers")
        self.cue_lemmas = (
            self.speech
            | self.thought
            | word_set("topic_verbs")
            | word_set("object_verbs")
            | word_set("to_clause_verbs")
        )

    def run_at(self, offset: int) -> QuoteRun | None:
        """The run that covers a character offset, if any."""
        i = bisect.bisect_right(self._run_starts, offset) - 1
        if i >= 0 and self.runs[i].start <= offset < self.runs[i].end:
            return self.runs[i]
        return None

    def inside_quote(self, token: Token) -> bool:
        """Whether a token stands inside a quote run."""
        return self.run_at(token.idx) is not None

    def in_markup(self, token: Token) -> bool:
        """Whether a token starts inside a markup tag left in the text (``<a href="…">``)."""
        i = bisect.bisect_right(self._markup, (token.idx, len(self.text))) - 1
        return i >= 0 and self._markup[i][0] <= token.idx < self._markup[i][1]

    def token_at(self, offset: int) -> int:
        """Index of the token that covers (or follows) a character offset."""
        return min(bisect.bisect_right(self._token_starts, offset) - 1, len(self.doc) - 1)

    def tokens_between(self, start: int, end: int) -> Span:
        """Tokens that start in ``[start, end)``."""
        i = bisect.bisect_left(self._token_starts, start)
        j = bisect.bisect_left(self._token_starts, end)
        return self.doc[i:j]

    def is_cue(self, token: Token) -> bool:
        """Whether a token is a speech verb (a reporting cue)."""
        lemma = token.lemma_.lower()
        if lemma not in self.speech or token.pos_ not in ("VERB", "AUX"):
            return False
        # "pointed out that …" reports; "pointed to a case" does not
        particle = self.particle_cues.get(lemma)
        return particle is None or any(c.dep_ == "prt" and c.lower_ == particle for c in token.children)

    def kind_of(self, start: int, end: int) -> Kind:
        """Mixed when reported content holds quoted words, else indirect."""
        has_marks = any(self.run_at(t.idx) for t in self.tokens_between(start, end))
        return Kind.MIXED if has_marks else Kind.INDIRECT


def has_words(text: str, run: QuoteRun) -> bool:
    """Whether a run holds a letter or digit between its marks."""
    start, end = run.inner(text)
    return any(ch.isalnum() for ch in text[start:end])
