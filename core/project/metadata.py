"""Document metadata (outlet, date, URL, author, other keys) and speaker attributes.

Both live in tables of their own (migration m005). Metadata is not a set of new columns of
``documents`` because SQLite adds columns after the existing ones, that is after the text: a
listing or a statistic that reads the outlet of a long article would then follow the text's
overflow pages. A row of ``document_metadata`` is a few hundred bytes, so the statistics join
it for 100,000 quotes in milliseconds.

Speaker attributes are free key–value pairs (``gender``, ``party``, ``role``) a researcher
records, for share of voice by attribute.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..errors import Errors, StoreError
from ..model import Changes
from .connection import Connection, reads

#: The metadata fields with a column of their own, in order.
META_FIELDS = ("outlet", "date", "url", "author")
#: The stored columns read back (not the generated ``month``).
_COLUMNS = "document_id, outlet, date, url, author, meta"


def metadata_row(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The row to store for some metadata: every field a string, the other keys as JSON."""
    row: dict[str, Any] = {}
    for name in META_FIELDS:
        value = fields.get(name)
        if value is not None and not isinstance(value, str):
            raise StoreError(Errors.E080.format(field=name, value=repr(value)[:60]))
        row[name] = " ".join((value or "").split())
    extra = fields.get("meta") or {}
    if not isinstance(extra, Mapping):
        raise StoreError(Errors.E080.format(field="meta", value=repr(extra)[:60]))
    row["meta"] = json.dumps(dict(extra), ensure_ascii=False, sort_keys=True)
    return row


def _as_metadata(row: Mapping[str, Any] | None) -> dict[str, Any]:
    if row is None:
        return {name: "" for name in META_FIELDS} | {"meta": {}}
    out: dict[str, Any] = {name: row[name] for name in META_FIELDS}
    out["meta"] = json.loads(row["meta"])
    return out


class MetadataTable(Connection):
    """Document metadata and speaker attributes (a part of :class:`~.store.Store`)."""

    # --- documents -------------------------------------------------------------------------

    @reads
    def document_metadata(self, doc_id: int) -> dict[str, Any]:
        """A document's metadata: the :data:`META_FIELDS` (``""`` where unknown) and ``meta``
        (the other keys the input gave, as a dict)."""
        return _as_metadata(
            self._row(f"SELECT {_COLUMNS} FROM document_metadata WHERE document_id = ?", [doc_id])
        )

    @reads
    def all_document_metadata(self) -> dict[int, dict[str, Any]]:
        """Every document's metadata, by document id (documents without any are left out)."""
        return {
            row["document_id"]: _as_metadata(row)
            for row in self._iter_rows(f"SELECT {_COLUMNS} FROM document_metadata ORDER BY document_id")
        }

    def set_document_metadata(self, doc_id: int, fields: Mapping[str, Any]) -> Changes:
        """Set some of a document's metadata; fields not named stay as they are.

        Args:
            doc_id: the document.
            fields: any of :data:`META_FIELDS` (strings; ``""`` clears one), ``meta`` (a
                dict that replaces the other keys) and ``title`` (the document's title, not
                empty). A date should be ISO 8601 (the readers normalise it) for statistics
                by month and date filters to find it.

        Raises:
            StoreError: no such document (E024), a value of the wrong type (E080).
        """
        fields = dict(fields)
        title = fields.pop("title", None)
        with self._write():
            if not self._exists("documents", "id = ?", [doc_id]):
                raise StoreError(Errors.E024.format(what="document", id=doc_id))
            if title is not None:
                self._set_title(doc_id, title)
            before = self._row(f"SELECT {_COLUMNS} FROM document_metadata WHERE document_id = ?", [doc_id])
            current = _as_metadata(before)
            row = metadata_row({**current, **fields})
            self.db.execute(
                "INSERT INTO document_metadata (document_id, outlet, date, url, author, meta) "
                "VALUES (:id, :outlet, :date, :url, :author, :meta) ON CONFLICT (document_id) DO UPDATE "
                "SET outlet = :outlet, date = :date, url = :url, author = :author, meta = :meta",
                {"id": doc_id, **row},
            )
            after = {"document_id": doc_id, **row}
            if before != after:
                self._log("update" if before else "add", "document_metadata", doc_id, before, after)
        return Changes(documents=frozenset({doc_id}))

    def _set_title(self, doc_id: int, title: Any) -> None:
        """Retitle a document (in a write), logging the change."""
        clean = " ".join(title.split()) if isinstance(title, str) else ""
        if not clean:
            raise StoreError(Errors.E080.format(field="title", value=repr(title)[:60]))
        (old,) = self.db.conn.execute("SELECT title FROM documents WHERE id = ?", [doc_id]).fetchone()
        if old != clean:
            self.db.execute("UPDATE documents SET title = ? WHERE id = ?", [clean, doc_id])
            self._log("update", "documents", doc_id, {"title": old}, {"title": clean})

    @reads
    def outlets(self) -> list[tuple[str, int]]:
        """The outlets of the project's documents, with how many documents each, most first."""
        return [
            (r[0], r[1])
            for r in self.db.conn.execute(
                "SELECT outlet, count(*) AS n FROM document_metadata WHERE outlet != '' "
                "GROUP BY outlet ORDER BY n DESC, outlet"
            )
        ]

    # --- speakers --------------------------------------------------------------------------

    @reads
    def speaker_attributes(self, speaker_id: int) -> dict[str, str]:
        """A speaker's attributes (key -> value), by key."""
        return dict(
            self.db.conn.execute(
                "SELECT key, value FROM speaker_attributes WHERE speaker_id = ? ORDER BY key", [speaker_id]
            ).fetchall()
        )

    @reads
    def all_speaker_attributes(self) -> dict[int, dict[str, str]]:
        """Every speaker's attributes, by speaker id (speakers without any are left out)."""
        out: dict[int, dict[str, str]] = {}
        for sid, key, value in self.db.conn.execute(
            "SELECT speaker_id, key, value FROM speaker_attributes ORDER BY speaker_id, key"
        ):
            out.setdefault(sid, {})[key] = value
        return out

    @reads
    def attribute_keys(self) -> list[str]:
        """The attribute keys recorded for any speaker, sorted."""
        rows = self.db.conn.execute("SELECT DISTINCT key FROM speaker_attributes ORDER BY key")
        return [r[0] for r in rows]

    def set_speaker_attribute(self, speaker_id: int, key: str, value: str | None) -> Changes:
        """Record (or with ``None`` or ``""``, remove) one attribute of a speaker.

        Raises:
            StoreError: no such speaker (E024), an empty key or a value that is not text (E081).
        """
        clean_key = " ".join(str(key).split()).casefold()
        if not clean_key or (value is not None and not isinstance(value, str)):
            raise StoreError(Errors.E081.format(key=key, value=repr(value)[:60]))
        clean = " ".join((value or "").split())
        with self._write():
            if not self._exists("speakers", "id = ?", [speaker_id]):
                raise StoreError(Errors.E024.format(what="speaker", id=speaker_id))
            old = self._row(
                "SELECT value FROM speaker_attributes WHERE speaker_id = ? AND key = ?",
                [speaker_id, clean_key],
            )
            before = None if old is None else {"key": clean_key, "value": old["value"]}
            if clean:
                self.db.execute(
                    "INSERT INTO speaker_attributes (speaker_id, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (speaker_id, key) DO UPDATE SET value = excluded.value",
                    [speaker_id, clean_key, clean],
                )
            else:
                self.db.execute(
                    "DELETE FROM speaker_attributes WHERE speaker_id = ? AND key = ?", [speaker_id, clean_key]
                )
            after = {"key": clean_key, "value": clean} if clean else None
            if before != after:
                self._log("update", "speaker_attributes", speaker_id, before, after)
        return Changes(speakers=frozenset({speaker_id}))
