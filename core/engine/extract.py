"""Quotation extraction: pure functions over a parsed spaCy ``Doc``.

The algorithm, in the order :func:`extract_quotes` runs it:

1. Pair the quotation marks of the text into runs (:mod:`core.marks`).
2. Direct quotes: a run whose frame attributes it, with a reporting cue right before it
   (``X said: "…"``), right after it (``"…," X said`` / ``"…," said X`` / ``"…" he added``) or
   through ``according to X``; the second half of a quote split by its attribution takes the
   first half's cue. A paragraph of pure quotation right after an attributed one continues
   the same speaker when nothing else intervenes.
3. Reported speech: a reporting verb from the lexicon whose complement clause is the content
   (``X said that …``), an object-control verb (``urged them to …``) or ``according to X``.
   Content that holds quoted words is *mixed*; quoted names and scare quotes on their own are
   never speech.
4. Speakers: the cue's subject is the mention; :mod:`core.speakers` resolves it to a person
   or body (pronouns, aliases, appositions, role nouns, surnames).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..model import DEFAULT_MIN_CONFIDENCE, Evidence, Kind, SpeakerType, Suggestion
from ..model import Span as CharSpan
from .lexicons import load_lexicon, word_set
from .marks import QuoteRun, quote_runs
from .speakers import Resolution, SpeakerResolver

# How far (in tokens) a cue may stand from the quote it attributes.
_MAX_TAIL_GAP = 12
_MAX_HEAD_GAP = 10
_SENTENCE_END = {".", "!", "?"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_CLAUSE_LINKS = {"conj", "advcl", "xcomp", "ccomp", "relcl", "acl", "pcomp"}


@dataclass(frozen=True, slots=True)
class _Attribution:
    """A cue and its speaker mention, with the rule that linked them."""

    cue: Span | None
    mention: Span | None
    rule: str


@dataclass(slots=True)
class _Candidate:
    """A quote before its speaker is resolved."""

    start: int
    end: int
    kind: Kind
    attribution: _Attribution | None
    confidence: float
    notes: tuple[str, ...] = ()
    continues: int | None = None  # index of the direct quote whose speaker this one continues


def extract_quotes(doc: Doc, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> list[Suggestion]:
    """All quotations of a parsed document, in text order.

    Args:
        doc: a document parsed by a pipeline with a dependency parser (and ideally NER).
        min_confidence: leave out suggestions less sure than this (0 keeps everything).

    Returns:
        The quotes, each with its kind, cue, speaker mention, resolved speaker, confidence
        and the evidence for it.
    """
    frame = _Frame(doc)
    if not frame.text.strip():
        return []
    direct = _direct_quotes(frame)
    taken = [(c.start, c.end) for c in direct]
    reported = _outermost([c for c in _reported_speech(frame) if not _overlaps_any(c, taken)])
    covered = taken + [(c.start, c.end) for c in reported]
    reported += list(_quoted_words(frame, covered))
    candidates = sorted(direct + reported, key=lambda c: (c.start, c.end))
    resolver = SpeakerResolver(doc, frame.runs, frame.text)
    return [q for q in _finish(doc, candidates, resolver) if q.confidence >= min_confidence]


# --- the frame: quotes, paragraphs and tokens ------------------------------------------------


class _Frame:
    """The document with its quote runs, and fast look-ups between tokens and runs."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = text = doc.text  # Doc.text joins every token: read it once
        self.runs = [r for r in quote_runs(text) if _has_words(text, r)]
        self._run_starts = [r.start for r in self.runs]
        self._token_starts = [t.idx for t in doc]
        self.lex = load_lexicon()
        self.speech = word_set("speech_verbs")
        self.thought = word_set("thought_verbs")
        self.directive = word_set("directive_verbs")
        self.clause_only = word_set("clause_only_verbs")
        self.report_nouns = word_set("report_nouns")
        self.non_speakers = word_set("non_speakers")
        self.cue_lemmas = self.speech | self.thought | word_set("topic_verbs") | word_set("object_verbs")

    def run_at(self, offset: int) -> QuoteRun | None:
        """The run that covers a character offset, if any."""
        i = bisect.bisect_right(self._run_starts, offset) - 1
        if i >= 0 and self.runs[i].start <= offset < self.runs[i].end:
            return self.runs[i]
        return None

    def inside_quote(self, token: Token) -> bool:
        return self.run_at(token.idx) is not None

    def token_at(self, offset: int) -> int:
        """Index of the token that covers (or follows) a character offset."""
        return min(bisect.bisect_right(self._token_starts, offset) - 1, len(self.doc) - 1)

    def tokens_between(self, start: int, end: int) -> Span:
        """Tokens that start in ``[start, end)``."""
        i = bisect.bisect_left(self._token_starts, start)
        j = bisect.bisect_left(self._token_starts, end)
        return self.doc[i:j]

    def is_cue(self, token: Token) -> bool:
        return token.lemma_.lower() in self.speech and token.pos_ in ("VERB", "AUX")


def _outermost(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drop a report whose cue stands inside another report's content.

    In ``X said he believes Y`` the quote is X's, and its content holds Y; ``he believes Y`` is
    part of what X said, not a second quote.
    """
    spans = [(c.start, c.end) for c in candidates]
    out = []
    for cand in candidates:
        att = cand.attribution
        cue = att.cue.start_char if att is not None and att.cue is not None else -1
        if not any(s <= cue < e and (s, e) != (cand.start, cand.end) for s, e in spans):
            out.append(cand)
    return out


def _has_words(text: str, run: QuoteRun) -> bool:
    start, end = run.inner(text)
    return any(ch.isalnum() for ch in text[start:end])


def _overlaps_any(cand: _Candidate, spans: Iterable[tuple[int, int]]) -> bool:
    for start, end in spans:
        inter = min(end, cand.end) - max(start, cand.start)
        if inter > 0 and inter >= 0.5 * min(end - start, cand.end - cand.start):
            return True
    return False


# --- direct quotes ---------------------------------------------------------------------------


def _direct_quotes(frame: _Frame) -> list[_Candidate]:
    """Step 2: attributed runs, split quotes and continued paragraphs."""
    out: list[_Candidate] = []
    text = frame.text
    for index, run in enumerate(frame.runs):
        prev = frame.runs[index - 1] if index else None
        nxt = frame.runs[index + 1] if index + 1 < len(frame.runs) else None
        words = _word_count(text, run)
        if _names_something(text, run, words):
            continue  # "Meet the Press", on "Face the Nation": a title or name, not speech
        sentence_like = _sentence_like(text, run, words)
        at_edge_before = _starts_clause(text, run, prev)
        split = _split_attribution(frame, run, out[-1] if out else None)
        attribution = (
            split if split is not None and not _sentence_ends_in(text, out[-1].end, run.start) else None
        )
        if attribution is None and _ends_clause(text, run):
            attribution = _tail_attribution(frame, run, nxt)
        if attribution is None:
            # `"A," he said. "B."`: the next sentence's quote is still his when nothing else is
            attribution = split
        if attribution is None and at_edge_before:
            attribution = _head_attribution(frame, run, prev)
        notes: list[str] = []
        if not run.closed:
            notes.append("closing mark missing: the quote ends with its paragraph")
        if run.paragraphs > 1:
            notes.append(f"continues over {run.paragraphs} paragraphs")
        if attribution is not None and (sentence_like or at_edge_before and _ends_clause(text, run)):
            conf = 0.95 if run.closed else 0.8
            out.append(_Candidate(run.start, run.end, Kind.DIRECT, attribution, conf, tuple(notes)))
            continue
        if not (sentence_like and at_edge_before):
            continue  # a quoted name, title or scare quote: not speech on its own
        # an unattributed run of quotation: continue the speaker of the quote just before it
        before = out[-1] if out and _continues(frame, out[-1], run) else None
        if before is not None:
            notes.append("continues the speaker of the quote before it")
            out.append(
                _Candidate(
                    run.start,
                    run.end,
                    Kind.DIRECT,
                    before.attribution,
                    0.8,
                    tuple(notes),
                    continues=len(out) - 1,
                )
            )
        elif words >= 6:
            subject = _last_subject_before(frame, run.start)
            if subject is not None:
                notes.append("no cue: the subject of the sentence before is taken as the speaker")
                att = _Attribution(None, subject, "direct.previous_subject")
                out.append(_Candidate(run.start, run.end, Kind.DIRECT, att, 0.7, tuple(notes)))
            else:
                notes.append("no attribution found")
                out.append(_Candidate(run.start, run.end, Kind.DIRECT, None, 0.55, tuple(notes)))
    return out


def _last_subject_before(frame: _Frame, offset: int) -> Span | None:
    """The subject of the sentence just before ``offset``, when it names a person."""
    doc = frame.doc
    i = frame.token_at(offset) - 1
    seen_sentences = 0
    while i >= 0 and seen_sentences < 2:
        tok = doc[i]
        if tok.is_sent_start:
            seen_sentences += 1
        if (
            tok.dep_ == "nsubj"
            and not frame.inside_quote(tok)
            and (tok.ent_type_ == "PERSON" or tok.lower_ in ("he", "she"))
        ):
            return _noun_phrase(tok)
        i -= 1
    return None


_SMALL_WORDS = {"the", "of", "a", "an", "and", "in", "on", "to", "for", "at", "by", "with", "or", "is", "as"}
_NAMING_WORDS = {
    "on",
    "in",
    "of",
    "from",
    "titled",
    "entitled",
    "called",
    "named",
    "dubbed",
    "the",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "a",
    "an",
    "book",
    "show",
    "film",
    "song",
    "program",
    "programme",
    "album",
    "headline",
    "slogan",
    "hashtag",
    "nickname",
}


def _names_something(text: str, run: QuoteRun, words: int) -> bool:
    """A quoted title or name: Title Case words, or a short run after ``on``/``titled``/``the``."""
    if words > 12:
        return False
    start, end = run.inner(text)
    inner = text[start:end].rstrip(",;:")
    tokens = [w.strip(".,!?;:") for w in inner.split()]
    tokens = [w for w in tokens if w]
    title_case = len(tokens) >= 2 and all(
        w[:1].isupper() or w.lower() in _SMALL_WORDS or not w[:1].isalpha() for w in tokens
    )
    # a Title Case run is a title, unless it ends like an exclamation, a question or a long sentence
    if title_case and not inner.endswith(("!", "?")) and (words <= 7 or not inner.endswith(".")):
        return True
    if words > 7:
        return False
    para_start = text.rfind("\n", 0, run.start) + 1
    before = text[max(para_start, run.start - 30) : run.start].split()
    return bool(before) and before[-1].lower() in _NAMING_WORDS and words <= 5


def _word_count(text: str, run: QuoteRun) -> int:
    start, end = run.inner(text)
    return len(text[start:end].split())


def _sentence_like(text: str, run: QuoteRun, words: int) -> bool:
    """A run that reads as a sentence (or more), not as a name or a phrase."""
    start, end = run.inner(text)
    inner = text[start:end]
    if words >= 8 or run.paragraphs > 1:
        return True
    ends_sentence = text[run.start : run.end].rstrip("\"'“”’»`").rstrip()[-1:] in ".!?,"
    return words >= 3 and ends_sentence and inner[:1].isupper()


def _starts_clause(text: str, run: QuoteRun, prev: QuoteRun | None) -> bool:
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


def _ends_clause(text: str, run: QuoteRun) -> bool:
    """Whether the run closes a clause: ends a sentence or is followed by a comma or cue."""
    body = text[run.start : run.end].rstrip("\"'“”’»`").rstrip()
    if body[-1:] in ".!?,;:—-…":
        return True
    after = text[run.end : run.end + 3].lstrip(" \u00a0")
    return not after or after[0] in ".,;:!?\n—–-"


def _sentence_ends_in(text: str, start: int, end: int) -> bool:
    gap = text[start:end].rstrip()
    return any(ch in ".!?" for ch in gap[:-1]) or gap[-1:] in (".", "!", "?")


def _continues(frame: _Frame, before: _Candidate, run: QuoteRun) -> bool:
    """A paragraph of pure quotation right after the paragraph of an attributed quote.

    Nothing may stand between the two quotes but the first one's own attribution.
    """
    text = frame.text
    if _only_quotes_between(frame, before.end, run.start):
        return True
    para_start = text.rfind("\n", 0, run.start) + 1
    att = before.attribution
    if att is None or text[para_start : run.start].strip():
        return False  # nothing to continue, or the run does not open its paragraph
    spans = [s for s in (att.cue, att.mention) if s is not None]
    if not spans:
        return False
    low, high = min(s.start_char for s in spans), max(s.end_char for s in spans)
    rest = text[before.end : low] + text[high:para_start]
    return low >= before.end and not any(ch.isalnum() for ch in rest) and rest.count("\n") <= 2


def _only_quotes_between(frame: _Frame, start: int, end: int) -> bool:
    """Nothing but white space, marks and at most a cue-less gap between two runs."""
    gap = frame.text[start:end]
    return not any(ch.isalnum() for ch in gap) and gap.count("\n") <= 3


def _tail_attribution(frame: _Frame, run: QuoteRun, nxt: QuoteRun | None) -> _Attribution | None:
    """``"…," X said`` / ``"…," said X`` / ``"…" he added`` / ``"…," according to X``."""
    end = nxt.start if nxt is not None else len(frame.text)
    para_end = frame.text.find("\n", run.end)
    if para_end != -1:
        end = min(end, para_end)
    tail = frame.tokens_between(run.end, end)
    for n, token in enumerate(tail):
        if n > _MAX_TAIL_GAP or token.text in _SENTENCE_END:
            break
        if _according_to_at(token):
            mention = _pobj_span(token.nbor(1))
            cue = frame.doc[token.i : token.i + 2]
            return _Attribution(cue, mention, "direct.according_to")
        if frame.is_cue(token) or _manner_cue(frame, run, token, tail):
            mention = _subject_of(frame, token, window=(run.end, end))
            if mention is None:
                continue
            rule = "direct.said_after" if mention.start > token.i else "direct.x_said_after"
            return _Attribution(_cue_span(token), mention, rule)
        if (
            token.pos_ == "VERB"
            and token.dep_ not in ("ccomp", "parataxis")
            and n > 0
            and not _in_subject(token)
        ):
            break  # another clause starts: the cue, if any, is not this quote's
    return None


def _manner_cue(frame: _Frame, run: QuoteRun, verb: Token, tail: Span) -> bool:
    """``"Go back," Ann barked.`` / ``"Great!" beamed Ann.``: any verb framing a quote this way.

    Writers vary the reporting verb (barked, beamed, snapped); a verb with no object of its
    own, standing right after a quote that ends in a comma, ``!`` or ``?``, is one of them.
    """
    if verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    body = frame.text[run.start : run.end].rstrip("\"'“”’»`").rstrip()
    if body[-1:] not in (",", "!", "?"):
        return False
    if any(
        c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp", "oprd") and not frame.inside_quote(c)
        for c in verb.children
    ):
        return False  # an object of its own (the quote itself may hang on the verb)
    # only the subject (and adverbs) may stand between the quote and the verb
    before = [t for t in tail if t.i < verb.i]
    return all(_in_subject(t) or t.is_punct or t.pos_ == "ADV" for t in before)


def _according_to_at(token: Token) -> bool:
    """Whether ``token`` starts the two words ``according to``."""
    return (
        token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to"
    )


def _in_subject(token: Token) -> bool:
    return any(a.dep_ in _SUBJECTS for a in [token, *token.ancestors][:3])


def _head_attribution(frame: _Frame, run: QuoteRun, prev: QuoteRun | None) -> _Attribution | None:
    """``X said: "…"`` / ``X told Y, "…"`` / ``According to X, "…"`` / ``X said:¶"…"``."""
    text = frame.text
    para_start = text.rfind("\n", 0, run.start) + 1
    start = max(prev.end if prev is not None else 0, para_start)
    rule = "direct.x_said_before"
    if not text[start : run.start].strip() and para_start > 0:
        # the quote opens its paragraph: a previous paragraph ending with a colon introduces it
        prev_end = len(text[:para_start].rstrip())
        if text[prev_end - 1 : prev_end] != ":" or text[prev_end - 1 : prev_end] == "":
            return None
        start = max(prev.end if prev is not None else 0, text.rfind("\n", 0, prev_end) + 1)
        end = prev_end
        rule = "direct.colon_intro"
    else:
        end = run.start
    head = list(frame.tokens_between(start, end))
    label = _colon_label(frame, head)
    if label is not None:
        return _Attribution(None, label, "direct.colon_label")
    for n, token in enumerate(reversed(head)):
        if n > _MAX_HEAD_GAP or token.text in _SENTENCE_END:
            break
        if token.lower_ == "to" and token.i > 0 and token.nbor(-1).lower_ == "according":
            return _Attribution(
                frame.doc[token.i - 1 : token.i + 1], _pobj_span(token), "direct.according_to"
            )
        if frame.is_cue(token):
            if any(t.dep_ == "mark" and t.lower_ in ("that", "whether", "if") for t in head[len(head) - n :]):
                return None  # "said that in her state, "…"": quoted words inside reported speech
            mention = _subject_of(frame, token, window=(start, end))
            if mention is None and prev is not None:
                continue
            return _Attribution(_cue_span(token), mention, rule)
        if token.pos_ == "VERB" and n > 0 and not _in_subject(token) and token.dep_ not in ("relcl", "acl"):
            if rule == "direct.colon_intro" and token.dep_ == "ROOT":
                # "He then listed the qualities:" introduces what follows as his words
                mention = _subject_of(frame, token, window=(start, end))
                if mention is not None:
                    return _Attribution(_cue_span(token), mention, "direct.colon_intro_verb")
            break
    return None


def _colon_label(frame: _Frame, head: list[Token]) -> Span | None:
    """``Kathleen Parker, The Washington Post: "…"``: a name and nothing else before a colon."""
    if len(head) < 2 or head[-1].text != ":" or len(head) > 12:
        return None
    words = head[:-1]
    for k in range(len(words) - 1, -1, -1):
        if words[k].text in _SENTENCE_END or words[k].text == "\n":
            words = words[k + 1 :]
            break
    if not words or any(t.pos_ in ("VERB", "AUX") for t in words) or not words[0].text[:1].isupper():
        return None
    if not any(t.ent_type_ in ("PERSON", "ORG") or t.pos_ == "PROPN" for t in words):
        return None
    return frame.doc[words[0].i : words[-1].i + 1]


def _split_attribution(frame: _Frame, run: QuoteRun, before: _Candidate | None) -> _Attribution | None:
    """``"A," he said, "B."``: the second half takes the attribution standing between them."""
    if before is None or before.attribution is None or before.end > run.start:
        return None
    cue = before.attribution.cue
    if cue is None or not (before.end <= cue.start_char < run.start):
        return None
    gap = frame.text[before.end : run.start]
    if "\n" in gap:
        return None
    # between the halves stands the attribution and little else: no clause of its own
    att = before.attribution
    spans = [s for s in (att.cue, att.mention) if s is not None]
    low, high = min(s.start for s in spans), max(s.end for s in spans)
    rest = [t for t in frame.tokens_between(before.end, run.start) if not low <= t.i < high]
    if any(t.dep_ == "mark" for t in rest):
        return None  # ", adding that …": a report of its own, not the rest of the quote
    return before.attribution


# --- reported speech -------------------------------------------------------------------------


def _reported_speech(frame: _Frame) -> Iterator[_Candidate]:
    """Step 3: complement clauses of reporting verbs, object control, ``according to``."""
    doc = frame.doc
    for token in doc:
        if frame.inside_quote(token):
            continue
        lemma = token.lemma_.lower()
        if _according_to_at(token):
            cand = _according_to(frame, token)
            if cand is not None:
                yield cand
            continue
        if token.pos_ not in ("VERB", "AUX") or lemma not in frame.cue_lemmas:
            continue
        content = _complement(frame, token)
        if content is None:
            if lemma in frame.speech:
                yield from _parenthetical(frame, token)
            continue
        start, end, rule = content
        start, end = _whole_runs(frame, *_within_paragraph(frame.text, token.idx, start, end))
        clause = rule not in ("reported.topic", "reported.object")
        if end - start < 3 or clause and not _has_verb(frame, start, end):
            continue  # "said Richard Roe, president of …": a name, not what was said
        mention = _subject_of(frame, token)
        if mention is not None and mention.root.lemma_.lower() in frame.non_speakers:
            continue  # "All this is to say that …", "the challenge is to acknowledge that …"
        if mention is None and (lemma in frame.thought or rule == "reported.clause_then_cue"):
            continue  # "it seems that …" has no source worth a suggestion
        has_marks = any(frame.run_at(t.idx) for t in frame.tokens_between(start, end))
        kind = Kind.MIXED if has_marks else Kind.INDIRECT
        conf = (0.8 if lemma in frame.speech else 0.65) if clause else 0.45
        attribution = _Attribution(_cue_span(token), mention, rule)
        yield _Candidate(start, end, kind, attribution, conf)


def _has_verb(frame: _Frame, start: int, end: int) -> bool:
    return any(t.pos_ in ("VERB", "AUX") or frame.run_at(t.idx) for t in frame.tokens_between(start, end))


def _parenthetical(frame: _Frame, verb: Token) -> Iterator[_Candidate]:
    """``A, X said, B.`` / ``A, X said.``: the attribution set off by commas inside its content.

    The content is the sentence around the attribution; it is given as two quotes (before and
    after the attribution) when both sides have words, as annotators record it.
    """
    text = frame.text
    if verb.lemma_.lower() in frame.clause_only or verb.dep_ in ("xcomp", "relcl", "acl", "pcomp", "conj"):
        return  # "they attacked the ship, killing …", "who declined to comment, was …"
    mention = _subject_of(frame, verb)
    if mention is None or mention.start > verb.i:
        return
    left = mention.start_char
    before = text[:left].rstrip()
    if not before.endswith((",", "—", "–")):
        return
    # the attribution ends at the next comma or sentence end, with no other verb in between
    sent = verb.sent
    right = None
    for tok in frame.doc[verb.i + 1 : sent.end]:
        if tok.text in (",", "—", "–") or tok.text in _SENTENCE_END:
            right = tok
            break
        if tok.pos_ in ("VERB", "AUX") or frame.inside_quote(tok) or tok.i - verb.i > 6:
            return
        if (
            tok.dep_ == "dobj"
            and tok.head.i == verb.i
            and verb.lemma_.lower() not in ("tell", "ask", "inform")
        ):
            return  # the verb has an object of its own: it reports nothing around it
    if right is None:
        return
    head_part = _strip_edges(text, *_within_paragraph(text, verb.idx, sent.start_char, left))
    tail_part = (0, 0)
    if right.text not in _SENTENCE_END:
        tail_part = _strip_edges(text, *_within_paragraph(text, verb.idx, right.idx + 1, sent.end_char))
    if tail_part == (0, 0):
        return  # "A, X said." is left to the clause-then-cue rule, which reads the parse
    cue = _cue_span(verb)
    for start, end in (head_part, tail_part):
        # a side without a verb is an adverbial ("Earlier this week, X said, …"), not content
        if end - start < 3 or not any(t.pos_ in ("VERB", "AUX") for t in frame.tokens_between(start, end)):
            continue
        start, end = _whole_runs(frame, start, end)
        has_marks = any(frame.run_at(t.idx) for t in frame.tokens_between(start, end))
        kind = Kind.MIXED if has_marks else Kind.INDIRECT
        yield _Candidate(start, end, kind, _Attribution(cue, mention, "reported.parenthetical"), 0.7)


def _within_paragraph(text: str, anchor: int, start: int, end: int) -> tuple[int, int]:
    """Clip reported content to the paragraph of its cue: the parser's sentences may run on."""
    para_start = text.rfind("\n", 0, anchor) + 1
    para_end = text.find("\n", anchor)
    para_end = len(text) if para_end == -1 else para_end
    start, end = max(start, para_start), min(end, para_end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _whole_runs(frame: _Frame, start: int, end: int) -> tuple[int, int]:
    """Widen content that cuts through quoted words so it holds them whole (mixed quotes)."""
    if end > start:
        first, last = frame.run_at(start), frame.run_at(end - 1)
        if first is not None and first.start < start:
            start = first.start
        if last is not None and last.end > end and last.paragraphs == 1:
            end = last.end
    return start, end


def _complement(frame: _Frame, verb: Token) -> tuple[int, int, str] | None:
    """The content a reporting verb governs, as character offsets, and the rule used."""
    lemma = verb.lemma_.lower()
    children = list(verb.children)
    ccomp = [c for c in children if c.dep_ == "ccomp" and c.i > verb.i]
    if ccomp:
        return _clause_offsets(frame, ccomp[0], verb) + ("reported.complement",)
    for prep in (c for c in children if c.dep_ == "prep" and c.i > verb.i):
        # "said in a statement that …": the parser hangs the clause on the report noun
        for noun in (c for c in prep.children if c.dep_ == "pobj" and c.lemma_.lower() in frame.report_nouns):
            clauses = [
                c
                for c in noun.children
                if c.dep_ in ("acl", "ccomp", "relcl")
                and c.i > noun.i
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            ]
            if clauses:
                return _clause_offsets(frame, clauses[0], verb) + ("reported.complement",)
    before = [c for c in children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i]
    if before and lemma in frame.speech and verb.tag_ != "VBG" and _subject_follows_clause(verb, before[-1]):
        # "CLAUSE, one official said." / "CLAUSE, said X."
        return _clause_offsets(frame, before[-1], verb) + ("reported.clause_then_cue",)
    if lemma in frame.directive:
        obj = [c for c in children if c.dep_ in ("dobj", "dative") and c.i > verb.i]
        xcomp = [c for c in children if c.dep_ == "xcomp" and c.i > verb.i]
        if obj and xcomp:
            start = obj[0].left_edge.idx
            last = _trim_right(list(xcomp[0].subtree))
            if last is None:
                return None
            end = last.idx + len(last.text)
            needs_quote = lemma in word_set("directive_needs_quote")
            if needs_quote and not any(frame.run_at(t.idx) for t in frame.tokens_between(start, end)):
                return None
            return start, end, "reported.object_control"
    if lemma in word_set("topic_verbs"):
        # "talked about the deal", "called for a ban": what was said, as a noun phrase
        preps = [
            c for c in children if c.dep_ == "prep" and c.i > verb.i and c.lower_ in word_set("topic_preps")
        ]
        if lemma == "call" or lemma in frame.speech:
            preps = [p for p in preps if p.lower_ != "to"]
        for prep in preps[:1]:
            objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
            if objs and prep.i == verb.i + 1 or objs and verb.nbor(1).dep_ == "prt":
                return _phrase_offsets(objs[0]) + ("reported.topic",)
    if lemma in word_set("object_verbs"):
        # "criticized the plan as reckless", "endorsed Smith": the object is what was said
        objs = [c for c in children if c.dep_ == "dobj" and c.i > verb.i]
        if objs:
            last = objs[0]
            for c in children:
                if (
                    c.i > last.right_edge.i
                    and c.dep_ in ("prep", "oprd", "xcomp", "advcl")
                    and c.lower_ in ("for", "as", "of", "over", "to")
                ):
                    last = c
                    break
            start = objs[0].left_edge.idx
            end_tok = _trim_right(
                [t for t in verb.subtree if objs[0].left_edge.i <= t.i <= last.right_edge.i]
            )
            if end_tok is not None:
                return start, end_tok.idx + len(end_tok.text), "reported.object"
    if lemma == "tell":
        # the parser sometimes reads "told lawmakers Ukraine risks …" as one long object
        obj = [c for c in children if c.dep_ == "dobj" and c.i > verb.i]
        if obj and any(t.pos_ == "VERB" for t in obj[0].subtree):
            tokens = list(obj[0].subtree)
            first = _skip_recipient(tokens)
            last = _trim_right(tokens)
            if first is not None and last is not None and first.i <= last.i:
                return first.idx, last.idx + len(last.text), "reported.tell_object"
    return None


def _subject_follows_clause(verb: Token, clause: Token) -> bool:
    """The clause comes first and ends with a comma before its attribution."""
    last = clause.right_edge
    doc = verb.doc
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    if not subjects or not all(last.i < c.i for c in subjects):
        return False  # "A weighed in, telling B": the subject is inside the clause, not after it
    if last.i + 1 < len(doc) and doc[last.i + 1].text in (",", "—", "–"):
        return True
    return last.text in (",", "—", "–")


def _phrase_offsets(head: Token) -> tuple[int, int]:
    cut = _trailing_modifiers(head)
    tokens = [t for t in head.subtree if t.i not in cut]
    last = _trim_right(tokens) or head
    return tokens[0].idx, last.idx + len(last.text)


def _skip_recipient(tokens: list[Token]) -> Token | None:
    """In ``lawmakers Ukraine risks …`` drop the recipient noun phrase before the clause."""
    for i, tok in enumerate(tokens[:-1]):
        if tok.pos_ in ("NOUN", "PRON") and tokens[i + 1].pos_ == "PROPN" and i + 1 < len(tokens):
            return tokens[i + 1]
    return tokens[0] if tokens else None


def _clause_offsets(frame: _Frame, head: Token, verb: Token) -> tuple[int, int]:
    # "fear that A and warn that B": a coordinated reporting verb starts a report of its own
    cut: set[int] = set()
    for t in head.subtree:
        if t.dep_ == "conj" and t.i != head.i and frame.is_cue(t):
            cut.update(s.i for s in t.subtree)
    cut |= _trailing_modifiers(head)
    tokens = [t for t in head.subtree if t.i not in cut]
    # drop the complementiser "that" and leading punctuation
    while tokens and (tokens[0].dep_ == "mark" and tokens[0].lower_ == "that" or tokens[0].is_punct):
        tokens = tokens[1:]
    last = _trim_right(tokens)
    if not tokens or last is None:
        return head.idx, head.idx + len(head.text)
    return tokens[0].idx, last.idx + len(last.text)


_TRAILING_DEPS = {"advcl", "acl", "npadvmod", "appos", "parataxis", "prep", "dep"}
_TRAILING_PREPS = {"despite", "although", "though", "while", "whereas", "after", "before", "amid"}


def _trailing_modifiers(head: Token) -> set[int]:
    """Tokens of trailing modifiers set off by a comma or dash: ``…, cementing its lead``.

    Annotators end reported content before such asides (participial clauses, ``despite …``,
    ``— a high sum``), which comment on the report rather than belong to it.
    """
    doc = head.doc
    for child in head.rights:
        if child.dep_ not in _TRAILING_DEPS:
            continue
        if child.dep_ == "prep" and child.lower_ not in _TRAILING_PREPS:
            continue
        first = child.left_edge
        if first.i - 1 <= head.i:
            continue
        mark = doc[first.i - 1] if not first.is_punct else first
        if mark.text in (",", "—", "–", "-", ";") and child.right_edge.i - first.i >= 2:
            return set(range(mark.i, head.right_edge.i + 1))
    return set()


def _trim_right(tokens: list[Token]) -> Token | None:
    """The last token of a clause, without trailing punctuation and dangling conjunctions."""
    while tokens and (tokens[-1].is_punct and tokens[-1].text not in "\"”’'»" or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens[-1] if tokens else None


def _according_to(frame: _Frame, token: Token) -> _Candidate | None:
    """``According to X, CLAUSE`` / ``CLAUSE, according to X`` / ``CLAUSE, according to X, and …``.

    The content is the side of the sentence that ``according to X`` is attached to: the
    longer of the text before it and the text after it, within the sentence and paragraph.
    """
    to = token.nbor(1)
    mention = _pobj_span(to)
    if mention is None:
        return None
    text = frame.text
    sent = token.sent
    before = _within_paragraph(text, token.idx, sent.start_char, token.idx)
    after_start = mention.end_char
    after = _within_paragraph(text, token.idx, after_start, sent.end_char)
    before = _strip_edges(text, *_last_clause(frame, *before))
    after = _strip_edges(text, *after)
    # "CLAUSE, according to X[, which …]" reads back; "According to X, CLAUSE" reads on
    start, end = before if len(text[before[0] : before[1]].split()) >= 3 else after
    if len(text[start:end].split()) < 3:
        return None
    has_marks = any(frame.run_at(t.idx) for t in frame.tokens_between(start, end))
    kind = Kind.MIXED if has_marks else Kind.INDIRECT
    cue = frame.doc[token.i : to.i + 1]
    return _Candidate(start, end, kind, _Attribution(cue, mention, "reported.according_to"), 0.75)


def _last_clause(frame: _Frame, start: int, end: int) -> tuple[int, int]:
    """The last clause of a stretch: after a colon or semicolon, and after an opening adverbial.

    ``Despite the views of A, B has done C`` → ``B has done C``: a comma-ended opening without a
    verb of its own frames the content rather than belongs to it.
    """
    text = frame.text
    cut = max(text.rfind(":", start, end), text.rfind(";", start, end))
    if cut != -1:
        start = cut + 1
    comma = text.find(",", start, end)
    if (
        comma != -1
        and not any(t.pos_ in ("VERB", "AUX") for t in frame.tokens_between(start, comma))
        and len(text[comma:end].split()) >= 4
    ):
        start = comma + 1
    return start, end


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim white space and clause punctuation (not quotation marks) from both ends."""
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-."):
        end -= 1
    return start, end


def _quoted_words(frame: _Frame, covered: list[tuple[int, int]]) -> Iterator[_Candidate]:
    """Mixed quotes carried by their marks: ``X called the plan "a disaster"``.

    A run of quoted words that no other rule took, inside the object of a verb whose
    subject is a mention, makes that verb's complement a mixed quote of the subject's.
    Quoted titles and names were set aside before (:func:`_names_something`).
    """
    text = frame.text
    for run in frame.runs:
        if any(s <= run.start < e for s, e in covered):
            continue
        if _names_something(text, run, _word_count(text, run)):
            continue
        inside = [t for t in frame.tokens_between(run.start, run.end)]
        roots = [t for t in inside if not (run.start <= t.head.idx < run.end)]
        if not roots:
            continue
        verb = roots[0].head
        for _ in range(3):
            if verb.pos_ == "VERB" or verb.head.i == verb.i:
                break
            verb = verb.head
        if verb.pos_ != "VERB" or frame.inside_quote(verb) or verb.i > inside[0].i:
            continue
        mention = _subject_of(frame, verb)
        if mention is None:
            continue
        rights = [c for c in verb.rights if c.dep_ not in ("punct", "cc", "conj")]
        if not rights:
            continue
        start = rights[0].left_edge.idx
        cut = _trailing_modifiers(verb)
        tokens = [t for t in verb.subtree if t.idx >= start and t.i not in cut]
        last = _trim_right(tokens)
        end = max(run.end, last.idx + len(last.text)) if last is not None else run.end
        start, end = _whole_runs(frame, *_within_paragraph(text, verb.idx, min(start, run.start), end))
        if end - start < 3 or any(s < end and start < e for s, e in covered):
            continue
        covered.append((start, end))
        yield _Candidate(
            start, end, Kind.MIXED, _Attribution(_cue_span(verb), mention, "mixed.quoted_words"), 0.6
        )


# --- mentions --------------------------------------------------------------------------------


def _cue_span(verb: Token) -> Span:
    """The cue with its auxiliaries: ``have said``, ``had told``."""
    doc = verb.doc
    start = verb.i
    while start > 0 and doc[start - 1].dep_ in ("aux", "auxpass", "neg") and doc[start - 1].head.i == verb.i:
        start -= 1
    return doc[start : verb.i + 1]


def _subject_of(frame: _Frame, verb: Token, window: tuple[int, int] | None = None) -> Span | None:
    """The mention of the speaker of a cue: its subject, inherited through clause links."""
    node: Token | None = verb
    for _ in range(4):
        if node is None:
            break
        subjects = [c for c in node.children if c.dep_ in ("nsubj",) and not frame.inside_quote(c)]
        if subjects:
            # "The group's head, A B said": of two subjects, the one next to the cue
            before = [c for c in subjects if c.i < node.i]
            subject = before[-1] if before else subjects[0]
            if subject.lower_ in ("who", "that", "which") and node.dep_ == "relcl":
                return frame.doc[subject.i : subject.i + 1]  # as written; resolved to its antecedent
            span = _noun_phrase(subject)
            if window is not None and not (window[0] <= span.start_char < window[1]):
                # the parser put a word of the quote (or elsewhere) in subject position
                return _nearest_name(frame, verb, window)
            return span
        if node.dep_ in ("conj", "advcl", "xcomp", "relcl") and node.head.i != node.i:
            if node.dep_ == "relcl":
                return _noun_phrase(node.head)
            node = node.head
            continue
        break
    if window is not None:
        return _nearest_name(frame, verb, window)
    return None


def _nearest_name(frame: _Frame, verb: Token, window: tuple[int, int]) -> Span | None:
    """A proper noun or pronoun next to the cue: ``"…," said Smith`` parsed without a subject."""
    doc = frame.doc
    for i in (verb.i + 1, verb.i - 1):
        if 0 <= i < len(doc) and window[0] <= doc[i].idx < window[1]:
            tok = doc[i]
            if tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in ("PERSON", "ORG", "NORP"):
                head = tok
                while (
                    head.head.i != head.i
                    and head.dep_ in ("compound", "flat")
                    and window[0] <= head.head.idx < window[1]
                ):
                    head = head.head
                return _noun_phrase(head)
    return None


def _noun_phrase(token: Token) -> Span:
    """A mention as written: the subject's phrase without relative clauses, plus titles."""
    doc = token.doc
    cut = {"relcl", "acl", "advcl", "punct", "cc", "conj", "prep"}
    left, right = token.i, token.i
    for child in token.children:
        if child.i < token.i and child.dep_ not in ("punct", "cc", "advmod", "relcl", "acl"):
            left = min(left, child.left_edge.i)
        elif (
            child.i > token.i
            and child.dep_ not in cut
            or child.i > token.i
            and child.dep_ == "prep"
            and child.lower_ in ("of", "for", "at", "from", "with")
        ):
            right = max(right, child.right_edge.i)
    # titles the parser hangs elsewhere: "PM Ana Ruiz"
    titles = load_lexicon()["titles"]
    while left > 0 and doc[left - 1].lower_ in titles and doc[left - 1].dep_ not in ("ROOT",):
        left -= 1
    while right > left and (doc[right].is_punct or doc[right].dep_ == "cc") and doc[right].text not in ")":
        right -= 1
    return doc[left : right + 1]


def _pobj_span(prep: Token) -> Span | None:
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    if not objs:
        return None
    return _noun_phrase(objs[0])


# --- finishing ---------------------------------------------------------------------------------


def _finish(doc: Doc, candidates: list[_Candidate], resolver: SpeakerResolver) -> Iterator[Suggestion]:
    text = resolver.text
    resolved: dict[int, Resolution | None] = {}
    for index, cand in enumerate(candidates):
        att = cand.attribution
        resolution = resolver.resolve(att.mention) if att is not None and att.mention is not None else None
        resolved[index] = resolution
        cue = _char_span(text, att.cue) if att is not None and att.cue is not None else None
        mention = _char_span(text, att.mention) if att is not None and att.mention is not None else None
        rule = att.rule if att is not None else "direct.unattributed"
        if cand.continues is not None:
            rule = "direct.continued_paragraph"
        confidence = _confidence(cand, resolution)
        antecedent = None
        notes = cand.notes
        speaker, speaker_type = None, None
        if resolution is not None:
            speaker, speaker_type = resolution.name, resolution.type
            if resolution.antecedent is not None:
                antecedent = CharSpan(
                    resolution.antecedent[0],
                    resolution.antecedent[1],
                    text[resolution.antecedent[0] : resolution.antecedent[1]],
                )
            notes = notes + resolution.notes
        yield Suggestion(
            span=CharSpan(cand.start, cand.end, text[cand.start : cand.end]),
            kind=cand.kind,
            cue=cue,
            mention=mention,
            speaker=speaker,
            speaker_type=speaker_type if speaker_type is not None else SpeakerType.UNKNOWN,
            confidence=confidence,
            evidence=Evidence(rule, antecedent, notes),
        )


def _confidence(cand: _Candidate, resolution: Resolution | None) -> float:
    """How sure a suggestion is: the rule's reliability times the speaker's.

    Reported speech without a speaker is weak evidence of a quote (``it was decided that``);
    a direct quote stands on its marks even when nobody is named.
    """
    conf = cand.confidence
    if resolution is not None:
        conf *= resolution.confidence
        if resolution.type is SpeakerType.UNKNOWN:
            conf *= 0.9
        rule = cand.attribution.rule if cand.attribution is not None else ""
        if rule == "mixed.quoted_words" and resolution.type is SpeakerType.ORGANISATION:
            conf *= 0.8  # bodies rarely own a quoted phrase: more often a label or a title
    elif cand.kind is not Kind.DIRECT:
        conf *= 0.6
    return max(0.0, min(1.0, conf))


def _char_span(text: str, span: Span) -> CharSpan:
    return CharSpan(span.start_char, span.end_char, text[span.start_char : span.end_char])
