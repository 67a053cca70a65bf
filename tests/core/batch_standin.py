"""A stand-in engine for the batch tests: fast, and the same answers in every process.

Each stretch of text between straight double quotes is a direct quote. ``QB_STANDIN_DELAY``
(seconds per article) slows it down, so a run can be killed in the middle; an article holding
``BOOM`` makes it raise, as a bug in the engine would.
"""

from __future__ import annotations

import os
import re
import time

from quotebench.core.batch.work import Engine, EngineSpec
from quotebench.core.model import Evidence, Kind, Span, Suggestion

_QUOTE = re.compile(r'"[^"]*"')


def quotes(text: str) -> list[Suggestion]:
    """The stand-in's quotes of one text."""
    if "BOOM" in text:
        raise ValueError("the stand-in engine cannot read BOOM")
    return [
        Suggestion(span=Span(m.start(), m.end(), m.group()), kind=Kind.DIRECT, evidence=Evidence("stand-in"))
        for m in _QUOTE.finditer(text)
    ]


def load(spec: EngineSpec) -> Engine:
    """The stand-in engine (``stand_in="batch_standin:load"``)."""
    delay = float(os.environ.get("QB_STANDIN_DELAY", "0"))

    def extract(texts: list[str]) -> list[list[Suggestion]]:
        found = []
        for text in texts:
            time.sleep(delay)
            found.append(quotes(text))
        return found

    return Engine(extract, {"name": "stand-in", "version": "1"})
