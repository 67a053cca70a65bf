"""Writing a project out: JSONL (lossless), CSV, brat standoff, TEI XML and spaCy ``DocBin``.

Every exporter reads the project through :class:`core.store.Store` and can write all quotes or
only the accepted ones. Outputs are deterministic (ordered by id, no export timestamp), so the
same project always exports to the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import Errors, QuotebenchError
from ..model import Kind, Quote, Speaker, SpeakerType, Status
from ..project.store import Store
from .importers import EXPORT_MARK

FORMATS = ("jsonl", "csv", "brat", "tei", "docbin")


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote."""

    paths: tuple[Path, ...]
    documents: int
    quotes: int


def _documents_with_quotes(
    store: Store, accepted_only: bool
) -> Iterator[tuple[dict[str, Any], str, list[Quote]]]:
    """Each document's row, text and quotes, by id; reads one text at a time."""
    quotes = store.iter_quotes()
    pending = next(quotes, None)
    for info, text in store.iter_documents():
        mine: list[Quote] = []
        # both streams are ordered by document id
        while pending is not None and pending.document_id <= info["id"]:
            if pending.document_id == info["id"] and (not accepted_only or pending.status is Status.ACCEPTED):
                mine.append(pending)
            pending = next(quotes, None)
        yield info, text, mine


def _speakers_by_id(store: Store) -> dict[int, Speaker]:
    return {s.id: s for s in sorted(store.speakers(), key=lambda s: s.id)}


# --- JSONL ---------------------------------------------------------------------------------


def _documents_with_rows(
    store: Store, accepted_only: bool
) -> Iterator[tuple[dict[str, Any], str, list[dict[str, Any]]]]:
    """Like :func:`_documents_with_quotes` with stored rows instead of records: the fast path
    for exports that only copy fields (JSONL, CSV)."""
    rows = store.iter_quote_rows(accepted_only=accepted_only)
    pending = next(rows, None)
    for info, text in store.iter_documents():
        mine: list[dict[str, Any]] = []
        while pending is not None and pending["document_id"] <= info["id"]:
            if pending["document_id"] == info["id"]:
                mine.append(pending)
            pending = next(rows, None)
        yield info, text, mine


def quote_record(q: dict[str, Any], text: str, speakers: dict[int, Speaker]) -> dict[str, Any]:
    """A stored quote row in the interchange schema, plus every field the project keeps."""
    sid = q["speaker_id"]
    sp = speakers.get(sid) if sid is not None else None
    ms, me, cs, ce = q["mention_start"], q["mention_end"], q["cue_start"], q["cue_end"]
    return {
        "quote_id": q["id"],
        "start": q["start"],
        "end": q["end"],
        "text": q["text"],
        "kind": q["kind"],
        "speaker": text[ms:me] if ms is not None else None,
        "speaker_start": ms,
        "speaker_end": me,
        "cue": text[cs:ce] if cs is not None else None,
        "cue_start": cs,
        "cue_end": ce,
        "entity": sp.name if sp else None,
        "entity_type": sp.type.value if sp else None,
        "speaker_id": sid,
        "confidence": q["confidence"],
        "status": q["status"],
        "origin": q["origin"],
        "rule": q["rule"],
        "note": q["note"],
        "annotator": q["annotator"],
        "created": q["created"],
        "modified": q["modified"],
    }


def export_jsonl(store: Store, out: IO[str], *, accepted_only: bool = False) -> tuple[int, int]:
    """Write the project as JSON Lines: a header line with the speakers, then one line per
    document with its text and quotes (interchange schema plus provenance).

    Importing it into a new project and exporting again gives the same bytes.

    Returns:
        How many documents and quotes were written.
    """
    speakers = _speakers_by_id(store)
    header = {
        EXPORT_MARK: 1,
        "schema": store.schema_version(),
        "accepted_only": accepted_only,
        "speakers": [
            {"id": s.id, "name": s.name, "type": s.type.value, "notes": s.notes, "aliases": list(s.aliases)}
            for s in speakers.values()
        ],
    }
    out.write(_compact(header) + "\n")
    n_docs = n_quotes = 0
    for info, text, rows in _documents_with_rows(store, accepted_only):
        record = {
            "id": info["title"],
            "document_id": info["id"],
            "title": info["title"],
            "source": info["source"],
            "sha256": info["sha256"],
            "imported_at": info["imported_at"],
            "suggested_by": info["suggested_by"],
            "suggested_at": info["suggested_at"],
            "text": text,
            "quotes": [quote_record(q, text, speakers) for q in rows],
        }
        out.write(_compact(record) + "\n")
        n_docs += 1
        n_quotes += len(rows)
    return n_docs, n_quotes


def _compact(obj: Any) -> str:
    # the same separators as SQLite's json_object, so a line reads as one style
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# --- CSV -----------------------------------------------------------------------------------

QUOTE_COLUMNS = (
    "quote_id",
    "document_id",
    "document",
    "start",
    "end",
    "quote",
    "kind",
    "cue_start",
    "cue_end",
    "cue",
    "mention_start",
    "mention_end",
    "mention",
    "speaker",
    "speaker_id",
    "speaker_type",
    "status",
    "annotator",
    "origin",
    "confidence",
    "note",
    "created",
    "modified",
)
SPEAKER_COLUMNS = ("speaker_id", "name", "type", "aliases", "notes", "quotes")


def safe_cell(value: Any) -> Any:
    """Neutralise a cell a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(
    store: Store, quotes_path: Path, speakers_path: Path, *, accepted_only: bool = False
) -> tuple[int, int]:
    """Write one row per quote, and one row per speaker to a second file."""
    speakers = _speakers_by_id(store)
    n_docs = n_quotes = 0
    with open(quotes_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(QUOTE_COLUMNS)
        for info, text, quotes in _documents_with_rows(store, accepted_only):
            n_docs += 1
            for q in quotes:
                rec = quote_record(q, text, speakers)
                row = {
                    **rec,
                    "document": info["title"],
                    "document_id": q["document_id"],
                    "quote": q["text"],
                    "mention_start": q["mention_start"],
                    "mention_end": q["mention_end"],
                    "mention": rec["speaker"],
                    "speaker": rec["entity"],
                    "speaker_type": rec["entity_type"],
                }
                writer.writerow([safe_cell(row[c]) for c in QUOTE_COLUMNS])
                n_quotes += 1
    with open(speakers_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SPEAKER_COLUMNS)
        for s in speakers.values():
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (s.id, s.name, s.type.value, "; ".join(s.aliases), s.notes, s.n_quotes)
                ]
            )
    return n_docs, n_quotes


# --- brat standoff -------------------------------------------------------------------------

BRAT_CONF = """\
[entities]
Quote
Cue
Mention

[relations]
# relation types are named apart from entity types (HasCue, not Cue), so no type name means two things
Speaker\tArg1:Quote, Arg2:Mention
HasCue\tArg1:Quote, Arg2:Cue
Equiv\tArg1:Mention, Arg2:Mention, <REL-TYPE>:symmetric-transitive
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
Kind\tArg:Quote, Value:direct|indirect|mixed
Status\tArg:Quote, Value:suggested|accepted|rejected
"""


def brat_fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span as brat fragments: brat's text-bound annotations cannot cross a newline, so a
    multi-line span becomes one fragment per line (empty or blank lines left out)."""
    out = []
    pos = start
    for piece in text[start:end].split("\n"):
        if piece.strip():
            out.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return out


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:40] or "document"


def brat_name(info: dict[str, Any]) -> str:
    """The file name (without suffix) of a document in a brat export."""
    return f"{info['id']:05d}-{_slug(info['title'])}"


def brat_ann(text: str, quotes: list[Quote], speakers: dict[int, Speaker]) -> str:
    """The ``.ann`` standoff of one document's quotes."""
    lines: list[str] = []
    ids: dict[tuple[str, int, int], str] = {}
    counters = {"T": 0, "R": 0, "A": 0, "#": 0}

    def next_id(prefix: str) -> str:
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    def textbound(label: str, start: int | None, end: int | None) -> str | None:
        if start is None or end is None:
            return None
        key = (label, start, end)
        if key in ids:
            return ids[key]
        frags = brat_fragments(text, start, end)
        if not frags:
            return None
        tid = next_id("T")
        where = ";".join(f"{s} {e}" for s, e in frags)
        lines.append(f"{tid}\t{label} {where}\t{' '.join(text[s:e] for s, e in frags)}")
        ids[key] = tid
        return tid

    groups: dict[int, list[str]] = {}
    grouped: set[str] = set()
    for q in quotes:
        qt = textbound("Quote", q.start, q.end)
        if qt is None:
            continue
        lines.append(f"{next_id('A')}\tKind {qt} {q.kind.value}")
        lines.append(f"{next_id('A')}\tStatus {qt} {q.status.value}")
        if q.speaker_id is not None and q.speaker_id in speakers:
            name = " ".join(speakers[q.speaker_id].name.split())
            lines.append(f"{next_id('#')}\tAnnotatorNotes {qt}\t{name}")
        ct = textbound("Cue", q.cue_start, q.cue_end)
        if ct is not None:
            lines.append(f"{next_id('R')}\tHasCue Arg1:{qt} Arg2:{ct}")
        mt = textbound("Mention", q.mention_start, q.mention_end)
        if mt is not None:
            lines.append(f"{next_id('R')}\tSpeaker Arg1:{qt} Arg2:{mt}")
            # a mention belongs to one chain only: brat merges chains that share a member
            if q.speaker_id is not None and mt not in grouped:
                grouped.add(mt)
                groups.setdefault(q.speaker_id, []).append(mt)
    for members in groups.values():
        if len(members) > 1:
            lines.append("*\tEquiv " + " ".join(members))
    return "".join(line + "\n" for line in lines)


def export_brat(store: Store, out_dir: Path, *, accepted_only: bool = False) -> tuple[int, int]:
    """Write ``<id>-<title>.txt`` and ``.ann`` per document and ``annotation.conf``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    speakers = _speakers_by_id(store)
    n_docs = n_quotes = 0
    for info, text, quotes in _documents_with_quotes(store, accepted_only):
        name = brat_name(info)
        # newline="" keeps the text byte for byte, so brat's offsets are the project's
        with open(out_dir / f"{name}.txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        with open(out_dir / f"{name}.ann", "w", encoding="utf-8", newline="") as fh:
            fh.write(brat_ann(text, quotes, speakers))
        n_docs += 1
        n_quotes += len(quotes)
    (out_dir / "annotation.conf").write_text(BRAT_CONF, encoding="utf-8")
    return n_docs, n_quotes


# --- TEI -----------------------------------------------------------------------------------

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _t(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def xml_text(s: str) -> str:
    """A string XML can hold: characters XML forbids become U+FFFD (one for one, so offsets stay)."""
    return _NOT_XML.sub("\ufffd", s)


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
    speakers = _speakers_by_id(store)
    tei = ET.Element(_t("TEI"))
    header = ET.SubElement(tei, _t("teiHeader"))
    file_desc = ET.SubElement(header, _t("fileDesc"))
    ET.SubElement(ET.SubElement(file_desc, _t("titleStmt")), _t("title")).text = xml_text(store.path.stem)
    ET.SubElement(
        ET.SubElement(file_desc, _t("publicationStmt")), _t("p")
    ).text = "Exported from a Quotebench project."
    ET.SubElement(ET.SubElement(file_desc, _t("sourceDesc")), _t("p")).text = (
        "News articles with quotations and their speakers"
        + (
            " (accepted annotations only)."
            if accepted_only
            else " (all annotations, with their review status)."
        )
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
    for info, text, quotes in _documents_with_quotes(store, accepted_only):
        div = ET.SubElement(body, _t("div"), {"type": "article", XML_ID: f"doc{info['id']}"})
        ET.SubElement(div, _t("head")).text = xml_text(info["title"])
        ab = ET.SubElement(div, _t("ab"), {XML_SPACE: "preserve"})
        roots, crossing = nest_quotes(quotes)
        _said(ab, text, 0, len(text), roots, speakers)
        for q, other in crossing:
            who = speakers[q.speaker_id].name if q.speaker_id in speakers else "no speaker"
            note = ET.SubElement(
                div, _t("note"), {"type": "overlap", "target": f"#doc{info['id']}", "n": f"q{q.id}"}
            )
            note.text = xml_text(
                f"Quote {q.id} ({q.kind.value}, {q.status.value}, {who}, characters {q.start}-{q.end}) crosses "
                f"quote {other.id} and is not marked in the text: {q.text}"
            )
        n_docs += 1
        n_quotes += len(quotes) - len(crossing)
    back = ET.SubElement(text_el, _t("back"))
    for name, values in (("kind", [k.value for k in Kind]), ("status", [s.value for s in Status])):
        grp = ET.SubElement(back, _t("interpGrp"), {"type": name})
        for v in values:
            ET.SubElement(grp, _t("interp"), {XML_ID: f"{name}-{v}"}).text = v
    ET.register_namespace("", TEI_NS)
    return tei, n_docs, n_quotes


def export_tei(store: Store, path: Path, *, accepted_only: bool = False) -> tuple[int, int]:
    """Write the project as TEI XML (see :func:`tei_tree`)."""
    root, n_docs, n_quotes = tei_tree(store, accepted_only=accepted_only)
    header = root.find(_t("teiHeader"))
    if header is not None:  # only the header: the texts' whitespace is their content
        ET.indent(header, space="  ", level=1)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return n_docs, n_quotes


# --- spaCy DocBin --------------------------------------------------------------------------


def export_docbin(store: Store, path: Path, *, accepted_only: bool = False) -> tuple[int, int]:
    """Write a spaCy ``DocBin``: per document a tokenised ``Doc`` (``spacy.blank("en")``) with
    quotes in ``doc.spans["quotes"]`` (label = kind), speaker mentions in
    ``doc.spans["speakers"]`` (label = speaker name), and every quote's exact character
    offsets, speaker and status in ``doc.user_data["quotebench"]``.

    Span groups hold token spans, so a quote boundary inside a token is widened to the token;
    ``user_data`` keeps the exact offsets.
    """
    import spacy  # here, so the other formats and the command line start fast
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    speakers = _speakers_by_id(store)
    bin_ = DocBin(store_user_data=True)
    n_docs = n_quotes = 0
    for info, text, quotes in _documents_with_quotes(store, accepted_only):
        doc = nlp.make_doc(text)
        spans, mentions, records = [], [], []
        for q in quotes:
            sp = speakers.get(q.speaker_id) if q.speaker_id is not None else None
            span = doc.char_span(q.start, q.end, label=q.kind.value, alignment_mode="expand")
            if span is not None:
                spans.append(span)
            if sp is not None and q.mention_start is not None and q.mention_end is not None:
                mention = doc.char_span(
                    q.mention_start, q.mention_end, label=sp.name, alignment_mode="expand"
                )
                if mention is not None:
                    mentions.append(mention)
            records.append(
                {
                    "id": q.id,
                    "start": q.start,
                    "end": q.end,
                    "kind": q.kind.value,
                    "status": q.status.value,
                    "speaker": sp.name if sp else None,
                    "speaker_id": q.speaker_id,
                    "speaker_type": sp.type.value if sp else None,
                    "cue": [q.cue_start, q.cue_end] if q.cue_start is not None else None,
                    "mention": [q.mention_start, q.mention_end] if q.mention_start is not None else None,
                    "confidence": q.confidence,
                    "origin": q.origin,
                }
            )
        doc.spans["quotes"] = spans
        doc.spans["speakers"] = mentions
        doc.user_data["quotebench"] = {
            "document_id": info["id"],
            "title": info["title"],
            "source": info["source"],
            "quotes": records,
        }
        bin_.add(doc)
        n_docs += 1
        n_quotes += len(quotes)
    bin_.to_disk(path)
    return n_docs, n_quotes


# --- one entry point -----------------------------------------------------------------------


def speakers_csv_path(quotes_path: Path) -> Path:
    """Where the speakers CSV goes next to the quotes CSV: ``quotes.csv`` -> ``quotes-speakers.csv``."""
    return quotes_path.with_name(f"{quotes_path.stem}-speakers.csv")


def export(
    store: Store, fmt: str, out: str | os.PathLike[str], *, accepted_only: bool = False
) -> ExportResult:
    """Export a project in one of :data:`FORMATS`.

    Args:
        fmt: ``jsonl``, ``csv`` (quotes to ``out``, speakers to ``<out stem>-speakers.csv``),
            ``brat`` (``out`` is a folder), ``tei`` or ``docbin``.
        out: where to write; ``"-"`` writes JSONL to standard output.

    Raises:
        QuotebenchError: unknown format (E035) or the output cannot be written.
    """
    if fmt not in FORMATS:
        raise QuotebenchError(Errors.E035.format(fmt=fmt))
    path = Path(out)
    try:
        if fmt == "jsonl":
            if str(out) == "-":
                import sys

                buf = io.StringIO()
                n_docs, n_quotes = export_jsonl(store, buf, accepted_only=accepted_only)
                sys.stdout.write(buf.getvalue())
                return ExportResult((), n_docs, n_quotes)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                n_docs, n_quotes = export_jsonl(store, fh, accepted_only=accepted_only)
            paths: tuple[Path, ...] = (path,)
        elif fmt == "csv":
            speakers_path = speakers_csv_path(path)
            n_docs, n_quotes = export_csv(store, path, speakers_path, accepted_only=accepted_only)
            paths = (path, speakers_path)
        elif fmt == "brat":
            n_docs, n_quotes = export_brat(store, path, accepted_only=accepted_only)
            paths = (path,)
        elif fmt == "tei":
            n_docs, n_quotes = export_tei(store, path, accepted_only=accepted_only)
            paths = (path,)
        else:
            n_docs, n_quotes = export_docbin(store, path, accepted_only=accepted_only)
            paths = (path,)
    except OSError as err:
        raise QuotebenchError(f"{out}: cannot write: {err.strerror or err}") from None
    return ExportResult(paths, n_docs, n_quotes)
