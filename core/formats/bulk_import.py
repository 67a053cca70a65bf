"""Bulk import: sharded ``extract`` output (a folder with ``manifest.json``) or large JSON Lines
files, into a project in batches (:class:`~core.project.bulk.BulkLoader`).

Every record is read and checked as :mod:`.importers` does (the record schema, each quote
against its text), through the same bounded line reader. A shard folder's manifest is checked
first: every shard it lists must be whole (size and SHA-256, E098) and the run complete; its
quotes are stored as the engine's suggestions (for review), its documents marked as read by
that engine. A JSONL file's quotes are stored as accepted annotations, as ``import`` does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Errors, InputError, QuotebenchError
from ..model import Status
from ..project.bulk import BulkDocument, BulkLoader, BulkQuote, BulkReport
from ..project.store import Store
from .importers import read_records, speaker_name
from .metadata import from_record
from .readers import input_files, is_jsonl, shown
from .record import check_quote
from .schema import RecordError

#: Documents per transaction.
BATCH = 1000
MANIFEST = "manifest.json"


def is_shard_folder(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is the output folder of a sharded extract."""
    return (Path(path) / MANIFEST).is_file()


def _shard_files(folder: Path) -> tuple[list[Path], str]:
    """The shards of a complete run, checked against the manifest, and the engine that made them.

    Raises:
        QuotebenchError: no readable manifest (E096), a run not complete (E092), a shard
            changed or missing (E098).
    """
    from ..batch.manifest import Manifest, file_sha256

    manifest = Manifest.read(folder)
    if not manifest.complete:
        detail = "its run is not complete (quotebench extract --resume finishes it)"
        raise QuotebenchError(Errors.E092.format(path=shown(folder), detail=detail))
    files = []
    for index in sorted(manifest.shards):
        entry = manifest.shards[index]
        path = folder / entry["file"]
        try:
            same = path.stat().st_size == entry["bytes"] and file_sha256(path) == entry["sha256"]
        except OSError as err:
            same, detail = False, err.strerror or str(err)
        else:
            detail = "its size or SHA-256 differs"
        if not same:
            raise QuotebenchError(Errors.E098.format(path=shown(path), detail=detail))
        files.append(path)
    engine = manifest.engine.split()[-1] if manifest.engine else "?"
    return files, f"quotebench-engine {engine}"


def _quote(q: dict[str, Any], status: str) -> BulkQuote:
    return BulkQuote(
        start=q["start"],
        end=q["end"],
        kind=str(q["kind"]),
        cue=q["_cue"],
        mention=q["_mention"],
        speaker=speaker_name(q),
        speaker_type=q.get("entity_type"),
        status=status,
        confidence=q.get("confidence"),
        speaker_confidence=q.get("speaker_confidence"),
        rule=str(q.get("rule") or ""),
        evidence=q["evidence"] if isinstance(q.get("evidence"), str) else "",
    )


def _documents(path: Path, status: str) -> Iterator[BulkDocument]:
    """The checked records of one JSON Lines file (or shard) as documents to load.

    Raises:
        InputError: a line that cannot be read, is not a record of the schema, has no text, or
            a quote that does not fit its text (E034), naming the file and line.
    """
    where = shown(path)
    for number, record in read_records(path):  # the plain import's reader: the same checks
        try:
            if not isinstance(record.get("text"), str) or not record["text"].strip():
                raise RecordError(Errors.E006)
            text: str = record["text"]
            quotes = []
            for i, q in enumerate(record.get("quotes") or [], start=1):
                try:
                    quotes.append(_quote(check_quote(q, text), status))
                except ValueError as err:
                    raise RecordError(Errors.E034.format(detail=f"quote {i}: {err}")) from None
        except RecordError as err:
            raise InputError(where, str(err), number) from None
        metadata = from_record(record, export=False)  # as the plain import reads it
        title = str(metadata.pop("title", None) or record.get("id") or f"{shown(path.stem)}:{number}")
        if record.get("id") is not None and str(record["id"]) != title:
            metadata.setdefault("meta", {}).setdefault("id", record["id"])  # the corpus's own id
        yield BulkDocument(text, title, where, f"{where}:{number}", quotes, metadata)


def _sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, str, str | None]]:
    """``(file, origin, suggested_by)`` for each file to read, shard folders checked first."""
    for raw in paths:
        if is_shard_folder(raw):
            files, engine = _shard_files(Path(raw))
            for path in files:
                yield path, engine, engine
            continue
        for found in input_files([raw]):
            if isinstance(found, InputError):
                raise found
            if not is_jsonl(found):
                raise InputError(
                    shown(found), Errors.E007.format(suffix=shown(found.suffix)) + " (bulk: JSONL)"
                )
            yield found, f"import:{shown(found.name)}", None


def bulk_import(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    batch: int = BATCH,
    progress: Callable[[int], None] = lambda n: None,
    quotes: str = Status.ACCEPTED.value,
) -> BulkReport:
    """Import shard folders and JSON Lines files, ``batch`` documents per transaction.

    Args:
        store: the project.
        paths: shard folders (with a manifest) and JSONL files or folders of them.
        batch: documents per transaction.
        progress: called with the number of documents of each batch stored.
        quotes: what the quotes of JSONL files become: ``"accepted"``, ``"suggested"``, or
            ``"ignore"`` (the texts alone); a shard folder's are always suggestions.

    Raises:
        QuotebenchError: a shard folder that is not whole (E092, E096, E098), or the first bad
            record (with its file and line); the batches stored before it stay, and importing
            again after a fix adds only what is missing (known texts are recognised).
    """
    paths = list(paths)
    for raw in paths:  # every manifest and shard is checked before anything is written
        if is_shard_folder(raw):
            _shard_files(Path(raw))
    loaders: dict[tuple[str, str | None], BulkLoader] = {}
    report = BulkReport()
    for path, origin, suggested_by in _sources(paths):
        loader = loaders.setdefault(
            (origin, suggested_by), BulkLoader(store, origin, suggested_by=suggested_by)
        )
        status = Status.SUGGESTED.value if suggested_by else quotes
        pending: list[BulkDocument] = []
        for doc in _documents(path, status):
            if status == "ignore":
                doc.quotes = []
            pending.append(doc)
            if len(pending) == batch:
                loader.load(pending)
                progress(len(pending))
                pending = []
        if pending:
            loader.load(pending)
            progress(len(pending))
    for loader in loaders.values():
        for name in ("documents", "known", "quotes", "speakers"):
            setattr(report, name, getattr(report, name) + getattr(loader.report, name))
    return report
