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

from newsmine.nlp.claims.number_context import Draft, blocked_spans, prev_char, word_before
from newsmine.nlp.claims.number_lexicon import (  # Lexicon is re-exported: claims imports it from here
    DIGIT_RUN,
    SCIENTIFIC,
    SUPERSCRIPT,
    VULGAR,
    WORD,
    WORD_AFTER,
    Lexicon,
)
from newsmine.nlp.claims.number_lexicon import DIGITS as DIGITS  # re-exported: it was public here
from newsmine.nlp.claims.ranges import NumberRanges
from newsmine.nlp.claims.spelled import NUM, Tok

log = logging.getLogger(__name__)

NON_CLAIM_KINDS = frozenset({"date", "year", "time", "ordinal", "identifier", "url", "anaphoric", "idiom",
                             "vague", "label"})
SLASH = re.compile(r"[ \t]*[/\u2044\u2215][ \t]*(?P<den>\d{1,4})(?![\d/.,])")
MIXED = re.compile(r"[ \t]+(?P<num>\d{1,2})[ \t]*[/\u2044\u2215][ \t]*(?P<den>\d{1,3})(?![\d/.,])")


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


class NumberParser(NumberRanges):
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
        for d in DIGIT_RUN.finditer(text):
            pos = d.start()
            if pos and text[pos - 1] == "." and (pos < 2 or not text[pos - 2].isalnum()):
                pos -= 1
            out.append(pos)
        for w in WORD.finditer(text):
            word = w.group().lower()
            if word in self.first_words or (word in ("a", "an") and self.after_article.match(text, w.end())) or (
                    word.endswith("fold") and word[:-4] in self.lx.number_words):
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
        d = Draft(m.start(), m.end(), 1.0, m.start(), m.end(), spelled=True, core_start=m.start(), core_end=m.end())
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
        p = self.percent_before.search(text, max(0, d.start - 16), d.start)
        if p is None:
            return
        word = word_before(text, p.start())[0].lower()
        if prev_char(text, p.start()).isdigit() or word in self.lx.number_words or word in self.lx.scale_words:
            return  # "5 per cent of 210": the 210 is the whole
        d.kind, d.unit, d.start = "percent", "percent", p.start()

    @staticmethod
    def _period_of_change(text: str, d: Draft) -> bool:
        """``rose 5% over a year``: ``over`` after a figure is the period it was measured over."""
        if text[d.start:d.start + 4].lower() != "over":
            return False
        return any(c.isdigit() for c in text[max(0, d.start - 30):d.start])

    # ------------------------------------------------------------------ digits

    def _digits(self, text: str, m: re.Match[str]) -> Draft | None:
        dig = m.group("dig")
        plain = re.sub(r"[\s\u00a0\u202f\u2009,]", "", dig) if not re.fullmatch(r"\d{1,3},\d{1,2}", dig) else \
            dig.replace(",", ".")
        value = float("0" + plain if plain.startswith(".") else plain)
        d = Draft(m.start(), m.end(), value, m.start(), m.end(), digits=dig, core_start=m.start(), core_end=m.end())
        self._before(text, d)
        pos = self._exponent(text, d, m.end())
        pos = self._digit_fraction(text, d, pos)
        pos = self._scale(text, d, pos)
        d.end = d.num_end = pos
        if d.negative:
            d.value = -d.value
        if d.fraction and abs(d.value) < 1 and not d.money:
            d.kind = "fraction"
        return d

    def _exponent(self, text: str, d: Draft, pos: int) -> int:
        """``1.3e6``, ``6.23x10^-4``, ``3.4×10−5``, ``2.5^-1``."""
        s = SCIENTIFIC.match(text, pos)
        if s is None:
            return pos
        if s.group("p") is not None:
            exp = s.group("p")
            sign = -1 if (exp.count("-") + exp.count("−")) % 2 else 1
            d.value = d.value ** (sign * float(exp.lstrip("+-−")))
        else:
            raw = (s.group("e") or s.group("e2") or s.group("e3")).translate(SUPERSCRIPT).replace("−", "-")
            d.value *= 10.0 ** int(raw)
        d.scaled = True
        return s.end()

    def _digit_fraction(self, text: str, d: Draft, pos: int) -> int:
        """``2½``, ``2 1/4``, ``3/4``, ``1⁄32``: a fraction written with digits."""
        if d.digits is None or not d.digits.isdigit():
            return pos
        if pos < len(text) and text[pos] in VULGAR:
            d.value += VULGAR[text[pos]]
            d.fraction = True
            return pos + 1
        mixed = MIXED.match(text, pos)
        if mixed and 0 < int(mixed.group("num")) < int(mixed.group("den")):
            d.value += int(mixed.group("num")) / int(mixed.group("den"))
            d.fraction = True
            return mixed.end()
        s = SLASH.match(text, pos)
        if s and self.is_fraction(text, d.core_start, pos, s):
            d.value /= int(s.group("den"))
            d.fraction = True
            return s.end()
        return pos

    def _scale(self, text: str, d: Draft, pos: int) -> int:
        """``5 million``, ``4 hundred million``, ``3 million and a half``, ``$5.4m``, ``3bn``, ``1MM``."""
        g = self.grammar.read(text, pos, first=Tok(NUM, d.value, pos, d.digits or ""))
        if g is not None and g.words > 1:
            d.value, d.raw, d.scale, d.scaled = g.value, g.raw, g.scale, g.scale > 1 or d.scaled
            d.fraction = d.fraction or g.fraction
            return g.end
        s = self.suffix_after.match(text, pos)
        if not s:
            return pos
        suffix = s.group("s") or s.group("s2")
        if suffix in self.lx.suffix_need_money and not d.money and not self.units.money_after(text, s.end()) \
                and not self._millions(text, d, s.end()):
            return pos  # "100m sprint", "cleared 4.88m": metres, left to the unit step
        d.raw, d.scale = d.value, self.lx.scale_suffixes[suffix]
        d.value *= d.scale
        d.scaled = True
        return s.end()

    def _millions(self, text: str, d: Draft, end: int) -> bool:
        """Is ``5m`` five million, not five metres? Yes before a plural noun (``5m users``, but not
        ``400m runners``) or after money earlier in the sentence (``77m euros, up from 38m``)."""
        nxt = WORD_AFTER.match(text, end)
        word = nxt.group(1) if nxt else ""
        lx = self.lx
        if word.isalpha() and word.islower() and word not in lx.metre_context and word not in lx.label_stopwords:
            stem = word[:-1] if word.endswith("s") else word
            if stem not in lx.event_nouns and word not in lx.event_nouns and word not in lx.event_modifiers and (
                    word.endswith("s") or word in lx.collective_nouns):
                return True
        before = text[max(0, d.start - 120):d.start]
        sentence = re.split(r"[.!?]\s+(?=[A-Z\"“])", before)[-1]
        return bool(re.search(r"[$£€¥]\s?\d|\d\s?(?:m|bn)?\s(?:euros|dollars|pounds|yen)\b", sentence))

    def _before(self, text: str, d: Draft) -> None:
        """A currency (``$US``, ``RM``, ``HK$``, the lost ``PS``) or a sign before the number."""
        c = self.units.currency_before(text, d.core_start)
        if c is not None and c[2] and not self._alias_ok(text, d):
            c = None  # "PS5" is a games console, "PS2.7m" lost its £
        if c is not None:
            unit, d.start, _, signed = c
            d.money, d.kind, d.unit, d.currency_before = True, "money", unit.name, True
            d.negative = signed
        i = d.start
        if i >= 2 and text[i - 1] == " " and text[i - 2] in "-\u2212" and (i == 2 or text[i - 3] in "\n(["):
            i -= 1  # "- 1 4/5" at the start of a line
        if i and text[i - 1] in "-\u2212+" and self._sign_ok(text, i - 1):
            d.negative, d.plus = text[i - 1] != "+", text[i - 1] == "+"
            d.start = i - 1
            c = self.units.currency_before(text, d.start) if not d.money else None
            if c is not None and not c[2]:  # "-$5": the sign before the currency
                d.money, d.kind, d.unit, d.currency_before, d.start = True, "money", c[0].name, True, c[1]
        w = self.sign_before.search(text, max(0, d.start - 12), d.start)
        if w is not None and not d.plus:
            d.negative, d.start = True, w.start()

    def _alias_ok(self, text: str, d: Draft) -> bool:
        """A lost-symbol alias needs a real amount: a decimal, a group, a scale or two digits."""
        dig = d.digits or ""
        if "." in dig or "," in dig or len(dig) >= 2:
            return True
        if self.suffix_after.match(text, d.core_end):
            return True
        g = self.grammar.read(text, d.core_end, first=Tok(NUM, 1.0, d.core_end))
        return g is not None and g.words > 1

    def _sign_ok(self, text: str, i: int) -> bool:
        """Is the ``-``/``+`` at ``i`` a sign (``-2.4%``, ``(-5)``), not a hyphen (``COVID-19``, ``10-20``)?"""
        before = text[i - 1] if i else ""
        if before and not (before.isspace() or before in "([{=:;\"“'‘/<>≤≥~"):
            return False
        if before.isspace():
            p = prev_char(text, i)
            glued = text[i + 1:i + 2].isdigit()
            if p and (p.isdigit() or p in "%)") and not (glued and text[i] == "+"):
                return False  # "10 - 20", "5% - 6%": a separator; "S&P 500 +0.3%" is a sign
            word = word_before(text, i)[0]
            if len(word) >= 2 and word.isupper():
                return False  # "COVID -19"
        return True

    # ------------------------------------------------------------------ words

    def _spelled(self, text: str, pos: int) -> Draft | None:
        fold = re.match(r"(?i:([a-z]+)fold)(?![a-z])", text[pos:pos + 20])
        if fold and fold.group(1).lower() in self.lx.number_words:  # "sixfold": six times
            end = pos + fold.end()
            return Draft(pos, end, self.lx.number_words[fold.group(1).lower()], pos, end, spelled=True,
                         kind="measure", unit="times", core_start=pos, core_end=end)
        g = self.grammar.read(text, pos)
        if g is not None and g.ordinal and not self._fraction_ok(text, pos, g):
            g = self.grammar.read(text, pos, fractions=False)
        if g is None:
            return None
        d = Draft(pos, g.end, g.value, pos, g.end, spelled=True, raw=g.raw, scale=g.scale, scaled=g.scale > 1,
                  fraction=g.fraction, core_start=pos, core_end=g.end)
        if g.ordinal:
            o = self.of_scale.match(text, g.end)  # "two thirds of a million"
            if o is not None:
                d.value *= self.lx.scale_words[o.group("w").lower()]
                d.end = d.num_end = o.end()
        w = self.sign_before.search(text, max(0, pos - 12), pos)
        if w is not None:
            d.value, d.start = -d.value, w.start()
        if d.fraction and abs(d.value) < 1:
            d.kind = "fraction"  # "two-thirds of voters", "a quarter of the 300 staff"
        return d

    def _fraction_ok(self, text: str, pos: int, g) -> bool:
        """``two thirds``, ``a third of``, ``more than half``, ``and a half``: fractions; ``a third term``,
        ``the second half``, ``half-time``, ``three quarters`` (of a year): not."""
        word = (g.ordinal or "").lower()
        if g.value >= 1 or g.scale > 1:
            return True  # "two and a half", "a quarter million"
        nxt = WORD_AFTER.match(text, g.end)
        after = nxt.group(1).lower() if nxt else ""
        if text[g.end:g.end + 1] in ("-", "\u2010", "\u2011") or after in self.lx.time_units and not word.startswith("half"):
            return False
        followed = after in ("of", "a", "an") or not after or not after[0].isalpha()
        if word.startswith(("quarter", "half")):
            prev = word_before(text, pos)[0].lower()
            if prev in self.lx.ordinals or prev in ("the", "this", "that", "each"):
                return False  # "the second half", "each quarter"
            if word.startswith("quarter"):
                if text[pos:pos + 7].lower() == "quarter":
                    return False  # "the (January to March) quarter of this year": a period
                return after == "of" or g.end >= len(text.rstrip())
            return followed or after in ("the", "his", "her", "its", "their", "our", "all") or \
                self._qualified(text, pos)
        return followed or word.endswith("s")

    def _qualified(self, text: str, pos: int) -> bool:
        last = word_before(text, pos, glued=True)[0].lower()
        return last in self.qual_tail and self.qual_before.search(text, max(0, pos - 48), pos) is not None


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
