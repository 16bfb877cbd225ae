"""How a number is written: digits with their groups, decimals, exponents, fractions, scale
and sign, a currency before them (``$US75 million``, ``RM45``, the lost ``PS2.7m``), or
words read by the ``spelled`` grammar (``a quarter million``, ``two-thirds``, ``sixfold``).

Part of the number grammar of ``numbers``: ``NumberForms`` turns the characters at a
candidate position into a ``Draft`` with its value; the steps after it (unit, range,
context) are in ``measures``, ``ranges``, ``number_context`` and ``identifiers``.
"""

from __future__ import annotations

import re

from newsmine.nlp.claims.number_context import Draft, prev_char, word_before, words_back
from newsmine.nlp.claims.number_lexicon import SCIENTIFIC, SUPERSCRIPT, VULGAR, WORD_AFTER
from newsmine.nlp.claims.ranges import NumberRanges
from newsmine.nlp.claims.spelled import NUM, Tok

SLASH = re.compile(r"[ \t]*[/\u2044\u2215][ \t]*(?P<den>\d{1,4})(?![\d/.,])")
MIXED = re.compile(r"[ \t]+(?P<num>\d{1,2})[ \t]*[/\u2044\u2215][ \t]*(?P<den>\d{1,3})(?![\d/.,])")


class NumberForms(NumberRanges):
    """The written forms of a number (see module doc)."""

    # ------------------------------------------------------------------ digits

    def _digits(self, text: str, m: re.Match[str]) -> Draft | None:
        dig = m.group("dig")
        if re.fullmatch(r"\d{1,3},\d{1,2}", dig):
            plain = dig.replace(",", ".")  # "5,00": a decimal comma
        else:
            plain = re.sub(r"[\s\u00a0\u202f\u2009,]", "", dig)
        value = float("0" + plain if plain.startswith(".") else plain)
        d = Draft(m.start(), m.end(), value, m.start(), m.end(), digits=dig, core_start=m.start(),
                  core_end=m.end())
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
            d.value = float(f"{d.value!r}e{int(raw)}")  # exact: 1.99e-30, not 1.99 * 10**-30
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
        grammar = self.grammar
        g = grammar.read(text, pos, first=Tok(NUM, d.value, pos, d.digits or "")) if grammar.continues(
            text, pos) else None
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
        plain = word.isalpha() and word.islower() and word not in lx.metre_context
        if plain and word not in lx.label_stopwords:
            stem = word[:-1] if word.endswith("s") else word
            event = stem in lx.event_nouns or word in lx.event_nouns or word in lx.event_modifiers
            if not event and (word.endswith("s") or word in lx.collective_nouns):
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
        w = self._sign_word(text, d.start)
        if w is not None and not d.plus:
            d.negative, d.start = True, w.start()

    def _alias_ok(self, text: str, d: Draft) -> bool:
        """A lost-symbol alias needs a real amount: a decimal, a group, a scale or two digits."""
        dig = d.digits or ""
        if "." in dig or "," in dig or len(dig) >= 2:
            return True
        if self.suffix_after.match(text, d.core_end):
            return True
        if not self.grammar.continues(text, d.core_end):
            return False
        g = self.grammar.read(text, d.core_end, first=Tok(NUM, 1.0, d.core_end))
        return g is not None and g.words > 1

    def _sign_ok(self, text: str, i: int) -> bool:
        """Is the ``-``/``+`` at ``i`` a sign (``-2.4%``, ``(-5)``), not a hyphen (``COVID-19``,
        ``10-20``)?"""
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
        w = self._sign_word(text, pos)
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
        hyphen = text[g.end:g.end + 1] in ("-", "\u2010", "\u2011")
        if hyphen or after in self.lx.time_units and not word.startswith("half"):
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
        return last in self.qual_tail and (
            self.qualifier_before.search(text, max(0, pos - 48), pos) is not None)

    def _sign_word(self, text: str, pos: int) -> re.Match[str] | None:
        """``minus 40``, ``negative one``, ``minus-5``."""
        back = words_back(text, pos, 1)
        if not back or back[-1] not in self.sign_tail:
            return None
        return self.sign_before.search(text, max(0, pos - 12), pos)
