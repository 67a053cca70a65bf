"""The rules that turn engine suggestions into quotes and speakers (core/project/suggestions.py)."""

from __future__ import annotations

from quotebench.core.model import Kind, Span, SpeakerType, Status, Suggestion
from quotebench.core.project import suggestions as policy


def test_a_pronoun_or_blank_mention_is_no_alias() -> None:
    text = "He said it. The  Mayor said so. "
    assert policy.mention_alias(text, 0, 2) is None
    assert policy.mention_alias(text, 31, 32) is None
    assert policy.mention_alias(text, 12, 22) == "The Mayor"


def test_only_an_unknown_type_is_replaced() -> None:
    assert policy.upgrades_type(SpeakerType.UNKNOWN, SpeakerType.PERSON)
    assert not policy.upgrades_type(SpeakerType.ORGANISATION, SpeakerType.PERSON)
    assert not policy.upgrades_type(SpeakerType.UNKNOWN, SpeakerType.UNKNOWN)


def test_untouched_suggestions_and_overlaps() -> None:
    assert policy.is_untouched({"status": "suggested", "created": "t", "modified": "t"})
    assert not policy.is_untouched({"status": "suggested", "created": "t", "modified": "u"})
    assert not policy.is_untouched({"status": "accepted", "created": "t", "modified": "t"})
    assert policy.overlaps_any(5, 10, [(9, 12)])
    assert not policy.overlaps_any(5, 10, [(10, 12), (0, 5)])


def test_a_suggestion_names_its_speaker_and_becomes_an_untouched_row() -> None:
    s = Suggestion(Span(0, 4, '"Hi"'), Kind.DIRECT, speaker="  ", confidence=0.12345)
    assert policy.speaker_name(s) is None
    row = policy.suggestion_row(s, 1, None, "engine", "t")
    assert (row["status"], row["confidence"], row["cue_start"], row["created"]) == (
        Status.SUGGESTED,
        0.123,
        None,
        "t",
    )
    assert policy.is_untouched(row)
