"""The measures: how far OTHER agrees with REFERENCE on the quotes of the texts both coded.

For each text both projects hold (and overall, pooling the texts):

- **spans**: the quotes matched one to one (:mod:`.matching`); precision = matched / OTHER's
  quotes, recall = matched / REFERENCE's quotes, F1 their harmonic mean (0 where undefined,
  as the scorer has it); overall figures pool the counts of all texts. ``alpha_u`` and
  ``alpha_u_kind``: nominal alpha over character positions (:mod:`.alpha`).
- **kind**, on matched quotes: the share with the same kind, and Krippendorff's alpha
  (nominal) with each matched pair a unit coded by the two coders.
- **speaker**, on matched quotes: the same over the resolved speakers' names, compared
  case-insensitively; a quote without speaker is coded "no speaker" (a category of its own).

Figures are fractions from 0 to 1; ``None`` where there is nothing to measure (no matched
quote, or alpha with a single category in use).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..project.store import name_key
from .alpha import N_CHAR_CODES, IntArray, char_pairs, nominal_alpha, pair_alpha, pair_nominal_alpha
from .matching import match_spans, normalized_spans
from .records import DocRecord, QuoteRecord


@functools.lru_cache(maxsize=65536)
def speaker_key(name: str | None) -> str:
    """How speakers are compared: the name case-folded, spaces collapsed; ``""`` is no speaker."""
    return name_key(name) if name else ""


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _share(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass
class Comparison:
    """OTHER against REFERENCE on one text, or pooled over many.

    Attributes:
        matched, reference, other: matched quotes, REFERENCE's quotes, OTHER's quotes.
        kinds, speakers: the (reference, other) kind and speaker key of each matched pair.
        chars_binary, chars_kind: character code-pair tables (see :func:`.alpha.char_pairs`).
        disagreements: every difference, for a window to list (empty when pooled).
    """

    matched: int = 0
    reference: int = 0
    other: int = 0
    kinds: list[tuple[str, str]] = field(default_factory=list)
    speakers: list[tuple[str, str]] = field(default_factory=list)
    chars_binary: IntArray = field(default_factory=lambda: np.zeros((2, 2), dtype=np.int64))
    chars_kind: IntArray = field(default_factory=lambda: np.zeros((N_CHAR_CODES,) * 2, dtype=np.int64))
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    def add(self, part: Comparison) -> None:
        """Pool another text's comparison into this one (not its disagreements)."""
        self.matched += part.matched
        self.reference += part.reference
        self.other += part.other
        self.kinds.extend(part.kinds)
        self.speakers.extend(part.speakers)
        self.chars_binary = self.chars_binary + part.chars_binary
        self.chars_kind = self.chars_kind + part.chars_kind

    def figures(self, *, pooled: bool = False) -> dict[str, Any]:
        """The measures as JSON: ``{"spans": {...}, "kind": {...}, "speaker": {...}}``.

        Args:
            pooled: the comparison of many texts: alphas through the ``krippendorff`` package
                (one text's few pairs take the closed form, see :mod:`.alpha`).
        """
        alpha = nominal_alpha if pooled else pair_nominal_alpha
        p = _ratio(self.matched, self.other)
        r = _ratio(self.matched, self.reference)
        return {
            "spans": {
                "precision": p,
                "recall": r,
                "f1": _ratio(2 * p * r, p + r),
                "matched": self.matched,
                "reference": self.reference,
                "other": self.other,
                "alpha_u": pair_alpha(self.chars_binary),
                "alpha_u_kind": pair_alpha(self.chars_kind),
            },
            "kind": {
                "agreement": _share(sum(a == b for a, b in self.kinds), len(self.kinds)),
                "alpha": alpha(self.kinds),
            },
            "speaker": {
                "agreement": _share(sum(a == b for a, b in self.speakers), len(self.speakers)),
                "alpha": alpha(self.speakers),
            },
        }


def _differences(ref: QuoteRecord, oth: QuoteRecord, same_span: bool) -> list[str]:
    out = [] if same_span else ["span"]
    if ref.kind != oth.kind:
        out.append("kind")
    if speaker_key(ref.speaker) != speaker_key(oth.speaker):
        out.append("speaker")
    return out


def compare_documents(reference: DocRecord, other: DocRecord) -> Comparison:
    """Compare two codings of one text (the same ``sha256``).

    Returns:
        The counts, the matched pairs' kinds and speakers, the character tables, and the
        disagreements: ``{"reference": quote or None, "other": quote or None, "differs": [...]}``
        with ``differs`` some of ``span``, ``kind``, ``speaker`` for a matched pair,
        ``["missing"]`` for a REFERENCE quote OTHER lacks, ``["extra"]`` for an OTHER quote
        REFERENCE lacks; ordered by position in the text.
    """
    ref_spans, oth_spans = normalized_spans(reference), normalized_spans(other)
    matches = match_spans(ref_spans, oth_spans)
    out = Comparison(matched=len(matches), reference=len(ref_spans), other=len(oth_spans))
    out.chars_binary, out.chars_kind = char_pairs(reference, other, (ref_spans, oth_spans))
    found: list[tuple[int, dict[str, Any]]] = []
    for ri, oi, _v in sorted(matches):
        ref, oth = reference.quotes[ri], other.quotes[oi]
        out.kinds.append((ref.kind, oth.kind))
        out.speakers.append((speaker_key(ref.speaker), speaker_key(oth.speaker)))
        differs = _differences(ref, oth, ref_spans[ri] == oth_spans[oi])
        if differs:
            found.append(
                (ref.start, {"reference": ref.to_json(), "other": oth.to_json(), "differs": differs})
            )
    matched_r = {ri for ri, _, _ in matches}
    matched_o = {oi for _, oi, _ in matches}
    for ri, ref in enumerate(reference.quotes):
        if ri not in matched_r:
            found.append((ref.start, {"reference": ref.to_json(), "other": None, "differs": ["missing"]}))
    for oi, oth in enumerate(other.quotes):
        if oi not in matched_o:
            found.append((oth.start, {"reference": None, "other": oth.to_json(), "differs": ["extra"]}))
    found.sort(key=lambda item: item[0])
    out.disagreements = [d for _, d in found]
    return out


@dataclass
class PairResult:
    """OTHER against REFERENCE over the texts both coded."""

    reference: str
    other: str
    documents: list[tuple[DocRecord, DocRecord, Comparison]]

    def overall(self) -> Comparison:
        """The comparison pooled over all texts."""
        total = Comparison()
        for _, _, part in self.documents:
            total.add(part)
        return total

    def to_json(self) -> dict[str, Any]:
        """``{"reference", "other", "documents", "spans", "kind", "speaker", "per_document"}``."""
        per_document = []
        for ref, oth, part in self.documents:
            per_document.append(
                {
                    "sha256": ref.sha256,
                    "title": ref.title,
                    "reference_id": ref.id,
                    "other_id": oth.id,
                    "other_title": oth.title,
                    **part.figures(),
                    "disagreements": part.disagreements,
                }
            )
        return {
            "reference": self.reference,
            "other": self.other,
            "documents": len(self.documents),
            **self.overall().figures(pooled=True),
            "per_document": per_document,
        }


def compare_pair(reference: str, other: str, pairs: Sequence[tuple[DocRecord, DocRecord]]) -> PairResult:
    """Compare two codings text by text (the texts paired by :func:`.matching.common_texts`)."""
    return PairResult(reference, other, [(r, o, compare_documents(r, o)) for r, o in pairs])
