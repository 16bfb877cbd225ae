"""The newsmine_quotes component on news-style sentences: one pattern per test."""

from __future__ import annotations

import pytest

from pipeline.components.reported import Cues

KEYS = {"kind", "text", "start_char", "end_char", "speaker", "speaker_start", "speaker_end",
        "speaker_canonical", "speaker_id", "speaker_label", "resolution", "cue", "sentence_id"}


def quotes(nlp, text: str) -> list[dict]:
    return nlp(text)._.newsmine_quotes


def direct(nlp, text: str) -> list[dict]:
    return [q for q in quotes(nlp, text) if q["kind"] != "indirect"]


def indirect(nlp, text: str) -> list[dict]:
    return [q for q in quotes(nlp, text) if q["kind"] == "indirect"]


def who(q: dict) -> str:
    return str(q["speaker_canonical"] or q["speaker"])


def test_record_has_exact_contract_keys_and_offsets(nlp):
    text = 'Officials met on Monday. "We will not back down," said Angela Merkel, the German chancellor.'
    (q,) = direct(nlp, text)
    assert set(q) == KEYS
    assert text[q["start_char"] : q["end_char"]] == q["text"] == "We will not back down,"
    assert text[q["speaker_start"] : q["speaker_end"]] == q["speaker"]
    assert "Merkel" in who(q) and q["resolution"] == "named" and q["cue"] == "say"
    assert q["sentence_id"] == 1


def test_split_quote_two_quotes_one_speaker(nlp):
    text = ('"The economy is recovering," Finance Minister Rishi Sunak said. '
            '"But we are not out of the woods yet."')
    first, second = direct(nlp, text)
    assert "Sunak" in who(first) and "Sunak" in who(second)
    assert second["resolution"] == "continuation"
    assert second["text"] == "But we are not out of the woods yet."


def test_continuation_stops_when_another_sentence_intervenes(nlp):
    text = ('"Prices will fall," Governor Andrew Bailey said. The bank meets again in March. '
            '"Nobody can say what the markets will do next year," a trader added later.')
    qs = direct(nlp, text)
    assert "Bailey" not in who(qs[-1])


def test_pronoun_resolves_to_recent_person(nlp):
    text = ('Maria Lopez, a nurse in Madrid, arrived at the hospital at dawn. '
            '"We have no beds left," she said.')
    (q,) = direct(nlp, text)
    assert q["speaker"] == "she" and q["resolution"] == "pronoun"
    assert q["speaker_canonical"] == "Maria Lopez"


def test_role_noun_resolves_to_titled_person(nlp):
    text = ('President Emmanuel Macron met union leaders in Paris on Tuesday. '
            '"The reform will go ahead," the president said.')
    (q,) = direct(nlp, text)
    assert q["resolution"] == "role"
    assert q["speaker"] == "the president" and "Macron" in who(q)


def test_colon_introduction(nlp):
    (q,) = direct(nlp, 'Governor Kathy Hochul wrote: "Our borders remain open to trade."')
    assert q["text"] == "Our borders remain open to trade." and "Hochul" in who(q)


def test_participial_stating_with_quote(nlp):
    text = 'The airline cancelled 40 flights, stating, "Safety comes before schedules."'
    (q,) = direct(nlp, text)
    assert "airline" in who(q)


def test_partial_quote_inside_reported_speech(nlp):
    (q,) = direct(nlp, 'Analyst Tom Reed described the merger as "deeply flawed" in a note to clients.')
    assert q["text"] == "deeply flawed" and "Reed" in who(q) and q["kind"] == "direct"


def test_partial_quote_object_of_participle(nlp):
    text = 'Senator Ana Ruiz hit back on Friday, criticizing the bill\'s "reckless spending."'
    (q,) = direct(nlp, text)
    assert "Ruiz" in who(q)


def test_reported_that_clause(nlp):
    (q,) = indirect(nlp, "Health officials warned that the virus could spread faster in winter.")
    assert q["text"] == "the virus could spread faster in winter"
    assert q["speaker"] == "Health officials" and q["cue"] == "warn"


def test_reported_without_that(nlp):
    (q,) = indirect(nlp, "Dr. Karen Holt, an economist at Oxford, says inflation has peaked.")
    assert q["text"] == "inflation has peaked" and "Holt" in who(q)


def test_reported_pronoun_adds(nlp):
    text = "Chief executive Mark Evans spoke to investors on Monday. He adds that sales rose in Asia."
    (q,) = indirect(nlp, text)
    assert q["resolution"] == "pronoun" and q["speaker_canonical"] == "Mark Evans"


def test_according_to(nlp):
    (q,) = indirect(nlp, "According to the World Health Organization, cases rose by 12% last week.")
    assert q["cue"] == "according to" and "World Health Organization" in q["speaker"]
    assert q["text"] == "cases rose by 12% last week"


def test_participial_saying_clause(nlp):
    (q,) = indirect(nlp, "The company cut 300 jobs on Monday, saying demand had collapsed.")
    assert q["text"] == "demand had collapsed" and q["speaker"] == "The company"


def test_group_and_org_speakers(nlp):
    (q,) = direct(nlp, '"We deny these allegations," the Kremlin said on Thursday.')
    assert q["speaker"].endswith("Kremlin")
    (r,) = direct(nlp, 'In a joint statement, both governments called the talks "constructive."')
    assert r["speaker"] == "both governments"


def test_nominal_cue_noun_makes_a_verb_a_cue(nlp):
    cues = Cues({"say"}, {"statement"})
    doc = nlp("The union hit back in a statement on Friday.")
    assert cues.cue_of(doc[2]) == "statement"
    assert cues.cue_of(doc[0]) is None


@pytest.mark.parametrize("text", [
    "Trump announced plans for a meeting with the Russian leader.",
    "Putin agreed to halt strikes on energy infrastructure.",
    "The players' union wasn't consulted, and the club's owners didn't comment.",
])
def test_not_every_verb_is_speech(nlp, text):
    assert quotes(nlp, text) == []


@pytest.mark.parametrize("text, title", [
    ('Critics dismissed the so-called "peace dividend" as a myth.', "peace dividend"),
    ('Her novel "The Silent River" topped the charts, her publisher said.', "The Silent River"),
    ('Fans sang the song "Bohemian Rhapsody" outside the stadium.', "Bohemian Rhapsody"),
    ('The army launched an operation dubbed "Iron Shield" on Sunday.', "Iron Shield"),
])
def test_titles_and_scare_quotes_get_no_speaker(nlp, text, title):
    for q in direct(nlp, text):
        if title in q["text"]:
            assert q["speaker"] is None


def test_apostrophes_do_not_break_an_article(nlp):
    text = ("The players' union said it wasn't consulted. "
            '"We\'re disappointed," said the union\'s chief, Ana Ruiz. '
            "The club's owners didn't respond.")
    (q,) = direct(nlp, text)
    assert q["text"] == "We're disappointed," and "Ruiz" in who(q)


def test_unclosed_quote_does_not_swallow_the_article(nlp):
    text = ('Mayor Lee called the plan "a disaster.\nThe council votes on Friday.\n'
            '"We will be ready," council leader Tom Park said.')
    qs = direct(nlp, text)
    assert all("council votes" not in q["text"] for q in qs)
    assert qs[-1]["text"] == "We will be ready," and "Park" in who(qs[-1])


def test_multi_paragraph_quote(nlp):
    text = '"We were told to leave at once.\n"Nobody explained why," said resident John Hill.'
    (q,) = direct(nlp, text)
    assert q["text"] == "We were told to leave at once.\nNobody explained why,"
    assert "Hill" in who(q)


def test_sample_sentences(nlp):
    text = ("Both sides reject the plan, with Sergey Ryabkov, a Putin foreign policy adviser, saying "
            '"we can\'t accept it all in its current form" and Zelenskyy insisting that Ukraine will '
            'never recognize Moscow\'s control over Crimea. "There\'s nothing to talk about here," '
            "Zelenskyy said.")
    qs = quotes(nlp, text)
    ryabkov = next(q for q in qs if q["text"].startswith("we can't"))
    assert "Ryabkov" in who(ryabkov)
    assert any(q["kind"] == "indirect" and "Zelenskyy" in who(q) and "never recognize" in q["text"]
               for q in qs)
    (peskov,) = indirect(nlp, "Kremlin spokesperson Dmitry Peskov reminded that many aspects of a "
                              "ceasefire remained to be addressed.")
    assert peskov["speaker"] == "Dmitry Peskov" and peskov["text"].startswith("many aspects")


def test_people_clusters_give_canonical_name_and_id(nlp):
    text = 'Volodymyr Zelenskyy visited Kyiv. "There is nothing to talk about," Zelenskyy said.'
    doc = nlp.make_doc(text)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    (q,) = [q for q in doc._.newsmine_quotes if q["kind"] == "direct"]
    assert q["speaker"] == "Zelenskyy" and q["speaker_canonical"] == "Volodymyr Zelenskyy"
    assert q["speaker_label"] == "PERSON"


def test_pronoun_skips_person_of_other_gender(nlp):
    text = ("Ms Clara Dunn, the festival's director, met Mr Peter Hale on Friday. "
            "Mr Hale left early. She said the festival would go ahead.")
    (q,) = indirect(nlp, text)
    assert q["speaker"] == "She" and q["speaker_canonical"] == "Clara Dunn"


def test_reported_clause_stays_in_its_paragraph(nlp):
    text = "Deficit to hit record\n\nThe budget deficit is set to hit a record, officials said on Monday."
    (q,) = indirect(nlp, text)
    assert q["text"] == "The budget deficit is set to hit a record"


def test_quote_after_lost_paragraph_break_continues_speaker(nlp):
    text = ('Ferguson said: "Ruud comes back on Tuesday and we need to assess him. '
            '"The training he has been doing in Holland has been perfect." United won again.')
    first, second = direct(nlp, text)
    assert "Ferguson" in who(first) and "Ferguson" in who(second)
    assert second["resolution"] == "continuation"


def test_quote_after_reported_speech_sentence_takes_its_speaker(nlp):
    text = ('Coach Kalusha Bwalya warned his players against complacency on Sunday. '
            '"I do not want my team to be too comfortable before a difficult game."')
    (q,) = direct(nlp, text)
    assert "Bwalya" in who(q)


def test_quote_after_plain_sentence_gets_no_speaker(nlp):
    text = ('Coach Kalusha Bwalya arrived in Lusaka on Sunday with the squad. '
            '"I do not want my team to be too comfortable before a difficult game."')
    for q in direct(nlp, text):
        assert q["speaker"] is None
