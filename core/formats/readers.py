"""Reading articles from files, folders and JSON Lines, one failure at a time.

:func:`read_articles` yields an :class:`~core.model.Article` for each article it can read and an
:class:`~core.errors.InputError` (yielded, not raised) for each one it cannot, so a run over a
corpus goes on past a bad file and reports every failure with its file (and line).

What is read:

- ``.txt`` and ``.md``: the text as it is (Markdown is not rendered: its offsets are the file's).
- ``.html`` / ``.htm``: the visible text (no ``head``, scripts, styles, templates), one line per
  block element, entities decoded; the page's ``<title>`` becomes the article's title.
- ``.jsonl`` / ``.ndjson``: one ``{"id": ..., "text": ...}`` article per line, streamed line by
  line so a corpus of any size is never held in memory.
- a folder: the files above found in it and below it, sorted, hidden files and folders skipped.

Text files may be UTF-8 (with or without a byte order mark) or UTF-16 with a byte order mark;
line ends are made ``\\n`` so a text saved on Windows gives the same offsets.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import Errors, InputError
from ..model import Article, lone_surrogate

#: Suffixes read as one article each.
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
#: Suffixes read as one article per line.
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

#: The largest single text read (a file, or one JSONL line), in bytes. Memory would allow more
#: (long texts are parsed in parts), but parsing takes 30 to 40 s per MB on one core, so a
#: 10 MB text already takes five to seven minutes; bigger inputs are refused with E004 (README,
#: "Limits"). A JSONL file may be of any size: only each of its lines is limited.
MAX_BYTES = 10_000_000

#: How much of a file is looked at to tell text from binary data.
_SNIFF = 8192
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# control characters that do occur in text files
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")


def read_articles(
    paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = MAX_BYTES
) -> Iterator[Article | InputError]:
    """Read every article in the given files and folders, in order.

    Args:
        paths: files (``.txt``, ``.md``, ``.html``, ``.htm``, ``.jsonl``) and folders of them.
        max_bytes: the largest text read; a longer file or JSONL line is an error (E004).

    Yields:
        An :class:`Article` per article read, or an :class:`InputError` per input (file, or line
        of a JSONL file) that cannot be read: missing (E008), empty (E001), binary (E002), not
        UTF-8 (E003), too large (E004), not JSON (E005), no text (E006), unsupported (E007),
        a folder without articles (E009), or the system's reason (permission denied, ...).
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = files_under(path)
            if not files:
                yield InputError(str(path), Errors.E009)
            for file in files:
                yield from _read_file(file, max_bytes)
        elif path.exists():
            if path.suffix.lower() not in SUFFIXES:
                yield InputError(str(path), Errors.E007.format(suffix=path.suffix))
            else:
                yield from _read_file(path, max_bytes)
        else:
            yield InputError(str(path), Errors.E008)


def files_under(folder: Path) -> list[Path]:
    """The article and JSONL files under ``folder`` (any depth), sorted by path, hidden files
    and folders skipped: the one folder walk of ``extract`` and ``import``."""
    found: list[Path] = []
    # os.walk does not follow links to folders, so a link loop cannot make this endless
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(root, name)
            for name in files
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES
        )
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _read_file(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from _read_jsonl(path, max_bytes)
        else:
            yield _read_document(path, max_bytes)
    except OSError as err:  # unreadable: permission denied, a folder named like a file, ...
        yield InputError(str(path), err.strerror or str(err))


def _read_document(path: Path, max_bytes: int) -> Article | InputError:
    """One ``.txt``, ``.md`` or ``.html`` file as one article."""
    size = path.stat().st_size
    if size > max_bytes:  # checked before reading, so a huge file costs nothing
        return InputError(str(path), Errors.E004.format(size=size, limit=max_bytes))
    try:
        text = _decode(path.read_bytes())
    except _NotText as err:
        return InputError(str(path), str(err))
    title = ""
    if path.suffix.lower() in HTML_SUFFIXES:
        title, text = html_text(text)
    if not text.strip():
        return InputError(str(path), Errors.E001)
    return Article(id=path.stem, text=text, source=str(path), title=title)


class _NotText(Exception):
    """Bytes that are not a text; ``str(err)`` is the coded message saying why."""


def _decode(data: bytes) -> str:
    """Decode a text file's bytes.

    Returns:
        The text, with its byte order mark dropped and line ends made ``\\n``.

    Raises:
        _NotText: binary data (E002), or not valid UTF-8 (E003) or UTF-16 (E011).
    """
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise _NotText(Errors.E011.format(pos=err.start + 2)) from None
    else:
        if _looks_binary(data):
            raise _NotText(Errors.E002)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
            raise _NotText(Errors.E003.format(pos=err.start + bom)) from None
    # one newline convention, so a file saved on Windows gives the same offsets
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(data: bytes) -> bool:
    """Whether bytes are not text: a NUL byte, or mostly control characters at the start."""
    if b"\x00" in data:
        return True
    head = data[:_SNIFF]
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return bool(head) and controls > len(head) * 0.3


# --- JSON Lines ----------------------------------------------------------------------------


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """The articles of a JSON Lines file, one per line, read line by line."""
    where = str(path)
    with path.open("rb") as fh:
        if _looks_binary(fh.read(_SNIFF)):  # UTF-16 JSON, or not JSON at all
            yield InputError(where, Errors.E002)
            return
        fh.seek(0)
        any_line = False
        offset = 0  # of the line's first byte in the file, for E003
        for number, line, size in jsonl_lines(fh, max_bytes):
            start, offset = offset, offset + size
            if line is None:
                any_line = True
                yield InputError(where, Errors.E004.format(size=size, limit=max_bytes), number)
                continue
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line, start = line[3:], start + 3
            if not line.strip():
                continue
            any_line = True
            try:
                body = line.decode("utf-8")
            except UnicodeDecodeError as err:
                yield InputError(where, Errors.E003.format(pos=start + err.start), number)
                continue
            yield _article_from_line(path, number, body)
        if not any_line:
            yield InputError(where, Errors.E001)


def jsonl_lines(fh: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """The lines of a JSON Lines file, as bytes: the one line reader of ``extract`` and ``import``.

    Args:
        fh: the file, opened in binary mode.
        max_bytes: the longest line read (not counting its line end).

    Yields:
        ``(number, line, size)`` from line 1; ``line`` is ``None`` for a line over
        ``max_bytes``, which is never read whole (the rest of it is skipped in chunks).
    """
    number = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line)
            while True:
                rest = fh.readline(1 << 20)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None, size
        else:
            yield number, line, len(line)


def _article_from_line(path: Path, number: int, body: str) -> Article | InputError:
    where = str(path)
    try:
        record = json.loads(body)
    except json.JSONDecodeError as err:
        return InputError(where, Errors.E005.format(detail=f"{err.msg} (column {err.colno})"), number)
    if not isinstance(record, dict):
        return InputError(where, Errors.E005.format(detail="a line must hold an object"), number)
    text = record.get("text")
    if not isinstance(text, str):
        return InputError(where, Errors.E006, number)
    if not text.strip():
        return InputError(where, Errors.E001, number)
    if (pos := lone_surrogate(text)) is not None:
        return InputError(where, Errors.E012.format(char=f"U+{ord(text[pos]):04X}", pos=pos), number)
    raw_id = record.get("id")
    has_id = isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id).strip()
    title = record.get("title")
    return Article(
        id=str(raw_id) if has_id else f"{path.name}:{number}",
        text=text,
        source=f"{path}:{number}",
        title=title if isinstance(title, str) else "",
    )


# --- HTML ----------------------------------------------------------------------------------


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


class _HTMLText(html.parser.HTMLParser):
    """The visible text of an HTML page: one line per block element, no head, scripts or styles."""

    BLOCKS = frozenset(
        [
            "address",
            "article",
            "aside",
            "blockquote",
            "br",
            "dd",
            "details",
            "dialog",
            "div",
            "dl",
            "dt",
            "fieldset",
            "figcaption",
            "figure",
            "footer",
            "form",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "header",
            "hr",
            "li",
            "main",
            "nav",
            "ol",
            "p",
            "pre",
            "section",
            "summary",
            "table",
            "td",
            "th",
            "tr",
            "ul",
        ]
    )
    HIDDEN = frozenset({"head", "script", "style", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive decoded
        self.parts: list[str] = []
        self.title: list[str] = []
        self._hidden: list[str] = []  # open hidden elements, innermost last
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "body" and "head" in self._hidden:
            # </head> may be left out: the body ends the head
            self._hidden.remove("head")
        elif tag in self.HIDDEN:
            self._hidden.append(tag)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self.HIDDEN:
            # close up to the matching element: a stray end tag must not unhide the page
            if tag in self._hidden:
                del self._hidden[len(self._hidden) - 1 - self._hidden[::-1].index(tag) :]
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._hidden:
            # a line break in the source is a space in HTML; only blocks break lines
            self.parts.append(data.replace("\r", " ").replace("\n", " "))

    def text(self) -> str:
        # only ASCII white space collapses in HTML: a no-break space (&nbsp;) stays as written
        lines = (_HTML_SPACE.sub(" ", line).strip(" ") for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line.strip())


def html_text(source: str) -> tuple[str, str]:
    """The title and the visible text of an HTML document.

    Returns:
        ``(title, text)``: the ``<title>``'s text (or ``""``) and the page's visible text with
        one line per block element (paragraph, heading, list item, table cell, ...).
    """
    parser = _HTMLText()
    parser.feed(source)
    parser.close()
    return " ".join("".join(parser.title).split()), parser.text()
