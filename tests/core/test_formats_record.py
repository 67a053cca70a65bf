"""The one quote record schema (core/formats/record.py) that every reader and writer uses."""

from __future__ import annotations

import pytest

from quotebench.core.formats.record import (
    INTERCHANGE_KEYS,
    PROJECT_KEYS,
    check_quote,
    stored_quote_record,
    table_row,
)
from quotebench.core.formats.suggestion_writers import CSV_COLUMNS
from quotebench.core.formats.tabular import QUOTE_COLUMNS
from quotebench.core.model import Evidence, Kind, Span, Speaker, SpeakerType, Suggestion

TEXT = 'Ann Lee said: "It works." She left.'
SUGGESTION = Suggestion(
    span=Span(14, 25, TEXT[14:25]),
    kind=Kind.DIRECT,
    cue=Span(8, 12, "said"),
    mention=Span(0, 7, "Ann Lee"),
    speaker="Ann Lee",
    speaker_type=SpeakerType.PERSON,
    confidence=0.91234,
    evidence=Evidence("direct.colon_intro", notes=("a note",)),
)


def test_a_suggestion_record_has_the_interchange_keys() -> None:
    record = SUGGESTION.to_json()
    assert tuple(record)[: len(INTERCHANGE_KEYS)] == INTERCHANGE_KEYS
    assert record["confidence"] == 0.912 and record["notes"] == ["a note"]
    assert record["speaker_confidence"] is None


def test_stored_record_is_the_interchange_schema_plus_the_project_fields() -> None:
    row = {
        "id": 7,
        "document_id": 1,
        "start": 14,
        "end": 25,
        "text": TEXT[14:25],
        "kind": "direct",
        "cue_start": 8,
        "cue_end": 12,
        "mention_start": 0,
        "mention_end": 7,
        "speaker_id": 3,
        "status": "accepted",
        "confidence": 0.9,
        "speaker_confidence": 0.7,
        "origin": "annotator:a",
        "rule": "",
        "note": "",
        "annotator": "a",
        "created": "t",
        "modified": "t",
    }
    record = stored_quote_record(row, TEXT, Speaker(3, "Ann Lee", SpeakerType.PERSON))
    assert set(record) == set(INTERCHANGE_KEYS) | set(PROJECT_KEYS)
    assert (record["speaker"], record["cue"], record["entity"]) == ("Ann Lee", "said", "Ann Lee")
    cells = dict(
        zip(QUOTE_COLUMNS, table_row(record, QUOTE_COLUMNS, document="d", document_id=1), strict=True)
    )
    assert (cells["mention"], cells["mention_start"], cells["speaker"], cells["speaker_type"]) == (
        "Ann Lee",
        0,
        "Ann Lee",
        "person",
    )


def test_both_tables_call_the_words_the_mention_and_the_person_the_speaker() -> None:
    other = Suggestion(
        **{**{f: getattr(SUGGESTION, f) for f in SUGGESTION.__slots__}, "speaker": "Dr Ann Lee"}
    )
    cells = dict(zip(CSV_COLUMNS, table_row(other.to_json(), CSV_COLUMNS, id="a"), strict=True))
    assert (cells["mention"], cells["speaker"], cells["quote"]) == ("Ann Lee", "Dr Ann Lee", TEXT[14:25])
    assert {"mention", "speaker"} <= set(QUOTE_COLUMNS)


def test_check_quote_reads_a_record_back() -> None:
    checked = check_quote(SUGGESTION.to_json(), TEXT)
    assert (checked["kind"], checked["_cue"], checked["_mention"]) == (Kind.DIRECT, (8, 12), (0, 7))
    assert check_quote({"start": 26, "end": 35}, TEXT)["kind"] is Kind.INDIRECT
    assert check_quote({"start": 14, "end": 25}, TEXT)["kind"] is Kind.DIRECT  # opens with a mark
    with pytest.raises(ValueError, match="confidence"):
        check_quote({"start": 14, "end": 25, "confidence": True}, TEXT)
