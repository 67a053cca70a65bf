"""Where reported content starts and ends: clause and phrase extents as character offsets.

These helpers turn a parse subtree into the stretch of text an annotator would mark: without
the complementiser, trailing asides and punctuation, within the cue's paragraph, and holding
quoted words whole.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from .frame import SUBJECTS, Frame
from .lexicons import word_set
from .marks import CLAUSE_END_MARKS

_TRAILING_DEPS = frozenset({"advcl", "acl", "npadvmod", "appos", "parataxis", "prep", "dep"})


def within_paragraph(text: str, anchor: int, start: int, end: int) -> tuple[int, int]:
    """Clip reported content to the paragraph of its cue: the parser's sentences may run on."""
    para_start = text.rfind("\n", 0, anchor) + 1
    para_end = text.find("\n", anchor)
    para_end = len(text) if para_end == -1 else para_end
    start, end = max(start, para_start), min(end, para_end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def whole_runs(frame: Frame, start: int, end: int) -> tuple[int, int]:
    """Widen content that cuts through quoted words so it holds them whole (mixed quotes)."""
    if end > start:
        first, last = frame.run_at(start), frame.run_at(end - 1)
        if first is not None and first.start < start:
            start = first.start
        if last is not None and last.end > end and last.paragraphs == 1:
            end = last.end
    return start, end


def strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim white space and clause punctuation (not quotation marks) from both ends."""
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-."):
        end -= 1
    return start, end


def trim_right(tokens: list[Token]) -> Token | None:
    """The last token of a clause, without trailing punctuation and dangling conjunctions."""
    n = len(tokens)
    while n and (
        tokens[n - 1].is_punct and tokens[n - 1].text not in CLAUSE_END_MARKS or tokens[n - 1].dep_ == "cc"
    ):
        n -= 1
    return tokens[n - 1] if n else None


def has_verb(frame: Frame, start: int, end: int) -> bool:
    """Whether a stretch holds a verb (or quoted words, which may hold one)."""
    return any(t.pos_ in ("VERB", "AUX") or frame.run_at(t.idx) for t in frame.tokens_between(start, end))


def trailing_modifiers(head: Token) -> set[int]:
    """Tokens of trailing modifiers set off by a comma or dash: ``…, cementing its lead``.

    Annotators end reported content before such asides (participial clauses, ``despite …``,
    ``— a high sum``), which comment on the report rather than belong to it. An aside that
    more of the content follows (``possible, though not likely, that …``) is part of it.
    """
    cut_from: int | None = None
    for child in head.rights:
        mark = _aside_mark(head, child)
        if mark is not None:
            cut_from = mark if cut_from is None else cut_from
        elif child.dep_ not in ("punct", "cc"):
            cut_from = None  # "possible, though not likely, that …": the content goes on
    if cut_from is None:
        return set()
    return set(range(cut_from, head.right_edge.i + 1))


def _aside_mark(head: Token, child: Token) -> int | None:
    """The comma or dash opening ``child`` when it is an aside of ``head``, else ``None``."""
    doc = head.doc
    if child.dep_ not in _TRAILING_DEPS:
        return None
    if child.dep_ == "prep" and child.lower_ not in word_set("aside_preps"):
        return None
    first = child.left_edge
    if first.i - 1 <= head.i:
        return None
    mark = doc[first.i - 1] if not first.is_punct else first
    if mark.text in (",", "—", "–", "-", ";") and child.right_edge.i - first.i >= 2:
        return mark.i
    return None


_ASIDE_MARKS = frozenset({",", "—", "–", "-", "--"})


def final_noun_aside(frame: Frame, head: Token, *, own: bool = False) -> set[int]:
    """Tokens of an aside on the clause's last noun that ends the clause: ``…, a plan the mayor …``.

    Down the clause's rightmost words, a description set off by a comma or dash (``the ban, a
    move that …``) or a relative clause (``Ana Ruiz, who has been …``) tells about the noun
    rather than what was said: annotators end the content before it. A name in apposition
    (``her husband, Tom Hale``), a list (``a "loser," a "liar" and a "whiner"``) and an aside
    holding quoted words stay. ``own``: the head's own asides count too (a noun phrase's head;
    a clause's are :func:`trailing_modifiers`).
    """
    doc = head.doc
    end = head.right_edge.i
    node = head
    for _ in range(end - head.i):
        rights = [c for c in node.rights if not c.is_punct]
        if not rights:
            break
        last = rights[-1]
        first = last.left_edge
        if (own or node.i != head.i) and last.right_edge.i >= end - 1 and first.i - 1 > node.i:
            mark = doc[first.i - 1]
            while mark.i - 1 > node.i and (mark.is_space or mark.is_quote and frame.run_at(mark.idx)):
                mark = doc[mark.i - 1]  # '"a gift," which …': the comma stands inside the closing mark
            if mark.text in _ASIDE_MARKS and _describes(frame, last):
                return set(range(mark.i, end + 1))
        node = last
    return set()


def _describes(frame: Frame, aside: Token) -> bool:
    """Whether an apposition or relative clause describes its noun (and is no name, list or quote)."""
    first = aside.left_edge
    if aside.dep_ in ("relcl", "ccomp", "advcl"):  # the parser may read ", which is …" as a clause
        describes = first.tag_ in ("WDT", "WP", "WP$") and first.i < aside.i
    elif aside.dep_ == "appos":
        describes = aside.pos_ == "NOUN" and not any(c.dep_ in ("cc", "conj") for c in aside.children)
    else:
        return False
    return describes and not any(frame.run_at(t.idx) for t in aside.subtree)


def clause_offsets(frame: Frame, head: Token, *, split_cues: bool = True) -> tuple[int, int]:
    """The content of a complement clause headed by ``head``, as character offsets.

    ``split_cues``: a coordinated reporting verb starts a report of its own (``fear that A and
    warn that B``), unless a complementiser makes it a clause of the content (``said that A and
    that they vote``); ``False`` when the clause comes before its cue (``A and said B, X said``:
    all of it is X's report).
    """
    clause_marks = word_set("clause_marks")
    subtree = list(head.subtree)
    cut = trailing_modifiers(head) or final_noun_aside(frame, head)
    cut |= _merged_ranges(
        (t.left_edge.i, t.right_edge.i)
        for t in subtree
        if split_cues
        and t.dep_ == "conj"
        and t.i != head.i
        and frame.is_cue(t)
        and not any(c.dep_ == "mark" and c.lower_ in clause_marks for c in t.children)
    )
    tokens = [t for t in subtree if t.i not in cut]
    # drop leading punctuation (the complementiser "that" stays: annotators mark it)
    first = 0
    while first < len(tokens) and tokens[first].is_punct:
        first += 1
    tokens = tokens[first:]
    last = trim_right(tokens)
    if not tokens or last is None:
        return head.idx, head.idx + len(head.text)
    return tokens[0].idx, last.idx + len(last.text)


def _merged_ranges(ranges: Iterable[tuple[int, int]]) -> set[int]:
    """The token indices of inclusive ranges, each index once (nested ranges cost nothing more)."""
    out: set[int] = set()
    reach = -1
    for low, high in sorted(ranges):
        if high > reach:
            out.update(range(max(low, reach + 1), high + 1))
            reach = high
    return out


def phrase_offsets(head: Token) -> tuple[int, int]:
    """A noun phrase or clause headed by ``head``, without trailing asides."""
    cut = trailing_modifiers(head)
    tokens = [t for t in head.subtree if t.i not in cut]
    last = trim_right(tokens) or head
    return tokens[0].idx, last.idx + len(last.text)


def skip_recipient(tokens: list[Token]) -> Token | None:
    """In ``lawmakers Freedonia risks …`` drop the recipient noun phrase before the clause."""
    for i, tok in enumerate(tokens[:-1]):
        if tok.pos_ in ("NOUN", "PRON") and tokens[i + 1].pos_ == "PROPN":
            return tokens[i + 1]
    return tokens[0] if tokens else None


def subject_follows_clause(verb: Token, clause: Token) -> bool:
    """The clause comes first and ends with a comma before its attribution."""
    last = clause.right_edge
    doc = verb.doc
    subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
    if not subjects or not all(last.i < c.i for c in subjects):
        return False  # "A weighed in, telling B": the subject is inside the clause, not after it
    if last.i + 1 < len(doc) and doc[last.i + 1].text in (",", "—", "–"):
        return True
    return last.text in (",", "—", "–")


def last_clause(frame: Frame, start: int, end: int) -> tuple[int, int]:
    """The last clause of a stretch: after a colon or semicolon, and after an opening adverbial.

    ``Despite the views of A, B has done C`` → ``B has done C``: a comma-ended opening without a
    verb of its own frames the content rather than belongs to it.
    """
    text = frame.text
    cut = max(text.rfind(":", start, end), text.rfind(";", start, end))
    if cut != -1:
        start = cut + 1
    commas = [t.idx for t in frame.tokens_between(start, end) if t.text == ","]  # not "1,000"
    comma = commas[0] if commas else -1
    if (
        comma != -1
        and not any(t.pos_ in ("VERB", "AUX") for t in frame.tokens_between(start, comma))
        and len(text[comma:end].split()) >= 4
    ):
        start = comma + 1
    return _trailing_part(frame, *_without_opening_conjunction(frame, start, end))


def _trailing_part(frame: Frame, start: int, end: int) -> tuple[int, int]:
    """The part after the last comma when it is a relative clause, a participle or a ``with`` phrase.

    In ``A faced B, who had more success, attracting 300 donors, according to X`` the source
    stands for ``attracting 300 donors``; ``…, with two-thirds coming from men, according to X``
    for ``two-thirds coming from men``. ``…, including …`` goes with what comes before it.
    """
    tokens = list(frame.tokens_between(start, end))
    openers = word_set("sourced_part.openers")
    preps = word_set("sourced_part.preps")
    not_openers = word_set("sourced_part.not_openers")
    for k in range(len(tokens) - 2, 0, -1):
        if tokens[k].text != ",":
            continue
        following = tokens[k + 1]
        if following.lower_ in openers or following.tag_ == "VBG" and following.lower_ not in not_openers:
            part = following.idx
        elif following.lower_ in preps and k + 2 < len(tokens):
            part = tokens[k + 2].idx
        else:
            break
        if len(frame.text[part:end].split()) >= 4:
            return part, end
        break
    return start, end


def _without_opening_conjunction(frame: Frame, start: int, end: int) -> tuple[int, int]:
    """``But the goal is …`` → ``the goal is …``: a sentence's linking conjunction is no content."""
    tokens = [t for t in frame.tokens_between(start, end) if not t.is_space]
    if len(tokens) > 3 and tokens[0].pos_ == "CCONJ":
        return tokens[1].idx, end
    return start, end


#: how far up the tree :func:`clause_depth` walks from one token
_MAX_DEPTH_WALK = 50


def clause_depth(token: Token, memo: dict[int, int]) -> int:
    """How many clauses down a token stands: 0 in the main clause (``A said``), 1 in its complement.

    ``memo`` keeps each token's count of clause heads above it, so that the subjects of a long
    sentence cost time linear in its length, not its square.
    """
    path: list[Token] = []
    node = token
    while node.i not in memo and node.head.i != node.i and len(path) < _MAX_DEPTH_WALK:
        path.append(node)
        node = node.head
    above = memo.get(node.i, 0)
    for child in reversed(path):
        head = child.head
        above = min(
            _MAX_DEPTH_WALK, above + (head.pos_ in ("VERB", "AUX") and head.dep_ not in ("aux", "auxpass"))
        )
        memo[child.i] = above
    return max(0, memo.get(token.i, above) - 1)
