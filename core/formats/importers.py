"""Bringing articles and annotations into a project.

Inputs: ``.txt``, ``.md`` and ``.html`` files and folders of them, and JSON Lines files holding
articles (``id``, ``text``), articles with quotes in the quote interchange schema, or a
project's own export (see :mod:`.jsonl`); quote records are checked by :mod:`.record`.

An import is one transaction: if any input is bad, the project is left as it was and the
error names the file (and line). ``.txt``/``.md``/``.html`` files are read by
:mod:`.readers`; JSONL lines are read by the same line reader, and parsed here, because
their records may carry quotes and speakers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import Errors, InputError, QuotebenchError
from ..model import Changes, SpeakerType, Status
from ..project.lexicon import PRONOUNS
from ..project.store import Store, sha256
from ..project.suggestions import mention_alias
from .metadata import from_record
from .readers import (
    JSONL_SUFFIXES,
    MAX_BYTES,
    input_files,
    json_lines,
    os_error,
    read_articles,
    shown,
    text_too_large,
)
from .record import EXPORT_MARK, check_quote
from .schema import RecordError, check_record, parse_line


@dataclass
class Item:
    """One article read from an input, with the quotes and speakers it brings, if any."""

    source: str  # where it came from, for messages and the document's source
    line: int | None
    title: str
    text: str
    quotes: list[dict[str, Any]] = field(default_factory=list)
    origin: str = ""  # origin of its quotes
    document: dict[str, Any] | None = None  # a project export's document row (ids, times)
    metadata: dict[str, Any] = field(default_factory=dict)  # outlet, date, url, author, meta


@dataclass
class ExportHeader:
    """The first line of a project export: its speakers."""

    source: str
    speakers: list[dict[str, Any]]


@dataclass
class ImportReport:
    """What an import did.

    Attributes:
        added: ids of documents newly added.
        known: ``(input, id)`` for texts already in the project (found by their SHA-256).
        new_versions: ``(input, new id, earlier ids)`` for changed versions of known documents.
        quotes: how many quotes were added; ``duplicates`` how many were already there;
            ``ignored`` how many were left out (``quotes="ignore"``).
        changes: what the import touched.
    """

    added: list[int] = field(default_factory=list)
    known: list[tuple[str, int]] = field(default_factory=list)
    new_versions: list[tuple[str, int, list[int]]] = field(default_factory=list)
    quotes: int = 0
    duplicates: int = 0
    ignored: int = 0
    speakers: int = 0
    changes: Changes = field(default_factory=Changes)

    def lines(self) -> list[str]:
        """The report as lines for the user."""
        out = [
            f"{where}: a changed version of document {', '.join(map(str, old))} (same title and source), "
            f"added as new document {new}"
            for where, new, old in self.new_versions
        ]
        out += [
            f"{where}: already in the project as document {doc_id}, not added again"
            for where, doc_id in self.known
        ]
        summary = f"{_count(len(self.added), 'document')} imported"
        if self.known:
            summary += f", {len(self.known)} already in the project"
        if self.quotes or self.duplicates:
            summary += f"; {_count(self.quotes, 'annotated quote')} imported"
            if self.duplicates:
                summary += f", {self.duplicates} already there"
        if self.ignored:
            summary += f"; {_count(self.ignored, 'quote')} in the input left out"
        out.append(summary)
        return out


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


# --- reading -------------------------------------------------------------------------------


def expand(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to read: files as given, and the article and JSONL files in folders (sorted).

    Raises:
        InputError: the first path that cannot be read (:func:`.readers.input_files`): missing
            (E008), a link loop (E053), an unknown suffix (E007), an empty folder (E009), an
            unreadable folder or subfolder (E051), ...
    """
    out: list[Path] = []
    for found in input_files(paths):
        if isinstance(found, InputError):
            raise found
        out.append(found)
    return out


def read_article_file(path: Path) -> Item:
    """Read a ``.txt``, ``.md`` or ``.html`` file as one article (through :mod:`.readers`).

    Raises:
        InputError: empty (E001), binary (E002), not UTF-8 (E003), too large (E004), not a
            regular file (E050), unreadable (E052), ...
    """
    for result in read_articles([path]):
        if isinstance(result, InputError):
            raise result
        return Item(
            source=result.source or shown(path),
            line=None,
            title=result.title or result.id,
            text=result.text,
            metadata=dict(result.meta),
        )
    raise InputError(shown(path), Errors.E001)


def read_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The records of a JSONL file, parsed and checked against the record schema, one at a time
    (exports can be large), through the readers' one line reader.

    Raises:
        InputError: a line too long (E004), not UTF-8 (E003), not JSON (E005, E054), not an
            object (E005), not fitting the schema (E055, E012, E056); a file of no lines (E001).
    """
    where = shown(path)
    for number, line in json_lines(path, MAX_BYTES):
        if isinstance(line, InputError):
            raise line
        try:
            record = parse_line(line)
            if not isinstance(record, dict):
                raise RecordError(Errors.E005.format(detail="a line must hold an object"))
            if EXPORT_MARK not in record and not isinstance(record.get("text"), str):
                raise RecordError(Errors.E006)
            check_record(record)
        except RecordError as err:
            raise InputError(where, str(err), number) from None
        if (size := text_too_large(record.get("text") or "", MAX_BYTES)) is not None:
            raise InputError(where, Errors.E004.format(size=size, limit=MAX_BYTES), number)
        yield number, record


def read_jsonl(path: Path) -> Iterator[Item | ExportHeader]:
    """Read a JSON Lines file of articles, annotated articles or a project export.

    Raises:
        InputError: a line that is not a JSON object (E005), does not fit the record schema
            (E055, ...), has no text (E006), or has a bad quote (E034); the error names the line.
    """
    where = shown(path)
    origin = f"import:{shown(path.name)}"
    export = False
    for number, record in read_records(path):
        if EXPORT_MARK in record:
            export = True
            yield ExportHeader(where, record.get("speakers") or [])
            continue
        body: str = record["text"]
        if not body.strip():
            raise InputError(where, Errors.E001, number)
        if export and record.get("sha256") not in (None, sha256(body)):
            raise InputError(where, Errors.E034.format(detail="sha256 does not match the text"), number)
        metadata = from_record(record, export=export)
        title = metadata.pop("title", None) or next(
            (str(record[k]) for k in ("title", "id") if record.get(k) is not None),
            f"{shown(path.stem)}:{number}",
        )
        if not export and record.get("id") is not None and str(record["id"]) != title:
            metadata.setdefault("meta", {}).setdefault("id", record["id"])  # the corpus's own id
        checked = []
        for i, q in enumerate(record.get("quotes") or [], start=1):
            try:
                checked.append(check_quote(q, body))
            except ValueError as err:
                raise InputError(where, Errors.E034.format(detail=f"quote {i}: {err}"), number) from None
        yield Item(
            source=where,  # for messages; an export keeps its own source in `document`
            line=number,
            title=title,
            text=body,
            quotes=checked,
            origin=origin,
            document=record if export else None,
            metadata=metadata,
        )


def iter_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Item | ExportHeader]:
    """Read and check the inputs one item at a time, writing nothing.

    Raises:
        InputError: the first input that cannot be read, and why.
    """
    for path in expand(paths):
        try:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from read_jsonl(path)
            else:
                yield read_article_file(path)
        except OSError as err:
            raise os_error(path, err) from None


def read_inputs(paths: Iterable[str | os.PathLike[str]]) -> list[Item | ExportHeader]:
    """Every item of :func:`iter_inputs`, read before anything is written."""
    return list(iter_inputs(paths))


# --- writing -------------------------------------------------------------------------------


#: What becomes of the quotes an input's records carry (a corpus's answer key, say):
#: ``accepted`` annotations, ``suggested`` ones to review (the default), or none.
QuotesMode = Literal["accepted", "suggested", "ignore"]
QUOTES_MODES: tuple[QuotesMode, ...] = ("accepted", "suggested", "ignore")
#: Speaker names that name nobody on their own (pronouns, relative words): never a speaker.
_NOT_NAMES = PRONOUNS | frozenset("which whom whose what where there here".split())


def import_paths(
    store: Store, paths: Iterable[str | os.PathLike[str]], *, quotes: QuotesMode = "suggested"
) -> ImportReport:
    """Import files and folders into a project, all or nothing.

    Args:
        store: the project.
        paths: files and folders.
        quotes: what the records' quotes become (see :func:`import_items`).

    Raises:
        InputError: an input cannot be read or stored; the project is unchanged.
    """
    paths = expand(paths)  # a missing path fails before the project is locked
    return import_items(store, iter_inputs(paths), quotes=quotes)


def import_items(
    store: Store, items: Iterable[Item | ExportHeader], *, quotes: QuotesMode = "suggested"
) -> ImportReport:
    """Store items in one transaction: all of them, or (on the first error) none.

    Items are read as they are stored, so a large export never sits in memory whole; a bad
    item met late still rolls back everything before it.

    Args:
        store: the project.
        items: what :func:`iter_inputs` read.
        quotes: what the quotes of interchange records become: ``"suggested"`` (to review,
            the default), ``"accepted"`` (a researcher's annotations) or ``"ignore"`` (the
            texts alone). A project export's quotes keep their own statuses unless ignored.
    """
    report = ImportReport()
    speaker_ids: dict[int, int] = {}  # a project export's speaker ids -> this project's
    changes = Changes()
    with store.batch():
        for item in items:
            try:
                if isinstance(item, ExportHeader):
                    changes |= _import_speakers(store, item.speakers, speaker_ids, report)
                else:
                    changes |= _import_item(store, item, speaker_ids, report, quotes)
            except InputError:
                raise
            except QuotebenchError as err:
                where = item.source
                raise InputError(where, str(err), getattr(item, "line", None)) from err
    report.changes = changes
    return report


def _import_speakers(
    store: Store, speakers: list[dict[str, Any]], ids: dict[int, int], report: ImportReport
) -> Changes:
    changes = Changes()
    for sp in speakers:
        found = store.find_speaker(sp["name"])
        if found is not None and found.name.casefold() == str(sp["name"]).casefold():
            sid = found.id
        else:
            sid, ch = store.add_speaker(
                sp["name"],
                sp.get("type") or SpeakerType.UNKNOWN,
                notes=sp.get("notes") or "",
                speaker_id=sp.get("id"),
            )
            changes |= ch
            report.speakers += 1
        if sp.get("id") is not None:
            ids[int(sp["id"])] = sid
        for alias in sp.get("aliases") or ():
            changes |= store.add_alias(sid, alias)
        changes |= _import_attributes(store, sid, sp.get("attributes"))
    return changes


def _import_attributes(store: Store, sid: int, attributes: Any) -> Changes:
    """A speaker's attributes from an export; those it has already are kept as they are.

    Raises:
        QuotebenchError: not an object of text values (E086).
    """
    if attributes is None:
        return Changes()
    if not isinstance(attributes, dict) or not all(isinstance(v, str) for v in attributes.values()):
        raise QuotebenchError(Errors.E086.format(detail=f"got {str(attributes)[:60]}"))
    changes = Changes()
    have = store.speaker_attributes(sid)
    for key, value in attributes.items():
        if key.casefold() not in have and value.strip():
            changes |= store.set_speaker_attribute(sid, key, value)
    return changes


def _speaker_by_name(store: Store, name: str | None, stype: str | None, report: ImportReport) -> int | None:
    if not name or not str(name).strip():
        return None
    found = store.find_speaker(str(name))
    if found is not None:
        return found.id
    sid, _ = store.add_speaker(str(name), stype or SpeakerType.UNKNOWN)
    report.speakers += 1
    return sid


def _store_document(store: Store, item: Item, report: ImportReport) -> tuple[int, bool]:
    """Add an item's text (unless it is there already) and report what happened."""
    where = item.source if item.line is None else f"{item.source}:{item.line}"
    row = item.document or {}
    earlier = [] if item.document else store.documents_from(item.title, item.source)
    doc_id, new = store.add_document(
        item.text,
        title=row["title"] if isinstance(row.get("title"), str) else item.title,
        source=row["source"] if isinstance(row.get("source"), str) else item.source,
        imported_at=row.get("imported_at"),
        doc_id=row.get("document_id"),
        suggested_by=row.get("suggested_by"),
        suggested_at=row.get("suggested_at"),
    )
    if new:
        if item.metadata:
            store.set_document_metadata(doc_id, item.metadata)
        report.added.append(doc_id)
        older = [d.id for d in earlier if d.sha256 != sha256(item.text)]
        if older:
            report.new_versions.append((where, doc_id, older))
    else:
        report.known.append((where, doc_id))
    return doc_id, new


def _add_exported_quote(
    store: Store,
    doc_id: int,
    item: Item,
    q: dict[str, Any],
    speaker_ids: dict[int, int],
    report: ImportReport,
) -> int:
    """Add a quote of a project export, keeping every field as it was."""
    old_sid = q.get("speaker_id")
    sid = speaker_ids.get(int(old_sid)) if old_sid is not None else None
    if old_sid is not None and sid is None:
        sid = _speaker_by_name(store, q.get("entity"), q.get("entity_type"), report)
    qid, _ = store.add_quote(
        doc_id,
        q["start"],
        q["end"],
        q["kind"],
        cue=q["_cue"],
        mention=q["_mention"],
        speaker_id=sid,
        status=q.get("status") or Status.ACCEPTED,
        confidence=q.get("confidence"),
        speaker_confidence=q.get("speaker_confidence"),
        origin=q.get("origin") or item.origin,
        note=q.get("note") or "",
        rule=q.get("rule") or "",
        evidence=q.get("evidence") or "",
        created=q.get("created"),
        modified=q.get("modified"),
        annotator=q.get("annotator"),
        quote_id=q.get("quote_id"),
    )
    return qid


def speaker_name(q: dict[str, Any]) -> str | None:
    """The speaker an interchange record names: its ``entity``, else its ``speaker`` mention,
    unless that is a pronoun or relative word ("He", "who") or a fragment ("t"): a quote
    whose record names nobody is stored without a speaker, never under a bare pronoun."""
    for key in ("entity", "speaker"):
        name = " ".join(str(q.get(key) or "").split())
        if name and name.casefold() not in _NOT_NAMES and sum(c.isalpha() for c in name) >= 2:
            return name
    return None


def _add_interchange_quote(
    store: Store, doc_id: int, item: Item, q: dict[str, Any], report: ImportReport, status: Status
) -> int:
    """Add a quote of the interchange schema with ``status`` (an answer key's, a corpus's)."""
    sid = _speaker_by_name(store, speaker_name(q), q.get("entity_type"), report)
    mention = q["_mention"]
    if sid is not None and mention is not None:
        alias = mention_alias(item.text, *mention)
        if alias is not None:
            store.add_alias(sid, alias)
    qid, _ = store.add_quote(
        doc_id,
        q["start"],
        q["end"],
        q["kind"],
        cue=q["_cue"],
        mention=mention,
        speaker_id=sid,
        status=status,
        confidence=q.get("confidence"),
        speaker_confidence=q.get("speaker_confidence"),
        origin=item.origin,
        rule=str(q.get("rule") or ""),
    )
    return qid


def _import_item(
    store: Store, item: Item, speaker_ids: dict[int, int], report: ImportReport, mode: QuotesMode
) -> Changes:
    doc_id, new = _store_document(store, item, report)
    if mode == "ignore":
        report.ignored += len(item.quotes)
        return Changes(documents=frozenset({doc_id}))
    status = Status.ACCEPTED if mode == "accepted" else Status.SUGGESTED
    present = {(q.start, q.end) for q in store.quotes_for(doc_id)} if not new else set()
    added: set[int] = set()
    for q in item.quotes:
        if (q["start"], q["end"]) in present:
            report.duplicates += 1
            continue
        present.add((q["start"], q["end"]))
        if item.document is not None:
            added.add(_add_exported_quote(store, doc_id, item, q, speaker_ids, report))
        else:
            added.add(_add_interchange_quote(store, doc_id, item, q, report, status))
        report.quotes += 1
    return Changes(documents=frozenset({doc_id}), quotes_added=frozenset(added))
