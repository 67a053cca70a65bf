"""Input partitions: the articles of a run cut into fixed runs of ``size`` articles, in order.

Partitioning is deterministic: the same inputs and the same size give the same partitions
(the same articles in the same order), so a shard of an earlier run can be recognised by its
index and the SHA-256 of its article ids (:func:`ids_digest`) and skipped on ``--resume``.
An input that cannot be read goes with the partition being filled when it is met, as an error
record, so each failure is reported once, with the shard it belongs to.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..formats.readers import read_articles
from ..model import Article

#: Articles per partition (and shard) unless the run says otherwise.
DEFAULT_PARTITION_SIZE = 50


@dataclass
class Partition:
    """One partition of a run: its index, its articles and the inputs that failed to read in it."""

    index: int
    articles: list[Article] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ids_sha256(self) -> str:
        """The SHA-256 of the partition's article ids (and sources), to recognise it again."""
        return ids_digest(self.articles)


def ids_digest(articles: Iterable[Article]) -> str:
    """SHA-256 of the articles' ids and sources, one per line (what a shard holds, in order)."""
    digest = hashlib.sha256()
    for article in articles:
        digest.update(f"{article.id}\t{article.source}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def input_error_record(err: InputError) -> dict[str, Any]:
    """An input that cannot be read, as a line of ``errors.jsonl``."""
    return {"source": err.source, "line": err.line, "code": _code(str(err)), "message": str(err)}


def _code(message: str) -> str | None:
    start = message.find("[E")
    return message[start + 1 : start + 5] if start >= 0 else None


def partitions(paths: Iterable[str | os.PathLike[str]], size: int) -> Iterator[Partition]:
    """The partitions of the inputs' articles, ``size`` articles each (the last may hold fewer).

    Read lazily: only the partition being filled is in memory.
    """
    if size < 1:
        raise ValueError("a partition holds at least one article")
    current = Partition(0)
    for item in read_articles(paths):
        if isinstance(item, InputError):
            current.errors.append(input_error_record(item))
            continue
        current.articles.append(item)
        if len(current.articles) == size:
            yield current
            current = Partition(current.index + 1)
    if current.articles or current.errors:
        yield current
