"""Name normalisation: the rules that decide when two surface forms are one person."""

import pytest

from newsmine.nlp.entities.names import (
    AliasTable,
    clean_name,
    first_names_compatible,
    fold,
    name_parts,
    read_nicknames,
    same_person,
    same_surname,
    slug,
    strip_accents,
    strip_possessive,
    strip_titles,
    within_one_edit,
)
from newsmine.rules import RuleDataError, RuleSource


def test_possessives_and_accents_are_normalised():
    assert strip_possessive("Zelenskyy\u2019s") == "Zelenskyy"
    assert strip_possessive("Jones'") == "Jones"
    assert strip_possessive("Reuters") == "Reuters"  # a final s is not a possessive
    assert strip_accents("Erdoğan") == "Erdogan"
    assert fold("Erdoğan's") == "erdogan"
    assert clean_name("the White House") == "White House"


def test_titles_are_stripped_but_never_the_whole_name():
    assert strip_titles("President Joe Biden", titles=["president"]) == "Joe Biden"
    assert strip_titles("Dr. Jane Goodall", honorifics=["dr."]) == "Jane Goodall"
    assert strip_titles("President", titles=["president"]) == "President"


def test_slug_is_stable_ascii():
    assert slug("Volodymyr Zelenskyy") == "volodymyr-zelenskyy"
    assert slug("Recep Tayyip Erdoğan's") == "recep-tayyip-erdogan"


def test_name_parts_keep_particles_with_the_surname():
    assert name_parts("Ursula von der Leyen") == (("ursula",), "von der leyen")
    assert name_parts("Putin") == ((), "putin")


def test_one_edit_variants():
    assert within_one_edit("zelensky", "zelenskyy")
    assert within_one_edit("zelenskiy", "zelenskyy")
    assert not within_one_edit("zelensky", "zelenska1x")
    assert same_surname("zelensky", "zelenskiy")
    assert not same_surname("li", "lee")  # too short to call a spelling variant


def test_first_names_must_not_conflict():
    assert first_names_compatible(("jd",), ("james", "david"))
    assert first_names_compatible(("j.",), ("joe",))
    assert first_names_compatible((), ("joe",))
    assert not first_names_compatible(("joe",), ("jill",))


def test_same_person():
    assert same_person("Volodymyr Zelensky", "Volodymyr Zelenskyy")
    assert same_person("Zelenskiy", "Volodymyr Zelenskyy")
    assert not same_person("Joe Biden", "Jill Biden")
    assert not same_person("Olena Zelenska", "Sergey Lavrov")


def test_alias_table_lookup_ignores_case_and_possessive():
    table = AliasTable.from_dict(
        {"_about": "x", "volodymyr-zelenskyy": {"name": "Volodymyr Zelenskyy", "variants": ["Zelensky"]}}
    )
    assert table.lookup("ZELENSKY's") == ("volodymyr-zelenskyy", "Volodymyr Zelenskyy")
    assert table.lookup("Zelenska") is None
    assert table.canonical("Olena Zelenska") == ("olena-zelenska", "Olena Zelenska")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bernard\tbernie\n", "expected the header"),
        ("name\tnickname\nbernard bernie\n", "not 'name<TAB>nickname'"),
        ("name\tnickname\nbernard\tbernie\nBernard\tBernie\n", "duplicate entry"),
    ],
)
def test_bad_nickname_lines_fail_naming_the_file(text, message):
    with pytest.raises(RuleDataError, match=message) as err:
        read_nicknames(RuleSource(texts={"nicks.tsv": text}), "nicks.tsv")
    assert "nicks.tsv" in str(err.value)


def test_nicknames_make_first_names_compatible_both_ways():
    nicks = read_nicknames(RuleSource(texts={"n.tsv": "# c\nname\tnickname\nbernard\tbernie\n"}), "n.tsv")
    assert same_person("Bernie Ebbers", "Bernard Ebbers", nicks)
    assert same_person("Bernard Ebbers", "Bernie Ebbers", nicks)
    assert not same_person("Bernie Ebbers", "Bernard Ebbers")
    assert not same_person("Bernie Ebbers", "Bernard Evans", nicks)
