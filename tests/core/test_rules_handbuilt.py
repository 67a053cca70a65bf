"""Every engine rule on a hand-built parse: cases a model upgrade cannot move.

Each case is a short invented text with its parse written out token by token (word, head,
dependency, part of speech, tag, lemma, entity), built into a ``Doc`` on ``spacy.blank("en")``
without any trained pipeline, and the quote the rule must find in it. The model-based tests
(``test_extract.py``) check that the trained parser gives such parses; these check the rules
themselves. Every rule id of the registry has a case here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import spacy
from spacy.tokens import Doc

from quotebench.core.engine.extract import extract_quotes
from quotebench.core.engine.lexicons import load_lexicon
from quotebench.core.engine.rules import registered_rules

#: word, head (token index), dependency, part of speech, tag, lemma, entity (IOB)
Token = tuple[str, int, str, str, str, str, str]


@dataclass(frozen=True)
class Case:
    rule: str
    text: str
    tokens: list[Token]
    #: the quote the rule finds: its text, the mention as written, the speaker, the confidence
    expected: tuple[str, str | None, str | None, float]


VOCAB = spacy.blank("en").vocab


def build(case: Case) -> Doc:
    """The case's text as a parsed ``Doc``, from its token table alone."""
    words = [t[0] for t in case.tokens]
    spaces = []
    at = 0
    for i, word in enumerate(words):
        at = case.text.index(word, at) + len(word)
        following = words[i + 1] if i + 1 < len(words) else ""
        spaces.append(case.text[at : at + 1] == " " and not case.text.startswith(following, at))
        at += spaces[-1]
    doc = Doc(
        VOCAB,
        words=words,
        spaces=spaces,
        heads=[t[1] for t in case.tokens],
        deps=[t[2] for t in case.tokens],
        pos=[t[3] for t in case.tokens],
        tags=[t[4] for t in case.tokens],
        lemmas=[t[5] for t in case.tokens],
        ents=[t[6] for t in case.tokens],
    )
    assert doc.text == case.text
    return doc


def _we_will_win(cue: int) -> list[Token]:
    """The tokens of ``: "We will win."`` after a cue at index ``cue``."""
    win = cue + 5
    return [
        (":", cue, "punct", "PUNCT", ":", ":", "O"),
        ('"', win, "punct", "PUNCT", "``", '"', "O"),
        ("We", win, "nsubj", "PRON", "PRP", "we", "O"),
        ("will", win, "aux", "AUX", "MD", "will", "O"),
        ("win", cue, "ccomp", "VERB", "VB", "win", "O"),
        (".", win, "punct", "PUNCT", ".", ".", "O"),
        ('"', win, "punct", "PUNCT", "''", '"', "O"),
    ]


# fmt: off
CASES = [
    Case(
        'direct.x_said_before',
        'Lena Varga said: "We will rebuild the bridge before winter."',
        [
            ('Lena', 1, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 2, 'nsubj', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('said', 2, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
            (':', 2, 'punct', 'PUNCT', ':', ':', 'O'),
            ('"', 2, 'punct', 'PUNCT', '``', '"', 'O'),
            ('We', 7, 'nsubj', 'PRON', 'PRP', 'we', 'O'),
            ('will', 7, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('rebuild', 2, 'ccomp', 'VERB', 'VB', 'rebuild', 'O'),
            ('the', 9, 'det', 'DET', 'DT', 'the', 'O'),
            ('bridge', 7, 'dobj', 'NOUN', 'NN', 'bridge', 'O'),
            ('before', 7, 'prep', 'ADP', 'IN', 'before', 'O'),
            ('winter', 10, 'pobj', 'NOUN', 'NN', 'winter', 'B-DATE'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 2, 'punct', 'PUNCT', "''", '"', 'O'),
        ],
        ('"We will rebuild the bridge before winter."', 'Lena Varga', 'Lena Varga', 0.95),
    ),
    Case(
        'direct.colon_intro',
        'Otto Brandt told the council:\n"We cannot wait another year for the new pier."',
        [
            ('Otto', 1, 'compound', 'PROPN', 'NNP', 'Otto', 'B-PERSON'),
            ('Brandt', 2, 'nsubj', 'PROPN', 'NNP', 'Brandt', 'I-PERSON'),
            ('told', 2, 'ROOT', 'VERB', 'VBD', 'tell', 'O'),
            ('the', 4, 'det', 'DET', 'DT', 'the', 'O'),
            ('council', 2, 'dobj', 'NOUN', 'NN', 'council', 'O'),
            (':', 2, 'punct', 'PUNCT', ':', ':', 'O'),
            ('\n', 5, 'dep', 'SPACE', '_SP', '\n', 'O'),
            ('"', 11, 'punct', 'PUNCT', '``', '"', 'O'),
            ('We', 11, 'nsubj', 'PRON', 'PRP', 'we', 'O'),
            ('can', 11, 'aux', 'AUX', 'MD', 'can', 'O'),
            ('not', 11, 'neg', 'PART', 'RB', 'not', 'O'),
            ('wait', 2, 'ccomp', 'VERB', 'VB', 'wait', 'O'),
            ('another', 13, 'det', 'DET', 'DT', 'another', 'B-DATE'),
            ('year', 11, 'npadvmod', 'NOUN', 'NN', 'year', 'I-DATE'),
            ('for', 11, 'prep', 'ADP', 'IN', 'for', 'O'),
            ('the', 17, 'det', 'DET', 'DT', 'the', 'O'),
            ('new', 17, 'amod', 'ADJ', 'JJ', 'new', 'O'),
            ('pier', 14, 'pobj', 'NOUN', 'NN', 'pier', 'O'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 2, 'punct', 'PUNCT', "''", '"', 'O'),
        ],
        ('"We cannot wait another year for the new pier."', 'Otto Brandt', 'Otto Brandt', 0.75),
    ),
    Case(
        'direct.colon_intro_verb',
        'Mara Linde then listed her demands:\n"Fair pay, safe boats and a harbour that works for everyone."',
        [
            ('Mara', 1, 'compound', 'PROPN', 'NNP', 'Mara', 'B-PERSON'),
            ('Linde', 3, 'nsubj', 'PROPN', 'NNP', 'Linde', 'I-PERSON'),
            ('then', 3, 'advmod', 'ADV', 'RB', 'then', 'O'),
            ('listed', 3, 'ROOT', 'VERB', 'VBD', 'list', 'O'),
            ('her', 5, 'poss', 'PRON', 'PRP$', 'her', 'O'),
            ('demands', 3, 'dobj', 'NOUN', 'NNS', 'demand', 'O'),
            (':', 5, 'punct', 'PUNCT', ':', ':', 'O'),
            ('\n', 6, 'dep', 'SPACE', '_SP', '\n', 'O'),
            ('"', 10, 'punct', 'PUNCT', '``', '"', 'O'),
            ('Fair', 10, 'amod', 'ADJ', 'JJ', 'fair', 'O'),
            ('pay', 5, 'appos', 'NOUN', 'NN', 'pay', 'O'),
            (',', 10, 'punct', 'PUNCT', ',', ',', 'O'),
            ('safe', 13, 'amod', 'ADJ', 'JJ', 'safe', 'O'),
            ('boats', 10, 'conj', 'NOUN', 'NNS', 'boat', 'O'),
            ('and', 13, 'cc', 'CCONJ', 'CC', 'and', 'O'),
            ('a', 16, 'det', 'DET', 'DT', 'a', 'O'),
            ('harbour', 13, 'conj', 'NOUN', 'NN', 'harbour', 'O'),
            ('that', 18, 'nsubj', 'PRON', 'WDT', 'that', 'O'),
            ('works', 16, 'relcl', 'VERB', 'VBZ', 'work', 'O'),
            ('for', 18, 'prep', 'ADP', 'IN', 'for', 'O'),
            ('everyone', 19, 'pobj', 'PRON', 'NN', 'everyone', 'O'),
            ('.', 3, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 3, 'punct', 'PUNCT', "''", '"', 'O'),
        ],
        ('"Fair pay, safe boats and a harbour that works for everyone."', 'Mara Linde', 'Mara Linde', 0.95),
    ),
    Case(
        'direct.colon_label',
        'Mara Linde, Kestrel Courier: "The harbour deserves far better than this plan."',
        [
            ('Mara', 1, 'compound', 'PROPN', 'NNP', 'Mara', 'B-PERSON'),
            ('Linde', 1, 'ROOT', 'PROPN', 'NNP', 'Linde', 'I-PERSON'),
            (',', 1, 'punct', 'PUNCT', ',', ',', 'O'),
            ('Kestrel', 4, 'compound', 'PROPN', 'NNP', 'Kestrel', 'B-PERSON'),
            ('Courier', 1, 'appos', 'PROPN', 'NNP', 'Courier', 'I-PERSON'),
            (':', 1, 'punct', 'PUNCT', ':', ':', 'O'),
            ('"', 1, 'punct', 'PUNCT', '``', '"', 'O'),
            ('The', 8, 'det', 'DET', 'DT', 'the', 'O'),
            ('harbour', 9, 'nsubj', 'NOUN', 'NN', 'harbour', 'O'),
            ('deserves', 1, 'appos', 'VERB', 'VBZ', 'deserve', 'O'),
            ('far', 11, 'advmod', 'ADV', 'RB', 'far', 'O'),
            ('better', 9, 'advmod', 'ADV', 'RBR', 'well', 'O'),
            ('than', 11, 'prep', 'ADP', 'IN', 'than', 'O'),
            ('this', 14, 'det', 'DET', 'DT', 'this', 'O'),
            ('plan', 12, 'pobj', 'NOUN', 'NN', 'plan', 'O'),
            ('.', 9, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 9, 'punct', 'PUNCT', "''", '"', 'O'),
        ],
        (
            '"The harbour deserves far better than this plan."',
            'Mara Linde, Kestrel Courier',
            'Mara Linde',
            0.93,
        ),
    ),
    Case(
        'direct.dash_byline',
        '"We will never give up the harbour." — Ivo Brandt',
        [
            ('"', 4, 'punct', 'PUNCT', '``', '"', 'O'),
            ('We', 4, 'nsubj', 'PRON', 'PRP', 'we', 'O'),
            ('will', 4, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('never', 4, 'neg', 'ADV', 'RB', 'never', 'O'),
            ('give', 4, 'ROOT', 'VERB', 'VB', 'give', 'O'),
            ('up', 4, 'prt', 'ADP', 'RP', 'up', 'O'),
            ('the', 7, 'det', 'DET', 'DT', 'the', 'O'),
            ('harbour', 4, 'dobj', 'NOUN', 'NN', 'harbour', 'O'),
            ('.', 4, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 4, 'punct', 'PUNCT', "''", '"', 'O'),
            ('—', 12, 'punct', 'PUNCT', ':', '—', 'O'),
            ('Ivo', 12, 'compound', 'PROPN', 'NNP', 'Ivo', 'B-PERSON'),
            ('Brandt', 12, 'ROOT', 'PROPN', 'NNP', 'Brandt', 'I-PERSON'),
        ],
        ('"We will never give up the harbour."', 'Ivo Brandt', 'Ivo Brandt', 0.82),
    ),
    Case(
        'reported.headline_colon',
        'Varga: Harbour Plan Will Fail\nThe mayor spoke on Monday.',
        [
            ('Varga', 0, 'ROOT', 'PROPN', 'NNP', 'Varga', 'O'),
            (':', 0, 'punct', 'PUNCT', ':', ':', 'O'),
            ('Harbour', 3, 'compound', 'PROPN', 'NNP', 'Harbour', 'O'),
            ('Plan', 5, 'nsubj', 'PROPN', 'NNP', 'Plan', 'O'),
            ('Will', 5, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('Fail', 0, 'appos', 'VERB', 'VB', 'fail', 'O'),
            ('\n', 5, 'dep', 'SPACE', '_SP', '\n', 'O'),
            ('The', 8, 'det', 'DET', 'DT', 'the', 'O'),
            ('mayor', 9, 'nsubj', 'NOUN', 'NN', 'mayor', 'O'),
            ('spoke', 9, 'ROOT', 'VERB', 'VBD', 'speak', 'O'),
            ('on', 9, 'prep', 'ADP', 'IN', 'on', 'O'),
            ('Monday', 10, 'pobj', 'PROPN', 'NNP', 'Monday', 'B-DATE'),
            ('.', 9, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('Harbour Plan Will Fail', 'Varga', 'Varga', 0.75),
    ),
    Case(
        'direct.said_after',
        '"The bridge will be rebuilt before winter," said Lena Varga.',
        [
            ('"', 10, 'punct', 'PUNCT', '``', '"', 'O'),
            ('The', 2, 'det', 'DET', 'DT', 'the', 'O'),
            ('bridge', 5, 'nsubjpass', 'NOUN', 'NN', 'bridge', 'O'),
            ('will', 5, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('be', 5, 'auxpass', 'AUX', 'VB', 'be', 'O'),
            ('rebuilt', 10, 'ccomp', 'VERB', 'VBN', 'rebuild', 'O'),
            ('before', 5, 'prep', 'ADP', 'IN', 'before', 'O'),
            ('winter', 6, 'pobj', 'NOUN', 'NN', 'winter', 'B-DATE'),
            (',', 10, 'punct', 'PUNCT', ',', ',', 'O'),
            ('"', 10, 'punct', 'PUNCT', "''", '"', 'O'),
            ('said', 10, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
            ('Lena', 12, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 10, 'nsubj', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('.', 10, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('"The bridge will be rebuilt before winter,"', 'Lena Varga', 'Lena Varga', 0.99),
    ),
    Case(
        'direct.x_said_after',
        '"The bridge will be rebuilt before winter," Lena Varga said.',
        [
            ('"', 12, 'punct', 'PUNCT', '``', '"', 'O'),
            ('The', 2, 'det', 'DET', 'DT', 'the', 'O'),
            ('bridge', 5, 'nsubjpass', 'NOUN', 'NN', 'bridge', 'O'),
            ('will', 5, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('be', 5, 'auxpass', 'AUX', 'VB', 'be', 'O'),
            ('rebuilt', 12, 'ccomp', 'VERB', 'VBN', 'rebuild', 'O'),
            ('before', 5, 'prep', 'ADP', 'IN', 'before', 'O'),
            ('winter', 6, 'pobj', 'NOUN', 'NN', 'winter', 'B-DATE'),
            (',', 12, 'punct', 'PUNCT', ',', ',', 'O'),
            ('"', 12, 'punct', 'PUNCT', "''", '"', 'O'),
            ('Lena', 11, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 12, 'nsubj', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('said', 12, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
            ('.', 12, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('"The bridge will be rebuilt before winter,"', 'Lena Varga', 'Lena Varga', 0.98),
    ),
    Case(
        # the parser hung the speaker on the quote and left the cue without a subject
        'direct.x_said_after',
        '"We were rivals," Ana Ruiz, a former aide, said.',
        [
            ('"', 13, 'punct', 'PUNCT', '``', '"', 'O'),
            ('We', 2, 'nsubj', 'PRON', 'PRP', 'we', 'O'),
            ('were', 13, 'ccomp', 'AUX', 'VBD', 'be', 'O'),
            ('rivals', 2, 'attr', 'NOUN', 'NNS', 'rival', 'O'),
            (',', 3, 'punct', 'PUNCT', ',', ',', 'O'),
            ('"', 3, 'punct', 'PUNCT', "''", '"', 'O'),
            ('Ana', 7, 'compound', 'PROPN', 'NNP', 'Ana', 'B-PERSON'),
            ('Ruiz', 3, 'appos', 'PROPN', 'NNP', 'Ruiz', 'I-PERSON'),
            (',', 7, 'punct', 'PUNCT', ',', ',', 'O'),
            ('a', 11, 'det', 'DET', 'DT', 'a', 'O'),
            ('former', 11, 'amod', 'ADJ', 'JJ', 'former', 'O'),
            ('aide', 7, 'appos', 'NOUN', 'NN', 'aide', 'O'),
            (',', 13, 'punct', 'PUNCT', ',', ',', 'O'),
            ('said', 13, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
            ('.', 13, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('"We were rivals,"', 'Ana Ruiz, a former aide', 'Ana Ruiz', 0.98),
    ),
    Case(
        # a verb of telling without a subject: the name after it is the addressee, not the speaker
        'direct.x_said_after',
        '"We will win," Ana Ruiz tells Reuters.',
        [
            ('"', 8, 'punct', 'PUNCT', '``', '"', 'O'),
            ('We', 3, 'nsubj', 'PRON', 'PRP', 'we', 'O'),
            ('will', 3, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('win', 8, 'ccomp', 'VERB', 'VB', 'win', 'O'),
            (',', 3, 'punct', 'PUNCT', ',', ',', 'O'),
            ('"', 3, 'punct', 'PUNCT', "''", '"', 'O'),
            ('Ana', 7, 'compound', 'PROPN', 'NNP', 'Ana', 'B-PERSON'),
            ('Ruiz', 3, 'npadvmod', 'PROPN', 'NNP', 'Ruiz', 'I-PERSON'),
            ('tells', 8, 'ROOT', 'VERB', 'VBZ', 'tell', 'O'),
            ('Reuters', 8, 'dobj', 'PROPN', 'NNP', 'Reuters', 'B-ORG'),
            ('.', 8, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('"We will win,"', 'Ana Ruiz', 'Ana Ruiz', 0.98),
    ),
    Case(
        'direct.according_to',
        'According to Otto Brandt, "the pier was never inspected after the storm."',
        [
            ('According', 10, 'prep', 'VERB', 'VBG', 'accord', 'O'),
            ('to', 0, 'prep', 'ADP', 'IN', 'to', 'O'),
            ('Otto', 3, 'compound', 'PROPN', 'NNP', 'Otto', 'B-PERSON'),
            ('Brandt', 1, 'pobj', 'PROPN', 'NNP', 'Brandt', 'I-PERSON'),
            (',', 10, 'punct', 'PUNCT', ',', ',', 'O'),
            ('"', 10, 'punct', 'PUNCT', '``', '"', 'O'),
            ('the', 7, 'det', 'DET', 'DT', 'the', 'O'),
            ('pier', 10, 'nsubjpass', 'NOUN', 'NN', 'pier', 'O'),
            ('was', 10, 'auxpass', 'AUX', 'VBD', 'be', 'O'),
            ('never', 10, 'neg', 'ADV', 'RB', 'never', 'O'),
            ('inspected', 10, 'ROOT', 'VERB', 'VBN', 'inspect', 'O'),
            ('after', 10, 'prep', 'ADP', 'IN', 'after', 'O'),
            ('the', 13, 'det', 'DET', 'DT', 'the', 'O'),
            ('storm', 11, 'pobj', 'NOUN', 'NN', 'storm', 'O'),
            ('.', 10, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 10, 'punct', 'PUNCT', "''", '"', 'O'),
        ],
        ('"the pier was never inspected after the storm."', 'Otto Brandt', 'Otto Brandt', 0.57),
    ),
    Case(
        'direct.continued_paragraph',
        'Lena Varga said: "We will rebuild the bridge before winter."\n"Nobody will be left behind."',
        [
            ('Lena', 1, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 2, 'nsubj', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('said', 2, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
            (':', 2, 'punct', 'PUNCT', ':', ':', 'O'),
            ('"', 2, 'punct', 'PUNCT', '``', '"', 'O'),
            ('We', 7, 'nsubj', 'PRON', 'PRP', 'we', 'O'),
            ('will', 7, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('rebuild', 2, 'ccomp', 'VERB', 'VB', 'rebuild', 'O'),
            ('the', 9, 'det', 'DET', 'DT', 'the', 'O'),
            ('bridge', 7, 'dobj', 'NOUN', 'NN', 'bridge', 'O'),
            ('before', 7, 'prep', 'ADP', 'IN', 'before', 'O'),
            ('winter', 10, 'pobj', 'NOUN', 'NN', 'winter', 'B-DATE'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 19, 'punct', 'PUNCT', '``', '"', 'O'),
            ('\n', 13, 'dep', 'SPACE', '_SP', '\n', 'O'),
            ('"', 19, 'punct', 'PUNCT', '``', '"', 'O'),
            ('Nobody', 19, 'nsubjpass', 'PRON', 'NN', 'nobody', 'O'),
            ('will', 19, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('be', 19, 'auxpass', 'AUX', 'VB', 'be', 'O'),
            ('left', 19, 'ROOT', 'VERB', 'VBN', 'leave', 'O'),
            ('behind', 19, 'advmod', 'ADV', 'RB', 'behind', 'O'),
            ('.', 19, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 19, 'punct', 'PUNCT', "''", '"', 'O'),
        ],
        ('"Nobody will be left behind."', 'Lena Varga', 'Lena Varga', 0.7),
    ),
    Case(
        'direct.previous_subject',
        'Lena Varga stood on the pier for an hour. "We will rebuild every house on this street."',
        [
            ('Lena', 1, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 2, 'nsubj', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('stood', 2, 'ROOT', 'VERB', 'VBD', 'stand', 'O'),
            ('on', 2, 'prep', 'ADP', 'IN', 'on', 'O'),
            ('the', 5, 'det', 'DET', 'DT', 'the', 'O'),
            ('pier', 3, 'pobj', 'NOUN', 'NN', 'pier', 'O'),
            ('for', 2, 'prep', 'ADP', 'IN', 'for', 'O'),
            ('an', 8, 'det', 'DET', 'DT', 'an', 'B-TIME'),
            ('hour', 6, 'pobj', 'NOUN', 'NN', 'hour', 'I-TIME'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 13, 'punct', 'PUNCT', '``', '"', 'O'),
            ('We', 13, 'nsubj', 'PRON', 'PRP', 'we', 'O'),
            ('will', 13, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('rebuild', 13, 'ROOT', 'VERB', 'VB', 'rebuild', 'O'),
            ('every', 15, 'det', 'DET', 'DT', 'every', 'O'),
            ('house', 13, 'dobj', 'NOUN', 'NN', 'house', 'O'),
            ('on', 13, 'prep', 'ADP', 'IN', 'on', 'O'),
            ('this', 18, 'det', 'DET', 'DT', 'this', 'O'),
            ('street', 16, 'pobj', 'NOUN', 'NN', 'street', 'O'),
            ('.', 13, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 13, 'punct', 'PUNCT', "''", '"', 'O'),
        ],
        ('"We will rebuild every house on this street."', 'Lena Varga', 'Lena Varga', 0.76),
    ),
    Case(
        'direct.unattributed',
        'The storm passed at dawn. "We will rebuild every house on this street."',
        [
            ('The', 1, 'det', 'DET', 'DT', 'the', 'O'),
            ('storm', 2, 'nsubj', 'NOUN', 'NN', 'storm', 'O'),
            ('passed', 2, 'ROOT', 'VERB', 'VBD', 'pass', 'O'),
            ('at', 2, 'prep', 'ADP', 'IN', 'at', 'O'),
            ('dawn', 3, 'pobj', 'NOUN', 'NN', 'dawn', 'B-TIME'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 9, 'punct', 'PUNCT', '``', '"', 'O'),
            ('We', 9, 'nsubj', 'PRON', 'PRP', 'we', 'O'),
            ('will', 9, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('rebuild', 9, 'ROOT', 'VERB', 'VB', 'rebuild', 'O'),
            ('every', 11, 'det', 'DET', 'DT', 'every', 'O'),
            ('house', 9, 'dobj', 'NOUN', 'NN', 'house', 'O'),
            ('on', 9, 'prep', 'ADP', 'IN', 'on', 'O'),
            ('this', 14, 'det', 'DET', 'DT', 'this', 'O'),
            ('street', 12, 'pobj', 'NOUN', 'NN', 'street', 'O'),
            ('.', 9, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 9, 'punct', 'PUNCT', "''", '"', 'O'),
        ],
        ('"We will rebuild every house on this street."', None, None, 0.82),
    ),
    Case(
        'reported.complement',
        'Lena Varga said that the bridge would reopen in May.',
        [
            ('Lena', 1, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 2, 'nsubj', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('said', 2, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
            ('that', 7, 'mark', 'SCONJ', 'IN', 'that', 'O'),
            ('the', 5, 'det', 'DET', 'DT', 'the', 'O'),
            ('bridge', 7, 'nsubj', 'NOUN', 'NN', 'bridge', 'O'),
            ('would', 7, 'aux', 'AUX', 'MD', 'would', 'O'),
            ('reopen', 2, 'ccomp', 'VERB', 'VB', 'reopen', 'O'),
            ('in', 7, 'prep', 'ADP', 'IN', 'in', 'O'),
            ('May', 8, 'pobj', 'PROPN', 'NNP', 'May', 'B-DATE'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ("that the bridge would reopen in May", 'Lena Varga', 'Lena Varga', 0.87),
    ),
    Case(
        'reported.complement',
        'Lena Varga said in a statement that the bridge would reopen in May.',
        [
            ('Lena', 1, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 2, 'nsubj', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('said', 2, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
            ('in', 2, 'prep', 'ADP', 'IN', 'in', 'O'),
            ('a', 5, 'det', 'DET', 'DT', 'a', 'O'),
            ('statement', 3, 'pobj', 'NOUN', 'NN', 'statement', 'O'),
            ('that', 10, 'mark', 'SCONJ', 'IN', 'that', 'O'),
            ('the', 8, 'det', 'DET', 'DT', 'the', 'O'),
            ('bridge', 10, 'nsubj', 'NOUN', 'NN', 'bridge', 'O'),
            ('would', 10, 'aux', 'AUX', 'MD', 'would', 'O'),
            ('reopen', 5, 'acl', 'VERB', 'VB', 'reopen', 'O'),
            ('in', 10, 'prep', 'ADP', 'IN', 'in', 'O'),
            ('May', 11, 'pobj', 'PROPN', 'NNP', 'May', 'B-DATE'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ("that the bridge would reopen in May", 'Lena Varga', 'Lena Varga', 0.87),
    ),
    Case(
        'reported.clause_then_cue',
        'The bridge will reopen in May, a council official said.',
        [
            ('The', 1, 'det', 'DET', 'DT', 'the', 'O'),
            ('bridge', 3, 'nsubj', 'NOUN', 'NN', 'bridge', 'O'),
            ('will', 3, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('reopen', 10, 'ccomp', 'VERB', 'VB', 'reopen', 'O'),
            ('in', 3, 'prep', 'ADP', 'IN', 'in', 'O'),
            ('May', 4, 'pobj', 'PROPN', 'NNP', 'May', 'B-DATE'),
            (',', 10, 'punct', 'PUNCT', ',', ',', 'O'),
            ('a', 9, 'det', 'DET', 'DT', 'a', 'O'),
            ('council', 9, 'compound', 'NOUN', 'NN', 'council', 'O'),
            ('official', 10, 'nsubj', 'NOUN', 'NN', 'official', 'O'),
            ('said', 10, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
            ('.', 10, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('The bridge will reopen in May', 'a council official', 'a council official', 0.9),
    ),
    Case(
        'reported.object_control',
        'Lena Varga urged residents to stay away from the pier.',
        [
            ('Lena', 1, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 2, 'nsubj', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('urged', 2, 'ROOT', 'VERB', 'VBD', 'urge', 'O'),
            ('residents', 2, 'dobj', 'NOUN', 'NNS', 'resident', 'O'),
            ('to', 5, 'aux', 'PART', 'TO', 'to', 'O'),
            ('stay', 2, 'xcomp', 'VERB', 'VB', 'stay', 'O'),
            ('away', 5, 'advmod', 'ADV', 'RB', 'away', 'O'),
            ('from', 6, 'prep', 'ADP', 'IN', 'from', 'O'),
            ('the', 9, 'det', 'DET', 'DT', 'the', 'O'),
            ('pier', 7, 'pobj', 'NOUN', 'NN', 'pier', 'O'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('residents to stay away from the pier', 'Lena Varga', 'Lena Varga', 0.82),
    ),
    Case(
        'direct.quote_then_cue',
        '"It seems very unlikely to me at this point" that Ruiz can win, said Ana Ode.',
        [
            ('"', 2, 'punct', 'PUNCT', '``', '"', 'O'),
            ('It', 2, 'nsubj', 'PRON', 'PRP', 'it', 'O'),
            ('seems', 16, 'ccomp', 'VERB', 'VBZ', 'seem', 'O'),
            ('very', 4, 'advmod', 'ADV', 'RB', 'very', 'O'),
            ('unlikely', 2, 'oprd', 'ADJ', 'JJ', 'unlikely', 'O'),
            ('to', 4, 'prep', 'ADP', 'IN', 'to', 'O'),
            ('me', 5, 'pobj', 'PRON', 'PRP', 'I', 'O'),
            ('at', 2, 'prep', 'ADP', 'IN', 'at', 'O'),
            ('this', 9, 'det', 'DET', 'DT', 'this', 'O'),
            ('point', 7, 'pobj', 'NOUN', 'NN', 'point', 'O'),
            ('"', 2, 'punct', 'PUNCT', "''", '"', 'O'),
            ('that', 14, 'mark', 'SCONJ', 'IN', 'that', 'O'),
            ('Ruiz', 14, 'nsubj', 'PROPN', 'NNP', 'Ruiz', 'B-PERSON'),
            ('can', 14, 'aux', 'AUX', 'MD', 'can', 'O'),
            ('win', 2, 'ccomp', 'VERB', 'VB', 'win', 'O'),
            (',', 16, 'punct', 'PUNCT', ',', ',', 'O'),
            ('said', 16, 'ROOT', 'VERB', 'VBD', 'say', 'O'),
            ('Ana', 18, 'compound', 'PROPN', 'NNP', 'Ana', 'B-PERSON'),
            ('Ode', 16, 'nsubj', 'PROPN', 'NNP', 'Ode', 'I-PERSON'),
            ('.', 16, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('"It seems very unlikely to me at this point"', 'Ana Ode', 'Ana Ode', 0.73),
    ),
    Case(
        'reported.unnamed_source',
        'Lena Varga was asked whether the pier would reopen.',
        [
            ('Lena', 1, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 3, 'nsubjpass', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('was', 3, 'auxpass', 'AUX', 'VBD', 'be', 'O'),
            ('asked', 3, 'ROOT', 'VERB', 'VBN', 'ask', 'O'),
            ('whether', 8, 'mark', 'SCONJ', 'IN', 'whether', 'O'),
            ('the', 6, 'det', 'DET', 'DT', 'the', 'O'),
            ('pier', 8, 'nsubj', 'NOUN', 'NN', 'pier', 'O'),
            ('would', 8, 'aux', 'AUX', 'MD', 'would', 'O'),
            ('reopen', 3, 'ccomp', 'VERB', 'VB', 'reopen', 'O'),
            ('.', 3, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('whether the pier would reopen', None, None, 0.72),
    ),
    Case(
        'reported.to_clause',
        'Lena Varga vowed to rebuild the pier.',
        [
            ('Lena', 1, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 2, 'nsubj', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('vowed', 2, 'ROOT', 'VERB', 'VBD', 'vow', 'O'),
            ('to', 4, 'aux', 'PART', 'TO', 'to', 'O'),
            ('rebuild', 2, 'xcomp', 'VERB', 'VB', 'rebuild', 'O'),
            ('the', 6, 'det', 'DET', 'DT', 'the', 'O'),
            ('pier', 4, 'dobj', 'NOUN', 'NN', 'pier', 'O'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('to rebuild the pier', 'Lena Varga', 'Lena Varga', 0.75),
    ),
    Case(
        'reported.topic',
        'Otto Brandt talked about the future of the harbour.',
        [
            ('Otto', 1, 'compound', 'PROPN', 'NNP', 'Otto', 'B-PERSON'),
            ('Brandt', 2, 'nsubj', 'PROPN', 'NNP', 'Brandt', 'I-PERSON'),
            ('talked', 2, 'ROOT', 'VERB', 'VBD', 'talk', 'O'),
            ('about', 2, 'prep', 'ADP', 'IN', 'about', 'O'),
            ('the', 5, 'det', 'DET', 'DT', 'the', 'O'),
            ('future', 3, 'pobj', 'NOUN', 'NN', 'future', 'O'),
            ('of', 5, 'prep', 'ADP', 'IN', 'of', 'O'),
            ('the', 8, 'det', 'DET', 'DT', 'the', 'O'),
            ('harbour', 6, 'pobj', 'NOUN', 'NN', 'harbour', 'O'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('the future of the harbour', 'Otto Brandt', 'Otto Brandt', 0.51),
    ),
    Case(
        'reported.object',
        'Mara Linde praised the plan as a bold step.',
        [
            ('Mara', 1, 'compound', 'PROPN', 'NNP', 'Mara', 'B-PERSON'),
            ('Linde', 2, 'nsubj', 'PROPN', 'NNP', 'Linde', 'I-PERSON'),
            ('praised', 2, 'ROOT', 'VERB', 'VBD', 'praise', 'O'),
            ('the', 4, 'det', 'DET', 'DT', 'the', 'O'),
            ('plan', 2, 'dobj', 'NOUN', 'NN', 'plan', 'O'),
            ('as', 2, 'prep', 'ADP', 'IN', 'as', 'O'),
            ('a', 8, 'det', 'DET', 'DT', 'a', 'O'),
            ('bold', 8, 'amod', 'ADJ', 'JJ', 'bold', 'O'),
            ('step', 5, 'pobj', 'NOUN', 'NN', 'step', 'O'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('the plan as a bold step', 'Mara Linde', 'Mara Linde', 0.75),  # a person's verdict
    ),
    Case(
        'reported.evidence',
        'Polls show Ruiz up by ten points.',
        [
            ('Polls', 1, 'nsubj', 'NOUN', 'NNS', 'poll', 'O'),
            ('show', 1, 'ROOT', 'VERB', 'VBP', 'show', 'O'),
            ('Ruiz', 1, 'dobj', 'PROPN', 'NNP', 'Ruiz', 'B-PERSON'),
            ('up', 1, 'advmod', 'ADV', 'RB', 'up', 'O'),
            ('by', 3, 'prep', 'ADP', 'IN', 'by', 'O'),
            ('ten', 6, 'nummod', 'NUM', 'CD', 'ten', 'O'),
            ('points', 4, 'pobj', 'NOUN', 'NNS', 'point', 'O'),
            ('.', 1, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('Ruiz up by ten points', 'Polls', 'Polls', 0.79),
    ),
    Case(
        'reported.naming',
        'Mara Linde called the levy "a slow tax."',
        [
            ('Mara', 1, 'compound', 'PROPN', 'NNP', 'Mara', 'B-PERSON'),
            ('Linde', 2, 'nsubj', 'PROPN', 'NNP', 'Linde', 'I-PERSON'),
            ('called', 2, 'ROOT', 'VERB', 'VBD', 'call', 'O'),
            ('the', 4, 'det', 'DET', 'DT', 'the', 'O'),
            ('levy', 2, 'dobj', 'NOUN', 'NN', 'levy', 'O'),
            ('"', 9, 'punct', 'PUNCT', '``', '"', 'O'),
            ('a', 9, 'det', 'DET', 'DT', 'a', 'O'),
            ('slow', 9, 'amod', 'ADJ', 'JJ', 'slow', 'O'),
            ('tax', 2, 'oprd', 'NOUN', 'NN', 'tax', 'O'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
            ('"', 2, 'punct', 'PUNCT', "''", '"', 'O'),
        ],
        ('the levy "a slow tax."', 'Mara Linde', 'Mara Linde', 0.88),
    ),
    Case(
        'reported.tell_object',
        'Otto Brandt told lawmakers Freedonia risks losing its fishing fleet.',
        [
            ('Otto', 1, 'compound', 'PROPN', 'NNP', 'Otto', 'B-PERSON'),
            ('Brandt', 2, 'nsubj', 'PROPN', 'NNP', 'Brandt', 'I-PERSON'),
            ('told', 2, 'ROOT', 'VERB', 'VBD', 'tell', 'O'),
            ('lawmakers', 5, 'compound', 'NOUN', 'NNS', 'lawmaker', 'O'),
            ('Freedonia', 5, 'compound', 'PROPN', 'NNP', 'Freedonia', 'B-GPE'),
            # the misreading the rule is for: the clause as one long object of "told"
            ('risks', 2, 'dobj', 'NOUN', 'NNS', 'risk', 'O'),
            ('losing', 5, 'acl', 'VERB', 'VBG', 'lose', 'O'),
            ('its', 9, 'poss', 'PRON', 'PRP$', 'its', 'O'),
            ('fishing', 9, 'compound', 'NOUN', 'NN', 'fishing', 'O'),
            ('fleet', 6, 'dobj', 'NOUN', 'NN', 'fleet', 'O'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('Freedonia risks losing its fishing fleet', 'Otto Brandt', 'Otto Brandt', 0.75),
    ),
    Case(
        'reported.parenthetical',
        'The bridge, Lena Varga said, will reopen in May.',
        [
            ('The', 1, 'det', 'DET', 'DT', 'the', 'O'),
            ('bridge', 8, 'nsubj', 'NOUN', 'NN', 'bridge', 'O'),
            (',', 5, 'punct', 'PUNCT', ',', ',', 'O'),
            ('Lena', 4, 'compound', 'PROPN', 'NNP', 'Lena', 'B-PERSON'),
            ('Varga', 5, 'nsubj', 'PROPN', 'NNP', 'Varga', 'I-PERSON'),
            ('said', 8, 'parataxis', 'VERB', 'VBD', 'say', 'O'),
            (',', 5, 'punct', 'PUNCT', ',', ',', 'O'),
            ('will', 8, 'aux', 'AUX', 'MD', 'will', 'O'),
            ('reopen', 8, 'ROOT', 'VERB', 'VB', 'reopen', 'O'),
            ('in', 8, 'prep', 'ADP', 'IN', 'in', 'O'),
            ('May', 9, 'pobj', 'PROPN', 'NNP', 'May', 'B-DATE'),
            ('.', 8, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('will reopen in May', 'Lena Varga', 'Lena Varga', 0.86),
    ),
    Case(
        'reported.according_to',
        'According to Otto Brandt, the pier was never inspected after the storm.',
        [
            ('According', 9, 'prep', 'VERB', 'VBG', 'accord', 'O'),
            ('to', 0, 'prep', 'ADP', 'IN', 'to', 'O'),
            ('Otto', 3, 'compound', 'PROPN', 'NNP', 'Otto', 'B-PERSON'),
            ('Brandt', 1, 'pobj', 'PROPN', 'NNP', 'Brandt', 'I-PERSON'),
            (',', 9, 'punct', 'PUNCT', ',', ',', 'O'),
            ('the', 6, 'det', 'DET', 'DT', 'the', 'O'),
            ('pier', 9, 'nsubjpass', 'NOUN', 'NN', 'pier', 'O'),
            ('was', 9, 'auxpass', 'AUX', 'VBD', 'be', 'O'),
            ('never', 9, 'neg', 'ADV', 'RB', 'never', 'O'),
            ('inspected', 9, 'ROOT', 'VERB', 'VBN', 'inspect', 'O'),
            ('after', 9, 'prep', 'ADP', 'IN', 'after', 'O'),
            ('the', 12, 'det', 'DET', 'DT', 'the', 'O'),
            ('storm', 10, 'pobj', 'NOUN', 'NN', 'storm', 'O'),
            ('.', 9, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('the pier was never inspected after the storm', 'Otto Brandt', 'Otto Brandt', 0.91),
    ),
    Case(
        'mixed.quoted_words',
        'Mara Linde saw the plan as "a slow disaster" for the harbour.',
        [
            ('Mara', 1, 'compound', 'PROPN', 'NNP', 'Mara', 'B-PERSON'),
            ('Linde', 2, 'nsubj', 'PROPN', 'NNP', 'Linde', 'I-PERSON'),
            ('saw', 2, 'ROOT', 'VERB', 'VBD', 'see', 'O'),
            ('the', 4, 'det', 'DET', 'DT', 'the', 'O'),
            ('plan', 2, 'dobj', 'NOUN', 'NN', 'plan', 'O'),
            ('as', 2, 'prep', 'ADP', 'IN', 'as', 'O'),
            ('"', 5, 'punct', 'PUNCT', '``', '"', 'O'),
            ('a', 9, 'det', 'DET', 'DT', 'a', 'O'),
            ('slow', 9, 'amod', 'ADJ', 'JJ', 'slow', 'O'),
            ('disaster', 5, 'pobj', 'NOUN', 'NN', 'disaster', 'O'),
            ('"', 9, 'punct', 'PUNCT', "''", '"', 'O'),
            ('for', 9, 'prep', 'ADP', 'IN', 'for', 'O'),
            ('the', 13, 'det', 'DET', 'DT', 'the', 'O'),
            ('harbour', 11, 'pobj', 'NOUN', 'NN', 'harbour', 'O'),
            ('.', 2, 'punct', 'PUNCT', '.', '.', 'O'),
        ],
        ('the plan as "a slow disaster" for the harbour', 'Mara Linde', 'Mara Linde', 0.65),
    ),

]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{i}" for i, c in enumerate(CASES)])
def test_rule_on_a_hand_built_parse(case: Case) -> None:
    quotes = extract_quotes(build(case), min_confidence=0.0)
    found = [
        (q.text, q.mention.text if q.mention else None, q.speaker, q.confidence)
        for q in quotes
        if q.evidence.rule == case.rule
    ]
    assert found == [case.expected]
    assert all(q.evidence.rule in registered_rules() for q in quotes)


def test_every_registered_rule_has_a_hand_built_case() -> None:
    assert {c.rule for c in CASES} == set(registered_rules())


def test_every_registered_rule_has_a_confidence_and_no_other_does() -> None:
    assert set(load_lexicon("confidences")["rules"]) == set(registered_rules())


def test_a_cue_framing_a_direct_quote_reports_nothing_else() -> None:
    # the parser read the speaker after the cue as the subject of a clause the cue governs
    case = Case(
        "direct.said_after",
        '"We are closing," said the woman, who like many did not want to be named.',
        [
            ('"', 6, "punct", "PUNCT", "``", '"', "O"),
            ("We", 3, "nsubj", "PRON", "PRP", "we", "O"),
            ("are", 3, "aux", "AUX", "VBP", "be", "O"),
            ("closing", 6, "ccomp", "VERB", "VBG", "close", "O"),
            (",", 6, "punct", "PUNCT", ",", ",", "O"),
            ('"', 6, "punct", "PUNCT", "''", '"', "O"),
            ("said", 6, "ROOT", "VERB", "VBD", "say", "O"),
            ("the", 8, "det", "DET", "DT", "the", "O"),
            ("woman", 15, "nsubj", "NOUN", "NN", "woman", "O"),
            (",", 8, "punct", "PUNCT", ",", ",", "O"),
            ("who", 11, "nsubj", "PRON", "WP", "who", "O"),
            ("like", 8, "relcl", "VERB", "VBP", "like", "O"),
            ("many", 11, "dobj", "ADJ", "JJ", "many", "O"),
            ("did", 15, "aux", "AUX", "VBD", "do", "O"),
            ("not", 15, "neg", "PART", "RB", "not", "O"),
            ("want", 6, "ccomp", "VERB", "VB", "want", "O"),
            ("to", 18, "aux", "PART", "TO", "to", "O"),
            ("be", 18, "auxpass", "AUX", "VB", "be", "O"),
            ("named", 15, "xcomp", "VERB", "VBN", "name", "O"),
            (".", 6, "punct", "PUNCT", ".", ".", "O"),
        ],
        ('"We are closing,"', "the woman", "the woman", 0.99),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    assert [(q.text, q.mention.text if q.mention else None, q.evidence.rule) for q in quotes] == [
        ('"We are closing,"', "the woman", "direct.said_after")
    ]


def test_a_surname_tagged_a_place_is_still_the_persons_antecedent() -> None:
    # "Brandt" was named in full before; the recogniser calls the bare surname a place
    case = Case(
        "direct.x_said_before",
        'Anton Brandt took questions. The man asked about jobs. Brandt thanked him. He said: "We will win."',
        [
            ("Anton", 1, "compound", "PROPN", "NNP", "Anton", "B-PERSON"),
            ("Brandt", 2, "nsubj", "PROPN", "NNP", "Brandt", "I-PERSON"),
            ("took", 2, "ROOT", "VERB", "VBD", "take", "O"),
            ("questions", 2, "dobj", "NOUN", "NNS", "question", "O"),
            (".", 2, "punct", "PUNCT", ".", ".", "O"),
            ("The", 6, "det", "DET", "DT", "the", "O"),
            ("man", 7, "nsubj", "NOUN", "NN", "man", "O"),
            ("asked", 7, "ROOT", "VERB", "VBD", "ask", "O"),
            ("about", 7, "prep", "ADP", "IN", "about", "O"),
            ("jobs", 8, "pobj", "NOUN", "NNS", "job", "O"),
            (".", 7, "punct", "PUNCT", ".", ".", "O"),
            ("Brandt", 12, "nsubj", "PROPN", "NNP", "Brandt", "B-GPE"),
            ("thanked", 12, "ROOT", "VERB", "VBD", "thank", "O"),
            ("him", 12, "dobj", "PRON", "PRP", "he", "O"),
            (".", 12, "punct", "PUNCT", ".", ".", "O"),
            ("He", 16, "nsubj", "PRON", "PRP", "he", "O"),
            ("said", 16, "ROOT", "VERB", "VBD", "say", "O"),
            *_we_will_win(cue=16),
        ],
        ('"We will win."', "He", "Anton Brandt", 0.95),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    found = [
        (q.text, q.mention.text if q.mention else None, q.speaker) for q in quotes if q.kind.value == "direct"
    ]
    assert found == [('"We will win."', "He", "Anton Brandt")]


def _he_said_after(misread: list[Token]) -> list[Token]:
    """``Anton Brandt spoke. Ida Roos left. <misread sentence>. He said: "We will win."``"""
    return [
        ("Anton", 1, "compound", "PROPN", "NNP", "Anton", "B-PERSON"),
        ("Brandt", 2, "nsubj", "PROPN", "NNP", "Brandt", "I-PERSON"),
        ("spoke", 2, "ROOT", "VERB", "VBD", "speak", "O"),
        (".", 2, "punct", "PUNCT", ".", ".", "O"),
        ("Ida", 5, "compound", "PROPN", "NNP", "Ida", "B-PERSON"),
        ("Roos", 6, "nsubj", "PROPN", "NNP", "Roos", "I-PERSON"),
        ("left", 6, "ROOT", "VERB", "VBD", "leave", "O"),
        (".", 6, "punct", "PUNCT", ".", ".", "O"),
        *misread,
        ("He", 12, "nsubj", "PRON", "PRP", "he", "O"),
        ("said", 12, "ROOT", "VERB", "VBD", "say", "O"),
        *_we_will_win(cue=12),
    ]


@pytest.mark.parametrize(
    "misread",
    [
        pytest.param(
            [
                ("Brandt", 9, "compound", "PROPN", "NNP", "Brandt", "O"),
                ("bristles", 9, "ROOT", "VERB", "VBZ", "bristle", "O"),
                (".", 9, "punct", "PUNCT", ".", ".", "O"),
            ],
            id="subject-hung-on-the-verb-as-a-compound",
        ),
        pytest.param(
            [
                ("Brandt", 9, "amod", "ADJ", "JJ", "Brandt", "O"),
                ("bristles", 9, "ROOT", "VERB", "VBZ", "bristle", "O"),
                (".", 9, "punct", "PUNCT", ".", ".", "O"),
            ],
            id="surname-tagged-an-adjective",
        ),
    ],
)
def test_a_misparsed_surname_still_antecedes_the_pronoun(misread: list[Token]) -> None:
    case = Case(
        "direct.x_said_before",
        'Anton Brandt spoke. Ida Roos left. Brandt bristles. He said: "We will win."',
        _he_said_after(misread),
        ('"We will win."', "He", "Anton Brandt", 0.95),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    assert [(q.text, q.speaker) for q in quotes] == [('"We will win."', "Anton Brandt")]


def test_given_names_the_recogniser_left_out_belong_to_the_name() -> None:
    case = Case(
        "direct.x_said_before",
        'Councillor Priya Malhotra said: "We will win."',
        [
            ("Councillor", 2, "compound", "PROPN", "NNP", "Councillor", "O"),
            ("Priya", 2, "compound", "PROPN", "NNP", "Priya", "O"),
            ("Malhotra", 3, "nsubj", "PROPN", "NNP", "Malhotra", "B-PERSON"),
            ("said", 3, "ROOT", "VERB", "VBD", "say", "O"),
            *_we_will_win(cue=3),
        ],
        ('"We will win."', "Councillor Priya Malhotra", "Priya Malhotra", 0.95),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    assert [(q.mention.text if q.mention else None, q.speaker) for q in quotes] == [
        ("Councillor Priya Malhotra", "Priya Malhotra")
    ]


def test_a_that_clause_misread_as_a_relative_clause_is_what_was_told() -> None:
    case = Case(
        "reported.complement",
        "Ana Ruiz told the panel that pumps were coming.",
        [
            ("Ana", 1, "compound", "PROPN", "NNP", "Ana", "B-PERSON"),
            ("Ruiz", 2, "nsubj", "PROPN", "NNP", "Ruiz", "I-PERSON"),
            ("told", 2, "ROOT", "VERB", "VBD", "tell", "O"),
            ("the", 4, "det", "DET", "DT", "the", "O"),
            ("panel", 2, "dobj", "NOUN", "NN", "panel", "O"),
            ("that", 8, "mark", "SCONJ", "IN", "that", "O"),
            ("pumps", 8, "nsubj", "NOUN", "NNS", "pump", "O"),
            ("were", 8, "aux", "AUX", "VBD", "be", "O"),
            ("coming", 4, "relcl", "VERB", "VBG", "come", "O"),
            (".", 2, "punct", "PUNCT", ".", ".", "O"),
        ],
        ("that pumps were coming", "Ana Ruiz", "Ana Ruiz", 0.87),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    assert [(q.text, q.evidence.rule) for q in quotes] == [("that pumps were coming", "reported.complement")]


def test_a_role_word_the_recogniser_took_into_a_name_is_no_part_of_it() -> None:
    case = Case(
        "direct.x_said_before",
        'Superintendent Mark Olsen said: "We will win."',
        [
            ("Superintendent", 2, "compound", "PROPN", "NNP", "Superintendent", "B-PERSON"),
            ("Mark", 2, "compound", "PROPN", "NNP", "Mark", "I-PERSON"),
            ("Olsen", 3, "nsubj", "PROPN", "NNP", "Olsen", "I-PERSON"),
            ("said", 3, "ROOT", "VERB", "VBD", "say", "O"),
            *_we_will_win(cue=3),
        ],
        ('"We will win."', "Superintendent Mark Olsen", "Mark Olsen", 0.95),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    assert [q.speaker for q in quotes] == ["Mark Olsen"]


def test_a_name_after_a_title_is_a_person_the_recogniser_missed() -> None:
    case = Case(
        "direct.x_said_before",
        'Mayor Ana Ruiz toured the site. Ruiz said: "We will win."',
        [
            ("Mayor", 2, "compound", "PROPN", "NNP", "Mayor", "O"),
            ("Ana", 2, "compound", "PROPN", "NNP", "Ana", "O"),
            ("Ruiz", 3, "nsubj", "PROPN", "NNP", "Ruiz", "O"),
            ("toured", 3, "ROOT", "VERB", "VBD", "tour", "O"),
            ("the", 5, "det", "DET", "DT", "the", "O"),
            ("site", 3, "dobj", "NOUN", "NN", "site", "O"),
            (".", 3, "punct", "PUNCT", ".", ".", "O"),
            ("Ruiz", 8, "nsubj", "PROPN", "NNP", "Ruiz", "O"),
            ("said", 8, "ROOT", "VERB", "VBD", "say", "O"),
            *_we_will_win(cue=8),
        ],
        ('"We will win."', "Ruiz", "Ana Ruiz", 0.95),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    assert [(q.mention.text if q.mention else None, q.speaker) for q in quotes] == [("Ruiz", "Ana Ruiz")]


def test_a_day_the_parser_took_for_the_object_reports_nothing() -> None:
    case = Case(
        "reported.object",
        "Ana Ruiz endorsed Monday.",
        [
            ("Ana", 1, "compound", "PROPN", "NNP", "Ana", "B-PERSON"),
            ("Ruiz", 2, "nsubj", "PROPN", "NNP", "Ruiz", "I-PERSON"),
            ("endorsed", 2, "ROOT", "VERB", "VBD", "endorse", "O"),
            ("Monday", 2, "dobj", "PROPN", "NNP", "Monday", "B-DATE"),
            (".", 2, "punct", "PUNCT", ".", ".", "O"),
        ],
        ("", None, None, 0.0),
    )
    assert extract_quotes(build(case), min_confidence=0.0) == []


def _suggested_that_the_plan_failed(cue: int) -> list[Token]:
    """The tokens of ``suggested that the plan failed.`` with the cue at index ``cue``."""
    return [
        ("suggested", cue, "ROOT", "VERB", "VBD", "suggest", "O"),
        ("that", cue + 4, "mark", "SCONJ", "IN", "that", "O"),
        ("the", cue + 3, "det", "DET", "DT", "the", "O"),
        ("plan", cue + 4, "nsubj", "NOUN", "NN", "plan", "O"),
        ("failed", cue, "ccomp", "VERB", "VBD", "fail", "O"),
        (".", cue, "punct", "PUNCT", ".", ".", "O"),
    ]


def test_a_cue_left_without_a_subject_reports_the_name_before_it() -> None:
    # the parser hung the subject's apposition on a misread head and gave the cue no subject
    case = Case(
        "reported.complement",
        "The board chair, Ana Ruiz, bluntly suggested that the plan failed.",
        [
            ("The", 2, "det", "DET", "DT", "the", "O"),
            ("board", 2, "compound", "NOUN", "NN", "board", "O"),
            ("chair", 8, "dep", "NOUN", "NN", "chair", "O"),
            (",", 2, "punct", "PUNCT", ",", ",", "O"),
            ("Ana", 5, "compound", "PROPN", "NNP", "Ana", "B-PERSON"),
            ("Ruiz", 2, "appos", "PROPN", "NNP", "Ruiz", "I-PERSON"),
            (",", 8, "punct", "PUNCT", ",", ",", "O"),
            ("bluntly", 8, "advmod", "ADV", "RB", "bluntly", "O"),
            *_suggested_that_the_plan_failed(cue=8),
        ],
        ("that the plan failed", "Ana Ruiz", "Ana Ruiz", 0.87),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    assert [(q.text, q.mention.text if q.mention else None, q.speaker) for q in quotes] == [case.expected[:3]]


def test_a_name_run_together_with_a_headline_is_no_mention() -> None:
    case = Case(
        "reported.complement",
        "Stories\nRuiz suggested that the plan failed.",
        [
            ("Stories", 2, "compound", "PROPN", "NNPS", "Stories", "O"),
            ("\n", 0, "dep", "SPACE", "_SP", "\n", "O"),
            ("Ruiz", 3, "npadvmod", "PROPN", "NNP", "Ruiz", "B-PERSON"),
            *_suggested_that_the_plan_failed(cue=3),
        ],
        ("that the plan failed", None, None, 0.74),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    assert [(q.text, q.mention, q.speaker) for q in quotes] == [case.expected[:3]]


def test_a_subject_inside_a_markup_tag_is_no_mention() -> None:
    # text copied from a web page: the tokenizer glued an attribute to the name after its tag
    case = Case(
        "reported.complement",
        '<a data-d="9">.@AnaRuiz suggested that the plan failed.',
        [
            ("<a", 1, "compound", "X", "ADD", "<a", "O"),
            ('data-d="9">.@AnaRuiz', 2, "nsubj", "PROPN", "NNP", 'data-d="9">.@AnaRuiz', "O"),
            *_suggested_that_the_plan_failed(cue=2),
        ],
        ("that the plan failed", None, None, 0.74),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    assert [(q.text, q.mention, q.speaker) for q in quotes] == [case.expected[:3]]


def test_a_name_the_headline_ran_words_into_is_not_the_speakers_name() -> None:
    case = Case(
        "reported.complement",
        "Icon Ana Ruiz Wins\n\nAna Ruiz said that the plan failed.",
        [
            ("Icon", 2, "compound", "PROPN", "NNP", "Icon", "B-PERSON"),
            ("Ana", 2, "compound", "PROPN", "NNP", "Ana", "I-PERSON"),
            ("Ruiz", 3, "nsubj", "PROPN", "NNP", "Ruiz", "I-PERSON"),
            ("Wins", 3, "ROOT", "VERB", "VBZ", "win", "O"),
            ("\n\n", 3, "dep", "SPACE", "_SP", "\n\n", "O"),
            ("Ana", 6, "compound", "PROPN", "NNP", "Ana", "B-PERSON"),
            ("Ruiz", 7, "nsubj", "PROPN", "NNP", "Ruiz", "I-PERSON"),
            ("said", 7, "ROOT", "VERB", "VBD", "say", "O"),
            ("that", 11, "mark", "SCONJ", "IN", "that", "O"),
            ("the", 10, "det", "DET", "DT", "the", "O"),
            ("plan", 11, "nsubj", "NOUN", "NN", "plan", "O"),
            ("failed", 7, "ccomp", "VERB", "VBD", "fail", "O"),
            (".", 7, "punct", "PUNCT", ".", ".", "O"),
        ],
        ("that the plan failed", "Ana Ruiz", "Ana Ruiz", 0.87),
    )
    quotes = extract_quotes(build(case), min_confidence=0.0)
    assert [(q.text, q.mention.text if q.mention else None, q.speaker) for q in quotes] == [case.expected[:3]]
