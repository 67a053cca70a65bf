"""The driver of a sharded run: partitions out to a runner, shards in as they finish.

:func:`run_sharded` reads the inputs into partitions (:mod:`.partitions`), hands each one that is
not already done to a :class:`Runner` (this process, a pool of processes, or Dask), and writes
each shard atomically as its result comes back, in whatever order they finish. The manifest is
rewritten atomically to list the shards that are whole: at each shard while it is short, then
about once a second, and at the end. A run killed at any moment leaves only whole shards under
their names and a manifest that lists some of them, so ``--resume`` redoes exactly the
partitions that are missing: the output is the same as an uninterrupted run's, with no article
twice.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import Errors, QuotebenchError
from ..formats.output import AtomicFile
from ..formats.readers import shown
from .manifest import ERRORS, MANIFEST, Manifest, is_ours, is_temporary, shard_entry, shard_name
from .partitions import Partition, partitions
from .work import ENGINE_VERSION, EngineSpec, ShardResult

#: Seconds between two writes of the manifest while shards come in, once it lists this many shards.
MANIFEST_EVERY = 1.0
MANIFEST_ALWAYS = 200


class Runner(Protocol):
    """Something that turns partitions into shard results, yielded as each one finishes."""

    def run(self, parts: Iterator[Partition]) -> Iterator[ShardResult | PartitionFailed]:
        """The result of each partition, in the order they finish."""
        ...


@dataclass
class PartitionFailed:
    """A partition that failed on every try (a worker lost each time, or a bug)."""

    index: int
    detail: str


@dataclass
class RunReport:
    """What a sharded run did."""

    partitions: int = 0
    skipped: int = 0
    articles: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    failed: list[PartitionFailed] = field(default_factory=list)


def prepare_folder(folder: Path, *, resume: bool) -> None:
    """Make ``folder`` ready: created if need be; an earlier run's files removed unless resuming.

    Raises:
        QuotebenchError: the folder holds files no sharded run writes, or is a file (E091).
    """
    if folder.exists() and not folder.is_dir():
        raise QuotebenchError(Errors.E091.format(path=shown(folder), detail="it is a file"))
    folder.mkdir(parents=True, exist_ok=True)
    names = sorted(os.listdir(folder))
    strangers = [n for n in names if not is_ours(n) or not (folder / n).is_file()]
    if strangers:
        detail = f"it holds {strangers[0]!r}, which is not the output of an extract"
        raise QuotebenchError(Errors.E091.format(path=shown(folder), detail=detail))
    for name in names:
        if is_temporary(name) or not resume:
            (folder / name).unlink()


def _start_manifest(folder: Path, spec: EngineSpec, size: int, inputs: list[str], resume: bool) -> Manifest:
    options = {**spec.options(), "partition_size": size}
    if resume and (folder / MANIFEST).exists():
        manifest = Manifest.read(folder)
        if manifest.options != options:
            detail = f"its options were {manifest.options}, these are {options}"
            raise QuotebenchError(Errors.E092.format(path=shown(folder), detail=detail))
        if manifest.inputs != inputs:
            detail = "it was made from other inputs"
            raise QuotebenchError(Errors.E092.format(path=shown(folder), detail=detail))
        manifest.complete = False
        return manifest
    return Manifest(engine=ENGINE_VERSION, options=options, inputs=inputs)


class _Writer:
    """Writes shards as they come in and keeps the manifest up to date."""

    def __init__(self, folder: Path, manifest: Manifest, on_shard: Callable[[int], None]) -> None:
        self.folder = folder
        self.manifest = manifest
        self.on_shard = on_shard
        self.last_write = 0.0

    def shard(self, result: ShardResult) -> None:
        path = self.folder / shard_name(result.index)
        data = result.text.encode("utf-8")
        with AtomicFile(path, binary=True) as out:
            out.write(data)
        entry = shard_entry(result.index, path, data, result.articles, result.ids_sha256, result.errors)
        self.manifest.shards[result.index] = entry
        if result.model and not self.manifest.model:
            self.manifest.model = result.model
        self.on_shard(result.articles)
        # a short manifest is rewritten at every shard; a long one about once a second
        if (
            len(self.manifest.shards) < MANIFEST_ALWAYS
            or time.monotonic() - self.last_write >= MANIFEST_EVERY
        ):
            self.write_manifest()

    def write_manifest(self) -> None:
        self.manifest.write(self.folder)
        self.last_write = time.monotonic()


def run_sharded(
    paths: Iterable[str],
    folder: str | os.PathLike[str],
    spec: EngineSpec,
    runner: Runner,
    *,
    size: int,
    resume: bool = False,
    on_error: Callable[[dict[str, Any]], None] = lambda record: None,
    on_shard: Callable[[int], None] = lambda n: None,
) -> RunReport:
    """Extract the quotes of the inputs' articles into ``folder``: one shard per partition.

    Args:
        paths: the inputs (files, folders, patterns), as for ``quotebench extract``.
        folder: the output folder (created if need be).
        spec: the engine.
        runner: where the partitions are processed.
        size: articles per partition.
        resume: keep the shards an earlier run with the same inputs and options completed.
        on_error: called with each error record (an input that cannot be read, a bad article).
        on_shard: called with the number of articles of each shard written (or skipped).

    Returns:
        What was done; the manifest is marked complete only if no partition failed.

    Raises:
        QuotebenchError: the folder is in the way (E091), or cannot be resumed (E092, E096).
    """
    out = Path(folder)
    inputs = [shown(p) for p in paths]
    _check_not_inside(out, inputs)
    prepare_folder(out, resume=resume)
    manifest = _start_manifest(out, spec, size, inputs, resume)
    writer = _Writer(out, manifest, on_shard)
    writer.write_manifest()
    report = RunReport()

    def todo() -> Iterator[Partition]:
        for part in partitions(inputs, size):
            report.partitions += 1
            if resume and manifest.verified(out, part.index, part.ids_sha256):
                report.skipped += 1
                on_shard(manifest.shards[part.index]["articles"])
                continue
            manifest.shards.pop(part.index, None)
            yield part

    try:
        for result in runner.run(todo()):
            if isinstance(result, PartitionFailed):
                report.failed.append(result)
                on_error({"partition": result.index, "code": "E097", "message": _failed(result)})
                continue
            for record in result.errors:
                on_error(record)
            writer.shard(result)
    except BaseException:  # Ctrl-C, a lost pool: the manifest lists every shard written
        writer.write_manifest()
        raise
    _finish(out, manifest, report)
    writer.write_manifest()
    return report


def _check_not_inside(out: Path, inputs: list[str]) -> None:
    """Refuse an output folder that is, or is inside, an input folder: its shards would be read as inputs."""
    target = Path(os.path.realpath(out))
    for raw in inputs:
        folder = Path(os.path.realpath(raw))
        if folder.is_dir() and (target == folder or folder in target.parents):
            detail = f"it is inside the input folder {raw}, whose files are all read"
            raise QuotebenchError(Errors.E091.format(path=shown(out), detail=detail))


def _failed(failure: PartitionFailed) -> str:
    return Errors.E097.format(index=failure.index, detail=failure.detail)


def _finish(folder: Path, manifest: Manifest, report: RunReport) -> None:
    """Drop shards of partitions the inputs no longer have; write ``errors.jsonl``; the totals."""
    for index in [i for i in manifest.shards if i >= report.partitions]:
        (folder / manifest.shards.pop(index)["file"]).unlink(missing_ok=True)
    manifest.partitions = report.partitions
    manifest.complete = not report.failed
    errors = [e for i in sorted(manifest.shards) for e in manifest.shards[i]["errors"]]
    errors += [{"partition": f.index, "code": "E097", "message": _failed(f)} for f in report.failed]
    with AtomicFile(folder / ERRORS) as fh:
        for record in errors:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    report.errors = errors
    report.articles = sum(s["articles"] for s in manifest.shards.values())
