"""Two numbers that make one claim (ranges, from one level to another, ratios) and two that
make two (a change and its new level), with the issue's wrong numbers among them."""

from __future__ import annotations

import pytest

from newsmine.nlp.claims.numbers import parse_claims
from tests.nlp.claims.helpers import only


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("Between 100,000 and 200,000 people took part.", 100_000, 200_000, None),
        ("Three to four thousand people gathered.", 3000, 4000, None),
        ("The fine could be 5 to 10 million dollars.", 5e6, 10e6, "US dollar"),
        ("Homes sell for from $300 to $2 million.", 300, 2e6, "US dollar"),
        ("Prices range from $200 to $4 million.", 200, 4e6, "US dollar"),
        ("It could cost $1 million to $1.25 million.", 1e6, 1.25e6, "US dollar"),
        ("They earn between $40,000 and $65,000 a year.", 40_000, 65_000, "US dollar per year"),
        ("Growth of 5-7 per cent is forecast.", 5, 7, "percent"),
        ("It takes two or three weeks to arrive.", 2, 3, "week"),
        ("The book suits six- to eight-year-olds.", 6, 8, "year of age"),
        ("Shares traded between about 10 and 12 pence.", 10, 12, "pence"),
    ],
)
def test_one_range_its_scale_unit_and_rate_on_both_ends(text, low, high, unit):
    m = only(text)
    assert (m.value_low, m.value_high, m.unit) == (pytest.approx(low), pytest.approx(high), unit)
    assert m.value == pytest.approx((low + high) / 2)  # the README promises the midpoint


def test_a_hedge_before_a_range_is_kept_and_one_end_only_bounds_nothing():
    assert only("Cars return about 14-18 mpg.").qualifier == "approximate"
    m = only("The range grows from up to 252 miles to 287 miles.")
    assert (m.value_low, m.value_high, m.qualifier) == (252, 287, "exact")


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("The shares rose 4.2% to 212p.", [(4.2, "percent", "up"), (212, "pence", "up")]),
        ("The index fell 2.3% to 80,600.", [(2.3, "percent", "down"), (80_600, None, "down")]),
        ("It took three weeks to 16.8 million viewers.", [(3, "week", None), (16.8e6, None, None)]),
        ("The price will rise by $2 to $12.99.", [(2, "US dollar", "up"), (12.99, "US dollar", "up")]),
        ("The TA-125 lost 1.1% to end at 1,334.20.", [(1.1, "percent", "down"), (1334.2, None, "down")]),
    ],
)
def test_a_change_and_its_new_level_are_two_claims(text, claims):
    found = parse_claims(text)
    assert [(m.value, m.unit, m.trend) for m in found] == [(pytest.approx(v), u, t) for v, u, t in claims]
    assert all(m.value_low is None for m in found)


@pytest.mark.parametrize(
    ("text", "low", "high", "trend"),
    [
        ("Bitcoin plummeted from $36,040 to $34,935.", 34_935, 36_040, "down"),
        ("Horsepower jumped from 240 to 273.", 240, 273, "up"),
        ("Mileage rose from 20 mpg in 2008 to 29 mpg in 2020.", 20, 29, "up"),
        ("Waiting times fell from 36 to just 21 days.", 21, 36, "down"),
    ],
)
def test_from_one_level_to_another_is_one_claim(text, low, high, trend):
    m = only(text)
    assert (m.value_low, m.value_high, m.trend) == (low, high, trend)


def test_restatements_share_the_trend_and_brackets_the_bound():
    fell, share = parse_claims("The shares fell 12 cents, or 0.8%, on Monday.")
    assert (fell.trend, share.trend) == ("down", "down")
    crowns, dollars = parse_claims("deposits of more than 7.5 million Danish crowns (US $1.1 million)")
    assert (crowns.qualifier, dollars.qualifier, dollars.unit) == ("more_than", "more_than", "US dollar")
    first, second = parse_claims("Retail shares were down 2.3%, Burlington by 2.6%.")
    assert (first.trend, second.trend) == ("down", "down")


def test_an_elliptic_money_figure_takes_the_currency_before_it():
    claims = parse_claims("Earnings were 77m euros (£53m), up from 38m a year before.")
    assert [(m.value, m.unit) for m in claims] == [(77e6, "euro"), (53e6, "pound sterling"), (38e6, "euro")]


def test_years_scores_and_phone_numbers_make_no_range():
    assert parse_claims("Between 1600 and 1900 the climate cooled.") == []
    assert parse_claims("Call the office on 624-6456 for details.") == []
    (m,) = parse_claims("Crowds of 100-1000 people gathered.")  # round ends: a range, not a phone
    assert (m.value_low, m.value_high) == (100, 1000)
    assert parse_claims("They won 3-1 at home.") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("One in five adults smokes.", 0.2), ("Two out of five hundred sets failed.", 0.004),
     ("The answer is 1 over 3.", 1 / 3)],
)
def test_ratios(text, value):
    m = only(text)
    assert (m.value, m.kind) == (pytest.approx(value), "fraction")


def test_ratio_words_between_unrelated_numbers():
    assert [m.value for m in parse_claims("He earned $2000 over 3 years.")] == [2000, 3]
    assert [m.value for m in parse_claims("Police found 12 in six boxes.")] == [12, 6]
