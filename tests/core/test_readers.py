"""Reading articles: each file type, folders, JSON Lines, and one error per failure."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from quotebench.core.errors import InputError
from quotebench.core.formats import readers
from quotebench.core.formats.readers import MAX_BYTES, html_text, read_articles
from quotebench.core.model import Article

TEXT = 'The mayor said: "The bridge will open in May."\nCritics said the date would slip.\n'


def read(*paths: Path | str, **kwargs: int) -> list[Article | InputError]:
    return list(read_articles(paths, **kwargs))


def only_article(items: list[Article | InputError]) -> Article:
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def only_error(items: list[Article | InputError]) -> InputError:
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


# --- single files --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mayor.txt", "mayor.md", "MAYOR.TXT"])
def test_text_file_is_one_article_named_after_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(TEXT, encoding="utf-8")
    article = only_article(read(path))
    assert article.id == Path(name).stem
    assert article.text == TEXT
    assert article.source == str(path)


def test_markdown_is_kept_as_written(tmp_path: Path) -> None:
    source = '# Budget\n\n*The mayor* said: "**We** will [build](http://example.org) it."\n'
    (tmp_path / "notes.md").write_text(source, encoding="utf-8")
    assert only_article(read(tmp_path / "notes.md")).text == source


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (TEXT.encode("utf-8"), TEXT),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT),  # UTF-8 with a byte order mark
        (TEXT.encode("utf-16"), TEXT),  # UTF-16 with its byte order mark (little-endian here)
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), TEXT),  # big-endian
        (TEXT.replace("\n", "\r\n").encode(), TEXT),  # Windows line ends
        (TEXT.replace("\n", "\r").encode(), TEXT),  # old Mac line ends
        ("Caf\u00e9 \u201cnoir\u201d \U0001f600\n".encode(), "Caf\u00e9 \u201cnoir\u201d \U0001f600\n"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "crlf", "cr", "non-ascii"],
)
def test_encodings_and_line_ends(tmp_path: Path, data: bytes, text: str) -> None:
    (tmp_path / "a.txt").write_bytes(data)
    assert only_article(read(tmp_path / "a.txt")).text == text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", r"\[E001\] empty file"),
        ("blank.txt", b"  \n\t\n  ", r"\[E001\] empty file"),
        ("blank.html", b"<html><head><title>t</title></head><body><p> </p></body></html>", r"\[E001\]"),
        ("nul.txt", b"a picture\x00\x01\x02 of bytes", r"\[E002\] binary file"),
        ("controls.txt", bytes(range(1, 9)) * 100, r"\[E002\] binary file"),
        ("latin1.txt", "caf\xe9 said".encode("latin-1"), r"\[E003\] not valid UTF-8 \(byte 3\)"),
        ("late.txt", b"x" * 5000 + b"\xff", r"\[E003\] not valid UTF-8 \(byte 5000\)"),
        ("bom-latin1.txt", b"\xef\xbb\xbfcaf\xe9", r"\[E003\] not valid UTF-8 \(byte 6\)"),
        ("odd.txt", b"\xff\xfea\x00b", r"\[E011\] not valid UTF-16"),
        ("scan.pdf", b"%PDF-1.4", r"\[E007\] unsupported file type '.pdf'"),
        ("noext", b"text", r"\[E007\] unsupported file type ''"),
    ],
)
def test_each_unreadable_file_is_one_error_naming_it(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    err = only_error(read(path))
    assert err.source == str(path) and err.line is None
    assert str(err).startswith(f"{path}: ")
    assert "\n" not in str(err)
    assert re.search(message, str(err)), str(err)


def test_missing_path(tmp_path: Path) -> None:
    err = only_error(read(tmp_path / "gone.txt"))
    assert str(err) == f"{tmp_path / 'gone.txt'}: [E008] no such file or folder"


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300)
    err = only_error(read(path, max_bytes=1000))
    assert "[E004]" in str(err) and "1,500 bytes" in str(err) and "limit of 1,000 bytes" in str(err)
    assert only_article(read(path, max_bytes=1500)).text == "word " * 300


def test_the_default_limit_is_documented_in_the_readme() -> None:
    readme = Path(__file__).parents[2] / "README.md"
    assert f"{MAX_BYTES // 1_000_000} MB" in readme.read_text(encoding="utf-8")


def test_unreadable_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(TEXT)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # running as root: every file is readable
            path = tmp_path / "folder.txt"
            path.mkdir()  # a folder named like a file is read as a folder without articles
            assert "[E009]" in str(only_error(read(path)))
        else:
            assert "Permission denied" in str(only_error(read(path)))
    finally:
        (tmp_path / "locked.txt").chmod(0o644)


# --- HTML ----------------------------------------------------------------------------------


PAGE = """<!DOCTYPE html>
<html><head><title>Bridge  &amp; roads</title>
<style>p { color: red }</style><script>var said = "not text";</script></head>
<body>
<nav><ul><li>Home</li><li>News</li></ul></nav>
<h1>Budget</h1>
<p>The mayor said: &ldquo;The bridge will
open in <b>May</b>.&rdquo;</p><p>Critics&nbsp;said it&#39;s late.</p>
<noscript>Turn on scripts</noscript><template><p>hidden</p></template>
<div>One<br>Two</div>
<script>document.write("<p>nor this</p>")</script>
</body></html>"""


def test_html_visible_text_one_line_per_block(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    article = only_article(read(tmp_path / "page.html"))
    assert article.id == "page"
    assert article.title == "Bridge & roads"
    assert article.text.split("\n") == [
        "Home",
        "News",
        "Budget",
        "The mayor said: \u201cThe bridge will open in May.\u201d",
        "Critics\u00a0said it's late.",
        "One",
        "Two",
    ]


def test_html_without_closing_head_keeps_its_body() -> None:
    title, text = html_text("<html><head><title>T</title><body><p>She said it.</p>")
    assert (title, text) == ("T", "She said it.")


def test_html_stray_end_tag_does_not_reveal_a_script() -> None:
    _, text = html_text("<p>a</p><script>x = 1;</style>y = 2;</script><p>b</p>")
    assert text == "a\nb"


@pytest.mark.parametrize("suffix", [".htm", ".HTML"])
def test_html_suffixes(tmp_path: Path, suffix: str) -> None:
    (tmp_path / f"p{suffix}").write_text("<p>She said &quot;yes&quot;.</p>")
    assert only_article(read(tmp_path / f"p{suffix}")).text == 'She said "yes".'


# --- folders -------------------------------------------------------------------------------


def test_folder_is_read_recursively_sorted_skipping_hidden_and_other_files(tmp_path: Path) -> None:
    for rel in [
        "b.txt",
        "a.md",
        "sub/c.html",
        "sub/deeper/d.txt",
        ".hidden.txt",
        ".git/e.txt",
        "notes.docx",
        "z.jsonl",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".jsonl"):
            path.write_text(json.dumps({"id": "z1", "text": "Zed."}) + "\n")
        elif rel.endswith(".html"):
            path.write_text("<p>Cee.</p>")
        else:
            path.write_text(f"{rel} text")
    items = read(tmp_path)
    assert all(isinstance(item, Article) for item in items), items
    assert [item.id for item in items] == ["a", "b", "c", "d", "z1"]  # type: ignore[union-attr]


def test_a_bad_file_in_a_folder_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First.")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("Third.")
    items = read(tmp_path)
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    assert str(items[1]).startswith(str(tmp_path / "b.txt"))


def test_folder_without_articles(tmp_path: Path) -> None:
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    assert "[E009]" in str(only_error(read(tmp_path)))


def test_inputs_keep_their_order_and_one_failure_does_not_stop_the_rest(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("One.")
    (tmp_path / "two.txt").write_text("Two.")
    items = read(tmp_path / "two.txt", tmp_path / "missing.txt", tmp_path / "one.txt")
    assert isinstance(items[1], InputError)
    assert [getattr(i, "id", None) for i in items] == ["two", None, "one"]


# --- JSON Lines ----------------------------------------------------------------------------


def test_jsonl_articles_ids_and_fallback_ids(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    lines = [
        {"id": "first", "text": "She said so."},
        {"id": 7, "text": "Seven."},
        {"text": "No id here."},
        {"id": None, "text": "Null id."},
        {"id": "x", "text": "Title kept.", "title": "A title", "quotes": []},
    ]
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    items = read(path)
    assert all(isinstance(i, Article) for i in items), items
    assert [i.id for i in items] == ["first", "7", "corpus.jsonl:3", "corpus.jsonl:4", "x"]  # type: ignore[union-attr]
    assert [i.source for i in items][:2] == [f"{path}:1", f"{path}:2"]  # type: ignore[union-attr]
    assert items[4].title == "A title"  # type: ignore[union-attr]


def test_jsonl_text_is_taken_verbatim(tmp_path: Path) -> None:
    text = "Line one\r\nShe said: \u201cYes.\u201d \U0001f600"
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a", "text": text}) + "\n")
    assert only_article(read(tmp_path / "a.jsonl")).text == text


def test_jsonl_each_bad_line_is_one_error_and_the_other_lines_are_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'{"id": "ok1", "text": "Fine."}\n'
        b"this is not json\n"
        b"\n"  # blank lines are skipped, but counted
        b'{"id": "no-text"}\n'
        b'{"id": "num", "text": 42}\n'
        b"[1, 2]\n"
        b'{"id": "empty", "text": "   "}\n'
        b'{"id": "bad", "text": "caf\xe9"}\n'
        b'{"id": "ok2", "text": "Also fine."}'  # no newline at the end
    )
    items = read(path)
    got = [(i.id if isinstance(i, Article) else (i.line, str(i).split("] ")[0] + "]")) for i in items]
    assert got == [
        "ok1",
        (2, f"{path}:2: [E005]"),
        (4, f"{path}:4: [E006]"),
        (5, f"{path}:5: [E006]"),
        (6, f"{path}:6: [E005]"),
        (7, f"{path}:7: [E001]"),
        (8, f"{path}:8: [E003]"),
        "ok2",
    ]
    # the byte offset of a bad byte is counted from the start of the file
    assert f"(byte {path.read_bytes().index(b'caf') + 3})" in str(items[6])


def test_jsonl_line_over_the_limit_is_skipped_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    long_line = json.dumps({"id": "long", "text": "word " * 1000})
    path.write_text(
        json.dumps({"id": "a", "text": "Short."})
        + "\n"
        + long_line
        + "\n"
        + json.dumps({"id": "b", "text": "After."})
        + "\n"
    )
    items = read(path, max_bytes=500)
    assert [getattr(i, "id", None) for i in items] == ["a", None, "b"]
    assert items[1].line == 2 and "[E004]" in str(items[1])  # type: ignore[union-attr]
    # the limit is on the text (5,000 bytes), as for a .txt file, not on the line's JSON
    assert "5,000 bytes, over the limit of 500 bytes for one text" in str(items[1])


def test_jsonl_line_over_the_limit_and_slack_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "JSON_SLACK", 100)
    path = tmp_path / "long.jsonl"
    long_line = json.dumps({"id": "long", "text": "word " * 1000})
    path.write_text(long_line + "\n" + json.dumps({"id": "b", "text": "After."}) + "\n")
    bad, good = read(path, max_bytes=500)
    assert isinstance(bad, InputError) and bad.line == 1
    assert f"[E004] too large: a line of {len(long_line) + 1:,} bytes" in str(bad)
    assert "limit of 500 bytes for one text and 100 bytes of JSON" in str(bad)
    assert isinstance(good, Article) and good.id == "b"


def test_jsonl_of_only_long_lines_is_not_also_called_empty(tmp_path: Path) -> None:
    (tmp_path / "long.jsonl").write_text(json.dumps({"id": "a", "text": "word " * 100}) + "\n")
    err = only_error(read(tmp_path / "long.jsonl", max_bytes=100))
    assert "[E004]" in str(err) and err.line == 1


def test_jsonl_is_streamed_line_by_line(tmp_path: Path) -> None:
    """The first article is yielded before the file's end is written (so it is never read whole)."""
    path = tmp_path / "growing.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "First."}) + "\n")
    items = read_articles([path])
    first = next(items)
    assert isinstance(first, Article) and first.id == "a"
    with path.open("a") as fh:  # written after the first article was read
        fh.write(json.dumps({"id": "b", "text": "Second."}) + "\n")
    assert [i.id for i in items] == ["b"]  # type: ignore[union-attr]


def test_jsonl_with_utf8_bom(tmp_path: Path) -> None:
    (tmp_path / "bom.jsonl").write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": "T."}).encode() + b"\n"
    )
    assert only_article(read(tmp_path / "bom.jsonl")).id == "a"


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "[E001]"), (b"\n\n  \n", "[E001]"), ('{"id": "a", "text": "T."}\n'.encode("utf-16"), "[E002]")],
    ids=["empty", "blank-lines", "utf16"],
)
def test_jsonl_file_errors(tmp_path: Path, data: bytes, code: str) -> None:
    (tmp_path / "c.jsonl").write_bytes(data)
    err = only_error(read(tmp_path / "c.jsonl"))
    assert code in str(err) and err.line is None


def test_jsonl_lone_surrogate_is_one_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"id": "x", "text": "fine"}\n{"id": "y", "text": "bad \\ud83d here"}\n', encoding="utf-8"
    )
    good, bad = list(read_articles([path]))
    assert isinstance(good, Article) and good.text == "fine"
    assert isinstance(bad, InputError)
    assert (
        str(bad)
        == f"{path}:2: [E012] not valid Unicode: a lone surrogate (U+D83D) at character 4, from a \\u escape"
    )
