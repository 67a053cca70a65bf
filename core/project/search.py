"""Searching every quote of a project at once, through the full-text index of migration m009.

The terms are those of the quote table's filter box (``status:acc kind:direct speaker:"Ann Cole"
bridge``), parsed by the window and given here as plain ``(key, value)`` pairs and words,
already case-folded:

- ``status:`` and ``kind:`` match the start of the value, ``speaker:none`` quotes without a
  speaker, ``speaker:``, ``cue:`` and ``note:`` a part of the field; ``outlet:`` the whole
  outlet of the quote's document (any case), ``month:`` the start of its month (``2016-03``);
- a word matches a part of the quote's text (through ``quotes_fts``, a trigram index, for
  words of three characters or more), of its speaker's name, or of its note.

Rows are read a page at a time (``offset``, ``limit``), so a view of 100,000 quotes reads only
what it shows (measured: ``tests/benchmarks/bench_search.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .connection import Connection, reads

#: The orders :meth:`SearchTable.search_quotes` knows, each broken by place in the corpus.
ORDERS = {
    "document": "d.title, q.document_id",
    "quote": "q.text COLLATE NOCASE",
    "speaker": "s.name IS NULL, s.name COLLATE NOCASE",
    "kind": "q.kind",
    "status": "CASE q.status WHEN 'suggested' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END",
}

#: The shortest word the trigram index can look up; shorter words are scanned for.
_TRIGRAM = 3


@dataclass(frozen=True)
class Hit:
    """One quote found, with the words around it in its document.

    Attributes:
        quote_id: the quote.
        document_id: its document.
        document_title: the document's title (its id when it has none).
        start: where the quote starts in the document's text (a character offset).
        end: where it ends.
        before: a few words before the quote, on one line.
        text: the quote, on one line.
        after: a few words after the quote, on one line.
        speaker: the speaker's name, ``""`` for none.
        kind: ``direct``, ``indirect`` or ``mixed``.
        status: ``suggested``, ``accepted`` or ``rejected``.
    """

    quote_id: int
    document_id: int
    document_title: str
    start: int
    end: int
    before: str
    text: str
    after: str
    speaker: str
    kind: str
    status: str


class SearchTable(Connection):
    """Corpus-wide search of the quotes (a part of :class:`~.store.Store`)."""

    @reads
    def search_count(self, fields: Sequence[tuple[str, str]] = (), words: Sequence[str] = ()) -> int:
        """How many quotes match (see :mod:`.search` for the terms)."""
        where, params = self._search_where(fields, words)
        joins = _JOIN_DOC if _needs_doc(fields) else ""
        row = self.db.conn.execute(f"SELECT count(*) FROM quotes q {joins} WHERE {where}", params).fetchone()
        return int(row[0])

    @reads
    def search_ids(
        self,
        fields: Sequence[tuple[str, str]] = (),
        words: Sequence[str] = (),
        *,
        order: str = "document",
        descending: bool = False,
    ) -> list[int]:
        """The ids of every quote that matches, in order (ids only: a view reads the rows of
        the ones it shows with :meth:`search_hits`).

        Args:
            fields: ``(key, value)`` terms, case-folded (``status``, ``kind``, ``speaker``,
                ``cue``, ``note``).
            words: words each quote must contain (in its text, speaker or note), case-folded.
            order: one of :data:`ORDERS`.
            descending: the reverse order (ties stay in corpus order).
        """
        where, params = self._search_where(fields, words)
        key = ORDERS.get(order, ORDERS["document"])
        if descending:
            key = ", ".join(f"{part} DESC" for part in key.split(", "))
        joins = _JOIN_DOC if order == "document" or _needs_doc(fields) else ""
        if order == "speaker":
            return self._by_speaker(where, params, joins, descending=descending)
        sql = f"SELECT q.id FROM quotes q {joins} WHERE {where} ORDER BY {key}, q.document_id, q.start, q.id"
        return [r[0] for r in self.db.conn.execute(sql, params)]

    def _by_speaker(self, where: str, params: list[Any], joins: str, *, descending: bool) -> list[int]:
        """Matching ids by speaker name (no speaker last), then place in the corpus.

        Read in corpus order (which the index ``quotes_by_document`` gives unsorted) and sorted
        here by each speaker's rank: SQLite joining every quote to its speaker's name to sort
        took half as long again (``bench_search.py``).
        """
        names = sorted(self._speaker_names(), key=lambda s: (s[1], s[0]))
        rank = {speaker_id: n for n, (speaker_id, _) in enumerate(names)}
        last = len(rank)
        sql = (
            f"SELECT q.id, q.speaker_id FROM quotes q {joins} WHERE {where} "
            "ORDER BY q.document_id, q.start, q.id"
        )
        rows = self.db.conn.execute(sql, params).fetchall()
        rows.sort(key=lambda r: rank.get(r[1], last), reverse=descending)  # stable: ties keep corpus order
        return [r[0] for r in rows]

    @reads
    def search_hits(self, quote_ids: Sequence[int], *, context: int = 60) -> list[Hit]:
        """The quotes with these ids, in this order, with ``context`` characters around each
        (ids no longer in the project are left out)."""
        found: dict[int, Sequence[Any]] = {}
        for i in range(0, len(quote_ids), 500):
            chunk = list(quote_ids[i : i + 500])
            sql = (
                'SELECT q.id, q.document_id, d.title, q.start, q."end", q.text, q.kind, q.status, s.name, '
                "substr(d.text, max(q.start - ?, 0) + 1, q.start - max(q.start - ?, 0)) AS before, "
                'substr(d.text, q."end" + 1, ?) AS after '
                f"FROM quotes q {_JOIN_DOC} LEFT JOIN speakers s ON s.id = q.speaker_id "
                f"WHERE q.id IN ({', '.join('?' * len(chunk))})"
            )
            found.update((r[0], r) for r in self.db.conn.execute(sql, [context, context, context, *chunk]))
        return [_hit(found[i], context) for i in quote_ids if i in found]

    def search_quotes(
        self,
        fields: Sequence[tuple[str, str]] = (),
        words: Sequence[str] = (),
        *,
        order: str = "document",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
    ) -> list[Hit]:
        """A page of the quotes that match, in order (:meth:`search_ids`, then :meth:`search_hits`)."""
        ids = self.search_ids(fields, words, order=order, descending=descending)
        return self.search_hits(ids[offset : offset + limit])

    def _search_where(self, fields: Sequence[tuple[str, str]], words: Sequence[str]) -> tuple[str, list[Any]]:
        """The WHERE clause (and its parameters) of a search."""
        clauses: list[str] = ["1"]
        params: list[Any] = []
        names: list[tuple[int, str]] | None = None
        for key, value in fields:
            if key in ("status", "kind"):
                clauses.append(f"instr(q.{key}, ?) = 1")
                params.append(value)
            elif key == "speaker" and value == "none":
                clauses.append("q.speaker_id IS NULL")
            elif key == "speaker":
                names = names if names is not None else self._speaker_names()
                clauses.append(f"q.speaker_id IN ({_ids_of(names, value)})")
            elif key == "cue":
                clauses.append(
                    "q.cue_start IS NOT NULL AND "
                    "instr(lower(substr(d.text, q.cue_start + 1, q.cue_end - q.cue_start)), ?) > 0"
                )
                params.append(value)
            elif key == "note":
                clauses.append("instr(lower(q.note), ?) > 0")
                params.append(value)
            elif key in ("outlet", "month") and not value:  # 'outlet:""': the documents without one
                clauses.append(
                    f"q.document_id NOT IN (SELECT document_id FROM document_metadata WHERE {key} != '')"
                )
            elif key == "outlet":
                clauses.append(f"q.document_id IN ({self._documents_of_outlet(value)})")
            elif key == "month":
                clauses.append(
                    "q.document_id IN (SELECT document_id FROM document_metadata WHERE instr(month, ?) = 1)"
                )
                params.append(value)
        for word in words:
            names = names if names is not None else self._speaker_names()
            if len(word) >= _TRIGRAM:
                in_text = "q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)"
                params.append('"' + word.replace('"', '""') + '"')
            else:
                in_text = "q.text LIKE ? ESCAPE '\\'"  # LIKE ignores ASCII case, as lower() would
                params.append("%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
            speakers = _ids_of(names, word)
            in_speaker = f" OR q.speaker_id IN ({speakers})" if speakers != "NULL" else ""
            clauses.append(f"({in_text}{in_speaker} OR (q.note != '' AND instr(lower(q.note), ?) > 0))")
            params.append(word)
        return " AND ".join(clauses), params

    def _documents_of_outlet(self, outlet: str) -> str:
        """The ids of the documents whose outlet is ``outlet`` (case-folded in Python, which knows
        every script), as SQL (integers only)."""
        rows = self.db.conn.execute("SELECT document_id, outlet FROM document_metadata WHERE outlet != ''")
        return ", ".join(str(i) for i, name in rows if name.casefold() == outlet) or "NULL"

    def _speaker_names(self) -> list[tuple[int, str]]:
        """Every speaker's id and case-folded name (a short table: matched in Python, which
        case-folds every script, where SQLite's ``lower`` knows only ASCII)."""
        return [(r[0], r[1].casefold()) for r in self.db.conn.execute("SELECT id, name FROM speakers")]


_JOIN_DOC = "JOIN documents d ON d.id = q.document_id"


def _needs_doc(fields: Sequence[tuple[str, str]]) -> bool:
    return any(key == "cue" for key, _ in fields)


def _ids_of(names: list[tuple[int, str]], part: str) -> str:
    """The ids of the speakers whose name contains ``part``, as SQL (integers only)."""
    return ", ".join(str(i) for i, name in names if part in name) or "NULL"


def _hit(r: Sequence[Any], context: int) -> Hit:
    before, after = " ".join(r[9].split()), " ".join(r[10].split())
    if r[3] > context and not r[9][:1].isspace() and " " in before:
        before = "…" + before.split(" ", 1)[1]  # start at a whole word
    if len(r[10]) == context and not r[10][-1:].isspace() and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return Hit(
        quote_id=r[0],
        document_id=r[1],
        document_title=r[2] or f"#{r[1]}",
        start=r[3],
        end=r[4],
        before=before,
        text=" ".join(r[5].split()),
        after=after,
        speaker=r[8] or "",
        kind=r[6],
        status=r[7],
    )
