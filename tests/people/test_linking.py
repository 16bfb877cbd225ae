"""The cross-article people table: linking spelling variants and surname-only ids."""

import pandas as pd

from newsmine.nlp.entities.names import AliasTable
from newsmine.people.linking import build_people, link_canonical_ids
from newsmine.tables.schemas import PEOPLE

NO_ALIASES = AliasTable()


def ents(*rows):
    cols = ["doc_id", "text", "label", "canonical_id", "canonical_name"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


def people(entities, quotes=None, aliases=NO_ALIASES):
    if quotes is None:
        quotes = pd.DataFrame(columns=["doc_id", "speaker_id", "speaker_canonical"])
    table = build_people(entities, quotes, aliases=aliases)
    assert table.schema.equals(PEOPLE, check_metadata=False)
    return {r["canonical_id"]: r for r in table.to_pylist()}


def test_spelling_variant_in_another_article_links_without_an_alias_entry():
    e = ents(
        ("a", "Volodymyr Zelenskyy", "PERSON", "volodymyr-zelenskyy", "Volodymyr Zelenskyy"),
        ("a", "Zelenskyy", "PERSON", "volodymyr-zelenskyy", "Volodymyr Zelenskyy"),
        ("b", "Volodymyr Zelensky", "PERSON", "volodymyr-zelensky", "Volodymyr Zelensky"),
        ("c", "Kyiv", "GPE", "kyiv", "Kyiv"),
    )
    out = people(e)
    assert list(out) == ["volodymyr-zelenskyy"]  # the most mentioned spelling wins, GPEs are not people
    row = out["volodymyr-zelenskyy"]
    assert (row["n_docs"], row["n_mentions"]) == (2, 3)
    assert set(row["aliases"]) == {"Volodymyr Zelenskyy", "Zelenskyy", "Volodymyr Zelensky"}


def test_alias_table_links_a_surname_only_variant():
    e = ents(
        ("a", "Volodymyr Zelenskyy", "PERSON", "volodymyr-zelenskyy", "Volodymyr Zelenskyy"),
        ("b", "Zelenskiy", "PERSON", "zelenskiy", "Zelenskiy"),
    )
    assert link_canonical_ids(e) == {"zelenskiy": "volodymyr-zelenskyy"}  # the shipped aliases.json


def test_surname_only_links_only_when_one_full_name_matches():
    e = ents(
        ("a", "Keir Starmer", "PERSON", "keir-starmer", "Keir Starmer"),
        ("b", "Starmer", "PERSON", "starmer", "Starmer"),
        ("c", "Joe Biden", "PERSON", "joe-biden", "Joe Biden"),
        ("c", "Jill Biden", "PERSON", "jill-biden", "Jill Biden"),
        ("d", "Biden", "PERSON", "biden", "Biden"),
    )
    mapping = link_canonical_ids(e, NO_ALIASES)
    assert mapping == {"starmer": "keir-starmer"}  # "Biden" is ambiguous: stays its own row
    assert sorted(people(e)) == ["biden", "jill-biden", "joe-biden", "keir-starmer"]


def test_conflicting_first_names_never_merge():
    e = ents(
        ("a", "Olena Zelenska", "PERSON", "olena-zelenska", "Olena Zelenska"),
        ("b", "Volodymyr Zelenskyy", "PERSON", "volodymyr-zelenskyy", "Volodymyr Zelenskyy"),
    )
    assert link_canonical_ids(e, NO_ALIASES) == {}


def test_quotes_count_under_the_linked_id():
    e = ents(
        ("a", "Dmitry Peskov", "PERSON", "dmitry-peskov", "Dmitry Peskov"),
        ("b", "Peskov", "PERSON", "peskov", "Peskov"),
    )
    q = pd.DataFrame(
        [
            {"doc_id": "a", "speaker_id": "dmitry-peskov", "speaker_canonical": "Dmitry Peskov"},
            {"doc_id": "b", "speaker_id": "peskov", "speaker_canonical": "Peskov"},
            {"doc_id": "b", "speaker_id": None, "speaker_canonical": None},
        ]
    )
    out = people(e, q)
    assert out["dmitry-peskov"]["n_quotes"] == 2
    assert out["dmitry-peskov"]["canonical_name"] == "Dmitry Peskov"


def test_titles_column_is_used_when_present():
    e = ents(("a", "Dmitry Peskov", "PERSON", "dmitry-peskov", "Dmitry Peskov"))
    e["titles"] = [["Kremlin spokesperson"]]
    assert people(e)["dmitry-peskov"]["titles"] == ["Kremlin spokesperson"]


def test_empty_input_gives_an_empty_table():
    assert build_people(ents(), pd.DataFrame(), aliases=NO_ALIASES).num_rows == 0
