"""Every attribution as one row: cue frames, mixed rows, cue types, the source as written."""

from __future__ import annotations

import pytest

from newsmine.nlp.quotes.frames import verb_frame


def rows(nlp, text: str) -> list[dict]:
    found = nlp(text)._.newsmine_quotes
    assert found, "expected at least one row"
    return found


def by_cue(nlp, text: str, cue: str) -> dict:
    (row,) = [q for q in rows(nlp, text) if q["cue"] == cue]
    return row


def verbatim(text: str, row: dict) -> list[str]:
    return [text[s:e] for s, e in row["quoted"]]


# -- content that is not a clause ---------------------------------------------------------
@pytest.mark.parametrize("text, cue, content, kind", [
    ("The minister denied the allegations on Monday.", "deny", "the allegations on Monday", "speech"),
    ("Union leaders urged voters to stay home on Thursday.", "urge", "voters to stay home on Thursday",
     "speech"),
    ("The governor declined to comment on the lawsuit.", "decline", "to comment on the lawsuit", "intention"),
    ("Ms. Ortiz accused the mayor of lying about the budget.", "accuse",
     "the mayor of lying about the budget", "speech"),
    ("The senator talked about her plans for the city.", "talk about", "her plans for the city", "speech"),
    ("Mr. Webb took issue with the new rules.", "take issue", "issue with the new rules", "speech"),
])
def test_cue_frames_take_objects_infinitives_and_prepositions(nlp, text, cue, content, kind):
    row = by_cue(nlp, text, cue)
    assert row["kind"] == "indirect" and row["text"] == content and row["cue_type"] == kind
    assert row["speaker"] is not None


def test_a_verb_with_an_object_is_no_attribution_unless_the_lexicon_lists_it(nlp):
    text = "The company has a new plant in Ohio and built a second one in Texas."
    assert nlp(text)._.newsmine_quotes == []
    doc = nlp(text)
    frame = verb_frame(doc[2])  # a light verb's key carries its object
    assert (frame.key, frame.pattern) == ("have plant", "dobj")


def test_passive_with_an_agent_reports_the_agent(nlp):
    row = by_cue(nlp, "The plan was criticized by teachers as reckless.", "criticize")
    assert row["speaker"] == "teachers" and row["text"].startswith("The plan")


def test_as_x_reported_reports_the_clause_it_hangs_on(nlp):
    row = by_cue(nlp, "As the Gazette reported last week, the mill will close in June.", "report")
    assert row["speaker"] == "the Gazette" and row["text"] == "the mill will close in June"


def test_owned_cue_noun_is_an_attribution(nlp):
    row = by_cue(nlp, "Mayor Jane Ortiz spoke on Monday. The mayor's claim that crime had fallen drew sharp "
                      "replies.", "claim")
    assert row["speaker"] == "The mayor's" and row["speaker_canonical"] == "Jane Ortiz"
    assert row["text"] == "crime had fallen"


def test_belief_and_evidence_cue_types(nlp):
    thought = by_cue(nlp, "Most economists believe that rates will fall in spring.", "believe")
    assert thought["cue_type"] == "thought"
    evidence = by_cue(nlp, "Polls show the senator leading by five points.", "show")
    assert evidence["cue_type"] == "evidence" and evidence["speaker"] == "Polls"
    study = by_cue(nlp, "A new study found that the drug cut deaths by a third.", "find")
    assert study["cue_type"] == "evidence"


# -- content bounds -----------------------------------------------------------------------
def test_clause_keeps_because_and_if_parts(nlp):
    row = by_cue(nlp, "The coach said the team would win because the players trusted each other.", "say")
    assert row["text"] == "the team would win because the players trusted each other"


def test_a_stance_reported_by_someone_else_is_one_row_of_the_reporter(nlp):
    text = "The aide said the governor opposes the new tax on sugar."
    (outer,) = rows(nlp, text)
    assert (outer["cue"], outer["speaker"]) == ("say", "The aide")
    assert outer["text"] == "the governor opposes the new tax on sugar"
    own = by_cue(nlp, "The governor opposes the new tax on sugar.", "oppose")
    assert own["speaker"] == "The governor" and own["text"] == "the new tax on sugar"
    assert own["cue_type"] == "thought"


def test_an_object_stops_at_a_comma(nlp):
    row = by_cue(nlp, "Both parties rejected the plan, with the mayor calling it a trap.", "reject")
    assert row["text"] == "the plan"


# -- one row per attribution ---------------------------------------------------------------
def test_mixed_row_holds_paraphrase_and_quoted_words(nlp):
    text = 'The senator said the bill was "a disaster for farmers" and would fail.'
    (row,) = rows(nlp, text)
    assert row["kind"] == "mixed" and row["cue"] == "say"
    assert row["text"] == 'the bill was "a disaster for farmers" and would fail'
    assert verbatim(text, row) == ["a disaster for farmers"]
    assert text[row["start_char"] : row["end_char"]] == row["text"]


def test_short_partial_quote_after_a_characterising_verb_is_kept_in_the_mixed_row(nlp):
    text = 'Critics called the new stadium "a white elephant."'
    (row,) = rows(nlp, text)
    assert row["kind"] == "mixed" and verbatim(text, row) == ["a white elephant."]
    assert row["speaker"] == "Critics"


def test_wholly_quoted_content_stays_one_direct_row(nlp):
    text = 'The mayor said: "We will rebuild the bridge by May."'
    (row,) = rows(nlp, text)
    assert row["kind"] == "direct" and row["text"] == "We will rebuild the bridge by May."
    assert verbatim(text, row) == [row["text"]]


# -- the source as written -----------------------------------------------------------------
def test_source_is_the_whole_noun_phrase(nlp):
    row = by_cue(nlp, "A longtime adviser to both candidates said the race was close.", "say")
    assert row["speaker"] == "A longtime adviser to both candidates"


def test_relative_pronoun_source_is_written_and_resolved(nlp):
    text = "The plan was backed by Ana Ruiz, who has argued that taxes must rise."
    row = by_cue(nlp, text, "argue")
    assert row["speaker"] == "who" and row["speaker_canonical"] == "Ana Ruiz"


def test_coordinated_sources_are_kept_whole(nlp):
    row = by_cue(nlp, "Smith and his aides insisted that the vote was fair.", "insist")
    assert row["speaker"] == "Smith and his aides"


def test_a_fronted_passive_question_is_not_asked_by_the_one_answering(nlp):
    text = "Asked about the strike, the minister said talks would resume on Monday."
    rows_ = rows(nlp, text)
    assert [q for q in rows_ if q["cue"] == "say" and q["speaker"] == "the minister"]
    assert not [q for q in rows_ if q["cue"] != "say"]
    text = 'Asked whether she would stand again, Ms Ortiz replied "never."'
    assert all(q["kind"] == "direct" for q in rows(nlp, text))


# -- a quote after a sentence of reported speech ------------------------------------------
def test_quote_after_reported_speech_goes_to_the_cue_nearest_the_root(nlp):
    """The sentence before has two cues: `said` in a relative clause and `told` at its
    root; the quote that follows continues the root's speaker, not the relative `who`."""
    text = ('The mayor, who said little at first, told reporters the plan was dead. '
            '"It is over for this city."')
    (quote,) = [q for q in rows(nlp, text) if q["kind"] == "direct"]
    assert quote["speaker"] == "The mayor"
