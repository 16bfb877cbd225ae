"""The cross-article people table: linking spelling variants and surname-only ids."""

import pandas as pd

from newsmine.nlp.entities.names import AliasTable, slug
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


def article_ents(*articles):
    """Entity rows of whole articles: (doc_id, [(name, canonical name), ...])."""
    rows = []
    for doc, names in articles:
        for text, canon in names:
            rows.append((doc, text, "PERSON", slug(canon), canon))
    return ents(*rows)


def groups_of(entities):
    """Every person row's aliases, as sets (what was linked with what)."""
    return sorted(sorted(r["aliases"]) for r in people(entities).values())


# three namesakes whose first names share the initial S, and the short forms that fit them all
KESSLINGS = (
    ("tennis", [("Sadie Kessling", "Sadie Kessling"), ("Kessling", "Sadie Kessling")]),
    ("rugby", [("Shaun Kessling", "Shaun Kessling"), ("Kessling", "Shaun Kessling")]),
    ("league", [("Sonny Ray Kessling", "Sonny Ray Kessling")]),
    ("results", [("S Kessling", "S Kessling")]),
    ("fixtures", [("Kessling", "Kessling")]),
)


def test_an_initial_fitting_several_people_joins_none_of_them():
    # "S Kessling" fits Sadie, Shaun and Sonny Ray Kessling: it must not chain them into one
    assert groups_of(article_ents(*KESSLINGS)) == [
        ["Kessling"], ["Kessling", "Sadie Kessling"], ["Kessling", "Shaun Kessling"],
        ["S Kessling"], ["Sonny Ray Kessling"],
    ]


def test_an_initial_fitting_one_person_joins_them_and_the_order_of_articles_does_not_matter():
    e = article_ents(
        ("budget", [("Rhoda Okafor", "Rhoda Okafor"), ("Okafor", "Rhoda Okafor")]),
        ("brief", [("R. Okafor", "R. Okafor")]),
        ("market", [("Tunde Okafor", "Tunde Okafor")]),  # another initial: no rival for R.
        ("sport", [("M Okafor", "M Okafor")]),  # fits nobody: stays alone
    )
    assert groups_of(e) == [["M Okafor"], ["Okafor", "R. Okafor", "Rhoda Okafor"], ["Tunde Okafor"]]
    assert people(e)["rhoda-okafor"]["n_docs"] == 2
    backwards = e.iloc[::-1].reset_index(drop=True)
    assert groups_of(backwards) == groups_of(e)
    shuffled = article_ents(*reversed(KESSLINGS))
    assert people(shuffled) == people(article_ents(*KESSLINGS))


def test_an_initial_in_the_same_article_as_the_full_name_is_that_person():
    # the entity stage has already made "S Kessling" Sadie's in her own article
    e = article_ents(*KESSLINGS[1:3], ("tennis", [("Sadie Kessling", "Sadie Kessling"),
                                                  ("S Kessling", "Sadie Kessling")]))
    assert ["S Kessling", "Sadie Kessling"] in groups_of(e)


def test_a_nickname_never_bridges_two_people():
    # Pat is short for Patrick and for Patricia; the two stay apart whichever Pat joins
    e = article_ents(
        ("a", [("Patrick Brandt", "Patrick Brandt")] * 3),
        ("b", [("Patricia Brandt", "Patricia Brandt")] * 2),
        ("c", [("Pat Brandt", "Pat Brandt")] * 2),
    )
    groups = groups_of(e)
    assert len(groups) == 2
    assert not any({"Patrick Brandt", "Patricia Brandt"} <= set(g) for g in groups)
    assert ["Pat Brandt", "Patrick Brandt"] in groups  # the better attested of the two links


def test_one_edit_surname_needs_the_same_first_name():
    e = article_ents(
        ("book", [("Robert Marsden", "Robert Marsden")] * 2),
        ("review", [("Robert Marsdon", "Robert Marsdon")]),  # a misspelling: same first name
        ("concert", [("Billy Marsdon", "Billy Marsdon")]),  # Billy is short for Robert, but the
        # surname only matches the misspelling: he must not pull Robert Marsden in
        ("deal", [("Bernard Ebbers", "Bernard Ebbers")] * 3),
        ("trial", [("Bernie Ebbers", "Bernie Ebbers")] * 2),  # nickname, same surname: one person
        ("appeal", [("Bernie Ebers", "Bernie Ebers")]),  # a nickname and a one-edit surname: not him
    )
    assert groups_of(e) == [
        ["Bernard Ebbers", "Bernie Ebbers"], ["Bernie Ebers"], ["Billy Marsdon"],
        ["Robert Marsden", "Robert Marsdon"],
    ]
    # with no rival, the misspelling still joins: the same first name vouches for it
    alone = article_ents(("book", [("Robert Marsden", "Robert Marsden")]),
                         ("review", [("Robert Marsdon", "Robert Marsdon")]))
    assert groups_of(alone) == [["Robert Marsden", "Robert Marsdon"]]


def test_surname_alone_never_joins_a_one_edit_spelling():
    e = article_ents(
        ("match", [("Kirsty Hollins", "Kirsty Hollins")]),
        ("report", [("Holins", "Holins")]),  # one edit from Hollins, no first name: not her
        ("preview", [("Hollins", "Hollins")]),
    )
    assert groups_of(e) == [["Holins"], ["Hollins", "Kirsty Hollins"]]


def test_frames_from_read_tables_with_pandas_na_build_the_same_people():
    # read_tables gives string columns whose nulls are pd.NA, which no comparison can test
    e = article_ents(("a", [("Rhoda Okafor", "Rhoda Okafor")]), ("b", [("Okafor", "Okafor")]))
    q = pd.DataFrame([{"doc_id": "b", "speaker_id": "okafor", "speaker_canonical": "Okafor",
                       "speaker_label": "PERSON"},
                      {"doc_id": "b", "speaker_id": None, "speaker_canonical": None, "speaker_label": None}])
    expected = people(e, q)
    assert expected["rhoda-okafor"]["n_quotes"] == 1
    assert people(e.astype("string"), q.astype("string")) == expected


def test_the_blocked_comparison_finds_every_pair_the_rules_accept():
    from itertools import combinations

    from newsmine.people.linking import default_nicknames
    from newsmine.people.match import candidate_pairs, pair_rank

    names = [
        "Robert Peston", "Robert Preston", "Bob Peston", "Billy Preston", "William Preston",
        "Gordon Brown", "Gordon Browne", "Gordon Braun", "Nick Brown", "Nicholas Brown",
        "Sven-Goran Eriksson", "Sven-Goran Ericsson", "Tony Blair", "Anthony Blair",
        "Cherie Blair", "Michael Howard", "Mike Howard", "Michael Heseltine", "Jon Smith",
        "John Smith", "Jonathan Smith", "J.K. Rowling",
    ]
    name_of = {slug(name): name for name in names}
    nicknames = default_nicknames()
    accepted = {
        tuple(sorted((a, b)))
        for a, b in combinations(name_of, 2)
        if pair_rank(name_of[a], name_of[b], nicknames) is not None
    }
    assert len(accepted) >= 6  # same names misspelt, and nicknames of the same surname
    compared = list(candidate_pairs(name_of))
    assert len(compared) == len(set(compared))  # each pair once
    assert accepted <= set(compared)
    assert len(compared) < len(list(combinations(name_of, 2))) / 2  # far fewer than all pairs
