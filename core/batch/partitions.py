"""Input partitions: the articles of a run cut into fixed runs of ``size`` articles, in order.

Partitioning is deterministic: the same inputs and the same size give the same partitions
(the same articles in the same order), so a shard of an earlier run can be recognised by its
index and the SHA-256 of its article ids (:func:`ids_digest`) and skipped on ``--resume``.
An input that cannot be read goes with the partition being filled when it is met, as an error
record, so each failure is reported once, with the shard it belongs to.

Each partition also knows where its articles are (:class:`Piece`: a file, and for JSON Lines its
first and last line), so a worker that sees the same files (shared storage) reads them itself
from a :class:`PartitionRef` instead of receiving their texts from the driver: "partitions are
processed where they are". What the worker reads is checked against the driver's ids digest.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import Errors, InputError, QuotebenchError
from ..formats.readers import input_files, is_jsonl, read_articles, shown
from ..model import Article

#: Articles per partition (and shard) unless the run says otherwise.
DEFAULT_PARTITION_SIZE = 50


@dataclass(frozen=True)
class Piece:
    """Where some of a partition's articles are: one input file, and for JSON Lines a run of lines.

    Attributes:
        path: the file, absolute (a worker's working folder may be another).
        source: the file as the run names it (the articles' ``source``, as the driver reads it).
        first: the first line of the run (JSON Lines), ``0`` for a file that is one article.
        last: its last line (lines in between that are not articles are skipped).
    """

    path: str
    source: str
    first: int = 0
    last: int = 0

    def read(self) -> Iterator[Article]:
        """The piece's articles, as the driver read them (inputs that fail are the driver's to report)."""
        for item in read_articles([self.path]):
            if isinstance(item, InputError):
                continue
            if not self.first:
                yield replace(item, source=self.source)
                continue
            number = _line(item)
            if number > self.last:
                return
            if number >= self.first:
                yield replace(item, source=f"{self.source}:{number}")


@dataclass
class PartitionRef:
    """A partition without its texts: where its articles are, for a worker to read them itself.

    Attributes:
        index: the partition's number.
        pieces: where its articles are, in order.
        errors: the inputs that failed to read in it (read by the driver).
        ids_sha256: the digest of its articles' ids, which the worker checks what it read against.
        articles: how many articles it holds.
    """

    index: int
    pieces: list[Piece]
    errors: list[dict[str, Any]]
    ids_sha256: str
    articles: int

    def read(self) -> Partition:
        """The partition, its articles read from its pieces.

        Raises:
            QuotebenchError: what was read is not what the driver read (E065): the inputs are not
                on storage the worker sees, or changed since.
        """
        try:
            articles = [a for piece in self.pieces for a in piece.read()]
        except OSError as err:
            raise QuotebenchError(Errors.E065.format(index=self.index, detail=err)) from None
        if len(articles) != self.articles or ids_digest(articles) != self.ids_sha256:
            detail = f"{len(articles)} article(s) read, {self.articles} expected, or other ids"
            raise QuotebenchError(Errors.E065.format(index=self.index, detail=detail))
        return Partition(self.index, articles, list(self.errors))


@dataclass
class Partition:
    """One partition of a run: its index, its articles and the inputs that failed to read in it.

    Attributes:
        index: its number (and its shard's).
        articles: its articles, with their texts.
        errors: the inputs that failed to read in it.
        pieces: where its articles are (see :meth:`ref`).
    """

    index: int
    articles: list[Article] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)

    @property
    def ids_sha256(self) -> str:
        """The SHA-256 of the partition's article ids (and sources), to recognise it again."""
        return ids_digest(self.articles)

    def ref(self) -> PartitionRef:
        """The partition without its texts, for a worker that reads its inputs itself."""
        return PartitionRef(
            self.index, list(self.pieces), list(self.errors), self.ids_sha256, len(self.articles)
        )

    def _add(self, article: Article, path: str, source: str, line: int) -> None:
        self.articles.append(article)
        last = self.pieces[-1] if self.pieces else None
        if line and last is not None and last.path == path and last.first:
            self.pieces[-1] = replace(last, last=line)
        else:
            self.pieces.append(Piece(path, source, line, line))


def _line(article: Article) -> int:
    """The line of a JSON Lines article (its source ends in ``:NUMBER``)."""
    return int(article.source.rsplit(":", 1)[1])


def _located(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Article | InputError, str, str, int]]:
    """Each article (or input that cannot be read) with its file, absolute and as named, and its line."""
    for found in input_files(paths):
        if isinstance(found, InputError):
            yield found, "", "", 0
            continue
        path, source, lines = os.path.abspath(found), shown(found), is_jsonl(found)
        for item in read_articles([found]):
            line = _line(item) if lines and isinstance(item, Article) else 0
            yield item, path, source, line


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
    for item, path, source, line in _located(paths):
        if isinstance(item, InputError):
            current.errors.append(input_error_record(item))
            continue
        current._add(item, path, source, line)
        if len(current.articles) == size:
            yield current
            current = Partition(current.index + 1)
    if current.articles or current.errors:
        yield current
