"""Is the project file sound? SQLite's own checks, and the rows' types that SQLite does not check.

SQLite's ``quick_check`` finds broken pages and records, but not a value of the wrong type in a
column (a bit flip that turns a quote's ``kind`` into other text, a number where a text was),
because the project's tables are not ``STRICT`` (sqlite-utils and Datasette must keep opening
them) and SQLite 3.40 does not verify ``CHECK`` constraints in its checks. :func:`bad_row` does,
with one scan per table that reads no text (``typeof`` reads only the records' headers).
"""

from __future__ import annotations

import sqlite3

_INT = "typeof({c}) != 'integer'"
_TEXT = "typeof({c}) != 'text'"
_OPT_INT = "({c} IS NOT NULL AND typeof({c}) != 'integer')"


def _any(template: str, *columns: str) -> list[str]:
    return [template.format(c=c) for c in columns]


#: For each table, a condition true of a row no Quotebench could have written.
ROW_IS_BAD: dict[str, str] = {
    "documents": " OR ".join(
        [*_any(_INT, "id", "length"), *_any(_TEXT, "title", "source", "sha256", "imported_at", "text")]
    ),
    "speakers": " OR ".join(
        [
            *_any(_INT, "id"),
            *_any(_TEXT, "name", "key", "notes"),
            "type NOT IN ('person', 'organisation', 'document', 'unknown')",
        ]
    ),
    "aliases": " OR ".join([*_any(_INT, "id", "speaker_id"), *_any(_TEXT, "alias", "key")]),
    "quotes": " OR ".join(
        [
            *_any(_INT, "id", "document_id", "start", '"end"'),
            *_any(_OPT_INT, "cue_start", "cue_end", "mention_start", "mention_end", "speaker_id"),
            *_any(_TEXT, "text", "origin", "rule", "note", "annotator", "created", "modified"),
            "kind NOT IN ('direct', 'indirect', 'mixed')",
            "status NOT IN ('suggested', 'accepted', 'rejected')",
            "(confidence IS NOT NULL AND typeof(confidence) NOT IN ('real', 'integer'))",
            "(speaker_confidence IS NOT NULL AND typeof(speaker_confidence) NOT IN ('real', 'integer'))",
        ]
    ),
}


_KINDS = frozenset({"direct", "indirect", "mixed"})
_STATUSES = frozenset({"suggested", "accepted", "rejected"})
_OPTIONAL_INT = (int, type(None))
_NUMBER = (int, float, type(None))

#: What each column of a row read in bulk (an export) must hold: types, or the allowed values.
COLUMNS: dict[str, dict[str, tuple[type, ...] | frozenset[str]]] = {
    "quotes": {
        "id": (int,),
        "document_id": (int,),
        "start": (int,),
        "end": (int,),
        "text": (str,),
        "kind": _KINDS,
        "status": _STATUSES,
        "cue_start": _OPTIONAL_INT,
        "cue_end": _OPTIONAL_INT,
        "mention_start": _OPTIONAL_INT,
        "mention_end": _OPTIONAL_INT,
        "speaker_id": _OPTIONAL_INT,
        "confidence": _NUMBER,
        "origin": (str,),
        "note": (str,),
    },
    "documents": {"id": (int,), "title": (str,), "source": (str,), "length": (int,), "text": (str,)},
}


def _fits(value: object, allowed: tuple[type, ...] | frozenset[str]) -> bool:
    if isinstance(allowed, frozenset):
        return value in allowed
    return type(value) in allowed  # exact: a bool is not an int here


def _sound_quote(row: dict[str, object]) -> bool:
    """The common case of :func:`row_problem` for quotes, in one expression (an export's hot loop)."""
    return (
        type(row["id"]) is int
        and type(row["document_id"]) is int
        and type(row["start"]) is int
        and type(row["end"]) is int
        and type(row["text"]) is str
        and row["kind"] in _KINDS
        and row["status"] in _STATUSES
        and type(row["origin"]) is str
        and type(row["note"]) is str
        and type(row["cue_start"]) in _OPTIONAL_INT
        and type(row["cue_end"]) in _OPTIONAL_INT
        and type(row["mention_start"]) in _OPTIONAL_INT
        and type(row["mention_end"]) in _OPTIONAL_INT
        and type(row["speaker_id"]) in _OPTIONAL_INT
        and type(row["confidence"]) in _NUMBER
    )


#: The columns every reader of a quotes row looks up by name.
_QUOTE_NAMES = frozenset(
    {
        "id",
        "document_id",
        "start",
        "end",
        "text",
        "kind",
        "status",
        "cue_start",
        "cue_end",
        "mention_start",
        "mention_end",
        "speaker_id",
        "confidence",
        "origin",
        "rule",
        "note",
        "annotator",
        "created",
        "modified",
    }
)


def row_problem(table: str, row: dict[str, object]) -> str | None:
    """Why a row of ``table`` (as read, with the columns of :data:`COLUMNS`) is garbage, or ``None``.

    Cheap enough for every row of an export: no query, a few type tests per row.
    """
    if table == "quotes":
        # a flipped bit in the schema's text renames a column: SQL still finds it (names are
        # case-blind), the row's keys do not
        missing = _QUOTE_NAMES.difference(row)
        if missing:
            return f"the quotes table has no column {sorted(missing)[0]}: its schema is damaged"
        if _sound_quote(row):
            return None
    for column, allowed in COLUMNS[table].items():
        if column in row and not _fits(row[column], allowed):
            return f"{table} row {row.get('id')} holds a value of the wrong type in {column}"
    return None


def sqlite_problems(conn: sqlite3.Connection, *, full: bool = False, limit: int = 20) -> list[str]:
    """SQLite's ``quick_check`` (``integrity_check`` if ``full``): ``[]`` if the file is sound.

    An error raised by the check itself (a file cut short) is its one problem.
    """
    pragma = "integrity_check" if full else "quick_check"
    try:
        found = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}({limit})")]
    except sqlite3.DatabaseError as err:
        if getattr(err, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            raise
        return [str(err)]
    return [] if found == ["ok"] else found


def bad_row(conn: sqlite3.Connection) -> str | None:
    """The first row holding a value of the wrong type, as ``"quotes row 12"``, or ``None``."""
    for table, condition in ROW_IS_BAD.items():
        try:
            row = conn.execute(f"SELECT id FROM {table} WHERE {condition} LIMIT 1").fetchone()
        except sqlite3.DatabaseError as err:
            return f"{table}: {err}"
        if row is not None:
            return f"{table} row {row[0]} holds a value of the wrong type"
    return None


def is_garbled_text(err: BaseException) -> bool:
    """Whether ``err`` is Python's report of stored text that is not UTF-8 (the store writes only UTF-8)."""
    return isinstance(err, sqlite3.OperationalError) and "Could not decode to UTF-8" in str(err)
