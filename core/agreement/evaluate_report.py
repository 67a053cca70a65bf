"""The evaluation's JSON (:func:`.evaluate.figures`) as a readable text or as CSV for a paper."""

from __future__ import annotations

import csv
from typing import IO, Any

from .evaluate import FALSE, MISSED, PARTLY, RIGHT, UNREVIEWED

#: The CSV's columns: one row per figure group (all, a kind, a rule, a confidence bucket, speaker).
CSV_COLUMNS = (
    "table",
    "label",
    "n",
    "tp",
    "fp",
    "fn",
    "precision",
    "recall",
    "f1",
    "share_accepted",
    "mean_confidence",
)


def figure_cell(value: Any) -> str:
    """A figure as a report shows it: three decimals, a dash for none."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _prf_line(label: str, f: dict[str, Any]) -> str:
    return (
        f"{label:<28} {f['tp']:>6} {f['fp']:>6} {f['fn']:>6} "
        f"{figure_cell(f['precision']):>7} {figure_cell(f['recall']):>7} {figure_cell(f['f1']):>7}"
    )


def render_text(result: dict[str, Any], name: str) -> str:
    """The evaluation as a few plain tables."""
    o, e = result["outcomes"], result["edits"]
    lines = [
        f"The engine on {name}: {result['documents']} document(s) marked done",
        "",
        f"suggestions right {o[RIGHT]}, partly right {o[PARTLY]} (span edited {e['span']}, kind {e['kind']}, "
        f"speaker {e['speaker']}), false {o[FALSE]}; quotes missed {o[MISSED]}; unreviewed {o[UNREVIEWED]}",
        "",
        f"{'':<28} {'found':>6} {'false':>6} {'missed':>6} {'P':>7} {'R':>7} {'F1':>7}",
        _prf_line("all kinds", result["spans"]),
    ]
    lines += [_prf_line(kind, f) for kind, f in result["by_kind"].items()]
    sp = result["speaker"]
    lines += [
        "",
        f"speaker right on {sp['right']} of {sp['n']} found quotes: {figure_cell(sp['accuracy'])}",
        "",
    ]
    lines.append(f"{'rule':<28} {'sugg.':>6} {'right':>6} {'partly':>6} {'false':>6} {'P':>7}")
    for r in result["by_rule"]:
        lines.append(
            f"{r['rule'][:28]:<28} {r['suggested']:>6} {r[RIGHT]:>6} {r[PARTLY]:>6} {r[FALSE]:>6} "
            f"{figure_cell(r['precision']):>7}"
        )
    lines += ["", f"{'confidence':<28} {'sugg.':>6} {'kept':>6} {'share':>7} {'mean':>7}"]
    for b in result["calibration"]:
        label = f"{b['low']:.1f}–{b['high']:.1f}"
        lines.append(
            f"{label:<28} {b['suggested']:>6} {b['accepted']:>6} {figure_cell(b['share_accepted']):>7} "
            f"{figure_cell(b['mean_confidence']):>7}"
        )
    return "\n".join(lines) + "\n"


def csv_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The evaluation as rows of :data:`CSV_COLUMNS` (empty cells where a figure does not apply)."""

    def prf(table: str, label: str, f: dict[str, Any]) -> dict[str, Any]:
        return {"table": table, "label": label, "n": f["tp"] + f["fp"] + f["fn"], **f}

    rows = [prf("spans", "all kinds", result["spans"])]
    rows += [prf("kind", kind, f) for kind, f in result["by_kind"].items()]
    sp = result["speaker"]
    rows.append(
        {
            "table": "speaker",
            "label": "speaker right",
            "n": sp["n"],
            "tp": sp["right"],
            "share_accepted": sp["accuracy"],
        }
    )
    for r in result["by_rule"]:
        rows.append(
            {
                "table": "rule",
                "label": r["rule"],
                "n": r["suggested"],
                "tp": r[RIGHT] + r[PARTLY],
                "fp": r[FALSE],
                "precision": r["precision"],
            }
        )
    for b in result["calibration"]:
        rows.append(
            {
                "table": "calibration",
                "label": f"{b['low']:.1f}-{b['high']:.1f}",
                "n": b["suggested"],
                "tp": b["accepted"],
                "share_accepted": b["share_accepted"],
                "mean_confidence": b["mean_confidence"],
            }
        )
    return rows


def write_csv(result: dict[str, Any], out: IO[str]) -> None:
    """The evaluation as CSV: one row per figure group, fractions with 4 decimals."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(result):
        writer.writerow(
            {k: (f"{v:.4f}" if isinstance(v, float) else ("" if v is None else v)) for k, v in row.items()}
        )
