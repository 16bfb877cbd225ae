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
