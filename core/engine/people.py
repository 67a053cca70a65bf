"""The article-wide list of people: their names, the parts of their names, and their gender.

A reader who met ``Ana Ruiz`` earlier takes a later ``Ruiz`` (whatever the recogniser tagged
it), ``Ana`` or ``Ms Ruiz`` for the same person, and a later ``she`` as compatible with her.
:class:`People` keeps what such a reader keeps: every full name, indexed by its last and first
word, and the gender the article gives each name (a gendered title, a gendered noun next to the
name, a first name from the lexicon's modest list, or a pronoun already resolved to it), and
the matcher of the cues that give a name an alias (``nicknamed``, ``known only as``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .lexicons import load_lexicon, word_set


def name_words(name: str) -> list[str]:
    """The lower-case words of a name without generational suffixes: ``A B Jr.`` → ``[a, b]``."""
    suffixes = word_set("name_suffixes")
    words = [w.strip(",").lower() for w in name.split()]
    while len(words) > 1 and words[-1] in suffixes:
        words.pop()
    return words


class People:
    """The people an article names, and what it says of their gender."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_last: dict[str, list[str]] = {}
        self._by_first: dict[str, list[str]] = {}
        self._headline_only: set[str] = set()
        for name in names:
            self.add(name)
        first_names: dict[str, list[str]] = load_lexicon()["first_names"]
        self._first_gender = {w: g for g, ws in first_names.items() for w in ws}
        self._gender: dict[str, str] = {}

    def add(self, name: str) -> None:
        """Record a full name (``Ana Ruiz``) under its last and its first word."""
        words = name_words(name)
        if not words:
            return
        for index, key in ((self._by_last, words[-1]), (self._by_first, words[0])):
            known = index.setdefault(key, [])
            if name not in known:
                known.append(name)

    def knows_part(self, word: str) -> bool:
        """Whether ``word`` is the last word of a person's name given in the article."""
        return word.lower() in self._by_last

    def fullest(self, name: str, gender: str | None = None) -> str:
        """The fullest name the article gives for ``name``.

        ``Ruiz`` → ``Ana Ruiz`` (same last word, containing it); ``Ana`` → ``Ana Ruiz`` when the
        article names a single person with that first name and nobody with that surname. A form
        that stands only in the headline and adds words before a name the article also uses
        (``Icon Ana Ruiz``, Title Case run into the name) gives way to that name. A ``gender``
        (from a title: ``Mrs. Ruiz``) passes over names of the other gender.
        """
        words = name_words(name)
        if not words:
            return name
        best = name
        for other in self._by_last.get(words[-1], ()):
            if name.lower() in other.lower() and len(other) > len(best):
                if gender is None or self._first_name_gender(other) in (gender, None):
                    best = other
        for other in self._by_last.get(words[-1], ()):
            # "Icon Morton Blackwell", a headline's words run into the name used throughout
            if best in self._headline_only and best.endswith(" " + other) and len(name_words(other)) > 1:
                best = other
        if best == name and len(words) == 1 and not self._full(self._by_last.get(words[0], [])):
            holders = self._full(self._by_first.get(words[0], []))
            if len({name_words(h)[-1] for h in holders}) == 1:
                best = max(holders, key=len)
        return best

    def note_headline_only(self, name: str) -> None:
        """Record that a name stands only in the headline, where Title Case runs words into names."""
        self._headline_only.add(name)

    @staticmethod
    def _full(names: list[str]) -> list[str]:
        return [n for n in names if len(name_words(n)) > 1]

    def note_gender(self, name: str, gender: str) -> None:
        """Record the gender the article gives a name (first evidence wins)."""
        words = name_words(name)
        if words:
            self._gender.setdefault(" ".join(words), gender)
            self._gender.setdefault(words[-1], gender)

    def _first_name_gender(self, full: str) -> str | None:
        """The gender a full name's first name gives (not the article's chain of pronouns, which
        may have gone astray, nor the surname, which two people may share)."""
        words = name_words(full)
        return self._first_gender.get(words[0]) if len(words) > 1 else None

    def gender_of(self, name: str) -> str | None:
        """``m``/``f`` when the first name or the article tells, else ``None``.

        A surname shared by people of both genders (two Clintons) tells nothing by itself.
        """
        words = name_words(name)
        if not words:
            return None
        if len(words) > 1 and words[0] in self._first_gender:
            return self._first_gender[words[0]]
        told = self._gender.get(" ".join(words)) or self._gender.get(words[-1])
        if told is not None:
            return told
        found = {
            self._first_gender.get(name_words(full)[0])
            for full in self._by_last.get(words[-1], ())
            if len(name_words(full)) > 1
        }
        return found.pop() if len(found) == 1 else None


@cache
def alias_matcher(vocab: Vocab) -> PhraseMatcher:
    """A PhraseMatcher for the lexicon's alias cues (``nicknamed``, ``known only as`` …), one per vocab."""
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for cue in load_lexicon()["alias_cues"]:
        matcher.add("ALIAS", [Doc(vocab, words=cue)])
    return matcher
