"""Direct quotes: runs of quoted text and the attributions that frame them.

A run is a direct quote when its frame attributes it, with a reporting cue right before it
(``X said: "…"``), right after it (``"…," X said`` / ``"…," said X`` / ``"…" he added``) or
through ``according to X``; the second half of a quote split by its attribution takes the
first half's. A paragraph of pure quotation right after an attributed one continues the same
speaker when nothing else intervenes; a sentence-like run standing alone is still a quote, of
the subject before it or of nobody named.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..model import Kind
from .frame import SENTENCE_END, Attribution, Candidate, Frame
from .lexicons import confidence, word_set
from .marks import ALL_MARKS, STRAIGHT_MARKS, QuoteRun
from .mentions import (
    according_to_at,
    according_to_ends_at,
    cue_span,
    in_subject,
    in_subject_phrase,
    last_subject_before,
    pobj_span,
    subject_of,
)
from .rules import rule, rule_confidence
from .run_shapes import (
    ends_clause,
    ends_with_comma_or_cry,
    names_something,
    run_body,
    sentence_ends_in,
    sentence_like,
    stands_alone,
    starts_clause,
    word_count,
)

# How far (in tokens) a cue may stand from the quote it attributes.
_MAX_TAIL_GAP = 12
_MAX_HEAD_GAP = 10
_MAX_COLON_GAP = 25
# how close before a quote a cue of its own must stand ("But he added, "…"")
_OWN_CUE_TOKENS = 6


def direct_quotes(frame: Frame) -> list[Candidate]:
    """Attributed runs, split quotes, continued paragraphs and unattributed quotation.

    Args:
        frame: the document.

    Returns:
        The direct quotes, in text order.
    """
    out: list[Candidate] = []
    for index in range(len(frame.runs)):
        candidate = _direct_quote(frame, index, out)
        if candidate is not None:
            out.append(candidate)
    return out


def _direct_quote(frame: Frame, index: int, found: list[Candidate]) -> Candidate | None:
    """The run ``index`` as a direct quote, given the ones ``found`` before it, or ``None``."""
    text = frame.text
    run = frame.runs[index]
    prev = frame.runs[index - 1] if index else None
    nxt = frame.runs[index + 1] if index + 1 < len(frame.runs) else None
    words = word_count(text, run)
    before = found[-1] if found else None
    if names_something(text, run, words):
        # "Harbour Mornings", on "Meet the Coast": a title or name, not speech, unless cued
        # as speech: "Like Paris. Or Rome," he said / the second half of a split quote
        return _cued_title_case(frame, run, nxt, before)
    alone = stands_alone(text, run)
    sentence = alone or sentence_like(text, run, words)
    at_edge_before = starts_clause(text, run, prev)
    attribution = _attribution(frame, run, prev, nxt, before, at_edge_before)
    notes = _run_notes(run)
    if attribution is not None and (sentence or at_edge_before and ends_clause(text, run)):
        if run.closed:
            conf = rule_confidence(attribution.rule)
        else:
            conf = confidence("cases", "direct.closing_mark_missing")
        return Candidate(run.start, run.end, Kind.DIRECT, attribution, conf, notes)
    if not (sentence and at_edge_before):
        return None  # a quoted name, title or scare quote: not speech on its own
    if _after_clause_mark(frame, run):
        return None  # `… and that "I think …"`: quoted words inside a report (mixed)
    if run.single and text[run.start] in STRAIGHT_MARKS:
        return None  # straight single marks are too often apostrophes to stand without a cue
    if before is not None and _continues(frame, before, run):
        return continued_paragraph(run, before, len(found) - 1, notes)
    if words >= 6:
        subject = last_subject_before(frame, run.start)
        if subject is not None:
            return previous_subject(run, subject, notes)
    if words >= 6 or alone:
        return unattributed(run, notes)  # a short line of dialogue is too little to guess from
    return None


def _after_clause_mark(frame: Frame, run: QuoteRun) -> bool:
    """Whether the word right before a run is ``that``, ``whether`` or ``if``."""
    words = frame.text[max(0, run.start - 12) : run.start].split()
    return bool(words) and words[-1].lower() in word_set("clause_marks")


def _cued_title_case(
    frame: Frame, run: QuoteRun, nxt: QuoteRun | None, before: Candidate | None
) -> Candidate | None:
    """A Title Case run that a cue frames as speech: ``"Like Paris. Or Rome," he said``.

    A title is not followed by a comma and a reporting verb, nor does it finish a quote split by
    its attribution (``"Like Paris," he said, "Or Rome."``).
    """
    text = frame.text
    attribution = None
    split = _split_attribution(frame, run, before)
    if split is not None and _right_after(text, split, run):
        attribution = split
    elif ends_with_comma_or_cry(text, run) and _opens_sentence(text, run):
        attribution = _tail_attribution(frame, run, nxt)
        if attribution is not None and not _speech_cue(frame, attribution):
            attribution = None  # "The Long Road," which aired on Sunday: a title after all
    if attribution is None or not run.closed:
        return None
    return Candidate(run.start, run.end, Kind.DIRECT, attribution, rule_confidence(attribution.rule), ())


def _right_after(text: str, attribution: Attribution, run: QuoteRun) -> bool:
    """``"A," he said, "B."``: the run follows the attribution and a comma, nothing else."""
    ends = [s.end_char for s in (attribution.cue, attribution.mention) if s is not None]
    return bool(ends) and text[max(ends) : run.start].strip() in (",", ":")


def _opens_sentence(text: str, run: QuoteRun) -> bool:
    """Whether a run opens its sentence: nothing but marks since the last sentence or paragraph end."""
    para_start = text.rfind("\n", 0, run.start) + 1
    before = text[para_start : run.start].rstrip(" \t\u00a0" + ALL_MARKS)
    return not before or before[-1] in ".!?:"


def _speech_cue(frame: Frame, attribution: Attribution) -> bool:
    """A reporting verb of the lexicon with a speaker that is no relative pronoun (``which``)."""
    cue, mention = attribution.cue, attribution.mention
    if cue is None or mention is None or not frame.is_cue(cue[-1]):
        return False
    return mention.root.lower_ not in word_set("pronouns.relative")


def _run_notes(run: QuoteRun) -> tuple[str, ...]:
    notes: list[str] = []
    if not run.closed:
        notes.append("closing mark missing: the quote ends with its paragraph")
    if run.paragraphs > 1:
        notes.append(f"continues over {run.paragraphs} paragraphs")
    return tuple(notes)


def _attribution(
    frame: Frame,
    run: QuoteRun,
    prev: QuoteRun | None,
    nxt: QuoteRun | None,
    before: Candidate | None,
    at_edge_before: bool,
) -> Attribution | None:
    """The attribution of a run: a split quote's, then one after the run, then one before it."""
    text = frame.text
    split = _split_attribution(frame, run, before)
    attribution = None
    if split is not None and before is not None and not sentence_ends_in(text, before.end, run.start):
        attribution = split
        if ends_with_comma_or_cry(text, run):
            # `"A," she said, but …, "B," said C`: the second run names a speaker of its own
            attribution = _tail_attribution(frame, run, nxt) or split
    if attribution is None and at_edge_before and _ends_with_full_stop(text, run):
        # `X said, "…." Y did not respond.`: a finished sentence's cue stands before it
        attribution = _head_attribution(frame, run, prev)
    if attribution is None and ends_clause(text, run):
        attribution = _tail_attribution(frame, run, nxt)
    if attribution is None and at_edge_before:
        attribution = _sentence_end_attribution(frame, run)
    if attribution is None:
        # `"A," he said. "B."`: the next sentence's quote is still his when nothing else is
        attribution = split
    if attribution is None and at_edge_before:
        attribution = _head_attribution(frame, run, prev)
    if attribution is None:
        attribution = dash_byline(frame, run, nxt)
    return attribution


# --- rules for runs without a cue of their own ---------------------------------------------------


@rule("direct.continued_paragraph")
def continued_paragraph(run: QuoteRun, before: Candidate, index: int, notes: tuple[str, ...]) -> Candidate:
    """A paragraph of pure quotation continues the speaker of the quote ``index`` before it."""
    notes = notes + ("continues the speaker of the quote before it",)
    conf = rule_confidence("direct.continued_paragraph")
    return Candidate(run.start, run.end, Kind.DIRECT, before.attribution, conf, notes, continues=index)


@rule("direct.previous_subject")
def previous_subject(run: QuoteRun, subject: Span, notes: tuple[str, ...]) -> Candidate:
    """A sentence of quotation with no cue: the subject of the sentence before speaks it."""
    notes = notes + ("no cue: the subject of the sentence before is taken as the speaker",)
    att = Attribution(None, subject, "direct.previous_subject")
    return Candidate(run.start, run.end, Kind.DIRECT, att, rule_confidence("direct.previous_subject"), notes)


@rule("direct.unattributed")
def unattributed(run: QuoteRun, notes: tuple[str, ...]) -> Candidate:
    """A sentence of quotation with no cue and nobody to give it to."""
    notes = notes + ("no attribution found",)
    return Candidate(run.start, run.end, Kind.DIRECT, None, rule_confidence("direct.unattributed"), notes)


def _continues(frame: Frame, before: Candidate, run: QuoteRun) -> bool:
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


def _only_quotes_between(frame: Frame, start: int, end: int) -> bool:
    """Nothing but white space, marks and at most a cue-less gap between two runs."""
    gap = frame.text[start:end]
    return not any(ch.isalnum() for ch in gap) and gap.count("\n") <= 3


def _split_attribution(frame: Frame, run: QuoteRun, before: Candidate | None) -> Attribution | None:
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
    if sentence_ends_in(frame.text, before.end, run.start):
        # `"A," he said on Monday. "B."`: the new sentence holds nothing before the run but marks
        ends = [k for k, t in enumerate(rest) if t.text in SENTENCE_END]
        lead = rest[ends[-1] + 1 :] if ends else rest
        if any(t.is_alpha for t in lead):
            return None  # "He said he had a hard time imagining that "…"": a clause of its own
        return before.attribution
    if any(t.dep_ == "mark" for t in rest):
        return None  # ", adding that …": a report of its own, not the rest of the quote
    if any(_cue_with_subject(frame, t) for t in rest[-_OWN_CUE_TOKENS:]):
        return None  # "X said, but he added, "…"": the run has an attribution of its own
    return before.attribution


def _cue_with_subject(frame: Frame, token: Token) -> bool:
    """A cue heading a clause of its own (``he added``), not an aside (``, who said …``, ``, asked …``)."""
    return (
        frame.is_cue(token)
        and token.dep_ not in ("relcl", "acl", "advcl")
        and any(c.dep_ == "nsubj" for c in token.children)
    )


# --- attribution after the quote -------------------------------------------------------------


def _tail_attribution(frame: Frame, run: QuoteRun, nxt: QuoteRun | None) -> Attribution | None:
    """``"…," X said`` / ``"…," said X`` / ``"…" he added`` / ``"…," according to X``."""
    text = frame.text
    end = nxt.start if nxt is not None else len(text)
    para_end = text.find("\n", run.end)
    if para_end != -1 and _wraps_after(text, run, para_end):
        para_end = text.find("\n", para_end + 1)  # `"…,"⏎X said.`: a hard-wrapped line goes on
    if para_end != -1:
        end = min(end, para_end)
    tail = frame.tokens_between(run.end, end)
    full_stop = _ends_with_full_stop(frame.text, run)
    n = 0
    for index, token in enumerate(tail):
        if n > _MAX_TAIL_GAP or token.text in SENTENCE_END:
            break
        # a long subject ("A B, director of the C Center at the D Institute,") costs nothing:
        # the gap counts only the words between the quote and the cue that are not its subject
        n += not in_subject_phrase(token)
        if according_to_at(token):
            return according_to(frame, token)
        if frame.is_cue(token) and full_stop and _reports_its_own(frame, token):
            break  # `…." He warns that …`: a new sentence reports something else
        if frame.is_cue(token) or _manner_cue(frame, run, token, tail):
            attribution = cue_after(frame, token, (run.end, end))
            if attribution is not None:
                return attribution
            continue
        if (
            token.pos_ == "VERB"
            and token.dep_ not in ("ccomp", "parataxis")
            and index > 0
            and not in_subject_phrase(token)
        ):
            break  # another clause starts: the cue, if any, is not this quote's
    return _cue_read_as_noun(frame, run, tail)


@rule("direct.quote_then_cue")
def _sentence_end_attribution(frame: Frame, run: QuoteRun) -> Attribution | None:
    """``"It seems unlikely" that Ruiz can win, said Ana Ode.``: the quote opens the clause that
    a cue at the end of its sentence reports."""
    inside = frame.tokens_between(run.start, run.end)
    words = [t for t in inside if not t.is_punct]
    if not words:
        return None
    first, sent = words[0], words[0].sent
    for token in frame.doc[inside.end : sent.end]:
        if frame.inside_quote(token) or not frame.is_cue(token):
            continue
        clauses = [c for c in token.lefts if c.dep_ == "ccomp"]
        if any(c.left_edge.i <= first.i and c.right_edge.i >= words[-1].i for c in clauses):
            mention = subject_of(frame, token, window=(run.end, sent.end_char))
            return Attribution(cue_span(token), mention, "direct.quote_then_cue") if mention else None
    return None


def _cue_read_as_noun(frame: Frame, run: QuoteRun, tail: Span) -> Attribution | None:
    """``"…," a voice-over in the ad states.`` / ``"…!" reply Ana and Tom.``: a cue the tagger
    read as a noun (the lexicon's ``noun_like_cues``), after or before the phrase naming the
    speaker."""
    if not ends_with_comma_or_cry(frame.text, run):
        return None
    doc = frame.doc
    words = [t for t in tail if not t.is_punct]
    cues = word_set("noun_like_cues")
    if len(words) > 1 and words[0].lower_ in cues and words[1].pos_ == "PROPN":
        end = 2  # the cue first, then the names
        while (
            end < len(words)
            and words[end].pos_ in ("PROPN", "CCONJ")
            and words[end].i == words[end - 1].i + 1
        ):
            end += 1
        return Attribution(
            doc[words[0].i : words[0].i + 1], doc[words[1].i : words[end - 1].i + 1], "direct.said_after"
        )
    for k, token in enumerate(words[: _MAX_TAIL_GAP + 1]):
        if token.pos_ in ("VERB", "AUX"):
            return None
        after = token.nbor(1) if token.i + 1 < len(doc) else None
        if (
            k > 0
            and token.lower_ in cues
            and (after is None or after.is_punct or after.pos_ in ("ADP", "ADV"))
            and words[0].pos_ in ("DET", "PROPN", "PRON")
            and any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in words[:k])
        ):
            return Attribution(doc[token.i : token.i + 1], doc[words[0].i : token.i], "direct.x_said_after")
    return None


def _wraps_after(text: str, run: QuoteRun, line_end: int) -> bool:
    """Whether a quote ending in a comma is followed by a single line break and more words."""
    if text[run.end : line_end].strip() or not run_body(text, run).endswith(","):
        return False
    following = text[line_end + 1 : line_end + 3]
    return bool(following.strip()) and not following.startswith("\n")


def _ends_with_full_stop(text: str, run: QuoteRun) -> bool:
    """Whether the quoted words end with a full stop (``"We will win."``), nested marks aside."""
    return run_body(text, run).endswith(".")


def _reports_its_own(frame: Frame, cue: Token) -> bool:
    """A cue with content of its own after it (``He warns that …``), outside any quote."""
    return any(
        c.dep_ in ("ccomp", "xcomp") and c.i > cue.i and not frame.inside_quote(c.left_edge)
        for c in cue.children
    )


@rule("direct.according_to")
def according_to(frame: Frame, according: Token) -> Attribution:
    """``"…," according to X`` / ``According to X, "…"``: the cue is the two words."""
    return Attribution(
        frame.doc[according.i : according.i + 2], pobj_span(according.nbor(1)), "direct.according_to"
    )


@rule("direct.said_after", "direct.x_said_after")
def cue_after(frame: Frame, cue: Token, window: tuple[int, int]) -> Attribution | None:
    """``"…," said X`` (``direct.said_after``) / ``"…," X said`` (``direct.x_said_after``)."""
    mention = subject_of(frame, cue, window=window)
    if mention is None:
        return None
    rule_id = "direct.said_after" if mention.start > cue.i else "direct.x_said_after"
    return Attribution(cue_span(cue), mention, rule_id)


def _manner_cue(frame: Frame, run: QuoteRun, verb: Token, tail: Span) -> bool:
    """``"Go back," Ann barked.`` / ``"Great!" beamed Ann.``: any verb framing a quote this way.

    Writers vary the reporting verb (barked, beamed, snapped); a verb with no object of its
    own, standing right after a quote that ends in a comma, ``!`` or ``?``, is one of them.
    """
    if verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    if not ends_with_comma_or_cry(frame.text, run):
        return False
    if any(
        c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp", "oprd") and not frame.inside_quote(c)
        for c in verb.children
    ):
        return False  # an object of its own (the quote itself may hang on the verb)
    # only the subject (and adverbs) may stand between the quote and the verb
    before = [t for t in tail if t.i < verb.i]
    if not all(in_subject(t) or t.is_punct or t.pos_ == "ADV" for t in before):
        return False
    # someone who can speak: "Ann barked", not "the balloons cascaded"
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return not subjects or any(_can_speak(frame, c) for c in subjects)


def _can_speak(frame: Frame, subject: Token) -> bool:
    """A name, a pronoun or a role noun (``the mayor``): a subject that can say something."""
    return (
        subject.pos_ in ("PROPN", "PRON")
        or subject.text[:1].isupper()  # a name the tagger missed
        or subject.ent_type_ in ("PERSON", "ORG", "NORP")
        or subject.lemma_.lower() in word_set("role_nouns")
        or subject.lemma_.lower() in word_set("body_nouns")
    )


_BYLINE_DASHES = ("—", "–", "--", "-")
_LABEL_DASHES = frozenset(_BYLINE_DASHES)
_MAX_LABEL_TOKENS = 12
_MAX_BYLINE_TOKENS = 8


@rule("direct.dash_byline")
def dash_byline(frame: Frame, run: QuoteRun, nxt: QuoteRun | None) -> Attribution | None:
    """``"…" — Ana Ruiz`` / ``"…" -- Ana Ruiz, mayor``: a name under the quote after a dash.

    The dash opens what is left of the line; the name (proper nouns, up to a comma) is the
    speaker, and nothing but its description may follow it on the line.
    """
    text = frame.text
    line_end = text.find("\n", run.end)
    end = len(text) if line_end == -1 else line_end
    if nxt is not None:
        end = min(end, nxt.start)
    after = text[run.end : end].lstrip(" \t\u00a0")
    if not after.startswith(_BYLINE_DASHES):
        return None
    tokens = [t for t in frame.tokens_between(run.end, end) if not t.is_space]
    while tokens and tokens[0].is_punct:
        tokens = tokens[1:]
    name: list[Token] = []
    for token in tokens:
        if token.text in (",", "(", ";") or token.text in SENTENCE_END:
            break
        name.append(token)
    if not name or len(name) > _MAX_BYLINE_TOKENS or not name[0].text[:1].isupper():
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in name) or not any(t.pos_ == "PROPN" for t in name):
        return None
    return Attribution(None, frame.doc[name[0].i : name[-1].i + 1], "direct.dash_byline")


# --- attribution before the quote ------------------------------------------------------------


def _head_stretch(frame: Frame, run: QuoteRun, prev: QuoteRun | None) -> tuple[int, int, str] | None:
    """Where an attribution before the run may stand, and the rule id a cue there gives.

    Normally the text before the run in its paragraph; for a run that opens its paragraph,
    the paragraph before when it ends with a colon (``X said:¶"…"``).
    """
    text = frame.text
    para_start = text.rfind("\n", 0, run.start) + 1
    start = max(prev.end if prev is not None else 0, para_start)
    if text[start : run.start].strip() or para_start == 0:
        return start, run.start, "direct.x_said_before"
    # the quote opens its paragraph: a previous paragraph ending with a colon introduces it
    prev_end = len(text[:para_start].rstrip())
    if text[prev_end - 1 : prev_end] != ":":
        return None
    start = max(prev.end if prev is not None else 0, text.rfind("\n", 0, prev_end) + 1)
    return start, prev_end, "direct.colon_intro"


def _head_attribution(frame: Frame, run: QuoteRun, prev: QuoteRun | None) -> Attribution | None:
    """``X said: "…"`` / ``X told Y, "…"`` / ``According to X, "…"`` / ``X said:¶"…"``."""
    stretch = _head_stretch(frame, run, prev)
    if stretch is None:
        return None
    start, end, rule_id = stretch
    head = list(frame.tokens_between(start, end))
    label = colon_label(frame, head)
    if label is not None:
        return label
    # "X responded with a phrase that could have come from Y:": a colon lets the verb stand further off
    colon = bool(head) and head[-1].text == ":"
    limit = _MAX_COLON_GAP if colon else _MAX_HEAD_GAP
    for n, token in enumerate(reversed(head)):
        if n > limit or token.text in SENTENCE_END:
            break
        if according_to_ends_at(token):
            return according_to(frame, token.nbor(-1))
        if frame.is_cue(token):
            if _reported_before(head[len(head) - n :]):
                return None  # "said that in her state, "…"": quoted words inside reported speech
            attribution = cue_before(frame, token, (start, end), rule_id)
            if attribution.mention is None and prev is not None:
                continue
            return attribution
        if head[-1].text in (",", ":") and _manner_head(frame, head, token, n):
            return Attribution(cue_span(token), subject_of(frame, token, (start, end)), rule_id)
        if (
            (token.pos_ == "VERB" or _owned_words(frame, token))
            and n > 0
            and not in_subject(token)
            and token.dep_ not in ("relcl", "acl")
        ):
            # the verb heads its sentence (the parser may hang it on the quote that follows)
            if (colon or rule_id == "direct.colon_intro") and (
                token.dep_ == "ROOT" or frame.inside_quote(token.head)
            ):
                return colon_intro_verb(frame, token, (start, end))
            break
    return None


def _owned_words(frame: Frame, verb: Token) -> bool:
    """``Ruiz's message was clear:``: a copula whose subject is someone's words."""
    return verb.pos_ == "AUX" and any(
        c.dep_ == "nsubj"
        and c.lemma_.lower() in frame.report_nouns
        and any(p.dep_ == "poss" for p in c.children)
        for c in verb.children
    )


def _manner_head(frame: Frame, head: list[Token], verb: Token, n: int) -> bool:
    """``Ann shot back, "…"``: a verb with no object of its own just before the comma opening a quote."""
    if verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBZ", "VBP") or n > 3:
        return False
    if not (verb.dep_ == "ROOT" or frame.inside_quote(verb.head)) or any(
        c.dep_ == "mark" for c in verb.children
    ):
        return False  # "if the country pulls back, "…"": a clause inside a report
    after = head[len(head) - n : -1]
    if not all(t.dep_ in ("prt", "advmod") for t in after):
        return False  # "Ann shot back", "he replied quickly"; not "he fixed the roof"
    if any(
        c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp") and not frame.inside_quote(c)
        for c in verb.children
    ):
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return bool(subjects) and all(_can_speak(frame, c) for c in subjects)


def _reported_before(tokens: list[Token]) -> bool:
    """Whether a subordinate clause (``that``, ``whether``) opens between a cue and the run."""
    return any(t.dep_ == "mark" and t.lower_ in word_set("clause_marks") for t in tokens)


@rule("direct.x_said_before", "direct.colon_intro")
def cue_before(frame: Frame, cue: Token, window: tuple[int, int], rule_id: str) -> Attribution:
    """``X said: "…"`` (``direct.x_said_before``) / ``X said:¶"…"`` (``direct.colon_intro``)."""
    return Attribution(cue_span(cue), subject_of(frame, cue, window=window), rule_id)


@rule("direct.colon_intro_verb")
def colon_intro_verb(frame: Frame, verb: Token, window: tuple[int, int]) -> Attribution | None:
    """``He then listed the qualities:¶"…"``: any main verb before a colon introduces his words."""
    mention = subject_of(frame, verb, window=window)
    if mention is None:
        return None
    return Attribution(cue_span(verb), mention, "direct.colon_intro_verb")


@rule("direct.colon_label")
def colon_label(frame: Frame, head: list[Token]) -> Attribution | None:
    """``Ana Ruiz, The Kestrel Courier: "…"``: a name and nothing else before a colon."""
    if len(head) < 2 or head[-1].text != ":":
        return None
    words = head[-_MAX_LABEL_TOKENS - 1 : -1]
    for k in range(len(words) - 1, -1, -1):
        # "Polls got it right - Ana Ruiz:": a headline, a dash, then the name
        if words[k].text in SENTENCE_END or words[k].text == "\n" or words[k].text in _LABEL_DASHES:
            words = words[k + 1 :]
            break
    else:
        if len(head) - 1 > _MAX_LABEL_TOKENS:
            return None  # no label: a long clause ends with the colon
    if not words or any(t.pos_ in ("VERB", "AUX") for t in words) or not words[0].text[:1].isupper():
        return None
    named = any(t.ent_type_ in ("PERSON", "ORG") or t.pos_ == "PROPN" for t in words)
    if not (named or _line_label(words)):
        return None
    return Attribution(None, frame.doc[words[0].i : words[-1].i + 1], "direct.colon_label")


def _line_label(words: list[Token]) -> bool:
    """A speaker's label opening a line of a transcript (``RUIZ:``, ``Ana Ruiz:``) that the
    tagger did not read as a name: one to three capitalised words, none a heading word."""
    first = words[0]
    line_start = first.i == 0 or "\n" in first.doc[first.i - 1].text or bool(first.is_sent_start)
    return (
        line_start
        and len(words) <= 3
        and all(t.text[:1].isupper() and t.is_alpha for t in words)
        and not any(t.lower_ in word_set("heading_words") for t in words)
    )
