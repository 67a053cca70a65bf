"""The manifest of a sharded run (``DIR/manifest.json``) and the shards' file names.

The manifest records the engine and model versions, the options, the inputs and, for each shard
that is complete, its file, the number of articles, the SHA-256 of their ids and of the file,
and its errors. It is rewritten atomically (a temporary moved over it) as shards finish, so at
any moment it lists only shards that are whole on disk; a shard it does not list, or whose
checksum does not match, is done again on ``--resume``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Errors, QuotebenchError
from ..formats.output import AtomicFile

MANIFEST = "manifest.json"
ERRORS = "errors.jsonl"
#: What the manifest says it is (``format``) and the layout's version.
FORMAT = "quotebench-shards"
VERSION = 1
_SHARD = re.compile(r"part-(\d{5,})\.jsonl")
# the hidden temporaries AtomicFile leaves when a run is killed while writing
_TEMP = re.compile(r"\.(part-\d{5,}\.jsonl|manifest\.json|errors\.jsonl)\.[0-9a-f]+\.tmp")


def shard_name(index: int) -> str:
    """The file of partition ``index``: ``part-00000.jsonl``, ..."""
    return f"part-{index:05d}.jsonl"


def is_ours(name: str) -> bool:
    """Whether a file name is one a sharded run writes (a shard, the manifest, the errors, a temporary)."""
    return bool(name in (MANIFEST, ERRORS) or _SHARD.fullmatch(name) or _TEMP.fullmatch(name))


def is_temporary(name: str) -> bool:
    """Whether a file name is a temporary left by a run that was killed."""
    return bool(_TEMP.fullmatch(name))


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Manifest:
    """What a sharded run wrote (see the module's docstring)."""

    engine: str
    options: dict[str, Any]
    inputs: list[str]
    model: dict[str, Any] = field(default_factory=dict)
    shards: dict[int, dict[str, Any]] = field(default_factory=dict)
    complete: bool = False
    partitions: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The manifest as written: shards in order, with the totals."""
        shards = [self.shards[i] for i in sorted(self.shards)]
        return {
            "format": FORMAT,
            "version": VERSION,
            "engine": self.engine,
            "model": self.model,
            "options": self.options,
            "inputs": self.inputs,
            "complete": self.complete,
            "partitions": self.partitions,
            "articles": sum(s["articles"] for s in shards),
            "errors": sum(len(s["errors"]) for s in shards),
            "shards": shards,
        }

    def write(self, folder: Path) -> None:
        """Write the manifest atomically."""
        with AtomicFile(folder / MANIFEST) as out:
            json.dump(self.to_json(), out, ensure_ascii=False, indent=1)
            out.write("\n")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """Read ``folder/manifest.json``.

        Raises:
            QuotebenchError: no manifest, or one that cannot be read (E096).
        """
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} manifest")
            if data.get("version") != VERSION:
                raise ValueError(f"layout version {data.get('version')!r}, this Quotebench reads {VERSION}")
            shards = {int(s["index"]): s for s in data["shards"]}
            return cls(
                engine=str(data["engine"]),
                options=dict(data["options"]),
                inputs=list(data["inputs"]),
                model=dict(data.get("model") or {}),
                shards=shards,
                complete=bool(data.get("complete")),
                partitions=data.get("partitions"),
            )
        except FileNotFoundError:
            raise QuotebenchError(Errors.E096.format(path=path, detail="there is none")) from None
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise QuotebenchError(Errors.E096.format(path=path, detail=err)) from None

    def verified(self, folder: Path, index: int, ids_sha256: str) -> bool:
        """Whether shard ``index`` is complete: listed, the same articles, its file's checksum right."""
        entry = self.shards.get(index)
        if entry is None or entry.get("ids_sha256") != ids_sha256:
            return False
        path = folder / entry["file"]
        try:
            return os.path.getsize(path) == entry["bytes"] and file_sha256(path) == entry["sha256"]
        except OSError:
            return False


def shard_entry(
    index: int, path: Path, data: bytes, articles: int, ids_sha256: str, errors: list[dict[str, Any]]
) -> dict[str, Any]:
    """A manifest's record of a shard just written (``data``: the bytes of its file)."""
    return {
        "index": index,
        "file": path.name,
        "articles": articles,
        "ids_sha256": ids_sha256,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "errors": errors,
    }
