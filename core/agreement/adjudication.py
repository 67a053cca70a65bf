"""Adjudication: several coders' projects of the same texts into one gold project.

:func:`create_gold` writes a new project holding the texts every coder has. On each text the
coders' accepted quotes are aligned (one to one per pair of coders, as the scorer matches:
IoU of the normalised spans at least 0.5) into *items*. An item on which every coder has the
same quote (the same normalised span, kind and speaker) is taken at once, accepted, with origin
``adjudicated:ann+ben``. An item on which they differ (``missing``, ``span``, ``kind``,
``speaker``) puts each coder's version into the gold project as a suggestion with origin
``adjudicated:<coder>``, and waits for a decision:

- :func:`choose`: one coder's version is accepted (optionally edited), the others rejected;
- :func:`reject`: every version is rejected (no quote there);
- :func:`undo`: the versions are put back as they came, undecided.

Each decision is one transaction, made by the gold store's annotator, recorded in the
history as the quotes' own edits plus one ``adjudicate`` (``adjudicate-reject``,
``adjudicate-undo``) row: ``before`` holds every coder's version, ``after`` the decision and
whose version it took. The items are listed in the gold project's ``project_info`` under
``adjudication`` (with the coders and their projects), so the window can go on where the
command line stopped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Quote, Status
from ..project.store import Store
from .errors import AgreementError, AgreementErrors
from .matching import match_spans, normalize_span
from .measures import speaker_key

ORIGIN = "adjudicated:"
#: The fields of a version that a decision may change, and :func:`undo` puts back.
_FIELDS = (
    "start",
    "end",
    "kind",
    "cue_start",
    "cue_end",
    "mention_start",
    "mention_end",
    "speaker_id",
    "status",
)


@dataclass
class CoderProject:
    """One coder's accepted quotes on each text (by SHA-256), read once."""

    name: str
    path: Path
    texts: dict[str, tuple[dict[str, Any], str, list[Quote]]] = field(default_factory=dict)
    speaker_types: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Item:
    """The coders' versions of one quote on one text: coder -> quote (absent coders left out)."""

    sha256: str
    versions: dict[str, Quote]
    differs: tuple[str, ...]

    @property
    def start(self) -> int:
        return min(q.start for q in self.versions.values())


def read_coder(path: str | os.PathLike[str]) -> CoderProject:
    """A coder's project: its coder's name (``project_info``, else the file's stem) and quotes."""
    with Store.open(path) as store:
        name = store.project_info().get("coder") or Path(path).stem
        out = CoderProject(name, Path(path))
        out.speaker_types = {sp.name: sp.type.value for sp in store.speakers()}
        meta = store.all_document_metadata()
        for info, text in store.iter_documents():
            accepted = [q for q in store.quotes_for(info["id"]) if q.status is Status.ACCEPTED]
            out.texts[info["sha256"]] = (info, text, accepted)
            if info["id"] in meta:
                out.metadata[info["sha256"]] = meta[info["id"]]
    return out


def _differs(versions: dict[str, Quote], coders: Sequence[str], text: str) -> tuple[str, ...]:
    out = ["missing"] if len(versions) < len(coders) else []
    quotes = list(versions.values())
    if len({normalize_span(text, q.start, q.end) for q in quotes}) > 1:
        out.append("span")
    if len({q.kind for q in quotes}) > 1:
        out.append("kind")
    if len({speaker_key(q.speaker_name) for q in quotes}) > 1:
        out.append("speaker")
    return tuple(out)


def align(text: str, sha: str, codings: Sequence[tuple[str, list[Quote]]]) -> list[Item]:
    """Align several coders' quotes of one text into items, in text order.

    The first coder's quotes start the items; each next coder's quotes are matched one to one
    with the items (by the span of each item's first version), and those left start new items.
    """
    groups: list[dict[str, Quote]] = []
    for coder, quotes in codings:
        spans = [normalize_span(text, q.start, q.end) for q in quotes]
        heads = [next(iter(g.values())) for g in groups]
        matches = match_spans([normalize_span(text, h.start, h.end) for h in heads], spans)
        used = set()
        for gi, qi, _ in matches:
            groups[gi][coder] = quotes[qi]
            used.add(qi)
        groups += [{coder: q} for qi, q in enumerate(quotes) if qi not in used]
    names = [c for c, _ in codings]
    items = [Item(sha, g, _differs(g, names, text)) for g in groups]
    return sorted(items, key=lambda i: (i.start, min(q.end for q in i.versions.values())))


def _version_json(q: Quote) -> dict[str, Any]:
    return {
        "id": q.id,
        "start": q.start,
        "end": q.end,
        "text": q.text,
        "kind": q.kind.value,
        "speaker": q.speaker_name,
    }


class _Gold:
    """Writes items into the gold store, with speakers made by name."""

    def __init__(self, store: Store, coders: list[CoderProject]) -> None:
        self.store = store
        self.types = {k: v for c in coders for k, v in c.speaker_types.items()}
        self.speakers: dict[str, int] = {}

    def speaker(self, name: str | None) -> int | None:
        if not name:
            return None
        key = speaker_key(name)
        if key not in self.speakers:
            found = self.store.find_speaker(name)
            self.speakers[key] = (
                found.id if found else self.store.add_speaker(name, self.types.get(name, "unknown"))[0]
            )
        return self.speakers[key]

    def add(self, doc_id: int, q: Quote, origin: str, status: Status, note: str = "") -> int:
        qid, _ = self.store.add_quote(
            doc_id,
            q.start,
            q.end,
            q.kind,
            cue=(q.cue_start, q.cue_end) if q.cue_start is not None and q.cue_end is not None else None,
            mention=(q.mention_start, q.mention_end)
            if q.mention_start is not None and q.mention_end is not None
            else None,
            speaker_id=self.speaker(q.speaker_name),
            status=status,
            origin=origin,
            note=note,
        )
        return qid


def _check_out(out: Path) -> Path:
    if out.exists():
        raise AgreementError(AgreementErrors.E049.format(path=out))
    tmp = out.with_name(f".{out.name}.part")
    tmp.unlink(missing_ok=True)
    return tmp


def _shared(coders: list[CoderProject]) -> list[str]:
    if len(coders) < 2:
        raise AgreementError(AgreementErrors.E043.format(n=len(coders)))
    names = [c.name.casefold() for c in coders]
    if len(set(names)) != len(names):
        raise AgreementError(AgreementErrors.E048.format(detail="two projects are of the same coder"))
    shared = set.intersection(*(set(c.texts) for c in coders))
    if not shared:
        raise AgreementError(
            AgreementErrors.E040.format(reference=coders[0].name, other=", ".join(c.name for c in coders[1:]))
        )
    first = coders[0].texts
    return sorted(shared, key=lambda sha: first[sha][0]["id"])


def _write_text(
    gold: _Gold, coders: list[CoderProject], sha: str, prefer: str | None
) -> tuple[list[dict[str, Any]], int]:
    """One shared text and its items into the gold project; the disagreements' records and how
    many items the coders agreed on. With ``prefer``, each disagreement is written decided (as
    :func:`choose` or :func:`reject` would leave it, with the same history row)."""
    info, text, _ = coders[0].texts[sha]
    doc_id, _ = gold.store.add_document(text, title=info["title"], source=info["source"])
    if sha in coders[0].metadata:
        gold.store.set_document_metadata(doc_id, coders[0].metadata[sha])
    open_items = []
    agreed = 0
    for item in align(text, sha, [(c.name, c.texts[sha][2]) for c in coders]):
        before = {
            "versions": {c: _version_json(q) for c, q in item.versions.items()},
            "differs": list(item.differs),
        }
        if not item.differs:
            first = next(iter(item.versions.values()))
            qid = gold.add(doc_id, first, ORIGIN + "+".join(item.versions), Status.ACCEPTED)
            gold.store.log_decision(
                "adjudicate", qid, before, {"decision": "agreed", "from": list(item.versions)}
            )
            agreed += 1
            continue
        note = "adjudication: " + ", ".join(item.differs)
        if prefer is None:
            states = dict.fromkeys(item.versions, Status.SUGGESTED)
        else:
            states = {c: Status.ACCEPTED if c == prefer else Status.REJECTED for c in item.versions}
        ids = {c: gold.add(doc_id, q, ORIGIN + c, states[c], note) for c, q in item.versions.items()}
        if prefer in ids:
            after = {"decision": "chosen", "from": prefer, "changes": {}}
            gold.store.log_decision("adjudicate", ids[prefer], before, after)
        elif prefer is not None:
            after = {"decision": "rejected", "from": list(ids)}
            gold.store.log_decision("adjudicate-reject", next(iter(ids.values())), before, after)
        open_items.append(
            {"document_id": doc_id, "sha256": sha, "quotes": ids, "differs": list(item.differs)}
        )
    return open_items, agreed


def create_gold(
    paths: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    annotator: str | None = None,
    prefer: str | None = None,
) -> dict[str, Any]:
    """Write a gold project from coders' projects: agreements taken, disagreements left to decide.

    Args:
        paths: the coders' projects (read only).
        out: the gold project to create (must not exist).
        annotator: the adjudicator's name, recorded with every decision.
        prefer: decide every disagreement for this coder (their version, or no quote where
            they have none).

    Returns:
        ``{"texts", "agreed", "disagreements", "decided", "open", "coders"}``.

    Raises:
        AgreementError: fewer than two projects (E043), no text in common (E040), two of one
            coder or an unknown ``prefer`` (E048), ``out`` exists (E049).
    """
    target = Path(out)
    tmp = _check_out(target)
    coders = [read_coder(p) for p in paths]
    shared = _shared(coders)
    if prefer is not None and prefer not in [c.name for c in coders]:
        raise AgreementError(
            AgreementErrors.E048.format(
                detail=f"--prefer {prefer}: not one of {', '.join(c.name for c in coders)}"
            )
        )
    agreed = 0
    try:
        with Store.create(tmp, annotator=annotator) as store:
            gold = _Gold(store, coders)
            items: list[dict[str, Any]] = []
            with store.batch():
                for sha in shared:
                    found, n = _write_text(gold, coders, sha, prefer)
                    items += found
                    agreed += n
                store.set_project_info(
                    {
                        "coder": "gold",
                        "adjudication": {
                            "coders": [c.name for c in coders],
                            "sources": {c.name: c.path.name for c in coders},
                            "items": items,
                        },
                    }
                )
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)
    return {
        "texts": len(shared),
        "agreed": agreed,
        "disagreements": len(items),
        "decided": len(items) if prefer is not None else 0,
        "open": 0 if prefer is not None else len(items),
        "coders": [c.name for c in coders],
    }


# --- decisions ----------------------------------------------------------------------------


def items(gold: Store) -> list[dict[str, Any]]:
    """The gold project's disagreements, each with its ``state``: ``open`` or ``decided``."""
    raw = gold.project_info().get("adjudication")
    if not raw:
        raise AgreementError(AgreementErrors.E048.format(detail=f"{gold.path} is not a gold project"))
    out = []
    for item in json.loads(raw)["items"]:
        statuses = {gold.quote(qid).status for qid in item["quotes"].values()}
        out.append({**item, "state": "open" if statuses == {Status.SUGGESTED} else "decided"})
    return out


def _versions(gold: Store, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "versions": {c: _version_json(gold.quote(qid)) for c, qid in item["quotes"].items()},
        "differs": item["differs"],
    }


def choose(gold: Store, item: dict[str, Any], coder: str, **changes: Any) -> int:
    """Accept one coder's version of an item (with ``changes``, e.g. ``kind=``), reject the others.

    Returns:
        The accepted quote's id.

    Raises:
        AgreementError: the coder has no version in this item (E048).
        StoreError: a bad change (as :meth:`Store.update_quote`).
    """
    if coder not in item["quotes"]:
        raise AgreementError(AgreementErrors.E048.format(detail=f"{coder} has no version of this quote"))
    pick = item["quotes"][coder]
    with gold.batch():
        before = _versions(gold, item)
        gold.update_quote(pick, **changes, status=Status.ACCEPTED)
        gold.set_status([q for c, q in item["quotes"].items() if c != coder], Status.REJECTED)
        after = {"decision": "edited" if changes else "chosen", "from": coder, "changes": changes}
        gold.log_decision("adjudicate", pick, before, after)
    return int(pick)


def reject(gold: Store, item: dict[str, Any]) -> None:
    """Reject every version of an item: there is no quote there."""
    with gold.batch():
        before = _versions(gold, item)
        ids = list(item["quotes"].values())
        gold.set_status(ids, Status.REJECTED)
        gold.log_decision(
            "adjudicate-reject", ids[0], before, {"decision": "rejected", "from": list(item["quotes"])}
        )


def undo(gold: Store, item: dict[str, Any]) -> None:
    """Put every version of an item back as it came from its coder, undecided."""
    with gold.batch():
        before = _versions(gold, item)
        for qid in item["quotes"].values():
            added = next(e for e in gold.history(qid, limit=10**9) if e.action == "add")
            came = added.after or {}
            now = gold.quote(qid)
            fields = {f: came[f] for f in _FIELDS if came.get(f) != getattr(now, f)}
            if fields:
                gold.update_quote(qid, **fields)
        gold.log_decision(
            "adjudicate-undo", next(iter(item["quotes"].values())), before, {"decision": "undone"}
        )
