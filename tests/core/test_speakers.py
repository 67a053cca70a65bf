"""Speaker resolution (issue 9, points 4-6): pronouns, role nouns by salience, clean mentions, documents.

The pipeline tests run the trained model on short texts written for them (invented names); the
:class:`People` tests need no model.
"""

from __future__ import annotations

import pytest

from quotebench.core.engine.people import People, name_words
from quotebench.core.engine.pipeline import quotes_in
from quotebench.core.model import SpeakerType

PERSON, ORG, DOC = SpeakerType.PERSON, SpeakerType.ORGANISATION, SpeakerType.DOCUMENT


# --- the article-wide list of people (no model) ------------------------------------------------


def test_name_words_drop_generational_suffixes():
    assert name_words("Harold B. Quill Jr.") == ["harold", "b.", "quill"]
    assert name_words("Brent Ockley III") == ["brent", "ockley"]


def test_fullest_name_from_a_surname_a_suffixed_name_and_a_first_name():
    people = People(["Harold B. Quill Jr.", "Dana Whitacre", "Ivo Brandt", "Ivo Penn"])
    assert people.fullest("Quill") == "Harold B. Quill Jr."
    assert people.fullest("Dana") == "Dana Whitacre"
    assert people.fullest("Ivo") == "Ivo"  # two people share the first name: no guess
    assert people.fullest("Orlov") == "Orlov"


def test_a_headline_run_into_a_name_gives_way_to_the_name_used_in_the_text():
    people = People(["Icon Morton Blake", "Morton Blake", "Ildo Garza Vidal", "Garza Vidal"])
    people.note_headline_only("Icon Morton Blake")
    assert people.fullest("Blake") == "Morton Blake"
    assert people.fullest("Vidal") == "Ildo Garza Vidal"  # named in full in the text: kept


def test_a_title_gender_passes_over_the_other_genders_full_name():
    people = People(["Thomas Hale", "Mary Hale"])
    assert people.fullest("Hale", "f") == "Mary Hale"
    assert people.fullest("Hale", "m") == "Thomas Hale"


def test_gender_from_first_names_titles_and_the_chain():
    people = People(["Hillary Dunmore", "Bill Dunmore", "Ashby Klein", "Corin Vale"])
    assert people.gender_of("Hillary Dunmore") == "f"
    assert people.gender_of("Bill Dunmore") == "m"
    assert people.gender_of("Dunmore") is None  # two Dunmores of both genders
    assert people.gender_of("Ashby Klein") is None
    people.note_gender("Klein", "m")
    assert people.gender_of("Ashby Klein") == "m"
    people.note_gender("Corin Vale", "f")
    people.note_gender("Corin Vale", "m")  # first evidence wins
    assert people.gender_of("Vale") == "f"


def test_known_name_parts():
    people = People(["Petra Moravec"])
    assert people.knows_part("Moravec") and people.knows_part("moravec")
    assert not people.knows_part("Petra")


# --- the pipeline --------------------------------------------------------------------------------


SPEAKERS = [
    pytest.param(
        'Senator Ruth Calloway and Governor Mark Dellinger met on Tuesday. "We agreed on nothing," she said.',
        [("Ruth Calloway", PERSON)],
        id="pronoun-gender-from-first-name",
    ),
    pytest.param(
        "Mr. Osgood Fenwright spoke first, and Ms. Lorna Pike followed him. "
        '"The budget is a fantasy," he said.',
        [("Osgood Fenwright", PERSON)],
        id="pronoun-gender-from-title",
    ),
    pytest.param(
        "Hal Brenner, a tenant organiser, has lived on the estate for thirty years. "
        '"The repairs never come," Brenner said. "We have written to the council six times," he added.',
        [("Hal Brenner", PERSON), ("Hal Brenner", PERSON)],
        id="continuation-after-surname",
    ),
    pytest.param(
        "Chief Ann Colbeck said Monday that the bridge would stay closed until the inspection ended.",
        [("Ann Colbeck", PERSON)],
        id="never-a-date",
    ),
    pytest.param(
        "Jonah Pettibone announced his campaign for governor in a small town hall on Friday. "
        "The candidate said he would cut property taxes in his first year.",
        [("Jonah Pettibone", PERSON)],
        id="role-noun-by-salience",
    ),
    pytest.param(
        "Wendell Okafor spoke to farmers in Dayton on Monday, a week before the vote. "
        "The Vermont senator said the new grain tariff would hurt them most.",
        [("Wendell Okafor", PERSON)],
        id="role-noun-with-a-place-by-salience",
    ),
    pytest.param(
        "Marta Quintero ran the numbers for two campaigns before she left politics. "
        "The former pollster said the early surveys had missed younger voters.",
        [("Marta Quintero", PERSON)],
        id="role-noun-pollster-by-salience",
    ),
    pytest.param(
        "Maria Delgado has run the state election office since 2019. At a rally on Monday, the secretary "
        "of state said she would back the candidate.",
        [("Maria Delgado", PERSON)],
        id="role-noun-with-a-complement-by-salience",
    ),
    pytest.param(
        "Maria Delgado has run the state election office since 2019. The spokesman for Delgado said the "
        "office would stay open.",
        [("The spokesman for Delgado", PERSON)],
        id="role-noun-of-somebody-else-is-not-that-person",
    ),
    pytest.param(
        "The Harbour Workers Union voted to strike on Thursday. "
        "The union said its members had not had a raise in six years.",
        [("Harbour Workers Union", ORG)],
        id="body-by-head-noun",
    ),
    pytest.param(
        "A new report from the county auditor says the jail spent twice its budget on overtime.",
        [("A new report from the county auditor", DOC)],
        id="document-source",
    ),
]


@pytest.mark.model
@pytest.mark.parametrize("text, expected", SPEAKERS)
def test_speaker_resolution(nlp, text, expected):
    assert [(q.speaker, q.speaker_type) for q in quotes_in(text, nlp)] == expected


@pytest.mark.model
def test_first_name_mention_widens_to_the_full_name(nlp):
    text = (
        "Dana Whitacre runs the food bank on Elm Street, which opened in 2009. "
        "Dana said donations had fallen by half since the spring."
    )
    quotes = quotes_in(text, nlp)
    assert [q.speaker for q in quotes] == ["Dana Whitacre"]


@pytest.mark.model
def test_mention_is_a_clean_noun_phrase(nlp):
    text = "Besides that, neighbours said the noise from the quarry had become unbearable."
    (quote,) = quotes_in(text, nlp)
    assert quote.mention is not None and quote.mention.text == "neighbours"


@pytest.mark.model
def test_a_wall_of_pronouns_costs_time_linear_in_its_length(nlp, monkeypatch):
    """``He said He said …``: each pronoun tries a bounded number of mentions (issue 9, point 8)."""
    from quotebench.core.engine import speakers

    calls = {"n": 0}
    resolve = speakers.SpeakerResolver.resolve

    def counting(self, mention, depth=0):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return resolve(self, mention, depth)

    monkeypatch.setattr(speakers.SpeakerResolver, "resolve", counting)
    per_pronoun = []
    for n in (200, 400):
        calls["n"] = 0
        quotes_in("He said " * n, nlp)
        per_pronoun.append(calls["n"] / n)
    assert max(per_pronoun) <= 4 * (speakers._MAX_TRIES + 1)
    assert per_pronoun[1] <= 1.5 * per_pronoun[0]


@pytest.mark.model
def test_clause_depth_is_counted_once_per_token(nlp):
    from quotebench.core.engine.clauses import clause_depth

    doc = nlp("Ann said that Bo thinks that Cy knows that Di left.")
    memo: dict[int, int] = {}
    depths = {t.text: clause_depth(t, memo) for t in doc if t.text in ("Ann", "Bo", "Cy", "Di")}
    assert depths == {"Ann": 0, "Bo": 1, "Cy": 2, "Di": 3}
    assert clause_depth(doc[0], memo) == 0 and len(memo) >= 4
