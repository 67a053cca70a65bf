"""Properties of the engine on arbitrary text: it never fails, every offset points at its text,
and well-formed attributions are found (so an engine that finds nothing fails here too)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotebench.core.engine.pipeline import quotes_in
from quotebench.core.model import Kind

MARKS = list("\u201c\u201d\"\u00ab\u00bb\u2018\u2019'\u201e\u2039\u203a")
SPECIAL = [
    *MARKS,
    "\n",
    "\n\n",
    "\r\n",
    " ",
    ":",
    ",",
    ".",
    "\u2014",
    "\U0001f600",
    "\U0001f1ec\U0001f1e7",
    "e\u0301",
    "\u00a0",
]

# Free text: any characters, with quotation marks, line breaks and emoji made common.
free_text = st.lists(st.one_of(st.sampled_from(SPECIAL), st.characters()), max_size=300).map("".join)

# Text that looks like news, so the parser builds the structures the rules read (subjects,
# reporting verbs, complements) and the rules fire on odd mixtures of them.
WORDS = [
    "She",
    "he",
    "The mayor",
    "officials",
    "Ms Lee",
    "said",
    "told",
    "reporters",
    "added",
    "urged",
    "that",
    "they",
    "would",
    "win",
    "according to",
    "the plan",
    "was",
    "not",
    "ready",
    "\U0001f600",
    *MARKS,
    ":",
    ",",
    ".",
    "\n",
    "\n\n",
    "(",
    ")",
    "\u2014",
]
words_text = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)

# Sentences shaped like attributions ('X said: "…"', '"…," x said'), with any marks, matched or
# not, so most examples do give quotes and the offsets of real quotes are what is checked.
SUBJECTS = ["She", "The mayor", "Officials", "Ms Lee", "He", "The ministry", "Her lawyer"]
CUES = ["said", "told reporters", "added", "warned", "said that", "urged them to", "according to"]
clause = st.lists(
    st.sampled_from(
        ["we", "will", "win", "the", "vote", "not", "now", "\U0001f600", "\n", "it", "is", "late"]
    ),
    min_size=1,
    max_size=12,
).map(" ".join)
mark = st.sampled_from([*MARKS, ""])


def _attribution(parts: tuple[str, str, str, str, str, str, str, bool]) -> str:
    who, cue, sep, opening, content, closing, end, after = parts
    if after:
        return f"{opening}{content},{closing} {who.lower()} {cue}{end}"
    return f"{who} {cue}{sep} {opening}{content}{closing}{end}"


attribution = st.tuples(
    st.sampled_from(SUBJECTS),
    st.sampled_from(CUES),
    st.sampled_from([":", ",", "", " \u2014"]),
    mark,
    clause,
    mark,
    st.sampled_from([".", "", "!", "\n", "\n\n"]),
    st.booleans(),
).map(_attribution)
news_text = st.one_of(words_text, st.lists(attribution, min_size=1, max_size=6).map(" ".join))


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


PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# Well-formed attributions ('X said: "…."' / '"…," x said.'): each must give exactly its quote.
WELL_FORMED_SUBJECTS = [
    "She",
    "The mayor",
    "Officials",
    "Ms Lee",
    "He",
    "The ministry",
    "Her lawyer",
    "Dana Holt",
]
WELL_FORMED_CUES = ["said", "told reporters", "added", "warned"]
WELL_FORMED_CONTENTS = [
    "We will win the vote",
    "The plan is not ready",
    "It is too late for that",
    "Nobody will be left behind",
]
MATCHED_MARKS = [("\u201c", "\u201d"), ('"', '"')]


def _well_formed(
    who: str, cue: str, content: str, marks: tuple[str, str], after: bool
) -> tuple[str, str, str]:
    """An attribution with its quote, and the mention as written."""
    opening, closing = marks
    if after:
        mention = who if who in ("Ms Lee", "Dana Holt") else who[0].lower() + who[1:]
        quote = f"{opening}{content},{closing}"
        return f"{quote} {mention} {cue}.", quote, mention
    quote = f"{opening}{content}.{closing}"
    return f"{who} {cue}: {quote}", quote, who


well_formed = st.builds(
    _well_formed,
    st.sampled_from(WELL_FORMED_SUBJECTS),
    st.sampled_from(WELL_FORMED_CUES),
    st.sampled_from(WELL_FORMED_CONTENTS),
    st.sampled_from(MATCHED_MARKS),
    st.booleans(),
)


@pytest.mark.model
@PROPERTY
@given(case=well_formed, before=st.sampled_from(["", "The storm passed at dawn.\n", "Filler text here. "]))
def test_well_formed_attributions_give_their_quote(nlp, case: tuple[str, str, str], before: str) -> None:  # type: ignore[no-untyped-def]
    sentence, quote, mention = case
    text = before + sentence
    quotes = quotes_in(text, nlp)
    check(text, quotes)
    assert [(q.text, q.kind) for q in quotes] == [(quote, Kind.DIRECT)]
    (found,) = quotes
    assert found.start == text.index(quote) and found.end == found.start + len(quote)
    assert found.mention is not None and found.mention.text == mention
    assert text[found.mention.start : found.mention.end] == mention


@pytest.mark.model
def test_attribution_shaped_sentences_give_quotes(nlp) -> None:  # type: ignore[no-untyped-def]
    """The generated attribution-shaped texts below do give quotes: the checks are not vacuous."""
    rng = random.Random(5)
    found = 0
    for _ in range(40):
        who, cue = rng.choice(SUBJECTS), rng.choice(["said", "told reporters", "added"])
        content = " ".join(rng.choice(["we", "will", "win", "the", "vote", "now"]) for _ in range(5))
        text = f'{who} {cue}: "{content.capitalize()}."'
        quotes = quotes_in(text, nlp)
        check(text, quotes)
        found += bool(quotes)
    assert found >= 30


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
    import quotebench.core.engine.pipeline

    text = head + "\n" + "Filler paragraph without speech.\n" * 3 + tail
    saved = quotebench.core.engine.pipeline.MAX_CHARS
    quotebench.core.engine.pipeline.MAX_CHARS = 64  # a fixture-free monkeypatch: hypothesis reruns the body
    try:
        quotes = quotes_in(text, nlp)
    finally:
        quotebench.core.engine.pipeline.MAX_CHARS = saved
    check(text, quotes)


@pytest.mark.model
def test_no_crash_on_word_salad_with_titles_and_appositions(nlp) -> None:
    """Texts of shuffled news words (appositions with nothing left once titles go) parse cleanly."""
    rng = random.Random(3)
    words = [
        "the",
        "minister",
        "said",
        "that",
        "government",
        "officials",
        "told",
        "reporters",
        "a",
        "spokesperson",
        "for",
        "ministry",
        "added",
        "who",
        "according",
        "to",
        "sources",
        "council",
        "Mr.",
        "President",
        "Dr.",
        ",",
        "PM",
        "Sen.",
    ]
    for _ in range(60):
        picked = [rng.choice(words) for _ in range(120)]
        for i in range(0, len(picked), 30):
            picked[i] = "“" + picked[i]
            picked[min(i + 10, len(picked) - 1)] += ",” he said."
        text = " ".join(picked)
        for q in quotes_in(text, nlp, min_confidence=0.0):
            assert text[q.start : q.end] == q.text


@pytest.mark.model
def test_lone_surrogates_are_parsed_around_and_kept_in_quotes(nlp) -> None:
    text = 'Ann Lee said: "Yes \ud800 we will."\ud800'
    (quote,) = quotes_in(text, nlp)
    assert quote.text == '"Yes \ud800 we will."' == text[quote.start : quote.end]
    assert quotes_in("\ud800", nlp) == []
