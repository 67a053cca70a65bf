"""Quotation extraction: pure functions over a parsed spaCy ``Doc``.

The algorithm, in the order :func:`extract_quotes` runs it:

1. Pair the quotation marks of the text into runs (:mod:`~core.engine.marks`).
2. Direct quotes (:mod:`~core.engine.direct`): runs their frame attributes, split quotes,
   continued paragraphs.
3. Reported speech (:mod:`~core.engine.reported`, :mod:`~core.engine.complements`): reporting
   verbs and their content, ``according to X``, and quoted words no other rule took (mixed).
4. Speakers: the cue's subject is the mention; :mod:`~core.engine.speakers` resolves it to a
   person or body (pronouns, aliases, appositions, role nouns, surnames).

Every quote names the rule that found it (the registry in :mod:`~core.engine.rules`); every
confidence comes from ``lexicons/confidences.json``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc, Span

from ..model import DEFAULT_MIN_CONFIDENCE, Evidence, Kind, SpeakerType, Suggestion
from ..model import Span as CharSpan
from .direct import direct_quotes
from .frame import Attribution, Candidate, Frame
from .lexicons import confidence
from .reported import quoted_words, reported_speech
from .rules import rule_threshold
from .run_shapes import sentence_ends_in
from .speakers import Resolution, SpeakerResolver


def extract_quotes(doc: Doc, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> list[Suggestion]:
    """All quotations of a parsed document, in text order.

    Args:
        doc: a document parsed by a pipeline with a dependency parser (and ideally NER).
        min_confidence: leave out suggestions less sure than this, or than their rule's own
            threshold (:func:`shown`); 0 keeps everything.

    Returns:
        The quotes, each with its kind, cue, speaker mention, resolved speaker, the two
        confidences (span and speaker) and the evidence for it.
    """
    frame = Frame(doc)
    if not frame.text.strip():
        return []
    direct, reports = _quotes_closing_reports(frame, direct_quotes(frame), list(reported_speech(frame)))
    taken = [(c.start, c.end) for c in direct]
    # a cue that frames a direct quote reports that quote, not the words around it
    direct_cues = {
        c.attribution.cue.start for c in direct if c.attribution is not None and c.attribution.cue is not None
    }
    reported = _outermost([c for c in reports if not _overlaps_any(c, taken) and not _cue_in(c, direct_cues)])
    covered = taken + [(c.start, c.end) for c in reported]
    reported += list(quoted_words(frame, covered))
    candidates = sorted(direct + reported, key=lambda c: (c.start, c.end))
    resolver = SpeakerResolver(doc, frame.runs, frame.text)
    return [q for q in _finish(candidates, resolver) if shown(q, min_confidence)]


#: how many reports starting before a quote may take it (they stand in its sentence)
_HOSTS_TRIED = 8


def _quotes_closing_reports(
    frame: Frame, direct: list[Candidate], reports: list[Candidate]
) -> tuple[list[Candidate], list[Candidate]]:
    """Fold a quote that closes a report of its sentence into that report, as one mixed quote.

    In ``X said that if the dam had failed, "we would have lost the valley."`` or ``X argued
    that A: "B."`` the quoted words finish what X said; a quote with no cue of its own (or
    only a subject before it) is part of the report, not a quote of its own.

    Returns:
        The direct quotes left, and the reports with the quotes they took.
    """
    text = frame.text
    kept: list[Candidate] = []
    hosts: dict[int, Candidate] = {}
    order = sorted(range(len(reports)), key=lambda i: reports[i].start)
    starts = [reports[i].start for i in order]
    for quote in direct:
        att = quote.attribution
        weak = att is None or att.rule == "direct.previous_subject"
        # the reports starting just before the quote (a host shares its sentence): time stays linear
        at = bisect.bisect_left(starts, quote.start)
        near = order[max(0, at - _HOSTS_TRIED) : at]
        host = next((i for i in near if _closes(text, reports[i], quote)), None) if weak else None
        if host is None or quote.continues is not None:
            kept.append(quote)
            continue
        report = hosts.get(host, reports[host])
        end = max(report.end, quote.end)
        hosts[host] = replace(
            report,
            end=end,
            kind=frame.kind_of(report.start, end),
            notes=(*report.notes, "ends with a quote of the same report"),
        )
    return kept, [hosts.get(i, r) for i, r in enumerate(reports)]


def _closes(text: str, report: Candidate, quote: Candidate) -> bool:
    """Whether a quote ends a report of its sentence: right after the report's content (a
    colon, comma or dash between) or inside it, after its cue."""
    att = report.attribution
    if att is None or att.cue is None or att.mention is None:
        return False
    cue_end = att.cue.end_char
    if not (report.start < quote.start and cue_end <= quote.start and report.end <= quote.end):
        return False
    if sentence_ends_in(text, cue_end, quote.start):
        return False
    return report.end > quote.start or not text[report.end : quote.start].strip(" \t\u00a0:,;—–-")


def _outermost(candidates: list[Candidate]) -> list[Candidate]:
    """Drop a report whose cue stands inside another report's content.

    In ``X said he believes Y`` the quote is X's, and its content holds Y; ``he believes Y`` is
    part of what X said, not a second quote.
    """
    spans = sorted({(c.start, c.end) for c in candidates})
    starts = [s for s, _ in spans]
    # the span reaching furthest among those starting up to each one, and the next furthest
    reach: list[tuple[tuple[int, int], ...]] = []
    top: tuple[tuple[int, int], ...] = ()
    for span in spans:
        top = tuple(sorted((*top, span), key=lambda sp: -sp[1])[:2])
        reach.append(top)
    out = []
    for cand in candidates:
        att = cand.attribution
        cue = att.cue.start_char if att is not None and att.cue is not None else -1
        i = bisect.bisect_right(starts, cue) - 1
        others = [sp for sp in reach[i] if sp != (cand.start, cand.end)] if i >= 0 else []
        if not (others and others[0][1] > cue):
            out.append(cand)
    return out


def _cue_in(cand: Candidate, cues: set[int]) -> bool:
    att = cand.attribution
    return att is not None and att.cue is not None and att.cue.start in cues


def _overlaps_any(cand: Candidate, spans: Iterable[tuple[int, int]]) -> bool:
    for start, end in spans:
        inter = min(end, cand.end) - max(start, cand.start)
        if inter > 0 and inter >= 0.5 * min(end - start, cand.end - cand.start):
            return True
    return False


def _finish(candidates: list[Candidate], resolver: SpeakerResolver) -> Iterator[Suggestion]:
    """The candidates as suggestions, with their speakers resolved."""
    text = resolver.text
    for cand in candidates:
        att = cand.attribution
        resolution = resolver.resolve(att.mention) if att is not None and att.mention is not None else None
        cue = _char_span(text, att.cue) if att is not None and att.cue is not None else None
        mention = _char_span(text, att.mention) if att is not None and att.mention is not None else None
        rule = att.rule if att is not None else "direct.unattributed"
        if cand.continues is not None:
            rule = "direct.continued_paragraph"
        antecedent = None
        notes = cand.notes
        speaker, speaker_type = None, SpeakerType.UNKNOWN
        if resolution is not None:
            speaker, speaker_type = resolution.name, resolution.type
            if resolution.antecedent is not None:
                start, end = resolution.antecedent
                antecedent = CharSpan(start, end, text[start:end])
            notes = notes + resolution.notes
        yield Suggestion(
            span=CharSpan(cand.start, cand.end, text[cand.start : cand.end]),
            kind=cand.kind,
            cue=cue,
            mention=mention,
            speaker=speaker,
            speaker_type=speaker_type,
            confidence=_confidence(cand, resolution),
            speaker_confidence=_speaker_confidence(resolution),
            evidence=Evidence(rule, antecedent, notes),
        )


def _confidence(cand: Candidate, resolution: Resolution | None) -> float:
    """How sure the engine is that the span is a quote (the rule's measured precision).

    Reported speech without a speaker is weak evidence of a quote (``it was decided that``); a
    direct quote stands on its marks even when nobody is named. Doubt about *who* said it is
    the speaker's confidence (:func:`_speaker_confidence`): it never drops a quote.
    """
    conf = cand.confidence
    if resolution is not None:
        rule = cand.attribution.rule if cand.attribution is not None else ""
        if rule == "mixed.quoted_words" and resolution.type is SpeakerType.ORGANISATION:
            # bodies rarely own a quoted phrase: more often a label or a title
            conf *= confidence("factors", "organisation_owns_quoted_words")
        elif rule == "reported.object" and resolution.type is SpeakerType.PERSON:
            # "Ann Ruiz criticized the plan": a person's verdict on a thing is a report more
            # often than a body's ("the agency rejected the bid")
            conf = confidence("cases", "reported.object_person_speaker")
    elif cand.kind is not Kind.DIRECT and not _unnamed_by_design(cand.attribution):
        conf *= confidence("factors", "reported_without_speaker")
    return max(0.0, min(1.0, conf))


#: Rules whose reports name no speaker by design: a question put by an asker the text does not
#: name (``Asked whether …``), a passive report (``I was told that …``). Their confidence is
#: measured on such reports; the check for a missing speaker does not apply.
UNNAMED_SPEAKER_RULES = frozenset({"reported.unnamed_source"})


def _unnamed_by_design(attribution: Attribution | None) -> bool:
    return attribution is not None and attribution.rule in UNNAMED_SPEAKER_RULES


def _speaker_confidence(resolution: Resolution | None) -> float | None:
    """How sure the engine is of the speaker: the resolution's, lower for an unknown type."""
    if resolution is None:
        return None
    conf = resolution.confidence
    if resolution.type is SpeakerType.UNKNOWN:
        conf *= confidence("factors", "speaker_type_unknown")
    return max(0.0, min(1.0, conf))


def shown(quote: Suggestion, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> bool:
    """Whether a suggestion is shown: sure enough for the user's threshold and its rule's own.

    Each rule's threshold (the table's ``thresholds``) is calibrated on the dev corpus; a
    threshold of 0 shows everything the rules find.

    Args:
        quote: a suggestion.
        min_confidence: the user's threshold.
    """
    if min_confidence <= 0.0:
        return True
    rule = quote.evidence.rule
    if (
        quote.kind is not Kind.DIRECT
        and rule not in UNNAMED_SPEAKER_RULES
        and (quote.mention is None or rule == "mixed.quoted_words" and quote.speaker is None)
    ):
        # no speaker to check a report against (quoted words whose mention resolves to nobody,
        # "it" or "we" outside a quote, are mostly labels): its own threshold
        rule = "reported_without_speaker"
    return quote.confidence >= min_confidence and quote.confidence >= rule_threshold(rule)


def _char_span(text: str, span: Span) -> CharSpan:
    return CharSpan(span.start_char, span.end_char, text[span.start_char : span.end_char])
