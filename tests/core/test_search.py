"""Corpus-wide quote search (core.project.search, migration m009's full-text index)."""

from __future__ import annotations

import pytest

from quotebench.core.model import Kind, Status
from quotebench.core.project.store import Store

ONE = 'Ann Cole said: "The council will act on the budget." Then she left the hall.'
TWO = 'Bob Day replied, "No vote, no deal." The mayor said the deal was off.'


def _span(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return i, i + len(needle)


@pytest.fixture()
def corpus(tmp_path):
    with Store.create(tmp_path / "p.qbproj", annotator="tester") as s:
        a, _ = s.add_document(ONE, title="Budget")
        b, _ = s.add_document(TWO, title="Answer")
        ann, _ = s.add_speaker("Ann Cole")
        bob, _ = s.add_speaker("Bob Day")
        q1, _ = s.add_quote(
            a, *_span(ONE, '"The council will act on the budget."'), Kind.DIRECT, speaker_id=ann
        )
        q2, _ = s.add_quote(
            b, *_span(TWO, '"No vote, no deal."'), Kind.DIRECT, speaker_id=bob, status=Status.SUGGESTED
        )
        q3, _ = s.add_quote(b, *_span(TWO, "the deal was off"), Kind.INDIRECT, note="check Council minutes")
        yield s, {"q1": q1, "q2": q2, "q3": q3}


def test_words_match_text_speaker_and_note_case_insensitively(corpus):
    store, q = corpus
    assert store.search_ids(words=("council",)) == [q["q3"], q["q1"]]  # q3 by its note ("Answer" first)
    assert store.search_ids(words=("bob",)) == [q["q2"]]  # by speaker
    assert store.search_ids(words=("COUNC".casefold(), "budg")) == [q["q1"]]
    assert store.search_ids(words=("no",)) == [q["q2"]]  # a short word is scanned for, not indexed
    assert store.search_count(words=("deal",)) == 2


def test_field_terms_are_the_quote_tables(corpus):
    store, q = corpus
    assert store.search_ids((("status", "sug"),)) == [q["q2"]]
    assert store.search_ids((("kind", "ind"),)) == [q["q3"]]
    assert store.search_ids((("speaker", "none"),)) == [q["q3"]]
    assert store.search_ids((("speaker", "cole"),)) == [q["q1"]]
    assert store.search_ids((("note", "minutes"),)) == [q["q3"]]
    assert store.search_ids((("speaker", "nobody"),)) == []


def test_orders_and_keyword_in_context(corpus):
    store, q = corpus
    # by document title: "Answer" before "Budget", then by place in the text
    assert store.search_ids() == [q["q2"], q["q3"], q["q1"]]
    assert store.search_ids(order="document", descending=True)[0] == q["q1"]
    assert store.search_ids(order="speaker") == [q["q1"], q["q2"], q["q3"]]  # no speaker last
    assert store.search_ids(order="status")[0] == q["q2"]  # suggested first, as in the table
    (hit,) = store.search_hits([q["q1"]], context=15)
    assert (hit.document_title, hit.speaker, hit.status) == ("Budget", "Ann Cole", "accepted")
    assert hit.text == '"The council will act on the budget."'
    assert hit.before == "Ann Cole said:" and hit.after.startswith("Then she left")
    assert ONE[hit.start : hit.end] == hit.text


def test_index_follows_edits_deletes_and_undo(corpus):
    store, q = corpus
    quote = store.quote(q["q1"])
    store.delete_quote(q["q1"])
    assert store.search_ids(words=("budget",)) == []
    store.restore_quote(quote)
    assert store.search_ids(words=("budget",)) == [q["q1"]]
    store.set_status([q["q2"]], Status.REJECTED)
    assert store.search_ids((("status", "rej"),), ("vote",)) == [q["q2"]]
    store.check("integrity")
    integrity = store.db.conn.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('integrity-check')")
    assert integrity is not None  # raises if the index and the quotes disagree


def test_fts_is_in_an_upgraded_project(tmp_path):
    path = tmp_path / "p.qbproj"
    with Store.create(path) as s:
        doc, _ = s.add_document(ONE)
        s.add_quote(doc, *_span(ONE, '"The council will act on the budget."'), Kind.DIRECT)
    with Store.open(path) as s:
        assert s.search_count(words=("council",)) == 1
