"""A document's metadata as inputs give it: title, outlet, date, URL, author, and any other keys.

Inputs name these things in many ways. :data:`ALIASES` lists the names read for each field,
most specific first: a JSONL line's ``meta`` object and its top-level keys, an HTML page's
``<meta>`` tags (``og:site_name``, ``article:published_time``, ``author``, ...) and a Markdown
file's front matter all go through :func:`collect`. Nothing is dropped: a key that is not one
of the fields, a second alias with a different value, or a date that cannot be read stays in
``meta`` under its own name.

Dates are normalised to ISO 8601 (:func:`normalise_date`): ``2015-11-18``, ``2015-11``,
``2015-11-18T10:30:00+00:00``. Written dates are read by ``python-dateutil``, month first
when a date such as ``03/04/2015`` is ambiguous (dateutil's default, as in US outlets).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from dateutil import parser as date_parser  # type: ignore[import-untyped]  # no stubs shipped

#: The fields stored in their own columns, in the order they are shown and exported.
FIELDS = ("outlet", "date", "url", "author")

#: For each field (and the title), the names read for it, in order of preference.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "og:title", "headline"),
    "outlet": ("outlet", "publisher", "site_name", "og:site_name", "source", "publication"),
    "date": (
        "date",
        "publication_date",
        "published",
        "published_at",
        "article:published_time",
        "pubdate",
    ),
    "url": ("url", "og:url", "canonical", "link"),
    "author": ("author", "authors", "article:author", "byline", "creator"),
}

#: The keys of a JSONL line that are the record itself, never metadata.
RECORD_KEYS = frozenset(
    {
        "id",
        "text",
        "title",
        "quotes",
        "meta",
        "document_id",
        "sha256",
        "imported_at",
        "suggested_by",
        "suggested_at",
        "quotebench_export",
    }
)

_YEAR_MONTH = re.compile(r"^\s*(\d{4})(?:-(\d{2}))?\s*$")
_HAS_TIME = re.compile(r"\d:\d")
#: A date prefix accepted for filters: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
DATE_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def normalise_date(value: Any) -> str | None:
    """A written date as ISO 8601, or ``None`` if it cannot be read as one.

    ``2015``, ``2015-11`` and dates without a time stay as precise as they were written
    (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``); a time is kept with its offset, if it has one.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if (m := _YEAR_MONTH.match(text)) is not None:
        year, month = m.group(1), m.group(2)
        if month is None:
            return year
        return f"{year}-{month}" if 1 <= int(month) <= 12 else None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            # a fixed default, so a missing day or month never comes from today's date
            parsed = date_parser.parse(text, default=dt.datetime(2000, 1, 1))
        except (ValueError, OverflowError):
            return None
    if not _HAS_TIME.search(text):
        return parsed.date().isoformat()
    return parsed.isoformat()


def _as_text(value: Any) -> str | None:
    """A metadata value as the text of a field: lists joined by ``; ``, numbers written out."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "; ".join(" ".join(v.split()) for v in value if v.strip()) or None
    return None


def collect(*sources: Mapping[str, Any]) -> dict[str, Any]:
    """Metadata from key–value sources, the first source preferred for each field.

    Args:
        sources: mappings of names to values (a JSONL ``meta`` object, the line's own keys, a
            page's ``<meta>`` tags, front matter), most trusted first.

    Returns:
        ``title`` (if any), the :data:`FIELDS` that were found, and ``meta``: every other key,
        and every alias whose value was not used, as it was given.
    """
    merged: dict[str, Any] = {}
    for source in sources:
        for key, value in source.items():
            merged.setdefault(str(key), value)
    out: dict[str, Any] = {}
    used: set[str] = set()
    for field, names in ALIASES.items():
        for name in names:
            if name not in merged:
                continue
            text = _as_text(merged[name])
            if field == "date" and text is not None:
                text = normalise_date(text)
            if text:
                out[field] = text
                used.add(name)
                break
        # the other aliases stay in meta only if they say something else
        for name in names:
            if name in merged and name not in used and field in out:
                same = _as_text(merged[name])
                if field == "date" and same is not None:
                    same = normalise_date(same)
                if same == out[field]:
                    used.add(name)
    extra = {key: value for key, value in merged.items() if key not in used}
    if extra:
        out["meta"] = extra
    return out


def from_record(record: Mapping[str, Any], *, export: bool) -> dict[str, Any]:
    """The metadata of a JSONL line: its ``meta`` object and its own keys.

    In a project export, ``source`` is where the document came from and the fields are the
    line's own keys; in any other line, ``source`` is one of the names of the outlet.
    """
    meta = record.get("meta")
    inner = dict(meta) if isinstance(meta, Mapping) else {}
    skip = RECORD_KEYS | ({"source"} if export else set())
    own = {key: value for key, value in record.items() if key not in skip and value is not None}
    if not export and isinstance(record.get("title"), str):
        own = {"title": record["title"], **own}
    if export:
        # an export's meta holds exactly the keys that are not fields: keep it as it is
        found = collect(own)
        found.pop("meta", None)
        if inner:
            found["meta"] = inner
        return found
    return collect(own, inner)


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split a Markdown file's front matter (``key: value`` lines between ``---`` lines) from its text.

    Only the simple form is read: ``key: value`` lines (values may be quoted) and ``- item``
    lines listing a key's values. A block with any other line is kept whole in ``meta`` under
    ``front_matter`` rather than guessed at.

    Returns:
        The keys found, and the text after the block (the whole text if it has none). Offsets
        of quotes are into that text.
    """
    if not text.startswith("---\n"):
        return {}, text
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$\n?", text[4:], flags=re.MULTILINE)
    if end is None:
        return {}, text
    block = text[4 : 4 + end.start()]
    body = text[4 + end.end() :]
    parsed = _simple_yaml(block.splitlines())
    if parsed is None:
        return {"front_matter": block}, body
    return parsed, body


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _simple_yaml(lines: Iterable[str]) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    last: str | None = None
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s+-\s+(.*)$", line) or re.match(r"^-\s+(.*)$", line)
        if item is not None and last is not None:
            current = out.get(last)
            values = current if isinstance(current, list) else []
            values.append(_unquote(item.group(1)))
            out[last] = values
            continue
        pair = re.match(r"^([A-Za-z0-9_:.\-]+)\s*:(?:\s+(.*))?$", line)
        if pair is None:
            return None
        last = pair.group(1)
        out[last] = _unquote(pair.group(2) or "")
    return out
