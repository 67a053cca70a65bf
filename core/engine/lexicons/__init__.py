"""Lexicons and tables kept as data: reporting cues, quotation marks, titles, role and body
nouns (``english.json``), and every confidence the rules give (``confidences.json``).

The rules in :mod:`core.engine` read these words and numbers from the JSON files rather than
from code, so a researcher can extend or tune them without touching the rules. Each file is
versioned (``"version": "quotebench.lexicon.v1"``, ``"quotebench.confidences.v1"``).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_lexicon(name: str = "english") -> dict[str, Any]:
    """The lexicon ``name`` (a JSON file in this package), parsed once.

    Args:
        name: the file name without ``.json``.

    Returns:
        The parsed file.
    """
    with resources.files(__name__).joinpath(f"{name}.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def word_set(key: str, name: str = "english") -> frozenset[str]:
    """A list-valued entry of the lexicon as a set of lower-case words.

    Args:
        key: the entry; a dotted key (``"pronouns.relative"``) reads a nested list.
        name: the lexicon.

    Returns:
        The words, lower-cased.
    """
    entry: Any = load_lexicon(name)
    for part in key.split("."):
        entry = entry[part]
    return frozenset(w.lower() for w in entry)


def confidence(section: str, key: str) -> float:
    """A value of the confidence table (``confidences.json``).

    Args:
        section: ``"rules"`` (by rule id), ``"cases"``, ``"factors"`` or ``"speakers"``.
        key: the rule id or name within the section.

    Returns:
        The value, 0..1.

    Raises:
        KeyError: the table has no such value.
    """
    value: float = load_lexicon("confidences")[section][key]
    return value
