"""spaCy ``DocBin``: quotes and speaker mentions as span groups of ``spacy.blank("en")`` docs.

The export is a folder of shards, ``part-00000.spacy``, ``part-00001.spacy``, ..., each a
``DocBin`` of at most :data:`SHARD_DOCUMENTS` documents (fewer when their texts pass
:data:`SHARD_CHARACTERS` characters), in document order. One shard is held in memory at a time,
with a fresh ``spacy.blank("en")`` whose vocabulary grows with that shard only, so the export's
memory does not grow with the project. spaCy reads such a folder as it is (``spacy train``
takes a folder of ``.spacy`` files); in Python::

    docs = [doc for part in sorted(Path(OUT).glob("part-*.spacy"))
            for doc in DocBin().from_disk(part).get_docs(nlp.vocab)]

Each doc keeps only what a reader needs: its tokens (``ORTH`` and spacing, so ``doc.text`` is the
stored text), the span groups, and ``doc.user_data["quotebench"]`` (the document's id, title and
source and its quote records).
"""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Any

from ..project.store import Store
from .output import AtomicFolder
from .project_quotes import documents_with_quotes, speakers_by_id
from .record import docbin_quote_record

#: The most documents in one shard.
SHARD_DOCUMENTS = 1000
#: A shard is closed once its texts hold this many characters (a longer text is a shard alone).
SHARD_CHARACTERS = 5_000_000
_SHARD = re.compile(r"part-\d{5,}\.spacy")


def shard_name(n: int) -> str:
    """The file name of the ``n``-th shard (from 0): ``part-00000.spacy``."""
    return f"part-{n:05d}.spacy"


def is_docbin_export(names: list[str]) -> bool:
    """Whether the file names of a folder are those of a DocBin export (shards only)."""
    return all(_SHARD.fullmatch(n) for n in names)


def _doc(nlp: Any, info: dict[str, Any], text: str, quotes: list[Any], speakers: dict[int, Any]) -> Any:
    """One document as a ``Doc`` with its span groups and quote records."""
    doc = nlp.make_doc(text)
    spans, mentions, records = [], [], []
    for q in quotes:
        sp = speakers.get(q.speaker_id) if q.speaker_id is not None else None
        span = doc.char_span(q.start, q.end, label=q.kind.value, alignment_mode="expand")
        if span is not None:
            spans.append(span)
        if sp is not None and q.mention_start is not None and q.mention_end is not None:
            mention = doc.char_span(q.mention_start, q.mention_end, label=sp.name, alignment_mode="expand")
            if mention is not None:
                mentions.append(mention)
        records.append(docbin_quote_record(q, sp))
    doc.spans["quotes"] = spans
    doc.spans["speakers"] = mentions
    doc.user_data["quotebench"] = {
        "document_id": info["id"],
        "title": info["title"],
        "source": info["source"],
        "quotes": records,
    }
    return doc


def export_docbin(store: Store, folder: Path, *, accepted_only: bool = False) -> tuple[int, int]:
    """Write the project as ``DocBin`` shards into ``folder``: per document a tokenised ``Doc``
    (``spacy.blank("en")``) with quotes in ``doc.spans["quotes"]`` (label = kind), speaker
    mentions in ``doc.spans["speakers"]`` (label = speaker name), and every quote's exact
    character offsets, speaker and status in ``doc.user_data["quotebench"]``.

    Span groups hold token spans, so a quote boundary inside a token is widened to the token;
    ``user_data`` keeps the exact offsets. An empty project gives one empty shard.
    """
    import spacy  # here, so the other formats and the command line start fast
    from spacy.tokens import DocBin

    speakers = speakers_by_id(store)
    n_docs = n_quotes = shards = 0
    bin_: Any = None
    nlp: Any = None
    in_shard = chars = 0
    for info, text, quotes in documents_with_quotes(store, accepted_only):
        if bin_ is None:
            # a fresh vocabulary per shard: the strings of earlier shards are not kept
            nlp = spacy.blank("en")
            bin_ = DocBin(attrs=["ORTH"], store_user_data=True)
        bin_.add(_doc(nlp, info, text, quotes, speakers))
        n_docs += 1
        n_quotes += len(quotes)
        in_shard += 1
        chars += len(text)
        if in_shard >= SHARD_DOCUMENTS or chars >= SHARD_CHARACTERS:
            bin_.to_disk(folder / shard_name(shards))
            shards += 1
            bin_, nlp, in_shard, chars = None, None, 0, 0
            gc.collect()  # a pipeline is freed through reference cycles: free it before the next
    if bin_ is not None or shards == 0:
        (bin_ or DocBin(attrs=["ORTH"], store_user_data=True)).to_disk(folder / shard_name(shards))
    return n_docs, n_quotes


def write_docbin(
    store: Store, out: Path, *, accepted_only: bool = False
) -> tuple[tuple[Path, ...], int, int]:
    """The DocBin export (see :func:`export_docbin`), built beside ``out`` and swapped in whole
    (:class:`.output.AtomicFolder`): the folder written, documents and quotes."""
    with AtomicFolder(out, is_docbin_export, "a DocBin export") as build:
        counts = export_docbin(store, build, accepted_only=accepted_only)
    return (out,), *counts
