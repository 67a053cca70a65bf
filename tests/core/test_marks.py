"""Pairing quotation marks into runs (``quotebench.core.engine.marks.quote_runs``): pure text, no spaCy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotebench.core.engine.marks import QuoteRun, quote_runs

QUOTATION_MARKS = "\"'“”„‟«»‹›‘’‚`"


def texts_of(text: str) -> list[str]:
    return [text[r.start : r.end] for r in quote_runs(text)]


# --- one pair of marks, in each style ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, quoted",
    [
        pytest.param(
            'The mayor said "We will rebuild the pier." Then she left.',
            '"We will rebuild the pier."',
            id="straight",
        ),
        pytest.param(
            "The mayor said “We will rebuild the pier.” Then she left.",
            "“We will rebuild the pier.”",
            id="curly",
        ),
        pytest.param(
            "Der Bürgermeister sagte „Wir bauen den Steg neu.” Dann ging er.",
            "„Wir bauen den Steg neu.”",
            id="low-nine-with-right-mark",
        ),
        pytest.param(
            "Le maire a dit « Nous reconstruirons la jetée. » Puis il est parti.",
            "« Nous reconstruirons la jetée. »",
            id="guillemets",
        ),
        pytest.param(
            "Le maire a dit «Nous reconstruirons la jetée.» Puis il est parti.",
            "«Nous reconstruirons la jetée.»",
            id="guillemets-tight",
        ),
        pytest.param(
            "The mayor said ''We will rebuild the pier.'' Then she left.",
            "''We will rebuild the pier.''",
            id="two-apostrophes",
        ),
        pytest.param(
            "The mayor said ``We will rebuild the pier.'' Then she left.",
            "``We will rebuild the pier.''",
            id="backticks-and-apostrophes",
        ),
        pytest.param(
            "Der Bürgermeister sagte „Wir bauen den Steg neu.“ Dann ging er.",
            "„Wir bauen den Steg neu.“",
            id="german-low-high",
        ),
    ],
)
def test_one_closed_run_per_style(text, quoted):
    runs = quote_runs(text)
    assert [text[r.start : r.end] for r in runs] == [quoted]
    assert runs[0].closed
    assert runs[0].paragraphs == 1
    assert not runs[0].single


def test_several_quotes_in_one_paragraph_pair_in_order():
    text = '"We won," she said, "and we will win again." Critics called it "luck".'
    assert texts_of(text) == ['"We won,"', '"and we will win again."', '"luck"']


def test_inner_strips_marks_and_white_space():
    text = "He said « Nous gagnerons. » and left."
    (run,) = quote_runs(text)
    start, end = run.inner(text)
    assert text[start:end] == "Nous gagnerons."


# --- nesting and apostrophes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, quoted",
    [
        pytest.param(
            "She said \"The clerk told me 'come back tomorrow' twice.\" Then she left.",
            "\"The clerk told me 'come back tomorrow' twice.\"",
            id="straight",
        ),
        pytest.param(
            "She said “The clerk told me ‘come back tomorrow’ twice.” Then she left.",
            "“The clerk told me ‘come back tomorrow’ twice.”",
            id="curly",
        ),
        pytest.param(
            "“The clerk told me ‘come back tomorrow,’” she said.",
            "“The clerk told me ‘come back tomorrow,’”",
            id="closing-together",
        ),
    ],
)
def test_single_quotes_nested_in_doubles_stay_inside_one_run(text, quoted):
    runs = quote_runs(text)
    assert [text[r.start : r.end] for r in runs] == [quoted]
    assert not runs[0].single


@pytest.mark.parametrize(
    "text, quoted",
    [
        pytest.param(
            "The voters’ mood was grim. “It’s the ’08 crash all over again,” he said.",
            "“It’s the ’08 crash all over again,”",
            id="curly-apostrophes",
        ),
        pytest.param(
            "The voters’ mood was grim. “It’s the ‘08 crash all over again,” he said.",
            "“It’s the ‘08 crash all over again,”",
            id="left-mark-as-apostrophe",
        ),
        pytest.param(
            "The voters' mood was grim. \"It's the '90s all over again,\" he said.",
            "\"It's the '90s all over again,\"",
            id="straight-apostrophes",
        ),
        pytest.param(
            '"In the \'90s the mill still ran," she said. "Now it\'s the voters\' turn."',
            '"In the \'90s the mill still ran,"',
            id="straight-apostrophes-two-runs",
        ),
    ],
)
def test_apostrophes_do_not_break_double_pairing(text, quoted):
    assert texts_of(text)[0] == quoted
    for run in quote_runs(text):
        assert run.closed
        assert text[run.start] in '"“'


def test_two_runs_with_apostrophes_between_them():
    text = '"In the \'90s the mill still ran," she said. "Now it\'s the voters\' turn."'
    assert texts_of(text) == ['"In the \'90s the mill still ran,"', "\"Now it's the voters' turn.\""]


# --- British style: single curly marks in a paragraph without double marks -----------------------


@pytest.mark.parametrize(
    "text, quoted",
    [
        pytest.param(
            "The council called it ‘a shameful waste’ on Monday.", ["‘a shameful waste’"], id="plain"
        ),
        pytest.param(
            "The voters’ mood was grim. ‘We have had enough,’ one said.",
            ["‘We have had enough,’"],
            id="possessive-before",
        ),
        pytest.param(
            "It’s the voters’ turn, and ‘they know it’, he said.",
            ["‘they know it’"],
            id="contractions-and-possessive",
        ),
        pytest.param(
            "Since the ’08 crash, she said, ‘nothing has changed’.",
            ["‘nothing has changed’"],
            id="right-mark-year",
        ),
        pytest.param(
            "‘We will wait,’ she said. ‘They will not.’",
            ["‘We will wait,’", "‘They will not.’"],
            id="two-runs",
        ),
        pytest.param(
            "Since the ‘08 crash, she said, ‘nothing has changed’.",
            ["‘nothing has changed’"],
            id="left-mark-year",
        ),
        pytest.param(
            "We told ‘em twice, she said, ‘and nothing has changed’.",
            ["‘and nothing has changed’"],
            id="left-mark-elision",
        ),
    ],
)
def test_british_single_quotes(text, quoted):
    runs = quote_runs(text)
    assert [text[r.start : r.end] for r in runs] == quoted
    assert all(r.single and r.closed for r in runs)


def test_single_marks_are_not_quotes_in_a_paragraph_with_double_marks():
    text = "“The clerk said ‘wait’,” she said, and ‘they waited’ for hours."
    runs = quote_runs(text)
    assert [text[r.start : r.end] for r in runs] == ["“The clerk said ‘wait’,”"]
    assert not runs[0].single


# --- stray and missing marks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, quoted",
    [
        pytest.param(
            'The pier" was closed, and then "the ferry stopped running" too.',
            ['"the ferry stopped running"'],
            id="straight-stray-close",
        ),
        pytest.param(
            'Closed." Then he said "the hall is full" and left.',
            ['"the hall is full"'],
            id="straight-stray-close-after-period",
        ),
        pytest.param(
            "The pier” was closed, and then “the ferry stopped running” too.",
            ["“the ferry stopped running”"],
            id="curly-stray-close",
        ),
        pytest.param(
            "Seats are taken.» Then he said «the hall is full» and left.",
            ["«the hall is full»"],
            id="guillemet-stray-close",
        ),
    ],
)
def test_stray_closing_mark_is_ignored(text, quoted):
    assert texts_of(text) == quoted


@pytest.mark.parametrize(
    "text, paragraph_end",
    [
        pytest.param('Olga Petrenko said: "The vote was rigged from the start', None, id="end-of-text"),
        pytest.param(
            'Olga Petrenko said: "The vote was rigged from the start   ', None, id="trailing-spaces"
        ),
        pytest.param(
            "Olga Petrenko said: “The vote was rigged from the start.  \n\nThe count went on all night.",
            "The vote was rigged from the start.",
            id="next-paragraph-unquoted",
        ),
        pytest.param(
            "Olga Petrenko said: “The vote was rigged from the start.\nThe count went on all night.",
            "The vote was rigged from the start.",
            id="single-newline",
        ),
    ],
)
def test_missing_closing_mark_ends_with_its_paragraph(text, paragraph_end):
    runs = quote_runs(text)
    assert len(runs) == 1
    run = runs[0]
    assert not run.closed
    assert run.paragraphs == 1
    assert text[run.start] in '"“'
    expected_end = (
        len(text.rstrip()) if paragraph_end is None else text.index(paragraph_end) + len(paragraph_end)
    )
    assert run.end == expected_end
    assert not text[run.end - 1].isspace()


def test_curly_opening_mark_while_open_ends_the_unclosed_run_before_it():
    text = "She said “the hall is full and then “the doors were locked” by the guards."
    runs = quote_runs(text)
    assert [(text[r.start : r.end], r.closed) for r in runs] == [
        ("“the hall is full and then", False),
        ("“the doors were locked”", True),
    ]


# --- quotes over several paragraphs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraphs",
    [
        pytest.param(
            ['"The mill closed in March.', '"Nobody came to help.', '"We are still waiting," she said.'],
            id="straight-3",
        ),
        pytest.param(["“The mill closed in March.", "“Nobody came to help,” she said."], id="curly-2"),
        pytest.param(
            [
                "“The mill closed in March.",
                "“Nobody came to help.",
                "“The bank took the house.",
                "“We are still waiting.”",
            ],
            id="curly-4",
        ),
        pytest.param(["« The mill closed in March.", "« Nobody came to help. »"], id="guillemets-2"),
    ],
)
@pytest.mark.parametrize("separator", ["\n\n", "\n"], ids=["blank-line", "newline"])
def test_quote_over_several_paragraphs_is_one_run(paragraphs, separator):
    text = "The owner spoke at length.\n\n" + separator.join(paragraphs)
    runs = quote_runs(text)
    assert len(runs) == 1
    run = runs[0]
    assert run.closed
    assert run.paragraphs == len(paragraphs)
    assert run.start == text.index(paragraphs[0])
    last = paragraphs[-1]
    close = max(last.rfind(m) for m in '"”»')
    assert run.end == text.index(last) + close + 1


def test_unclosed_quote_over_paragraphs_ends_with_the_last_quoted_paragraph():
    text = "“The mill closed in March.\n\n“Nobody came to help.\n\nThe owner later sold the land."
    (run,) = quote_runs(text)
    assert not run.closed
    assert run.paragraphs == 2
    assert text[run.start : run.end] == "“The mill closed in March.\n\n“Nobody came to help."


def test_paragraph_that_does_not_open_with_a_mark_ends_the_quote():
    text = "“The mill closed in March.\n\nShe added: “Nobody came to help.”"
    runs = quote_runs(text)
    assert [(text[r.start : r.end], r.closed, r.paragraphs) for r in runs] == [
        ("“The mill closed in March.", False, 1),
        ("“Nobody came to help.”", True, 1),
    ]


def test_no_marks_no_runs():
    assert quote_runs("") == []
    assert quote_runs("The council met on Monday.\n\nIt's the voters' turn now.") == []


# --- properties ---------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(list(QUOTATION_MARKS) + list("ab Z.,:;!?-—(\n\u2029\t") + ["\u00a0", "0", "é"])


def _check_runs(text: str, runs: list[QuoteRun]) -> None:
    previous_end = 0
    for run in runs:
        assert 0 <= run.start < run.end <= len(text), run
        assert run.start >= previous_end, f"runs overlap or are out of order: {runs}"
        assert text[run.start] in QUOTATION_MARKS, run
        assert run.paragraphs >= 1
        previous_end = run.end


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_runs_are_sorted_disjoint_within_the_text_and_start_at_a_mark(text):
    _check_runs(text, quote_runs(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_runs_of_arbitrary_unicode_text(text):
    _check_runs(text, quote_runs(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abc ,.", min_size=1, max_size=12), min_size=1, max_size=5))
def test_closed_straight_quotes_in_prose_are_found_exactly(words):
    """Quotes that open after a space and close before one pair exactly, whatever their words."""
    quoted = [f'"{w.strip() or "x"}"' for w in words]
    text = "He said " + " and ".join(quoted) + " today."
    runs = quote_runs(text)
    assert [text[r.start : r.end] for r in runs] == quoted
    assert all(r.closed and r.paragraphs == 1 for r in runs)


# --- issue 9, point 7: straight single quotes, nesting, hard-wrapped lines ------------------------


@pytest.mark.parametrize(
    "text, quoted",
    [
        pytest.param("'We will win,' she said.", ["'We will win,'"], id="straight-single"),
        pytest.param(
            "'It's fine,' he said, 'we don't mind.'",
            ["'It's fine,'", "'we don't mind.'"],
            id="straight-single-with-contractions",
        ),
        pytest.param(
            "The Joneses' house was sold. 'It was too big,' said Mara Jones.",
            ["'It was too big,'"],
            id="plural-possessive-before",
        ),
        pytest.param("They played rock 'n' roll in the '90s, she said.", [], id="elisions-only"),
        pytest.param(
            "Back in the '90s, he said, 'nobody locked a door'.",
            ["'nobody locked a door'"],
            id="decade-then-quote",
        ),
    ],
)
def test_straight_single_quotes_apart_from_apostrophes(text, quoted):
    runs = quote_runs(text)
    assert [text[r.start : r.end] for r in runs] == quoted
    assert all(r.single for r in runs)


@pytest.mark.parametrize(
    "text, quoted",
    [
        pytest.param(
            '"We will decide what "fair" means here," Ivo Brandt said.',
            ['"We will decide what "fair" means here,"'],
            id="straight-in-straight",
        ),
        pytest.param(
            "“We will decide what “fair” means here,” Ivo Brandt said.",
            ["“We will decide what “fair” means here,”"],
            id="curly-in-curly",
        ),
        pytest.param(
            '"She asked me "what does “fair” mean" twice," Ivo Brandt said.',
            ['"She asked me "what does “fair” mean" twice,"'],
            id="two-levels",
        ),
        pytest.param(
            "«Il a dit “jamais” deux fois», a dit Ivo Brandt.",
            ["«Il a dit “jamais” deux fois»"],
            id="curly-in-guillemets",
        ),
    ],
)
def test_nested_marks_at_any_depth_stay_one_run(text, quoted):
    assert texts_of(text) == quoted


def test_an_opening_mark_with_too_few_marks_after_it_still_ends_the_run_before():
    text = "She said “the hall is full and then “the doors were locked” by the guards."
    assert texts_of(text) == ["“the hall is full and then", "“the doors were locked”"]


def test_a_quote_continues_over_a_single_line_break_of_hard_wrapped_text():
    text = (
        'Mayor Ivo Brandt said: "We will build the\nbridge by May, whatever it costs," and left.\nHe smiled.'
    )
    runs = quote_runs(text)
    assert [text[r.start : r.end] for r in runs] == ['"We will build the\nbridge by May, whatever it costs,"']
    assert runs[0].closed and runs[0].paragraphs == 1


def test_a_blank_line_still_ends_an_unclosed_quote():
    text = 'Mayor Ivo Brandt said: "We will build the\n\nbridge by May," and left.'
    runs = quote_runs(text)
    assert not runs[0].closed and text[runs[0].start : runs[0].end] == '"We will build the'


def test_a_quote_runs_over_several_hard_wrapped_lines_until_one_closes_it():
    text = 'Ivo Brandt wrote "We will build the\nbridge by May, and the\nroad by June." Then he left.'
    runs = quote_runs(text)
    wrapped = '"We will build the\nbridge by May, and the\nroad by June."'
    assert [text[r.start : r.end] for r in runs] == [wrapped]
    assert runs[0].closed


def test_lines_without_a_closing_mark_leave_the_quote_unclosed_at_its_line():
    text = 'Ivo Brandt wrote "We will build the\nbridge by May.\nThen "the road" came up.'
    runs = quote_runs(text)
    assert text[runs[0].start : runs[0].end] == '"We will build the'
    assert not runs[0].closed


def test_a_quote_continues_into_an_indented_paragraph_that_opens_with_a_mark():
    text = 'Ivo Brandt wrote: "We will build the bridge.\n\n   "And the road by June." He left.'
    runs = quote_runs(text)
    assert [text[r.start : r.end] for r in runs] == [
        '"We will build the bridge.\n\n   "And the road by June."'
    ]
    assert runs[0].paragraphs == 2


@pytest.mark.parametrize(
    "text, quoted",
    [
        pytest.param(
            "`Not today,' she said, ``we close at noon.''",
            ["`Not today,'", "``we close at noon.''"],
            id="backtick-single-beside-doubled-backticks",
        ),
        pytest.param(
            "“It’s the voters’ call,” she said, and it's 'theirs'.",
            ["“It’s the voters’ call,”"],
            id="apostrophes-and-straight-singles-beside-doubles-stay-out",
        ),
    ],
)
def test_backtick_single_quotes_beside_double_ones(text, quoted):
    assert texts_of(text) == quoted


def test_a_straight_mark_opening_a_new_sentence_ends_a_quote_left_open():
    text = 'She said: "We are tired.  "And we are angry," he said.'
    assert texts_of(text) == ['"We are tired.', '"And we are angry,"']
    assert [r.closed for r in quote_runs(text)] == [False, True]


def test_a_closing_mark_after_a_full_stop_still_closes():
    text = 'She said: "We are tired." He nodded. "So are we," he said.'
    assert texts_of(text) == ['"We are tired."', '"So are we,"']


@pytest.mark.parametrize(
    "text, quoted",
    [
        pytest.param(
            '<blockquote class="tweet" data-date="May 9,\n2016">Stands empty tonight.</blockquote>\n\n'
            '"We will win," she said.',
            ['"We will win,"'],
            id="attributes-over-a-line-break",
        ),
        pytest.param('<a href="https://x.org/a">"Yes," he said.</a>', ['"Yes,"'], id="link-around-quote"),
        pytest.param("<p class='x'>The 'plan' was 'bad,' she said.</p>", ["'plan'", "'bad,'"], id="singles"),
        pytest.param('If a <b and "c"> d, then', ['"c"'], id="not-a-tag"),
    ],
)
def test_marks_inside_markup_tags_quote_nothing(text, quoted):
    assert [text[r.start : r.end] for r in quote_runs(text)] == quoted


@pytest.mark.parametrize(
    "text, quoted",
    [
        pytest.param("Morning,   \" she said, 'where is the bus?'", ["'where is the bus?'"], id="stray"),
        pytest.param("\"They said 'Done,' \" said Ana Ruiz.", ["\"They said 'Done,' \""], id="spaced"),
    ],
)
def test_a_mark_set_apart_by_spaces_only_closes(text, quoted):
    assert [text[r.start : r.end] for r in quote_runs(text)] == quoted
