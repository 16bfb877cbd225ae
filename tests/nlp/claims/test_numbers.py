"""The pure number parser: values, units, qualifiers, and what is not a claim."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsmine.nlp.claims.numbers import parse_claims, parse_numbers
from tests.nlp.claims.helpers import only

NOISY = "0123456789,.-%$£€ mkbn abouthanovr:/ayweekdsMFJ\n"



@pytest.mark.parametrize(
    ("text", "value", "unit", "kind", "qualifier", "surface"),
    [
        ("Officials said 1,250 homes were damaged.", 1250, None, "count", "exact", "1,250"),
        ("The rate reached 3.75 on Friday.", 3.75, None, "count", "exact", "3.75"),
        ("an estimated790,000 Russian soldiers", 790000, None, "count", "approximate", "an estimated790,000"),
        ("whileZelenskyy has saidmore than a total of 400,000 forces", 400000, None, "count", "more_than",
         "more than a total of 400,000"),
        ("casualties exceeded 400,000.", 400000, None, "count", "more_than", "exceeded 400,000"),
        ("with over 1,000 detainees released", 1000, None, "count", "more_than", "over 1,000"),
        ("to end the war in a single day.", 1, "day", "duration", "exact", "a single day"),
        ("more than four months since his inauguration", 4, "month", "duration", "more_than",
         "more than four months"),
        ("a limited 30-day ceasefire", 30, "day", "duration", "exact", "30-day"),
        ("a 30-hour Easter truce", 30, "hour", "duration", "exact", "30-hour"),
        ("a five-year plan", 5, "year", "duration", "exact", "five-year"),
        ("The firm paid $5.4m in fines.", 5_400_000, "US dollar", "money", "exact", "$5.4m"),
        ("a £3bn rescue", 3e9, "pound sterling", "money", "exact", "£3bn"),
        ("a loan of US$ 20 million", 20e6, "US dollar", "money", "exact", "US$ 20 million"),
        ("worth €5 million", 5e6, "euro", "money", "exact", "€5 million"),
        ("fined 300 euros", 300, "euro", "money", "exact", "300 euros"),
        ("unemployment hit 20 per cent", 20, "percent", "percent", "exact", "20 per cent"),
        ("nearly 3 million people", 3e6, None, "count", "approximate", "nearly 3 million"),
        ("half a million refugees", 500000, None, "count", "exact", "half a million"),
        ("a dozen eggs", 12, None, "count", "exact", "a dozen"),
        ("two hundred and fifty people", 250, None, "count", "exact", "two hundred and fifty"),
        ("tens of thousands of people", 55000, None, "count", "exact", "tens of thousands"),
        ("Workers earn $3 per day.", 3, "US dollar per day", "rate", "exact", "$3 per day"),
        ("Teens spend more than four hours a day online", 4, "hour per day", "rate", "more_than",
         "more than four hours a day"),
        ("up to 50 people", 50, None, "count", "at_most", "up to 50"),
        ("fewer than 30 schools", 30, None, "count", "less_than", "fewer than 30"),
        ("at least 14 people", 14, None, "count", "at_least", "at least 14"),
        ("roughly 200 km away", 200, "kilometre", "measure", "approximate", "roughly 200 km"),
        ("some 5m people", 5e6, None, "count", "approximate", "some 5m"),
        ("a wall 100m long", 100, "metre", "measure", "exact", "100m"),
    ],
)
def test_parses_value_unit_qualifier(text, value, unit, kind, qualifier, surface):
    m = only(text)
    assert m.value == pytest.approx(value)
    assert (m.unit, m.kind, m.qualifier, m.text) == (unit, kind, qualifier, surface)
    assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("between 10 and 20 people", 10, 20, None),
        ("a rise of 10-20%", 10, 20, "percent"),
        ("10 to 20 per cent", 10, 20, "percent"),
        ("between two and three weeks", 2, 3, "week"),
        ("5 to 10 million doses", 5e6, 10e6, None),
    ],
)
def test_ranges(text, low, high, unit):
    m = only(text)
    assert (m.value_low, m.value_high, m.qualifier, m.unit) == (pytest.approx(low), pytest.approx(high),
                                                               "exact", unit)
    assert m.value == pytest.approx((low + high) / 2)  # a range's value is its midpoint


def test_trend_from_verb():
    assert only("Prices rose by 5% in May.").trend == "up"
    assert only("Sales fell 3.2 percent.").trend == "down"
    assert only("a 4% increase in rents").trend == "up"
    assert only("The firm has 300 staff.").trend is None


def test_from_one_level_to_another_is_one_claim_with_its_trend():
    (m,) = parse_claims("Inflation rose from 3% to 5%.")
    assert (m.value_low, m.value_high, m.value, m.unit, m.trend) == (3, 5, 4, "percent", "up")
    (m,) = parse_claims("The price of a barrel fell from $36,040 to $34,935 overnight.")
    assert (m.value_low, m.value_high, m.unit, m.trend) == (34935, 36040, "US dollar", "down")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("since the Feb. 24, 2022, invasion", "date"),
        ("on March 25, 2025, amid", "date"),
        ("annexed in 2014.", "year"),
        ("On May 16 officials met.", "date"),
        ("the 1990s boom", "year"),
        ("three years ago", "date"),
        ("at 10:30 a.m. on Monday", "time"),
        ("at 5 p.m. local time", "time"),
        ("the 22nd floor", "ordinal"),
        ("Section 427 of the tax code", "identifier"),
        ("seats in Row 21", "identifier"),
        ("ahead of round two talks", "identifier"),
        ("call 555-123-4567 now", "identifier"),
        ("the Boeing 737 jets", "identifier"),
        ("new COVID-19 cases", "identifier"),
        ("a 4G network", "identifier"),
        ("Type 2 diabetes", "identifier"),
        ("source: https://www.npr.org/2025/06/02/nx-s1-5414522/ukraine", "url"),
        ("marking one of the most intense attacks", "idiom"),
        ("both sides accused one another", "idiom"),
        ("On one hand, the talks went well.", "idiom"),
        ("the two leaders met", "anaphoric"),
        ("sales were down from a year earlier, two years earlier", "date"),
        ("she won the 100m final in Athens", "label"),
        ("Sydney 200m champion Kenteris", "label"),
        ("the 400m world record", "label"),
        ("BBC Radio Four reported the talks", "label"),
        ("the abacus, dated to 190 AD", "year"),
        ("the firm must restate its 2003 results", "year"),
        ("it restated the 2000 and 2003 results", "year"),
        ("the race on 19-20 March", "date"),
    ],
)
def test_not_claims(text, kind):
    found = parse_numbers(text)
    assert found and all(not m.is_claim for m in found)
    assert found[0].kind == kind
    assert parse_claims(text) == []


@pytest.mark.parametrize("text", ["a key mineral deal", "not such a calamity", "their first direct talks",
                                  "no one knows", "someone else", "each other"])
def test_no_number_words(text):
    assert parse_claims(text) == []


def test_change_by_then_new_level_is_not_a_range():
    claims = parse_claims("Streamly said it would raise its monthly price by $2 to $12.99 in the US.")
    assert [(c.text, c.value, c.trend, c.qualifier) for c in claims] == [
        ("$2", 2, "up", "exact"), ("$12.99", 12.99, "up", "exact")]  # the level the rise reached
    fares = parse_claims("The airline will cut fares by 5% to 30% of the peak price.")
    assert [(c.value, c.trend) for c in fares] == [(5, "down"), (30, "down")]


def test_by_range_with_the_unit_written_once_stays_a_range():
    m = only("The plan would cut emissions by 10 to 20 percent.")
    assert (m.value_low, m.value_high, m.qualifier, m.trend) == (10, 20, "exact", "down")
    m = only("Turnout was between about 10 and 20 percent.")
    assert (m.value_low, m.value_high, m.qualifier) == (10, 20, "approximate")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Tens of thousands of people marched.", 10_000, 100_000),
        ("hundreds of thousands of refugees", 100_000, 1_000_000),
        ("Thousands of fans queued overnight.", 1000, 10_000),
        ("Dozens of homes were flooded.", 12, 120),
        ("Debit cards are used by millions of us every day.", 1e6, 1e7),
    ],
)
def test_vague_quantities_are_order_of_magnitude_intervals(text, low, high):
    m = only(text)
    assert (m.value_low, m.value_high, m.value, m.qualifier) == (low, high, (low + high) / 2, "exact")


def test_metres_as_an_event_name_but_millions_of_people():
    assert only("some 5m people live there").value == 5e6
    assert only("She swam the last 100m in the heat.").kind == "measure"


def test_relative_time_is_not_a_rate():
    m = only("revenue of $2.4m a year earlier")
    assert (m.unit, m.kind) == ("US dollar", "money")


def test_years_with_counted_nouns_are_counts():
    assert only("About 2000 soldiers were deployed.").value == 2000
    assert only("a 2,000-strong force").value == 2000


def test_bad_input_never_raises():
    assert parse_numbers("") == []
    assert parse_numbers(None) == []  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(NOISY)), max_size=80)
       | st.text(max_size=60))
def test_never_raises_and_offsets_stay_inside(text):
    for m in parse_numbers(text):
        assert 0 <= m.start <= m.num_start <= m.num_end <= m.end <= len(text)
        assert m.text == text[m.start:m.end]
        assert isinstance(m.value, float)


@pytest.mark.parametrize(
    "text,value,surface",
    [
        ("Plans forecast a quarter of a million students joining.", 250000, "a quarter of a million"),
        ("It cost three-quarters of a billion dollars.", 750000000, "three-quarters of a billion dollars"),
        ("Nearly a third of a million homes lost power.", 1000000 / 3, "Nearly a third of a million"),
        ("Half a million people marched.", 500000, "Half a million"),
    ],
)
def test_fractions_of_a_magnitude_multiply(text, value, surface):
    (m,) = parse_claims(text)
    assert m.value == pytest.approx(value)
    assert m.text == surface


def test_a_fraction_of_a_plain_number_is_not_multiplied():
    quarter, staff = parse_claims("A quarter of the 300 staff were laid off.")
    assert (quarter.value, quarter.kind, staff.value) == (0.25, "fraction", 300)


@pytest.mark.parametrize(
    "text,unit,qualifier",
    [
        ("Some patients have been waiting more than a year for surgery.", "year", "more_than"),
        ("The talks dragged on for over a decade.", "decade", "more_than"),
        ("The strike lasted nearly a month.", "month", "approximate"),
    ],
)
def test_bounded_duration_with_an_implicit_one(text, unit, qualifier):
    (m,) = parse_claims(text)
    assert (m.value, m.kind, m.unit, m.qualifier) == (1, "duration", unit, qualifier)


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("Sales were up 2.9% on a year earlier.", [("2.9%", "percent")]),
        ("The plant closed a year ago.", []),
        ("The board meets twice a year.", []),
        ("He left more than a year ago.", []),
        ("Prices rose 5% over a year.", [("5%", "percent")]),
    ],
)
def test_a_year_without_a_bound_or_relative_is_not_a_duration_claim(text, claims):
    found = parse_claims(text)
    assert [(m.text, m.kind) for m in found] == claims
    assert not [m for m in found if m.unit == "year" and m.kind != "rate"]


def test_all_four_is_a_count():
    (m,) = parse_claims("The council voted to keep all four public library branches open.")
    assert (m.value, m.kind) == (4, "count")


@pytest.mark.parametrize("span", ["1998/9", "2004/05", "2004-05", "1999/00"])
def test_fiscal_year_spans_are_dates(span):
    text = f"The Treasury had double counted some spending since {span}, the ONS said."
    assert parse_claims(text) == []
    (m,) = parse_numbers(text)
    assert (m.text, m.kind) == (span, "date")


def test_a_range_of_counts_is_not_a_year_span():
    (m,) = parse_claims("Between 10-20 people were hurt.")
    assert (m.value_low, m.value_high) == (10, 20)
