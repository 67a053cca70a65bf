"""Safe output paths and atomic writing (issue 8, points 1, 2, 3), TEI and brat fidelity (13, 14)
and the DocBin export's shards and memory (15)."""

from __future__ import annotations

import gc
import os
import re
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import quotebench.core.formats.docbin as docbin
import quotebench.core.formats.jsonl as jsonl
import quotebench.core.formats.tabular as tabular
import quotebench.core.formats.tei as tei
from quotebench.core.errors import QuotebenchError
from quotebench.core.formats import brat
from quotebench.core.formats.exporters import FORMATS, export
from quotebench.core.formats.output import (
    AtomicFile,
    AtomicFolder,
    check_output,
    input_files,
    project_files,
)
from quotebench.core.model import Kind
from quotebench.core.project.store import Store

PEOPLE = ("Mara Quill", "Tobin Ashgrove", "Ilse Varden")


def fill(store: Store, docs: int, nl: str = "\n", start: int = 0) -> None:
    """``docs`` invented articles with three quotes each, every quote with a speaker and mention."""
    ids = {s.name: s.id for s in store.speakers()}
    ids.update({name: store.add_speaker(name)[0] for name in PEOPLE if name not in ids})
    for n in range(start, start + docs):
        text = f"Harbour notes, issue {n}.{nl}"
        spans = []
        for i in range(3):
            who = PEOPLE[(n + i) % 3]
            mention = len(text)
            text += f"{who} said: "
            said = f'"The ferry to Lorn will run again, item {n}.{i}."'
            spans.append((len(text), len(text) + len(said), who, mention))
            text += said + nl
        doc_id, _ = store.add_document(text, title=f"notes {n}")
        for s, e, who, m in spans:
            store.add_quote(doc_id, s, e, Kind.DIRECT, mention=(m, m + len(who)), speaker_id=ids[who])


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    st = Store.create(tmp_path / "p.qbproj", annotator="tester")
    fill(st, 12)
    yield st
    st.close()


def refused(call: Any, *names: str) -> str:
    with pytest.raises(QuotebenchError) as info:
        call()
    message = str(info.value)
    assert message.startswith("[E06") and all(n in message for n in names), message
    return message


# --- 1, 2. protected paths -----------------------------------------------------------------------


def test_output_onto_the_project_in_any_spelling_is_refused(tmp_path: Path, monkeypatch: Any) -> None:
    project = tmp_path / "p.qbproj"
    project.write_bytes(b"SQLite format 3\x00")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link").symlink_to(project)
    os.link(project, tmp_path / "hard.xml")
    monkeypatch.chdir(tmp_path)
    protected = project_files(project)
    for out in (project, "sub/../p.qbproj", tmp_path / "link", tmp_path / "hard.xml", f"{project}-wal"):
        assert "[E060]" in refused(lambda out=out: check_output(out, protected))
    check_output(tmp_path / "other.xml", protected)  # not refused


def test_folder_output_holding_a_protected_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "deep").mkdir()
    project = tmp_path / "deep" / "p.qbproj"
    project.write_bytes(b"x")
    (tmp_path / "exports").mkdir()
    os.link(project, tmp_path / "exports" / "copy")
    protected = project_files(project)
    for out in (tmp_path, tmp_path / "deep", tmp_path / "exports"):
        refused(lambda out=out: check_output(out, protected, folder=True), "[E060]")
    check_output(tmp_path / "brat", protected, folder=True)
    check_output(tmp_path / "exports", protected)  # as a file path it is not the project


def test_inputs_of_a_run_include_the_files_a_folder_holds(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("x")
    (tmp_path / "in" / "b.bin").write_text("x")  # not read by the run
    os.link(tmp_path / "in" / "a.txt", tmp_path / "a-link.txt")
    protected = input_files([tmp_path / "in"])
    refused(lambda: check_output(tmp_path / "in" / "a.txt", protected), "an input of this run")
    refused(lambda: check_output(tmp_path / "a-link.txt", protected), "[E060]")
    check_output(tmp_path / "in" / "b.bin", protected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_onto_the_project_writes_nothing(store: Store, fmt: str) -> None:
    before = store.path.read_bytes()
    refused(lambda: export(store, fmt, store.path), "[E060]", "the project")
    assert store.path.read_bytes() == before
    assert store.stats()["quotes"] == 36


def test_csv_speakers_file_is_checked_too(store: Store, tmp_path: Path) -> None:
    # quotes to "p.csv" would put the speakers into "p-speakers.csv": make that the project
    project = store.path
    side = tmp_path / "x.csv"
    os.link(project, tmp_path / "x-speakers.csv")
    refused(lambda: export(store, "csv", side), "x-speakers.csv")
    assert not side.exists()


# --- 3. atomic writing ----------------------------------------------------------------------------


class Boom(Exception):
    pass


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("interrupt", [Boom, KeyboardInterrupt])
def test_atomic_file_keeps_the_previous_file_on_failure(tmp_path: Path, interrupt: type) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"previous\r\n")
    os.chmod(target, 0o640)
    with pytest.raises(interrupt), AtomicFile(target) as fh:
        fh.write("new " * 10_000)
        fh.flush()
        raise interrupt()
    assert target.read_bytes() == b"previous\r\n" and leftovers(tmp_path) == []
    with AtomicFile(target) as fh:
        fh.write("new\n")
    assert target.read_bytes() == b"new\n" and leftovers(tmp_path) == []
    assert (target.stat().st_mode & 0o777) == 0o640


def test_atomic_file_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    (tmp_path / "link.jsonl").symlink_to(real)
    with AtomicFile(tmp_path / "link.jsonl") as fh:
        fh.write("new\n")
    assert (tmp_path / "link.jsonl").is_symlink() and real.read_text() == "new\n"


def test_interrupted_atomic_file_keeps_the_marked_part(tmp_path: Path) -> None:
    target, partial = tmp_path / "q.jsonl", tmp_path / "q.partial.jsonl"
    target.write_text("previous\n")
    sink = AtomicFile(target, partial=partial)
    with pytest.raises(KeyboardInterrupt), sink as fh:
        fh.write("one\n")
        sink.mark()
        fh.write("half of tw")
        raise KeyboardInterrupt
    assert target.read_text() == "previous\n"
    assert sink.kept == partial and partial.read_text() == "one\n"


def test_atomic_folder_never_deletes_a_folder_it_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.txt").write_text("three years")
    refused(lambda: AtomicFolder(mine, brat.is_brat_export, "a brat export").__enter__(), "[E062]")
    assert (mine / "thesis.txt").read_text() == "three years" and leftovers(tmp_path) == []


def fail_after(monkeypatch: Any, module: Any, name: str, calls: int) -> None:
    """Make ``module.name`` raise on its ``calls``-th call: a failure in the middle of writing."""
    real = getattr(module, name)
    seen = [0]

    def failing(*args: Any, **kwargs: Any) -> Any:
        seen[0] += 1
        if seen[0] >= calls:
            raise Boom("in the middle of writing")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


# where each format can be made to fail half-way through its documents
BREAKS = {
    "jsonl": (jsonl, "compact"),
    "csv": (tabular, "table_row"),
    "brat": (brat, "brat_ann"),
    "tei": (tei, "_said"),
    "docbin": (docbin, "_doc"),
}


def snapshot(out: Path) -> dict[str, bytes]:
    if out.is_dir():
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    found = {out.name: out.read_bytes()}
    side = tabular.speakers_csv_path(out)
    if side.exists():
        found[side.name] = side.read_bytes()
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_failed_reexport_leaves_the_previous_export_identical(
    store: Store, tmp_path: Path, monkeypatch: Any, fmt: str
) -> None:
    (tmp_path / "exports").mkdir()
    out = tmp_path / "exports" / f"out.{fmt}"
    export(store, fmt, out)
    before = snapshot(out)
    fill(store, 3, start=100)  # the project changed: a new export would differ
    module, name = BREAKS[fmt]
    fail_after(monkeypatch, module, name, 8)
    with pytest.raises(Boom):
        export(store, fmt, out)
    assert snapshot(out) == before
    assert leftovers(tmp_path / "exports") == []


@pytest.mark.parametrize("fmt", ["brat", "docbin"])
def test_reexport_replaces_the_folder_whole(store: Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    export(store, fmt, out)
    first = snapshot(out)
    assert export(store, fmt, out, accepted_only=True).documents == 12
    assert snapshot(out).keys() == first.keys() and leftovers(tmp_path) == []


def test_export_that_cannot_write_is_a_coded_error(store: Store, tmp_path: Path) -> None:
    (tmp_path / "dir.jsonl").mkdir()
    refused(lambda: export(store, "jsonl", tmp_path / "dir.jsonl"), "[E061]", "dir.jsonl")


# --- 13. TEI --------------------------------------------------------------------------------------


def tei_texts(path: Path) -> dict[str, str]:
    root = ET.parse(path).getroot()
    return {
        div.get("{http://www.w3.org/XML/1998/namespace}id", ""): "".join(
            next(e for e in div if e.tag.endswith("}ab")).itertext()
        )
        for div in root.iter()
        if div.get("type") == "article"
    }


def test_tei_reads_back_crlf_and_lone_cr_texts_exactly(tmp_path: Path) -> None:
    with Store.create(tmp_path / "p.qbproj") as st:
        fill(st, 2, nl="\r\n")
        st.add_document("Old Mac text.\rSecond line.\r\rThird.", title="cr")
        texts = {f"doc{d.id}": st.document(d.id).text for d in st.documents()}
        export(st, "tei", tmp_path / "out.xml")
    assert any("\r\n" in t for t in texts.values()) and tei_texts(tmp_path / "out.xml") == texts
    assert b"\r" not in (tmp_path / "out.xml").read_bytes()


def test_tei_notes_the_characters_xml_cannot_hold(tmp_path: Path) -> None:
    text = 'Page one ends.\x0cMara Quill said: "Tab\x0bbed."\nEnd\x1f.'
    with Store.create(tmp_path / "p.qbproj") as st:
        doc_id, _ = st.add_document(text, title="pdf\x0c")
        start = text.index('"')
        st.add_quote(doc_id, start, start + 12, Kind.DIRECT)
        export(st, "tei", tmp_path / "out.xml")
    read = tei_texts(tmp_path / "out.xml")[f"doc{doc_id}"]
    assert len(read) == len(text)  # one for one: offsets do not move
    [note] = [e for e in ET.parse(tmp_path / "out.xml").iter() if e.get("type") == "replaced-characters"]
    listed = re.findall(r"(title )?(\d+): U\+([0-9A-F]{4})", note.text or "")
    rebuilt = list(read)
    for title, pos, cp in listed:
        if not title:
            assert rebuilt[int(pos)] == "\ufffd"
            rebuilt[int(pos)] = chr(int(cp, 16))
    assert "".join(rebuilt) == text
    assert ("title ", "3", "000C") in listed


# --- 14. brat -------------------------------------------------------------------------------------

SEPARATORS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def test_brat_fragments_hold_no_line_separator() -> None:
    text = "a" + "b".join(SEPARATORS) + "c"
    frags = brat.brat_fragments(text, 0, len(text))
    assert len(frags) == len(SEPARATORS) + 1
    for s, e in frags:
        assert text[s:e].splitlines() == [text[s:e]]


def test_brat_ann_read_with_splitlines_gives_every_annotation_back(tmp_path: Path) -> None:
    said = '"' + "".join(f"part {i}{sep}" for i, sep in enumerate(SEPARATORS)) + 'end."'
    text = f"Mara Quill said:\x0c {said}\r\nThe end.\u2028"
    with Store.create(tmp_path / "p.qbproj") as st:
        doc_id, _ = st.add_document(text, title="seps")
        sid, _ = st.add_speaker("Mara Quill")
        start = text.index(said)
        st.add_quote(doc_id, start, start + len(said), Kind.DIRECT, mention=(0, 10), speaker_id=sid)
        st.add_quote(doc_id, 0, 16, Kind.INDIRECT, cue=(11, 15))
        export(st, "brat", tmp_path / "out")
    [ann] = (tmp_path / "out").glob("*.ann")
    stored = ann.with_suffix(".txt").read_bytes().decode("utf-8")
    assert stored == text
    bound = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        ident, middle, *rest = line.split("\t")
        if ident.startswith("T"):
            label, where = middle.split(" ", 1)
            frags = [tuple(map(int, f.split())) for f in where.split(";")]
            assert rest == [" ".join(text[s:e] for s, e in frags)]
            bound.append((label, frags[0][0], frags[-1][1]))
    assert sorted(bound) == sorted(
        [("Quote", start, start + len(said)), ("Mention", 0, 10), ("Quote", 0, 16), ("Cue", 11, 15)]
    )


# --- 15. DocBin ------------------------------------------------------------------------------------


def read_docbin(folder: Path) -> list[Any]:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    return [
        doc
        for part in sorted(folder.glob("part-*.spacy"))
        for doc in DocBin().from_disk(part).get_docs(nlp.vocab)
    ]


def test_docbin_shards_hold_every_document_in_order(store: Store, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(docbin, "SHARD_DOCUMENTS", 5)
    export(store, "docbin", tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "part-00000.spacy",
        "part-00001.spacy",
        "part-00002.spacy",
    ]
    docs = read_docbin(tmp_path / "out")
    assert [d.user_data["quotebench"]["document_id"] for d in docs] == list(range(1, 13))
    assert [d.text for d in docs] == [store.document(i).text for i in range(1, 13)]
    assert all(len(d.spans["quotes"]) == 3 and len(d.spans["speakers"]) == 3 for d in docs)


def test_docbin_export_of_an_empty_project_is_one_empty_shard(tmp_path: Path) -> None:
    with Store.create(tmp_path / "p.qbproj") as st:
        export(st, "docbin", tmp_path / "out")
    assert read_docbin(tmp_path / "out") == []


def export_peak(store: Store, out: Path) -> int:
    """The most memory Python's allocators (numpy's and spaCy's included) held during the export."""
    gc.collect()  # garbage of earlier work is not the export's
    tracemalloc.start()
    try:
        export(store, "docbin", out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_docbin_export_memory_does_not_grow_with_the_project(tmp_path: Path, monkeypatch: Any) -> None:
    """Five times the documents: the sharded export's peak grows by a small part of what one
    DocBin for the whole project (the export before shards, measured in the same run) grows by."""
    import spacy

    spacy.blank("en")  # spaCy's imports and language data, outside the measure
    growth = {}
    with Store.create(tmp_path / "p.qbproj") as st:
        fill(st, 25)
        small = {}
        for shard in (25, 10**9):
            monkeypatch.setattr(docbin, "SHARD_DOCUMENTS", shard)
            small[shard] = export_peak(st, tmp_path / f"small-{shard}")
        fill(st, 100, start=25)
        for shard in (25, 10**9):
            monkeypatch.setattr(docbin, "SHARD_DOCUMENTS", shard)
            growth[shard] = export_peak(st, tmp_path / f"big-{shard}") - small[shard]
    assert growth[10**9] > 300_000, growth  # the measure sees a whole-project DocBin grow
    assert growth[25] < growth[10**9] / 4, growth
