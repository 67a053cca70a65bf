"""The engine measured on a researcher's own decisions (``quotebench evaluate``).

On the documents a researcher has marked done, every suggestion the engine made is compared
with what became of it (its original record is kept in ``quotes.original``, migration m007):

- accepted as suggested: **right**;
- accepted after an edit of its span, kind or speaker: **partly right**, with what was changed;
- rejected, or deleted: **false**;
- still a suggestion on a done document: **unreviewed**, left out of every figure;

and every accepted quote the engine did not suggest (added by hand or imported) is **missed**.
Precision counts right and partly right suggestions against false ones; recall counts them
against missed quotes. By kind, a suggestion whose kind was changed is false for the kind it
had and missed for the kind it was given. The speaker is right when the engine's name is the
final speaker's name or one of its aliases, case and spaces aside (as agreement compares
speakers): a merge of two speakers is no error of the engine's.

The figures are those of the workflow ``suggest`` then review: a suggestion that overlapped a
quote stored before the engine ran was never stored, so it is neither right nor false.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Status
from ..project.review import ReviewState
from ..project.store import Store
from .errors import AgreementError, AgreementErrors
from .measures import speaker_key

#: The outcomes of a suggestion, and of a quote the engine missed.
RIGHT, PARTLY, FALSE, MISSED, UNREVIEWED = "right", "partly_right", "false", "missed", "unreviewed"
#: The confidence buckets of the calibration table: [low, high), the last one closed.
BUCKETS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
KINDS = ("direct", "indirect", "mixed")
ENGINE_ORIGIN = "quotebench-engine"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one suggestion, or one quote the engine missed.

    Attributes:
        quote_id: the quote's id in the project.
        document_id: its document.
        outcome: :data:`RIGHT`, :data:`PARTLY`, :data:`FALSE`, :data:`MISSED` or :data:`UNREVIEWED`.
        changed: for a partly right suggestion, what the researcher changed: ``span``,
            ``kind``, ``speaker``.
        suggested_kind: the kind the engine gave (``None`` for a missed quote).
        final_kind: the kind the researcher accepted (``None`` unless accepted).
        rule: the engine's rule (``""`` for a missed quote).
        confidence: the engine's confidence that this is a quote.
    """

    quote_id: int
    document_id: int
    outcome: str
    changed: tuple[str, ...] = ()
    suggested_kind: str | None = None
    final_kind: str | None = None
    rule: str = ""
    confidence: float | None = None

    @property
    def found(self) -> bool:
        """Right or partly right: the engine found a quote the researcher kept."""
        return self.outcome in (RIGHT, PARTLY)


def _names(speakers: Mapping[int, Iterable[str]], speaker_id: int | None) -> set[str]:
    return {speaker_key(n) for n in speakers.get(speaker_id, ())} if speaker_id is not None else set()


def classify(
    row: Mapping[str, Any], speakers: Mapping[int, Iterable[str]], *, deleted: bool = False
) -> Outcome | None:
    """What became of a stored quote (or a deleted suggestion's last row).

    Args:
        row: the quote's stored row (``status``, ``start``, ``end``, ``kind``, ``speaker_id``,
            ``origin``, ``original``, ...).
        speakers: every speaker's names (its name, then its aliases), by id.
        deleted: the row is a suggestion a researcher deleted.

    Returns:
        The outcome, or ``None`` for a quote that says nothing about the engine (a rejected or
        unreviewed quote not made by the engine, or an engine quote edited before m007, whose
        original is lost).
    """
    raw = row.get("original")
    if not raw:
        if (
            row["status"] == Status.ACCEPTED
            and not deleted
            and not str(row["origin"]).startswith(ENGINE_ORIGIN)
        ):
            return Outcome(row["id"], row["document_id"], MISSED, final_kind=row["kind"])
        return None
    original = json.loads(raw)
    base = {
        "quote_id": row["id"],
        "document_id": row["document_id"],
        "suggested_kind": original["kind"],
        "rule": original.get("rule") or "",
        "confidence": original.get("confidence"),
    }
    if deleted or row["status"] == Status.REJECTED:
        return Outcome(outcome=FALSE, **base)
    if row["status"] == Status.SUGGESTED:
        return Outcome(outcome=UNREVIEWED, **base)
    changed = []
    if (row["start"], row["end"]) != (original["start"], original["end"]):
        changed.append("span")
    if row["kind"] != original["kind"]:
        changed.append("kind")
    final = _names(speakers, row["speaker_id"])
    named = original.get("entity")
    if (speaker_key(named) not in final) if named and named.strip() else bool(final):
        changed.append("speaker")
    return Outcome(
        outcome=PARTLY if changed else RIGHT, changed=tuple(changed), final_kind=row["kind"], **base
    )


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def _by_kind(outcomes: list[Outcome]) -> dict[str, dict[str, Any]]:
    out = {}
    for kind in KINDS:
        tp = sum(o.found and o.suggested_kind == kind and o.final_kind == kind for o in outcomes)
        fp = sum(
            o.suggested_kind == kind and (o.outcome == FALSE or (o.found and o.final_kind != kind))
            for o in outcomes
        )
        fn = sum(
            o.final_kind == kind and (o.outcome == MISSED or (o.found and o.suggested_kind != kind))
            for o in outcomes
        )
        out[kind] = _prf(tp, fp, fn)
    return out


def _by_rule(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    rows: dict[str, Counter[str]] = {}
    for o in outcomes:
        if o.outcome in (RIGHT, PARTLY, FALSE):
            rows.setdefault(o.rule, Counter())[o.outcome] += 1
    out = []
    for rule, c in sorted(rows.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        n = c[RIGHT] + c[PARTLY] + c[FALSE]
        out.append(
            {
                "rule": rule,
                "suggested": n,
                RIGHT: c[RIGHT],
                PARTLY: c[PARTLY],
                FALSE: c[FALSE],
                "precision": (c[RIGHT] + c[PARTLY]) / n,
            }
        )
    return out


def _bucket(confidence: float) -> int:
    for i in range(len(BUCKETS) - 2, -1, -1):
        if confidence >= BUCKETS[i]:
            return i
    return 0


def _calibration(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    groups: dict[int, list[Outcome]] = {}
    for o in outcomes:
        if o.outcome in (RIGHT, PARTLY, FALSE) and o.confidence is not None:
            groups.setdefault(_bucket(o.confidence), []).append(o)
    out = []
    for i in range(len(BUCKETS) - 1):
        group = groups.get(i, [])
        kept = sum(o.found for o in group)
        out.append(
            {
                "low": BUCKETS[i],
                "high": BUCKETS[i + 1],
                "suggested": len(group),
                "accepted": kept,
                "share_accepted": kept / len(group) if group else None,
                "mean_confidence": sum(o.confidence or 0 for o in group) / len(group) if group else None,
            }
        )
    return out


def figures(outcomes: list[Outcome], documents: int) -> dict[str, Any]:
    """The evaluation's figures from the outcomes of the done documents' quotes, as JSON.

    Returns:
        ``{"documents", "outcomes" (count of each outcome), "edits" (partly right suggestions
        by what was changed), "spans" (tp, fp, fn, precision, recall, f1 over all kinds),
        "by_kind", "speaker" ({"accuracy", "right", "n"} over found quotes), "by_rule",
        "calibration"}``; shares are fractions, ``None`` where undefined.
    """
    counts = Counter(o.outcome for o in outcomes)
    found = [o for o in outcomes if o.found]
    speaker_right = sum("speaker" not in o.changed for o in found)
    return {
        "documents": documents,
        "outcomes": {k: counts[k] for k in (RIGHT, PARTLY, FALSE, MISSED, UNREVIEWED)},
        "edits": {k: sum(k in o.changed for o in outcomes) for k in ("span", "kind", "speaker")},
        "spans": _prf(len(found), counts[FALSE], counts[MISSED]),
        "by_kind": _by_kind(outcomes),
        "speaker": {
            "accuracy": speaker_right / len(found) if found else None,
            "right": speaker_right,
            "n": len(found),
        },
        "by_rule": _by_rule(outcomes),
        "calibration": _calibration(outcomes),
    }


def evaluate_store(store: Store) -> dict[str, Any]:
    """Evaluate the engine on a project's documents marked done (see the module docstring).

    Returns:
        :func:`figures`, plus ``"quotes"``: each outcome (quote id, document, outcome, what was
        changed) for a reader who wants to look at them.

    Raises:
        AgreementError: no document is marked done (E044).
    """
    done = store.documents_in_state(ReviewState.DONE)
    if not done:
        raise AgreementError(AgreementErrors.E044.format(path=store.path))
    speakers = {sp.id: (sp.name, *sp.aliases) for sp in store.speakers()}
    wanted = set(done)
    outcomes = []
    for row in store.iter_quote_rows():
        if row["document_id"] in wanted and (o := classify(row, speakers)) is not None:
            outcomes.append(o)
    for row in store.deleted_suggestions(done):
        if (o := classify(row, speakers, deleted=True)) is not None:
            outcomes.append(o)
    result = figures(outcomes, len(done))
    result["quotes"] = [
        {
            "quote_id": o.quote_id,
            "document_id": o.document_id,
            "outcome": o.outcome,
            "changed": list(o.changed),
        }
        for o in sorted(outcomes, key=lambda o: (o.document_id, o.quote_id))
    ]
    return result


def evaluate_project(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Open a project, evaluate the engine on it (:func:`evaluate_store`) and close it."""
    with Store.open(path) as store:
        return evaluate_store(store)
