"""``quotebench extract``: output formats, streaming, and one-line errors with the right exit status.

The engine's rules are still growing, so these tests check the output's structure (the schema,
offsets that point at the quoted text) rather than which quotes are found, except for texts too
plain to read two ways.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import quotebench.core.engine.pipeline
from quotebench.core.cli import cli
from quotebench.core.engine.rules import rule_threshold
from quotebench.core.errors import Errors, ModelError
from quotebench.core.formats.suggestion_writers import CSV_COLUMNS
from quotebench.core.formats.tabular import guard_cell
from quotebench.core.model import Evidence, Kind, Span, Suggestion

PLAIN = 'She said: "We will win."\n'
TWO = 'The mayor said: "The bridge will open in May."\nCritics said that the date would slip.\n'

QUOTE_KEYS = {
    "start",
    "end",
    "text",
    "kind",
    "speaker",
    "speaker_start",
    "speaker_end",
    "cue",
    "cue_start",
    "cue_end",
    "entity",
    "entity_type",
    "confidence",
    "rule",
}


@pytest.fixture()
def loaded(nlp, monkeypatch):  # type: ignore[no-untyped-def]
    """``load_nlp`` hands out the session's pipeline and records the names it was asked for."""
    asked: list[str | None] = []

    def load(name: str | None = None):  # type: ignore[no-untyped-def]
        asked.append(name)
        return nlp

    monkeypatch.setattr(quotebench.core.engine.pipeline, "load_nlp", load)
    return asked


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["extract", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def check_schema(record: dict) -> None:
    """A record of SCHEMA.md whose offsets all point at their text."""
    assert set(record) == {"id", "text", "quotes"}
    text = record["text"]
    for q in record["quotes"]:
        assert QUOTE_KEYS <= set(q), set(q) ^ QUOTE_KEYS
        assert 0 <= q["start"] < q["end"] <= len(text)
        assert text[q["start"] : q["end"]] == q["text"]
        assert q["kind"] in {"direct", "indirect", "mixed"}
        for name in ("speaker", "cue"):
            if q[name] is None:
                assert q[f"{name}_start"] is None and q[f"{name}_end"] is None
            else:
                assert text[q[f"{name}_start"] : q[f"{name}_end"]] == q[name]
        assert 0 <= q["confidence"] <= 1


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- JSON Lines ----------------------------------------------------------------------------


@pytest.mark.model
def test_jsonl_one_record_per_article_in_the_schema(tmp_path, loaded) -> None:  # type: ignore[no-untyped-def]
    a = write(tmp_path, "plain.txt", PLAIN)
    b = write(tmp_path, "two.md", TWO)
    result = run(a, b)
    assert result.exit_code == 0, result.output
    out = records(result.stdout)
    assert [r["id"] for r in out] == ["plain", "two"]
    assert [r["text"] for r in out] == [PLAIN, TWO]
    for record in out:
        check_schema(record)
    # the one unambiguous quote of the plain text, with its speaker mention and cue
    quote = next(q for q in out[0]["quotes"] if q["kind"] == "direct")
    assert quote["text"].strip('"') == "We will win."
    assert (quote["speaker"], quote["cue"]) == ("She", "said")


@pytest.mark.model
def test_jsonl_articles_keep_their_ids_and_order(tmp_path, loaded) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"art-{i}", "text": f"Article {i}. " + PLAIN}) + "\n" for i in range(40)),
        encoding="utf-8",
    )
    result = run(corpus, "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0 and result.stdout == ""
    out = records((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert [r["id"] for r in out] == [f"art-{i}" for i in range(40)]
    for record in out:
        check_schema(record)


def test_each_article_is_written_and_flushed_before_the_next_is_parsed(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Streaming: when the engine starts on article n, articles before it are already in the
    temporary file beside the output; the output itself appears, whole, at the end."""
    out_file = tmp_path / "out.jsonl"
    out_file.write_text("previous\n", encoding="utf-8")
    seen: list[tuple[int, str]] = []

    def quotes_in_many(texts, nlp, *, n_process=1, batch_size=16, min_confidence=0.5):  # type: ignore[no-untyped-def]
        for text in texts:
            [tmp] = tmp_path.glob(".out.jsonl.*.tmp")
            seen.append((len(tmp.read_text().splitlines()), out_file.read_text()))
            yield []

    monkeypatch.setattr(quotebench.core.engine.pipeline, "load_nlp", lambda name=None: object())
    monkeypatch.setattr(quotebench.core.engine.pipeline, "quotes_in_many", quotes_in_many)
    files = [write(tmp_path, f"{i}.txt", f"Text {i}.") for i in range(3)]
    assert run(*files, "-o", out_file).exit_code == 0
    assert seen == [(0, "previous\n"), (1, "previous\n"), (2, "previous\n")]
    assert [r["id"] for r in records(out_file.read_text(encoding="utf-8"))] == ["0", "1", "2"]
    assert list(tmp_path.glob(".out.jsonl.*")) == []


# --- CSV and text --------------------------------------------------------------------------


FIXED = [
    Suggestion(
        Span(4, 20, '"=cmd|calc!A0"'),
        Kind.DIRECT,
        cue=Span(21, 25, "said"),
        mention=Span(0, 3, "-Mo"),
        speaker="@Mo Farah",
        confidence=0.91234,
        evidence=Evidence("direct.test"),
    ),
    Suggestion(Span(30, 40, "+plan ahead"), Kind.INDIRECT, evidence=Evidence("reported.test")),
]


@pytest.fixture()
def fixed_engine(monkeypatch):  # type: ignore[no-untyped-def]
    """An engine that finds the same two quotes in every text, so formats can be checked exactly."""
    monkeypatch.setattr(quotebench.core.engine.pipeline, "load_nlp", lambda name=None: object())
    monkeypatch.setattr(
        quotebench.core.engine.pipeline,
        "quotes_in_many",
        lambda texts, nlp, **kw: (list(FIXED) for _ in texts),
    )


def test_csv_one_row_per_quote_with_formula_guard(tmp_path, fixed_engine) -> None:  # type: ignore[no-untyped-def]
    a = write(tmp_path, "=a.txt", "Some text.")
    out = tmp_path / "q.csv"
    assert run(a, "--format", "csv", "-o", out).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    # the words in the text are the mention, the resolved person the speaker (as in the export CSV)
    assert rows[0][6:8] == ["mention", "speaker"]
    assert rows[1] == [
        "'=a",
        "4",
        "20",
        "direct",
        '"=cmd|calc!A0"',
        "said",
        "'-Mo",
        "'@Mo Farah",
        "0.912",
        "",
        "direct.test",
    ]
    assert rows[2] == ["'=a", "30", "40", "indirect", "'+plan ahead", "", "", "", "0.5", "", "reported.test"]
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("safe", "safe"),
        ("", ""),
        (3, 3),
        (-0.5, -0.5),
    ],
)
def test_guard_cell(cell, shown) -> None:  # type: ignore[no-untyped-def]
    assert guard_cell(cell) == shown


def test_text_table_groups_quotes_per_article(tmp_path, fixed_engine) -> None:  # type: ignore[no-untyped-def]
    a = write(tmp_path, "first.txt", "Some text.")
    b = write(tmp_path, "second.txt", "More text.")
    result = run(a, b, "--format", "text")
    assert result.exit_code == 0
    blocks = result.stdout.strip().split("\n\n")
    assert [block.splitlines()[0] for block in blocks] == ["first  (2 quotes)", "second  (2 quotes)"]
    first = blocks[0].splitlines()
    assert "@Mo Farah (-Mo)" in first[1] and "direct" in first[1] and '"=cmd|calc!A0"' in first[1]
    assert first[2].split() == ["?", "indirect", "+plan", "ahead"]


@pytest.mark.model
def test_text_table_wraps_and_elides_long_quotes(tmp_path, loaded) -> None:  # type: ignore[no-untyped-def]
    long = 'She said: "' + " ".join(["We will build the bridge and the road."] * 30) + '"\n'
    result = run(write(tmp_path, "long.txt", long), "--format", "text")
    assert result.exit_code == 0
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[0] == "long  (1 quote)"
    assert 2 <= len(lines) - 1 <= 3  # wrapped, at most three lines
    assert lines[-1].endswith("[…]")
    assert all(len(line) <= 120 for line in lines)


# --- options -------------------------------------------------------------------------------


def test_model_and_processes_reach_the_engine(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: dict[str, object] = {}
    monkeypatch.setattr(
        quotebench.core.engine.pipeline, "load_nlp", lambda name=None: calls.setdefault("model", name)
    )

    def quotes_in_many(texts, nlp, *, n_process=1, batch_size=16, min_confidence=0.5):  # type: ignore[no-untyped-def]
        calls["n_process"] = n_process
        return ([] for _ in texts)

    monkeypatch.setattr(quotebench.core.engine.pipeline, "quotes_in_many", quotes_in_many)
    assert run(write(tmp_path, "a.txt", "Text."), "--model", "my_pipeline", "--processes", "2").exit_code == 0
    assert calls == {"model": "my_pipeline", "n_process": 2}


@pytest.mark.parametrize("bad", [["--processes", "0"], ["--format", "xml"], []])
def test_bad_options_are_usage_errors(tmp_path, bad) -> None:  # type: ignore[no-untyped-def]
    args = [write(tmp_path, "a.txt", "Text.")] if bad else []
    result = run(*args, *bad)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr and "Traceback" not in result.output


def test_help_describes_every_option() -> None:
    result = CliRunner().invoke(cli, ["extract", "--help"])
    for option in ("--output", "--format", "--model", "--processes", "jsonl", "csv", "text"):
        assert option in result.output


# --- failures ------------------------------------------------------------------------------


def test_model_that_cannot_load_exits_2_with_one_line(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def fail(name=None):  # type: ignore[no-untyped-def]
        raise ModelError(Errors.E010.format(name=name, detail="not installed"))

    monkeypatch.setattr(quotebench.core.engine.pipeline, "load_nlp", fail)
    result = run(write(tmp_path, "a.txt", PLAIN), "--model", "nope")
    assert result.exit_code == 2
    assert result.stderr == "Error: [E010] cannot load the spaCy pipeline 'nope': not installed\n"
    assert result.stdout == ""


def test_real_loader_failure_is_one_line_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run(write(tmp_path, "a.txt", PLAIN), "--model", str(tmp_path / "no-such-pipeline"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: [E010]")


@pytest.mark.model
def test_bad_inputs_are_reported_and_the_others_still_processed(tmp_path, loaded) -> None:  # type: ignore[no-untyped-def]
    good = write(tmp_path, "good.txt", PLAIN)
    empty = write(tmp_path, "empty.txt", "")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "j1", "text": TWO}) + "\n{oops\n" + json.dumps({"id": 2}) + "\n")
    later = write(tmp_path, "later.html", "<p>" + PLAIN + "</p>")
    write(tmp_path, "x.pdf", "%PDF")
    result = run(good, tmp_path / "missing.txt", empty, binary, corpus, tmp_path / "x.pdf", later)
    assert result.exit_code == 1
    assert [r["id"] for r in records(result.stdout)] == ["good", "j1", "later"]
    errors = result.stderr.splitlines()
    assert errors == [
        f"Error: {tmp_path / 'missing.txt'}: [E008] no such file or folder",
        f"Error: {empty}: [E001] empty file: there is no text to read",
        f"Error: {binary}: [E002] binary file: this is not a text file",
        f"Error: {corpus}:2: [E005] not JSON: Expecting property name enclosed in double quotes (column 2)",
        f'Error: {corpus}:3: [E006] no "text" string in this record',
        f"Error: {tmp_path / 'x.pdf'}: [E007] unsupported file type '.pdf': "
        "expected .txt, .md, .html or .jsonl",
        "6 inputs could not be read (see above).",
    ]


def test_unwritable_output_is_one_line(tmp_path, fixed_engine) -> None:  # type: ignore[no-untyped-def]
    result = run(write(tmp_path, "a.txt", PLAIN), "-o", tmp_path / "no" / "such" / "dir.jsonl")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "No such file or directory" in result.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, fixed_engine) -> None:  # type: ignore[no-untyped-def]
    result = run(write(tmp_path, "a.txt", PLAIN))
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.model
def test_min_confidence_keeps_or_drops_weak_suggestions(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    # reported speech whose speaker cannot be resolved: the span is sure, its speaker is not
    article.write_text("He said that the bridge would be rebuilt.\n", encoding="utf-8")
    runner = CliRunner()
    every = runner.invoke(cli, ["extract", str(article), "--min-confidence", "0"])
    default = runner.invoke(cli, ["extract", str(article)])
    strict = runner.invoke(cli, ["extract", str(article), "--min-confidence", "0.95"])
    assert every.exit_code == default.exit_code == strict.exit_code == 0
    (quote,) = json.loads(every.stdout)["quotes"]
    assert quote["text"] == "that the bridge would be rebuilt"
    assert quote["confidence"] >= rule_threshold("reported.complement")
    # the pronoun names nobody the article has: a speaker doubt that never drops the quote
    assert (quote["speaker"], quote["entity"], quote["speaker_confidence"]) == ("He", None, None)
    assert json.loads(default.stdout)["quotes"] == [quote]
    assert quote["confidence"] < 0.95 and json.loads(strict.stdout)["quotes"] == []


def test_ctrl_c_keeps_the_articles_done_and_the_previous_output(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out_file = tmp_path / "out.jsonl"
    out_file.write_text("previous\n", encoding="utf-8")

    def quotes_in_many(texts, nlp, *, n_process=1, batch_size=16, min_confidence=0.5):  # type: ignore[no-untyped-def]
        for i, _text in enumerate(texts):
            if i == 2:
                raise KeyboardInterrupt
            yield []

    monkeypatch.setattr(quotebench.core.engine.pipeline, "load_nlp", lambda name=None: object())
    monkeypatch.setattr(quotebench.core.engine.pipeline, "quotes_in_many", quotes_in_many)
    files = [write(tmp_path, f"{i}.txt", f"Text {i}.") for i in range(4)]
    result = run(*files, "-o", out_file)
    assert result.exit_code == 130
    assert "[E063] interrupted: 2 article(s) done are in" in result.stderr
    assert out_file.read_text(encoding="utf-8") == "previous\n"
    partial = tmp_path / "out.partial.jsonl"
    assert [r["id"] for r in records(partial.read_text(encoding="utf-8"))] == ["0", "1"]
    assert list(tmp_path.glob(".out.jsonl.*")) == []


def test_output_inside_an_input_folder_that_the_run_reads_is_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(quotebench.core.engine.pipeline, "load_nlp", lambda name=None: object())
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder, "a.txt", "Text a.")
    quotes = write(folder, "quotes.jsonl", '{"id": "x", "text": "An older output."}\n')
    result = run(folder, "-o", quotes)
    assert result.exit_code == 1 and "[E060]" in result.stderr and "quotes.jsonl" in result.stderr
    assert quotes.read_text(encoding="utf-8") == '{"id": "x", "text": "An older output."}\n'
