"""Matching: documents by their text, quotes one to one by span overlap.

Documents of two projects are the same document when their texts are the same (the SHA-256
of the UTF-8 text, ``documents.sha256``), whatever their ids or titles.

Quotes are matched by the rule of the shared scorer (``shared/eval/score.py``, described in
``shared/eval/SCHEMA.md``), so agreement figures equal the scorer's:

1. Each span is normalised: leading and trailing whitespace (incl. no-break space), straight
   and curly quotation marks, guillemets and the punctuation ``. , ; :`` are stripped, so the
   conventions of ``"Yes," he said`` do not count.
2. Two spans match when their overlap divided by their union (IoU) is at least 0.5.
3. Matching is one to one and greedy: every pair with IoU over the threshold, sorted by
   decreasing IoU, then by the reference quote's position, then by the other quote's
   position, is taken unless one of its quotes is already taken.

Positions are the quotes' places in each coder's list (:attr:`DocRecord.quotes`, in the
order the coder made them), as the scorer's are places in each article's ``quotes``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from .errors import AgreementError, AgreementErrors
from .records import Coding, DocRecord

#: What normalisation strips from both ends of a span (the scorer's ``STRIP_CHARS``).
STRIP_CHARS = frozenset(" \t\r\n\u00a0\"'\u201c\u201d\u2018\u2019\u201e\u201f\u00ab\u00bb\u2039\u203a.,;:")

#: The least IoU at which two quotes are the same quote.
IOU_THRESHOLD = 0.5

Span = tuple[int, int]


def normalize_span(text: str, start: int, end: int) -> Span:
    """Strip quotation marks, whitespace and ``. , ; :`` from both ends of ``text[start:end]``.

    Returns:
        The narrowed ``(start, end)``; an empty span when nothing else is left.
    """
    while start < end and text[start] in STRIP_CHARS:
        start += 1
    while end > start and text[end - 1] in STRIP_CHARS:
        end -= 1
    return start, end


def iou(a: Span, b: Span) -> float:
    """Overlap over union of two spans (0.0 when the union is empty)."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = (a[1] - a[0]) + (b[1] - b[0]) - inter
    return inter / union if union > 0 else 0.0


def _candidate_pairs(
    reference: Sequence[Span], other: Sequence[Span], threshold: float
) -> list[tuple[float, int, int]]:
    """Every ``(iou, ref position, other position)`` with IoU at least ``threshold``.

    With a positive threshold only overlapping spans can qualify, so each reference span is
    compared with the other spans that start before its end and could still reach its start
    (a sweep over the other spans sorted by start), not with all of them.
    """
    pairs: list[tuple[float, int, int]] = []
    if threshold <= 0:
        for ri, r in enumerate(reference):
            for oi, o in enumerate(other):
                if (v := iou(r, o)) >= threshold:
                    pairs.append((v, ri, oi))
        return pairs
    order = sorted(range(len(other)), key=lambda i: other[i][0])
    starts = [other[i][0] for i in order]
    longest = max((e - s for s, e in other), default=0)
    for ri, r in enumerate(reference):
        lo = bisect_right(starts, r[0] - longest - 1)
        hi = bisect_left(starts, r[1])
        for k in range(lo, hi):
            oi = order[k]
            v = iou(r, other[oi])
            if v >= threshold:
                pairs.append((v, ri, oi))
    return pairs


def match_spans(
    reference: Sequence[Span], other: Sequence[Span], threshold: float = IOU_THRESHOLD
) -> list[tuple[int, int, float]]:
    """Match two coders' (normalised) spans one to one, greedily by decreasing IoU.

    Ties are broken by the reference position, then the other position, as the scorer's
    ``greedy_match`` does.

    Returns:
        ``(reference position, other position, iou)`` for each match, best first.
    """
    pairs = _candidate_pairs(reference, other, threshold)
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_r: set[int] = set()
    used_o: set[int] = set()
    out: list[tuple[int, int, float]] = []
    for v, ri, oi in pairs:
        if ri in used_r or oi in used_o:
            continue
        used_r.add(ri)
        used_o.add(oi)
        out.append((ri, oi, v))
    return out


def normalized_spans(doc: DocRecord) -> list[Span]:
    """The normalised spans of a document's quotes, in the coder's order."""
    return [normalize_span(doc.text, q.start, q.end) for q in doc.quotes]


def common_texts(codings: Sequence[Coding], *, strict: bool = False) -> list[str]:
    """The text hashes every coding holds, in the order of the first coding's document ids.

    Args:
        codings: two or more codings of the same texts.
        strict: refuse codings whose sets of texts differ at all.

    Raises:
        AgreementError: fewer than two codings (E043); two codings with no text in common
            (E040); in strict mode, two codings with different texts (E041).
    """
    if len(codings) < 2:
        raise AgreementError(AgreementErrors.E043.format(n=len(codings)))
    first = codings[0]
    shared = set(first.documents)
    for other in codings[1:]:
        mine, theirs = set(first.documents), set(other.documents)
        if not mine & theirs:
            raise AgreementError(AgreementErrors.E040.format(reference=first.name, other=other.name))
        if strict and mine != theirs:
            raise AgreementError(
                AgreementErrors.E041.format(
                    reference=first.name,
                    other=other.name,
                    only_reference=len(mine - theirs),
                    only_other=len(theirs - mine),
                )
            )
        shared &= theirs
    if not shared:  # pairwise overlaps that have no text in common to all
        raise AgreementError(
            AgreementErrors.E040.format(reference=first.name, other=", ".join(c.name for c in codings[1:]))
        )
    return sorted(shared, key=lambda sha: first.documents[sha].id)
