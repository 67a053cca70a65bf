"""Krippendorff's alpha (nominal): over coded units, and over character positions (unitizing).

Pooled figures (a matched quote's kind or speaker over all texts, the figures a paper reports)
go to the maintained ``krippendorff`` package (:func:`nominal_alpha`). Its computation holds a
units × values × values array, which is fine for kinds (three values) but not for speakers over
a whole project (30,000 units and a thousand names would take hundreds of gigabytes); there the
same coincidence-matrix formula is computed here from sparse counts (in closed form where
every unit has two values). The figures of each text
(a few pairs each, a thousand texts) use the closed form for two coders without missing values
(:func:`pair_nominal_alpha`): the package's fixed cost per call would dominate. All paths give
the package's figure (``tests/core/test_agreement.py`` checks them against it).

Unitizing: how far two coders agree on *where* quotes are, whatever matched, is measured as
nominal alpha over the characters of the texts (each character a unit, coded by each coder as
inside a quote or not, or by the kind of the quote it is in). This is the character-level
approximation of Krippendorff's unitizing alpha (αu) that annotation tools report: αu proper
weighs disagreement by the lengths of the segments involved, which character units do
implicitly, and needs no arbitrary unit segmentation. Spans are normalised as for matching
(outer quotation marks and punctuation stripped). A character inside quotes of several kinds
takes the most specific: direct over mixed over indirect. Every character of every common
text counts, so the gaps between quotes (agreed "no quote") count too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

import krippendorff
import numpy as np
import numpy.typing as npt

from .matching import Span, normalized_spans
from .records import DocRecord

#: Above this many units × values², the package's dense arrays would grow too large.
PACKAGE_LIMIT = 2_000_000

#: Character codes for unitizing: 0 is "no quote"; kinds by increasing precedence.
CHAR_CODES = {"indirect": 1, "mixed": 2, "direct": 3}
N_CHAR_CODES = 4

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def alpha_from_coincidences(o: FloatArray) -> float | None:
    """Nominal alpha from a coincidence matrix: ``1 - (n - 1) * D_o / sum_{c != k} n_c n_k``.

    Returns:
        Alpha, or ``None`` where it is undefined: fewer than two pairable values, or every
        value in one category (no expected disagreement).
    """
    n_c = o.sum(axis=0)
    n = float(n_c.sum())
    expected = n * n - float((n_c * n_c).sum())
    if n < 2 or expected <= 0:
        return None
    observed = float(o.sum() - np.trace(o))
    return 1.0 - (n - 1.0) * observed / expected


def _sparse_alpha(units: list[Counter[int]], n_values: int) -> float | None:
    """The package's computation (coincidences, nominal distances) over sparse counts."""
    diagonal = np.zeros(n_values)
    off: dict[tuple[int, int], float] = {}
    for counts in units:
        m = sum(counts.values())
        if m < 2:
            continue
        for c, n_uc in counts.items():
            diagonal[c] += n_uc * (n_uc - 1) / (m - 1)
            for k, n_uk in counts.items():
                if k != c:
                    off[c, k] = off.get((c, k), 0.0) + n_uc * n_uk / (m - 1)
    # only the diagonal, the off-diagonal total and the marginals matter for nominal alpha
    n_c = diagonal.copy()
    for (c, _k), v in off.items():
        n_c[c] += v
    n = float(n_c.sum())
    expected = n * n - float((n_c * n_c).sum())
    if n < 2 or expected <= 0:
        return None
    return 1.0 - (n - 1.0) * sum(off.values()) / expected


def nominal_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data.

    Args:
        units: for each unit, the value each coder gave it; ``None`` where a coder gave none.

    Returns:
        Alpha, or ``None`` where it is undefined (no unit with two values, or a single value
        used throughout: nothing to disagree on, so nothing to measure).
    """
    columns: dict[Hashable, int] = {}
    unit_of: list[int] = []
    column_of: list[int] = []
    rows = 0
    for unit in units:
        for value in unit:
            if value is not None:
                unit_of.append(rows)
                column_of.append(columns.setdefault(value, len(columns)))
        rows += 1
    n_values = len(columns)
    if n_values < 2 or len(set(unit_of)) == len(unit_of):  # no unit with two values
        return None
    if rows * n_values * n_values > PACKAGE_LIMIT:
        if len(unit_of) == 2 * rows and unit_of[::2] == unit_of[1::2]:  # two values in every unit
            return pair_nominal_alpha(list(zip(column_of[::2], column_of[1::2], strict=True)))
        counts: list[Counter[int]] = [Counter() for _ in range(rows)]
        for u, c in zip(unit_of, column_of, strict=True):
            counts[u][c] += 1
        return _sparse_alpha(counts, n_values)
    value_counts = np.zeros((rows, n_values), dtype=np.int64)
    np.add.at(value_counts, (np.array(unit_of), np.array(column_of)), 1)
    value = krippendorff.alpha(value_counts=value_counts, level_of_measurement="nominal")
    return None if np.isnan(value) else float(value)


def pair_nominal_alpha(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Nominal alpha for two coders who both coded every unit: the coincidence-matrix formula
    with each disagreeing unit adding 1 to two off-diagonal cells, ``1 - (n - 1) * 2 * d /
    (n^2 - sum n_c^2)`` with ``n = 2 * units`` and ``d`` the disagreeing units.

    Returns:
        Alpha, or ``None`` where it is undefined (no unit, or a single value throughout).
    """
    n_c = Counter(a for a, _ in pairs)
    n_c.update(b for _, b in pairs)
    disagree = sum(a != b for a, b in pairs)
    n = 2 * len(pairs)
    expected = n * n - sum(v * v for v in n_c.values())
    if n < 2 or expected <= 0:
        return None
    return 1.0 - (n - 1) * 2 * disagree / expected


def char_codes(doc: DocRecord, *, kinds: bool, spans: Sequence[Span] | None = None) -> npt.NDArray[np.int8]:
    """Each character's code for one coder: 0 outside quotes, else 1 (or the kind's code).

    Args:
        doc: the coder's document.
        kinds: code a quote's characters by its kind, not just as "quote".
        spans: the quotes' normalised spans, where the caller has them already.
    """
    codes = np.zeros(len(doc.text), dtype=np.int8)
    spans = normalized_spans(doc) if spans is None else spans
    order = sorted(range(len(spans)), key=lambda i: CHAR_CODES.get(doc.quotes[i].kind, 1))
    for i in order:
        start, end = spans[i]
        codes[start:end] = CHAR_CODES.get(doc.quotes[i].kind, 1) if kinds else 1
    return codes


def char_pairs(
    reference: DocRecord,
    other: DocRecord,
    spans: tuple[Sequence[Span], Sequence[Span]] | None = None,
) -> tuple[IntArray, IntArray]:
    """How many characters each pair of codes covers: ``P[ref code, other code]``.

    Args:
        reference, other: the two codings of one text.
        spans: their normalised spans, where the caller has them already.

    Returns:
        The quote/no-quote table (2 × 2) and the kind table (4 × 4).
    """
    ref_spans, oth_spans = spans or (normalized_spans(reference), normalized_spans(other))
    ref = char_codes(reference, kinds=True, spans=ref_spans)
    oth = char_codes(other, kinds=True, spans=oth_spans)
    kind = np.bincount(ref.astype(np.int64) * N_CHAR_CODES + oth, minlength=N_CHAR_CODES**2).reshape(
        N_CHAR_CODES, N_CHAR_CODES
    )
    binary = np.array(
        [
            [kind[0, 0], kind[0, 1:].sum()],
            [kind[1:, 0].sum(), kind[1:, 1:].sum()],
        ],
        dtype=np.int64,
    )
    return binary, kind


def pair_alpha(pairs: IntArray) -> float | None:
    """Nominal alpha over units each coded by two coders, from the table of code pairs."""
    p = pairs.astype(np.float64)
    return alpha_from_coincidences(p + p.T)
