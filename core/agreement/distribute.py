"""Projects for several coders: the same texts, each project stamped with its coder's name.

``quotebench distribute PROJECT --coders ann,ben -o FOLDER`` writes ``FOLDER/ann.qbproj`` and
``FOLDER/ben.qbproj`` and ``FOLDER/distribution.json``. A sample is drawn reproducibly: the
documents are ordered by the SHA-256 of their text (not by id, which differs between copies of
a project) and ``random.Random(seed).sample`` picks from them, so the same project and seed
give the same texts anywhere. Each coder's project records, in its ``project_info`` table,
the coder, the source project, the seed and the sample's text hashes.

By default the coders' projects hold the texts only: coders who review the same suggestions
tend to agree with the engine and so with each other, which inflates agreement. With
suggestions, each project gets the engine's original suggestions (``quotes.original``, or an
untouched suggestion as stored), never the researcher's decisions about them.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..model import Suggestion
from ..project.store import Store
from .errors import AgreementError, AgreementErrors

#: A coder's name: it names a file, so letters, digits, ``.``, ``_`` and ``-``, not first a dot.
_CODER = re.compile(r"^[^\W][\w.-]{0,63}$")
MANIFEST = "distribution.json"


def parse_coders(value: str | Sequence[str]) -> list[str]:
    """``"ann,ben"`` as a list of distinct coder names.

    Raises:
        AgreementError: no name, a name that cannot name a file, or a name twice (E045).
    """
    names = [n.strip() for n in (value.split(",") if isinstance(value, str) else value)]
    if not names or not all(names):
        raise AgreementError(
            AgreementErrors.E045.format(value=value, detail="give one or more names: ann,ben")
        )
    for name in names:
        if not _CODER.match(name):
            raise AgreementError(
                AgreementErrors.E045.format(
                    value=name, detail="a name may hold letters, digits, '.', '_' and '-' (it names a file)"
                )
            )
    seen = [n.casefold() for n in names]
    if len(set(seen)) != len(seen):
        raise AgreementError(AgreementErrors.E045.format(value=value, detail="a name is given twice"))
    return names


def draw_sample(
    documents: Sequence[tuple[int, str]],
    *,
    n: int | None = None,
    ids: Sequence[int] | None = None,
    seed: int = 0,
) -> list[int]:
    """The ids of the documents to distribute, in the project's order.

    Args:
        documents: every document's ``(id, sha256)``.
        n: draw this many at random (by text hash and ``seed``, see the module docstring).
        ids: take these documents (ignored when ``n`` is given).
        seed: the random seed.

    Raises:
        AgreementError: more than there are, fewer than one, or an id not in the project (E046).
    """
    known = dict(documents)
    if n is not None:
        if not 0 < n <= len(known):
            raise AgreementError(
                AgreementErrors.E046.format(
                    detail=f"--sample {n}, but the project has {len(known)} document(s)"
                )
            )
        by_hash = sorted(documents, key=lambda d: d[1])
        chosen = {doc_id for doc_id, _ in random.Random(seed).sample(by_hash, n)}
        return [doc_id for doc_id, _ in documents if doc_id in chosen]
    if ids is not None:
        missing = [i for i in ids if i not in known]
        if missing or not ids:
            detail = f"no document {missing[0]} in the project" if missing else "no document named"
            raise AgreementError(AgreementErrors.E046.format(detail=detail))
        wanted = set(ids)
        return [doc_id for doc_id, _ in documents if doc_id in wanted]
    return [doc_id for doc_id, _ in documents]


def engine_suggestions(store: Store, doc_id: int) -> list[tuple[Suggestion, str]]:
    """The engine's original suggestions for a document, with the run that made each: those a
    researcher deleted too, since they are the engine's output, not the researcher's decision."""
    rows = [(origin, original) for _, origin, original in store.originals_for(doc_id)]
    rows += [(row["origin"], row["original"]) for row in store.deleted_suggestions([doc_id])]
    found = [(Suggestion.from_json(json.loads(original)), origin) for origin, original in rows]
    return sorted(found, key=lambda f: (f[0].start, f[0].end))


def _targets(folder: Path, coders: Sequence[str]) -> dict[str, Path]:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AgreementError(AgreementErrors.E047.format(path=folder, detail=err.strerror or err)) from err
    targets = {c: folder / f"{c}.qbproj" for c in coders}
    for path in [*targets.values(), folder / MANIFEST]:
        if path.exists():
            raise AgreementError(AgreementErrors.E047.format(path=path, detail="a file of that name exists"))
    return targets


def _copy(
    source: Store, target: Path, coder: str, doc_ids: list[int], info: dict[str, Any], suggestions: bool
) -> None:
    """Write one coder's project (to a temporary name, moved into place once whole)."""
    tmp = target.with_name(f".{target.name}.part")
    tmp.unlink(missing_ok=True)
    try:
        with Store.create(tmp, annotator=f"distribute:{coder}") as out:
            meta = source.all_document_metadata()
            with out.batch():
                for doc_id in doc_ids:
                    doc, row = source.document(doc_id), source.document_info(doc_id)
                    new_id, _ = out.add_document(
                        doc.text or "", title=doc.title, source=doc.source, imported_at=doc.imported_at
                    )
                    if doc_id in meta:
                        out.set_document_metadata(new_id, meta[doc_id])
                    found = engine_suggestions(source, doc_id) if suggestions else []
                    if found:
                        out.save_suggestions(
                            new_id, [s for s, _ in found], found[0][1] or row["suggested_by"]
                        )
                out.set_project_info({**info, "coder": coder})
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)


def distribute(
    project: str | os.PathLike[str],
    coders: Sequence[str],
    folder: str | os.PathLike[str],
    *,
    n: int | None = None,
    ids: Sequence[int] | None = None,
    seed: int | None = None,
    suggestions: bool = False,
) -> dict[str, Any]:
    """Write one project per coder with the same documents, and ``distribution.json``.

    Args:
        project: the source project (only read).
        coders: the coders' names (see :func:`parse_coders`).
        folder: where to write; made if missing; no file of the same names may be there.
        n: a random sample of this many documents.
        ids: these documents (when ``n`` is not given); default every document.
        seed: the sample's seed; a random one (recorded) if not given.
        suggestions: give each coder the engine's original suggestions.

    Returns:
        The manifest: ``coders`` (name -> file), ``source_project``, ``sample_seed``,
        ``sample_size``, ``sample_documents`` (text hashes), ``with_suggestions``.

    Raises:
        AgreementError: bad coders (E045), sample (E046) or folder (E047).
    """
    names = parse_coders(coders)
    seed = secrets.randbelow(2**31) if seed is None else seed
    out = Path(folder)
    with Store.open(project) as source:
        docs = [(d.id, d.sha256) for d in source.documents()]
        chosen = draw_sample(docs, n=n, ids=ids, seed=seed)
        hashes = dict(docs)
        info = {
            "source_project": Path(project).name,
            "sample_seed": str(seed),
            "sample_size": str(len(chosen)),
            "sample_documents": [hashes[i] for i in chosen],
            "with_suggestions": "yes" if suggestions else "no",
        }
        targets = _targets(out, names)
        made: list[Path] = []
        try:
            for coder, target in targets.items():
                _copy(source, target, coder, chosen, info, suggestions)
                made.append(target)
        except BaseException:
            for path in made:
                path.unlink(missing_ok=True)
            raise
    manifest = {"coders": {c: p.name for c, p in targets.items()}, **info}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest
