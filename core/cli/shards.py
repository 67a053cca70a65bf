"""``quotebench extract PATHS... -o DIR/``: sharded output, on this machine or on a Dask cluster.

Called by :mod:`.extract` when ``-o`` names a folder (a path ending in ``/``, or an existing
folder). Where the partitions run: ``--scheduler ADDRESS`` (or ``$DASK_SCHEDULER_ADDRESS``) an
existing Dask cluster, ``--workers N`` a new local one, otherwise ``--processes N`` processes here
(default: the cores available). Dask workers read their partitions from the inputs themselves
(the inputs must be on storage they share with this machine, as on a cluster's shared file
system; a local cluster's workers always do); ``--ship-articles`` sends the texts to them
instead. Errors (inputs that cannot be read, articles the engine fails
on, partitions lost) go to standard error as they happen and to ``DIR/errors.jsonl``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from ..batch.local import InProcess, ProcessPool, available_cores
from ..batch.partitions import DEFAULT_PARTITION_SIZE
from ..batch.runner import Runner, run_sharded
from ..batch.work import EngineSpec
from ..errors import Errors, ModelError, QuotebenchError

#: Exit statuses (as for extract).
EXIT_FAILED = 1
EXIT_MODEL_FAILED = 2
EXIT_INTERRUPTED = 130


def is_folder_output(out_path: str) -> bool:
    """Whether ``-o`` names a folder: it ends with a path separator, or is an existing folder."""
    if out_path == "-":
        return False
    return out_path.endswith(("/", os.sep)) or Path(out_path).is_dir()


@contextlib.contextmanager
def _runner(
    spec: EngineSpec, processes: int | None, workers: int | None, scheduler: str | None, ship: bool = False
) -> Iterator[Runner]:
    if workers is None and scheduler is None:
        n = processes or available_cores()
        yield InProcess(spec) if n == 1 else ProcessPool(spec, n)
        return
    try:
        from ..batch.dask_runner import DaskRunner
    except ImportError as err:
        raise QuotebenchError(Errors.E094.format(detail=err)) from None
    with DaskRunner(spec, workers=workers, scheduler=None if workers else scheduler, ship=ship) as runner:
        click.echo(f"Dask dashboard: {runner.dashboard}", err=True)
        yield runner


def _show_error(record: dict[str, Any]) -> None:
    where = record.get("source") or f"partition {record.get('partition')}"
    message = str(record.get("message", ""))
    click.echo(f"Error: {message if message.startswith(where) else f'{where}: {message}'}", err=True)


def extract_sharded(
    paths: tuple[str, ...],
    out_dir: str,
    spec: EngineSpec,
    *,
    fmt: str = "jsonl",
    processes: int | None,
    workers: int | None,
    scheduler: str | None,
    resume: bool,
    partition_size: int | None,
    ship_articles: bool = False,
) -> None:
    """Run a sharded extract and exit with its status (0, or 1 if anything could not be done)."""
    if fmt != "jsonl":
        click.echo(f"Error: {Errors.E090.format(out=out_dir, fmt=fmt)}", err=True)
        sys.exit(EXIT_FAILED)
    # --workers starts a new cluster; otherwise --scheduler, or the one Dask's own settings name
    scheduler = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    size = partition_size or DEFAULT_PARTITION_SIZE
    bar = click.progressbar(length=_estimate(paths), label="Extracting", file=sys.stderr, show_pos=True)
    show = sys.stderr.isatty()
    try:
        with (
            _runner(spec, processes, workers, scheduler, ship_articles) as runner,
            bar if show else contextlib.nullcontext(),
        ):
            report = run_sharded(
                paths,
                out_dir,
                spec,
                runner,
                size=size,
                resume=resume,
                on_error=_show_error,
                on_shard=bar.update if show else lambda n: None,
            )
    except QuotebenchError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(EXIT_MODEL_FAILED if isinstance(err, ModelError) else EXIT_FAILED)
    except KeyboardInterrupt:
        # every shard written is whole and the manifest lists those it had time to
        click.echo(f"\ninterrupted: the shards done are in {out_dir}; --resume carries on", err=True)
        sys.exit(EXIT_INTERRUPTED)
    done = report.partitions - report.skipped
    click.echo(
        f"{report.articles} article(s) in {report.partitions} shard(s) in {out_dir} "
        f"({done} done now, {report.skipped} kept from before); {len(report.errors)} error(s)",
        err=True,
    )
    if report.errors:
        sys.exit(EXIT_FAILED)


def _estimate(paths: tuple[str, ...]) -> int:
    """About how many articles the inputs hold (lines of JSONL files, one per other file), for the bar."""
    from ..formats.readers import input_files, is_jsonl

    total = 0
    for path in input_files(paths):
        if isinstance(path, Path):
            total += _lines(path) if is_jsonl(path) and path.suffix != ".gz" else 1
    return max(total, 1)


def _lines(path: Path) -> int:
    try:
        with open(path, "rb") as fh:
            return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return 1
