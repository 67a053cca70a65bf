"""Properties of offsets over any text: stored quotes read back as ``text[start:end]``, bad
offsets are refused without a trace, brat fragments never cross a line, JSONL round-trips."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotebench.core.errors import StoreError
from quotebench.core.formats.brat import LINE_SEPARATORS, brat_fragments
from quotebench.core.formats.importers import import_paths
from quotebench.core.formats.jsonl import export_jsonl
from quotebench.core.model import Kind
from quotebench.core.project.store import Store

# any text but lone surrogates (not encodable) and NUL (refused, see test_nul_is_refused);
# emoji, combining marks and CR/LF included
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=80
).map(lambda t: t + "\r\n😀e\u0301")

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def store():
    with tempfile.TemporaryDirectory() as tmp, Store.create(Path(tmp) / "p.qb", annotator="h") as s:
        yield s


@SETTINGS
@given(text=texts, data=st.data())
def test_offsets_are_python_str_offsets(store, text, data):
    doc, _ = store.add_document(text)
    start = data.draw(st.integers(-2, len(text) + 2))
    end = data.draw(st.integers(-2, len(text) + 2))
    mention = data.draw(st.none() | st.tuples(st.integers(0, len(text)), st.integers(0, len(text))))
    before = len(store.history(limit=100_000))
    valid = 0 <= start < end <= len(text) and (mention is None or mention[0] <= mention[1])
    if valid:
        qid, _ = store.add_quote(doc, start, end, Kind.INDIRECT, mention=mention)
        assert store.quote(qid).text == text[start:end]
        store.delete_quote(qid)
    else:
        with pytest.raises(StoreError, match="E025"):
            store.add_quote(doc, start, end, Kind.INDIRECT, mention=mention)
        assert len(store.history(limit=100_000)) == before


@SETTINGS
@given(text=texts, data=st.data())
def test_brat_fragments_stay_on_one_line_and_cover_the_span(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    frags = brat_fragments(text, start, end)
    covered = "".join(text[s:e] for s, e in frags)
    # no fragment holds a line end of any kind str.splitlines knows (issue 8.14)
    assert all(start <= s < e <= end and text[s:e].splitlines() == [text[s:e]] for s, e in frags)
    pieces = re.split(f"[{LINE_SEPARATORS}]", text[start:end])
    assert covered == "".join(piece for piece in pieces if piece.strip())
    assert frags == sorted(frags)


@settings(max_examples=25, deadline=None)
@given(text=texts, data=st.data())
def test_any_text_and_quote_round_trip_through_jsonl(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    with tempfile.TemporaryDirectory() as tmp:
        with Store.create(Path(tmp) / "a.qb") as a:
            doc, _ = a.add_document(text, title=text[:5])
            sid, _ = a.add_speaker(
                data.draw(st.text(min_size=1, max_size=10).filter(str.strip)).replace("\x00", "x")
            )
            a.add_quote(doc, start, end, Kind.MIXED, speaker_id=sid, mention=(start, start), note=text[:3])
            first = io.StringIO()
            export_jsonl(a, first)
        path = Path(tmp) / "a.jsonl"
        path.write_text(first.getvalue(), encoding="utf-8", newline="")
        with Store.create(Path(tmp) / "b.qb") as b:
            import_paths(b, [path])
            second = io.StringIO()
            export_jsonl(b, second)
    assert second.getvalue() == first.getvalue()


def test_nul_is_refused(store):
    with pytest.raises(StoreError, match=r"\[E037\] the text has a NUL character \(U\+0000\) at offset 2"):
        store.add_document("ab\x00cd")


def test_lone_surrogate_is_refused(store):
    with pytest.raises(
        StoreError, match=r"\[E012\] not valid Unicode: a lone surrogate \(U\+DC00\) at character 1"
    ):
        store.add_document("a\udc00b")
