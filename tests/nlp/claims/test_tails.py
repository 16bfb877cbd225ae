"""The backward qualifier search and the unit start gates give what the long way gives.

``TailSearch.search`` stands in for ``qual_before.search`` over the window before a number;
``UnitTable.after`` tries its three unit patterns only where their first character can start."""

from __future__ import annotations

import random
import re

from newsmine.nlp.claims.numbers import default_parser
from newsmine.nlp.claims.tails import TailSearch
from newsmine.nlp.claims.units import Unit, UnitHit, UnitTable

NEWS = (
    "Police said more than 2,000 people marched, saidmore than 300 were held and no more than a mere "
    "40 were charged. Up To A\n 5 per cent, well over the 7m mark, some estimated 90,000 fans, "
    "an estimated790,000 soldiers, ~ 12 kg, > = 6 points, less than or equal to 8 hours, circa  1900 "
    "votes, sub-10 seconds, ca. 70 km, approx.3 tonnes, MORE THAN AN 5 hours, just under half of 20, "
    "a little more than a total of 15 and an extra 4, nearly a 100 years."
)


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    return (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


def test_backward_search_agrees_with_the_forward_search_before_every_position():
    parser = default_parser()
    fast = parser.qualifier_before
    assert fast.exact  # the shipped lexicon takes the shortcut
    found = 0
    for end in range(len(NEWS) + 1):
        slow = parser.qual_before.search(NEWS, max(0, end - 48), end)
        found += slow is not None
        assert _same(fast.search(NEWS, max(0, end - 48), end), slow), NEWS[max(0, end - 48):end]
    assert found > 20


def test_backward_search_agrees_on_random_runs_of_qualifiers_and_fillers():
    parser = default_parser()
    words = [*parser.lx.qualifiers, *parser.lx.fillers, "said", "x", "the", "5", "of"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(words) + rng.choice([" ", "  ", "\n", "", " \t"]) for _ in range(5))
        text = text.upper() if rng.random() < 0.2 else text
        for end in range(len(text) + 1):
            slow = parser.qual_before.search(text, max(0, end - 48), end)
            assert _same(parser.qualifier_before.search(text, max(0, end - 48), end), slow), text[:end]


def test_fillers_that_end_one_another_after_a_space_take_the_plain_search():
    forward = re.compile(r"(?i:(?P<q>more than|over)(?:\s+(?P<f>the|not the))?\s*)$")
    assert not TailSearch(forward, ["more than", "over"], ["the", "not the"]).exact
    assert TailSearch(forward, ["more than", "over"], ["a", "an extra"]).exact  # "a" ends no word
    tail = TailSearch(forward, ["more than", "over"], ["the", "not the"])
    text = "over not the 5"
    assert _same(tail.search(text, 0, len(text) - 1), forward.search(text, 0, len(text) - 1))


def _after_the_long_way(units: UnitTable, text: str, pos: int, hyphen: bool) -> UnitHit | None:
    """``UnitTable.after`` as it was: all three patterns tried at every position."""
    m = units.glued_rx.match(text, pos)
    spaced = False
    if m is None:
        m = units.spaced_rx.match(text, pos)
        spaced = m is not None
    if m is None and hyphen:
        m = units.hyphen_rx.match(text, pos)
    if m is None:
        return None
    unit, end = units._unit_of(m), m.end()
    p = units.per_rx.match(text, end) if unit.kind == "measure" else None
    second = units._unit_of(p) if p is not None else None
    if p is not None and second is not None and second.kind == "measure":
        unit, end = Unit(f"{unit.name} per {second.name}", "measure", f"{unit.dim}/{second.dim}"), p.end()
    elif spaced and m.group("s2"):
        return None
    return UnitHit(unit, m.start(), end, spaced)


def test_unit_gates_find_every_unit_the_three_patterns_find():
    units = default_parser().units
    text = NEWS + " 5kg 5-kg 5 KG 5\u212am 5 \u017fec 5 s 5 m/s 5A/cm2 5 A/cm2 5% 5 % 5\u00a0km 5\u2011mile"
    text += "".join(chr(c) for c in range(0x20, 0x2200))  # every character, the case folds among them
    hits = 0
    for pos in range(len(text) + 1):
        for hyphen in (True, False):
            slow = _after_the_long_way(units, text, pos, hyphen)
            hits += slow is not None
            assert units.after(text, pos, hyphen=hyphen) == slow, text[pos:pos + 12]
    assert hits > 20
