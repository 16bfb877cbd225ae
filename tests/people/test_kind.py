"""People who are people: the kind, gender and nickname links of the people table."""

from collections import Counter

import pandas as pd

from newsmine.nlp.entities.names import AliasTable, Nicknames
from newsmine.people.kind import gender_of, kind_of
from newsmine.people.linking import build_people, default_nicknames, link_ids

NO_ALIASES = AliasTable()
COLS = ["doc_id", "text", "label", "canonical_id", "canonical_name", "gender", "gender_source"]


def ents(*rows):
    return pd.DataFrame([dict(zip(COLS, r + (None,) * (len(COLS) - len(r)), strict=True)) for r in rows])


def quotes(*rows):
    cols = ["doc_id", "speaker", "speaker_id", "speaker_canonical", "resolution"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], columns=cols)


def people(entities, said=None):
    table = build_people(entities, said if said is not None else quotes(), aliases=NO_ALIASES)
    return {r["canonical_id"]: r for r in table.to_pylist()}


def test_the_strongest_evidence_decides_the_gender():
    said = Counter({("female", "honorific"): 1, ("male", "first_name"): 4})
    assert gender_of(said) == ("female", "honorific")
    assert gender_of(Counter({("male", "pronoun"): 5, ("female", "pronoun"): 1})) == ("male", "pronoun")
    # the honorifics disagree (two people merged?): unknown, not the first name's guess
    assert gender_of(Counter({("male", "honorific"): 2, ("female", "honorific"): 2,
                              ("male", "first_name"): 3})) == ("unknown", None)
    assert gender_of(Counter()) == ("unknown", None)


def test_an_id_tagged_as_a_company_elsewhere_is_an_organisation():
    assert kind_of(Counter(), other_labels=5, person_mentions=2) == "organisation"
    assert kind_of(Counter({("male", "honorific"): 1}), other_labels=5, person_mentions=2) == "person"
    assert kind_of(Counter({("female", "first_name"): 1}), other_labels=2, person_mentions=1) == "person"
    assert kind_of(Counter(), other_labels=0, person_mentions=1) == "person"


def test_people_rows_carry_kind_and_gender_from_every_article():
    e = ents(
        ("a", "Boeing", "PERSON", "boeing", "Boeing"),  # "Boeing said it would cut 500 jobs"
        ("b", "Boeing", "ORG", "boeing", "Boeing"),
        ("c", "Boeing", "ORG", "boeing", "Boeing"),
        ("a", "Mrs Alvarez", "PERSON", "maria-alvarez", "Maria Alvarez", "female", "honorific"),
        ("b", "Maria Alvarez", "PERSON", "maria-alvarez", "Maria Alvarez", "female", "first_name"),
        ("c", "Harrison Ford", "PERSON", "harrison-ford", "Harrison Ford", "male", "first_name"),
        ("d", "Ford", "ORG", "ford", "Ford"),
        ("d", "Ford", "ORG", "ford", "Ford"),
        ("e", "Dana Kowalczyk", "PERSON", "dana-kowalczyk", "Dana Kowalczyk"),
    )
    said = quotes(("e", "she", "dana-kowalczyk", "Dana Kowalczyk", "pronoun"),
                  ("e", "Kowalczyk", "dana-kowalczyk", "Dana Kowalczyk", "named"))
    out = people(e, said)
    assert (out["boeing"]["kind"], out["boeing"]["gender"]) == ("organisation", "unknown")
    assert (out["maria-alvarez"]["gender"], out["maria-alvarez"]["gender_source"]) == ("female", "honorific")
    assert out["harrison-ford"]["kind"] == "person"  # "Ford" the carmaker says nothing of him
    assert (out["harrison-ford"]["gender"], out["harrison-ford"]["gender_source"]) == ("male", "first_name")
    row = out["dana-kowalczyk"]  # "Dana" is either; "she said" settles it
    facts = (row["kind"], row["gender"], row["gender_source"], row["n_quotes"])
    assert facts == ("person", "female", "pronoun", 2)


def test_nicknames_link_and_then_a_lone_surname_has_one_person_to_join():
    e = ents(
        ("a", "Bernard Ebbers", "PERSON", "bernard-ebbers", "Bernard Ebbers"),
        ("a", "Ebbers", "PERSON", "bernard-ebbers", "Bernard Ebbers"),
        ("b", "Bernie Ebbers", "PERSON", "bernie-ebbers", "Bernie Ebbers"),
        ("c", "Ebbers", "PERSON", "ebbers", "Ebbers"),
    )
    out = people(e)
    assert list(out) == ["bernard-ebbers"]
    assert (out["bernard-ebbers"]["n_docs"], out["bernard-ebbers"]["n_mentions"]) == (3, 4)
    assert {"Bernie Ebbers", "Ebbers"} <= set(out["bernard-ebbers"]["aliases"])


def test_a_nickname_of_the_other_gender_never_links():
    # the nickname list pairs Aaron with Erin; the first-name table says they differ
    assert ("aaron", "erin") not in default_nicknames().pairs
    assert default_nicknames().same("bill", "william")
    names = {"aaron-cole": "Aaron Cole", "erin-cole": "Erin Cole", "bill-ames": "Bill Ames",
             "william-ames": "William Ames"}
    weight = dict.fromkeys(names, 1)
    assert link_ids(names, weight, NO_ALIASES) == {"bill-ames": "william-ames"}
    assert link_ids(names, weight, NO_ALIASES, Nicknames()) == {}  # without the table: two people


def test_only_quotes_of_a_person_speaker_count_for_a_person():
    e = ents(("a", "People", "PERSON", "people", "People"))  # a headline word tagged PERSON
    said = quotes(("b", "people", "people", "people", "named"), ("c", "people", "people", "people", "named"))
    said["speaker_label"] = [None, None]  # "people said": no PERSON speaker
    assert people(e, said)["people"]["n_quotes"] == 0
    said["speaker_label"] = ["PERSON", None]
    assert people(e, said)["people"]["n_quotes"] == 1
