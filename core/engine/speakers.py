"""Speaker resolution: from a mention as written to the person or body it refers to.

A mention is resolved, in this order:

0. someone's words (``Her answer``, ``the company's statement``) to their owner;
1. a name in the mention (``PM Ana Ruiz`` → ``Ana Ruiz``; titles dropped), widened to
   the fullest name the article gives (``Ruiz`` → ``Ana Ruiz``);
2. an alias given to the mention's noun (``One volunteer, going by the nickname X`` / ``nicknamed
   X`` / ``known only as X``) or an apposition (``The group's head, A B``);
3. a pronoun to the nearest compatible mention before it, across sentences and paragraphs,
   subjects first, itself resolved the same way;
   gender and number agreeing along the chain (titles, gendered nouns, first names, pronouns
   already resolved); a one-word surname the recogniser tagged otherwise is the person named
   earlier (:mod:`~core.engine.people` keeps the article-wide list);
4. a role noun to the named holder of that role nearby (``Freedonia's prime minister`` … ``PM A B``),
   else ``the candidate`` / ``the 38-year-old`` to the most salient named person before it;
5. ``the commission`` to the latest body named with that head noun, or a bare ``the union`` to
   the fuller description given before it (``The teachers' union``); ``it`` to the body or
   document named before it;
6. otherwise the mention itself names a body, a document (``the report``) or an unnamed person
   (``German officials``).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from ..model import SpeakerType
from .clauses import clause_depth
from .lexicons import confidence, load_lexicon, word_set
from .marks import ALIAS_MARKS, QuoteRun
from .names import clean_name, names_someone, person_like, titled_names, widened
from .people import People, alias_matcher, name_words

_MAX_SENTENCES_BACK = 6
#: compatible mentions a pronoun or role noun is tried against before it is left unresolved
_MAX_TRIES = 12
_ROLE_WINDOW_AFTER = 2
_ROLE_WINDOW_BEFORE = 4
_NAME_LABELS = ("PERSON",)
_BODY_LABELS = ("ORG", "NORP", "GPE")
#: how many tokens back a fuller description of a body (``The teachers' union``) is looked for
_BODY_LOOKBACK = 400


@dataclass(frozen=True, slots=True)
class Resolution:
    """The speaker a mention refers to.

    Attributes:
        name: the fullest name the article gives, or the mention itself for unnamed bodies.
        type: person or organisation.
        confidence: how sure the resolution is, 0..1 (multiplied into the quote's; the values
            are the ``speakers`` section of ``lexicons/confidences.json``).
        antecedent: character offsets of the mention it was resolved through, if not itself.
        notes: how it was resolved, for the evidence.
    """

    name: str
    type: SpeakerType
    confidence: float
    antecedent: tuple[int, int] | None = None
    notes: tuple[str, ...] = ()


def _sure(way: str) -> float:
    """How sure one way of resolving a mention is (the confidence table's ``speakers``)."""
    return confidence("speakers", way)


class SpeakerResolver:
    """Resolves mentions within one document."""

    def __init__(self, doc: Doc, runs: Sequence[QuoteRun], text: str | None = None) -> None:
        self.doc = doc
        self.runs = runs
        self.text = doc.text if text is None else text  # Doc.text joins every token: read it once
        self._run_starts = [r.start for r in runs]
        lex = load_lexicon()
        self.titles: dict[str, str] = lex["titles"]
        self.person_pronouns = word_set("pronouns.person")
        self.plural_pronouns = word_set("pronouns.plural")
        self.relative_pronouns = word_set("pronouns.relative")
        # first and second person outside a quote is the writer; "it" is a body at most
        self.neuter_pronouns = word_set("pronouns.neuter")
        self.no_speaker_pronouns = (
            word_set("pronouns.first_person") | word_set("pronouns.second_person") | self.neuter_pronouns
        )
        self.no_antecedent = (
            self.no_speaker_pronouns | self.relative_pronouns | word_set("pronouns.no_antecedent")
        )
        self.gendered_titles: dict[str, str] = lex["gendered_titles"]
        self.pronoun_gender: dict[str, str] = lex["pronoun_gender"]
        self.role_nouns = word_set("role_nouns")
        self.document_nouns = word_set("document_nouns")
        self.report_nouns = word_set("report_nouns")
        self.generic_nouns = word_set("generic_person_nouns")
        self.gendered_nouns = {w: g for g, ws in lex["gendered_nouns"].items() for w in ws}
        self.body_nouns = word_set("body_nouns")
        self.news_verbs = word_set("news_source_verbs")  # "…, the Guardian reported."
        self._cache: dict[tuple[int, int], Resolution | None] = {}
        self._sentence_cache: dict[int, tuple[list[tuple[int, Span]], list[tuple[int, Span]]]] = {}
        self._depths: dict[int, int] = {}

    # --- document-wide indexes ------------------------------------------------------------

    def _inside_quote(self, token: Token) -> bool:
        i = bisect.bisect_right(self._run_starts, token.idx) - 1
        return i >= 0 and self.runs[i].start <= token.idx < self.runs[i].end

    @cached_property
    def _ents(self) -> list[Span]:
        return list(self.doc.ents)

    @cached_property
    def _ent_starts(self) -> list[int]:
        return [e.start for e in self._ents]

    def _ents_in(self, start: int, end: int) -> list[Span]:
        """Entities wholly inside tokens ``start..end`` (``Span.ents`` rescans the document)."""
        i = bisect.bisect_left(self._ent_starts, start)
        out = []
        while i < len(self._ents) and self._ents[i].start < end:
            if self._ents[i].end <= end:
                out.append(self._ents[i])
            i += 1
        return out

    @cached_property
    def _sents(self) -> list[Span]:
        return list(self.doc.sents)

    @cached_property
    def _sent_starts(self) -> list[int]:
        return [s.start for s in self._sents]

    def _sentence_index(self, token_i: int) -> int:
        return max(0, bisect.bisect_right(self._sent_starts, token_i) - 1)

    @cached_property
    def _names(self) -> list[tuple[Span, str]]:
        """Every person name the article gives outside quotes, with its clean form."""
        out = []
        for ent in self._ents:
            if self._is_person_ent(ent) and not self._inside_quote(ent[0]):
                clean = clean_name(widened(ent) if ent.label_ == "PERSON" else ent, self.text)
                if clean:
                    out.append((ent, clean))
        out += [(n, clean_name(n, self.text)) for n in titled_names(self.doc) if not self._inside_quote(n[0])]
        for _, name in self._aliases.values():
            out.append((self.doc[0:0], name))
        return out

    def _is_person_ent(self, ent: Span) -> bool:
        """A PERSON entity, or a name the recogniser mislabelled that a personal title opens.

        The small English pipeline tags ``PM A B`` or ``Mr A B`` as an organisation now and
        then; the title settles it.
        """
        if ent.label_ in _NAME_LABELS:
            return True
        first = ent[0].lower_
        return ent.label_ in ("ORG", "GPE", "NORP") and len(ent) >= 2 and first in self.titles

    @cached_property
    def people(self) -> People:
        """The people the article names, with the gender its titles and nouns give them."""
        people = People(name for _, name in self._names)
        headline = self.text.find("\n")  # a name seen only there may have words run into it
        for name in {n for _, n in self._names} - {n for s, n in self._names if s.start_char > headline}:
            people.note_headline_only(name)
        doc = self.doc
        for tok in doc:
            g = self.gendered_titles.get(tok.lower_) or self.gendered_nouns.get(tok.lower_)
            if g is None:
                continue
            j = tok.i + 1
            while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper():
                j += 1
            if j > tok.i + 1:
                people.note_gender(doc[j - 1].text, g)
        return people

    @cached_property
    def _aliases(self) -> dict[int, tuple[Span, str]]:
        """Noun head index → (name span, name) for ``X, nicknamed Y`` and appositions."""
        out: dict[int, tuple[Span, str]] = {}
        self._add_cued_aliases(out)
        self._add_appositions(out)
        self._add_paired_subjects(out)
        return {i: (span, name) for i, (span, name) in out.items() if name.strip()}

    def _add_cued_aliases(self, out: dict[int, tuple[Span, str]]) -> None:
        """``One volunteer, going by the nickname X``: an alias cue from the lexicon."""
        doc = self.doc
        done: set[int] = set()
        # longest cue first at each position: "known only as" before "known as"
        for _, start, end in sorted(alias_matcher(doc.vocab)(doc), key=lambda m: (m[1], m[1] - m[2])):
            if start in done:
                continue
            done.add(start)
            alias = self._capitalised_run(end)
            noun = self._noun_before(start)
            if alias is not None and noun is not None and noun.i not in out:
                out[noun.i] = (alias, alias.text)

    def _add_appositions(self, out: dict[int, tuple[Span, str]]) -> None:
        """``The group's head, A B`` / ``A B, the group's head``: a role noun next to a name."""
        for token in self.doc:
            if token.dep_ != "appos":
                continue
            head = token.head
            if self._is_name(token) and not self._is_name(head) and head.pos_ == "NOUN":
                out.setdefault(
                    head.i, (self._name_span(token), clean_name(self._name_span(token), self.text))
                )
            elif self._is_name(head) and token.pos_ == "NOUN":
                out.setdefault(token.i, (self._name_span(head), clean_name(self._name_span(head), self.text)))

    def _add_paired_subjects(self, out: dict[int, tuple[Span, str]]) -> None:
        """``The group's head, A B said``: two subjects of one verb, a noun and a name."""
        by_verb: dict[int, list[Token]] = {}
        for token in self.doc:
            if token.dep_ == "nsubj":
                by_verb.setdefault(token.head.i, []).append(token)
        for subjects in by_verb.values():
            if len(subjects) == 2:
                common, proper = subjects
                if common.pos_ == "NOUN" and self._is_name(proper):
                    span = self._name_span(proper)
                    out.setdefault(common.i, (span, clean_name(span, self.text)))

    def _capitalised_run(self, i: int) -> Span | None:
        doc = self.doc
        articles = word_set("alias_articles")
        while i < len(doc) and (doc[i].is_punct and doc[i].text in ALIAS_MARKS or doc[i].lower_ in articles):
            i += 1
        j = i
        while j < len(doc) and doc[j].text[:1].isupper() and not doc[j].is_punct:
            j += 1
        if j == i or j - i > 4:
            return None
        return doc[i:j]

    def _noun_before(self, i: int) -> Token | None:
        """The noun an alias phrase starting at token ``i`` describes."""
        doc = self.doc
        for k in range(i - 1, max(-1, i - 8), -1):
            tok = doc[k]
            if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("compound", "poss"):
                return tok
            if tok.text in ".!?":
                return None
        return None

    def _is_name(self, token: Token) -> bool:
        return token.ent_type_ in _NAME_LABELS or (
            token.pos_ == "PROPN" and token.ent_type_ not in _BODY_LABELS
        )

    def _name_span(self, token: Token) -> Span:
        if token.ent_type_:
            for ent in self._ents:
                if ent.start <= token.i < ent.end:
                    return ent
        left = token.i
        while (
            left > 0
            and self.doc[left - 1].dep_ in ("compound", "flat")
            and self.doc[left - 1].head.i == token.i
        ):
            left -= 1
        return self.doc[left : token.i + 1]

    def _fullest(self, name: str, mention: Span | None = None) -> str:
        """The fullest name the article gives (see :meth:`People.fullest`), of the gender of a
        title in the mention (``Mrs. Ruiz``)."""
        genders = [self.gendered_titles[t.lower_] for t in mention or () if t.lower_ in self.gendered_titles]
        return self.people.fullest(name, genders[0] if genders else None)

    # --- resolution ---------------------------------------------------------------------------

    def resolve(self, mention: Span, depth: int = 0) -> Resolution | None:
        """Resolve a mention (a span of the document) to its speaker."""
        key = (mention.start, mention.end)
        if key in self._cache:
            return self._cache[key]
        self._cache[key] = None  # guards against cycles while resolving
        result = self._resolve(mention, depth)
        self._cache[key] = result
        return result

    def _resolve(self, mention: Span, depth: int) -> Resolution | None:
        head = mention.root
        # 0. "Her answer", "the company's statement": the owner of the words
        owner = (
            [c for c in head.children if c.dep_ == "poss"] if head.lemma_.lower() in self.report_nouns else []
        )
        if owner:
            return self.resolve(self.doc[owner[0].left_edge.i : owner[0].right_edge.i + 1], depth + 1)
        # 1. a name in the mention
        named = self._named(mention, head)
        if named is not None:
            return named
        # 2. an alias or apposition on the mention's noun
        alias = self._alias_of(mention)
        if alias is not None:
            return alias
        # 3. a relative pronoun ("X, who said …") stands for the noun it modifies
        if head.lower_ in self.relative_pronouns and head.head.dep_ == "relcl":
            return self._resolve_relative(head, depth)
        # 4. a pronoun
        if head.pos_ == "PRON" or head.lower_ in self.person_pronouns | self.plural_pronouns:
            return self._resolve_pronoun(mention, head, depth)
        # 5. a role noun naming its holder nearby, or the most salient person before it
        if head.lemma_.lower() in self.role_nouns and head.tag_ in ("NN", "NNP") or self._age_noun(mention):
            holder = self._role_holder(mention, head)
            if holder is None and self._definite(mention) and head.lemma_.lower() not in self.generic_nouns:
                holder = self._salient_person(mention, head, depth)
            if holder is not None:
                return holder
        # 6. "the commission": the latest body named with that head noun
        if head.lemma_.lower() in self.body_nouns and self._definite(mention):
            body = self._body_by_head(mention, head)
            if body is not None:
                return body
        # 7. a body, a document or an unnamed person, named by the mention itself
        return self._as_written(mention, head)

    def _definite(self, mention: Span) -> bool:
        """``the candidate``: a definite article and nothing that names or counts anyone else."""
        words = [t for t in mention if not t.is_punct]
        if len(words) < 2 or words[0].lower_ not in word_set("alias_articles"):
            return False
        head = mention.root
        before = [t for t in words[1:] if t.i < head.i]
        after = [t for t in words if t.i > head.i]
        # "the Ruiz aide" names someone else before the head; "the spokesman for Ruiz" after it
        # ("the secretary of state": the head itself may be tagged a proper noun)
        return not any(names_someone(t) for t in before) and not any(
            t.ent_type_ == "PERSON" or t.dep_ == "poss" for t in after
        )

    def _age_noun(self, mention: Span) -> bool:
        """``the 38-year-old``: a person named by age."""
        text = mention.text.lower()
        return any(text.endswith(w) for w in word_set("age_nouns"))

    def _salient_person(self, mention: Span, head: Token, depth: int) -> Resolution | None:
        """``the candidate`` → the nearest named person before it, subjects and speakers first."""
        if depth > 3:
            return None
        wanted = self.gendered_nouns.get(head.lower_)
        tries = 0
        for candidate in self._candidates_before(mention):
            root = candidate.root
            named = root.pos_ == "PROPN" or root.ent_type_ in _NAME_LABELS
            if not (named or root.lower_ in self.pronoun_gender) or not self._compatible(candidate, False):
                continue
            tries += 1
            if tries > _MAX_TRIES:
                return None
            res = self.resolve(candidate, depth + 1)
            if res is None:
                continue
            person = res.type is SpeakerType.PERSON and self._is_known(res.name)
            if not (person or named and person_like(candidate)):
                continue  # a person named by name (the recogniser may have called it a body)
            found = self.people.gender_of(res.name)
            if wanted and found and wanted != found:
                continue
            return Resolution(
                res.name,
                SpeakerType.PERSON,
                _sure("role_by_salience"),
                res.antecedent or (candidate.start_char, candidate.end_char),
                (f"'{mention.text}' is the salient {res.name}",) + res.notes,
            )
        return None

    def _is_known(self, name: str) -> bool:
        words = name_words(name)
        return bool(words) and self.people.knows_part(words[-1])

    def _body_by_head(self, mention: Span, head: Token) -> Resolution | None:
        """``the commission`` → the latest body named before it whose name holds the mention's words."""
        wanted = {t.lower_ for t in mention if t.pos_ in ("NOUN", "ADJ", "PROPN")}
        for ent in reversed(self._ents_in(max(0, mention.start - 2000), mention.start)):
            if ent.label_ != "ORG" or self._inside_quote(ent[0]):
                continue
            if wanted <= {t.lower_ for t in ent}:
                name = clean_name(ent, self.text)
                return Resolution(
                    name,
                    SpeakerType.ORGANISATION,
                    _sure("body_by_head_noun"),
                    (ent.start_char, ent.end_char),
                    (f"'{mention.text}' is {name}",),
                )
        return self._fuller_description(mention, head)

    def _fuller_description(self, mention: Span, head: Token) -> Resolution | None:
        """``the union`` after ``The teachers' union welcomed …``: the nearest description of a
        body with the same head noun and words that say whose or which it is (``teachers'``,
        ``Obama``; not ``his`` or ``new``), outside quotes, a few paragraphs back at most."""
        if len([t for t in mention if not t.is_punct]) != 2:
            return None  # only a bare "the union": "the Turkish government" describes itself
        lemma = head.lemma_.lower()
        start = max(0, mention.start - _BODY_LOOKBACK)
        for tok in reversed(self.doc[start : mention.start]):
            if tok.lemma_.lower() != lemma or tok.tag_ != head.tag_ or self._inside_quote(tok):
                continue
            # words that name whose or which body it is ("teachers'", "Obama"), not "his" or "new"
            modifiers = [c for c in tok.lefts if c.dep_ in ("compound", "poss") and c.pos_ != "PRON"]
            if not modifiers:
                continue
            first = min(c.left_edge.i for c in modifiers)
            while self.doc[first].pos_ == "PRON":
                first += 1  # "its drivers' union": the pronoun points elsewhere
            dets = [c for c in tok.lefts if c.dep_ == "det" and c.i < first]
            phrase = self.doc[dets[0].i if dets else first : tok.i + 1]
            written = self._as_written(phrase, tok)  # named as it would be where it stands
            return Resolution(
                written.name,
                written.type,
                _sure("body_by_head_noun"),
                (phrase.start_char, phrase.end_char),
                (f"'{mention.text}' is {written.name}",),
            )
        return None

    def _named(self, mention: Span, head: Token) -> Resolution | None:
        """A person's name in the mention, widened to the fullest the article gives."""
        mention_ents = self._ents_in(mention.start, mention.end)
        # "Ruiz spokesman Ben Ode": the name holding the mention's head is the speaker
        mention_ents.sort(key=lambda e: not e.start <= head.i < e.end)
        for ent in mention_ents:
            if self._is_person_ent(ent):
                clean = clean_name(widened(ent) if ent.label_ == "PERSON" else ent, self.text)
                if clean:
                    return Resolution(self._fullest(clean, mention), SpeakerType.PERSON, _sure("name"))
        for ent in mention_ents:
            # a name the recogniser called a place or a body, known here as a person's alias
            clean = clean_name(ent, self.text)
            if clean and clean in {name for _, name in self._aliases.values()}:
                return Resolution(self._fullest(clean), SpeakerType.PERSON, _sure("name_known_as_alias"))
        if self._known_surname(head):
            return Resolution(self._fullest(head.text, mention), SpeakerType.PERSON, _sure("known_surname"))
        if head.pos_ == "PROPN" and head.ent_type_ not in _BODY_LABELS and not mention_ents:
            clean = clean_name(self._name_span(head), self.text)
            if clean and clean.lower() not in self.titles:
                return Resolution(self._fullest(clean, mention), SpeakerType.PERSON, _sure("proper_noun"))
        return None

    def _known_surname(self, token: Token) -> bool:
        """A one-word name (``Ruiz``) the recogniser did not call a person, matching one named earlier."""
        return (
            token.pos_ in ("PROPN", "NOUN", "ADJ")  # a surname opening a sentence may come tagged JJ
            and token.text[:1].isupper()
            and token.ent_type_ not in _NAME_LABELS
            and token.ent_type_ not in ("DATE", "TIME", "NORP")
            and not any(c.dep_ in ("compound", "flat") for c in token.children)
            and self.people.knows_part(token.text)
        )

    def _alias_of(self, mention: Span) -> Resolution | None:
        """The name an alias cue or an apposition gives the mention's noun."""
        for token in mention:
            if token.i in self._aliases:
                span, name = self._aliases[token.i]
                body = token.lemma_.lower() in self.body_nouns and token.lemma_.lower() not in self.role_nouns
                kind = SpeakerType.ORGANISATION if body else SpeakerType.PERSON
                return Resolution(self._fullest(name), kind, _sure("alias"), notes=(f"named {name} nearby",))
        return None

    def _resolve_relative(self, pronoun: Token, depth: int) -> Resolution | None:
        """``X, who said …``: the relative pronoun stands for the noun its clause modifies."""
        noun = pronoun.head.head
        span = self._name_span(noun) if self._is_name(noun) else self._phrase(noun)
        res = self.resolve(span, depth + 1)
        if res is None:
            return None
        return Resolution(
            res.name, res.type, res.confidence, res.antecedent or (span.start_char, span.end_char), res.notes
        )

    def _as_written(self, mention: Span, head: Token) -> Resolution:
        orgish = (
            head.ent_type_ in _BODY_LABELS
            or any(e.label_ in ("ORG", "NORP") for e in self._ents_in(mention.start, mention.end))
            or head.lemma_.lower() in self.body_nouns
            or head.tag_ in ("NNS", "NNPS")
        )
        # "a spokesman for Acme": one person, whatever body the mention names
        role = head.lemma_.lower() in self.role_nouns and head.tag_ in ("NN", "NNP")
        if role and head.ent_type_ not in _BODY_LABELS:
            kind = SpeakerType.PERSON
        else:
            kind = SpeakerType.ORGANISATION if orgish else SpeakerType.UNKNOWN
        if head.pos_ == "NOUN" and head.lemma_.lower() in self.document_nouns and not head.ent_type_:
            kind = SpeakerType.DOCUMENT  # "the report shows", "a new poll finds"
        words = [t for t in mention]
        while words and words[-1].is_punct:
            words = words[:-1]
        name = self.text[words[0].idx : words[-1].idx + len(words[-1].text)] if words else mention.text
        for suffix in load_lexicon()["possessive_suffixes"]:
            if name.lower().endswith(suffix):
                name = name[: -len(suffix)]
                break
        return Resolution(name, kind, _sure("as_written"))

    def _resolve_pronoun(self, mention: Span, pronoun: Token, depth: int) -> Resolution | None:
        if depth > 3:
            return None
        plural = pronoun.lower_ in self.plural_pronouns
        neuter = pronoun.lower_ in self.neuter_pronouns
        if pronoun.lower_ in self.no_speaker_pronouns and not neuter:
            return None  # first and second person outside a quote is the writer
        tries = 0
        for candidate in self._candidates_before(mention):
            if not (self._body_like(candidate) if neuter else self._compatible(candidate, plural)):
                continue  # "it said" stands for a body or a document, never a person
            tries += 1
            if tries > _MAX_TRIES:
                return None  # no reader looks further back than this for a pronoun's person
            res = self.resolve(candidate, depth + 1)
            if res is None or neuter and res.type is SpeakerType.PERSON:
                continue
            wanted = self.pronoun_gender.get(pronoun.lower_)
            found = self.people.gender_of(res.name) if res.type is SpeakerType.PERSON else None
            if wanted and found and wanted != found:
                continue  # "Ms A … Mr B … She said": she is A
            if wanted and res.type is SpeakerType.PERSON:
                self.people.note_gender(res.name, wanted)  # the chain agrees from here on
            kind = res.type
            if wanted and kind is SpeakerType.ORGANISATION and person_like(candidate):
                kind = SpeakerType.PERSON  # "he"/"she" settles a name the recogniser called a body
            ante = (candidate.start_char, candidate.end_char)
            return Resolution(
                res.name,
                kind,
                res.confidence * confidence("factors", "pronoun_hop"),
                res.antecedent or ante,
                (f"pronoun '{pronoun.text}' resolved to '{candidate.text}'",) + res.notes,
            )
        return None

    def _body_like(self, candidate: Span) -> bool:
        """Whether a mention names a body or a document (``Her office``, ``the report``)."""
        head = candidate.root
        nouns = self.body_nouns | self.document_nouns
        return head.ent_type_ == "ORG" or head.pos_ == "NOUN" and head.lemma_.lower() in nouns

    def _compatible(self, candidate: Span, plural: bool) -> bool:
        head = candidate.root
        if head.lower_ in self.no_antecedent:
            return False
        named = head.ent_type_ in _NAME_LABELS or self._known_surname(head)
        is_plural = not named and (head.tag_ in ("NNS", "NNPS") or head.lower_ in self.plural_pronouns)
        is_org = head.ent_type_ in ("ORG", "NORP") or head.lemma_.lower() in self.body_nouns
        if plural:
            return is_plural or is_org
        if (
            is_plural
            or not named
            and head.ent_type_ in ("GPE", "NORP", "LOC", "DATE", "CARDINAL", "MONEY", "PERCENT")
        ):
            # a nickname tagged a place, but given as an alias; a surname tagged a place is named above
            return head.i in self._aliases
        if head.pos_ == "PRON":
            return head.lower_ in word_set("pronouns.singular_antecedent")
        if named or head.i in self._aliases:
            return True
        if head.pos_ == "PROPN" and head.dep_ in ("nsubj", "nsubjpass"):
            return person_like(self._name_span(head))  # "Nadia Kovac met …", tagged ORG
        return head.lemma_.lower() in self.role_nouns

    def _candidates_before(self, mention: Span) -> list[Span]:
        """Mentions before ``mention``: per sentence, nearest first, subjects before others."""
        index = self._sentence_index(mention.start)
        out: list[Span] = []
        for k in range(index, max(-1, index - _MAX_SENTENCES_BACK), -1):
            subjects, others = self._sentence_candidates(k)
            out.extend(span for i, span in subjects if k < index or i < mention.start)
            out.extend(span for i, span in others if k < index or i < mention.start)
        return out

    def _sentence_candidates(self, k: int) -> tuple[list[tuple[int, Span]], list[tuple[int, Span]]]:
        """The mentions of sentence ``k`` outside quotes, built once per sentence.

        Subjects come first, the main clause's before those of its complements, nearest first
        within a depth; then the names and aliased nouns that are not subjects, nearest first.
        """
        cached = self._sentence_cache.get(k)
        if cached is not None:
            return cached
        subjects: list[tuple[int, Span]] = []
        others: list[tuple[int, Span]] = []
        depths = self._depths
        for token in reversed(self._sents[k]):
            if token.pos_ not in ("NOUN", "PROPN", "PRON", "ADJ") or self._inside_quote(token):
                continue
            if token.pos_ == "ADJ" and not self._known_surname(token):
                continue
            # a name the parser hung on a verb as a compound ("Scott bristles") is its subject
            misread_subject = (
                token.dep_ == "compound" and token.head.pos_ == "VERB" and token.i < token.head.i
            )
            if (
                token.dep_ == "poss"
                or token.dep_ in ("compound", "flat")
                and token.pos_ != "PRON"
                and not misread_subject
            ):
                continue
            span = self._phrase(token)
            if token.dep_ in ("nsubj", "nsubjpass") or misread_subject:
                subjects.append((token.i, span))
            elif (
                span.root.ent_type_ in _NAME_LABELS
                or span.root.i in self._aliases
                or self._known_surname(token)
            ):
                others.append((token.i, span))  # "Poole bristles at …" with Poole mis-parsed: still named
        # the subject of the main clause is the most salient; then nearest first (a stable sort)
        subjects.sort(key=lambda item: clause_depth(item[1].root, depths))
        root = self._sents[k].root  # "A was headed to Cairo, the Guardian reported.": A, then the outlet
        if root.lemma_.lower() in self.news_verbs and any(c.dep_ == "ccomp" for c in root.lefts):
            subjects.sort(key=lambda item: item[1].root.head.i == root.i)
        self._sentence_cache[k] = (subjects, others)
        return subjects, others

    def _phrase(self, token: Token) -> Span:
        left = token.i
        for child in token.lefts:
            if child.dep_ in ("compound", "det", "amod", "poss", "nummod", "flat"):
                left = min(left, child.left_edge.i)
        right = token.i
        return self.doc[left : right + 1]

    def _role_holder(self, mention: Span, head: Token) -> Resolution | None:
        """``Freedonia's prime minister`` → the person nearby titled as such (``PM A B``)."""
        role_words = {t.lemma_.lower() for t in mention if t.pos_ in ("NOUN", "ADJ", "PROPN")}
        sents = self._sents
        index = self._sentence_index(mention.start)
        order = list(range(index, min(len(sents), index + _ROLE_WINDOW_AFTER + 1)))
        order += list(range(index - 1, max(-1, index - _ROLE_WINDOW_BEFORE - 1), -1))
        for k in order:
            for ent in self._ents_in(sents[k].start, sents[k].end):
                if not self._is_person_ent(ent) or self._inside_quote(ent[0]):
                    continue
                if self._titled_as(ent, head, role_words):
                    clean = clean_name(ent, self.text)
                    if clean:
                        return Resolution(
                            self._fullest(clean),
                            SpeakerType.PERSON,
                            _sure("role_holder"),
                            (ent.start_char, ent.end_char),
                            (f"'{mention.text}' is the role of {clean}",),
                        )
        return None

    def _titled_as(self, ent: Span, head: Token, role_words: set[str]) -> bool:
        doc = self.doc
        titles: list[str] = []
        # titles before the name (inside the entity or just before it)
        for tok in ent:
            if tok.lower_ in self.titles:
                titles.append(self.titles[tok.lower_] or tok.lower_)
        k = ent.start - 1
        while k >= 0 and k >= ent.start - 3 and (doc[k].lower_ in self.titles or doc[k].pos_ == "ADJ"):
            titles.append(self.titles.get(doc[k].lower_, "") or doc[k].lower_)
            k -= 1
        # an apposition after the name: "A B, the prime minister"
        for tok in ent.root.children:
            if tok.dep_ == "appos":
                titles.append(" ".join(t.lemma_.lower() for t in tok.subtree))
        role = head.lemma_.lower()
        for title in titles:
            words = set(title.split())
            if role in words and (len(words) == 1 or words & (role_words - {role})):
                return True
        return False
