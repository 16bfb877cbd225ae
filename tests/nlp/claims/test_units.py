"""The unit and currency table: symbols by their written form (whatever POS spaCy would give
them), spellings, SI prefixes, compounds, prime marks, currencies written before or after
the number (glued codes included) and the lost-symbol aliases."""

from __future__ import annotations

import pytest

from newsmine.nlp.claims.numbers import parse_claims, parse_numbers
from newsmine.nlp.claims.units import UnitTable
from newsmine.rules import RuleDataError, RuleSource
from tests.nlp.claims.helpers import only


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind"),
    [
        ("The new charger delivers 65W, twice the old one.", 65, "watt", "measure"),
        ("The panel peaks at 5 W in full sun.", 5, "watt", "measure"),
        ("Its screen refreshes at 120Hz.", 120, "hertz", "measure"),
        ("The engine makes 640bhp.", 640, "brake horsepower", "measure"),
        ("The engine is rated at 300 PS.", 300, "horsepower", "measure"),
        ("It produces 450 Nm of torque.", 450, "newton metre", "measure"),
        ("The battery stores 75kWh.", 75, "kilowatt hour", "measure"),
        ("a 5,000mAh battery", 5000, "milliampere-hour", "measure"),
        ("Each tablet holds 250mg of the drug.", 250, "milligram", "measure"),
        ("Add 50mL of water.", 50, "millilitre", "measure"),
        ("a 1.6 liter engine", 1.6, "litre", "measure"),
        ("a 1.6 litre engine", 1.6, "litre", "measure"),
        ("The flat measures 32m2.", 32, "square metre", "measure"),
        ("a 1,520 sq m medical centre", 1520, "square metre", "measure"),
        ("The site covers 40 square kilometres.", 40, "square kilometre", "measure"),
        ("The chips are etched at 7 nanometers.", 7, "nanometre", "measure"),
        ("The film is 0.03 millimeter thin.", 0.03, "millimetre", "measure"),
        ("The fibres are 352 μm across.", 352, "micrometre", "measure"),
        ("Winds reached 70mph overnight.", 70, "mile per hour", "measure"),
        ("The car returns 52 mpg on the motorway.", 52, "mile per gallon", "measure"),
        ("Trains will run at 200 km/h.", 200, "kilometre per hour", "measure"),
        ("a current density of 1.3 A/cm2", 1.3, "ampere per square centimetre", "measure"),
        ("The phone has 128GB of storage.", 128, "gigabyte", "measure"),
        ("He stands 25.5″ at the shoulder.", 25.5, "inch", "measure"),
        ("Temperatures hit 31C in London.", 31, "degree celsius", "measure"),
        ("It reached 90°F in the shade.", 90, "degree fahrenheit", "measure"),
        ("lead levels of 15 ppb", 15, "parts-per-billion", "measure"),
        ("The stock trades on 6.5 times earnings.", 6.5, "times", "measure"),
        ("Its profit grew sixfold.", 6, "times", "measure"),
        ("Sales rose ten-fold in a year.", 10, "times", "measure"),
        ("The rate rose to 1.38pc.", 1.38, "percent", "percent"),
        ("Turnout was 100 percentage in the ward.", 100, "percent", "percent"),
        ("She waited 3min for the bus.", 3, "minute", "duration"),
        ("The first 24h were critical.", 24, "hour", "duration"),
    ],
)
def test_units_by_written_form(text, value, unit, kind):
    m = only(text)
    assert (m.value, m.unit, m.kind) == (pytest.approx(value), unit, kind)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The deal is worth RM45 million.", 45e6, "Malaysian ringgit"),
        ("Shares closed at RM23.50.", 23.5, "Malaysian ringgit"),
        ("It raised AUD2.4m from investors.", 2.4e6, "Australian dollar"),
        ("a fine of $US75 million", 75e6, "US dollar"),
        ("it earned $A82,615,680 last year", 82_615_680, "Australian dollar"),
        ("The flat sold for HK$216,925.", 216_925, "Hong Kong dollar"),
        ("The flat sold for HK $216,925.", 216_925, "Hong Kong dollar"),
        ("Tickets cost S$30 each.", 30, "Singapore dollar"),
        ("The bid values the firm at C$1.2bn.", 1.2e9, "Canadian dollar"),
        ("Profits reached ¥50 billion.", 50e9, "Japanese yen"),
        ("The dollar rose to 110 JPY.", 110, "Japanese yen"),
        ("It owes 7.5 million Danish crowns.", 7.5e6, "Danish krone"),
        ("The fund holds 9 billion shekels.", 9e9, "Israeli shekel"),
        ("Shares rose 18 sen.", 18, "sen"),
        ("Shares gained 12 cents.", 12, "cent"),
        ("The shares closed at 118.5p.", 118.5, "pence"),
    ],
)
def test_currencies_before_or_after_the_number(text, value, unit):
    m = only(text)
    assert (m.value, m.unit, m.kind) == (pytest.approx(value), unit, "money")


def test_lost_symbols_count_only_as_documented_aliases():
    assert only("The deal was worth PS2.7m.").unit == "pound sterling"
    assert only("an PS8.1bn loss").value == 8.1e9
    assert only("The gadget costs (PS21,700) in total.").unit == "pound sterling"
    assert only("Profit rose to Y=28,030 million.").unit == "Japanese yen"
    (m,) = parse_numbers("Sony's PS5 sold out again.")
    assert not m.is_claim  # a console, not £5
    assert parse_claims("PS: the meeting starts later") == []


def test_pounds_are_a_weight_after_a_weight_cue():
    assert only("He weighed 208 pounds at the weigh-in.").unit == "pound-mass"
    assert only("Half a pound of butter is enough.").unit == "pound-mass"
    assert only("They paid 5 million pounds for the club.").unit == "pound sterling"


def test_short_symbols_need_to_be_glued():
    assert only("The screen is 6in wide.").unit == "inch"
    assert only("He finished 3 in the race.").unit is None  # "in" after a space is no inch


def test_a_unit_on_one_end_of_a_range_covers_both():
    m = only("Fast chargers deliver 3-6W more.")
    assert (m.value_low, m.value_high, m.unit) == (3, 6, "watt")
    m = only("The trip takes 20–30min by bus.")
    assert (m.value_low, m.value_high, m.unit) == (20, 30, "minute")


def test_a_form_with_two_meanings_is_an_error(tmp_path):
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "units.json").write_text(
        '{"prefixes": {}, "currencies": [], "units": ['
        '{"name": "metre", "symbols": ["m"]}, {"name": "minute", "dim": "time", "symbols": ["m"]}]}',
        encoding="utf-8")
    with pytest.raises(RuleDataError, match="'m' is both 'metre' and 'minute'"):
        UnitTable.load(RuleSource(root=tmp_path))


def test_prefixes_expand_symbols_words_and_names():
    table = UnitTable.load(RuleSource.models())
    assert table.symbols["kW"].name == "kilowatt" and table.words["kilowatts"].name == "kilowatt"
    assert table.symbols["km²"].name == "square kilometre"
    assert table.words["cubic feet"].name == "cubic foot"
    assert "B" not in table.symbols  # bytes take a prefix: "5B" is five billion
