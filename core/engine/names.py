"""Person names as the article writes them: where a name starts, and its clean form.

Pure functions over parsed spans, with the lexicon's titles, role words and body nouns: the
recogniser's person entities are widened to the given names it left out, and stripped of
titles, role words, articles and possessive endings.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .lexicons import word_set


def widened(ent: Span) -> Span:
    """A person entity with the given names the recogniser left out before it.

    ``Councillor Priya Malhotra`` may come tagged as ``Malhotra`` alone: capitalised proper
    nouns that compound with the name and are no title or role word belong to it.
    """
    doc = ent.doc
    titles, roles = word_set("titles"), word_set("role_nouns")
    start = ent.start
    while start > 0:
        tok = doc[start - 1]
        if not (
            tok.pos_ == "PROPN"
            and tok.text[:1].isupper()
            and not tok.ent_type_
            and tok.dep_ in ("compound", "flat")
            and ent.start <= tok.head.i < ent.end
            and tok.lower_ not in titles
            and tok.lemma_.lower() not in roles
        ):
            break
        start -= 1
    return doc[start : ent.end] if start < ent.start else ent


def clean_name(span: Span, text: str) -> str:
    """A name without titles, role words and possessive endings: ``PM A B's`` → ``A B``.

    Args:
        span: the name as parsed.
        text: the document's text (read once by the caller).
    """
    words = [t for t in span if not t.is_punct or t.text in "-."]
    titles, articles, roles = word_set("titles"), word_set("articles"), word_set("role_nouns")
    while words and (
        words[0].lower_ in titles
        or words[0].lower_ in articles
        or len(words) > 2
        and words[0].lower_ in roles  # "Superintendent A B"
    ):
        words = words[1:]
    endings = word_set("possessive_suffixes") | word_set("possessive_marks")
    while words and words[-1].lower_ in endings:
        words = words[:-1]
    if not words:
        return ""
    return text[words[0].idx : words[-1].idx + len(words[-1].text)]


def person_like(span: Span) -> bool:
    """Two to four capitalised proper nouns with no word of a body: ``Nadia Kovac``."""
    words = [t for t in span if not t.is_punct]
    if not 2 <= len(words) <= 4:
        return False
    bodies = word_set("body_nouns")
    return all(
        t.pos_ == "PROPN" and t.text[:1].isupper() and not t.text.isupper() and t.lemma_.lower() not in bodies
        for t in words
    )


def titled_names(doc: Doc) -> list[Span]:
    """Names a personal title opens that the recogniser missed: ``Mayor Ana Ruiz toured …``."""
    titles, out = word_set("titles"), []
    for tok in doc:
        if tok.lower_ not in titles or not tok.text[:1].isupper():
            continue
        j = tok.i + 1
        while j < len(doc) and doc[j].lower_ in titles and doc[j].text[:1].isupper():
            j += 1  # "Prime Minister …"
        end = j
        while end < len(doc) and end - j < 3 and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
            end += 1
        names = doc[j:end]
        if names and not any(t.ent_type_ for t in names):
            out.append(names)
    return out


#: Entity labels of places and peoples: a modifier that describes the one meant.
_PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})


def names_someone(token: Token) -> bool:
    """A modifier that names or counts somebody (``the Ruiz aide``, ``Ann's lawyer``, ``the two``).

    A place or a people (``the Ohio senator``, ``the French minister``) describes the one meant.
    """
    if token.ent_type_ in _PLACE_LABELS or token.ent_type_ == "DATE":
        return False  # "the Ohio senator", "the 45-year-old mayor" describe the one meant
    return token.pos_ == "PROPN" or token.dep_ == "poss" or bool(token.ent_type_)
