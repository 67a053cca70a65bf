"""Quotation extraction and speaker resolution: pure functions over a spaCy ``Doc``."""

from __future__ import annotations

from spacy.tokens import Doc

from core.model import Quote


def extract_quotes(doc: Doc) -> list[Quote]:
    """All quotations of a parsed document, in text order."""
    return []
