"""Identifier precision: phone, street, ZIP and model numbers, years, dates, clock times and
ordinals are no claims; ages, levels and definite or indefinite counts are."""

from __future__ import annotations

import pytest

from newsmine.nlp.claims.numbers import parse_claims, parse_numbers
from tests.nlp.claims.helpers import only


@pytest.mark.parametrize(
    "text",
    [
        "For tickets call 624-6456 after noon.",
        "The shop is at 575 Wilbraham Road in Manchester.",
        "The gallery at 9 E 71st St reopened.",
        "The embassy at 22 Ave Foch was closed.",
        "The firm moved to 16-18 Industrial Avenue.",
        "Its office is in Los Angeles, CA 90049, near the park.",
        "Homes in the 90049 ZIP code are costly.",
        "Airlines grounded the Boeing 787 fleet.",
        "The iPhone 11 Pro sold well.",
        "Regulators cleared the 737 Max jets.",
        "new COVID -19 rules",
        "The tests ran on a 4G network.",
        "Airbus A320 deliveries slowed.",
        "The talks began in 2019.",
        "The film is set in the 1980s.",
        "The vote is on 5 May.",
        "Polls close at 10pm.",
        "She finished 3rd in the final.",
        "Shares in the PS5 maker rose.",
    ],
)
def test_identifiers_dates_and_times_are_no_claims(text):
    found = parse_numbers(text)
    assert found, text
    assert not [m for m in found if m.is_claim]


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("A 47-year-old man was arrested.", 47, "exact"),
        ("A 50 year-old woman was hurt.", 50, "exact"),
        ("The twins are six months old.", 6, "exact"),
        ("Joe Maddon, 66, said he would stay.", 66, "exact"),
        ("Jamie Armstrong, 25, moved to Reno.", 25, "exact"),
        ("He died at the age of 84.", 84, "exact"),
        ("The club has 17 players over the age of 21.", 21, "more_than"),
        ("Applicants must be aged 18 or over.", 18, "at_least"),
    ],
)
def test_ages_are_claims(text, value, qualifier):
    ages = [m for m in parse_claims(text) if m.kind == "age"]
    assert [(m.value, m.qualifier) for m in ages] == [(value, qualifier)]
    assert ages[0].unit.endswith("of age")


def test_levels_and_counts_are_claims():
    assert only("The FTSE 100 closed at 7,210 on Friday.").value == 7210
    assert only("The two sides have met 12 times.").value == 12
    assert [m.value for m in parse_claims("She put one hand on the rail.")] == [1]
    assert only("The dealer repaired dozens of vehicles.").value_low == 12
    assert [m.value for m in parse_claims("a three-point lead")] == [3]
    assert parse_claims("a one-off payment") == []


def test_sub_and_suffix_bounds():
    m = only("Chipmakers are racing to sub-7 nanometer designs.")
    assert (m.value, m.qualifier, m.unit) == (7, "less_than", "nanometre")
    assert only("It drew a 5,000-plus crowd.").qualifier == "more_than"
    assert only("There were 50-odd protesters.").qualifier == "approximate"
    assert only("Some 100 or so fans waited.").qualifier == "approximate"
    assert only("a hedge of ~25 minutes").qualifier == "approximate"
    assert only("floor area ≈ 32m2").qualifier == "approximate"


def test_names_with_number_words_are_no_counts():
    assert parse_claims("He told BBC Radio Four on Monday.") == []
    assert parse_claims("The Guildford Four were freed.") == []


def test_years_with_counted_nouns_and_the_decade_word():
    assert only("The army sent 2000 soldiers.").value == 2000
    assert parse_claims("They drilled for gas since 2011 this year.") == []
    assert parse_claims("Sea levels could rise by 2120, scientists warn.") == []
