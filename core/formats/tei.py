"""TEI XML: speakers in the header's ``particDesc``, each document a ``<div>`` whose ``<ab>``
holds its text with ``<said who="#sp..">`` around each quote.

A quote inside another nests; a quote that crosses another cannot be an element and is listed
in a ``<note type="overlap">`` after the text.

The text read back by an XML parser equals the stored text, offset for offset: carriage returns
are written as ``&#13;``. The few characters XML 1.0 cannot hold at all (C0 controls but tab, line
feed and carriage return, such as the form feed of pdftotext output; U+FFFE, U+FFFF) are written
as U+FFFD, one for one, so offsets do not move, and listed with their offsets and code points in
a ``<note type="replaced-characters">`` of the document.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..model import Kind, Quote, Speaker, SpeakerType, Status
from ..project.store import Store
from .output import AtomicFile
from .project_quotes import documents_with_quotes, speakers_by_id

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _t(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def xml_text(s: str) -> str:
    """A string XML can hold: characters XML forbids become U+FFFD (one for one, so offsets stay)."""
    return _NOT_XML.sub("\ufffd", s)


def replaced_characters(s: str) -> list[tuple[int, str]]:
    """The characters of ``s`` that XML 1.0 cannot hold, even as references (``\x0b``, ``\x0c``,
    other C0 controls but tab, line feed and carriage return, U+FFFE, U+FFFF): their offsets and
    code points (``U+000C``)."""
    return [(m.start(), f"U+{ord(m.group()):04X}") for m in _NOT_XML.finditer(s)]


def _replacement_note(div: ET.Element, doc_id: int, title: str, text: str) -> None:
    """A ``<note type="replaced-characters">`` listing what :func:`xml_text` replaced in the
    document's text (and title), so the stored text can be rebuilt exactly."""
    in_text = replaced_characters(text)
    in_title = replaced_characters(title)
    if not in_text and not in_title:
        return
    parts = [f"{pos}: {cp}" for pos, cp in in_text] + [f"title {pos}: {cp}" for pos, cp in in_title]
    note = ET.SubElement(div, _t("note"), {"type": "replaced-characters", "target": f"#doc{doc_id}"})
    note.text = (
        "Characters XML 1.0 cannot hold, written as U+FFFD one for one "
        "(offset in the text: code point): " + ", ".join(parts)
    )


class _CarriageReturns:
    """A text sink that writes each carriage return as ``&#13;``: a raw one is read back by
    every XML parser as a line feed (XML 1.0, 2.11), which would shift the offsets."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, s: str) -> int:
        return self.out.write(s.replace("\r", "&#13;"))


@dataclass
class _Node:
    quote: Quote
    children: list[_Node]


def nest_quotes(quotes: Iterable[Quote]) -> tuple[list[_Node], list[tuple[Quote, Quote]]]:
    """Nest quotes by containment; a quote that crosses another (overlaps it without being
    inside it) cannot be an XML element and is returned with the quote it crosses."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    crossing: list[tuple[Quote, Quote]] = []
    for q in sorted(quotes, key=lambda q: (q.start, -q.end, q.id)):
        while stack and stack[-1].quote.end <= q.start:
            stack.pop()
        if stack and q.end > stack[-1].quote.end:
            crossing.append((q, stack[-1].quote))
            continue
        node = _Node(q, [])
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots, crossing


def _said(
    parent: ET.Element, text: str, start: int, end: int, nodes: list[_Node], speakers: dict[int, Speaker]
) -> None:
    last: ET.Element | None = None
    pos = start

    def put(chunk: str) -> None:
        if not chunk:
            return
        if last is None:
            parent.text = (parent.text or "") + xml_text(chunk)
        else:
            last.tail = (last.tail or "") + xml_text(chunk)

    for node in nodes:
        q = node.quote
        put(text[pos : q.start])
        attrs = {XML_ID: f"q{q.id}", "direct": "true" if q.kind is Kind.DIRECT else "false"}
        if q.speaker_id is not None and q.speaker_id in speakers:
            attrs["who"] = f"#sp{q.speaker_id}"
        attrs["ana"] = f"#kind-{q.kind.value} #status-{q.status.value}"
        el = ET.SubElement(parent, _t("said"), attrs)
        _said(el, text, q.start, q.end, node.children, speakers)
        last = el
        pos = q.end
    put(text[pos:end])


def tei_tree(store: Store, *, accepted_only: bool = False) -> tuple[ET.Element, int, int]:
    """The project as one TEI document: speakers in the header's ``particDesc``, each document
    a ``<div>`` whose ``<ab>`` holds its text with ``<said who="#sp..">`` around quotes."""
    speakers = speakers_by_id(store)
    tei = ET.Element(_t("TEI"))
    header = ET.SubElement(tei, _t("teiHeader"))
    file_desc = ET.SubElement(header, _t("fileDesc"))
    ET.SubElement(ET.SubElement(file_desc, _t("titleStmt")), _t("title")).text = xml_text(store.path.stem)
    ET.SubElement(
        ET.SubElement(file_desc, _t("publicationStmt")), _t("p")
    ).text = "Exported from a Quotebench project."
    source_desc = ET.SubElement(file_desc, _t("sourceDesc"))
    ET.SubElement(source_desc, _t("p")).text = "News articles with quotations and their speakers" + (
        " (accepted annotations only)." if accepted_only else " (all annotations, with their review status)."
    )
    if speakers:
        partic = ET.SubElement(ET.SubElement(header, _t("profileDesc")), _t("particDesc"))
        people = [s for s in speakers.values() if s.type is not SpeakerType.ORGANISATION]
        orgs = [s for s in speakers.values() if s.type is SpeakerType.ORGANISATION]
        for group, list_tag, item_tag, name_tag in (
            (people, "listPerson", "person", "persName"),
            (orgs, "listOrg", "org", "orgName"),
        ):
            if not group:
                continue
            listing = ET.SubElement(partic, _t(list_tag))
            for s in group:
                item = ET.SubElement(listing, _t(item_tag), {XML_ID: f"sp{s.id}"})
                if s.type is SpeakerType.UNKNOWN:
                    item.set("role", "unknown-type")
                ET.SubElement(item, _t(name_tag)).text = xml_text(s.name)
                for alias in s.aliases:
                    ET.SubElement(item, _t(name_tag), {"type": "alias"}).text = xml_text(alias)
                if s.notes:
                    ET.SubElement(item, _t("note")).text = xml_text(s.notes)
    text_el = ET.SubElement(tei, _t("text"))
    body = ET.SubElement(text_el, _t("body"))
    n_docs = n_quotes = 0
    bibls: list[ET.Element] = []
    for info, text, quotes in documents_with_quotes(store, accepted_only):
        div = ET.SubElement(body, _t("div"), {"type": "article", XML_ID: f"doc{info['id']}"})
        if info["metadata"]:
            bibls.append(_bibl(info))
            div.set("decls", f"#bibl-doc{info['id']}")
        ET.SubElement(div, _t("head")).text = xml_text(info["title"])
        ab = ET.SubElement(div, _t("ab"), {XML_SPACE: "preserve"})
        roots, crossing = nest_quotes(quotes)
        _said(ab, text, 0, len(text), roots, speakers)
        _replacement_note(div, info["id"], info["title"], text)
        for q, other in crossing:
            who = speakers[q.speaker_id].name if q.speaker_id in speakers else "no speaker"
            note = ET.SubElement(
                div, _t("note"), {"type": "overlap", "target": f"#doc{info['id']}", "n": f"q{q.id}"}
            )
            note.text = xml_text(
                f"Quote {q.id} ({q.kind.value}, {q.status.value}, {who}, "
                f"characters {q.start}-{q.end}) crosses "
                f"quote {other.id} and is not marked in the text: {q.text}"
            )
        n_docs += 1
        n_quotes += len(quotes) - len(crossing)
    if bibls:  # a sourceDesc holds paragraphs or bibliographic entries, not both
        (para,) = list(source_desc)
        source_desc.remove(para)
        listing = ET.SubElement(source_desc, _t("listBibl"))
        ET.SubElement(listing, _t("head")).text = para.text
        listing.extend(bibls)
    back = ET.SubElement(text_el, _t("back"))
    for name, values in (("kind", [k.value for k in Kind]), ("status", [s.value for s in Status])):
        grp = ET.SubElement(back, _t("interpGrp"), {"type": name})
        for v in values:
            ET.SubElement(grp, _t("interp"), {XML_ID: f"{name}-{v}"}).text = v
    ET.register_namespace("", TEI_NS)
    return tei, n_docs, n_quotes


def _bibl(info: dict[str, Any]) -> ET.Element:
    """A document's metadata as a ``<bibl>`` of the header's ``sourceDesc``: title, author,
    publisher (the outlet), date, the URL as a ``<ref>``, and each other key as a ``<note>``."""
    meta = info["metadata"]
    bibl = ET.Element(_t("bibl"), {XML_ID: f"bibl-doc{info['id']}", "corresp": f"#doc{info['id']}"})
    ET.SubElement(bibl, _t("title")).text = xml_text(info["title"])
    if meta.get("author"):
        ET.SubElement(bibl, _t("author")).text = xml_text(meta["author"])
    if meta.get("outlet"):
        ET.SubElement(bibl, _t("publisher")).text = xml_text(meta["outlet"])
    if meta.get("date"):
        ET.SubElement(bibl, _t("date"), {"when": xml_text(meta["date"])}).text = xml_text(meta["date"])
    if meta.get("url"):
        ET.SubElement(bibl, _t("ref"), {"target": xml_text(meta["url"])}).text = xml_text(meta["url"])
    for key, value in sorted((meta.get("meta") or {}).items()):
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
        ET.SubElement(bibl, _t("note"), {"type": "meta", "n": xml_text(key)}).text = xml_text(shown)
    return bibl


def export_tei(store: Store, path: Path, *, accepted_only: bool = False) -> tuple[int, int]:
    """Write the project as TEI XML (see :func:`tei_tree`), whole or not at all
    (:class:`.output.AtomicFile`). A carriage return is written ``&#13;``, so the text read back
    equals the stored text; a character XML 1.0 cannot hold at all is written U+FFFD and listed
    in the document's ``<note type="replaced-characters">``."""
    root, n_docs, n_quotes = tei_tree(store, accepted_only=accepted_only)
    header = root.find(_t("teiHeader"))
    if header is not None:  # only the header: the texts' whitespace is their content
        ET.indent(header, space="  ", level=1)
    with AtomicFile(path, newline="\n") as fh:
        fh.write("<?xml version='1.0' encoding='utf-8'?>\n")
        ET.ElementTree(root).write(_CarriageReturns(fh), encoding="unicode")
    return n_docs, n_quotes


def write_tei(store: Store, out: Path, *, accepted_only: bool = False) -> tuple[tuple[Path, ...], int, int]:
    """The TEI export (see :func:`tei_tree`): the file written, documents and quotes."""
    return (out,), *export_tei(store, out, accepted_only=accepted_only)
