"""Quote-mark pairing on plain strings: apostrophes, glued marks, paragraphs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsmine.nlp.quotes.quote_marks import find_quotes


def texts(s: str) -> list[str]:
    return [q.text(s) for q in find_quotes(s)]


def test_straight_and_curly_pairs():
    s = 'Tusk said "we are ready," and Meloni called it \u201ca turning point.\u201d'
    assert texts(s) == ["we are ready,", "a turning point."]


def test_apostrophes_never_pair():
    s = "The players' union said it wasn't consulted. \"We're disappointed,\" Ruiz said. It's over."
    assert texts(s) == ["We're disappointed,"]


def test_nested_single_quotes_stay_inside():
    s = "\"If 'walking away' means less aid, that's a problem,\" he said."
    assert texts(s) == ["If 'walking away' means less aid, that's a problem,"]


def test_marks_glued_to_words():
    s = 'the union was prepared to"walk out"and strike,"We mean it,"Ortiz said.'
    assert texts(s) == ["walk out", "We mean it,"]


def test_split_quote_gives_two_spans():
    s = '"The economy is recovering," Sunak said. "But we are not out of the woods."'
    assert texts(s) == ["The economy is recovering,", "But we are not out of the woods."]


def test_multi_paragraph_quote_is_one_span():
    s = '"We were told to leave at once.\n"Nobody explained why," said John Hill.\nThe fire spread.'
    spans = find_quotes(s)
    assert len(spans) == 1
    assert spans[0].text(s) == "We were told to leave at once.\nNobody explained why,"
    assert spans[0].close is not None


def test_unclosed_quote_stops_at_paragraph_end():
    s = 'He called the plan "a disaster.\nThe vote is on Friday. "Fine," she said.'
    spans = find_quotes(s)
    assert spans[0].text(s) == "a disaster."
    assert spans[0].close is None
    assert [q.text(s) for q in spans[1:]] == ["Fine,"]


def test_clear_opener_restarts_an_unclosed_quote():
    s = 'He called it "rubbish. Then he left. Later she said "no deal" to reporters.'
    assert texts(s)[-1] == "no deal"


def test_no_marks_no_quotes():
    assert find_quotes("Prices rose 3% in May, the ONS said.") == []


@given(st.text(alphabet=st.sampled_from(list("ab .,'`\"\u201c\u201d\u2019\n:")), max_size=200))
def test_pairing_never_crashes_and_spans_are_ordered(s: str):
    spans = find_quotes(s)
    last = -1
    for q in spans:
        assert 0 <= q.open < q.start <= q.end <= len(s)
        assert q.open > last
        last = q.end
        assert "\n" not in q.text(s).replace("\n", "", len(q.reopen))


def test_lost_paragraph_break_splits_into_two_quotes():
    s = 'Ferguson said: "Ruud comes back on Tuesday. "The training has been perfect." Next.'
    assert texts(s) == ["Ruud comes back on Tuesday.", "The training has been perfect."]


def test_opener_after_nested_quote_ending_a_sentence_starts_a_new_quote():
    s = ("Lang said: \"Ask the player 'do you want the wall back?' "
         "\"If they say 'quick', the referee moves away.\" The game went on.")
    assert texts(s) == ["Ask the player 'do you want the wall back?'",
                        "If they say 'quick', the referee moves away."]


def test_british_single_quotes_are_primary_without_double_marks():
    s = ("Ann Cole, the Health Secretary, said: "
         "\u2018We don\u2019t pretend Britain\u2019s job is done.\u2019 "
         "Critics called it \u2018modest\u2019. \u2018Staff are exhausted,\u2019 she said.")
    assert texts(s) == ["We don\u2019t pretend Britain\u2019s job is done.", "modest", "Staff are exhausted,"]


def test_british_quote_skips_plural_possessive_before_the_real_close():
    s = "\u2018The NHS\u2019 budget and the doctors\u2019 pay are both squeezed,\u2019 he said."
    assert texts(s) == ["The NHS\u2019 budget and the doctors\u2019 pay are both squeezed,"]


def test_single_quotes_stay_nested_where_double_marks_pair():
    s = 'He said "the \u2018recovery\u2019 is fragile" today. It\u2019s the players\u2019 union\u2019s view.'
    assert texts(s) == ["the \u2018recovery\u2019 is fragile"]


def test_apostrophes_alone_make_no_british_quote():
    assert texts("Labour\u2019s opponents weren\u2019t impressed by the bosses\u2019 plan.") == []


def test_two_apostrophes_are_a_double_mark():
    s = ("''The levy is a mistake,'' said Ruth Dale, a tax lawyer. The board was "
         "''looking closely'' at it, she added. The players'' union was not asked.")
    assert texts(s) == ["The levy is a mistake,", "looking closely"]


def test_three_apostrophes_close_a_nested_single_quote():
    s = "''He told me 'not yet,''' Mr. Gill said. ''Then he left.''"
    assert texts(s) == ["He told me 'not yet,'", "Then he left."]


def test_backticks_open_a_double_quote():
    s = "``We are ready for the vote,'' the senator said."
    assert texts(s) == ["We are ready for the vote,"]


def test_two_apostrophe_quote_continues_across_paragraphs():
    s = "''The roof fell in.\n''Nobody was hurt,'' the mayor said.\nRepairs start soon."
    (span,) = find_quotes(s)
    assert span.text(s) == "The roof fell in.\nNobody was hurt,"


def test_quote_nested_in_another_mark_style_stays_inside():
    s = '"She backed the so-called \u201cFair Fares Act,\u201d and lost," Dunn said. "Next year."'
    assert texts(s) == ["She backed the so-called \u201cFair Fares Act,\u201d and lost,", "Next year."]


def test_transcript_turns_are_one_quote_each():
    s = ('"HOLT: Will the senator attend the hearing tomorrow?\n'
         '"BRYCE: Well, look, she thinks this is an episode of \u201cThe Apprentice.\u201d It is not.\n'
         '"And she has said so many times.\n'
         '"HOLT: Thank you, sir.')
    assert [t.split(":")[0] for t in texts(s)] == ["HOLT", "BRYCE", "HOLT"]
    assert texts(s)[1].endswith("she has said so many times.")  # an unlabelled paragraph goes on


def test_a_curly_quote_nests_in_a_paragraph_quote_left_unclosed():
    s = '"The mayor called it \u201ca disgrace\u201d and walked out of the room.\nShe did not return.'
    assert texts(s) == ["The mayor called it \u201ca disgrace\u201d and walked out of the room."]
