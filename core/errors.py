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


class ProjectFileError(StoreError):
    """The project file itself is the problem (busy, damaged, read-only, on a full disk), not an input.

    An import reports these against the project, never against the input line being stored.
    """


class ProjectBusyError(ProjectFileError):
    """Another process holds the project's write lock for longer than we wait."""


class DamagedProjectError(ProjectFileError):
    """The project file fails SQLite's checks (bit flips, truncation): nothing is written to it."""


class DiskFullError(ProjectFileError):
    """The disk holding the project (or a backup) is full: the transaction was rolled back."""


class ReadOnlyProjectError(ProjectFileError):
    """The project can be read but not written (a read-only folder, file or disk)."""


class StaleEditError(StoreError):
    """An edit from a stale view: the row changed (or went) since the caller read it."""


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
    E033 = "[E033] cannot use the project {path}: {detail}"
    E034 = "[E034] quote record: {detail}"
    E035 = "[E035] unknown export format {fmt!r}: expected {expected}"
    E036 = "[E036] quote {id} already exists, it cannot be restored over"
    E037 = "[E037] the text has a NUL character (U+0000) at offset {pos}: it is not an article's text"
    # the project file itself (core/project/): damage, full disks, read-only places, backups, stale edits
    E070 = (
        "[E070] {path} is damaged ({detail}): restore your last backup (`quotebench backup` makes one), "
        "or try `sqlite3 {path} .recover > recovered.sql`"
    )
    E071 = "[E071] the disk holding {path} is full: nothing was written; free some space and try again"
    E072 = (
        "[E072] the folder {folder} is read-only: SQLite cannot create its journal there, so {path} "
        "cannot be changed; copy the project somewhere writable"
    )
    E073 = "[E073] {path} is read-only (its permissions, or the disk): it can be read but not changed"
    E074 = "[E074] {out} is the project {path} itself (or its -wal or -shm file): choose another path"
    E075 = "[E075] cannot write the backup {out}: {detail}"
    E076 = (
        "[E076] quote {id} was changed elsewhere since this window read it (by {who} at {at}): "
        "reload to see the change"
    )
    E077 = "[E077] quote {id} was deleted elsewhere since this window read it: reload"
    E078 = (
        "[E078] {path} was written by an earlier Quotebench and must be upgraded before it can be "
        "read, but it cannot be changed here ({reason}): copy it somewhere writable and open the copy"
    )
    # reading inputs (core/formats/readers.py, schema.py, importers.py)
    E050 = "[E050] not a regular file ({kind}): only files are read"
    E051 = "[E051] cannot read this folder: {reason}"
    E052 = "[E052] cannot read this file: {reason}"
    E053 = "[E053] symbolic link loop: the link leads back to itself"
    E054 = "[E054] not JSON that can be read: nested too deeply"
    E055 = "[E055] bad record at {path}: {detail}"
    E056 = (
        "[E056] not valid Unicode at {path}: a lone surrogate ({char}) at character {pos}, from a \\u escape"
    )
    #: E004 for a JSONL line too long to hold a text within the limit (it is not read whole)
    E004_LINE = (
        "[E004] too large: a line of {size:,} bytes, over the limit of {limit:,} bytes for one text "
        "and {slack:,} bytes of JSON around it"
    )
    # outputs: export and extract (core/formats/output.py, exporters.py, tei.py, cli/extract.py)
    E060 = "[E060] {out} would write over {what} ({path}): choose another output path"
    E061 = "[E061] cannot write {path}: {detail}; the previous file, if any, is unchanged"
    E062 = (
        "[E062] {path} is in the way: {entry}, and only {kind} is replaced as a whole; "
        "choose a new or empty folder"
    )
    E063 = "[E063] interrupted: {n} article(s) done are in {kept}; {out} is unchanged"
    E064 = "[E064] interrupted after {n} article(s)"
    E065 = (
        "[E065] partition {index}: the worker read other articles than the driver from its inputs "
        "({detail}); are the inputs on storage every worker sees, unchanged? Else use --ship-articles"
    )
    # document metadata, speaker attributes, statistics and charts (core/project/metadata.py,
    # statistics.py, core/analysis/, cli/stats.py)
    E080 = "[E080] document metadata {field} must be text, not {value}"
    E081 = "[E081] a speaker attribute needs a key and a text value (got {key!r}: {value})"
    E082 = "[E082] cannot count quotes by {by}: choose one of {expected}"
    E083 = "[E083] {value} is not a date to filter by: write YYYY, YYYY-MM or YYYY-MM-DD"
    E084 = "[E084] {status} is not a quote status: choose from {expected}"
    E085 = "[E085] a chart is written as .svg, .png or .pdf, not {suffix!r}: name OUT with one of those"
    E086 = "[E086] a speaker's attributes must be an object of text values ({detail})"
    # sharded extraction, the Dask runner and bulk import (core/batch/, cli/extract.py)
    E090 = "[E090] sharded output ({out}) is JSON Lines only, not {fmt}: leave out --format"
    E091 = "[E091] {path} is in the way: {detail}; choose a new or empty folder, or an earlier run's"
    E092 = "[E092] cannot resume in {path}: {detail}; run again without --resume to start over"
    E093 = "[E093] the engine failed on this article ({kind}: {detail}); it is left out of its shard"
    E094 = (
        "[E094] --workers and --scheduler need Dask: pip install 'quotebench[distributed]' "
        "(or dask[distributed]); {detail}"
    )
    E095 = "[E095] cannot use the Dask scheduler at {address}: {detail}"
    E096 = "[E096] {path} is not a manifest Quotebench can read: {detail}"
    E097 = "[E097] partition {index} failed on every try ({detail}); run again with --resume"
    E098 = "[E098] {path} does not match its manifest ({detail}): it was changed after it was written"
    E099 = "[E099] the pattern {pattern} matches no file"
