"""The content a reporting verb governs: one small rule per construction, tried in order.

``X said that …`` (a complement clause), ``said in a statement that …`` (a clause on a
report noun), ``CLAUSE, X said`` (the clause first), ``urged them to …`` (object control),
``vowed to …`` (a to-clause),
``talked about …`` (a topic), ``praised the plan`` (an object) and ``told lawmakers …`` (a
clause the parser read as the object). Each rule returns the content as character offsets with
its rule id, or ``None`` when its construction is not there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from spacy.tokens import Token

from .clauses import (
    clause_offsets,
    final_noun_aside,
    phrase_offsets,
    skip_recipient,
    subject_follows_clause,
    trailing_modifiers,
    trim_right,
)
from .frame import Frame
from .lexicons import word_set
from .rules import rule


class Content(NamedTuple):
    """What a reporting verb governs, as character offsets, and the rule that found it.

    Attributes:
        start: offset of the content.
        end: offset just after the content.
        rule: the rule id.
        clause: whether the content is a clause (it must hold a verb); ``False`` for a noun
            phrase (a topic or an object).
    """

    start: int
    end: int
    rule: str
    clause: bool = True


#: A rule's answer when its construction is there but holds no report: no later rule may
#: read the verb.
NO_REPORT = Content(0, 0, "")

ComplementRule = Callable[[Frame, Token], Content | None]


def complement(frame: Frame, verb: Token) -> Content | None:
    """The content a reporting verb governs, by the first rule that finds one.

    Args:
        frame: the document.
        verb: a reporting verb (a lemma of the lexicon's cue lists).

    Returns:
        The content, or ``None``.
    """
    for complement_rule in COMPLEMENT_RULES:
        found = complement_rule(frame, verb)
        if found is NO_REPORT:
            return None
        if found is not None:
            return found
    return None


def _after(verb: Token, *deps: str) -> list[Token]:
    """The verb's children of these dependency labels that follow it."""
    return [c for c in verb.children if c.dep_ in deps and c.i > verb.i]


@rule("reported.evidence")
def evidence(frame: Frame, verb: Token) -> Content | None:
    """``Polls show Clinton up by ten points``, ``records show little evidence that …``: what a
    poll, a record or a study shows, whether a clause or a noun phrase with its predicate."""
    if verb.lemma_.lower() not in word_set("evidence_verbs"):
        return None
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":
        subjects = [verb.head]  # "a new poll showing Trump ahead"
    nouns = word_set("document_nouns") | word_set("evidence_nouns")
    if not any(s.lemma_.lower() in nouns for s in subjects):
        return None
    cut = trailing_modifiers(verb)
    rights = [t for c in verb.rights if c.dep_ not in ("punct", "cc", "conj", "prt") for t in c.subtree]
    tokens = [t for t in rights if t.i not in cut]
    last = trim_right(tokens)
    if not tokens or last is None:
        return None
    return Content(tokens[0].idx, last.idx + len(last.text), "reported.evidence", clause=False)


@rule("reported.complement")
def complement_clause(frame: Frame, verb: Token) -> Content | None:
    """``X said that CLAUSE``: the complement clause after the verb."""
    ccomp = (
        _after(verb, "ccomp")
        or [x for x in _after(verb, "xcomp") if _finite(x) and _next_to(verb, x)]
        or _gerund(frame, verb)
        or _misread_question(verb)
        or _misread_complement(frame, verb)
    )
    if not ccomp:
        return None
    start, end = clause_offsets(frame, ccomp[0])
    if start < verb.idx:
        # "the bridge, which he said was unsafe": the relative pronoun before the cue is not said
        after = [t for t in ccomp[0].subtree if t.i > verb.i and not t.is_punct]
        if not after:
            return None
        start = after[0].idx
    return Content(start, _run_on_end(frame, verb, ccomp[0], end), "reported.complement")


def _gerund(frame: Frame, verb: Token) -> list[Token]:
    """``proposed raising the levy``, ``said lifting the ban would create jobs``: a gerund right
    after a verb of speech is what was said (the parser reads it as a controlled clause), not
    after a verb of aspect (``continued speaking``)."""
    lemma = verb.lemma_.lower()
    if lemma not in frame.speech or lemma in word_set("aspect_verbs"):
        return []
    return [x for x in _after(verb, "xcomp") if x.tag_ == "VBG" and x.i == verb.i + 1]


def _misread_question(verb: Token) -> list[Token]:
    """``Asked if he was ever bullied``: the question the parser hung on a verb of asking as an
    adverbial clause."""
    if verb.lemma_.lower() not in word_set("asking_verbs"):
        return []
    marks = word_set("question_marks")
    return [c for c in _after(verb, "advcl") if any(m.dep_ == "mark" and m.lower_ in marks for m in c.lefts)]


def _misread_complement(frame: Frame, verb: Token) -> list[Token]:
    """``told the meeting that teachers had …``, ``said in one of a series of messages that the
    truck was …``: a complement clause the parser hung on a noun after a verb of speech as a
    relative clause. The ``that`` of a relative clause is its subject or object; a ``that``
    marking a clause with a subject of its own opens what was said.
    """
    if verb.lemma_.lower() not in frame.speech:
        return []
    nouns = _after(verb, "dobj", "dative")
    for prep in _after(verb, "prep"):
        nouns += [t for t in prep.subtree if t.dep_ == "pobj"]
    for noun in nouns:
        for clause in noun.children:
            if clause.dep_ == "relcl" and clause.i > noun.i and _marked_with_subject(clause):
                return [clause]
    return []


def _marked_with_subject(clause: Token) -> bool:
    """Whether a clause opens with the complementiser ``that`` and has a subject of its own."""
    first = clause.left_edge
    return (
        first.lower_ in word_set("report_marks")
        and first.dep_ == "mark"
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)
    )


def _finite(verb: Token) -> bool:
    """Whether a verb the parser read as controlled (``which they say left a gap``) is finite: a
    clause of its own, not ``say to leave``."""
    return verb.tag_ in ("VBD", "VBZ", "VBP", "MD") and not any(c.dep_ == "aux" for c in verb.children)


def _next_to(verb: Token, clause: Token) -> bool:
    """Whether a clause follows its verb with no punctuation between (``X said, asked about Y``
    is an aside)."""
    return not any(t.is_punct for t in verb.doc[verb.i + 1 : clause.left_edge.i])


#: What may follow a bare ``he's`` that the parser hung on the reporting verb instead.
_DANGLING_DEPS = frozenset({"prep", "advmod", "acomp", "attr", "npadvmod", "dobj", "oprd"})
#: Punctuation after which a piece on the reporting verb starts a clause of its own.
_CLAUSE_BREAKS = frozenset({",", ";", ":", "(", "[", ".", "!", "?"})


def _run_on_end(frame: Frame, verb: Token, clause: Token, end: int) -> int:
    """The end of a complement clause the parser broke into pieces on the reporting verb.

    ``said the men released by the court were close to …`` comes out as two clauses (``the men
    released by the court`` and ``were close to …``), ``argue he's in this race`` as a bare
    ``he's`` with ``in this race`` on ``argue``: the pieces that follow the clause with nothing
    between belong to it.
    """
    last = clause.right_edge
    if end != last.idx + len(last.text):
        return end  # the clause ended on an aside: what follows is not run-on content
    dangling = clause.pos_ == "AUX" and not any(c.i > clause.i for c in clause.children)
    for child in verb.rights:
        if child.i <= clause.i:
            continue
        first = child.left_edge
        if (
            first.i != last.i + 1
            or first.text in _CLAUSE_BREAKS
            or not any(ch.isalnum() for ch in child.text)
        ):
            break  # "…, it showed …" (a clause of its own) or a dash the parser took for a verb
        if child.dep_ == "ccomp" or dangling and child.dep_ in _DANGLING_DEPS:
            tail = trim_right(list(child.subtree))
            if tail is None:
                break
            last = tail
            end = last.idx + len(last.text)
            if last.i != child.right_edge.i:
                break
        else:
            break
    return end


@rule("reported.complement")
def report_noun_clause(frame: Frame, verb: Token) -> Content | None:
    """``X said in a statement that CLAUSE``: the parser hangs the clause on the report noun."""
    report_marks = word_set("report_marks")
    for prep in _after(verb, "prep"):
        for noun in (c for c in prep.children if c.dep_ == "pobj" and c.lemma_.lower() in frame.report_nouns):
            clauses = [
                c
                for c in noun.children
                if c.dep_ in ("acl", "ccomp", "relcl")
                and c.i > noun.i
                and any(m.dep_ == "mark" and m.lower_ in report_marks for m in c.children)
            ]
            if clauses:
                return Content(*clause_offsets(frame, clauses[0]), "reported.complement")
    return None


@rule("reported.clause_then_cue")
def clause_then_cue(frame: Frame, verb: Token) -> Content | None:
    """``CLAUSE, one official said.`` / ``CLAUSE, said X.``: the clause comes first."""
    before = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i]
    if not before or verb.lemma_.lower() not in frame.speech or verb.tag_ == "VBG":
        return None
    if not subject_follows_clause(verb, before[-1]):
        return None
    return Content(*clause_offsets(frame, before[-1], split_cues=False), "reported.clause_then_cue")


@rule("reported.object_control")
def object_control(frame: Frame, verb: Token) -> Content | None:
    """``X urged them to act``: the object and the clause it controls.

    Verbs that as often give orders as report them (``told them to``) need quoted words in
    the content to count as speech.
    """
    lemma = verb.lemma_.lower()
    if lemma not in frame.directive:
        return None
    obj = _after(verb, "dobj", "dative")
    xcomp = _after(verb, "xcomp")
    if not (obj and xcomp):
        return None
    start = obj[0].left_edge.idx
    last = trim_right(list(xcomp[0].subtree))
    if last is None:
        return NO_REPORT
    end = last.idx + len(last.text)
    if lemma in word_set("directive_needs_quote") and not any(
        frame.run_at(t.idx) for t in frame.tokens_between(start, end)
    ):
        return NO_REPORT
    return Content(start, end, "reported.object_control")


@rule("reported.to_clause")
def to_clause(frame: Frame, verb: Token) -> Content | None:
    """``X vowed to fight on``, ``declined to comment``: what the speaker committed to or refused."""
    if verb.lemma_.lower() not in word_set("to_clause_verbs") or _after(verb, "dobj", "dative"):
        return None
    for clause in _after(verb, "xcomp"):
        if any(
            c.dep_ == "aux" and c.lower_ in word_set("infinitive_markers") for c in clause.children
        ) and _next_to(verb, clause):
            return Content(*clause_offsets(frame, clause), "reported.to_clause")
    return None


@rule("reported.naming")
def naming(frame: Frame, verb: Token) -> Content | None:
    """``called the plan "a disaster"``, ``described him as a fighter``: what the speaker
    called someone or something, object and name together.

    A verb of naming needs the name after its object (``called the race`` names nothing); a
    verb of describing needs ``as``.
    """
    lemma = verb.lemma_.lower()
    naming_verb = lemma in word_set("naming_verbs")
    if not naming_verb and lemma not in word_set("describing_verbs"):
        return None
    objs = _after(verb, "dobj")
    if not objs:
        return None
    obj = objs[0]
    after = [c for c in verb.children if c.i > obj.right_edge.i]
    names = [c for c in after if (_names(c) if naming_verb else c.lower_ == "as")]
    if naming_verb and not names:
        # "called Mrs. Ode an ''Aunt Tom''": the parser may hang the name on the object
        names = [c for c in obj.children if c.dep_ == "appos" and c.i > obj.i and _set_apart(c)]
    if not names:
        return None
    name = names[0]
    aside = final_noun_aside(frame, name, own=True)
    span = range(obj.left_edge.i, name.right_edge.i + 1)
    last = trim_right([t for t in verb.subtree if t.i in span and t.i not in aside])
    if last is None:
        return None
    return Content(obj.left_edge.idx, last.idx + len(last.text), "reported.naming", clause=False)


def _set_apart(name: Token) -> bool:
    """Whether a name given after an object opens with an article or a quotation mark, not a
    comma (``called Ode an "Aunt Tom"``; ``called Ode, the mayor,`` is an apposition)."""
    first = name.left_edge
    return first.lower_ in word_set("articles") or first.is_quote and not name.doc[first.i - 1].is_punct


def _names(child: Token) -> bool:
    """Whether a verb's child after its object is the name given: ``called it "a farce"``."""
    return child.lower_ == "as" or child.dep_ in ("oprd", "xcomp") and child.pos_ in ("NOUN", "PROPN", "ADJ")


@rule("reported.topic")
def topic(frame: Frame, verb: Token) -> Content | None:
    """``talked about the deal``, ``called for a ban``: what was said, as a noun phrase."""
    if verb.lemma_.lower() not in word_set("topic_verbs"):
        return None
    preps = [c for c in _after(verb, "prep") if c.lower_ in word_set("topic_preps")]
    for prep in preps[:1]:
        objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
        if objs and prep.i == verb.i + 1 or objs and verb.nbor(1).dep_ == "prt":
            return Content(*phrase_offsets(objs[0]), "reported.topic", clause=False)
    return None


@rule("reported.object")
def object_content(frame: Frame, verb: Token) -> Content | None:
    """``criticized the plan as reckless``, ``endorsed Smith``: the object is what was said."""
    if verb.lemma_.lower() not in word_set("object_verbs"):
        return None
    objs = _after(verb, "dobj")
    if not objs:
        return None
    obj = objs[0]
    if obj.lower_ in word_set("pronouns.anaphoric_objects") and obj.left_edge.i == obj.right_edge.i:
        return NO_REPORT  # "disputed that", "denied it": what was said stands elsewhere
    if obj.ent_type_ in ("DATE", "TIME"):
        return NO_REPORT  # "promised Monday": a day the parser took for the object
    last = objs[0]
    for c in verb.children:
        if (
            c.i > last.right_edge.i
            and c.dep_ in ("prep", "oprd", "xcomp", "advcl")
            and c.lower_ in word_set("object_continuations")
        ):
            last = c
            break
    first = objs[0].left_edge
    aside = final_noun_aside(frame, last, own=True)  # "dismissed X as Y — a metaphor for …"
    end_tok = trim_right(
        [t for t in verb.subtree if first.i <= t.i <= last.right_edge.i and t.i not in aside]
    )
    if end_tok is None:
        return None
    return Content(first.idx, end_tok.idx + len(end_tok.text), "reported.object", clause=False)


@rule("reported.tell_object")
def tell_object(frame: Frame, verb: Token) -> Content | None:
    """``told lawmakers Freedonia risks …``: the parser read the clause as one long object."""
    if verb.lemma_.lower() not in word_set("long_object_verbs"):
        return None
    obj = _after(verb, "dobj")
    if not obj or not any(t.pos_ == "VERB" for t in obj[0].subtree):
        return None
    tokens = list(obj[0].subtree)
    first = skip_recipient(tokens)
    last = trim_right(tokens)
    if first is None or last is None or first.i > last.i:
        return None
    return Content(first.idx, last.idx + len(last.text), "reported.tell_object")


#: The rules, in the order they are tried: the first that finds content wins.
COMPLEMENT_RULES: tuple[ComplementRule, ...] = (
    evidence,
    complement_clause,
    report_noun_clause,
    clause_then_cue,
    object_control,
    to_clause,
    naming,
    topic,
    object_content,
    tell_object,
)
