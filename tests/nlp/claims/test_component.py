"""The newsmine_claims component: counted nouns, rates, bounds and who makes the claim."""

from __future__ import annotations

import pytest

from newsmine.nlp.attrs import CLAIMS, QUOTES

KEYS = {"text", "start_char", "end_char", "value", "value_low", "value_high", "unit", "kind", "qualifier",
        "trend", "subject", "predicate", "claimant", "claimant_canonical", "quote_index", "sentence"}


def claims_of(nlp, text):
    return nlp(text)._.get(CLAIMS)


def with_quotes(nlp, text, quotes):
    """The claims of ``text`` when the quote stage gave ``quotes`` (every earlier component runs)."""
    doc = nlp.make_doc(text)
    for _, proc in nlp.pipeline:
        if proc is nlp.get_pipe("newsmine_claims"):
            break
        doc = proc(doc)
    doc._.set(QUOTES, quotes)
    return nlp.get_pipe("newsmine_claims")(doc)._.get(CLAIMS)


def one(nlp, text):
    claims = claims_of(nlp, text)
    assert len(claims) == 1, claims
    return claims[0]


def test_record_shape_and_offsets(nlp):
    text = "Police said at least 14 people were killed in the blast."
    doc = nlp(text)
    (claim,) = doc._.get(CLAIMS)
    assert set(claim) == KEYS
    assert text[claim["start_char"]:claim["end_char"]] == claim["text"] == "at least 14"
    assert claim["sentence"] == text
    assert all(not hasattr(v, "doc") for v in claim.values())  # plain data only


def test_counted_noun_subject_and_predicate(nlp):
    c = one(nlp, "An estimated 790,000 Russian soldiers have been killed or injured since the invasion.")
    assert (c["value"], c["unit"], c["kind"], c["qualifier"]) == (790000, "soldiers", "count", "approximate")
    assert c["subject"] == "Russian soldiers"
    assert c["predicate"] == "killed or injured"


def test_container_noun_gives_the_unit(nlp):
    c = one(nlp, "Zelenskyy reported that the number of Ukrainian military casualties exceeded 400,000.")
    assert (c["unit"], c["qualifier"], c["claimant"]) == ("casualties", "more_than", "Zelenskyy")


def test_rate_from_counted_noun(nlp):
    c = one(nlp, "He warned that 5000 soldiers a week are dying on the front.")
    assert (c["text"], c["kind"], c["value"]) == ("5000 soldiers a week", "rate", 5000)
    assert c["unit"] == "soldiers per week"


def test_rate_not_from_relative_date(nlp):
    c = one(nlp, "The agency hired 300 workers a year ago.")
    assert c["kind"] == "count" and c["unit"] == "workers"


def test_duration_tagged_date_by_ner_is_kept(nlp):
    c = one(nlp, "But more than four months since his inauguration that goal looks far away.")
    assert (c["kind"], c["unit"], c["qualifier"], c["value"]) == ("duration", "month", "more_than", 4)


def test_money_percent_and_trend(nlp):
    claims = claims_of(nlp, "Revenue rose 12% to $5.4m, the company said.")
    got = [(c["value"], c["unit"], c["trend"]) for c in claims]
    assert got == [(12, "percent", "up"), (5_400_000, "US dollar", "up")]  # the change, the level reached
    assert all(c["claimant"] == "company" for c in claims)


@pytest.mark.parametrize(
    "text",
    [
        "The talks were held on Feb. 24, 2022, in Istanbul.",
        "Crimea was annexed in 2014.",
        "They met on May 16 at 10:30 a.m.",
        "It was their first direct talks since the 22nd round.",
        "The rule is set out in Section 427 of the code.",
        "She sat in Row 21 next to Room 4.",
        "Call 555-123-4567 or visit https://example.com/2025/06/02/story-5414522.",
        "Kyiv would forgo NATO membership, meeting a key Kremlin demand.",
        "It was one of the most intense attacks, and both sides accused one another.",
        "That might not be such a calamity.",
    ],
)
def test_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


def test_according_to_source(nlp):
    doc = nlp("According to a U.S. assessment released in April, an estimated 790,000 Russian soldiers "
              "have been killed.")
    (c,) = doc._.get(CLAIMS)
    assert c["claimant"] == "U.S. assessment"
    # the figure sits in the reported speech of "according to", which the claim points at
    quote = doc._.newsmine_quotes[c["quote_index"]]
    assert (quote["kind"], quote["cue"]) == ("indirect", "according to")
    assert quote["speaker"] == "a U.S. assessment released in April"  # the source as written


def test_source_noun_resolves_to_its_origin(nlp):
    c = one(nlp, "Figures from the health ministry show that nearly 2,500 patients were treated.")
    assert c["claimant"] == "health ministry"
    assert c["qualifier"] == "approximate"


def test_nearest_reporting_verb_wins(nlp):
    text = ("According to a U.S. assessment, 790,000 Russian soldiers have been killed, while "
            "Zelenskyy has said more than 400,000 Ukrainian forces been killed or injured.")
    claims = claims_of(nlp, text)
    got = [(c["value"], c["claimant"]) for c in claims]
    assert got == [(790000, "U.S. assessment"), (400000, "Zelenskyy")]
    assert claims[1]["unit"] == "forces"


def test_no_claimant_without_a_source(nlp):
    c = one(nlp, "The meeting resulted in a prisoner exchange, with over 1,000 detainees released.")
    assert (c["claimant"], c["unit"], c["qualifier"]) == (None, "detainees", "more_than")


def test_number_inside_a_quote_takes_the_speaker(nlp):
    text = 'Trump wrote: "Vladimir, STOP! 5000 soldiers a week are dying," adding more.'
    doc = nlp.make_doc(text)
    for _, proc in nlp.pipeline:
        if proc is nlp.get_pipe("newsmine_claims"):
            break
        doc = proc(doc)
    start = text.index("Vladimir")
    doc._.set(QUOTES, [
        {"kind": "direct", "text": "unrelated", "start_char": 0, "end_char": 5, "speaker": "Someone",
         "speaker_canonical": "Some One"},
        {"kind": "direct", "text": text[start:text.index(',"') + 1], "start_char": start,
         "end_char": text.index(',"') + 1, "speaker": "Trump", "speaker_canonical": "Donald Trump"},
    ])
    doc = nlp.get_pipe("newsmine_claims")(doc)
    (c,) = doc._.get(CLAIMS)
    assert (c["claimant"], c["claimant_canonical"], c["quote_index"]) == ("Trump", "Donald Trump", 1)


def test_full_pipeline_quote_attribution(nlp):
    text = ('Posting on Truth Social, Trump wrote: "I am not happy with the Russian strikes on KYIV. '
            'Not necessary, and very bad timing. Vladimir, STOP! 5000 soldiers a week are dying," adding, '
            '"Lets get the Peace Deal DONE!"')
    doc = nlp(text)
    (c,) = doc._.get(CLAIMS)
    assert c["quote_index"] is not None
    assert "Trump" in (c["claimant_canonical"] or "") or c["claimant"] == "Trump"


def test_sample_articles(nlp, sample_texts):
    doc = nlp(sample_texts["000_a03c45c6a71a2a84.txt"])
    found = {(c["value"], c["unit"], c["qualifier"]) for c in doc._.get(CLAIMS)}
    assert (790000, "soldiers", "approximate") in found
    assert (400000, "casualties", "more_than") in found
    assert (30, "day", "exact") in found
    assert not any(c["value"] in (2014, 2022, 24, 16) for c in doc._.get(CLAIMS))


def test_plural_proper_noun_and_level_noun_give_the_unit(nlp):
    text = "About 3,000 Caribs live on the island of Dominica, which has a population of 70,000."
    claims = claims_of(nlp, text)
    assert [(c["value"], c["unit"], c["qualifier"]) for c in claims] == [
        (3000, "caribs", "approximate"), (70000, "population", "exact")]
    c = one(nlp, "It would appear that with ticket sales over 5,000, many others agree.")
    assert (c["unit"], c["subject"], c["qualifier"]) == ("sales", "ticket sales", "more_than")


def test_container_before_a_bare_figure_is_not_a_unit(nlp):
    c = one(nlp, "The appeal raised a total of 5,000 by Friday.")
    assert c["unit"] is None


def test_elliptical_figure_takes_the_earlier_counted_noun(nlp):
    text = ("In 2001, Michael Howard won the seat with 20,645 votes, compared to 14,738 for the Liberal "
            "Democrat candidate, giving the Tory leader a majority of 5,907.")
    assert [(c["value"], c["unit"]) for c in claims_of(nlp, text)] == [
        (20645, "votes"), (14738, "votes"), (5907, "majority")]
    c = claims_of(nlp, "The company added 1.1 million subscribers, down from 2.4 million a year earlier.")[1]
    assert (c["value"], c["unit"], c["kind"]) == (2_400_000, "subscribers", "count")


def test_elliptical_needs_a_comparison(nlp):
    claims = claims_of(nlp, "The researchers surveyed 12,500 students aged 13 to 17.")
    assert [(c["value"], c["unit"]) for c in claims] == [(12500, "students"), (15, "year of age")]
    assert (claims[1]["value_low"], claims[1]["value_high"], claims[1]["qualifier"]) == (13, 17, "exact")


def test_outermost_speaker_beats_a_cited_document(nlp):
    text = ("The TUC wants new laws to protect staff. It said data from employment tribunals suggested "
            "1,500 workers had lost their jobs.")
    c = one(nlp, text)
    assert c["claimant"] == "TUC"


def test_the_company_resolves_to_the_named_organisation(nlp):
    text = ("Streamly, the music streaming company, said on Wednesday it would cut costs. "
            "The company said it added 1.1 million subscribers in the quarter.")
    c = one(nlp, text)
    assert c["claimant_canonical"] == "Streamly"


def test_quantity_subject_is_not_a_claimant(nlp):
    claims = claims_of(nlp, "About 38 percent said they used their phones at least three nights a week.")
    assert [c["claimant"] for c in claims] == [None, None]
    assert (claims[1]["unit"], claims[1]["kind"]) == ("night per week", "rate")


def test_pronoun_speaker_of_a_quote_is_resolved(nlp):
    text = 'Tim Dean manages the arena. "Ticket sales are over 5,000," he said.'
    doc = nlp.make_doc(text)
    for _, proc in nlp.pipeline:
        if proc is nlp.get_pipe("newsmine_claims"):
            break
        doc = proc(doc)
    start, he = text.index('"') + 1, text.index("he said")
    doc._.set(QUOTES, [{"kind": "direct", "text": text[start:he - 3], "start_char": start,
                        "end_char": he - 3, "speaker": "he", "speaker_canonical": None,
                        "speaker_start": he, "speaker_end": he + 2}])
    (c,) = nlp.get_pipe("newsmine_claims")(doc)._.get(CLAIMS)
    assert (c["claimant"], c["claimant_canonical"]) == ("he", "Tim Dean")


def test_a_number_named_by_an_apposition_is_a_label(nlp):
    assert claims_of(nlp, 'He added: "I would not go around with 666, the mark of the beast."') == []
    c = one(nlp, "The final drew 70,000, the biggest crowd of the season.")
    assert c["value"] == 70000


def test_change_by_then_new_level(nlp):
    claims = claims_of(nlp, "Streamly said it would raise its monthly price by $2 to $12.99 in the US.")
    got = [(c["value"], c["qualifier"], c["trend"]) for c in claims]
    assert got == [(2, "exact", "up"), (12.99, "exact", "up")]


@pytest.mark.parametrize(
    "text",
    [
        "Thanou, the women's 100m silver medallist, and Sydney 200m champion Kenteris were suspended.",
        "In 2004 Nelly occupied the number one and two positions in the US albums chart.",
        "The same thing happened when I refereed Chelsea two years ago.",
    ],
)
def test_vague_labels_and_relative_dates_are_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


def test_wire_dateline_is_never_a_claimant(nlp):
    text = ("Transit agency seeks funds\n\nDENVER (AP) — The Regional Transportation District asked "
            "lawmakers for $1.2 billion, warning that ridership could fall another 15% if cuts continue.")
    claims = {c["text"]: c for c in claims_of(nlp, text)}
    assert claims["15%"]["claimant"] == "Regional Transportation District"
    assert all(c["claimant"] != "DENVER" for c in claims.values())


def test_figures_published_by_a_body_credit_the_body(nlp):
    c = claims_of(nlp, "Figures published on Thursday by NHS England show the waiting list fell to 7.5m.")
    assert c[0]["claimant"] == "NHS England"
    c = claims_of(nlp, "Figures from NHS England show the waiting list fell to 7.5 million.")
    assert c[0]["claimant"] == "NHS England"


def test_unsourced_figures_keep_the_noun_phrase(nlp):
    c = one(nlp, "Official figures show the waiting list fell to 7.5 million.")
    assert c["claimant"] == "Official figures"


def test_a_later_sentence_speaker_does_not_take_a_number(nlp):
    text = ("After the announcement, economists said there could be a boost to the budget of about £400m. "
            "\"None of this changes the big picture,\" said Jonathan Loynes, chief UK economist at Capital "
            "Economics.")
    claims = {c["text"]: c for c in claims_of(nlp, text)}
    assert claims["about £400m"]["claimant"] == "economists"


def test_fraction_of_a_million_counts_students(nlp):
    c = one(nlp, "Initial business plans forecast a quarter of a million students joining within a decade.")
    assert (c["value"], c["unit"]) == (250000, "students")


def test_vague_quantities_count_their_noun(nlp):
    c = one(nlp, "Shooting begins in April, with hundreds of Dominicans applying to be extras.")
    assert (c["value_low"], c["value_high"], c["unit"], c["qualifier"]) == (100, 1000, "dominicans", "exact")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("A 47-year-old man was arrested on Friday.", 47, "year of age"),
        ("Joe Maddon, 66, will stay on as manager.", 66, "year of age"),
        ("Police said the man, 47, had been released.", 47, "year of age"),
        ("The index closed at 7,210 on Friday.", 7210, None),
    ],
)
def test_ages_and_levels_survive_the_date_label(nlp, text, value, unit):
    c = one(nlp, text)
    assert (c["value"], c["unit"]) == (value, unit)


def test_an_abbreviation_after_a_bare_figure_is_its_unit(nlp):
    claims = claims_of(nlp, "Top relievers: John Gant (0.5 WAR), Alex Reyes (0.4 WAR).")
    assert [(c["value"], c["unit"]) for c in claims] == [(0.5, "war"), (0.4, "war")]


def test_ranks_and_pronouns_are_no_counts(nlp):
    assert claims_of(nlp, "The side have slipped towards the bottom three.") == []
    assert claims_of(nlp, "Fresh out of university, she is certainly one to watch.") == []
    assert claims_of(nlp, "The price is a real barrier to getting one, he said.") == []
    assert [c["value"] for c in claims_of(nlp, "Three people were hurt and one died.")] == [3, 1]
    c = one(nlp, "They rely on the top three seeds from each region.")
    assert (c["value"], c["unit"]) == (3, "seeds")


def test_a_fraction_names_its_group(nlp):
    c = one(nlp, "Nearly two-thirds of German households rent their homes.")
    assert (c["kind"], c["unit"], c["qualifier"]) == ("fraction", "fraction of households", "approximate")
    assert c["value"] == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("text", "predicate"),
    [
        ("Sobbing, the 34-year-old told the court she had lost £20,000.", "lost"),
        ("The team returned and was fined 300 euros.", "fined"),
        ("Officials did not expect 500 complaints.", "did not expect"),
        ("The firm can't repay the $5m loan.", "can't repay"),
        ("An estimated 790,000 soldiers have been killed or injured.", "killed or injured"),
        ("The plan was to go with 500m to go.", "go"),
    ],
)
def test_the_predicate_is_a_verb_phrase(nlp, text, predicate):
    c = [c for c in claims_of(nlp, text) if c["kind"] != "age"][0]
    assert c["predicate"] == predicate


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("According to Labor Department figures, US firms added only 146,000 jobs in January.",
         "Labor Department figures"),
        ("The report, which was published by the ONS, found that 3.2 million people were in work.", "ONS"),
        ("Residents fear that 200 jobs could be lost, the union warned.", "union"),
        ("Analysts put the cost of the scheme at $5m.", "Analysts"),
        ("Sobbing, the 34-year-old told the court she had lost £20,000.", "34-year-old"),
    ],
)
def test_the_claimant_is_a_source(nlp, text, claimant):
    c = [c for c in claims_of(nlp, text) if c["kind"] != "age"][0]
    assert c["claimant"] == claimant


@pytest.mark.parametrize(
    "text",
    [
        "US firms added only 146,000 jobs in January.",
        "The increase has put it one level below Russia.",
        "Microsoft will recall 14 million power cables.",
        "Tobacco shares closed higher, with Altria rising 5% and Reynolds showing gains of 4.5%.",
        "The sobbing mother of three said her house had been hit.",
    ],
)
def test_a_subject_that_reports_nothing_is_no_claimant(nlp, text):
    claims = claims_of(nlp, text)
    assert claims
    assert all(c["claimant"] in (None, "sobbing mother") for c in claims)
    assert all(c["unit"] != "mother" for c in claims)


def test_a_figure_in_a_mixed_quote_is_its_speakers_claim(nlp):
    text = 'The minister said the scheme would create "up to 5,000 new jobs" by 2030, aides added.'
    start, end = text.index("the scheme"), text.index(" by")
    (c,) = with_quotes(nlp, text, [{"kind": "mixed", "text": text[start:end], "start_char": start,
                                    "end_char": end, "speaker": "The minister", "speaker_start": 0,
                                    "speaker_end": 12, "speaker_canonical": "Jane Doe"}])
    assert (c["value"], c["qualifier"], c["claimant"], c["claimant_canonical"], c["quote_index"]) == (
        5000, "at_most", "The minister", "Jane Doe", 0)


def test_a_count_credited_as_a_speaker_is_no_claimant(nlp):
    text = "The number of calls to call centres is growing at a rate of 20% every year."
    start = text.index("centres")
    (c,) = with_quotes(nlp, text, [{"kind": "indirect", "text": text[start:-1], "start_char": start,
                                    "end_char": len(text) - 1, "speaker": "The number", "cue": "call",
                                    "speaker_canonical": None, "speaker_start": 0, "speaker_end": 10}])
    assert (c["value"], c["unit"], c["claimant"], c["quote_index"]) == (20, "percent per year", None, 0)
