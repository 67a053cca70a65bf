"""Document metadata and speaker attributes: read from HTML, Markdown and JSONL, stored, and kept
by every export that can hold them."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from quotebench.core.errors import InputError, StoreError
from quotebench.core.formats.exporters import export
from quotebench.core.formats.importers import import_paths
from quotebench.core.formats.metadata import collect, front_matter, normalise_date
from quotebench.core.project.store import Store

PAGE = """<!doctype html>
<html><head>
<title>Harbour plan delayed | The Coastal Times</title>
<meta property="og:title" content="Harbour plan delayed">
<meta property="og:site_name" content="The Coastal Times">
<meta property="article:published_time" content="2021-03-04T09:15:00+01:00">
<meta name="author" content="Ines Varga">
<meta name="viewport" content="width=device-width">
<link rel="canonical" href="https://coastal.example/harbour">
</head><body><p>Mayor Lund said: "The works will start in June."</p></body></html>
"""

MARKDOWN = """---
title: "Rail strike ends"
publisher: Northern Post
date: 12 May 2022
authors:
  - Ana Ruiz
  - Tom Bell
section: transport
---
The union said the strike was over.
"""

LINES = [
    {
        "id": "np-001",
        "text": 'The minister said: "We will not move."',
        "meta": {"publisher": "Valley News", "publication_date": "2019-07-30", "title": "No move", "desk": 4},
        "quotes": [
            {"start": 19, "end": 38, "kind": "direct", "speaker": "the minister", "entity": "Rosa Kim"}
        ],
    },
    {
        "id": "np-002",
        "text": "A spokesman said the plant would close.",
        "site_name": "Hill Gazette",
        "published": "July 31, 2019",
        "url": "https://hill.example/plant",
    },
]


@pytest.fixture()
def project(tmp_path: Path) -> Store:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "rail.md").write_text(MARKDOWN, encoding="utf-8")
    (tmp_path / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in LINES), encoding="utf-8")
    store = Store.create(tmp_path / "p.qbproj")
    import_paths(store, [tmp_path / "page.html", tmp_path / "rail.md", tmp_path / "news.jsonl"])
    yield store
    store.close()


def by_title(store: Store) -> dict[str, dict]:
    return {d.title: {**store.document_metadata(d.id), "id": d.id} for d in store.documents()}


def test_html_meta_tags_become_metadata_and_the_title(project: Store) -> None:
    meta = by_title(project)["Harbour plan delayed | The Coastal Times"]
    assert meta["outlet"] == "The Coastal Times"
    assert meta["date"] == "2021-03-04T09:15:00+01:00"
    assert meta["author"] == "Ines Varga"
    assert meta["url"] == "https://coastal.example/harbour"
    # the og:title differs from <title>: kept, not lost; viewport is not metadata
    assert meta["meta"] == {"og:title": "Harbour plan delayed"}
    doc = project.document(meta["id"])
    assert doc.text == 'Mayor Lund said: "The works will start in June."'


def test_markdown_front_matter_is_metadata_and_not_text(project: Store) -> None:
    meta = by_title(project)["Rail strike ends"]
    found = (meta["outlet"], meta["date"], meta["author"])
    assert found == ("Northern Post", "2022-05-12", "Ana Ruiz; Tom Bell")
    assert meta["meta"] == {"section": "transport"}
    assert project.document(meta["id"]).text == "The union said the strike was over.\n"


def test_jsonl_meta_and_top_level_aliases(project: Store) -> None:
    found = by_title(project)
    first = found["No move"]  # meta.title is the title; the corpus's id is kept
    assert (first["outlet"], first["date"]) == ("Valley News", "2019-07-30")
    assert first["meta"] == {"desk": 4, "id": "np-001"}
    second = found["np-002"]
    assert (second["outlet"], second["date"], second["url"]) == (
        "Hill Gazette",
        "2019-07-31",
        "https://hill.example/plant",
    )


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2015-11-18", "2015-11-18"),
        ("2015-11", "2015-11"),
        ("2015", "2015"),
        ("18 November 2015", "2015-11-18"),
        ("Nov 18, 2015 10:30 PM", "2015-11-18T22:30:00"),
        ("2015-11-18T10:30:00Z", "2015-11-18T10:30:00+00:00"),
        ("not a date", None),
        ("2015-13", None),
    ],
)
def test_dates_are_normalised_to_iso_8601(written: str, iso: str | None) -> None:
    assert normalise_date(written) == iso


def test_an_unreadable_date_is_kept_in_meta() -> None:
    assert collect({"date": "sometime soon", "publisher": "X"}) == {
        "outlet": "X",
        "meta": {"date": "sometime soon"},
    }


def test_front_matter_that_is_not_simple_is_kept_whole() -> None:
    meta, body = front_matter("---\ntitle: A\n  nested: {x: 1}\n---\nBody.\n")
    assert meta == {"front_matter": "title: A\n  nested: {x: 1}\n"} and body == "Body.\n"


def test_metadata_round_trips_through_the_jsonl_export(project: Store, tmp_path: Path) -> None:
    sid = project.find_speaker("Rosa Kim").id
    project.set_speaker_attribute(sid, "Gender", "woman")
    project.set_speaker_attribute(sid, "party", "Green")
    export(project, "jsonl", tmp_path / "out.jsonl")
    with Store.create(tmp_path / "back.qbproj") as back:
        import_paths(back, [tmp_path / "out.jsonl"])
        assert by_title(back) == by_title(project)
        rosa = back.find_speaker("Rosa Kim").id
        assert back.speaker_attributes(rosa) == {"gender": "woman", "party": "Green"}
        export(back, "jsonl", tmp_path / "again.jsonl")
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "out.jsonl").read_bytes()


def test_csv_tei_and_brat_keep_the_metadata(project: Store, tmp_path: Path) -> None:
    sid = project.find_speaker("Rosa Kim").id
    project.set_speaker_attribute(sid, "gender", "woman")
    export(project, "csv", tmp_path / "q.csv")
    rows = list(csv.DictReader((tmp_path / "q.csv").open(encoding="utf-8")))
    assert [(r["outlet"], r["date"]) for r in rows] == [("Valley News", "2019-07-30")]
    speakers = list(csv.DictReader((tmp_path / "q-speakers.csv").open(encoding="utf-8")))
    assert [s["attributes"] for s in speakers if s["name"] == "Rosa Kim"] == ["gender=woman"]

    export(project, "tei", tmp_path / "p.xml")
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    root = ET.parse(tmp_path / "p.xml").getroot()
    bibls = root.findall(".//t:sourceDesc/t:listBibl/t:bibl", ns)
    assert len(bibls) == 4
    coastal = next(b for b in bibls if b.findtext("t:publisher", namespaces=ns) == "The Coastal Times")
    assert coastal.find("t:date", ns).get("when") == "2021-03-04T09:15:00+01:00"
    assert coastal.findtext("t:author", namespaces=ns) == "Ines Varga"
    target = coastal.get("corresp")
    div = root.find(f".//t:div[@{{http://www.w3.org/XML/1998/namespace}}id='{target[1:]}']", ns)
    assert div is not None and div.get("decls") == "#" + coastal.get(
        "{http://www.w3.org/XML/1998/namespace}id"
    )

    export(project, "brat", tmp_path / "brat")
    sidecars = sorted((tmp_path / "brat").glob("*.meta.json"))
    assert len(sidecars) == 4
    outlets = {json.loads(p.read_text(encoding="utf-8"))["outlet"] for p in sidecars}
    assert outlets == {"The Coastal Times", "Northern Post", "Valley News", "Hill Gazette"}
    export(project, "brat", tmp_path / "brat")  # its own earlier export is replaced, sidecars and all


def test_a_document_without_metadata_exports_as_before(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Plain text.", encoding="utf-8")
    with Store.create(tmp_path / "p.qbproj") as store:
        import_paths(store, [tmp_path / "a.txt"])
        export(store, "jsonl", tmp_path / "out.jsonl")
    line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[1])
    assert not {"outlet", "date", "meta"} & set(line)


def test_metadata_edits_are_checked_and_logged(project: Store) -> None:
    doc = project.documents()[0].id
    project.set_document_metadata(doc, {"outlet": "  The   Daily  "})
    assert project.document_metadata(doc)["outlet"] == "The Daily"
    assert project.history()[-1].table == "document_metadata"
    with pytest.raises(StoreError, match=r"\[E080\]"):
        project.set_document_metadata(doc, {"date": 2021})
    with pytest.raises(StoreError, match=r"\[E081\]"):
        project.set_speaker_attribute(project.speakers()[0].id, " ", "x")


def test_bad_speaker_attributes_in_an_export_are_refused(tmp_path: Path) -> None:
    header = {"quotebench_export": 1, "speakers": [{"id": 1, "name": "Ann", "attributes": {"age": 40}}]}
    (tmp_path / "bad.jsonl").write_text(json.dumps(header) + "\n", encoding="utf-8")
    with Store.create(tmp_path / "p.qbproj") as store:
        with pytest.raises(InputError, match=r"\[E086\]"):
            import_paths(store, [tmp_path / "bad.jsonl"])
        assert store.speakers() == []
