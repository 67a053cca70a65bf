"""spaCy ``DocBin``: quotes and speaker mentions as span groups of ``spacy.blank("en")`` docs."""

from __future__ import annotations

from pathlib import Path

from ..project.store import Store
from .project_quotes import documents_with_quotes, speakers_by_id
from .record import docbin_quote_record


def export_docbin(store: Store, path: Path, *, accepted_only: bool = False) -> tuple[int, int]:
    """Write a spaCy ``DocBin``: per document a tokenised ``Doc`` (``spacy.blank("en")``) with
    quotes in ``doc.spans["quotes"]`` (label = kind), speaker mentions in
    ``doc.spans["speakers"]`` (label = speaker name), and every quote's exact character
    offsets, speaker and status in ``doc.user_data["quotebench"]``.

    Span groups hold token spans, so a quote boundary inside a token is widened to the token;
    ``user_data`` keeps the exact offsets.
    """
    import spacy  # here, so the other formats and the command line start fast
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    speakers = speakers_by_id(store)
    bin_ = DocBin(store_user_data=True)
    n_docs = n_quotes = 0
    for info, text, quotes in documents_with_quotes(store, accepted_only):
        doc = nlp.make_doc(text)
        spans, mentions, records = [], [], []
        for q in quotes:
            sp = speakers.get(q.speaker_id) if q.speaker_id is not None else None
            span = doc.char_span(q.start, q.end, label=q.kind.value, alignment_mode="expand")
            if span is not None:
                spans.append(span)
            if sp is not None and q.mention_start is not None and q.mention_end is not None:
                mention = doc.char_span(
                    q.mention_start, q.mention_end, label=sp.name, alignment_mode="expand"
                )
                if mention is not None:
                    mentions.append(mention)
            records.append(docbin_quote_record(q, sp))
        doc.spans["quotes"] = spans
        doc.spans["speakers"] = mentions
        doc.user_data["quotebench"] = {
            "document_id": info["id"],
            "title": info["title"],
            "source": info["source"],
            "quotes": records,
        }
        bin_.add(doc)
        n_docs += 1
        n_quotes += len(quotes)
    bin_.to_disk(path)
    return n_docs, n_quotes


def write_docbin(
    store: Store, out: Path, *, accepted_only: bool = False
) -> tuple[tuple[Path, ...], int, int]:
    """The DocBin export (see :func:`export_docbin`): the file written, documents and quotes."""
    return (out,), *export_docbin(store, out, accepted_only=accepted_only)
