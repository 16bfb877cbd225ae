"""Find and parse numeric expressions in plain text (no spaCy).

Why a pure parser: the numbers themselves (``$5.4m``, ``an estimated790,000``,
``between 10 and 20 per cent``, ``a quarter million``, ``RM23.50``, ``-2.4%``) are a
matter of characters, not of syntax, and a string-in/records-out function can be
property-tested and reused by other stages. The ``newsmine_claims`` component adds what
needs the parse (counted noun, claimant) on top.

The grammar, in the order it reads: a currency or sign before the number (``$US``,
``RM``, ``minus``), the number (digits with their groups, decimals, exponents and
fractions, or words through ``spelled``), its scale (``5 million``, ``3bn``), its unit
(``units``: percent, currency, time, measure, age), a rate (``a year``, ``per share``), a
ratio (``one in five``), a range (``ranges``), then what the words around it say
(``number_context``: bounds, trends, and whether it is a claim at all).

Every numeric expression is returned, including the ones that are *not* claims
(dates, years, clock times, ordinals, identifiers, numbers inside URLs); their
``kind`` says so and ``is_claim`` is False, so callers can see why a number was
dropped. The rule data comes from ``models/claims/lexicon.json`` and
``models/claims/units.json``. ``parse_numbers`` never raises.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from newsmine.nlp.claims.forms import NumberForms
from newsmine.nlp.claims.number_context import Draft, blocked_spans, prev_char, word_before
from newsmine.nlp.claims.number_lexicon import DIGIT_RUN, VULGAR, WORD
from newsmine.nlp.claims.number_lexicon import DIGITS as DIGITS  # re-exported: it was public here
from newsmine.nlp.claims.number_lexicon import (
    Lexicon as Lexicon,  # re-exported: the component imports it here
)

log = logging.getLogger(__name__)

NON_CLAIM_KINDS = frozenset({"date", "year", "time", "ordinal", "identifier", "url", "anaphoric", "idiom",
                             "vague", "label"})


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """One numeric expression: where it is, what it says and whether it is a claim."""

    text: str
    start: int
    end: int
    value: float
    value_low: float | None = None
    value_high: float | None = None
    unit: str | None = None
    kind: str = "count"
    qualifier: str = "exact"
    trend: str | None = None
    num_start: int = 0
    num_end: int = 0
    spelled: bool = False

    @property
    def is_claim(self) -> bool:
        return self.kind not in NON_CLAIM_KINDS


class NumberParser(NumberForms):
    """Finds numeric expressions with the patterns compiled once in ``NumberPatterns``; parsing is linear."""

    # ------------------------------------------------------------------ public

    def parse(self, text: str) -> list[NumberMatch]:
        """Every numeric expression in ``text``, in order; never raises."""
        out: list[Draft] = []
        try:
            if not isinstance(text, str) or not text:
                return []
            blocked = blocked_spans(text, self)
            consumed = 0
            for pos in self._candidates(text):
                if pos < consumed:
                    continue
                try:
                    draft = self._read(text, pos, blocked)
                except Exception:  # one odd expression must not lose the rest
                    log.debug("number parse failed at %d", pos, exc_info=True)
                    continue
                if draft is None:
                    continue
                consumed = max(draft.num_end, pos + 1)
                while out and out[-1].start >= draft.start:  # "three" of "three-quarters of a billion"
                    out.pop()
                out.append(draft)
            self._restatements(text, out)
        except Exception:
            log.debug("number parsing stopped early", exc_info=True)
        return [self._freeze(text, d) for d in out]

    def _candidates(self, text: str) -> list[int]:
        """Where a number may start: digit runs (a leading dot: ``.5``) and number words.

        Anchored matching at these few positions is several times faster than letting
        the big alternation scan every character.
        """
        out: list[int] = []
        runs = DIGIT_RUN if VULGAR_CHAR.search(text) else DIGITS_ONLY  # the same runs, scanned faster
        for d in runs.finditer(text):
            pos = d.start()
            if pos and text[pos - 1] == "." and (pos < 2 or not text[pos - 2].isalnum()):
                pos -= 1
            out.append(pos)
        first, numbers = self.first_words, self.lx.number_words
        for w in WORD.finditer(text.lower()):  # one lower() for the text, not one per word
            word = w.group()
            if word in first or (word in ("a", "an") and self.after_article.match(text, w.end())) or (
                    word[-4:] == "fold" and word[:-4] in numbers):  # "sixfold"
                out.append(w.start())
        out.sort()
        return out

    def _freeze(self, text: str, d: Draft) -> NumberMatch:
        start = max(0, min(d.start, len(text)))
        end = max(start, min(d.end, len(text)))
        return NumberMatch(
            text=text[start:end], start=start, end=end, value=float(d.value),
            value_low=d.low, value_high=d.high, unit=d.unit, kind=d.kind, qualifier=d.qualifier,
            trend=d.trend, num_start=max(start, min(d.num_start, end)),
            num_end=max(start, min(d.num_end, end)),
            spelled=d.spelled,
        )

    # ------------------------------------------------------------------ one expression

    def _read(self, text: str, pos: int, blocked: list[tuple[int, int, str]]) -> Draft | None:
        d = self._atom(text, pos)
        if d is None:
            return None
        for s, e, why in blocked:
            if s <= d.core_start < e:
                d.kind, d.start, d.end, d.num_start, d.num_end = why, s, e, s, e
                return d
        if d.kind == "vague" or d.implicit:
            return self._implicit(text, d)
        self._percent_before(text, d)
        end = self._units(text, d, d.num_end)
        end = self._ratio(text, d, end)
        end = self._range(text, d, end)
        d.end = d.num_end = end
        self._left(text, d)
        self._after(text, d)
        self._trend(text, d)
        self._classify(text, d)
        if d.kind == "identifier":
            self._label_list(text, d)
        return d

    def _atom(self, text: str, pos: int) -> Draft | None:
        """The number itself at ``pos`` with what is glued to it: currency, sign, scale."""
        m = self.core.match(text, pos)
        if m is None:
            return None
        if m.group("word") is not None:
            d = self._spelled(text, m.start("word"))
        elif m.group("dig") is not None:
            d = self._digits(text, m)
        elif m.group("vulgar") is not None:
            d = Draft(m.start(), m.end(), VULGAR[m.group("vulgar")], m.start(), m.end(), fraction=True,
                      core_start=m.start(), core_end=m.end(), kind="fraction")
            self._before(text, d)
        else:
            d = self._vague_or_one(m)
        return d

    def _vague_or_one(self, m: re.Match[str]) -> Draft | None:
        """``thousands of``: an order of magnitude; ``a single day``, ``a year``: an implicit one."""
        d = Draft(m.start(), m.end(), 1.0, m.start(), m.end(), spelled=True, core_start=m.start(),
                  core_end=m.end())
        if m.group("vague") is not None:
            key = re.sub(r"\s+", " ", m.group("vague").lower())
            of = re.match(r"\s+of\s+(?P<n>\S)", m.string[m.end():m.end() + 12])
            if (key in self.lx.vague_need_of and of is None) or (of is not None and of.group("n").isdigit()):
                return None  # "the scores were level", "scores of 10-20": no order of magnitude
            d.low, d.high = self.lx.vague[key]
            d.value, d.qualifier, d.kind = (d.low + d.high) / 2, self.lx.vague_qualifier, "vague"
        else:
            d.implicit = m.group("aunit") or "single"
        return d

    def _implicit(self, text: str, d: Draft) -> Draft | None:
        """Finish a vague quantity or an implicit one (``more than a year``: a claim only with a bound)."""
        lx = self.lx
        if d.kind == "vague":
            key = re.sub(r"\s+", " ", text[d.core_start:d.core_end].lower())
            if key in lx.vague_not_claims:
                return d  # "millions of us", for a corpus that counts these as intensifiers
            d.kind = "count"
            self._left(text, d)
            return d
        if d.implicit == "single":
            end = self._units(text, d, d.num_end)
            if d.kind != "duration":
                return None
            d.end = d.num_end = end
            self._left(text, d)
            return d
        d.kind, d.unit = "duration", lx.time_units[d.implicit.split()[-1].lower()]
        self._left(text, d)
        if d.qualifier == "exact" or self._period_of_change(text, d):
            return None
        self._classify(text, d)
        return d

    def _percent_before(self, text: str, d: Draft) -> None:
        """``per cent of 210``: a percent word before the number, with no number of its own."""
        if d.kind != "count":
            return
        if word_before(text, d.start)[0].lower() != "of":
            return
        p = self.percent_before.search(text, max(0, d.start - 16), d.start)
        if p is None:
            return
        word = word_before(text, p.start())[0].lower()
        if prev_char(text, p.start()).isdigit() or word in (*self.lx.number_words, *self.lx.scale_words):
            return  # "5 per cent of 210": the 210 is the whole
        d.kind, d.unit, d.start = "percent", "percent", p.start()

    @staticmethod
    def _period_of_change(text: str, d: Draft) -> bool:
        """``rose 5% over a year``: ``over`` after a figure is the period it was measured over."""
        if text[d.start:d.start + 4].lower() != "over":
            return False
        return any(c.isdigit() for c in text[max(0, d.start - 30):d.start])


# ``DIGIT_RUN`` is digit runs or single vulgar fractions; without any of the latter in a text,
# its matches are those of ``\d+``, which the regex engine scans several times faster
DIGITS_ONLY = re.compile(r"\d+")
VULGAR_CHAR = re.compile(r"[\u00bc-\u00be\u2150-\u215e]")


@lru_cache(maxsize=1)
def default_parser() -> NumberParser:
    """The parser over ``models/claims/``' lexicon and unit table, built once per process."""
    return NumberParser()


def parse_numbers(text: str, parser: NumberParser | None = None) -> list[NumberMatch]:
    """Every numeric expression in ``text`` (claims and non-claims); never raises."""
    try:
        return (parser or default_parser()).parse(text)
    except Exception:
        log.debug("number parser unavailable", exc_info=True)
        return []


def parse_claims(text: str, parser: NumberParser | None = None) -> list[NumberMatch]:
    """Only the expressions that can be claims (no dates, ordinals, identifiers, ...)."""
    return [m for m in parse_numbers(text, parser) if m.is_claim]
