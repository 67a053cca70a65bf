"""Properties of the engine on arbitrary text: it never fails, and every offset points at its text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from core.model import Kind
from core.pipeline import quotes_in

MARKS = list("\u201c\u201d\"\u00ab\u00bb\u2018\u2019'\u201e\u2039\u203a")
SPECIAL = [*MARKS, "\n", "\n\n", "\r\n", " ", ":", ",", ".", "\u2014", "\U0001f600", "\U0001f1ec\U0001f1e7", "e\u0301", "\u00a0"]

# Free text: any characters, with quotation marks, line breaks and emoji made common.
free_text = st.lists(st.one_of(st.sampled_from(SPECIAL), st.characters()), max_size=300).map("".join)

# Text that looks like news, so the parser builds the structures the rules read (subjects,
# reporting verbs, complements) and the rules fire on odd mixtures of them.
WORDS = [
    "She", "he", "The mayor", "officials", "Ms Lee", "said", "told", "reporters", "added", "urged",
    "that", "they", "would", "win", "according to", "the plan", "was", "not", "ready", "\U0001f600",
    *MARKS, ":", ",", ".", "\n", "\n\n", "(", ")", "\u2014",
]
news_text = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)


def check(text: str, quotes: list) -> None:  # type: ignore[type-arg]
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text), (q.start, q.end, len(text))
        assert text[q.start : q.end] == q.text
        assert isinstance(q.kind, Kind)
        assert 0.0 <= q.confidence <= 1.0
        for span in (q.cue, q.mention, q.evidence.antecedent):
            if span is not None:
                assert 0 <= span.start <= span.end <= len(text)
                assert text[span.start : span.end] == span.text
        record = q.to_json()
        assert text[record["start"] : record["end"]] == record["text"]


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.model
@PROPERTY
@given(text=free_text)
def test_any_text_gives_consistent_quotes(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    check(text, quotes_in(text, nlp))


@pytest.mark.model
@PROPERTY
@given(text=news_text)
def test_newslike_text_gives_consistent_quotes(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    check(text, quotes_in(text, nlp))


@pytest.mark.model
@PROPERTY
@given(head=news_text, tail=news_text)
def test_text_cut_in_parts_gives_consistent_quotes(nlp, head: str, tail: str) -> None:  # type: ignore[no-untyped-def]
    """Texts cut into parts give quotes with offsets into the whole text."""
    import core.pipeline

    text = head + "\n" + "Filler paragraph without speech.\n" * 3 + tail
    saved = core.pipeline.MAX_CHARS
    core.pipeline.MAX_CHARS = 64  # a fixture-free monkeypatch: hypothesis reruns the body
    try:
        quotes = quotes_in(text, nlp)
    finally:
        core.pipeline.MAX_CHARS = saved
    check(text, quotes)
