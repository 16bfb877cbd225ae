"""The shortcuts of the number parser give what the long way gives.

``SpelledGrammar.continues`` stands in for reading the whole grammar after a digit token;
``DIGITS_ONLY`` for ``DIGIT_RUN`` in a text without vulgar fractions; the reordered
``DIGIT_START``/``PHONE_START`` for their look-behind-first forms."""

from __future__ import annotations

import re

from newsmine.nlp.claims.number_context import DIGIT_START, PHONE_START
from newsmine.nlp.claims.number_lexicon import DIGIT_RUN
from newsmine.nlp.claims.numbers import DIGITS_ONLY, default_parser
from newsmine.nlp.claims.spelled import NUM, Tok

NEWS = (
    "The firm cut 1,200 jobs, 5 million shares and 3 hundred and 21 stores; about 40 thousand "
    "staff, 2 dozen managers, 7 more, 12-15 per cent and 9 - 10 points. Call +44 (0)20 7946 0958 "
    "or 624-6456 by 10:30pm on 5/17/2004; the 2004-05 season, 3bn, 4 hundreds of pounds, 1 and 2."
)


def test_continues_is_false_only_where_the_grammar_reads_no_more_words():
    grammar = default_parser().grammar
    for m in re.finditer(r"\d+", NEWS):
        first = Tok(NUM, float(m.group()), m.end(), m.group())
        g = grammar.read(NEWS, m.end(), first=first)
        if not grammar.continues(NEWS, m.end()):
            assert g is None or g.words <= 1, (m.group(), g)
    assert grammar.continues(NEWS, NEWS.index(" million"))
    assert not grammar.continues(NEWS, NEWS.index(" jobs"))


def test_digit_runs_without_vulgar_fractions_are_plain_digit_runs():
    assert [m.span() for m in DIGITS_ONLY.finditer(NEWS)] == [m.span() for m in DIGIT_RUN.finditer(NEWS)]
    assert [m.group() for m in DIGIT_RUN.finditer("2\u00bd and \u00be")] == ["2", "\u00bd", "\u00be"]


def test_reordered_start_patterns_match_the_look_behind_forms():
    text = NEWS + " (12) ++3 (+4 x9 a(b 00"
    old_digit, old_phone = re.compile(r"(?<!\d)\d"), re.compile(r"(?<![\d+(])[\d+(]")
    assert [m.start() for m in DIGIT_START.finditer(text)] == [m.start() for m in old_digit.finditer(text)]
    assert [m.start() for m in PHONE_START.finditer(text)] == [m.start() for m in old_phone.finditer(text)]
