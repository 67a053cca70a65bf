"""Inter-coder agreement: matching, measures, alpha, and ``quotebench agree``.

Every text here is invented for these tests.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import click
import krippendorff
import numpy as np
import pytest
from click.testing import CliRunner

from quotebench.core.agreement import AgreementError, Coding, DocRecord, QuoteRecord, agreement, open_coding
from quotebench.core.agreement import alpha as alpha_module
from quotebench.core.agreement.alpha import (
    char_codes,
    char_pairs,
    nominal_alpha,
    pair_alpha,
    pair_nominal_alpha,
)
from quotebench.core.agreement.matching import match_spans, normalize_span
from quotebench.core.cli import cli
from quotebench.core.cli.agree import register
from quotebench.core.project.store import Store

# --- the published example ---------------------------------------------------------------------

#: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: four coders,
#: twelve units, nominal values 1..5, missing values as None. Nominal alpha = 0.743.
PUBLISHED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _units(coders: list[list[object]]) -> list[tuple[object, ...]]:
    return list(zip(*coders, strict=True))


def test_published_nominal_alpha() -> None:
    assert round(nominal_alpha(_units(PUBLISHED)) or 0, 3) == 0.743


def test_sparse_alpha_equals_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alpha_module, "PACKAGE_LIMIT", 0)  # the path used for many speakers
    assert round(nominal_alpha(_units(PUBLISHED)) or 0, 3) == 0.743
    rng = random.Random(7)
    for _ in range(20):
        coders = [[rng.choice([None, "a", "b", "c", "d"]) for _ in range(40)] for _ in range(3)]
        codes = np.array([[np.nan if v is None else "abcd".index(v) for v in row] for row in coders])
        expected = krippendorff.alpha(reliability_data=codes, level_of_measurement="nominal")
        assert nominal_alpha(_units(coders)) == pytest.approx(expected, abs=1e-12)


def test_two_coder_closed_form_equals_the_package() -> None:
    rng = random.Random(3)
    for n_units in (1, 2, 5, 30):
        for _ in range(10):
            pairs = [(rng.choice("abc"), rng.choice("abc")) for _ in range(n_units)]
            codes = np.array([["abc".index(p[i]) for p in pairs] for i in (0, 1)], dtype=float)
            if len(set(codes.ravel())) < 2:
                assert pair_nominal_alpha(pairs) is None
                continue
            expected = krippendorff.alpha(reliability_data=codes, level_of_measurement="nominal")
            assert pair_nominal_alpha(pairs) == pytest.approx(expected, abs=1e-12)
            assert nominal_alpha(pairs) == pytest.approx(expected, abs=1e-12)
            with pytest.MonkeyPatch.context() as patch:  # the path for many speakers
                patch.setattr(alpha_module, "PACKAGE_LIMIT", 0)
                assert nominal_alpha(pairs) == pytest.approx(expected, abs=1e-12)


def test_alpha_undefined_with_one_category() -> None:
    assert nominal_alpha([("direct", "direct"), ("direct", "direct")]) is None
    assert nominal_alpha([]) is None


def test_character_alpha_equals_the_package_over_characters() -> None:
    text = 'Ana Ruiz said: "Tolls go up." Ben Ode said the toll was fair and "long overdue".\n'
    ref = DocRecord(
        1,
        "t",
        "x",
        text,
        (
            QuoteRecord(1, 15, 29, "direct"),
            QuoteRecord(2, text.index("the toll"), text.index(".\n"), "mixed"),
        ),
    )
    oth = DocRecord(2, "t", "x", text, (QuoteRecord(1, 15, 29, "indirect"),))
    binary, kinds = char_pairs(ref, oth)
    for table, use_kinds in ((binary, False), (kinds, True)):
        data = np.array([char_codes(ref, kinds=use_kinds), char_codes(oth, kinds=use_kinds)], dtype=float)
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert pair_alpha(table) == pytest.approx(expected, abs=1e-12)


# --- matching (the scorer's rule) ------------------------------------------------------------------


def test_normalize_strips_marks_and_edge_punctuation() -> None:
    text = ' "Yes," he said.'
    assert normalize_span(text, 0, 7) == (2, 5)


def test_matching_is_greedy_by_iou_then_by_position() -> None:
    # reference 0 overlaps others 0 and 1 equally (IoU 1.0 both): the lower other position wins
    assert match_spans([(0, 10)], [(0, 10), (0, 10)]) == [(0, 0, 1.0)]
    # the better IoU is taken first even if it leaves a reference quote unmatched
    ref = [(0, 10), (4, 14)]
    oth = [(4, 14)]
    assert match_spans(ref, oth) == [(1, 0, 1.0)]
    # below half the union is no match: 5 shared of 15
    assert match_spans([(0, 10)], [(5, 15)]) == []
    assert match_spans([(0, 12)], [(4, 12)]) == [(0, 0, 8 / 12)]


# --- projects built through the command line -------------------------------------------------------

DOC1 = (
    'Mayor Lina Okafor said: "The ferry will run all winter." Councillor Bram Hess said the budget '
    'was too thin. "We cannot promise that," Hess added. Residents said the timetable was confusing.\n'
)
DOC2 = 'Dr Ines Varga told reporters: "The clinic is full." She said more nurses were coming.\n'
DOC3 = "An unrelated text: the harbour master said the tide tables were wrong.\n"


def _q(text: str, part: str, kind: str, speaker: str | None = None, *, marks: bool = False) -> dict:
    start = text.index(part)
    end = start + len(part)
    if marks:  # widen to the quotation marks around it
        start, end = start - 1, end + 1
    q = {"start": start, "end": end, "text": text[start:end], "kind": kind}
    if speaker:
        q["entity"] = speaker
    return q


#: REFERENCE and OTHER of the hand-computed example (figures in test_two_coders_hand_computed).
REFERENCE = [
    {
        "id": "ferry",
        "text": DOC1,
        "quotes": [
            _q(DOC1, "The ferry will run all winter.", "direct", "Lina Okafor", marks=True),
            _q(DOC1, "the budget was too thin", "indirect", "Bram Hess"),
            _q(DOC1, "We cannot promise that,", "direct", "Bram Hess", marks=True),
        ],
    },
    {
        "id": "clinic",
        "text": DOC2,
        "quotes": [
            _q(DOC2, "The clinic is full.", "direct", "Ines Varga"),  # without its marks
            _q(DOC2, "more nurses were coming", "indirect", "Ines Varga"),
        ],
    },
]
OTHER = [
    {"id": "other-unrelated", "text": DOC3, "quotes": []},  # shifts the ids
    {
        "id": "clinic-b",
        "text": DOC2,
        "quotes": [
            _q(DOC2, "The clinic is full.", "direct", "INES VARGA", marks=True),  # same once marks strip
            _q(DOC2, "more nurses were coming", "indirect"),  # no speaker
        ],
    },
    {
        "id": "ferry-b",
        "text": DOC1,
        "quotes": [
            _q(DOC1, "The ferry will run all winter.", "direct", "lina okafor", marks=True),
            _q(DOC1, "said the budget was too thin", "mixed", "Bram Hess"),  # IoU 23/28
            _q(DOC1, "the timetable was confusing", "indirect"),  # REFERENCE has none here
        ],
    },
]


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Make a project with ``quotebench new`` and ``quotebench import`` of JSONL records."""
    monkeypatch.delenv("QUOTEBENCH_ANNOTATOR", raising=False)
    runner = CliRunner()

    def make(name: str, records: list[dict]) -> str:
        path = str(tmp_path / f"{name}.qbproj")
        source = str(_write_jsonl(tmp_path / f"{name}.jsonl", records))
        # a coder's quotes are decisions: imported as accepted, which agree counts by default
        for args in (["new", path], ["import", path, source, "--quotes", "accepted"]):
            result = runner.invoke(cli, args, catch_exceptions=False)
            assert result.exit_code == 0, result.output
        return path

    return make


@pytest.fixture()
def agree():  # type: ignore[no-untyped-def]
    """Run ``agree`` from a group of its own (the main group is wired elsewhere)."""
    group = click.Group()
    register(group)
    runner = CliRunner()

    def run(*args: str, ok: bool = True) -> click.testing.Result:
        result = runner.invoke(group, ["agree", *args], catch_exceptions=False)
        assert (result.exit_code == 0) is ok, result.output
        return result

    return run


def _two_coders(project, agree) -> dict:  # type: ignore[no-untyped-def]
    ref, oth = project("ref", REFERENCE), project("oth", OTHER)
    return json.loads(agree(ref, oth, "--format", "json").stdout)


def test_two_coders_hand_computed(project, agree) -> None:  # type: ignore[no-untyped-def]
    out = _two_coders(project, agree)
    assert set(out) == {"documents", "spans", "kind", "speaker", "per_document"}
    # Texts matched by content: "ferry" = "ferry-b", "clinic" = "clinic-b"; DOC3 only in OTHER.
    assert out["documents"] == 2
    # Spans: ferry 2 of 3 matched (REFERENCE's "We cannot..." missing, OTHER's "timetable" extra),
    # clinic 2 of 2. Overall matched 4, reference 5, other 5: P = R = F1 = 4/5.
    spans = out["spans"]
    assert (spans["matched"], spans["reference"], spans["other"]) == (4, 5, 5)
    assert spans["precision"] == pytest.approx(0.8)
    assert spans["recall"] == pytest.approx(0.8)
    assert spans["f1"] == pytest.approx(0.8)
    # Kinds of the 4 matched pairs: (direct, direct) x2, (indirect, mixed), (indirect, indirect):
    # agreement 3/4. Coincidences: n_direct 4, n_indirect 3, n_mixed 1, n = 8; 2 disagreeing
    # values; alpha = 1 - (n - 1) * 2 / (n^2 - sum n_c^2) = 1 - 7 * 2 / (64 - 26) = 24/38 = 0.6316.
    assert out["kind"]["agreement"] == pytest.approx(0.75)
    assert out["kind"]["alpha"] == pytest.approx(24 / 38)
    # Speakers (case-insensitive): okafor=okafor, hess=hess, varga=varga, varga vs no speaker:
    # agreement 3/4. n_okafor 2, n_hess 2, n_varga 3, n_none 1, n = 8:
    # alpha = 1 - 7 * 2 / (64 - 18) = 32/46 = 0.6957.
    assert out["speaker"]["agreement"] == pytest.approx(0.75)
    assert out["speaker"]["alpha"] == pytest.approx(32 / 46)


def test_two_coders_per_document_hand_computed(project, agree) -> None:  # type: ignore[no-untyped-def]
    ferry, clinic = _two_coders(project, agree)["per_document"]
    assert (ferry["title"], ferry["other_title"], clinic["title"]) == ("ferry", "ferry-b", "clinic")
    assert ferry["reference_id"] == 1 and ferry["other_id"] == 3  # ids differ
    # ferry: P = R = 2/3; kinds (d,d), (i,m): agreement 1/2, alpha 1 - 3 * 2 / (16 - 6) = 0.4;
    # speakers both agree (two categories): agreement 1, alpha 1.
    assert ferry["spans"]["precision"] == pytest.approx(2 / 3)
    assert ferry["spans"]["recall"] == pytest.approx(2 / 3)
    assert ferry["kind"] == {"agreement": 0.5, "alpha": pytest.approx(0.4)}
    assert ferry["speaker"] == {"agreement": 1.0, "alpha": 1.0}
    # clinic: P = R = 1; kinds agree (alpha 1); speakers (v,v), (v,none): agreement 1/2,
    # alpha 1 - 3 * 2 / (16 - 10) = 0.
    assert clinic["spans"]["f1"] == 1.0
    assert clinic["kind"] == {"agreement": 1.0, "alpha": 1.0}
    assert clinic["speaker"] == {"agreement": 0.5, "alpha": pytest.approx(0.0)}
    differs = [(d["reference"] and d["reference"]["text"], d["differs"]) for d in ferry["disagreements"]]
    assert differs == [
        ("the budget was too thin", ["span", "kind"]),
        ('"We cannot promise that,"', ["missing"]),
        (None, ["extra"]),
    ]
    assert ferry["disagreements"][2]["other"]["text"] == "the timetable was confusing"
    assert [d["differs"] for d in clinic["disagreements"]] == [["speaker"]]  # marks are no span difference


def test_identical_codings_agree_fully(project, agree) -> None:  # type: ignore[no-untyped-def]
    a, b = project("a", REFERENCE), project("b", REFERENCE)
    out = json.loads(agree(a, b, "--format", "json").stdout)
    assert out["spans"]["f1"] == 1.0 and out["spans"]["alpha_u"] == pytest.approx(1.0)
    assert out["kind"]["alpha"] == pytest.approx(1.0) and out["speaker"]["alpha"] == pytest.approx(1.0)
    assert all(not d["disagreements"] for d in out["per_document"])


def test_three_coders_pairwise_and_mean(project, agree) -> None:  # type: ignore[no-untyped-def]
    full = REFERENCE[1]
    half = {**full, "quotes": full["quotes"][:1]}
    a, b, c = project("a", [full]), project("b", [full]), project("c", [half])
    out = json.loads(agree(a, b, c, "--format", "json").stdout)
    pairs = {(p["reference"], p["other"]): p["spans"] for p in out["pairs"]}
    # a/b: 2 of 2 (P = R = 1); a/c and b/c: 1 matched, 2 reference, 1 other: P 1, R 1/2, F1 2/3
    assert pairs[("a.qbproj", "b.qbproj")]["f1"] == 1.0
    assert pairs[("a.qbproj", "c.qbproj")]["recall"] == 0.5
    assert pairs[("b.qbproj", "c.qbproj")]["f1"] == pytest.approx(2 / 3)
    # means over the three pairs: P 1, R (1 + 1/2 + 1/2) / 3 = 2/3, F1 (1 + 2/3 + 2/3) / 3 = 7/9
    assert out["spans"]["precision"] == 1.0
    assert out["spans"]["recall"] == pytest.approx(2 / 3)
    assert out["spans"]["f1"] == pytest.approx(7 / 9)
    assert out["per_document"][0]["spans"]["f1"] == pytest.approx(7 / 9)
    text = agree(a, b, c).stdout
    assert "(mean of pairs)" in text and "b.qbproj / c.qbproj" in text


def test_projects_without_common_text_are_refused(project, agree) -> None:  # type: ignore[no-untyped-def]
    a, b = project("a", REFERENCE), project("b", [OTHER[0]])
    result = agree(a, b, ok=False)
    assert "[E040]" in result.output and "no text in common" in result.output
    with pytest.raises(AgreementError, match=r"\[E040\]"):
        agreement([open_coding(a), open_coding(b)])


def test_strict_refuses_different_text_sets(project, agree) -> None:  # type: ignore[no-untyped-def]
    a, b = project("a", REFERENCE), project("b", OTHER)
    result = agree(a, b, "--strict", ok=False)
    assert "[E041]" in result.output and "0 only in a.qbproj, 1 only in b.qbproj" in result.output
    assert "1 text(s) not in every project left out; 2 compared" in agree(a, b).stderr


def test_status_filter(project, agree) -> None:  # type: ignore[no-untyped-def]
    a, b = project("a", REFERENCE), project("b", REFERENCE)
    with Store.open(b) as store:
        store.set_status([q.id for q in store.all_quotes()][:2], "suggested")
    accepted = json.loads(agree(a, b, "--format", "json").stdout)["spans"]
    both = json.loads(agree(a, b, "--format", "json", "--status", "accepted, suggested").stdout)["spans"]
    assert (accepted["matched"], accepted["other"]) == (3, 3)
    assert (both["matched"], both["other"]) == (5, 5)
    result = agree(a, b, "--status", "accepted,maybe", ok=False)
    assert "[E042]" in result.output


def test_text_and_csv_output(project, agree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref, oth = project("ref", REFERENCE), project("oth", OTHER)
    text = agree(ref, oth).stdout
    assert "REFERENCE ref.qbproj  OTHER oth.qbproj" in text
    overall = next(line for line in text.splitlines() if line.startswith("(overall)"))
    assert overall.split()[1:7] == ["5", "5", "4", "0.800", "0.800", "0.800"]
    out = tmp_path / "agree.csv"
    agree(ref, oth, "--format", "csv", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["document"] for r in rows] == ["ferry", "clinic", "(overall)"]
    assert rows[0]["other_id"] == "3" and float(rows[0]["kind_alpha"]) == pytest.approx(0.4)
    assert float(rows[2]["f1"]) == pytest.approx(0.8) and float(rows[2]["speaker_alpha"]) == pytest.approx(
        32 / 46
    )


def test_pure_records_without_a_project() -> None:
    text = 'Ola Berg said: "Rain again." Then she left.\n'
    quote = QuoteRecord(1, 15, 28, "direct", "Ola Berg")
    a = Coding("a", {"h": DocRecord(1, "x", "h", text, (quote,))})
    b = Coding("b", {"h": DocRecord(9, "y", "h", text, ())})
    out = agreement([a, b])
    assert out["spans"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "matched": 0,
        "reference": 1,
        "other": 0,
        "alpha_u": pytest.approx(out["spans"]["alpha_u"]),
        "alpha_u_kind": pytest.approx(out["spans"]["alpha_u_kind"]),
    }
    assert out["kind"] == {"agreement": None, "alpha": None}
    with pytest.raises(AgreementError, match=r"\[E043\]"):
        agreement([a])
