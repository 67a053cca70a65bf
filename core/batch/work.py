"""What every runner does with a partition: the engine's quotes for its articles, as the text of
its shard (the lines ``quotebench extract`` writes in JSON Lines) and its errors.

The same function runs in this process, in a pool of processes and on Dask workers, on the same
partitions, so every runner gives the same bytes. An article the engine fails on is an E093
error record (the partition is parsed again article by article to find it), never a lost
partition.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..errors import Errors
from ..formats.suggestion_writers import jsonl_writer
from ..model import DEFAULT_MIN_CONFIDENCE, Suggestion
from .partitions import Partition

#: The engine, as written in the manifest.
ENGINE_VERSION = f"quotebench {__version__}"

Extract = Callable[[list[str]], list[list[Suggestion]]]


@dataclass(frozen=True)
class EngineSpec:
    """Which engine a run uses; small and picklable, so each worker loads the engine itself.

    Attributes:
        model: the spaCy pipeline (``None``: the default one).
        min_confidence: suggestions less sure than this are left out.
        stand_in: ``"module:function"`` of a loader to use instead of spaCy (tests): called with
            this spec, it returns an :class:`Engine`.
    """

    model: str | None = None
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    stand_in: str | None = None

    def options(self) -> dict[str, Any]:
        """The options a manifest records (a resumed run must use the same)."""
        return {"model": self.model, "min_confidence": self.min_confidence, "stand_in": self.stand_in}

    def load(self) -> Engine:
        """Load the engine (once per process or worker)."""
        if self.stand_in:
            module, _, name = self.stand_in.partition(":")
            loader: Callable[[EngineSpec], Engine] = getattr(importlib.import_module(module), name)
            return loader(self)
        from ..engine.pipeline import load_nlp, quotes_in_many

        nlp = load_nlp(self.model)
        minimum = self.min_confidence

        def extract(texts: list[str]) -> list[list[Suggestion]]:
            return list(quotes_in_many(texts, nlp, min_confidence=minimum))

        meta = nlp.meta
        name = f"{meta.get('lang')}_{meta.get('name')}"
        return Engine(extract, {"name": name, "version": meta.get("version")})


@dataclass
class Engine:
    """A loaded engine: the function that finds the quotes of texts, and its model's name and version."""

    extract: Extract
    model: dict[str, Any]


@dataclass
class ShardResult:
    """What a partition gives: the text of its shard, how many articles it holds, its errors."""

    index: int
    text: str
    articles: int
    ids_sha256: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    model: dict[str, Any] = field(default_factory=dict)


def run_partition(engine: Engine, partition: Partition) -> ShardResult:
    """The shard of one partition (the same bytes whichever runner calls this)."""
    articles = partition.articles
    errors = list(partition.errors)
    texts = [a.text for a in articles]
    try:
        found: list[list[Suggestion] | None] = list(engine.extract(texts))
    except Exception:  # one bad article must not lose the others: find it
        found = []
        for article in articles:
            try:
                found.append(engine.extract([article.text])[0])
            except Exception as err:
                found.append(None)
                message = Errors.E093.format(kind=type(err).__name__, detail=str(err)[:300] or "no detail")
                errors.append(
                    {"id": article.id, "source": article.source, "code": "E093", "message": message}
                )
    out = io.StringIO()
    write = jsonl_writer(out)
    kept = 0
    for article, quotes in zip(articles, found, strict=True):
        if quotes is not None:
            write(article, quotes)
            kept += 1
    return ShardResult(partition.index, out.getvalue(), kept, partition.ids_sha256, errors, engine.model)
