"""The project commands: new, import, suggest, export, stats, and their errors."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from quotebench.core.cli import cli
from quotebench.core.cli.project import COMMANDS
from quotebench.core.cli.suggest import ENGINE_ORIGIN, suggest
from quotebench.core.model import Evidence, Kind, Span, SpeakerType, Suggestion
from quotebench.core.project.store import Store

ARTICLE = 'The mayor said: "The bridge will open in May." Critics said the date would slip.\n'


@pytest.fixture()
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("QUOTEBENCH_ANNOTATOR", raising=False)
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        assert (result.exit_code == 0) is ok, result.output + result.stderr
        return result

    return invoke


@pytest.fixture()
def fake_engine(monkeypatch):
    """An engine that finds the one direct quote in each text, so no model is needed."""
    import quotebench.core.engine.pipeline

    def quotes_for(text: str) -> list[Suggestion]:
        start = text.find('"')
        if start < 0:
            return []
        end = text.index('"', start + 1) + 1
        return [
            Suggestion(
                span=Span(start, end, text[start:end]),
                kind=Kind.DIRECT,
                mention=Span(0, 9, text[:9]),
                speaker="Mayor Jo Brand",
                speaker_type=SpeakerType.PERSON,
                confidence=0.75,
                evidence=Evidence("fake"),
            )
        ]

    monkeypatch.setattr(quotebench.core.engine.pipeline, "load_nlp", lambda name=None: object())
    monkeypatch.setattr(
        quotebench.core.engine.pipeline,
        "quotes_in_many",
        lambda texts, nlp, **kw: (quotes_for(t) for t in texts),
    )


def test_every_command_has_help():
    for command in (*COMMANDS, suggest):
        assert command.help and command.help.strip(), command.name
        assert cli.get_command(None, command.name) is command


def test_new_import_stats(run, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run("new", "p.qb")
    result = run("import", "p.qb", "a.txt", "--annotator", "ann")
    assert "1 document imported" in result.stderr
    result = run("import", "p.qb", "a.txt")
    assert "already in the project as document 1" in result.stderr
    result = run("stats", "p.qb")
    assert (
        "documents: 1" in result.stdout and "by status: suggested 0, accepted 0, rejected 0" in result.output
    )
    with Store.open(tmp_path / "p.qb") as store:
        assert store.history()[0].annotator == "ann"


def test_suggest_with_progress_then_only_new_documents(run, tmp_path, fake_engine):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run("new", "p.qb")
    run("import", "p.qb", "a.txt")
    result = run("suggest", "p.qb")
    assert "Suggesting" in result.stderr and "1 suggestion(s) stored" in result.stderr
    assert result.stdout == ""  # progress and messages go to stderr
    result = run("suggest", "p.qb")
    assert "every document already has suggestions" in result.stderr
    result = run("suggest", "p.qb", "--all")
    assert "1 document(s) read" in result.stderr
    with Store.open(tmp_path / "p.qb") as store:
        [q] = store.all_quotes()
        assert (q.origin, q.speaker_name, q.status.value) == (ENGINE_ORIGIN, "Mayor Jo Brand", "suggested")
        assert store.find_speaker("the mayor").name == "Mayor Jo Brand"
    stats = json.loads(run("stats", "p.qb", "--json").stdout)
    assert stats["by_status"]["suggested"] == 1 and stats["by_speaker"] == [["Mayor Jo Brand", 1]]


@pytest.mark.parametrize(
    "fmt, out",
    [("jsonl", "o.jsonl"), ("csv", "o.csv"), ("brat", "brat"), ("tei", "o.xml"), ("docbin", "o.spacy")],
)
def test_export_each_format(run, tmp_path, fake_engine, fmt, out):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run("new", "p.qb")
    run("import", "p.qb", "a.txt")
    run("suggest", "p.qb")
    result = run("export", "p.qb", "--format", fmt, "-o", out)
    assert "1 document(s), 1 quote(s) written" in result.stderr
    assert (tmp_path / out).exists()
    result = run("export", "p.qb", "--format", fmt, "--accepted-only", "-o", out)
    assert "1 document(s), 0 quote(s) written" in result.stderr


def test_export_jsonl_to_stdout(run, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run("new", "p.qb")
    run("import", "p.qb", "a.txt")
    lines = run("export", "p.qb", "--format", "jsonl", "-o", "-").stdout.splitlines()
    assert json.loads(lines[1])["text"] == ARTICLE


def test_default_annotator_is_the_system_user(run, tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "sysuser")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run("new", "p.qb")
    run("import", "p.qb", "a.txt")
    with Store.open(tmp_path / "p.qb") as store:
        assert store.history()[0].annotator == "sysuser"


def _one_line_error(result, pattern: str) -> None:
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert pattern in lines[0]


def test_errors_are_one_line_and_exit_1(run, tmp_path):
    (tmp_path / "junk.qb").write_bytes(b"not a database at all, just bytes" * 100)
    _one_line_error(run("stats", "junk.qb", ok=False), "[E020]")
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.commit()
    _one_line_error(run("import", "other.db", ".", ok=False), "[E021]")
    _one_line_error(run("stats", "missing.qb", ok=False), "[E028] no project at missing.qb")
    run("new", "p.qb")
    _one_line_error(run("new", "p.qb", ok=False), "[E029]")
    (tmp_path / "bad.jsonl").write_text('{"id": 1, "text": "ok"}\n{oops\n', encoding="utf-8")
    _one_line_error(run("import", "p.qb", "bad.jsonl", ok=False), "bad.jsonl:2: [E005] not JSON")
    _one_line_error(run("import", "p.qb", "nothere.txt", ok=False), "nothere.txt: [E008]")


def test_busy_project_on_the_command_line(run, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run("new", "p.qb")
    holder = sqlite3.connect(tmp_path / "p.qb", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        import quotebench.core.project.store

        real_open = quotebench.core.project.store.Store.open.__func__

        def quick(cls, path, **kw):  # the default 5 s wait, shortened for the test
            return real_open(cls, path, **{**kw, "timeout": 0.3})

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(quotebench.core.project.store.Store, "open", classmethod(quick))
            _one_line_error(run("import", "p.qb", "a.txt", ok=False), "[E023] project is busy")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    run("import", "p.qb", "a.txt")


def test_import_says_when_a_known_article_has_changed(run, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    run("new", "p.qb")
    run("import", "p.qb", "a.txt")
    article.write_text(ARTICLE + "Correction: the bridge opens in June.\n", encoding="utf-8")
    result = run("import", "p.qb", "a.txt")
    assert (
        "a.txt: a changed version of document 1 (same title and source), added as new document 2"
        in result.stderr
    )
    assert "documents: 2" in run("stats", "p.qb").stdout


def test_interrupted_suggest_keeps_what_it_finished(run, tmp_path, monkeypatch, fake_engine):
    import quotebench.core.engine.pipeline

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(
            f'{name}: The mayor said: "Open the {name} bridge."\n', encoding="utf-8"
        )
    run("new", "p.qb")
    run("import", "p.qb", "a.txt", "b.txt", "c.txt")
    real = quotebench.core.engine.pipeline.quotes_in_many

    def interrupted(texts, nlp, **kw):
        for i, quotes in enumerate(real(texts, nlp, **kw)):
            if i == 2:
                raise KeyboardInterrupt
            yield quotes

    monkeypatch.setattr(quotebench.core.engine.pipeline, "quotes_in_many", interrupted)
    result = run("suggest", "p.qb", ok=False)
    assert result.exit_code == 130
    assert "interrupted: 2 of 3 document(s) done and saved" in result.stderr
    with Store.open(tmp_path / "p.qb") as store:
        assert store.documents_without_suggestions() == [3]
        assert len(store.all_quotes()) == 2
