"""The ``quotebench`` component's output is plain data: docs holding quotes serialise.

``span._.quote`` is a dict of plain values (``Suggestion.to_json(exact=True)``), so ``Doc.to_bytes``, a
``DocBin`` with user data and ``nlp.pipe(..., n_process=2)`` carry the quotes unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from quotebench.core.engine.pipeline import quotes_in
from quotebench.core.model import Evidence, Kind, SpeakerType, Suggestion
from quotebench.core.model import Span as CharSpan

TEXTS = [
    'Mayor Lena Varga said: "We will rebuild the bridge before winter."',
    "Daniel Mercer runs the harbour office. He said that the boats would be replaced by May.",
    "Nothing was said here.",
    '"The ferry is late again," Karen Mills said, "and nobody tells us why."',
]


def quotes_of(doc: Doc) -> list[Suggestion]:
    """The doc's quotes, read back from ``span._.quote`` (a serialised list may come back a tuple)."""
    return [Suggestion.from_json(span._.quote) for span in doc.spans["quotes"]]


@pytest.fixture()
def with_component(nlp: Language) -> Iterator[Language]:
    nlp.add_pipe("quotebench")
    try:
        yield nlp
    finally:
        nlp.remove_pipe("quotebench")


def test_record_round_trip_keeps_every_field() -> None:
    text = 'He said: "Yes."'
    quote = Suggestion(
        span=CharSpan(9, 15, '"Yes."'),
        kind=Kind.DIRECT,
        cue=CharSpan(3, 7, "said"),
        mention=CharSpan(0, 2, "He"),
        speaker="Ana Ruiz",
        speaker_type=SpeakerType.PERSON,
        confidence=0.123456789,
        evidence=Evidence("direct.x_said_before", CharSpan(0, 2, "He"), ("a note",)),
    )
    record = quote.to_json(exact=True)
    assert text[record["start"] : record["end"]] == record["text"]
    assert record["entity"] == "Ana Ruiz" and record["speaker"] == "He" and record["cue"] == "said"
    assert record["confidence"] == 0.123456789  # not rounded, unlike the exported form
    assert Suggestion.from_json(record) == quote
    bare = Suggestion(CharSpan(0, 4, "Yes."), Kind.INDIRECT)
    assert Suggestion.from_json(bare.to_json(exact=True)) == bare


@pytest.mark.model
def test_record_keys_follow_the_interchange_schema(nlp: Language) -> None:
    (quote,) = quotes_in(TEXTS[0], nlp)
    record = quote.to_json(exact=True)
    exported = quote.to_json()
    assert set(exported) <= set(record)
    rounded = {"confidence", "speaker_confidence"}
    assert {k: v for k, v in record.items() if k in exported and k not in rounded} == {
        k: v for k, v in exported.items() if k not in rounded
    }


@pytest.mark.model
def test_component_values_are_plain(with_component: Language) -> None:
    doc = with_component(TEXTS[0])
    (span,) = doc.spans["quotes"]
    assert span._.quote["entity"] == "Lena Varga"
    assert span._.quote["kind"] == span.label_ == "direct"
    assert all(isinstance(v, str | int | float | list | dict | None) for v in span._.quote.values())


@pytest.mark.model
def test_doc_to_bytes_round_trip_keeps_the_quotes(with_component: Language) -> None:
    for text in TEXTS:
        doc = with_component(text)
        again = Doc(with_component.vocab).from_bytes(doc.to_bytes())
        assert quotes_of(again) == quotes_of(doc)
        assert [s.text for s in again.spans["quotes"]] == [s.text for s in doc.spans["quotes"]]
    assert quotes_of(with_component(TEXTS[0]))  # something was compared


@pytest.mark.model
def test_docbin_with_user_data_round_trip_keeps_the_quotes(with_component: Language) -> None:
    docs = list(with_component.pipe(TEXTS))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    again = list(DocBin().from_bytes(data).get_docs(with_component.vocab))
    assert [quotes_of(d) for d in again] == [quotes_of(d) for d in docs]
    assert sum(len(quotes_of(d)) for d in docs) >= 3


@pytest.mark.model
@pytest.mark.slow
def test_pipe_in_two_processes_gives_the_same_quotes(with_component: Language) -> None:
    one = [quotes_of(d) for d in with_component.pipe(TEXTS)]
    two = [quotes_of(d) for d in with_component.pipe(TEXTS, n_process=2, batch_size=1)]
    assert two == one
    assert one == [quotes_in(t, with_component) for t in TEXTS]
