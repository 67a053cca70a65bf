"""brat standoff: per document ``<id>-<title>.txt`` and ``.ann`` (and ``.meta.json``, its metadata, if
it has some), and ``annotation.conf``.

``Quote``, ``Cue`` and ``Mention`` text-bound annotations (a span over line breaks becomes one
fragment per line), attributes ``Kind`` and ``Status``, relations ``Speaker`` (quote ->
mention) and ``HasCue`` (quote -> cue), ``*\tEquiv`` over the mentions of one speaker, and the
speaker's name as an ``AnnotatorNotes`` on the quote.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..model import Quote, Speaker
from ..project.store import Store
from .output import AtomicFolder
from .project_quotes import documents_with_quotes, speakers_by_id

BRAT_CONF = """\
[entities]
Quote
Cue
Mention

[relations]
# relation types are named apart from entity types (HasCue, not Cue), so no type name means two things
Speaker\tArg1:Quote, Arg2:Mention
HasCue\tArg1:Quote, Arg2:Cue
Equiv\tArg1:Mention, Arg2:Mention, <REL-TYPE>:symmetric-transitive
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
Kind\tArg:Quote, Value:direct|indirect|mixed
Status\tArg:Quote, Value:suggested|accepted|rejected
"""


#: Every line separator ``str.splitlines`` knows (``\r\n`` is two of them, so it is covered):
#: a ``.ann`` line must hold none, whatever way its reader splits lines.
LINE_SEPARATORS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_PIECE = re.compile(f"[^{LINE_SEPARATORS}]+")


def brat_fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span as brat fragments: brat's text-bound annotations cannot cross a line end, so a
    span over line ends becomes one fragment per line (empty or blank lines left out). Every
    separator of :data:`LINE_SEPARATORS` ends a line, so no fragment's text holds one."""
    return [
        (start + m.start(), start + m.end())
        for m in _LINE_PIECE.finditer(text[start:end])
        if m.group().strip()
    ]


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:40] or "document"


def brat_name(info: dict[str, Any]) -> str:
    """The file name (without suffix) of a document in a brat export."""
    return f"{info['id']:05d}-{_slug(info['title'])}"


def brat_ann(text: str, quotes: list[Quote], speakers: dict[int, Speaker]) -> str:
    """The ``.ann`` standoff of one document's quotes."""
    lines: list[str] = []
    ids: dict[tuple[str, int, int], str] = {}
    counters = {"T": 0, "R": 0, "A": 0, "#": 0}

    def next_id(prefix: str) -> str:
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    def textbound(label: str, start: int | None, end: int | None) -> str | None:
        if start is None or end is None:
            return None
        key = (label, start, end)
        if key in ids:
            return ids[key]
        frags = brat_fragments(text, start, end)
        if not frags:
            return None
        tid = next_id("T")
        where = ";".join(f"{s} {e}" for s, e in frags)
        lines.append(f"{tid}\t{label} {where}\t{' '.join(text[s:e] for s, e in frags)}")
        ids[key] = tid
        return tid

    groups: dict[int, list[str]] = {}
    grouped: set[str] = set()
    for q in quotes:
        qt = textbound("Quote", q.start, q.end)
        if qt is None:
            continue
        lines.append(f"{next_id('A')}\tKind {qt} {q.kind.value}")
        lines.append(f"{next_id('A')}\tStatus {qt} {q.status.value}")
        if q.speaker_id is not None and q.speaker_id in speakers:
            name = " ".join(speakers[q.speaker_id].name.split())
            lines.append(f"{next_id('#')}\tAnnotatorNotes {qt}\t{name}")
        ct = textbound("Cue", q.cue_start, q.cue_end)
        if ct is not None:
            lines.append(f"{next_id('R')}\tHasCue Arg1:{qt} Arg2:{ct}")
        mt = textbound("Mention", q.mention_start, q.mention_end)
        if mt is not None:
            lines.append(f"{next_id('R')}\tSpeaker Arg1:{qt} Arg2:{mt}")
            # a mention belongs to one chain only: brat merges chains that share a member
            if q.speaker_id is not None and mt not in grouped:
                grouped.add(mt)
                groups.setdefault(q.speaker_id, []).append(mt)
    for members in groups.values():
        if len(members) > 1:
            lines.append("*\tEquiv " + " ".join(members))
    return "".join(line + "\n" for line in lines)


#: The files of a brat export: ``<id>-<slug>.txt`` and ``.ann``, and ``annotation.conf``.
_BRAT_FILE = re.compile(r"\d{5,}-[A-Za-z0-9-]*\.(txt|ann|meta\.json)")


def is_brat_export(names: list[str]) -> bool:
    """Whether the file names of a folder are those of a brat export this module wrote."""
    return "annotation.conf" in names and all(
        n == "annotation.conf" or _BRAT_FILE.fullmatch(n) for n in names
    )


def export_brat(store: Store, out_dir: Path, *, accepted_only: bool = False) -> tuple[int, int]:
    """Write ``<id>-<title>.txt`` and ``.ann`` per document and ``annotation.conf`` into ``out_dir``."""
    speakers = speakers_by_id(store)
    n_docs = n_quotes = 0
    for info, text, quotes in documents_with_quotes(store, accepted_only):
        name = brat_name(info)
        # newline="" keeps the text byte for byte, so brat's offsets are the project's
        with open(out_dir / f"{name}.txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        with open(out_dir / f"{name}.ann", "w", encoding="utf-8", newline="") as fh:
            fh.write(brat_ann(text, quotes, speakers))
        if info["metadata"]:  # brat has no place for it: a sidecar beside the text
            sidecar = {"title": info["title"], "source": info["source"], **info["metadata"]}
            with open(out_dir / f"{name}.meta.json", "w", encoding="utf-8", newline="\n") as fh:
                fh.write(json.dumps(sidecar, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        n_docs += 1
        n_quotes += len(quotes)
    (out_dir / "annotation.conf").write_text(BRAT_CONF, encoding="utf-8")
    return n_docs, n_quotes


def write_brat(store: Store, out: Path, *, accepted_only: bool = False) -> tuple[tuple[Path, ...], int, int]:
    """The brat export (see :func:`export_brat`), built in a folder beside ``out`` and swapped in
    whole (:class:`.output.AtomicFolder`): the folder written, documents and quotes."""
    with AtomicFolder(out, is_brat_export, "a brat export") as build:
        counts = export_brat(store, build, accepted_only=accepted_only)
    return (out,), *counts
