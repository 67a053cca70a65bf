"""Generated test data shared by tests and benchmarks: long articles with many suggestions."""

from __future__ import annotations

from quotebench.core.model import Evidence, Kind, Span, SpeakerType, Suggestion

PARAGRAPH = 'Mr Smith said "we will go to the sea today" and he left.\n'


def long_article(n: int, paragraph: str = PARAGRAPH) -> tuple[str, list[Suggestion]]:
    """An article of ``n`` paragraphs with one direct suggestion each, by 40 speakers.

    Args:
        n: how many paragraphs (and suggestions).
        paragraph: the paragraph repeated; it must hold ``"…today"`` after ``Mr Smith said``.
    """
    text = paragraph * n
    start_in, end_in = paragraph.index('"'), paragraph.index('today"') + 6
    out = []
    for i in range(n):
        base = i * len(paragraph)
        start, end = base + start_in, base + end_in
        out.append(
            Suggestion(
                Span(start, end, text[start:end]),
                Kind.DIRECT,
                speaker=f"Speaker {i % 40}",
                speaker_type=SpeakerType.PERSON,
                mention=Span(base + 3, base + 8, "Smith"),
                cue=Span(base + 9, base + 13, "said"),
                confidence=0.9,
                evidence=Evidence("direct.test", notes=("pronoun 'He'",)),
            )
        )
    return text, out
