"""Mentions and cues: the words of the text that name a speaker, and the reporting words.

A *mention* is the noun phrase as written (``PM Ana Ruiz``, ``he``, ``the ministry``); the
*speaker* it refers to is found later, by :mod:`core.engine.speakers`.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .frame import SENTENCE_END, SUBJECTS, Frame
from .lexicons import load_lexicon, word_set
from .marks import ALL_MARKS

# a relative clause, coordination or preposition ends a mention (but see "mention_preps")
_MENTION_CUT = frozenset({"relcl", "acl", "advcl", "punct", "cc", "conj", "prep"})
# what a noun phrase holds before its head: no adverbials, bylines or clauses
_MENTION_LEFT = frozenset(
    {"det", "predet", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case", "flat", "nn"}
)
# a date or a time is never a speaker ("Chief A B said Monday")
_NOT_SPEAKERS = frozenset({"DATE", "TIME"})
# the longest phrase taken as a mention when the parser gives the cue no subject
_MAX_GAP_MENTION = 25


def according_to_at(token: Token) -> bool:
    """Whether ``token`` starts the two words ``according to``."""
    first, second = load_lexicon()["according_to"]
    return token.lower_ == first and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == second


def according_to_ends_at(token: Token) -> bool:
    """Whether ``token`` ends the two words ``according to``."""
    first, second = load_lexicon()["according_to"]
    return token.lower_ == second and token.i > 0 and token.nbor(-1).lower_ == first


def in_subject(token: Token) -> bool:
    """Whether a token is (or hangs within two steps of) a subject."""
    return any(a.dep_ in SUBJECTS for a in [token, *token.ancestors][:3])


def in_subject_phrase(token: Token) -> bool:
    """Whether a token stands anywhere within a subject phrase (appositions and clauses included)."""
    return any(a.dep_ in SUBJECTS for a in [token, *token.ancestors])


def cue_span(verb: Token) -> Span:
    """The cue with its auxiliaries: ``have said``, ``had told``."""
    doc = verb.doc
    start = verb.i
    while start > 0 and doc[start - 1].dep_ in ("aux", "auxpass", "neg") and doc[start - 1].head.i == verb.i:
        start -= 1
    return doc[start : verb.i + 1]


def subject_of(frame: Frame, verb: Token, window: tuple[int, int] | None = None) -> Span | None:
    """The mention of the speaker of a cue: its subject, inherited through clause links.

    Args:
        frame: the document.
        verb: the cue.
        window: character offsets the mention must start in (the attribution's stretch of
            text); a subject outside it gives way to a name next to the cue.

    Returns:
        The mention, or ``None``.
    """
    settled, mention = _participle_speaker(verb)
    if settled:
        return mention
    node: Token | None = verb
    deps: tuple[str, ...] = ("nsubj",)
    for _ in range(4):
        if node is None:
            break
        subjects = [c for c in node.children if c.dep_ in deps and _stands_free(frame, c)]
        if subjects and not (node is not verb and _reported_clause(frame, node)):
            return _chosen_subject(frame, verb, node, subjects, window)
        if node.dep_ == "relcl" and not _infinitive(node) and node.head.i != node.i:
            return noun_phrase(node.head)
        own = _participle_subject(frame, node)
        if own is not None:
            return own
        # 'Ruiz was prompted to say, "…"': the one a passive verb controls speaks a direct quote
        passive = window is not None and node.dep_ == "xcomp" and node.tag_ == "VB"
        deps = ("nsubj", "nsubjpass") if passive else ("nsubj",)
        node = _controller(frame, node, verb)
    aside = _aside_subject(verb)
    if aside is not None:
        return aside
    if window is not None:
        return nearest_name(frame, verb, window) or phrase_before_cue(frame, verb, window)
    if any(c.dep_ == "det" and c.i < verb.i for c in verb.children):
        # "The 47-year-old added that …" parsed as one noun phrase: the words before the cue
        return phrase_before_cue(frame, verb, (verb.sent.start_char, verb.idx))
    return _name_before(frame, verb)


def _stands_free(frame: Frame, token: Token) -> bool:
    """Whether a token stands outside quotes and markup tags (a subject there speaks for no one)."""
    return not frame.inside_quote(token) and not frame.in_markup(token)


def _name_before(frame: Frame, verb: Token) -> Span | None:
    """``…, the campaign chief, Ana Ruiz, bluntly suggested that``: a finite cue the parser
    left without a subject, right after a name (adverbs and dates between), reports the name's
    words. After a comma the name must be set apart as an apposition (not ``in Ohio, said``)."""
    if verb.dep_ != "ROOT" or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    doc = verb.doc
    start = verb.sent.start
    i = verb.i - 1
    while i >= start and (doc[i].pos_ == "ADV" or doc[i].ent_type_ in ("DATE", "TIME")):
        i -= 1
    after_comma = i >= start and doc[i].text == ","
    i -= after_comma
    if i < start:
        return None
    name = doc[i]
    if name.pos_ != "PROPN" or name.ent_type_ in _NOT_SPEAKERS or after_comma and name.dep_ != "appos":
        return None
    if not _stands_free(frame, name):
        return None
    mention = noun_phrase(name)
    return None if "\n" in mention.text else mention  # run-together headlines


def _controller(frame: Frame, node: Token, verb: Token) -> Token | None:
    """The verb whose subject a clause shares: its governor through a clause link, ``None`` if
    it has none.

    Besides conjuncts and clauses, a participle after a preposition (``after saying``, ``by
    tweeting that``) is its verb's subject's, so is a participle on that verb's object (``wrote
    a letter congratulating``, ``in an article stating``), and a verb of speech on an adjective
    (``was quick to add``) is the subject's of the adjective's verb; not when that subject is
    impersonal (``it goes without saying``, ``it is worth noting``).
    """
    head = node.head
    if head.i == node.i:
        return None
    if node.dep_ == "xcomp" and head.dep_ == "acomp" and node.lemma_.lower() in frame.speech:
        return None if _impersonal(head.head) else head.head
    if node.dep_ in ("conj", "advcl", "xcomp", "relcl", "ccomp") or _after_aside(node):
        if node.dep_ == "ccomp" and node is verb:
            return None  # a cue's own subject is not its governor's
        # "held a briefing to brag that …": the infinitive is the holder's, not the briefing's
        return _governing_verb(head) if node.dep_ == "relcl" else head
    governor: Token | None = None
    if node.tag_ == "VBG" and node.dep_ == "pcomp" and head.dep_ == "prep":
        governor = head.head if head.head.pos_ in ("VERB", "AUX") else None
    elif node.tag_ == "VBG" and node.dep_ == "acl" and head.dep_ in ("dobj", "pobj"):
        governor = _governing_verb(head)
    return None if governor is None or _impersonal(governor) else governor


def _impersonal(verb: Token) -> bool:
    """Whether a verb's subject is ``it`` or ``there`` (``it goes without saying``)."""
    neuter = word_set("pronouns.neuter")
    return any(c.dep_ == "expl" or c.dep_ in SUBJECTS and c.lower_ in neuter for c in verb.children)


def _participle_subject(frame: Frame, node: Token) -> Span | None:
    """The subject of a participle that is not its governor's.

    ``slammed Ruiz for suggesting that …``: the one blamed or praised for what they said is the
    verb's object. ``an ad featuring voters telling their stories``: people doing the telling
    are the noun the participle hangs on (not a noun after a preposition: ``a text to
    supporters saying`` is the text's).
    """
    head = node.head
    if node.tag_ != "VBG" or head.i == node.i:
        return None
    if node.dep_ == "acl" and head.dep_ != "pobj" and head.i < node.i and _names_people(head):
        return noun_phrase(head)
    if not (node.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ in word_set("credit_preps")):
        return None
    if node.lemma_.lower() not in frame.speech:
        return None  # "lauded Ruiz for helping develop …": the praise is the speech
    objects = [c for c in head.head.children if c.dep_ == "dobj" and c.i < head.i]
    if objects and (objects[0].pos_ in ("PROPN", "PRON") or _source_noun(objects[0])):
        return noun_phrase(objects[0])
    return None


def _names_people(token: Token) -> bool:
    """Whether a noun names people: a person, a group of people or a role (not a body or a document)."""
    lemma = token.lemma_.lower()
    return (
        token.ent_type_ in ("PERSON", "NORP")
        or token.pos_ == "NOUN"
        and any(lemma in word_set(key) for key in ("role_nouns", "generic_person_nouns"))
    )


def _reported_clause(frame: Frame, node: Token) -> bool:
    """A clause a cue reports (``said [he plans to …]``): a participle on it speaks for the cue's subject.

    ``Ann said he plans to visit, insisting that …``: the one insisting is Ann.
    """
    return node.dep_ == "ccomp" and node.head.i != node.i and frame.is_cue(node.head)


def _after_aside(verb: Token) -> bool:
    """``Ana Ruiz, asked about the deaths, said, "…"``: the parser made the participle of the
    aside the main verb and hung the cue on it; the aside's subject is the cue's."""
    head = verb.head
    return (
        verb.dep_ == "dep"
        and head.tag_ in ("VBN", "VBD")
        and head.i < verb.i
        and verb.doc[verb.i - 1].text == ","
        and verb.doc[head.i - 1].text == ","
    )


def _participle_speaker(verb: Token) -> tuple[bool, Span | None]:
    """The speaker a participle settles by itself, if it does (``True`` and the mention, or
    ``True`` and ``None`` when the speaker is not named), else ``(False, None)``."""
    agent = _passive_agent(verb)
    if agent is not None:
        return True, agent  # "asked by a reporter whether …": the one who asks
    if _shows(verb):
        return True, noun_phrase(verb.head)  # "a new poll showing …": the poll shows it
    if _asked(verb):
        return True, None  # "Asked whether …, Ruiz said": Ruiz was asked; who asked is not named
    return False, None


def _asked(verb: Token) -> bool:
    """Whether a cue is a passive participle on a clause (``Asked whether …,``, ``Pressed on …,``)
    whose subject is the one asked, not the asker."""
    return verb.tag_ == "VBN" and verb.dep_ == "advcl" and verb.lemma_.lower() in word_set("asking_verbs")


def unnamed_source(verb: Token) -> bool:
    """Whether a cue leaves its source unnamed on purpose: a question put to someone (``Asked
    whether …,``, ``When asked if …``, ``Ruiz was asked how …``) or a passive report (``I was
    told that …``, ``it was widely reported that …``); not ``asked by a reporter``."""
    lemma = verb.lemma_.lower()
    if verb.tag_ != "VBN" or _passive_agent(verb):
        return False
    if lemma in word_set("passive_report_verbs"):
        return any(c.dep_ == "auxpass" for c in verb.children)
    if lemma not in word_set("asking_verbs"):
        return False
    return verb.dep_ == "advcl" or any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _aside_subject(verb: Token) -> Span | None:
    """``Ana Ruiz, asked about the deaths, said``, parsed with the aside as a clause before the
    cue: the subject set off before the aside's participle is the cue's."""
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text != ",":
        return _name_before_aside(verb)
    for clause in verb.lefts:
        if clause.dep_ == "ccomp" and clause.tag_ in ("VBN", "VBD") and doc[clause.i - 1].text == ",":
            subjects = [c for c in clause.lefts if c.dep_ == "nsubj" and c.i == clause.i - 2]
            if subjects:
                return noun_phrase(subjects[0])
    return _name_before_aside(verb)


#: the most tokens an aside between a name and its cue may take (``, asked about …,``)
_MAX_ASIDE = 20


def _name_before_aside(verb: Token) -> Span | None:
    """``after Ana Ruiz, asked about the deaths, had said``, whatever the parse: a name, an aside
    opened by a participle and set off by commas, then the cue (with its auxiliaries)."""
    doc = verb.doc
    close = cue_span(verb).start - 1
    if close < 1 or doc[close].text != ",":
        return None
    for i in range(close - 1, max(0, close - _MAX_ASIDE), -1):
        if doc[i].text == ",":
            opener, name = doc[i + 1], doc[i - 1]
            named = name.pos_ == "PROPN" and name.ent_type_ not in _NOT_SPEAKERS
            if opener.tag_ not in ("VBN", "VBG", "VBD") or not named:
                return None
            return noun_phrase(name) if name.dep_ != "pobj" else doc[name.left_edge.i : name.i + 1]
    return None


def _shows(verb: Token) -> bool:
    """Whether a verb is a participle of evidence (``showing``, ``indicating``) on a noun."""
    return (
        verb.dep_ == "acl"
        and verb.tag_ == "VBG"
        and verb.lemma_.lower() in word_set("evidence_verbs")
        and verb.head.pos_ in ("NOUN", "PROPN")
    )


def _governing_verb(token: Token) -> Token | None:
    """The verb a noun phrase hangs on (``pointed to a case``: ``pointed``), if any."""
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            return ancestor
    return None


def _infinitive(verb: Token) -> bool:
    """Whether a verb is a to-infinitive (``to brag``)."""
    return any(c.dep_ == "aux" and c.lower_ in word_set("infinitive_markers") for c in verb.children)


def _passive_agent(verb: Token) -> Span | None:
    """The agent of a passive cue: ``asked by a reporter whether …`` → ``a reporter``; also with
    the one asked as subject (``Ruiz was asked by a reporter whether``), for a verb of asking."""
    if verb.tag_ != "VBN" or any(c.dep_ == "nsubj" for c in verb.children):
        return None
    asking = verb.lemma_.lower() in word_set("asking_verbs")
    if any(c.dep_ == "nsubjpass" for c in verb.children) and not asking:
        return None
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj" and _names_an_agent(c)]
            if objects:
                return noun_phrase(objects[0])
    return None


def _source_noun(token: Token) -> bool:
    """A noun naming a person, a body or a document (``woman``, ``union``, ``the statement``)."""
    lemma = token.lemma_.lower()
    return token.pos_ == "NOUN" and any(
        lemma in word_set(key)
        for key in ("role_nouns", "generic_person_nouns", "body_nouns", "document_nouns")
    )


def _names_an_agent(token: Token) -> bool:
    """``by a reporter``, ``by Ann``, ``by them``; not ``quoted by name``."""
    return token.pos_ in ("PROPN", "PRON") or any(c.dep_ in ("det", "poss") for c in token.children)


def _chosen_subject(
    frame: Frame, verb: Token, node: Token, subjects: list[Token], window: tuple[int, int] | None
) -> Span | None:
    # "The group's head, A B said": of two subjects, the one next to the cue
    before = [c for c in subjects if c.i < node.i]
    subject = before[-1] if before else subjects[0]
    if subject.lower_ in word_set("pronouns.relative") and node.dep_ == "relcl":
        return frame.doc[subject.i : subject.i + 1]  # as written; resolved to its antecedent
    span = noun_phrase(subject)
    if window is not None and not (window[0] <= span.start_char < window[1]):
        # the parser put a word of the quote (or elsewhere) in subject position
        return nearest_name(frame, verb, window)
    return span


def nearest_name(frame: Frame, verb: Token, window: tuple[int, int]) -> Span | None:
    """A proper noun or pronoun next to the cue: ``"…," said Smith`` parsed without a subject."""
    doc = frame.doc
    # "…," A B tells the Courier: the name after a verb of telling is its addressee
    after = () if verb.lemma_.lower() in word_set("addressee_verbs") else (verb.i + 1,)
    for i in (*after, verb.i - 1):
        if 0 <= i < len(doc) and window[0] <= doc[i].idx < window[1]:
            tok = doc[i]
            if tok.ent_type_ in _NOT_SPEAKERS:
                continue
            if i > verb.i and tok.dep_ == "det" and _source_noun(tok.head) and tok.head.i > i:
                return noun_phrase(tok.head)  # "…," said the woman, who …
            if tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in ("PERSON", "ORG", "NORP"):
                head = tok
                while (
                    head.head.i != head.i
                    and head.dep_ in ("compound", "flat")
                    and window[0] <= head.head.idx < window[1]
                ):
                    head = head.head
                return noun_phrase(head)
    return None


def phrase_before_cue(frame: Frame, verb: Token, window: tuple[int, int]) -> Span | None:
    """``"…," A B, a former chief of staff, said``: the words between quote and cue name the speaker.

    The parser sometimes hangs such a subject on the quote (as an apposition or attribute) and
    leaves the cue without one; a phrase that fills the whole gap, opens with a name, a pronoun
    or an article and holds no verb of its own is then the mention.
    """
    doc = frame.doc
    tokens = [t for t in frame.tokens_between(window[0], verb.idx) if not t.is_space]
    while tokens and (tokens[0].is_punct or all(ch in ALL_MARKS for ch in tokens[0].text)):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text != ")":
        tokens = tokens[:-1]
    if not tokens or len(tokens) > _MAX_GAP_MENTION or frame.inside_quote(tokens[0]):
        return None
    first = tokens[0]
    opens = first.pos_ in ("PROPN", "PRON") or first.ent_type_ in ("PERSON", "ORG", "NORP")
    if not (opens or first.lower_ in word_set("articles")) or first.ent_type_ in _NOT_SPEAKERS:
        return None
    if any(t.pos_ in ("VERB", "AUX") or t.text in SENTENCE_END for t in tokens):
        return None
    return doc[first.i : tokens[-1].i + 1]


def noun_phrase(token: Token) -> Span:
    """A mention as written: the subject's phrase without relative clauses, plus titles."""
    doc = token.doc
    left, right = token.i, token.i
    for child in token.children:
        if child.i < token.i and child.dep_ in _MENTION_LEFT:
            left = min(left, child.left_edge.i)
        elif (
            child.i > token.i
            and child.dep_ not in _MENTION_CUT
            or child.i > token.i
            and child.dep_ == "prep"
            and child.lower_ in word_set("mention_preps")
        ):
            right = max(right, child.right_edge.i)
    # titles the parser hangs elsewhere: "PM Ana Ruiz"
    titles = load_lexicon()["titles"]
    while left > 0 and doc[left - 1].lower_ in titles and doc[left - 1].dep_ not in ("ROOT",):
        left -= 1
    while right > left and (doc[right].is_punct or doc[right].dep_ == "cc") and doc[right].text not in ")":
        right -= 1
    # a closing mark the parser took into the phrase: «…,» officials said
    while left < right and (doc[left].is_punct or all(ch in ALL_MARKS for ch in doc[left].text)):
        left += 1
    return doc[left : right + 1]


def pobj_span(prep: Token) -> Span | None:
    """The mention a preposition governs (``according to X``), if any."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    if not objs:
        return None
    return noun_phrase(objs[0])


def last_subject_before(frame: Frame, offset: int) -> Span | None:
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
            and (tok.ent_type_ == "PERSON" or tok.lower_ in word_set("pronouns.singular_subject"))
        ):
            return noun_phrase(tok)
        i -= 1
    return None
