"""Importing articles, annotations and project exports: each format, each failure."""

from __future__ import annotations

import json

import pytest

from quotebench.core.errors import InputError
from quotebench.core.formats.importers import import_paths
from quotebench.core.model import Kind, SpeakerType, Status
from quotebench.core.project.store import Store

ARTICLE = 'The mayor said on Monday: "The bridge will open in May."\nCritics said the date would slip.\n'


@pytest.fixture()
def store(tmp_path):
    with Store.create(tmp_path / "p.qb", annotator="tester") as s:
        yield s


def snapshot(store):
    """Everything a researcher could see, to check that a failed import changed nothing."""
    return store.documents(), store.all_quotes(), store.speakers(), store.history()


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_txt_md_html_and_folders(store, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    write(folder / "a.txt", ARTICLE)
    write(folder / "sub" / "b.md", "# Heading\n\nThe council said it would *not* wait.\r\nEnd.")
    write(
        folder / "c.html",
        "<html><head><title>Bridge  news</title><style>p{}</style></head><body><p>The engineer said"
        " &ldquo;all is well&rdquo;.</p><script>var x;</script><div>Second block</div></body></html>",
    )
    write(folder / "notes.pdf", b"%PDF")  # not an article: passed over in a folder
    report = import_paths(store, [folder])
    assert len(report.added) == 3
    docs = {d.title: store.document(d.id) for d in store.documents()}
    assert set(docs) == {"a", "b", "Bridge news"}
    assert docs["a"].text == ARTICLE
    assert docs["a"].source == str(folder / "a.txt")
    assert docs["b"].text == "# Heading\n\nThe council said it would *not* wait.\nEnd."  # one newline style
    assert docs["Bridge news"].text == "The engineer said \u201call is well\u201d.\nSecond block"


def test_same_text_twice_is_not_added_again(store, tmp_path):
    a = write(tmp_path / "a.txt", ARTICLE)
    b = write(tmp_path / "copy.txt", ARTICLE)
    first = import_paths(store, [a])
    second = import_paths(store, [b, a])
    assert len(first.added) == 1 and second.added == []
    assert [doc_id for _, doc_id in second.known] == first.added * 2
    assert len(store.documents()) == 1
    assert "already in the project as document 1" in "\n".join(second.lines())


def test_changed_version_is_a_new_document_and_is_reported(store, tmp_path):
    path = write(tmp_path / "a.txt", ARTICLE)
    import_paths(store, [path])
    write(path, ARTICLE + "Update: the bridge opened.\n")
    report = import_paths(store, [path])
    assert report.new_versions == [(str(path), 2, [1])]
    assert (
        "a changed version of document 1 (same title and source), added as new document 2"
        in report.lines()[0]
    )
    assert store.document(1).text == ARTICLE  # the old text never changes


def test_jsonl_articles(store, tmp_path):
    path = write(
        tmp_path / "arts.jsonl",
        json.dumps({"id": "one", "text": "First text."})
        + "\n\n"
        + json.dumps({"id": "two", "text": "Second."})
        + "\n",
    )
    report = import_paths(store, [path])
    assert [d.title for d in store.documents()] == ["one", "two"]
    assert report.quotes == 0


def test_jsonl_with_quotes_in_the_interchange_schema(store, tmp_path):
    start = ARTICLE.index('"The')
    end = ARTICLE.index('May."') + 5
    record = {
        "id": "bridge",
        "text": ARTICLE,
        "quotes": [
            {
                "start": start,
                "end": end,
                "text": ARTICLE[start:end],
                "kind": "direct",
                "speaker": "The mayor",
                "speaker_start": 0,
                "speaker_end": 9,
                "cue": "said",
                "cue_start": 10,
                "cue_end": 14,
                "entity": "Jo Brand",
                "entity_type": "person",
                "confidence": 0.9,
            },
            {
                "start": ARTICLE.index("the date"),
                "end": ARTICLE.index("slip") + 4,
                "speaker": "Critics",
                "speaker_start": ARTICLE.index("Critics"),
                "speaker_end": ARTICLE.index("Critics") + 7,
            },
        ],
    }
    path = write(tmp_path / "gold.jsonl", json.dumps(record) + "\n")
    report = import_paths(store, [path], quotes="accepted")  # an answer key, told so
    assert report.quotes == 2
    direct, indirect = store.quotes_for(1)
    assert (direct.status, direct.origin, direct.kind, direct.speaker_name) == (
        Status.ACCEPTED,
        "import:gold.jsonl",
        Kind.DIRECT,
        "Jo Brand",
    )
    assert (direct.cue_start, direct.mention_end, direct.confidence) == (10, 9, 0.9)
    assert indirect.kind is Kind.INDIRECT  # no marks: inferred
    assert indirect.speaker_name == "Critics"  # no entity: the mention names the speaker
    jo = store.find_speaker("the mayor")
    assert (jo.name, jo.type, jo.aliases) == ("Jo Brand", SpeakerType.PERSON, ("The mayor",))
    # importing the same annotations again adds nothing
    again = import_paths(store, [path])
    assert (again.quotes, again.duplicates) == (0, 2)


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"id": "a", "text": "ok"}\n{"id": "b", "text": \n', r"bad\.jsonl:2: \[E005\] not JSON"),
        ('{"id": "a", "text": "ok"}\n{"id": "b"}\n', r"bad\.jsonl:2: \[E006\]"),
        ("[1, 2]\n", r"bad\.jsonl:1: \[E005\]"),
        (
            '{"id": "a", "text": "Hello world", "quotes": [{"start": 0, "end": 50}]}\n',
            r"bad\.jsonl:1: \[E034\] quote record: quote 1: quote offsets 0\.\.50 are not within the text",
        ),
        (
            '{"id": "a", "text": "Hello world", "quotes": [{"start": 0, "end": 5, "text": "Jello"}]}\n',
            r"bad\.jsonl:1: .*its text 'Jello' is not the text at 0\.\.5",
        ),
        (
            '{"id": "a", "text": "Hello world", "quotes": [{"start": 0, "end": 5, "kind": "shout"}]}\n',
            r"bad\.jsonl:1: \[E055\] bad record at \$\.quotes\[0\]\.kind: 'shout' is not one of",
        ),
        (
            '{"id": "a", "text": "ok"}\n{"id": "b", "text": "nul \\u0000 here"}\n',
            r"bad\.jsonl:2: \[E037\] .*offset 4",
        ),
        ('{"id": "a", "text": "ok \\ud800 here"}\n', r"bad\.jsonl:1: \[E012\] .*U\+D800\) at character 3"),
    ],
)
def test_bad_jsonl_names_file_and_line_and_changes_nothing(store, tmp_path, content, message):
    good = write(tmp_path / "good.txt", ARTICLE)
    import_paths(store, [good])
    before = snapshot(store)
    bad = write(tmp_path / "bad.jsonl", content)
    other = write(tmp_path / "other.txt", "Another article that would be added.")
    with pytest.raises(InputError, match=message):
        import_paths(store, [other, bad])
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", "  \n", r"\[E001\] empty file"),
        ("bin.txt", b"\x00\x01\x02abc", r"\[E002\] binary file"),
        ("latin.txt", "caf\xe9 said".encode("latin-1"), r"\[E003\] not valid UTF-8 \(byte 3\)"),
        ("doc.pdf", b"%PDF-1.4", r"\[E007\] unsupported file type '.pdf'"),
    ],
)
def test_unreadable_files_fail_the_whole_import(store, tmp_path, name, content, message):
    before = snapshot(store)
    ok = write(tmp_path / "ok.txt", ARTICLE)
    bad = write(tmp_path / name, content)
    with pytest.raises(InputError, match=rf"{name}: {message}"):
        import_paths(store, [ok, bad])
    assert snapshot(store) == before


def test_missing_path_and_empty_folder(store, tmp_path):
    with pytest.raises(InputError, match=r"nope: \[E008\] no such file or folder"):
        import_paths(store, [tmp_path / "nope"])
    (tmp_path / "empty" / ".hidden").mkdir(parents=True)
    (tmp_path / "empty" / ".hidden" / "a.txt").write_text("hidden", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty: \[E009\]"):
        import_paths(store, [tmp_path / "empty"])
    assert store.documents() == []


def test_failure_while_writing_rolls_back_and_names_the_input(store, tmp_path, monkeypatch):
    first = write(tmp_path / "a.txt", ARTICLE)
    second = write(tmp_path / "b.txt", "Second article.")
    before = snapshot(store)
    real = Store.add_document

    def failing(self, text, **kw):
        if text.startswith("Second"):
            from quotebench.core.errors import StoreError

            raise StoreError("[E033] cannot write the project: disk full")
        return real(self, text, **kw)

    monkeypatch.setattr(Store, "add_document", failing)
    with pytest.raises(InputError, match=r"b\.txt: \[E033\] cannot write the project: disk full"):
        import_paths(store, [first, second])
    monkeypatch.undo()
    assert snapshot(store) == before


def test_project_export_with_tampered_text_is_refused(store, tmp_path):
    header = {"quotebench_export": 1, "schema": 1, "speakers": []}
    doc = {
        "id": "a",
        "document_id": 1,
        "title": "a",
        "source": "a.txt",
        "sha256": "0" * 64,
        "imported_at": "2020-01-01T00:00:00.000000Z",
        "text": "Edited text.",
        "quotes": [],
    }
    path = write(tmp_path / "exp.jsonl", json.dumps(header) + "\n" + json.dumps(doc) + "\n")
    with pytest.raises(InputError, match=r"exp\.jsonl:2: \[E034\] quote record: sha256 does not match"):
        import_paths(store, [path])
    assert store.documents() == []


def test_export_into_a_project_that_has_some_of_it(store, tmp_path):
    from quotebench.core.formats.exporters import export

    with Store.create(tmp_path / "other.qb", annotator="other") as other:
        doc, _ = other.add_document(ARTICLE, title="bridge", source="elsewhere.txt")
        sid, _ = other.add_speaker("Jo Brand", SpeakerType.PERSON)
        other.add_alias(sid, "the mayor")
        other.add_quote(doc, 26, 56, Kind.DIRECT, speaker_id=sid)
        other.add_quote(doc, 57, 64, Kind.INDIRECT)
        export(other, "jsonl", tmp_path / "other.jsonl")
    # this project already has the text, one of the quotes and a speaker of the same name
    mine, _ = store.add_document(ARTICLE, title="mine")
    jo, _ = store.add_speaker("jo brand")
    store.add_quote(mine, 26, 56, Kind.DIRECT)
    report = import_paths(store, [tmp_path / "other.jsonl"])
    assert (report.added, report.known, report.quotes, report.duplicates) == (
        [],
        [(f"{tmp_path / 'other.jsonl'}:2", mine)],
        1,
        1,
    )
    assert [(q.start, q.origin) for q in store.quotes_for(mine)] == [
        (26, "annotator:tester"),
        (57, "annotator:other"),
    ]
    assert [s.name for s in store.speakers()] == ["jo brand"]  # matched by name, not added twice
    assert store.speaker(jo).aliases == ("the mayor",)
