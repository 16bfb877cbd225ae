"""Find and parse numeric expressions in plain text (no spaCy).

Why a pure parser: the numbers themselves (``$5.4m``, ``an estimated790,000``,
``between 10 and 20 per cent``, ``half a million``) are a matter of characters, not of
syntax, and a string-in/records-out function can be property-tested and reused by
other stages. The ``newsmine_claims`` component adds what needs the parse (counted
noun, claimant) on top.

Every numeric expression is returned, including the ones that are *not* claims
(dates, years, clock times, ordinals, identifiers, numbers inside URLs); their
``kind`` says so and ``is_claim`` is False, so callers can see why a number was
dropped. The rule data (number words, units, qualifiers, ...) comes from
``models/claims/lexicon.json``. ``parse_numbers`` never raises.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from newsmine.nlp.claims.number_context import Draft, NumberContext, blocked_spans, prev_char, word_before
from newsmine.nlp.claims.number_lexicon import (  # Lexicon is re-exported: claims imports it from here
    DIGIT_RUN,
    WORD,
    WORD_AFTER,
    Lexicon,
)
from newsmine.nlp.claims.number_lexicon import DIGITS as DIGITS  # re-exported: it was public here

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


class NumberParser(NumberContext):
    """Finds numeric expressions with the patterns compiled once in ``NumberPatterns``; parsing is linear."""

    # ------------------------------------------------------------------ public

    def parse(self, text: str) -> list[NumberMatch]:
        """Every numeric expression in ``text``, in order; never raises."""
        out: list[NumberMatch] = []
        try:
            if not isinstance(text, str) or not text:
                return out
            blocked = blocked_spans(text)
            consumed = 0
            for pos in self._candidates(text):
                if pos < consumed:
                    continue
                m = self.core.match(text, pos)
                if m is None:
                    continue
                try:
                    draft = self._build(text, m, blocked)
                except Exception:  # one odd expression must not lose the rest
                    log.debug("number parse failed at %d", m.start(), exc_info=True)
                    continue
                if draft is None:
                    continue
                consumed = draft.num_end
                while out and out[-1].start >= draft.start:  # "three" of "three-quarters of a billion"
                    out.pop()
                out.append(self._freeze(text, draft))
        except Exception:
            log.debug("number parsing stopped early", exc_info=True)
        return out

    def _candidates(self, text: str) -> list[int]:
        """Where a number may start: digit runs (or a currency sign before them) and number words.

        Anchored matching at these few positions is several times faster than letting
        the big alternation scan every character.
        """
        out: list[int] = []
        for d in DIGIT_RUN.finditer(text):
            pos = d.start()
            c = None
            if prev_char(text, pos) in self.cur_tail:
                c = self.cur_before.search(text, max(0, pos - 6), pos)
            out.append(c.start() if c else pos)
        for w in WORD.finditer(text):
            word = w.group().lower()
            if word in self.first_words or (word in ("a", "an") and self.after_article.match(text, w.end())):
                out.append(w.start())
        out.sort()
        return out

    # ------------------------------------------------------------------ building

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

    def _value(self, m: re.Match[str]) -> tuple[float, int, int, bool] | None:
        """The core's value, start, end and whether it was spelled out."""
        if m.group("dig") is not None:
            return float(m.group("dig").replace(",", "")), m.start(), m.end(), False
        if m.group("vague") is not None:
            key = re.sub(r"\s+", " ", m.group("vague").lower())
            return self.lx.vague[key], m.start(), m.end(), True
        if m.group("single") is not None or m.group("aunit") is not None:
            return 1.0, m.start(), m.end(), True
        start, end = m.start(), m.end()
        words = []
        for w in re.finditer(r"[A-Za-z]+", m.group("spell")):
            word = w.group(0).lower()
            if word == "and" and (not words or words[-1] not in self.lx.scale_words):
                end = m.start() + w.start()  # "two and three": a range, not 5
                break
            words.append(word)
        while end > start and m.string[end - 1].isspace():
            end -= 1
        while words and words[-1] in ("and", "a", "an"):
            words.pop()
        if words and words[0] in ("a", "an") and (len(words) < 2 or words[1] not in self.lx.scale_words
                                                   and words[1] not in self.lx.dozen_words):
            words.pop(0)  # "a five-year plan": the article is not part of the number
            start += len(re.match(r"(?i:an?\s+)", m.group("spell")).group(0))
        value = _spelled_value(words, self.lx)
        if value is None:
            return None
        return value, start, end, True

    def _build(self, text: str, m: re.Match[str], blocked: list[tuple[int, int, str]]) -> Draft | None:
        lx = self.lx
        parsed = self._value(m)
        if parsed is None:
            return None
        value, start, end, spelled = parsed
        d = Draft(start=start, end=end, value=value, num_start=start, num_end=end, spelled=spelled)
        if m.group("vague") is not None:
            d.qualifier = lx.vague_qualifier
            if re.sub(r"\s+", " ", m.group("vague").lower()) in lx.vague_not_claims:
                d.kind = "vague"  # "millions of us": an intensifier, not a figure
                return d
        if m.group("cur"):
            d.money, d.unit, d.kind = True, lx.currency_symbols[m.group("cur")], "money"
        for s, e, why in blocked:
            if s <= m.start() < e:
                d.kind, d.start, d.end, d.num_start, d.num_end = why, s, e, s, e
                return d
        digits = m.group("dig") is not None
        if m.group("aunit") is not None:
            # "more than a year", "nearly a decade": an implicit one, a claim only with a bound
            d.kind, d.unit = "duration", lx.time_units[m.group("aunit").split()[-1].lower()]
            self._left(text, d)
            if d.qualifier == "exact" or self._period_of_change(text, d):
                return None
            self._classify(text, d, m, digits)
            return d
        self._fraction(text, d, m)
        pos = self._scale(text, d, end, digits)
        pos = self._units(text, d, pos)
        pos = self._range(text, d, pos, digits)
        d.end = d.num_end = pos
        if m.group("single") is not None and d.kind != "duration":
            return None
        self._left(text, d)
        self._trend(text, d)
        self._classify(text, d, m, digits)
        if d.kind == "identifier":
            self._label_list(text, d, digits)
        return d

    @staticmethod
    def _period_of_change(text: str, d: Draft) -> bool:
        """``rose 5% over a year``: ``over`` after a figure is the period it was measured over."""
        if text[d.start:d.start + 4].lower() != "over":
            return False
        return any(c.isdigit() for c in text[max(0, d.start - 30):d.start])

    def _fraction(self, text: str, d: Draft, m: re.Match[str]) -> None:
        """``a quarter of a million`` -> 250,000: a fraction of a spelled magnitude multiplies it."""
        spell = m.group("spell")
        if spell is None or d.value < 1000 or d.value not in self.lx.scale_words.values():
            return
        if word_before(text, d.start)[0].lower() != "of":
            return
        f = self.fraction_before.search(text, max(0, d.start - 40), d.start)
        if f is None:
            return
        count = self.lx.number_words.get(f.group("n").lower(), 1.0)
        d.value *= count * self.lx.fractions[f.group("f").lower()]
        d.start = d.num_start = f.start()

    def _label_list(self, text: str, d: Draft, digits: bool) -> None:
        """``Rows 21 and 22``, ``the number one and two positions``: the second label is a label too."""
        j = self.label_join.match(text, d.num_end)
        m2 = self.core.match(text, j.end()) if j else None
        if m2 and (m2.group("dig") is not None) == digits and not m2.group("cur") and not m2.group("vague"):
            parsed = self._value(m2)
            if parsed is not None and abs(parsed[0] - d.value) <= max(10.0, d.value):  # a run of labels
                d.end = d.num_end = parsed[2]

    def _scale(self, text: str, d: Draft, pos: int, digits: bool) -> int:
        """``5 million``, ``$5.4m``, ``3bn`` multiply the value."""
        if not digits:
            return pos
        s = self.scale_after.match(text, pos)
        if not s:
            return pos
        if s.group("w"):
            d.value *= self.lx.scale_words[s.group("w").lower()]
            d.scaled = True
            return s.end()
        suffix = (s.group("s") or s.group("s2")).lower()
        if suffix in self.lx.suffix_need_money and not d.money and not self.cur_word.match(text, s.end()):
            nxt = WORD_AFTER.match(text, s.end())
            word = nxt.group(1) if nxt else ""
            # "5m users" counts; "the 100m final", "100m silver medallist" are metres
            counted = (word.isalpha() and word.islower() and word not in self.lx.metre_context
                       and word not in self.lx.event_nouns and word not in self.lx.event_modifiers)
            if suffix != "k" and not counted:
                return pos  # "100m sprint": metres, left to the unit step
        d.value *= self.lx.scale_suffixes[suffix]
        d.scaled = True
        return s.end()

    def _units(self, text: str, d: Draft, pos: int) -> int:
        """Percent, currency words, durations (``30-day``), measures and rates."""
        lx = self.lx
        if not d.money:
            p = self.percent.match(text, pos)
            if p:
                d.kind, d.unit = "percent", lx.percent_words[(p.group("u") or p.group("w")).lower()]
                pos = p.end()
        if d.kind == "count":
            c = self.cur_word.match(text, pos)
            if c:
                d.money, d.kind, d.unit = True, "money", lx.currency_words[c.group("w").lower()]
                pos = c.end()
        if d.kind == "count":
            h = self.hyphen_unit.match(text, pos)
            t = h or self.time_unit.match(text, pos)
            if t:
                w = t.group("w").lower()
                if w in lx.time_units:
                    d.kind, d.unit = "duration", lx.time_units[w]
                else:
                    d.kind, d.unit = "measure", lx.measure_units[w]
                pos = t.end()
            else:
                u = self.measure.match(text, pos)
                glued_ok = u and u.group("w") in lx.glued_units and not d.spelled
                if u and (u.group("sp") or glued_ok):
                    d.kind, d.unit = "measure", lx.measure_units[u.group("w").lower()]
                    pos = u.end()
        if d.kind in ("money", "percent", "measure", "duration"):  # "$3 per day", "four hours a day"
            r = self.rate.match(text, pos)
            if r and not self._relative_date(text, r.end()):
                period = lx.time_units.get((r.group("w") or r.group("w2")).lower(), "")
                d.kind, d.unit = "rate", f"{d.unit} per {period}".strip()
                pos = r.end()
        return pos

    def _range(self, text: str, d: Draft, pos: int, digits: bool) -> int:
        """``10-20``, ``10 to 20 per cent``, ``between two and three weeks``."""
        r = self.range_sep.match(text, pos)
        if not r:
            return pos
        sep = r.group("sep").lower()
        gate = word_before(text, d.start)[0].lower() in ("between", "from")
        before = self.between_before.search(text, max(0, d.start - 12), d.start) if gate else None
        opener = before.group("b").lower() if before else None
        if sep == "and" and opener != "between":
            return pos
        if opener == "from" and self._trend_word(text, before.start()):
            return pos  # "rose from 3% to 5%": two figures, not a range
        if sep == "to" and opener is None and (d.unit or d.scaled) and self._change_by(text, d.start):
            return pos  # "raise its price by $2 to $12.99": a change, then the new level
        m2 = self.core.match(text, r.end())
        if not m2 or m2.group("vague") or m2.group("single"):
            return pos
        if sep in "-\u2013\u2014" and not (digits and m2.group("dig")):
            return pos
        if sep in "-\u2013\u2014" and not d.scaled and not m2.group("cur") and d.kind == "count":
            second_value = float(m2.group("dig").replace(",", ""))
            if second_value <= d.value and d.value < 1000 and "." not in m2.group("dig"):
                d.kind = "idiom"  # "a 5-1 win", "lost 33-15": a score, not a range
                return m2.end()
        parsed = self._value(m2)
        if parsed is None:
            return pos
        second = Draft(start=m2.start(), end=parsed[2], value=parsed[0], num_start=m2.start(),
                        num_end=parsed[2], spelled=parsed[3])
        if m2.group("cur"):
            second.money, second.unit, second.kind = True, self.lx.currency_symbols[m2.group("cur")], "money"
        end2 = self._scale(text, second, parsed[2], m2.group("dig") is not None)
        end2 = self._units(text, second, end2)
        if d.unit and second.unit and d.unit != second.unit:
            return pos
        low = d.value * second.value / parsed[0] if second.scaled and not d.scaled and parsed[0] else d.value
        if not low < second.value:  # "5 to 10 million": the scale applies to both ends
            return pos
        d.value = low
        if d.kind == "count" and second.kind != "count":
            d.kind, d.unit, d.money = second.kind, second.unit, second.money
        d.low, d.high, d.value, d.qualifier = d.value, second.value, d.value, "range"
        if opener:
            d.start = before.start()
        return end2


def _spelled_value(words: list[str], lx: Lexicon) -> float | None:
    """``two hundred and five`` -> 205, ``half a million`` -> 500000, ``a dozen`` -> 12."""
    total, current, half, seen = 0.0, 0.0, False, False
    for word in words:
        if word == "and":
            continue
        if word == "half":
            half = True
            continue
        if word in ("a", "an"):
            current = current or 1.0
            continue
        if word in lx.number_words:
            current += lx.number_words[word]
            seen = True
        elif word in lx.dozen_words:
            current = (current or 1.0) * lx.dozen_words[word]
            seen = True
        elif word in lx.scale_words:
            scale = lx.scale_words[word]
            if scale == 100:
                current = (current or 1.0) * 100
            else:
                total += (current or 1.0) * scale
                current = 0.0
            seen = True
        else:
            return None
    if not seen:
        return None
    value = total + current
    return value / 2 if half else value


@lru_cache(maxsize=1)
def default_parser() -> NumberParser:
    """The parser over ``models/claims/lexicon.json``, built once per process."""
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
