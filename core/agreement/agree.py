"""Agreement of two or more codings: the JSON the command line writes and a window can show.

Two codings: OTHER against REFERENCE, ``{"documents", "spans", "kind", "speaker",
"per_document"}``. Three or more: every pair (the earlier coding as reference), under
``"pairs"``, and at the top level the mean of each figure over the pairs (figures that are
undefined for a pair are left out of its mean). Every pair is compared on the texts all the
codings hold, so the means are over one sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

from .matching import common_texts
from .measures import PairResult, compare_pair
from .records import Coding

_TOP = ("documents", "spans", "kind", "speaker", "per_document")


def pair_results(codings: Sequence[Coding], *, strict: bool = False) -> list[PairResult]:
    """Compare every pair of codings (earlier one as reference) on the texts all of them hold.

    Raises:
        AgreementError: fewer than two codings, no text in common, or (strict) different texts.
    """
    shared = common_texts(codings, strict=strict)
    return [
        compare_pair(a.name, b.name, [(a.documents[sha], b.documents[sha]) for sha in shared])
        for a, b in combinations(codings, 2)
    ]


def _mean(values: Sequence[Any]) -> Any:
    """The mean of figures: numbers averaged (``None`` left out), dicts key by key."""
    first = values[0]
    if isinstance(first, dict):
        return {k: _mean([v[k] for v in values]) for k in first}
    numbers = [v for v in values if v is not None]
    return sum(numbers) / len(numbers) if numbers else None


def _figures(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in ("spans", "kind", "speaker")}


def mean_of_pairs(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """The top level for three or more codings: means over pairs, overall and per text."""
    per_document = []
    for i, doc in enumerate(pairs[0]["per_document"]):
        per_document.append(
            {
                "sha256": doc["sha256"],
                "title": doc["title"],
                "reference_id": doc["reference_id"],
                **_mean([_figures(p["per_document"][i]) for p in pairs]),
            }
        )
    return {
        "documents": pairs[0]["documents"],
        **_mean([_figures(p) for p in pairs]),
        "per_document": per_document,
        "pairs": pairs,
    }


def agreement(codings: Sequence[Coding], *, strict: bool = False) -> dict[str, Any]:
    """Agreement between codings of the same texts, as JSON.

    Args:
        codings: the reference coding first, then the others.
        strict: refuse codings that do not hold exactly the same texts.

    Raises:
        AgreementError: see :func:`pair_results`.
    """
    pairs = [p.to_json() for p in pair_results(codings, strict=strict)]
    if len(pairs) == 1:
        return {k: pairs[0][k] for k in _TOP}
    return mean_of_pairs(pairs)
