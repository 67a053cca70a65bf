"""The agreement JSON (:func:`.agree.agreement`) as a readable table or as CSV."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import IO, Any

#: (CSV column, text header, path into a figures dict, is a count)
COLUMNS: tuple[tuple[str, str, tuple[str, str], bool], ...] = (
    ("reference_quotes", "ref", ("spans", "reference"), True),
    ("other_quotes", "other", ("spans", "other"), True),
    ("matched", "match", ("spans", "matched"), True),
    ("precision", "P", ("spans", "precision"), False),
    ("recall", "R", ("spans", "recall"), False),
    ("f1", "F1", ("spans", "f1"), False),
    ("alpha_u", "αu", ("spans", "alpha_u"), False),
    ("alpha_u_kind", "αu kind", ("spans", "alpha_u_kind"), False),
    ("kind_agreement", "kind", ("kind", "agreement"), False),
    ("kind_alpha", "kind α", ("kind", "alpha"), False),
    ("speaker_agreement", "speaker", ("speaker", "agreement"), False),
    ("speaker_alpha", "speaker α", ("speaker", "alpha"), False),
)

OVERALL = "(overall)"
MEAN = "(mean of pairs)"


def _value(figures: dict[str, Any], path: tuple[str, str]) -> Any:
    return figures[path[0]][path[1]]


def _text_cell(value: Any, count: bool) -> str:
    if value is None:
        return "–"
    if count and float(value).is_integer():
        return str(int(value))
    return f"{value:.3f}"


def _pairs(result: dict[str, Any], names: Sequence[str]) -> list[dict[str, Any]]:
    if "pairs" in result:
        return list(result["pairs"])
    return [{**result, "reference": names[0], "other": names[1]}]


def _table(rows: list[tuple[str, dict[str, Any]]], first: str) -> list[str]:
    width = max([len(first)] + [min(len(label), 40) for label, _ in rows])
    widths = [max(len(header), 6) for _, header, _, _ in COLUMNS]
    head = f"{first:<{width}}  " + "  ".join(
        f"{h:>{w}}" for (_, h, _, _), w in zip(COLUMNS, widths, strict=True)
    )
    lines = [head, "-" * len(head)]
    for label, figures in rows:
        cells = [
            f"{_text_cell(_value(figures, path), count):>{w}}"
            for (_, _, path, count), w in zip(COLUMNS, widths, strict=True)
        ]
        lines.append(f"{label[:40]:<{width}}  " + "  ".join(cells))
    return lines


def render_text(result: dict[str, Any], names: Sequence[str], statuses: Sequence[str]) -> str:
    """A table per pair of codings (one row per text and an overall row), then the means.

    Args:
        result: what :func:`.agree.agreement` returned.
        names: the codings' names, reference first.
        statuses: the statuses that counted.
    """
    lines = [
        f"{result['documents']} text(s) in common; quotes of status {', '.join(sorted(statuses))}; "
        "spans matched at IoU >= 0.5 (quotation marks stripped)",
        "P = matched / OTHER's quotes, R = matched / REFERENCE's quotes; kind and speaker on matched quotes",
    ]
    pairs = _pairs(result, names)
    for pair in pairs:
        lines += ["", f"REFERENCE {pair['reference']}  OTHER {pair['other']}"]
        rows = [(doc["title"] or doc["sha256"][:12], doc) for doc in pair["per_document"]]
        lines += _table([*rows, (OVERALL, pair)], "text")
    if len(pairs) > 1:
        lines += ["", "pairs"]
        rows = [(f"{p['reference']} / {p['other']}", p) for p in pairs]
        lines += _table([*rows, (MEAN, result)], "pair")
    return "\n".join(lines) + "\n"


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # a spreadsheet would run it as a formula
    return "" if value is None else value


def write_csv(result: dict[str, Any], names: Sequence[str], out: IO[str]) -> None:
    """One row per text and pair, an overall row per pair, and with three or more codings a
    row of the means over pairs."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["reference", "other", "document", "sha256", "reference_id", "other_id"] + [c for c, *_ in COLUMNS]
    )
    pairs = _pairs(result, names)
    for pair in pairs:
        for doc in pair["per_document"]:
            ids = [doc["title"], doc["sha256"], doc["reference_id"], doc["other_id"]]
            writer.writerow(
                [_csv_cell(v) for v in [pair["reference"], pair["other"], *ids]]
                + [_csv_cell(_value(doc, path)) for _, _, path, _ in COLUMNS]
            )
        writer.writerow(
            [_csv_cell(pair["reference"]), _csv_cell(pair["other"]), OVERALL, "", "", ""]
            + [_csv_cell(_value(pair, path)) for _, _, path, _ in COLUMNS]
        )
    if len(pairs) > 1:
        writer.writerow(
            [MEAN, "", OVERALL, "", "", ""] + [_csv_cell(_value(result, path)) for _, _, path, _ in COLUMNS]
        )
