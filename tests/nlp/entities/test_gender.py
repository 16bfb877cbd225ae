"""Gender of a person: the first-name table, honorifics and titles, and the clusters that carry it."""

from __future__ import annotations

import pytest

from newsmine.nlp.entities.gender import FEMALE, MALE, NameGenders, agreed, read_name_genders
from newsmine.rules import RuleDataError, RuleSource


def cluster(doc, name: str) -> dict:
    found = [c for c in doc._.newsmine_people if c["canonical_name"] == name]
    assert len(found) == 1, [c["canonical_name"] for c in doc._.newsmine_people]
    return found[0]


def test_shipped_table_knows_common_names_and_abstains_on_mixed_ones():
    names = read_name_genders(RuleSource.models(), "lexicon/first_names.tsv")
    assert len(names.p_female) > 40_000
    assert names.of_name("Hillary Rodham Clinton") == FEMALE
    assert names.of_name("Volodymyr Zelenskyy") == MALE
    assert names.of_name("Olena Zelenska") == FEMALE
    assert names.of_name("Jean-Claude Juncker") == MALE  # the hyphenated name by its first part
    # names used for both genders stay unknown, never a guess
    for mixed in ("Jordan Peele", "Jean Castex", "Kim Jong-un", "Nicola Sturgeon"):
        assert names.of_name(mixed) is None, mixed
    # a surname alone, an initial or an unknown name tells nothing
    assert names.of_name("Zelenskyy") is None
    assert names.of_name("J.D. Vance") is None
    assert names.of_name("Xqzt Borowik") is None


def test_certainty_and_accents():
    names = NameGenders({"andrea": 0.83, "jose": 0.01}, certainty=0.8)
    assert names.of_first_name("Andrea") == FEMALE
    assert names.of_first_name("José") == MALE  # accents ignored
    assert NameGenders({"andrea": 0.83}).of_first_name("Andrea") is None  # default 0.9


def test_agreed_needs_one_gender():
    assert agreed([None, FEMALE, FEMALE]) == FEMALE
    assert agreed([MALE, FEMALE]) is None
    assert agreed([None]) is None


@pytest.mark.parametrize("text, message", [
    ("ann\t0.99\n", "header"),
    ("name\tp_female\nann\tx\n", "probability"),
    ("name\tp_female\nann\t1.5\n", "probability"),
    ("name\tp_female\nann\t0.9\nAnn\t0.8\n", "duplicate"),
])
def test_bad_table_lines_fail_naming_the_file(text, message):
    source = RuleSource(texts={"names.tsv": text})
    with pytest.raises(RuleDataError, match=message) as err:
        read_name_genders(source, "names.tsv")
    assert "names.tsv" in str(err.value)


def test_clusters_carry_gender_from_first_name_honorific_and_title(nlp):
    doc = nlp("Mrs. Dale Porter met Kevin Osei and the actress Robin Vance in Leeds on Monday. "
              "Ms. Porter said the film would open in May.")
    assert cluster(doc, "Kevin Osei")["gender"] == MALE  # first name
    assert cluster(doc, "Dale Porter")["gender"] == FEMALE  # honorific beats a male-leaning first name
    assert cluster(doc, "Robin Vance")["gender"] == FEMALE  # `the actress`
    names = ("Kevin Osei", "Dale Porter", "Robin Vance")
    sources = {name: cluster(doc, name)["gender_source"] for name in names}
    assert sources == {"Kevin Osei": "first_name", "Dale Porter": "honorific", "Robin Vance": "title"}


def test_surname_with_other_gender_honorific_is_another_person(nlp):
    doc = nlp("Hillary Clinton spoke in Ohio on Monday. Bill Clinton spoke in Iowa. "
              "Later Mrs. Clinton thanked the crowd and Mr. Clinton left early.")
    hillary, bill = cluster(doc, "Hillary Clinton"), cluster(doc, "Bill Clinton")
    text = doc.text
    assert [text[s:e] for s, e in hillary["mentions"]] == ["Hillary Clinton", "Clinton"]
    assert [text[s:e] for s, e in bill["mentions"]] == ["Bill Clinton", "Clinton"]
    assert (hillary["gender"], bill["gender"]) == (FEMALE, MALE)
