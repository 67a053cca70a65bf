"""Lexicons kept as data: reporting cues, quotation marks, titles, role and body nouns.

The rules in :mod:`core.extract` and :mod:`core.speakers` read these words from
``english.json`` rather than from code, so a researcher can extend them without touching the
rules. A lexicon is versioned (``"version": "quotebench.lexicon.v1"``).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_lexicon(name: str = "english") -> dict[str, Any]:
    """The lexicon ``name`` (a JSON file in this package), parsed once."""
    with resources.files(__name__).joinpath(f"{name}.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def word_set(key: str, name: str = "english") -> frozenset[str]:
    """A list-valued entry of the lexicon as a set of lower-case words."""
    return frozenset(w.lower() for w in load_lexicon(name)[key])
