"""Who gets a voice: quotes counted by speaker, speaker type or attribute, kind, outlet, month or
document, in SQL, so 100,000 quotes are counted in milliseconds.

:func:`statistics` answers a :class:`StatsQuery` with a :class:`StatsTable`: one row per key,
its quotes, its share of all the quotes counted, and (where it means something) how many
distinct speakers those quotes have. Filters: the quotes' statuses (accepted only by default,
as the exports count them with ``--accepted-only``), outlets, and a date range on the
documents' dates. The same table feeds the command line, the charts and the window.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..errors import Errors, StoreError
from ..model import Status
from .connection import Connection

#: The groupings (``attribute:KEY`` groups by a speaker attribute as well).
GROUPINGS = ("speaker", "type", "kind", "outlet", "month", "document")
#: What a row may be split by (a stacked chart): these and ``attribute:KEY``.
STACKS = ("type", "kind")

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# (key expression, id expression, joins needed) per grouping
_KEYS: dict[str, tuple[str, str, frozenset[str]]] = {
    "speaker": ("s.name", "q.speaker_id", frozenset({"s"})),
    "type": ("CASE WHEN q.speaker_id IS NULL THEN NULL ELSE s.type END", "NULL", frozenset({"s"})),
    "kind": ("q.kind", "NULL", frozenset()),
    "outlet": ("NULLIF(m.outlet, '')", "NULL", frozenset({"m"})),
    "month": ("m.month", "NULL", frozenset({"m"})),  # a stored column: substr(date, 1, 7)
    "document": ("d.title", "q.document_id", frozenset({"d"})),
    "attribute": ("a.value", "NULL", frozenset({"a"})),
}
_JOINS = {
    "s": "LEFT JOIN speakers s ON s.id = q.speaker_id",
    "m": "LEFT JOIN document_metadata m ON m.document_id = q.document_id",
    "d": "JOIN documents d ON d.id = q.document_id",
    "a": "LEFT JOIN speaker_attributes a ON a.speaker_id = q.speaker_id AND a.key = :attribute",
    "sa": "LEFT JOIN speaker_attributes sa ON sa.speaker_id = q.speaker_id AND sa.key = :stack_attribute",
}


@dataclass(frozen=True, slots=True)
class StatsQuery:
    """What to count.

    Attributes:
        by: one of :data:`GROUPINGS`, or ``attribute:KEY``.
        statuses: the quote statuses counted (accepted by default).
        outlets: count only quotes of documents from these outlets (all if empty).
        date_from, date_to: count only documents dated in this range, both ends included;
            ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``--to 2015-11`` takes all of November).
        top: keep the first ``top`` rows (most quoted first); the rest are summed in ``other``.
        stack: split each row by ``type``, ``kind`` or ``attribute:KEY`` (stacked charts).
    """

    by: str = "speaker"
    statuses: tuple[str, ...] = (Status.ACCEPTED.value,)
    outlets: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    top: int | None = None
    stack: str | None = None

    def check(self) -> None:
        """Refuse a query that cannot be answered: E082 (grouping), E083 (date), E084 (status)."""
        for grouping in (self.by, self.stack):
            if grouping is None:
                continue
            name, _, attribute = grouping.partition(":")
            allowed = GROUPINGS if grouping == self.by else STACKS
            if not (name == "attribute" and attribute.strip()) and name not in allowed:
                raise StoreError(
                    Errors.E082.format(by=grouping, expected=", ".join((*allowed, "attribute:KEY")))
                )
        for value in (self.date_from, self.date_to):
            if value is not None and not _DATE.match(value):
                raise StoreError(Errors.E083.format(value=value))
        known = {s.value for s in Status}
        for status in self.statuses:
            if status not in known:
                raise StoreError(Errors.E084.format(status=status, expected=", ".join(sorted(known))))

    def describe(self) -> str:
        """What was counted, in words: ``accepted quotes, outlet breitbart, 2015-11 to 2015-12``."""
        parts = [" and ".join(self.statuses) + " quotes"]
        if self.outlets:
            parts.append(("outlet " if len(self.outlets) == 1 else "outlets ") + ", ".join(self.outlets))
        if self.date_from or self.date_to:
            parts.append(f"dated {self.date_from or '…'} to {self.date_to or '…'}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class StatsRow:
    """One row: a key (``None``: no speaker, no outlet, no date, no attribute) and its counts."""

    key: str | None
    quotes: int
    share: float
    speakers: int | None = None
    id: int | None = None  # the speaker's or the document's id
    stack: dict[str, int] = field(default_factory=dict)  # stack key ("" for none) -> quotes

    def to_json(self) -> dict[str, Any]:
        """The row as ``--format json`` writes it."""
        out: dict[str, Any] = {"key": self.key, "quotes": self.quotes, "share": round(self.share, 6)}
        if self.speakers is not None:
            out["speakers"] = self.speakers
        if self.id is not None:
            out["id"] = self.id
        if self.stack:
            out["stack"] = self.stack
        return out


@dataclass(frozen=True, slots=True)
class StatsTable:
    """The answer to a :class:`StatsQuery`.

    Attributes:
        query: what was counted.
        quotes: how many quotes were counted in all (every row's share is of this).
        documents: in how many documents.
        rows: the rows, most quoted first (months: in time order).
        other: quotes in the rows beyond ``query.top``.
    """

    query: StatsQuery
    quotes: int
    documents: int
    rows: tuple[StatsRow, ...]
    other: int = 0

    def to_json(self) -> dict[str, Any]:
        """``{"by", "counted", "quotes", "documents", "rows": [...], "other"}``."""
        q = self.query
        return {
            "by": q.by,
            "counted": {
                "status": list(q.statuses),
                "outlet": list(q.outlets),
                "from": q.date_from,
                "to": q.date_to,
                "top": q.top,
                "stack": q.stack,
            },
            "quotes": self.quotes,
            "documents": self.documents,
            "rows": [row.to_json() for row in self.rows],
            "other": self.other,
        }

    def title(self) -> str:
        """A chart's title: what was counted and how many (N)."""
        label = self.query.by.replace("attribute:", "")
        n = f"N = {self.quotes:,} in {self.documents:,} documents"
        return f"Quotes by {label}: {self.query.describe()} ({n})"


def _where(query: StatsQuery, params: dict[str, Any]) -> tuple[str, set[str]]:
    """The WHERE clause of a query, filling ``params``, and the joins it needs."""
    clauses = [f"q.status IN ({', '.join(f':status{i}' for i in range(len(query.statuses)))})"]
    params.update({f"status{i}": s for i, s in enumerate(query.statuses)})
    joins: set[str] = set()
    if query.outlets:
        clauses.append(f"m.outlet IN ({', '.join(f':outlet{i}' for i in range(len(query.outlets)))})")
        params.update({f"outlet{i}": o for i, o in enumerate(query.outlets)})
        joins.add("m")
    if query.date_from:
        clauses.append("m.date >= :date_from")
        params["date_from"] = query.date_from
        joins.add("m")
    if query.date_to:
        # a prefix comparison: --to 2015-11 keeps 2015-11-30T23:00
        clauses.append("m.date != '' AND substr(m.date, 1, :to_length) <= :date_to")
        params["date_to"] = query.date_to
        params["to_length"] = len(query.date_to)
        joins.add("m")
    return " AND ".join(clauses), joins


def _from(joins: set[str]) -> str:
    return " ".join(["FROM quotes q", *(_JOINS[j] for j in ("s", "m", "d", "a", "sa") if j in joins)])


def _stack_expr(stack: str, params: dict[str, Any]) -> tuple[str, set[str]]:
    name, _, attribute = stack.partition(":")
    if name == "attribute":
        params["stack_attribute"] = attribute.strip().casefold()
        return "sa.value", {"sa"}
    key, _, joins = _KEYS[name]
    return key, set(joins)


#: Groupings by a document's metadata: (stored column, the test that a document has a key).
#: They read ``document_metadata`` in the order of an index (no sort of the quotes) and each
#: document's quotes from the covering index ``quotes_by_status``; the documents without a key
#: (no outlet, no date, no metadata at all) are counted apart, in one row. ``CROSS JOIN`` keeps
#: that order (SQLite's planner would otherwise start from the quotes).
_BY_METADATA = {"outlet": ("outlet", "m.outlet != ''"), "month": ("month", "m.month IS NOT NULL")}
_META_FIRST = "FROM document_metadata m CROSS JOIN quotes q ON q.document_id = m.document_id"
_DOCS_FIRST = (
    "FROM documents d LEFT JOIN document_metadata m ON m.document_id = d.id "
    "CROSS JOIN quotes q ON q.document_id = d.id"
)


def _from_rest(joins: set[str]) -> str:
    """The joins beyond the quotes and the metadata (speakers, attributes)."""
    return " ".join(_JOINS[j] for j in ("s", "a", "sa") if j in joins)


#: Groupings by something of the speaker: counted per speaker first, then per key.
_BY_SPEAKER = {
    "speaker": ("s.name", "g.sid"),
    "type": ("CASE WHEN g.sid IS NULL THEN NULL ELSE s.type END", "NULL"),
    "attribute": ("a.value", "NULL"),
}


def _grouped(name: str, where: str, joins: set[str]) -> str:
    """The query of the rows: ``row_key, id, n, speakers``, most quoted first (months in order).

    Groupings by the speaker count quotes per speaker first, in the covering index
    ``quotes_for_statistics``, and join the speakers' names, types or attributes to those
    counts, not to every quote. The alias is ``row_key``: ``speakers`` and
    ``speaker_attributes`` have columns named ``key``.
    """
    order = "row_key IS NULL, row_key" if name == "month" else "n DESC, row_key IS NULL, row_key"
    if name in _BY_SPEAKER:
        key_expr, id_expr = _BY_SPEAKER[name]
        speakers = "NULL" if name == "speaker" else "count(g.sid)"
        attribute = _JOINS["a"].replace("q.speaker_id", "g.sid") if name == "attribute" else ""
        return (
            f"SELECT {key_expr} AS row_key, {id_expr} AS id, sum(g.n) AS n, {speakers} AS speakers "
            f"FROM (SELECT q.speaker_id AS sid, count(*) AS n {_from(joins)} WHERE {where} "
            f"GROUP BY q.speaker_id) g LEFT JOIN speakers s ON s.id = g.sid {attribute} "
            f"GROUP BY {'g.sid' if name == 'speaker' else 'row_key'} ORDER BY {order}"
        )
    if name == "document":  # counted per document in the index, then the titles joined
        return (
            "SELECT d.title AS row_key, g.did AS id, g.n AS n, g.speakers AS speakers "
            f"FROM (SELECT q.document_id AS did, count(*) AS n, count(DISTINCT q.speaker_id) AS speakers "
            f"{_from(joins)} WHERE {where} GROUP BY q.document_id) g "
            f"JOIN documents d ON d.id = g.did ORDER BY {order}"
        )
    if name in _BY_METADATA:  # the metadata in its index's order, each document's quotes
        column, known = _BY_METADATA[name]
        counts = "count(*) AS n, count(DISTINCT q.speaker_id) AS speakers"
        return (
            f"SELECT row_key, NULL AS id, n, speakers FROM ("
            f"SELECT m.{column} AS row_key, {counts} {_META_FIRST} {_from_rest(joins)} "
            f"WHERE {where} AND {known} GROUP BY m.{column} UNION ALL "
            f"SELECT NULL AS row_key, {counts} {_DOCS_FIRST} {_from_rest(joins)} "
            f"WHERE {where} AND NOT coalesce({known}, 0) HAVING count(*) > 0) ORDER BY {order}"
        )
    key_expr, id_expr, needed = _KEYS[name]
    group = id_expr if id_expr != "NULL" else "row_key"
    return (
        f"SELECT {key_expr} AS row_key, {id_expr} AS id, count(*) AS n, "
        f"count(DISTINCT q.speaker_id) AS speakers {_from(joins | needed)} WHERE {where} "
        f"GROUP BY {group} ORDER BY {order}"
    )


def _stacks(
    conn: sqlite3.Connection, name: str, stack: str, where: str, joins: set[str], params: dict[str, Any]
) -> dict[Any, dict[str, int]]:
    """Each row's quotes split by the stack: ``{row id or key: {part: quotes}}``."""
    stack_expr, stack_joins = _stack_expr(stack, params)
    key_expr, id_expr, needed = _KEYS[name]
    group = id_expr if id_expr != "NULL" else key_expr
    sql = (
        f"SELECT {group} AS g, {stack_expr} AS part, count(*) "
        f"{_from(joins | needed | stack_joins)} WHERE {where} GROUP BY g, part ORDER BY g, part"
    )
    if name in _BY_METADATA:  # as in _grouped: the metadata first, then the documents without
        column, known = _BY_METADATA[name]
        rest = _from_rest(joins | stack_joins)
        sql = (
            f"SELECT m.{column} AS g, {stack_expr} AS part, count(*) {_META_FIRST} {rest} "
            f"WHERE {where} AND {known} GROUP BY g, part UNION ALL "
            f"SELECT NULL AS g, {stack_expr} AS part, count(*) {_DOCS_FIRST} {rest} "
            f"WHERE {where} AND NOT coalesce({known}, 0) GROUP BY part"
        )
    out: dict[Any, dict[str, int]] = {}
    for group_key, part, n in conn.execute(sql, params):
        out.setdefault(group_key, {})[part if part is not None else ""] = n
    return out


def statistics(store: Connection, query: StatsQuery) -> StatsTable:
    """Count a project's quotes as ``query`` asks, in SQL.

    Raises:
        StoreError: a grouping (E082), date (E083) or status (E084) that is not known.
    """
    query.check()
    name, _, attribute = query.by.partition(":")
    params: dict[str, Any] = {"attribute": attribute.strip().casefold()}
    where, joins = _where(query, params)
    conn = store.db.conn
    (total,) = conn.execute(f"SELECT count(*) {_from(joins)} WHERE {where}", params).fetchone()
    found = conn.execute(_grouped(name, where, joins), params).fetchall()
    if name == "document":
        documents = len(found)
    else:
        # each document probed in the covering index: no set of distinct ids to build
        (documents,) = conn.execute(
            "SELECT count(*) FROM documents d LEFT JOIN document_metadata m ON m.document_id = d.id "
            f"WHERE EXISTS (SELECT 1 FROM quotes q WHERE q.document_id = d.id AND {where})",
            params,
        ).fetchone()
    stacks: dict[Any, dict[str, int]] = {}
    if query.stack is not None:
        stacks = _stacks(conn, name, query.stack, where, joins, params)
    by_id = name in ("speaker", "document")
    rows = [
        StatsRow(
            key if key is None else str(key),
            n,
            n / total if total else 0.0,
            speakers=n_speakers,
            id=row_id,
            stack=stacks.get(row_id if by_id else key, {}),
        )
        for key, row_id, n, n_speakers in found
    ]
    other = 0
    if query.top is not None and len(rows) > query.top > 0:
        other = sum(r.quotes for r in rows[query.top :])
        rows = rows[: query.top]
    return StatsTable(query, total, documents, tuple(rows), other)
