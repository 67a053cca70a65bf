"""The project file's schema, as an ordered list of sqlite-utils migrations.

Each migration runs in one transaction together with the row that records it in
``_sqlite_migrations`` (sqlite-utils' own table), so a file is always at a known schema. A file
whose table names a migration this version does not know was written by a newer Quotebench and
is refused (see :meth:`core.project.store.Store.open`).

Never edit a migration once released: add a new ``m00N_...`` function instead.
"""

from __future__ import annotations

import functools
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

#: The migration set's name in ``_sqlite_migrations``; a project is a file that has it.
MIGRATION_SET = "quotebench"

migrations = Migrations(MIGRATION_SET)


# the quotes table of m001 (its text is part of the released schema: never edit it)
_QUOTES_TABLE = """
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'mixed')),
            cue_start INTEGER,
            cue_end INTEGER,
            mention_start INTEGER,
            mention_end INTEGER,
            speaker_id INTEGER REFERENCES speakers (id),
            status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
            confidence REAL,
            origin TEXT NOT NULL,
            rule TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            CHECK (0 <= start AND start < "end"),
            CHECK ((cue_start IS NULL) = (cue_end IS NULL) AND (cue_start IS NULL OR cue_start <= cue_end)),
            CHECK ((mention_start IS NULL) = (mention_end IS NULL)
                   AND (mention_start IS NULL OR mention_start <= mention_end))
        )
        """


@migrations()
def m001_initial(db: Database) -> None:
    """Documents, speakers and their aliases, quotes, and the history of edits."""
    # DDL is written out rather than made with table.create() because sqlite-utils cannot
    # express ON DELETE CASCADE, CHECK constraints or triggers, and those keep the data sound
    # for anyone who edits the file with other tools (sqlite-utils, Datasette).
    db.execute(
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL UNIQUE,
            imported_at TEXT NOT NULL,
            suggested_by TEXT,
            suggested_at TEXT,
            length INTEGER NOT NULL,
            text TEXT NOT NULL
        )
        """
    )
    # A covering index, so listing documents reads this small b-tree and never the texts.
    db.execute(
        "CREATE INDEX documents_listing ON documents (id, title, source, sha256, imported_at, suggested_by)"
    )
    db.execute("CREATE INDEX documents_by_origin ON documents (title, source)")
    # Offsets into a text stay valid only if the text never changes.
    db.execute(
        """
        CREATE TRIGGER documents_text_is_immutable BEFORE UPDATE OF text, sha256, length ON documents
        BEGIN SELECT RAISE(ABORT, 'a document''s text never changes once stored'); END
        """
    )
    db.execute(
        """
        CREATE TABLE speakers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL DEFAULT 'unknown' CHECK (type IN ('person', 'organisation', 'unknown')),
            notes TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute(
        """
        CREATE TABLE aliases (
            id INTEGER PRIMARY KEY,
            speaker_id INTEGER NOT NULL REFERENCES speakers (id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            key TEXT NOT NULL,
            UNIQUE (speaker_id, key)
        )
        """
    )
    db.execute("CREATE INDEX aliases_by_key ON aliases (key)")
    db.execute(_QUOTES_TABLE)
    db.execute("CREATE INDEX quotes_by_document ON quotes (document_id, start)")
    db.execute("CREATE INDEX quotes_by_status ON quotes (document_id, status)")
    db.execute("CREATE INDEX quotes_by_speaker ON quotes (speaker_id)")
    db.execute(
        """
        CREATE TABLE edits (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            annotator TEXT NOT NULL,
            action TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            before TEXT,
            after TEXT
        )
        """
    )
    db.execute("CREATE INDEX edits_by_row ON edits (table_name, row_id)")


@migrations()
def m002_quotes_in_text_order(db: Database) -> None:
    """Index quotes in the order they are listed and exported (start, then end), so neither
    needs a sort: 100,000 quotes export in one pass of the index."""
    db.execute("DROP INDEX quotes_by_document")
    db.execute('CREATE INDEX quotes_by_document ON quotes (document_id, start, "end")')


_SPEAKERS_WITH_DOCUMENTS = """
    CREATE TABLE speakers_new (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        key TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL DEFAULT 'unknown'
            CHECK (type IN ('person', 'organisation', 'document', 'unknown')),
        notes TEXT NOT NULL DEFAULT ''
    )
"""


@migrations(transactional=False)
def m003_document_speakers(db: Database) -> None:
    """A speaker may be a document (a report, a poll, a filing): the type's CHECK allows it.

    SQLite cannot change a CHECK constraint in place, so the table is rebuilt the way SQLite's
    documentation prescribes (ALTER TABLE, "other kinds of table schema changes"): with
    foreign keys off — a DROP TABLE would otherwise cascade into the aliases — in one
    transaction that also checks every foreign key. A transaction cannot turn foreign keys
    off, so this migration manages its own; it is idempotent, since its record is written after
    it commits.
    """
    conn = db.conn
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'speakers'"
    ).fetchone()
    if "'document'" in sql:
        return  # rebuilt already; only the record was missing
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_SPEAKERS_WITH_DOCUMENTS)
            conn.execute(
                "INSERT INTO speakers_new (id, name, key, type, notes) "
                "SELECT id, name, key, type, notes FROM speakers"
            )
            conn.execute("DROP TABLE speakers")
            conn.execute("ALTER TABLE speakers_new RENAME TO speakers")
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise sqlite3.IntegrityError("a foreign key broke while rebuilding the speakers table")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


@migrations()
def m004_speaker_confidence(db: Database) -> None:
    """A quote's two confidences: ``confidence`` says whether it is a quote, the new
    ``speaker_confidence`` whether its speaker is right, so speaker doubt never hides a quote."""
    db.execute(
        "ALTER TABLE quotes ADD COLUMN speaker_confidence REAL "
        "CHECK (speaker_confidence IS NULL OR (0 <= speaker_confidence AND speaker_confidence <= 1))"
    )


@migrations()
def m005_document_metadata(db: Database) -> None:
    """Document metadata (outlet, date, URL, author, other keys as JSON) and speaker attributes.

    Both are tables of their own rather than new columns: SQLite appends a new column after the
    existing ones, after a document's text, and reading it would walk the text's overflow pages
    (see :mod:`.metadata`). The indexes serve the statistics' outlet and date filters, the
    stored ``month`` their grouping by month, and ``quotes_for_statistics`` every count.
    """
    db.execute(
        """
        CREATE TABLE document_metadata (
            document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            outlet TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta) AND json_type(meta) = 'object'),
            month TEXT GENERATED ALWAYS AS (CASE WHEN length(date) >= 7 THEN substr(date, 1, 7) END) STORED
        )
        """
    )
    db.execute("CREATE INDEX document_metadata_by_outlet ON document_metadata (outlet, date)")
    db.execute("CREATE INDEX document_metadata_by_date ON document_metadata (date)")
    db.execute(
        """
        CREATE TABLE speaker_attributes (
            speaker_id INTEGER NOT NULL REFERENCES speakers (id) ON DELETE CASCADE,
            key TEXT NOT NULL CHECK (key != ''),
            value TEXT NOT NULL CHECK (value != ''),
            PRIMARY KEY (speaker_id, key)
        )
        """
    )
    db.execute("CREATE INDEX speaker_attributes_by_key ON speaker_attributes (key, value)")
    # statistics read only this index, never the quotes' rows: 100,000 quotes counted by speaker
    # in about 10 ms instead of 130 (tests/benchmarks/bench_stats.py)
    db.execute("CREATE INDEX quotes_for_statistics ON quotes (status, speaker_id, document_id, kind)")


# The engine's record of an untouched suggestion, rebuilt from its row (m007 fills older projects).
_ORIGINAL_OF_ROW = """
    json_object(
        'start', start, 'end', "end", 'text', text, 'kind', kind,
        'speaker', (SELECT substr(d.text, quotes.mention_start + 1, quotes.mention_end - quotes.mention_start)
                    FROM documents d WHERE d.id = quotes.document_id AND quotes.mention_start IS NOT NULL),
        'speaker_start', mention_start, 'speaker_end', mention_end,
        'cue', (SELECT substr(d.text, quotes.cue_start + 1, quotes.cue_end - quotes.cue_start)
                FROM documents d WHERE d.id = quotes.document_id AND quotes.cue_start IS NOT NULL),
        'cue_start', cue_start, 'cue_end', cue_end,
        'entity', (SELECT s.name FROM speakers s WHERE s.id = quotes.speaker_id),
        'entity_type', coalesce((SELECT s.type FROM speakers s WHERE s.id = quotes.speaker_id), 'unknown'),
        'confidence', coalesce(confidence, 0.5), 'speaker_confidence', speaker_confidence, 'rule', rule
    )
"""


@migrations()
def m007_original_suggestions(db: Database) -> None:
    """The engine's original suggestion beside a researcher's edits, a review state per document,
    and a project's own facts (its coder, the project it was drawn from, the sample's seed).

    ``quotes.original`` holds the engine's record (the interchange schema's keys) as it was
    stored, so ``quotebench evaluate`` compares it with the final decision; suggestions no one
    has touched get theirs from their row. The review state and the facts are tables of their
    own, not columns of ``documents``, for the reason given in m005.
    """
    db.execute("ALTER TABLE quotes ADD COLUMN original TEXT CHECK (original IS NULL OR json_valid(original))")
    db.execute(
        f"UPDATE quotes SET original = {_ORIGINAL_OF_ROW} "
        "WHERE status = 'suggested' AND created = modified AND origin LIKE 'quotebench-engine%'"
    )
    db.execute(
        """
        CREATE TABLE document_reviews (
            document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            state TEXT NOT NULL CHECK (state IN ('to do', 'in progress', 'done')),
            annotator TEXT NOT NULL DEFAULT '',
            modified TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX document_reviews_by_state ON document_reviews (state, document_id)")
    db.execute("CREATE TABLE project_info (key TEXT PRIMARY KEY CHECK (key != ''), value TEXT NOT NULL)")


@migrations()
def m008_quote_evidence(db: Database) -> None:
    """Why the engine suggested a quote (its evidence: "pronoun 'He' resolved to …") in a column
    of its own, apart from the researcher's note, which the engine used to fill.

    The notes of suggestions no one has touched move to ``evidence``; an edited quote's note
    may be the researcher's, so it stays.
    """
    db.execute("ALTER TABLE quotes ADD COLUMN evidence TEXT NOT NULL DEFAULT ''")
    db.execute(
        "UPDATE quotes SET evidence = note, note = '' "
        "WHERE status = 'suggested' AND created = modified AND origin LIKE 'quotebench-engine%'"
    )


@migrations()
def m009_quote_search(db: Database) -> None:
    """A full-text index of the quotes' text (``quotes_fts``), kept by triggers, for searching
    the whole corpus (:mod:`.search`).

    FTS5 with the trigram tokenizer, so a word matches anywhere inside a quote's words (as the
    quote table's filter does) and case-insensitively; an external-content table, so the text
    is stored once, in ``quotes``. Written out rather than made with sqlite-utils'
    ``enable_fts``, which runs ``executescript`` (ending this migration's transaction) and
    re-indexes a quote on every update, where only a change of its text needs it.
    """
    db.execute(
        "CREATE VIRTUAL TABLE quotes_fts USING fts5 "
        "(text, content=\"quotes\", content_rowid=id, tokenize='trigram')"
    )
    db.execute("INSERT INTO quotes_fts (rowid, text) SELECT id, text FROM quotes")
    db.execute(
        "CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN "
        "INSERT INTO quotes_fts (rowid, text) VALUES (new.id, new.text); END"
    )
    db.execute(
        "CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN "
        "INSERT INTO quotes_fts (quotes_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
    )
    db.execute(
        "CREATE TRIGGER quotes_au AFTER UPDATE OF text ON quotes BEGIN "
        "INSERT INTO quotes_fts (quotes_fts, rowid, text) VALUES ('delete', old.id, old.text); "
        "INSERT INTO quotes_fts (rowid, text) VALUES (new.id, new.text); END"
    )


@migrations()
def m010_statistics_by_document(db: Database) -> None:
    """Statistics by outlet and month read the documents' metadata first, in the order of its
    index (no sort), and each document's quotes from one covering index.

    ``quotes_by_status`` (document id, status) gains the speaker and the kind, so a document's
    quotes of one status are counted, with their speakers and kinds, without reading a row; it
    serves every query the old index served. ``document_metadata_by_month`` orders the months.
    """
    db.execute("DROP INDEX quotes_by_status")
    db.execute("CREATE INDEX quotes_by_status ON quotes (document_id, status, speaker_id, kind)")
    db.execute("CREATE INDEX document_metadata_by_month ON document_metadata (month)")


def known() -> list[str]:
    """Names of the migrations this version knows, in order."""
    return list(_known())


@functools.cache
def _known() -> tuple[str, ...]:
    # every migration is pending on an empty database: sqlite-utils' public listing, read-only
    return tuple(m.name for m in migrations.pending(Database(memory=True)))
