"""The grammar of numbers in words, and the forms written with digits and signs: fractions,
ratios, decimals with "point", scientific notation, signs, leading dots, spaced groups."""

from __future__ import annotations

import pytest

from newsmine.nlp.claims.numbers import parse_claims, parse_numbers
from tests.nlp.claims.helpers import only


@pytest.mark.parametrize(
    ("text", "value", "surface"),
    [
        ("A quarter million people signed the petition.", 250_000, "A quarter million"),
        ("Organisers expect half a million visitors.", 500_000, "half a million"),
        ("The charity raised two million and one half pounds.", 2_500_000, "two million and one half pounds"),
        ("Some three and a half million homes lost power.", 3_500_000, "Some three and a half million"),
        ("The city has one million and a half residents.", 1_500_000, "one million and a half"),
        ("It spent two hundred and fifty thousand pounds.", 250_000, "two hundred and fifty thousand pounds"),
        ("Four hundred million people watched.", 400_000_000, "Four hundred million"),
        ("The bill came to twenty-one thousand three hundred dollars.", 21_300,
         "twenty-one thousand three hundred dollars"),
        ("Police seized half a dozen phones.", 6, "half a dozen"),
        ("The class had three dozen pupils.", 36, "three dozen"),
        ("The fund holds 3 hundred and 21 paintings.", 321, "3 hundred and 21"),
        ("Growth was two point five percent.", 2.5, "two point five percent"),
        ("The reading was nine point nought four.", 9.04, "nine point nought four"),
    ],
)
def test_spelled_numbers(text, value, surface):
    m = only(text)
    assert m.value == pytest.approx(value)
    assert m.text == surface


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Nearly two-thirds of voters backed the plan.", 2 / 3),
        ("A third of the workforce is part-time.", 1 / 3),
        ("More than half of the schools closed.", 0.5),
        ("Half the country was under snow.", 0.5),
        ("Almost three quarters of the stock was sold.", 0.75),
        ("One in five adults smokes.", 0.2),
        ("One out of three households rents.", 1 / 3),
        ("Fewer than one in 10,000 consoles failed.", 1e-4),
        ("The mix needs ¾ of a cup of flour.", 0.75),
        ("Fold in 1/2 pound of butter.", 0.5),
        ("An ounce is 1⁄16 of a pound.", 1 / 16),
    ],
)
def test_fractions_and_ratios_are_decimals(text, value):
    m = only(text)
    assert m.value == pytest.approx(value)
    assert m.value < 1


def test_a_fraction_of_a_group_names_the_group_and_one_of_a_unit_takes_the_unit():
    assert only("Fold in 1/2 pound of butter.").unit == "pound-mass"
    assert only("We waited half an hour.").unit == "hour"
    assert only("The mast is a third of a mile high.").unit == "mile"


@pytest.mark.parametrize(
    "text",
    ["He is serving a third term.", "Arsenal scored in the second half.", "the quarter of this year",
     "She won for a fifth time.", "It was a half-time talk."],
)
def test_ordinals_and_periods_are_no_fractions(text):
    assert not [m for m in parse_claims(text) if m.value < 1]


def test_ordinals_after_digits_stay_apart():
    assert [m.value for m in parse_numbers("the 100 millionths")] == [100]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The index fell -2.4% on the day.", -2.4),
        ("Temperatures dropped to minus 40 degrees.", -40),
        ("It was −5C in Glasgow.", -5),
        ("The net loss was $-50.8bn.", -50.8e9),
        ("The gain was minus-5 yards on the play.", -5),
        ("Growth was negative one percent.", -1),
        ("The false positive rate fell to .001 per cent.", 0.001),
        ("The sun's mass is 1.99e30 kilograms.", 1.99e30),
        ("The error was 3.4×10−5 metres.", 3.4e-5),
        ("Sales reached 1.3x10^6 units.", 1.3e6),
        ("China's population is 1 414 021 100 people.", 1_414_021_100),
    ],
)
def test_signs_decimals_and_exponents(text, value):
    m = only(text)
    assert m.value == pytest.approx(value)


def test_a_plus_sign_is_a_rise_and_a_minus_a_fall():
    dow, nasdaq = parse_claims("On Wall St: Dow +0.2%, Nasdaq -1.1%.")
    assert (dow.value, dow.trend, nasdaq.value, nasdaq.trend) == (0.2, "up", -1.1, "down")
    (m,) = parse_claims("S&P 500 +0.3% at noon")
    assert (m.value, m.trend) == (0.3, "up")


def test_a_hyphen_after_a_word_or_a_number_is_no_sign():
    assert [m.value for m in parse_claims("a window of 10-20 days")] == [15]
    assert [m.value for m in parse_claims("The scores were level at 2-2.")] == []
    (m,) = parse_numbers("new COVID -19 cases")
    assert not m.is_claim


def test_percent_before_the_number():
    m = only("It fell to per cent of 210 in the old survey.")
    assert (m.value, m.kind) == (210, "percent")
    share, firms = parse_claims("Only 5 per cent of 210 firms replied.")
    assert (share.kind, firms.value, firms.kind) == ("percent", 210, "count")
