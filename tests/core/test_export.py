"""Exports: the JSONL round trip is byte-identical; brat, DocBin, TEI and CSV read back."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from quotebench.core.formats.exporters import export
from quotebench.core.formats.importers import import_paths
from quotebench.core.formats.tei import TEI_NS, nest_quotes
from quotebench.core.model import Evidence, Kind, Span, SpeakerType, Status, Suggestion
from quotebench.core.project.store import Store

SEED = Path(__file__).resolve().parents[2] / "seeds" / "gb-news-russian-deserters.txt"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def handmade_suggestions(text: str) -> list[Suggestion]:
    """Suggestions built by hand (not by the engine): every span in straight or curly double
    quotation marks, attributed to made-up speakers through the word before it."""
    quotes = []
    for i, m in enumerate(re.finditer(r"[\"\u201c][^\"\u201c\u201d\n]{3,}[\"\u201d]", text)):
        before = text.rfind(" ", 0, max(0, m.start() - 2))
        word = re.search(r"\w+", text[before + 1 : m.start()])
        mention = Span(before + 1 + word.start(), before + 1 + word.end(), word.group()) if word else None
        quotes.append(
            Suggestion(
                span=Span(m.start(), m.end(), m.group()),
                kind=Kind.DIRECT,
                mention=mention,
                speaker=("Speaker A", "Ministry B", "Speaker C")[i % 3],
                speaker_type=(SpeakerType.PERSON, SpeakerType.ORGANISATION, SpeakerType.UNKNOWN)[i % 3],
                confidence=0.5 + i / 100,
                evidence=Evidence("handmade.marks"),
            )
        )
    assert len(quotes) >= 3, "the seed has quoted speech"
    return quotes


def build_project(path: Path, quotes: list[Suggestion] | None = None) -> Store:
    """New project, the seed imported, suggestions stored, some reviewed, a speaker edited,
    and hand-marked quotes that span lines, nest and cross."""
    store = Store.create(path, annotator="reviewer")
    import_paths(store, [SEED])
    [doc] = store.documents()
    text = store.document(doc.id).text
    store.save_suggestions(
        doc.id, quotes if quotes is not None else handmade_suggestions(text), "quotebench-engine test"
    )
    stored = store.quotes_for(doc.id)
    store.set_status([q.id for q in stored[::2]], Status.ACCEPTED)
    store.set_status([stored[1].id], Status.REJECTED)
    store.update_quote(stored[-1].id, note="=speaker unclear")
    sid = stored[0].speaker_id or store.add_speaker("Someone")[0]
    store.rename_speaker(sid, "Speaker Alpha")
    store.set_speaker_notes(sid, "-named in paragraph 2")
    store.add_alias(sid, "@alpha")
    # a quote over a paragraph break (brat fragments), one inside it (TEI nesting) and one
    # crossing its end (TEI note)
    nl = text.index("\n", 400)
    store.add_quote(doc.id, nl - 30, nl + 40, Kind.INDIRECT, mention=(nl - 30, nl - 25), speaker_id=sid)
    store.add_quote(doc.id, nl + 5, nl + 20, Kind.MIXED, speaker_id=sid)
    store.add_quote(doc.id, nl + 30, nl + 60, Kind.INDIRECT, note="+crossing")
    odd, _ = store.add_speaker('=HYPERLINK("http://x")', SpeakerType.ORGANISATION)
    store.add_quote(doc.id, 0, 10, Kind.INDIRECT, speaker_id=odd, status=Status.SUGGESTED)
    return store


@pytest.fixture()
def project(tmp_path):
    store = build_project(tmp_path / "one.qb")
    yield store
    store.close()


def test_jsonl_round_trip_is_byte_identical(project, tmp_path):
    first = tmp_path / "one.jsonl"
    export(project, "jsonl", first)
    with Store.create(tmp_path / "two.qb", annotator="someone else") as other:
        report = import_paths(other, [first])
        assert report.quotes == len(project.all_quotes())
        second = tmp_path / "two.jsonl"
        export(other, "jsonl", second)
        assert second.read_bytes() == first.read_bytes()
        # and the projects themselves agree
        assert other.all_quotes() == project.all_quotes()
        assert other.speakers() == project.speakers()
        assert [d for d in other.documents()] == project.documents()
    lines = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["quotebench_export"] == 1
    statuses = Counter(q["status"] for q in lines[1]["quotes"])
    assert statuses["accepted"] and statuses["rejected"] and statuses["suggested"]
    q = lines[1]["quotes"][0]
    assert lines[1]["text"][q["start"] : q["end"]] == q["text"]
    assert {"origin", "annotator", "created", "modified", "confidence", "entity", "speaker_start"} <= set(q)


def test_accepted_only(project, tmp_path):
    out = tmp_path / "acc.jsonl"
    result = export(project, "jsonl", out, accepted_only=True)
    quotes = json.loads(out.read_text(encoding="utf-8").splitlines()[1])["quotes"]
    accepted = [q for q in project.all_quotes() if q.status is Status.ACCEPTED]
    assert result.quotes == len(quotes) == len(accepted) > 0
    assert {q["status"] for q in quotes} == {"accepted"}


def test_csv_reads_back_and_guards_formulas(project, tmp_path):
    out = tmp_path / "quotes.csv"
    result = export(project, "csv", out)
    assert result.paths == (out, tmp_path / "quotes-speakers.csv")
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(project.all_quotes())
    text = project.document(1).text
    for row in rows:
        assert text[int(row["start"]) : int(row["end"])] == row["quote"] or row["quote"].startswith("'")
        for cell in row.values():
            assert cell[:1] not in ("=", "+", "-", "@"), cell
    notes = {row["note"] for row in rows}
    assert "'=speaker unclear" in notes and "'+crossing" in notes
    assert '\'=HYPERLINK("http://x")' in {row["speaker"] for row in rows}
    assert {row["annotator"] for row in rows} >= {"reviewer", "quotebench-engine test"}
    with open(tmp_path / "quotes-speakers.csv", encoding="utf-8", newline="") as fh:
        speakers = {row["name"]: row for row in csv.DictReader(fh)}
    assert speakers["Speaker Alpha"]["notes"] == "'-named in paragraph 2"
    assert speakers["Speaker Alpha"]["aliases"].startswith("'@alpha")
    assert int(speakers["Speaker Alpha"]["quotes"]) == project.find_speaker("Speaker Alpha").n_quotes


def read_brat(ann: str) -> tuple[dict, list, dict, list]:
    """A small brat standoff reader: text-bound annotations, relations, attributes, Equivs."""
    tbs, rels, attrs, equivs = {}, [], {}, []
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T"):
            label, _, where = fields[1].partition(" ")
            frags = [tuple(map(int, f.split())) for f in where.split(";")]
            tbs[fields[0]] = (label, frags, fields[2])
        elif line.startswith("R"):
            label, a1, a2 = fields[1].split()
            rels.append((label, a1.removeprefix("Arg1:"), a2.removeprefix("Arg2:")))
        elif line.startswith("A"):
            name, target, value = fields[1].split()
            attrs[(target, name)] = value
        elif line.startswith("*"):
            equivs.append(fields[1].split()[1:])
        else:
            assert line.startswith("#"), line
    return tbs, rels, attrs, equivs


def test_brat_reads_back_with_the_same_spans_and_links(project, tmp_path):
    out = tmp_path / "brat"
    export(project, "brat", out)
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "[entities]\nQuote\nCue\nMention" in conf and "Equiv\tArg1:Mention" in conf
    [txt] = out.glob("*.txt")
    text = txt.read_text(encoding="utf-8")
    assert text == project.document(1).text
    tbs, rels, attrs, equivs = read_brat(txt.with_suffix(".ann").read_text(encoding="utf-8"))
    for label, frags, shown in tbs.values():
        assert all("\n" not in text[s:e] for s, e in frags)
        assert shown == " ".join(text[s:e] for s, e in frags)
    by_span = {(frags[0][0], frags[-1][1]): tid for tid, (label, frags, _) in tbs.items() if label == "Quote"}
    speaker_of = {a: b for label, a, b in rels if label == "Speaker"}
    cue_of = {a: b for label, a, b in rels if label == "HasCue"}
    quotes = project.all_quotes()
    assert len(by_span) == len({(q.start, q.end) for q in quotes})
    multi_line = 0
    for q in quotes:
        tid = by_span[(q.start, q.end)]
        multi_line += len(tbs[tid][1]) > 1
        assert attrs[(tid, "Kind")] == q.kind.value and attrs[(tid, "Status")] == q.status.value
        if q.mention_start is not None:
            label, frags, _ = tbs[speaker_of[tid]]
            assert (label, frags[0][0], frags[-1][1]) == ("Mention", q.mention_start, q.mention_end)
        else:
            assert tid not in speaker_of
        if q.cue_start is not None:
            assert tbs[cue_of[tid]][1][0][0] == q.cue_start
    assert multi_line >= 1
    # one Equiv chain per speaker with several mentions, holding exactly those mentions
    mentions_by_speaker: dict[int, set] = {}
    for q in quotes:
        if q.mention_start is not None and q.speaker_id is not None:
            mentions_by_speaker.setdefault(q.speaker_id, set()).add(speaker_of[by_span[(q.start, q.end)]])
    expected = sorted(sorted(m) for m in mentions_by_speaker.values() if len(m) > 1)
    assert expected and sorted(sorted(e) for e in equivs) == expected


def test_docbin_loads_in_spacy_with_the_same_offsets(project, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    out = tmp_path / "q.spacy"
    export(project, "docbin", out)
    nlp = spacy.blank("en")
    assert sorted(p.name for p in out.iterdir()) == ["part-00000.spacy"]
    [doc] = list(DocBin().from_disk(out / "part-00000.spacy").get_docs(nlp.vocab))
    assert doc.text == project.document(1).text
    stored = project.all_quotes()
    records = doc.user_data["quotebench"]["quotes"]
    assert [(r["start"], r["end"], r["kind"], r["speaker"], r["status"]) for r in records] == [
        (q.start, q.end, q.kind.value, q.speaker_name, q.status.value) for q in stored
    ]
    spans = doc.spans["quotes"]
    assert len(spans) == len(stored)
    for span, q in zip(spans, stored, strict=True):
        assert span.label_ == q.kind.value
        # a span group holds whole tokens: the span covers the quote's words (not outer spaces)
        inner_start = q.start + len(q.text) - len(q.text.lstrip())
        inner_end = q.end - (len(q.text) - len(q.text.rstrip()))
        assert span.start_char <= inner_start < inner_end <= span.end_char
        assert q.text.strip() in span.text
    exact = sum(
        span.start_char == q.start and span.end_char == q.end for span, q in zip(spans, stored, strict=True)
    )
    assert exact >= len(stored) // 2  # quotation marks are their own tokens: most align exactly
    assert {s.label_ for s in doc.spans["speakers"]} <= {sp.name for sp in project.speakers()}


def test_tei_is_well_formed_with_unique_ids_and_speakers(project, tmp_path):
    out = tmp_path / "p.xml"
    result = export(project, "tei", out)
    root = ET.parse(out).getroot()
    ns = {"t": TEI_NS}
    ids = [el.get(XML_ID) for el in root.iter() if el.get(XML_ID)]
    assert len(ids) == len(set(ids))
    people = {el.get(XML_ID) for el in root.findall(".//t:particDesc/t:listPerson/t:person", ns)}
    orgs = {el.get(XML_ID) for el in root.findall(".//t:particDesc/t:listOrg/t:org", ns)}
    assert people and orgs and not people & orgs
    for sp in project.speakers():
        assert f"sp{sp.id}" in (orgs if sp.type is SpeakerType.ORGANISATION else people)
    said = root.findall(".//t:said", ns)
    assert said and all(el.get("who") is None or el.get("who")[1:] in people | orgs for el in said)
    ab = root.find(".//t:ab", ns)
    assert "".join(ab.itertext()) == project.document(1).text  # markup added, not a character lost
    notes = root.findall(".//t:note[@type='overlap']", ns)
    assert len(said) + len(notes) == len(project.all_quotes()) == result.quotes + len(notes)
    assert any(el.find("t:said", ns) is not None for el in said)  # the nested quote
    crossing = next(q for q in project.all_quotes() if q.note == "+crossing")
    assert [n.get("n") for n in notes] == [f"q{crossing.id}"]
    for el in said:
        q = project.quote(int(el.get(XML_ID)[1:]))
        assert "".join(el.itertext()) == q.text


def test_nest_quotes_handles_containment_and_crossing():
    from quotebench.core.model import Quote

    def a(i, s, e):
        return Quote(i, 1, s, e, "x", Kind.DIRECT, Status.ACCEPTED)

    roots, crossing = nest_quotes([a(1, 0, 10), a(2, 2, 5), a(3, 8, 14), a(4, 12, 20), a(5, 2, 5)])
    assert [n.quote.id for n in roots] == [1, 4]
    assert [c.quote.id for c in roots[0].children] == [2]
    assert [c.quote.id for c in roots[0].children[0].children] == [5]  # same span: nested
    assert [(q.id, other.id) for q, other in crossing] == [(3, 1)]


def test_unknown_format_is_an_error(project, tmp_path):
    from quotebench.core.errors import QuotebenchError

    with pytest.raises(QuotebenchError, match=r"\[E035\] unknown export format 'pdf'"):
        export(project, "pdf", tmp_path / "x")


@pytest.mark.model
def test_engine_suggestions_on_the_seed_round_trip(tmp_path):
    from quotebench.core.engine.pipeline import load_nlp, quotes_in

    text = SEED.read_text(encoding="utf-8")
    quotes = quotes_in(text, load_nlp())
    assert quotes, "the engine finds quotes in the seed"
    with build_project(tmp_path / "engine.qb", quotes) as store:
        suggested = [q for q in store.all_quotes() if q.origin == "quotebench-engine test"]
        assert len(suggested) > 0
        first = tmp_path / "a.jsonl"
        export(store, "jsonl", first)
    with Store.create(tmp_path / "b.qb") as other:
        import_paths(other, [first])
        export(other, "jsonl", tmp_path / "b.jsonl")
    assert (tmp_path / "b.jsonl").read_bytes() == first.read_bytes()
