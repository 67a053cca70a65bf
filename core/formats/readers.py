"""Reading articles from files, folders and JSON Lines, one failure at a time.

:func:`read_articles` yields an :class:`~core.model.Article` for each article it can read and an
:class:`~core.errors.InputError` (yielded, not raised) for each one it cannot, so a run over a
corpus goes on past a bad file and reports every failure with its file (and line).

What is read:

- ``.txt`` and ``.md``: the text as it is (Markdown is not rendered: its offsets are the file's).
  A Markdown file's front matter (``key: value`` lines between ``---`` lines at its start) is
  its metadata, not its text: the text starts after it.
- ``.html`` / ``.htm``: the visible text (no ``head``, scripts, styles, templates), one line per
  block element, entities decoded; the page's ``og:title`` or ``<title>`` becomes the article's
  title, and its ``<meta>`` tags (``og:site_name``, ``article:published_time``, ``author``, ...)
  and canonical link its metadata.
- ``.jsonl`` / ``.ndjson``: one ``{"id": ..., "text": ...}`` article per line, streamed line by
  line so a corpus of any size is never held in memory; ``.jsonl.gz`` / ``.ndjson.gz`` the same,
  decompressed as they are read (with the same bounded line reading).
- a pattern (``corpus/*.jsonl``, ``**`` for any depth) that names no file as it is written: the
  files it matches, sorted (E099 when none does), so a quoted pattern works as the shell's does.
- a folder: the files above found in it and below it, sorted, hidden files and folders skipped.

Text files may be UTF-8 (with or without a byte order mark) or UTF-16 with a byte order mark;
line ends are made ``\\n`` so a text saved on Windows gives the same offsets.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import gzip
import html.parser
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, cast

from ..errors import Errors, InputError
from ..model import Article
from .metadata import collect, from_record, front_matter
from .schema import RecordError, check_record, parse_line

#: Suffixes read as one article each.
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
#: Suffixes read as one article per line.
JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: Compressed JSON Lines (gzip), read as they are decompressed.
GZIP_SUFFIXES = (".jsonl.gz", ".ndjson.gz")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES


def is_jsonl(path: Path) -> bool:
    """Whether ``path`` is read as JSON Lines: ``.jsonl``, ``.ndjson`` or one of them gzipped."""
    name = path.name.lower()
    return path.suffix.lower() in JSONL_SUFFIXES or name.endswith(GZIP_SUFFIXES)


def _known(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES or path.name.lower().endswith(GZIP_SUFFIXES)


#: The largest single text read (a file, or one JSONL line), in bytes. Memory would allow more
#: (long texts are parsed in parts), but parsing takes 30 to 40 s per MB on one core, so a
#: 10 MB text already takes five to seven minutes; bigger inputs are refused with E004 (README,
#: "Limits"). A JSONL file may be of any size: only each of its lines is limited.
MAX_BYTES = 10_000_000
#: What a JSONL line may hold around its text (keys, escapes, a title, quotes): a line longer
#: than the text's limit plus this is refused (E004) before it is parsed, so that reading one
#: line never costs more than about twice this much memory.
JSON_SLACK = 1 << 20

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
        max_bytes: the largest text read; a longer file or JSONL text is an error (E004).

    Yields:
        An :class:`Article` per article read, or an :class:`InputError` per input (file, or line
        of a JSONL file) that cannot be read: missing (E008), empty (E001), binary (E002), not
        UTF-8 (E003), too large (E004), not JSON (E005), no text (E006), unsupported (E007),
        a folder without articles (E009), not a regular file (E050), an unreadable folder
        (E051) or file (E052), a symbolic link loop (E053), JSON nested too deeply (E054), a
        record that does not fit the schema (E055), a lone surrogate (E012, E056).
    """
    for found in input_files(paths):
        if isinstance(found, InputError):
            yield found
        else:
            yield from _read_file(found, max_bytes)


def shown(path: str | os.PathLike[str]) -> str:
    """A path as it can be printed and stored: valid UTF-8 whatever the file system holds.

    A file name that is not UTF-8 reaches Python with each bad byte as a lone surrogate
    (``os.fsdecode``'s ``surrogateescape``); here each such byte is written ``\\xNN`` instead,
    so ``caf\\xe9.txt`` (Latin-1 bytes) is shown, stored and written as the ASCII text
    ``caf\\xe9.txt``. Opening the file still uses the path as Python has it.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | InputError]:
    """The files to read, in order, and an error for each path that cannot be read: the one walk
    of ``extract`` and ``import``.

    Yields:
        A :class:`Path` per file given by name (with a known suffix) or found in a folder (sorted,
        hidden files and folders skipped), or an :class:`InputError`: no such path (E008), a
        symbolic link loop (E053), unsupported suffix (E007), a folder without articles (E009),
        a folder or subfolder that cannot be read (E051), or the system's reason (E052).
    """
    for raw in _patterns(paths):
        if isinstance(raw, InputError):
            yield raw
            continue
        path = Path(raw)
        try:
            mode = os.stat(path).st_mode
        except OSError as err:
            yield os_error(path, err)
            continue
        if stat.S_ISDIR(mode):
            found = _walk(path)
            if not found:
                yield InputError(shown(path), Errors.E009)
            yield from found
        elif not _known(path):
            yield InputError(shown(path), Errors.E007.format(suffix=shown(path.suffix)))
        else:
            yield path


def _patterns(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str | os.PathLike[str] | InputError]:
    """The paths with each pattern that names no file (``*``, ``?``, ``[``) replaced by its matches."""
    for raw in paths:
        text = os.fspath(raw)
        if not glob.has_magic(text) or os.path.lexists(text):
            yield raw
            continue
        matches = sorted(glob.glob(text, recursive=True))
        if not matches:
            yield InputError(shown(text), Errors.E099.format(pattern=shown(text)))
        yield from matches


def os_error(path: str | os.PathLike[str], err: OSError, *, folder: bool = False) -> InputError:
    """The coded error for a path the system refused: E008, E053, E051 (folder) or E052."""
    where = shown(path)
    if err.errno in (errno.ENOENT, errno.ENOTDIR):
        return InputError(where, Errors.E008)
    if err.errno == errno.ELOOP:
        return InputError(where, Errors.E053)
    reason = (err.strerror or str(err)).lower()
    return InputError(
        where, Errors.E051.format(reason=reason) if folder else Errors.E052.format(reason=reason)
    )


def files_under(folder: Path) -> list[Path]:
    """The article and JSONL files under ``folder`` (any depth), sorted by path, hidden files
    and folders skipped (folders that cannot be read are left out: see :func:`input_files`)."""
    return [p for p in _walk(folder) if isinstance(p, Path)]


def _walk(folder: Path) -> list[Path | InputError]:
    """The files under ``folder``, and an E051 for each subfolder that cannot be read, sorted."""
    found: list[tuple[tuple[str, ...], Path | InputError]] = []

    def unreadable(err: OSError) -> None:
        where = Path(err.filename) if err.filename else folder
        found.append((_parts(where, folder), os_error(where, err, folder=True)))

    # os.walk does not follow links to folders, so a link loop cannot make this endless
    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and _known(Path(name)):
                path = Path(root, name)
                found.append((_parts(path, folder), path))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _parts(path: Path, folder: Path) -> tuple[str, ...]:
    try:
        return path.relative_to(folder).parts
    except ValueError:
        return ()


def _read_file(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    try:
        if is_jsonl(path):
            yield from _read_jsonl(path, max_bytes)
        else:
            yield _read_document(path, max_bytes)
    except InputError as err:  # not a regular file
        yield err
    except OSError as err:  # unreadable: permission denied, a loop of links, not gzip, ...
        yield os_error(path, err)
    except (EOFError, zlib.error) as err:  # gzip data cut short or damaged
        yield InputError(shown(path), Errors.E052.format(reason=f"damaged gzip data ({err})"))


def open_regular(path: Path) -> BinaryIO:
    """Open a file for reading, refusing anything but a regular file (E050).

    A FIFO would block, and ``/dev/zero`` or ``/dev/urandom`` never end: the kind of file is
    checked before opening, the file is opened without blocking (so a FIFO swapped in between
    cannot hang the run) and checked again once open.

    Raises:
        InputError: not a regular file (E050).
        OSError: the system's reason (no such file, permission denied, a loop of links, ...).
    """
    _check_regular(path, os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        _check_regular(path, os.fstat(fd).st_mode)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _check_regular(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a file")
        raise InputError(shown(path), Errors.E050.format(kind=kind))


def _read_document(path: Path, max_bytes: int) -> Article | InputError:
    """One ``.txt``, ``.md`` or ``.html`` file as one article, read no further than the limit."""
    where = shown(path)
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > max_bytes:  # checked before reading, so a huge file costs nothing
            return InputError(where, Errors.E004.format(size=size, limit=max_bytes))
        data = fh.read(max_bytes + 1)  # the file may have grown since
    if len(data) > max_bytes:
        return InputError(where, Errors.E004.format(size=len(data), limit=max_bytes))
    try:
        text = _decode(data)
    except _NotText as err:
        return InputError(where, str(err))
    title, meta = "", {}
    if path.suffix.lower() in HTML_SUFFIXES:
        title, text, tags = html_document(text)
        meta = collect(tags, {"title": title} if title else {})
        title = meta.pop("title", title)
    elif path.suffix.lower() == ".md":
        found, text = front_matter(text)
        meta = collect(found)
        title = meta.pop("title", "")
    if not text.strip():
        return InputError(where, Errors.E001)
    return Article(id=shown(path.stem), text=text, source=where, title=title, meta=meta)


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


def json_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, str | InputError]]:
    """The non-blank lines of a JSON Lines file, decoded: the one JSONL reader of ``extract`` and
    ``import``.

    A line is read only if it is no longer than ``max_bytes`` plus :data:`JSON_SLACK`; a longer
    one is skipped in bounded chunks and reported (E004), so a 500 MB line never sits in memory.

    Yields:
        ``(line number, text)``, or ``(line number, error)`` for a line too long (E004) or not
        UTF-8 (E003); ``(0, error)`` once for a file with no line (E001) or binary data (E002).

    Raises:
        InputError: not a regular file (E050).
        OSError: the file cannot be opened or read.
    """
    where = shown(path)
    limit = max_bytes + JSON_SLACK
    with _open_lines(path) as fh:
        if _looks_binary(fh.read(_SNIFF)):  # UTF-16 JSON, or not JSON at all
            yield 0, InputError(where, Errors.E002)
            return
        fh.seek(0)
        any_line = False
        offset = 0  # of the line's first byte in the file, for E003
        for number, line, size in jsonl_lines(fh, limit):
            start, offset = offset, offset + size
            if line is None:
                any_line = True
                too_long = Errors.E004_LINE.format(size=size, limit=max_bytes, slack=JSON_SLACK)
                yield number, InputError(where, too_long, number)
                continue
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line, start = line[3:], start + 3
            if not line.strip():
                continue
            any_line = True
            try:
                yield number, line.decode("utf-8")
            except UnicodeDecodeError as err:
                yield number, InputError(where, Errors.E003.format(pos=start + err.start), number)
        if not any_line:
            yield 0, InputError(where, Errors.E001)


@contextlib.contextmanager
def _open_lines(path: Path) -> Iterator[BinaryIO]:
    """A JSON Lines file opened for reading (a regular file only), decompressed if gzipped."""
    with open_regular(path) as raw:
        if not path.name.lower().endswith(GZIP_SUFFIXES):
            yield raw
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as fh:
            yield cast(BinaryIO, fh)


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """The articles of a JSON Lines file, one per line, read line by line."""
    for number, line in json_lines(path, max_bytes):
        yield line if isinstance(line, InputError) else _article_from_line(path, number, line, max_bytes)


def jsonl_lines(fh: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """The lines of a JSON Lines file, as bytes, none held longer than ``max_bytes``.

    Args:
        fh: the file, opened in binary mode.
        max_bytes: the longest line read (not counting its line end).

    Yields:
        ``(number, line, size)`` from line 1; ``line`` is ``None`` for a line over
        ``max_bytes``, which is never read whole (the rest of it is skipped in 1 MiB chunks).
    """
    number = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line)
            del line
            while True:
                rest = fh.readline(1 << 20)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None, size
        else:
            yield number, line, len(line)


def text_too_large(text: str, max_bytes: int) -> int | None:
    """The size of ``text`` in UTF-8 if it is over ``max_bytes``, else ``None``."""
    if len(text) * 4 <= max_bytes:  # no character takes more than 4 bytes
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    return size if size > max_bytes else None


def _article_from_line(path: Path, number: int, body: str, max_bytes: int) -> Article | InputError:
    """One JSONL line as an article: only ``id``, ``title`` and ``text`` are read (and checked
    against the record schema); anything else the line holds is left alone."""
    where = shown(path)
    try:
        record = parse_line(body)
        if not isinstance(record, dict):
            return InputError(where, Errors.E005.format(detail="a line must hold an object"), number)
        if not isinstance(record.get("text"), str):
            return InputError(where, Errors.E006, number)
        check_record({key: record[key] for key in ("id", "title", "text") if key in record})
    except RecordError as err:
        return InputError(where, str(err), number)
    text: str = record["text"]
    if (size := text_too_large(text, max_bytes)) is not None:
        return InputError(where, Errors.E004.format(size=size, limit=max_bytes), number)
    if not text.strip():
        return InputError(where, Errors.E001, number)
    raw_id = record.get("id")
    has_id = raw_id is not None and str(raw_id).strip()
    meta = from_record(record, export=False)
    title = meta.pop("title", "")
    return Article(
        id=str(raw_id) if has_id else f"{shown(path.name)}:{number}",
        text=text,
        source=f"{where}:{number}",
        title=title,
        meta=meta,
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
    #: The ``<meta>`` tags read as metadata (``property`` or ``name``), as :mod:`.metadata` names them.
    META = frozenset(
        {
            "og:title",
            "og:site_name",
            "og:url",
            "article:published_time",
            "article:modified_time",
            "article:author",
            "article:section",
            "author",
            "date",
            "description",
            "keywords",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive decoded
        self.parts: list[str] = []
        self.title: list[str] = []
        self._hidden: list[str] = []  # open hidden elements, innermost last
        self._in_title = False
        self.meta: dict[str, str] = {}

    def _meta_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep a ``<meta>`` tag of :attr:`META` (the first of each name) or the canonical link."""
        found = dict(attrs)
        if tag == "link" and (found.get("rel") or "").lower() == "canonical" and found.get("href"):
            self.meta.setdefault("canonical", found["href"] or "")
        name = (found.get("property") or found.get("name") or "").strip().lower()
        content = found.get("content")
        if tag == "meta" and name in self.META and content and content.strip():
            self.meta.setdefault(name, " ".join(content.split()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link"):
            self._meta_tag(tag, attrs)
        elif tag == "title":
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
    title, text, _meta = html_document(source)
    return title, text


def html_document(source: str) -> tuple[str, str, dict[str, str]]:
    """The title, the visible text and the metadata tags of an HTML document.

    Returns:
        ``(title, text, meta)``: as :func:`html_text`, and the ``<meta>`` tags of
        :attr:`_HTMLText.META` by ``property`` or ``name`` (``og:site_name``, ``author``, ...)
        with ``canonical`` for ``<link rel="canonical">``, the first of each.
    """
    parser = _HTMLText()
    parser.feed(source)
    parser.close()
    return " ".join("".join(parser.title).split()), parser.text(), parser.meta
