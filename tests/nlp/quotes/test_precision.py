"""Reported speech that no annotator would accept is not emitted: each test is a shape of
junk attribution (no one behind the words, a source that cannot speak, an adjunct taken
for content) next to the real attribution it must not cost."""

from __future__ import annotations

import pytest


def reported(nlp, text: str) -> list[dict]:
    return [q for q in nlp(text)._.newsmine_quotes if q["kind"] == "indirect"]


@pytest.mark.parametrize("text", [
    "Nobody said the bridge would reopen before winter.",
    "Nobody believes the council will reject the budget next month.",
])
def test_words_with_no_one_to_report_them_are_no_row(nlp, text):
    assert not any(q["cue"] in ("say", "believe") for q in reported(nlp, text))


def test_a_named_source_still_reports(nlp):
    rows = reported(nlp, "The mayor said the bridge would reopen before winter.")
    (q,) = [q for q in rows if q["cue"] == "say"]
    assert (q["speaker"], q["text"]) == ("The mayor", "the bridge would reopen before winter")


@pytest.mark.parametrize("text", [
    "The lengthy negotiations highlighted deep divisions between the two unions.",
    "The council's willingness for early talks signalled a shift from its earlier policy.",
])
def test_a_source_that_cannot_hold_a_view_is_no_speaker(nlp, text):
    assert not reported(nlp, text)


def test_the_same_cue_with_a_group_as_source_still_reports(nlp):
    (q,) = reported(nlp, "The union highlighted deep divisions between the two sides.")
    assert (q["speaker"], q["cue"]) == ("The union", "highlight")


@pytest.mark.parametrize(("text", "speaker", "inner"), [
    ("Union leaders said the company refused to raise wages for night-shift workers.",
     "Union leaders", "the company"),
    ("Health officials said the ministry planned to close three rural clinics next year.",
     "Health officials", "the ministry"),
    ("Tom Reed told reporters that the airline had decided to cancel the route.", "Tom Reed", "the airline"),
    ("The spokesman said the new figures show unemployment falling in every region.",
     "The spokesman", "the new figures"),
])
def test_a_clause_inside_someone_elses_report_is_their_report_only(nlp, text, speaker, inner):
    rows = reported(nlp, text)
    assert [q["speaker"] for q in rows] == [speaker]
    assert rows[0]["text"].startswith(inner)  # the inner clause stays, as the outer's content


def test_a_nested_view_of_the_same_person_stays_its_own_row(nlp):
    rows = reported(nlp, "Maria Lopez, the city's finance director, said she hoped the council "
                         "would approve the budget.")
    assert [(q["cue"], q["speaker_canonical"]) for q in rows] == [("say", "Maria Lopez"),
                                                                  ("hope", "Maria Lopez")]
    assert rows[1]["text"] == "the council would approve the budget"


@pytest.mark.parametrize(("text", "kind", "quoted"), [
    ("In the closing weeks of the campaign, the mayor said, the city would hire two hundred new teachers.",
     "indirect", []),
    ("The new stadium, the council said, will open in time for the autumn season.", "indirect", []),
    ('By the time the ambulance arrived, she said, "it was already too late."', "mixed",
     ["it was already too late."]),
])
def test_content_split_by_its_cue_is_one_row(nlp, text, kind, quoted):
    rows = nlp(text)._.newsmine_quotes
    assert [q["kind"] for q in rows] == [kind]
    (row,) = rows
    assert row["text"] == text[row["start_char"]:row["end_char"]]
    assert row["text"].rstrip(".") == text.rstrip(".")  # both sides and the cue between them
    assert [text[s:e] for s, e in row["quoted"]] == quoted


def test_two_quotes_around_one_cue_stay_two_direct_rows(nlp):
    rows = nlp('"We will appeal," the lawyer said, "and we expect to win."')._.newsmine_quotes
    assert [(q["kind"], q["text"]) for q in rows] == [("direct", "We will appeal,"),
                                                      ("direct", "and we expect to win.")]
