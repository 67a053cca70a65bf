"""Storing many suggestions at once: batched writes, the same rules (issue 10, bug 4)."""

from __future__ import annotations

import random
import time

from generated import long_article

from quotebench.core.model import Status, Suggestion
from quotebench.core.project import suggestions as policy
from quotebench.core.project.store import Store, _Spans

PARA = 'Mr Smith said "we will go to the sea today" and he left. '


def _long(n: int) -> tuple[str, list[Suggestion]]:
    return long_article(n, PARA)


def test_three_thousand_suggestions_are_stored_at_once_with_their_history(tmp_path) -> None:
    text, suggestions = _long(3000)
    with Store.open(tmp_path / "p.qb", create=True) as store:
        doc, _ = store.add_document(text, title="long")
        store.save_suggestions(doc, suggestions[:10], "engine 1")
        t = time.perf_counter()
        changes = store.save_suggestions(doc, suggestions, "engine 2")
        elapsed = time.perf_counter() - t
        assert len(changes.quotes_added) == 3000
        assert len(changes.quotes_removed | changes.quotes_updated) == 10
        assert elapsed < 2.0  # ~0.1 s on a quiet machine; 45,000 statements took 5 s
        quotes = store.quotes_for(doc)
        assert [q.text for q in quotes[:2]] == [text[s.start : s.end] for s in suggestions[:2]]
        assert {q.status for q in quotes} == {Status.SUGGESTED}
        assert len({q.speaker_id for q in quotes}) == 40
        assert store.find_speaker("Smith") is not None  # the mention is an alias
        edit = store.history(quotes[5].id)[-1]  # its id was freed by the replaced run and reused
        assert (edit.action, edit.after["id"], edit.after["start"]) == (
            "suggest",
            quotes[5].id,
            quotes[5].start,
        )
        assert edit.after["status"] == "suggested"
        store.check()


def test_a_second_part_of_a_run_adds_to_the_first(tmp_path) -> None:
    text, suggestions = _long(20)
    with Store.open(tmp_path / "p.qb", create=True) as store:
        doc, _ = store.add_document(text, title="long")
        store.save_suggestions(doc, suggestions[:10], "engine")
        store.set_status([store.quotes_for(doc)[0].id], Status.ACCEPTED)
        store.save_suggestions(doc, suggestions[:5], "engine")  # replaces the untouched ones
        assert len(store.quotes_for(doc)) == 5
        store.save_suggestions(doc, suggestions[5:], "engine", replace=False)
        assert len(store.quotes_for(doc)) == 20
        store.save_suggestions(doc, suggestions[:1], "engine", replace=False)  # over the accepted one
        assert len(store.quotes_for(doc)) == 20


def test_spans_answer_as_the_rule_does() -> None:
    rng = random.Random(3)
    for _ in range(200):
        spans = []
        for _ in range(rng.randrange(0, 8)):
            s = rng.randrange(0, 50)
            spans.append((s, s + rng.randrange(0, 10)))
        index = _Spans(spans)
        for _ in range(20):
            s = rng.randrange(0, 60)
            e = s + rng.randrange(1, 10)
            assert index.any(s, e) == policy.overlaps_any(s, e, spans)
