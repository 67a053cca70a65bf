"""Reading a project's coding for agreement: its texts and the quotes of the chosen statuses."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..model import Status
from ..project.store import Store
from .errors import AgreementError, AgreementErrors
from .records import Coding, DocRecord, QuoteRecord

#: The statuses that count when none are named: what a coder has accepted.
DEFAULT_STATUSES = frozenset({Status.ACCEPTED.value})


def parse_statuses(value: str | Iterable[str] | None) -> frozenset[str]:
    """``"accepted,suggested"`` (or a list of names) as a set of statuses.

    Raises:
        AgreementError: a name that is not a status (E042).
    """
    if value is None:
        return DEFAULT_STATUSES
    names = value.split(",") if isinstance(value, str) else list(value)
    out = set()
    for name in names:
        clean = name.strip().lower()
        if clean not in {s.value for s in Status}:
            raise AgreementError(AgreementErrors.E042.format(value=name))
        out.add(clean)
    if not out:
        raise AgreementError(AgreementErrors.E042.format(value=value))
    return frozenset(out)


def read_coding(store: Store, statuses: Iterable[str] = DEFAULT_STATUSES, name: str = "") -> Coding:
    """A project's texts and its quotes of the given statuses, keyed by text hash.

    Quotes are kept in the order they were made (by id), the order ties are broken in.
    """
    wanted = frozenset(statuses)
    names = {sp.id: sp.name for sp in store.speakers()}
    by_doc: dict[int, list[QuoteRecord]] = {}
    for row in store.iter_quote_rows():  # stored rows, no joins: the fast path
        if row["status"] in wanted:
            by_doc.setdefault(row["document_id"], []).append(
                QuoteRecord(
                    row["id"],
                    row["start"],
                    row["end"],
                    row["kind"],
                    names.get(row["speaker_id"]),
                    row["status"],
                    row["text"],
                )
            )
    documents = {}
    for info, text in store.iter_documents():
        quotes = sorted(by_doc.get(info["id"], ()), key=lambda q: q.id)
        documents[info["sha256"]] = DocRecord(info["id"], info["title"], info["sha256"], text, tuple(quotes))
    return Coding(name or str(store.path), documents)


def open_coding(path: str | os.PathLike[str], statuses: Iterable[str] = DEFAULT_STATUSES) -> Coding:
    """Open a project file, read its coding and close it again.

    Nothing is written here, but opening a project made by an older Quotebench upgrades its
    schema, as any open does (``Store.open(read_only=True)`` would refuse such a project).

    Raises:
        StoreError: no such project, not a project, written by a newer Quotebench.
    """
    with Store.open(path) as store:
        return read_coding(store, statuses, name=Path(path).name)
