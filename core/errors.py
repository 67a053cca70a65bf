"""Errors that Quotebench shows to its user, each with a searchable code.

Split by blame, as in qutebrowser: a :class:`QuotebenchError` is the user's or the
environment's (a file that cannot be read, a busy project) and is shown as a message;
anything else is a bug.
"""

from __future__ import annotations


class QuotebenchError(Exception):
    """A failure the user can act on. ``str(err)`` is a one-line message."""


class InputError(QuotebenchError):
    """An input file (or one line of it) cannot be read as an article."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class ModelError(QuotebenchError):
    """The spaCy pipeline cannot be loaded."""


class StoreError(QuotebenchError):
    """The project file cannot be used (not SQLite, not a project, too new, damaged)."""


class ProjectBusyError(StoreError):
    """Another process holds the project's write lock for longer than we wait."""


class Errors:
    """Coded messages, spaCy style, so user-facing failures are searchable."""

    E001 = "[E001] empty file: there is no text to read"
    E002 = "[E002] binary file: this is not a text file"
    E003 = "[E003] not valid UTF-8 (byte {pos}): save it as UTF-8"
    E004 = "[E004] too large: {size:,} bytes, over the limit of {limit:,} bytes for one text"
    E005 = "[E005] not JSON: {detail}"
    E006 = '[E006] no "text" string in this record'
    E007 = "[E007] unsupported file type {suffix!r}: expected .txt, .md, .html or .jsonl"
    E008 = "[E008] no such file or folder"
    E009 = "[E009] no .txt, .md, .html or .jsonl files in this folder"
    E010 = "[E010] cannot load the spaCy pipeline {name!r}: {detail}"
    E011 = "[E011] not valid UTF-16 (byte {pos}): save it as UTF-8"
    E012 = "[E012] not valid Unicode: a lone surrogate ({char}) at character {pos}, from a \\u escape"
    E020 = "[E020] {path} is not a SQLite database"
    E021 = "[E021] {path} is not a Quotebench project"
    E022 = (
        "[E022] {path} was written by a newer Quotebench (schema {found}, this one knows {known}): "
        "upgrade Quotebench"
    )
    E023 = "[E023] project is busy: another program has held {path} for {seconds:g} s; close it and try again"
    # the project store (core/project/), its imports and exports (core/formats/)
    E024 = "[E024] no {what} with id {id} in this project"
    E025 = "[E025] bad offsets for {what}: {start}..{end} is not within the document's {length} characters"
    E026 = "[E026] there is already a speaker called {name!r}"
    E027 = "[E027] speaker {name!r} still has {n} quote(s): merge it instead of deleting it"
    E028 = "[E028] no project at {path}: create it with `quotebench new`"
    E029 = "[E029] a project already exists at {path}"
    E030 = "[E030] cannot change {field!r} of a quote (allowed: {allowed})"
    E031 = "[E031] bad value for {field}: {value!r}"
    E032 = "[E032] speaker {name!r} has no alias {alias!r}"
    E033 = "[E033] cannot write the project {path}: {detail}"
    E034 = "[E034] quote record: {detail}"
    E035 = "[E035] unknown export format {fmt!r}: expected {expected}"
    E036 = "[E036] quote {id} already exists, it cannot be restored over"
    E037 = "[E037] the text has a NUL character (U+0000) at offset {pos}: it is not an article's text"
