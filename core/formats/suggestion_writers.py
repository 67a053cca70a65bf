"""Writing the engine's suggestions for articles (``quotebench extract``): JSON Lines in the
interchange schema, CSV, or a table a person reads.

Each writer takes an article and its suggestions and writes them at once, so a long corpus
streams. Quotes are written as records of :mod:`.record`.
"""

from __future__ import annotations

import csv
import json
import shutil
import textwrap
from collections.abc import Callable
from typing import IO, Any

from ..model import Article, Suggestion
from .metadata import FIELDS
from .record import table_row
from .tabular import guarded

#: CSV columns, one row per quote: ``mention`` is the words in the text, ``speaker`` the
#: resolved person or body (as in the project export's CSV).
CSV_COLUMNS = (
    "id",
    "start",
    "end",
    "kind",
    "quote",
    "cue",
    "mention",
    "speaker",
    "confidence",
    "speaker_confidence",
    "rule",
)

Writer = Callable[[Article, list[Suggestion]], None]


def jsonl_writer(out: IO[str]) -> Writer:
    """One line per article in the quote interchange schema (``id``, ``text``, ``quotes``).

    What the input said of the article goes along, as the importers read it back: its
    ``title``, the fields ``outlet``, ``date``, ``url``, ``author`` and ``meta`` (the other keys),
    so a corpus extracted in shards keeps its outlets and dates for the statistics.
    """

    def write(article: Article, quotes: list[Suggestion]) -> None:
        record: dict[str, Any] = {"id": article.id}
        if article.title:
            record["title"] = article.title
        record.update((name, article.meta[name]) for name in FIELDS if article.meta.get(name))
        if article.meta.get("meta"):
            record["meta"] = article.meta["meta"]
        record["text"] = article.text
        record["quotes"] = [q.to_json() for q in quotes]
        out.write(json.dumps(record, ensure_ascii=False) + "\n")

    return write


def csv_writer(out: IO[str]) -> Writer:
    """One row per quote, under a header row of :data:`CSV_COLUMNS`."""
    rows = csv.writer(out)
    rows.writerow(CSV_COLUMNS)

    def write(article: Article, quotes: list[Suggestion]) -> None:
        for q in quotes:
            rows.writerow(guarded(table_row(q.to_json(), CSV_COLUMNS, id=article.id)))

    return write


def text_writer(out: IO[str], width: int | None = None) -> Writer:
    """A table a person reads: per article, one block per quote (speaker, kind, quote)."""
    width = width or max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    who_width, kind_width = 26, 9
    quote_width = width - who_width - kind_width - 4

    def write(article: Article, quotes: list[Suggestion]) -> None:
        noun = "quote" if len(quotes) == 1 else "quotes"
        out.write(f"{article.id}  ({len(quotes)} {noun})\n")
        for q in quotes:
            who = q.speaker or (q.mention.text if q.mention else "?")
            if q.mention and q.speaker and q.mention.text != q.speaker:
                who = f"{q.speaker} ({q.mention.text})"
            lines = textwrap.wrap(" ".join(q.text.split()), quote_width, max_lines=3, placeholder=" […]") or [
                ""
            ]
            out.write(f"  {_elide(who, who_width):<{who_width}} {q.kind.value:<{kind_width}} {lines[0]}\n")
            for line in lines[1:]:
                out.write(f"  {'':<{who_width}} {'':<{kind_width}} {line}\n")
        out.write("\n")

    return write


def _elide(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


#: The output formats of ``quotebench extract``.
WRITERS: dict[str, Callable[[IO[str]], Writer]] = {
    "jsonl": jsonl_writer,
    "csv": csv_writer,
    "text": text_writer,
}
