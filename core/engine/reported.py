"""Reported speech and mixed quotes: content without marks, or with some quoted words.

A reporting verb from the lexicon whose complement is the content (:mod:`~core.engine.complements`),
an attribution set off by commas inside its content (``A, X said, B``), ``according to X``, and
quoted words no other rule took (``X called the plan "a disaster"``). Content that holds quoted
words is *mixed*; quoted names and scare quotes on their own are never speech.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from ..model import Kind
from .clauses import (
    final_noun_aside,
    has_verb,
    last_clause,
    strip_edges,
    trailing_modifiers,
    trim_right,
    whole_runs,
    within_paragraph,
)
from .complements import Content, complement
from .frame import SENTENCE_END, Attribution, Candidate, Frame
from .lexicons import confidence, word_set
from .marks import QuoteRun
from .mentions import according_to_at, cue_span, pobj_span, subject_of, unnamed_source
from .rules import rule, rule_confidence
from .run_shapes import names_something, word_count

_SET_OFF = (",", "—", "–")


def reported_speech(frame: Frame) -> Iterator[Candidate]:
    """Complement clauses of reporting verbs, parenthetical attributions, ``according to``.

    Args:
        frame: the document.

    Yields:
        The reports, in the order of their cues.
    """
    found = headline_colon(frame)
    if found is not None:
        yield found
    for token in frame.doc:
        if frame.inside_quote(token):
            continue
        if according_to_at(token):
            cand = according_to(frame, token)
            if cand is not None:
                yield cand
            continue
        lemma = token.lemma_.lower()
        if token.pos_ not in ("VERB", "AUX") or lemma not in frame.cue_lemmas:
            continue
        content = complement(frame, token)
        if content is None:
            if lemma in frame.speech:
                yield from parenthetical(frame, token)
            continue
        report = _report(frame, token, content)
        if report is not None:
            yield report


def _report(frame: Frame, verb: Token, content: Content) -> Candidate | None:
    """The report a verb makes of the content it governs, unless it is no speech."""
    lemma = verb.lemma_.lower()
    start, end = whole_runs(frame, *within_paragraph(frame.text, verb.idx, content.start, content.end))
    if end - start < 3 or content.clause and not has_verb(frame, start, end):
        return None  # "said Ana Ruiz, president of …": a name, not what was said
    mention = subject_of(frame, verb)
    # a subject that names no one (``the data``, ``the record``) is the very source of what a poll
    # or a record shows: the evidence rule has checked its subject already
    if mention is not None and content.rule != "reported.evidence" and _non_speaker(frame, mention.root):
        return None  # "All this is to say that …", "the challenge is to acknowledge that …"
    if mention is None and (lemma in frame.thought or content.rule == "reported.clause_then_cue"):
        return None  # "it seems that …" has no source worth a suggestion
    content = unnamed(verb, mention, content)
    if content.clause and lemma not in frame.speech and content.rule != "reported.to_clause":
        conf = confidence("cases", "reported.clause_cue_not_speech")
    else:
        conf = rule_confidence(content.rule)
    attribution = Attribution(cue_span(verb), mention, content.rule)
    return Candidate(start, end, frame.kind_of(start, end), attribution, conf)


@rule("reported.unnamed_source")
def unnamed(verb: Token, mention: Span | None, content: Content) -> Content:
    """``When asked whether …``, ``I was told that …``: a question or a report whose source the
    text leaves unnamed on purpose. No speaker is missing, so it is not held back for want of one."""
    if mention is None and content.rule == "reported.complement" and unnamed_source(verb):
        return content._replace(rule="reported.unnamed_source")
    return content


def _non_speaker(frame: Frame, root: Token) -> bool:
    """Whether a subject names no one: ``this``, ``the challenge``; not the name ``Day``, ``those
    surveyed``, ``numbers released by the state`` nor ``those who know him`` (a word of the list
    that a name or a modifier makes a source)."""
    if root.lemma_.lower() not in frame.non_speakers or root.pos_ == "PROPN":
        return False
    return not any(
        c.dep_ == "acl" and c.tag_ == "VBN" or c.dep_ == "relcl" and root.pos_ == "PRON"
        for c in root.children
    )


_MAX_HEADLINE_WORDS = 30
_MAX_HEADLINE_SPEAKER = 5
_NAME_ENTITIES = ("PERSON", "ORG", "NORP", "GPE", "")


@rule("reported.headline_colon")
def headline_colon(frame: Frame) -> Candidate | None:
    """``Ruiz: Harbour Plan Will Fail``: a headline giving a name, a colon and what was said.

    The headline is the text's first line; before the colon stands a short name (its last word
    a proper name, no verb: not ``The Latest:`` nor ``Breaking:``), after it the content.
    """
    text = frame.text
    first = len(text) - len(text.lstrip())
    line_end = text.find("\n", first)
    line_end = len(text) if line_end == -1 else line_end
    colon = text.find(": ", first, line_end)
    if colon == -1 or len(text[first:line_end].split()) > _MAX_HEADLINE_WORDS:
        return None
    speaker = [t for t in frame.tokens_between(first, colon) if not t.is_space]
    if not 0 < len(speaker) <= _MAX_HEADLINE_SPEAKER or not speaker[0].text[:1].isupper():
        return None
    last = speaker[-1]
    if any(t.pos_ in ("VERB", "AUX") or t.is_punct for t in speaker) or last.text.isupper():
        return None
    if speaker[0].pos_ == "DET" or not (last.pos_ == "PROPN" and last.ent_type_ in _NAME_ENTITIES):
        return None  # "The Latest:" is a label; a name is a proper noun the recogniser may miss
    start, end = strip_edges(text, colon + 1, line_end)
    if len(text[start:end].split()) < 3:
        return None
    mention = frame.doc[speaker[0].i : last.i + 1]
    attribution = Attribution(None, mention, "reported.headline_colon")
    conf = rule_confidence("reported.headline_colon")
    return Candidate(start, end, frame.kind_of(start, end), attribution, conf)


@rule("reported.parenthetical")
def parenthetical(frame: Frame, verb: Token) -> Iterator[Candidate]:
    """``A, X said, B.`` / ``A, X said.``: the attribution set off by commas inside its content.

    The content is the sentence around the attribution; it is given as two quotes (before and
    after the attribution) when both sides have words, as annotators record it.
    """
    text = frame.text
    if verb.lemma_.lower() in frame.clause_only or verb.dep_ in ("xcomp", "relcl", "acl", "pcomp", "conj"):
        return  # "they attacked the ship, killing …", "who declined to comment, was …"
    mention = subject_of(frame, verb)
    if mention is None or mention.start > verb.i:
        return
    left = mention.start_char
    if not text[:left].rstrip().endswith(_SET_OFF):
        return
    right = _attribution_end(frame, verb)
    if right is None or right.text in SENTENCE_END:
        return  # "A, X said." is left to the clause-then-cue rule, which reads the parse
    sent = verb.sent
    head_part = strip_edges(text, *within_paragraph(text, verb.idx, sent.start_char, left))
    tail_part = strip_edges(text, *within_paragraph(text, verb.idx, right.idx + 1, sent.end_char))
    if tail_part == (0, 0):
        return
    attribution = Attribution(cue_span(verb), mention, "reported.parenthetical")
    for start, end in (head_part, tail_part):
        # a side without a verb is an adverbial ("Earlier this week, X said, …"), not content
        if end - start < 3 or not any(t.pos_ in ("VERB", "AUX") for t in frame.tokens_between(start, end)):
            continue
        start, end = whole_runs(frame, start, end)
        conf = rule_confidence("reported.parenthetical")
        yield Candidate(start, end, frame.kind_of(start, end), attribution, conf)


def _attribution_end(frame: Frame, verb: Token) -> Token | None:
    """The comma, dash or sentence end closing a parenthetical attribution, if nothing else
    (another verb, quoted words, the verb's own object) comes first."""
    addressee_verbs = word_set("addressee_verbs")
    for tok in frame.doc[verb.i + 1 : verb.sent.end]:
        if tok.text in _SET_OFF or tok.text in SENTENCE_END:
            return tok
        if tok.pos_ in ("VERB", "AUX") or frame.inside_quote(tok) or tok.i - verb.i > 6:
            return None
        if tok.dep_ == "dobj" and tok.head.i == verb.i and verb.lemma_.lower() not in addressee_verbs:
            return None  # the verb has an object of its own: it reports nothing around it
    return None


@rule("reported.according_to")
def according_to(frame: Frame, token: Token) -> Candidate | None:
    """``According to X, CLAUSE`` / ``CLAUSE, according to X`` / ``CLAUSE, according to X, and …``.

    The content is the side of the sentence that ``according to X`` is attached to: the
    longer of the text before it and the text after it, within the sentence and paragraph.
    """
    to = token.nbor(1)
    mention = pobj_span(to)
    if mention is None:
        return None
    text = frame.text
    sent = token.sent
    before = within_paragraph(text, token.idx, sent.start_char, token.idx)
    after = within_paragraph(text, token.idx, mention.end_char, sent.end_char)
    before = strip_edges(text, *last_clause(frame, *before))
    after = strip_edges(text, *after)
    # "CLAUSE, according to X[, which …]" reads back; "According to X, CLAUSE" reads on
    start, end = before if len(text[before[0] : before[1]].split()) >= 3 else after
    if len(text[start:end].split()) < 3:
        return None
    cue = frame.doc[token.i : to.i + 1]
    attribution = Attribution(cue, mention, "reported.according_to")
    return Candidate(
        start, end, frame.kind_of(start, end), attribution, rule_confidence("reported.according_to")
    )


@rule("mixed.quoted_words")
def quoted_words(frame: Frame, covered: list[tuple[int, int]]) -> Iterator[Candidate]:
    """Mixed quotes carried by their marks: ``X called the plan "a disaster"``.

    A run of quoted words that no other rule took, inside the object of a verb whose
    subject is a mention, makes that verb's complement a mixed quote of the subject's.
    Quoted titles and names are set aside (:func:`~core.engine.run_shapes.names_something`).

    Args:
        frame: the document.
        covered: character spans other quotes hold; each quote found here is added to it.

    Yields:
        The mixed quotes, in text order.
    """
    text = frame.text
    for run in frame.runs:
        if any(s <= run.start < e for s, e in covered):
            continue
        if names_something(text, run, word_count(text, run)):
            continue
        verb = _verb_around(frame, run)
        if verb is None:
            continue
        mention = subject_of(frame, verb)
        if mention is None:
            continue
        span = _quoted_words_content(frame, run, verb)
        if span is None or any(s < span[1] and span[0] < e for s, e in covered):
            continue
        covered.append(span)
        attribution = Attribution(cue_span(verb), mention, "mixed.quoted_words")
        yield Candidate(*span, Kind.MIXED, attribution, rule_confidence("mixed.quoted_words"))


def _verb_around(frame: Frame, run: QuoteRun) -> Token | None:
    """The verb (outside quotes, before the run) whose object holds the quoted words."""
    inside = list(frame.tokens_between(run.start, run.end))
    roots = [t for t in inside if not (run.start <= t.head.idx < run.end)]
    if not roots:
        return None
    verb = roots[0].head
    for _ in range(3):
        if verb.pos_ == "VERB" or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ != "VERB" or frame.inside_quote(verb) or verb.i > inside[0].i:
        return None
    return verb


def _quoted_words_content(frame: Frame, run: QuoteRun, verb: Token) -> tuple[int, int] | None:
    """The verb's complement holding the run, within its paragraph, as character offsets."""
    rights = [c for c in verb.rights if c.dep_ not in ("punct", "cc", "conj")]
    if not rights:
        return None
    start = rights[0].left_edge.idx
    cut = trailing_modifiers(verb) or final_noun_aside(frame, rights[-1], own=True)
    tokens = [t for t in verb.subtree if t.idx >= start and t.i not in cut]
    last = trim_right(tokens)
    end = max(run.end, last.idx + len(last.text)) if last is not None else run.end
    start, end = whole_runs(frame, *within_paragraph(frame.text, verb.idx, min(start, run.start), end))
    if end - start < 3:
        return None
    return start, end
