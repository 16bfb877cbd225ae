"""Quotes whose speaker comes from the layout, not a speech verb (``quotes.layouts``)."""

from __future__ import annotations


def rows(nlp, text: str) -> list[dict]:
    found = nlp(text)._.newsmine_quotes
    assert found, "expected at least one quote row"
    return found


def direct(nlp, text: str) -> list[dict]:
    return [q for q in rows(nlp, text) if q["kind"] == "direct"]


def test_transcript_labels_name_each_turn(nlp):
    text = ('Partial transcript:\n\n"HOLT: Will the senator attend the hearing tomorrow?\n\n'
            '"BRYCE: She will not attend. She has other plans.')
    first, second = direct(nlp, text)
    assert first["speaker"] == "HOLT" and first["text"].startswith("HOLT: Will")
    assert second["speaker"] == "BRYCE"


def test_roundup_labels_before_the_quote(nlp):
    text = ('Clinton: "Our goal is to defeat the group, not to contain it." '
            'Bush: "The mission is to destroy them."')
    first, second = direct(nlp, text)
    assert (first["speaker"], second["speaker"]) == ("Clinton", "Bush")
    (q,) = direct(nlp, 'Jane Doe, Daily Star: "The budget is a mess and everyone knows it."')
    assert q["speaker_canonical"] == "Jane Doe"


def test_bare_attribution_with_any_verb_after_the_quote(nlp):
    text = '"We must act now," her husband cut in. "There is no time left for talk."'
    first, second = direct(nlp, text)
    assert first["speaker"] == "her husband" and first["cue"] == "cut"
    assert second["speaker"] == "her husband" and second["resolution"] == "continuation"


def test_own_bare_attribution_beats_continuing_the_last_speaker(nlp):
    text = ('"The bridge will open in May," Mayor Ruth Gill said. '
            '"Not a chance it opens before autumn," her rival Tom Hale shot back.')
    first, second = direct(nlp, text)
    assert "Gill" in first["speaker_canonical"] and "Hale" in second["speaker_canonical"]


def test_verb_right_before_the_quote(nlp):
    (q,) = direct(nlp, 'On the new album, Rosa Lind sings, "Do not wait for me by the river."')
    assert q["speaker"] == "Rosa Lind" and q["cue"] == "sing"


def test_colon_introduction_without_a_speech_verb(nlp):
    (q,) = direct(nlp, 'Her answer was blunt: "We will not pay a single cent to these people."')
    assert q["speaker"] == "Her" and q["cue"] == ":"


def test_block_quote_after_a_paragraph_ending_in_a_colon(nlp):
    text = ("Dr. Anne Ward, the county's health officer, wrote to parents:\n\n"
            '"The clinic will stay open over the summer for every child who needs it."\n\n'
            "The letter went out on Monday.")
    (q,) = direct(nlp, text)
    assert "Ward" in q["speaker_canonical"]


def test_credit_line_after_the_quote_paragraph(nlp):
    text = ('The mayor spoke at length.\n\n"We will rebuild every house on this street."\n\n'
            "\u2014 Mayor Ruth Gill.")
    (q,) = direct(nlp, text)
    assert q["speaker"] == "Mayor Ruth Gill" and q["speaker_canonical"] == "Ruth Gill"


def test_credit_on_the_quote_line_in_a_pull_quote_roundup(nlp):
    text = ("Readers told us what they made of the debate.\n"
            "\u201cHe never answered the question on wages. Not once.\u201d\u2015 Marisol Ortega\n"
            "\u201cShe was calm and ready for every attack.\u201d \u2015 Dennis Hale\n")
    first, second = direct(nlp, text)
    assert first["speaker"] == "Marisol Ortega" and second["speaker"] == "Dennis Hale"


def test_a_transcript_label_ends_at_its_colon(nlp):
    text = ("WALLACE: Governor, will you release the returns before the vote?\n"
            "\"PENCE: Well, look, we will release them when the audit is over.\"")
    assert all(":" not in (q["speaker"] or "") for q in rows(nlp, text))


def test_vocative_inside_the_quote_is_not_the_speaker(nlp):
    text = ('"That was a fine speech, Mr. President," Senator Ann Holt, Democrat of Ohio, '
            'told Mr. Obama as he walked by. "It is hard."')
    first, second = direct(nlp, text)
    assert first["speaker_canonical"] == "Ann Holt" and second["speaker_canonical"] == "Ann Holt"


def test_inverted_attribution_the_parser_left_without_subject(nlp):
    text = ("Voters were angry.\n\n''She needs one big idea to win,'' said Robert Vane, who served as "
            "mayor during the first term yet endorsed her rival. ''Her instinct is to wait.''")
    first, second = direct(nlp, text)
    assert first["speaker_canonical"] == "Robert Vane" and second["speaker_canonical"] == "Robert Vane"


def test_stray_quote_goes_to_the_nearest_speaker_before_it(nlp):
    text = ('"The port will reopen in May," Mayor Ruth Gill said on Monday.\n\n'
            "Repairs to the north pier began last week.\n\n"
            '"We expect the first ferries to sail again before the summer season starts."')
    first, stray = direct(nlp, text)
    assert stray["speaker_canonical"] == first["speaker_canonical"] == "Ruth Gill"
    assert stray["resolution"] == "nearest"


def test_no_speaker_is_borrowed_from_far_away(nlp):
    far = "\n\n".join(["The council met again on Tuesday."] * 3)
    text = ('"The port will reopen in May," Mayor Ruth Gill said.\n\n' + far + "\n\n"
            '"We expect the first ferries to sail again before the summer season starts."')
    stray = direct(nlp, text)[-1]
    assert stray["speaker"] is None and stray["resolution"] == "unresolved"
