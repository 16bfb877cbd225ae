"""The newsmine_quotes component on news-style sentences: one pattern per test."""

from __future__ import annotations

import pytest

from newsmine.nlp.quotes.cues import Cues

KEYS = {"kind", "text", "start_char", "end_char", "speaker", "speaker_start", "speaker_end",
        "speaker_canonical", "speaker_id", "speaker_label", "resolution", "cue", "cue_start", "cue_end",
        "cue_type", "quoted",
        "sentence_id"}


def quotes(nlp, text: str) -> list[dict]:
    return nlp(text)._.newsmine_quotes


def direct(nlp, text: str) -> list[dict]:
    """Rows holding quoted words: direct and mixed."""
    return [q for q in quotes(nlp, text) if q["kind"] != "indirect"]


def only_direct(nlp, text: str) -> list[dict]:
    return [q for q in quotes(nlp, text) if q["kind"] == "direct"]


def quoted_words(text: str, q: dict) -> list[str]:
    return [text[s:e] for s, e in q["quoted"]]


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


def test_partial_quote_inside_reported_speech_is_one_mixed_row(nlp):
    text = 'Analyst Tom Reed described the merger as "deeply flawed" in a note to clients.'
    (q,) = direct(nlp, text)
    assert q["kind"] == "mixed" and "Reed" in who(q) and q["cue"] == "describe"
    assert q["text"] == 'the merger as "deeply flawed" in a note to clients'
    assert quoted_words(text, q) == ["deeply flawed"]


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
    "The company built a new plant in Ohio last year.",
    "Putin visited troops near the front on Monday.",
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
    """A title is no one's words: no direct row gives it a speaker (inside someone's
    reported words it is part of their mixed row)."""
    assert title in text
    assert not [q for q in only_direct(nlp, text) if title in q["text"] and q["speaker"] is not None]


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
    assert peskov["speaker"] == "Kremlin spokesperson Dmitry Peskov"  # the source as written
    assert peskov["text"].startswith("many aspects")
    assert peskov["speaker_canonical"] == "Dmitry Peskov"


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
    (q,) = direct(nlp, text)
    assert q["text"].startswith("I do not want my team")
    assert (q["speaker"], q["speaker_canonical"], q["resolution"]) == (None, None, "unresolved")


# -- generalisation fixes found on held-out articles (other outlets, other years) --------

def test_quote_closing_a_paragraph_is_not_claimed_by_a_cue_in_the_next_sentence(nlp):
    text = ('Referee Tom Lang added: "I gave the signal for him to take it. '
            '"The same thing happened at West Ham two years ago." '
            'Striker Luis Ortega explained why he paused before the kick.')
    qs = direct(nlp, text)
    assert qs and all("Lang" in who(q) for q in qs)


def test_next_paragraph_cue_does_not_take_a_quote(nlp):
    text = ('"After five months we finally had a chance to explain," said Katerina Vlahou. '
            '"We presented new evidence to the committee."\n\n'
            'Her lawyer Nikos Petrou said he believed the committee would clear them.')
    qs = direct(nlp, text)
    assert len(qs) == 2 and all("Vlahou" in who(q) for q in qs)


def test_it_said_resolves_to_the_organisation(nlp):
    text = ('Deutsche Bank has challenged the ruling in a Texas court. '
            'In a filing on Tuesday, it said the oil company had few ties to Texas.')
    (q,) = indirect(nlp, text)
    assert q["speaker"] == "it" and q["speaker_canonical"] == "Deutsche Bank"


def test_she_resolves_to_an_unnamed_spokeswoman_who_just_spoke(nlp):
    text = ('"The goal is to bring the library online," said Susan Park, a director at Google. '
            'A spokeswoman for Oxford University said the scanned books would include poetry. '
            '"Rare works will be made available to everyone," she said.')
    q = direct(nlp, text)[-1]
    assert q["speaker"] == "she" and "spokeswoman" in who(q)


def test_the_company_resolves_to_the_named_organisation(nlp):
    text = ('Midland Motors will close its assembly plant next year, eliminating about 1,800 jobs, '
            'the company announced on Thursday.')
    (q,) = indirect(nlp, text)
    assert q["speaker"] == "the company" and q["speaker_canonical"] == "Midland Motors"


def test_definite_role_noun_without_titled_person_is_the_person_just_quoted(nlp):
    text = ('Andrew Fisher said he would use the money to pay for college. '
            'The entrepreneur said his mother was surprised by the decision.')
    second = indirect(nlp, text)[-1]
    assert second["speaker"] == "The entrepreneur" and second["speaker_canonical"] == "Andrew Fisher"


def test_trailing_attribution_the_parser_left_unattached(nlp):
    text = ("Others on the list include Oliver Letwin and David Davis, "
            "the party's campaign chief Lord Rennard said.")
    (q,) = indirect(nlp, text)
    assert "Rennard" in who(q) and q["text"].startswith("Others on the list include")


def test_trailing_attribution_made_a_conjunct(nlp):
    text = ("Tony Blair is pressing the US to cut greenhouse gases despite its unwillingness "
            "to sign the Kyoto Protocol, Downing Street has indicated.")
    (q,) = [q for q in indirect(nlp, text) if q["cue"] == "indicate"]
    assert "Street" in str(q["speaker"]) and q["text"].startswith("Tony Blair is pressing")


def test_a_relative_clause_at_the_end_is_no_trailing_attribution(nlp):
    text = ("Lee, of the institute, says there are ways forward in the talks, but they would require "
            "painful concessions from the union \u2014 concessions Ortiz has so far firmly rejected.")
    rows = indirect(nlp, text)
    assert [q for q in rows if q["cue"] == "say" and "Lee" in who(q)]
    assert not [q for q in rows if "Ortiz" in who(q) and q["text"].startswith("Lee")]


def test_content_clause_parsed_as_an_object(nlp):
    text = "President Bush's advisers have repeatedly denied global warming is taking place."
    (q,) = indirect(nlp, text)
    assert q["text"] == "global warming is taking place" and "advisers" in str(q["speaker"])


def test_partial_quote_in_reported_clause_belongs_to_the_reporter(nlp):
    text = ('Chief Charles Williams said talks with the producers revealed there was '
            '"a strong element of cannibalism in the script".')
    outer = next(q for q in direct(nlp, text) if q["cue"] == "say")
    assert outer["kind"] == "mixed" and "Williams" in who(outer)
    assert not only_direct(nlp, text)


def test_possessive_speech_noun_subject(nlp):
    text = ('Andrew Fisher is selling advertising space on his forehead. '
            'His sales pitch adds: "Take advantage of this radical campaign."')
    (q,) = direct(nlp, text)
    assert who(q) == "Andrew Fisher"


def test_one_word_scare_quote_before_a_noun_is_not_a_quote(nlp):
    text = 'The union has called on the government to appoint "roving" safety inspectors.'
    assert only_direct(nlp, text) == []


def test_apposed_organisation_noun_makes_it_resolve(nlp):
    text = ('Streamly, the music streaming company, said it would raise its prices. '
            'Revenue rose 9% to $3.1 billion, it said in a letter to shareholders.')
    second = indirect(nlp, text)[-1]
    assert second["speaker"] == "it" and second["speaker_canonical"] == "Streamly"


def test_headline_cue_does_not_duplicate_a_reported_clause(nlp):
    text = ("Protect whistleblowers, TUC says\n\nThe government should change the law to protect "
            "workers who raise safety concerns, the TUC has said.")
    spans = [(q["start_char"], q["end_char"]) for q in indirect(nlp, text)]
    assert len(spans) == len(set(spans))


def test_british_quotes_get_their_speakers(nlp):
    text = ("Dr Ann Cole, who chairs the council\u2019s committee, said the plan was fragile. "
            "\u2018Staff are exhausted,\u2019 she said. \u2018We have heard this before.\u2019")
    got = direct(nlp, text)
    assert [q["text"] for q in got] == ["Staff are exhausted,", "We have heard this before."]
    assert all("Cole" in who(q) for q in got)


@pytest.mark.parametrize("text, speaker", [
    ('The rail scheme has been branded a "shameful waste" by auditors.', "auditors"),
    ('The broadcaster was criticised for "relentless smut" by campaigners.', "campaigners"),
    ('Hill was described as a "true gentleman" by his agent Tom Price.', "Price"),
])
def test_passive_agent_is_the_speaker(nlp, text, speaker):
    (q,) = direct(nlp, text)
    assert speaker in who(q) or speaker in str(q["speaker"])


def test_passive_without_agent_names_nobody(nlp):
    (q,) = direct(nlp, 'The rail scheme has been branded a "shameful waste" in a new report.')
    assert (q["text"], q["speaker"], q["resolution"]) == ("shameful waste", None, "unresolved")


def test_definite_role_with_modifiers_resolves_to_titled_person(nlp):
    text = ("Labour leader Tony Blair spoke first. Lib Dem leader Charles Kennedy said the budget failed. "
            "The rebate was an \"unfair tax\", the Lib Dem leader added.")
    (q,) = direct(nlp, text)
    assert q["speaker_canonical"] == "Charles Kennedy" and q["resolution"] == "role"


def test_spokesman_for_an_organisation_speaks_for_it(nlp):
    text = ('A spokesman for the World Health Organization said: "The outbreak is not over." '
            'He added: "Vaccines are on their way."')
    got = direct(nlp, text)
    assert len(got) == 2 and all("World Health Organization" in who(q) for q in got)


def test_pronoun_skips_possessor_for_the_named_subject(nlp):
    text = ('Wenger was upset. But Wenger\'s Bayern counterpart Felix Magath was not celebrating either. '
            'He said: "I am far from happy despite the win."')
    (q,) = direct(nlp, text)
    assert q["speaker_canonical"] == "Felix Magath"


def test_she_stays_with_the_unnamed_spokeswoman(nlp):
    text = ('John Beaumont ran the venture. He said it had failed. A spokeswoman for the Treasury said '
            'the venture had been ambitious. She added: "We were not the only ones to lose out."')
    (q,) = direct(nlp, text)
    assert "Beaumont" not in who(q)


def test_adjacent_quotes_share_the_later_cue(nlp):
    text = ('Jonah Lomu is back. "I started training three weeks after my operation. '
            '"Now it\'s basically bring it on!" said the giant winger.')
    got = direct(nlp, text)
    assert len(got) == 2 and all(q["speaker_canonical"] == "Jonah Lomu" for q in got)
    assert got[0]["resolution"] == "continuation"


def test_adjacent_quote_continues_rather_than_next_sentence_cue(nlp):
    text = ('A spokesman for Oxfam told the BBC: "The divide is real and needs to be addressed. '
            '"Some financing has to be found." On Tuesday, a meeting of donors agreed to a new fund.')
    got = direct(nlp, text)
    assert len(got) == 2 and all("Oxfam" in who(q) for q in got)


@pytest.mark.parametrize("text, content, speaker", [
    ("The system needs patching up before the winter, he added.",
     "The system needs patching up before the winter", "he"),
    ("Sales fell sharply in the third quarter, the company said.", "Sales fell sharply in the third quarter",
     "the company"),
])
def test_speech_verb_after_the_clause(nlp, text, content, speaker):
    found = indirect(nlp, text)
    assert [(q["text"], q["speaker"].lower()) for q in found] == [(content, speaker)]


def test_parenthetical_cue_mid_sentence_reports_both_parts(nlp):
    text = "Only 4% of rural homes had a fixed-line telephone, the report said, and 77% had a mobile."
    (found,) = indirect(nlp, text)
    assert found["text"] == text.rstrip(".")  # one row: both sides, the cue between them
    assert found["speaker"] == "the report"


@pytest.mark.parametrize("text", [
    "When the minister arrived at the station, the crowd cheered, and the band played.",
    "The company, which has 300 staff, will pay compensation to its customers.",
])
def test_commas_around_a_plain_clause_are_no_parenthetical_cue(nlp, text):
    assert indirect(nlp, text) == []


@pytest.mark.parametrize("text, content", [
    ("The Treasury said there would be no relaxation of economic discipline and the spending limits would be "
     "met without the revisions.",
     "there would be no relaxation of economic discipline and the spending limits would be met without the "
     "revisions"),
    ("He said there would be no relaxation of economic discipline and that spending would stay tight.",
     "there would be no relaxation of economic discipline and that spending would stay tight"),
    ("The librarian said weekend visits had risen by 35 percent since the branches began a pilot scheme.",
     "weekend visits had risen by 35 percent since the branches began a pilot scheme"),
])
def test_content_clause_keeps_its_conjuncts(nlp, text, content):
    assert [q["text"] for q in indirect(nlp, text)] == [content]


def test_content_clause_still_stops_at_a_nested_speaker(nlp):
    text = "Smith said the talks had failed, while Jones maintained that a deal was close."
    found = {q["text"]: q["speaker"] for q in indirect(nlp, text)}
    assert found.get("the talks had failed") == "Smith"


def test_definite_speech_noun_takes_the_owner_of_its_earlier_mention(nlp):
    text = ("Mobile use is soaring, according to a new World Bank report. "
            "The report said that mobile networks now reached most of Africa.")
    found = indirect(nlp, text)
    assert found[-1]["text"] == "mobile networks now reached most of Africa"
    assert "World Bank" in who(found[-1])


def test_according_to_a_noun_with_an_apposed_organisation(nlp):
    text = "Patients have reported waits of two years for surgery, according to the charity Healthwatch."
    assert [who(q) for q in indirect(nlp, text) if q["cue"] == "according to"] == ["Healthwatch"]
