"""The ``documents`` table: stored texts, which never change once stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import Errors, StoreError
from ..model import Changes, Document, lone_surrogate
from .connection import Connection, now, reads, sha256
from .health import row_problem

#: A document's row without its text, as :meth:`DocumentTable.document_info` returns it.
_INFO_COLUMNS = "id, title, source, sha256, imported_at, suggested_by, suggested_at, length"


class DocumentTable(Connection):
    """The documents of a project (a part of :class:`~.store.Store`)."""

    def add_document(
        self,
        text: str,
        *,
        title: str = "",
        source: str = "",
        imported_at: str | None = None,
        doc_id: int | None = None,
        suggested_by: str | None = None,
        suggested_at: str | None = None,
    ) -> tuple[int, bool]:
        """Store a text, unless the same text is already here.

        Args:
            text: the document's text; it never changes afterwards.
            title: what to call it.
            source: where it came from.
            imported_at: kept as given when a project's own export is imported.
            doc_id: the id to give it, if that id is free (a project's own export).
            suggested_by: the engine run that last read it (a project's own export).
            suggested_at: when that run was (a project's own export).

        Returns:
            The document's id and whether it was newly added (``False``: the same text, found
            by its SHA-256, was already stored under that id).

        Raises:
            StoreError: the text has a NUL (E037) or a lone surrogate (E012).
        """
        if "\x00" in text:
            # SQLite's text functions stop at a NUL, so offsets past it could not be trusted
            raise StoreError(Errors.E037.format(pos=text.index("\x00")))
        if (pos := lone_surrogate(text)) is not None:
            raise StoreError(Errors.E012.format(char=f"U+{ord(text[pos]):04X}", pos=pos))
        digest = sha256(text)
        with self._write():
            existing = self._row("SELECT id FROM documents WHERE sha256 = ?", [digest])
            if existing is not None:
                return existing["id"], False
            if doc_id is not None and self._exists("documents", "id = ?", [doc_id]):
                doc_id = None
            row = {
                "title": title,
                "source": source,
                "sha256": digest,
                "imported_at": imported_at or now(),
                "suggested_by": suggested_by,
                "suggested_at": suggested_at,
                "length": len(text),
            }
            cur = self.db.execute(
                "INSERT INTO documents (id, title, source, sha256, imported_at, suggested_by, "
                "suggested_at, length, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc_id, *row.values(), text],
            )
            new_id = int(cur.lastrowid or 0)
            self._log("add", "documents", new_id, None, row)  # the text itself is in the row
            return new_id, True

    @reads
    def documents(self) -> list[Document]:
        """All documents, without their texts, with quote counts, by id."""
        # The counts come from the (document_id, status) index and the rest from the
        # covering index documents_listing: no text page is read (fast at 10,000 documents).
        counts = {
            r[0]: (r[1], r[2])
            for r in self.db.conn.execute(
                "SELECT document_id, count(*), sum(status = 'suggested') FROM quotes GROUP BY document_id"
            )
        }
        out = []
        for r in self.db.conn.execute(
            "SELECT id, title, source, sha256, imported_at FROM documents INDEXED BY documents_listing "
            "ORDER BY id"
        ):
            n, s = counts.get(r[0], (0, 0))
            out.append(Document(r[0], r[1], r[2], r[3], r[4], None, n, s or 0))
        return out

    @reads
    def document(self, doc_id: int) -> Document:
        """One document, with its text.

        Raises:
            StoreError: no such document (E024).
        """
        row = self._row(
            "SELECT d.id, d.title, d.source, d.sha256, d.imported_at, d.text, "
            "(SELECT count(*) FROM quotes WHERE document_id = d.id) AS n, "
            "(SELECT count(*) FROM quotes WHERE document_id = d.id AND status = 'suggested') AS s "
            "FROM documents d WHERE d.id = ?",
            [doc_id],
        )
        if row is None:
            raise StoreError(Errors.E024.format(what="document", id=doc_id))
        return Document(
            row["id"],
            row["title"],
            row["source"],
            row["sha256"],
            row["imported_at"],
            row["text"],
            row["n"],
            row["s"],
        )

    @reads
    def document_info(self, doc_id: int) -> dict[str, Any]:
        """A document's stored row without its text (incl. ``suggested_by``, ``length``).

        Raises:
            StoreError: no such document (E024).
        """
        row = self._row(f"SELECT {_INFO_COLUMNS} FROM documents WHERE id = ?", [doc_id])
        if row is None:
            raise StoreError(Errors.E024.format(what="document", id=doc_id))
        return row

    @reads
    def documents_from(self, title: str, source: str) -> list[Document]:
        """Documents stored under this title and source (earlier versions of an article)."""
        return [
            Document(r["id"], r["title"], r["source"], r["sha256"], r["imported_at"])
            for r in self._rows(
                "SELECT id, title, source, sha256, imported_at FROM documents "
                "WHERE title = ? AND source = ? ORDER BY id",
                [title, source],
            )
        ]

    def delete_document(self, doc_id: int) -> Changes:
        """Delete a document and its quotes."""
        with self._write():
            info = self.document_info(doc_id)
            gone = self._ids("SELECT id FROM quotes WHERE document_id = ?", [doc_id])
            for qid in gone:
                self._log("delete", "quotes", qid, self._quote_row(qid), None)
            self.db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
            self._log("delete", "documents", doc_id, info, None)
        return Changes(documents=frozenset({doc_id}), quotes_removed=frozenset(gone))

    @reads
    def documents_without_suggestions(self) -> list[int]:
        """Ids of documents the engine has not been run on yet."""
        return self._ids("SELECT id FROM documents WHERE suggested_by IS NULL ORDER BY id")

    @reads
    def iter_documents(self) -> Iterator[tuple[dict[str, Any], str]]:
        """Every document's row (as :meth:`document_info`) and text, by id, one at a time."""
        for info in self._iter_rows(f"SELECT {_INFO_COLUMNS}, text FROM documents ORDER BY id"):
            if (problem := row_problem("documents", info)) is not None:
                raise self.damaged(problem)
            yield info, info.pop("text")

    def _length(self, doc_id: int) -> int:
        row = self._row("SELECT length FROM documents WHERE id = ?", [doc_id])
        if row is None:
            raise StoreError(Errors.E024.format(what="document", id=doc_id))
        return int(row["length"])
