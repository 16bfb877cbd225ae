"""What the characters around a number say: qualifiers, trends, ages, and whether it is a claim.

Part of the number grammar of ``numbers``: ``more than``/``an estimated`` before a
number and ``or more``/``-plus`` after it, ``rose by``/``a rise of`` around it, ages
(``aged 47``, ``Joe Maddon, 66,``), and the spans that are no claims at all (numbers
inside URLs, phone numbers, dates and date spans, clock times). Identifiers (``Boeing
737``, ``575 Wilbraham Road``) are in ``identifiers``. ``NumberContext`` is a base of
``NumberParser``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsmine.nlp.claims.number_lexicon import (
    CLOCK_SPAN,
    NUMERIC_DATE,
    PHONE,
    SHORT_PHONE,
    URL_HINT,
    WORD_AFTER,
    YEAR_SPAN,
    NumberPatterns,
)

DATE_WORDS = frozenset({"on", "since", "until", "till", "by", "from", "dated", "through", "before", "after"})
AGE_APPOSITION_AFTER = re.compile(
    r"\s*(?:[,;)]|\.(?!\d)|\s+(?:and|who|said|says|was|is|has|had|died|dies|from)\b)")
# The character first, then the look-behind: a pattern that starts with a character class
# lets the regex engine skip to the next candidate instead of trying every position.
DIGIT_START = re.compile(r"\d(?<!\d\d)")  # a digit without a digit before it
PHONE_START = re.compile(r"[\d+(](?<![\d+(][\d+(])")  # a digit, + or ( without one before it
AGE_QUALIFIERS = re.compile(r"(?i:(?P<q>over|above|under|below)\s+)$")


@dataclass
class Draft:
    """A match being built; frozen into a NumberMatch at the end."""

    start: int
    end: int
    value: float
    num_start: int
    num_end: int
    spelled: bool = False
    money: bool = False  # a currency was seen
    scaled: bool = False  # a scale word or suffix multiplied the value
    low: float | None = None
    high: float | None = None
    kind: str = "count"
    unit: str | None = None
    trend: str | None = None
    qualifier: str = "exact"
    digits: str | None = None  # the digits as written (None for words)
    core_start: int = 0  # the number itself, without currency, sign or scale
    core_end: int = 0
    raw: float | None = None  # the value before its scale ("5 million" -> 5)
    scale: float = 1.0
    fraction: bool = False
    currency_before: bool = False
    negative: bool = False
    plus: bool = False
    implicit: str | None = None  # "a year", "a single": an implicit one
    fixed: bool = False  # the bound is settled (a range's opener said it)
    restates: bool = False  # it restates the figure before it ("(£53m)", ", or 0.8%")


def prev_char(text: str, pos: int) -> str:
    """The last non-space character before ``pos`` ("" at the start)."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return text[i - 1] if i > 0 else ""


def word_before(text: str, pos: int, glued: bool = False) -> tuple[str, int]:
    """The word ending just before ``pos`` (after optional spaces) and its start; ("", pos) if none.

    With ``glued`` only letters count (``estimated790`` -> ``estimated``); otherwise the word
    may hold digits, dots and apostrophes (``No.``, ``U.S.``) but must start with a letter.
    """
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    j = i
    while j > 0:
        c = text[j - 1]
        if not (c.isalpha() or (not glued and (c.isalnum() or c in ".'’-"))):
            break
        j -= 1
    while j < i and not text[j].isalpha():
        j += 1
    return text[j:i], j


WORDS_BACK = re.compile(r"[A-Za-z'’]+")


def words_back(text: str, pos: int, n: int = 4) -> list[str]:
    """The last ``n`` words before ``pos``, lower-cased, nearest last: cheap gates for the
    regexes that look back (most numbers have no qualifier or trend word before them)."""
    return [w.lower() for w in WORDS_BACK.findall(text, max(0, pos - 12 * n), pos)[-n:]]


def non_claim_spans(
    pattern: re.Pattern[str], text: str, kind: str, not_after: str, starts: list[int] | None = None
) -> list[tuple[int, int, str]]:
    """Matches of ``pattern`` not glued to a digit or one of ``not_after`` on their left.

    With ``starts`` (where digit runs begin) the pattern is only tried there: every one of
    these patterns starts with a digit, and trying a few positions beats scanning the text."""
    out: list[tuple[int, int, str]] = []
    found = (pattern.finditer(text) if starts is None
             else (m for pos in starts if (m := pattern.match(text, pos)) is not None))
    for m in found:
        if out and m.start() < out[-1][1]:
            continue
        prev = text[m.start() - 1] if m.start() else ""
        if prev and (prev.isdigit() or prev in not_after or ("\\w" in not_after and prev.isalnum())):
            continue
        out.append((m.start(), m.end(), kind))
    return out


def _year_spans(text: str) -> list[tuple[int, int, str]]:
    """``1998/9``, ``2004/05``, ``2004-05``: the second part is a later year's last digits."""
    out = []
    for m in YEAR_SPAN.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "/.-,"):
            continue
        first, second = re.split(r"[/\u2013-]", m.group())
        width = 10 ** len(second)
        if int(first) % width < int(second) or (int(first) % width == width - 1 and int(second) == 0):
            out.append((m.start(), m.end(), "date"))
    return out


def _urls(text: str) -> list[tuple[int, int, str]]:
    """Whitespace-delimited runs around a URL or e-mail hint (``www.``, ``.com/...``)."""
    out = []
    for m in URL_HINT.finditer(text):
        start = m.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = m.end()
        while end < len(text) and not text[end].isspace():
            end += 1
        if not out or start >= out[-1][1]:
            out.append((start, end, "url"))
    return out


def _round(n: int) -> bool:
    return n % 10 == 0 or n % 25 == 0


def _short_phones(text: str, starts: list[int]) -> list[tuple[int, int, str]]:
    """``624-6456``: three digits, a hyphen, four digits is a phone number unless both ends are
    round, as a range's ends are (``100-1000``, ``800-1200``)."""
    out = []
    for s, e, _ in non_claim_spans(SHORT_PHONE, text, "identifier", "-,.$£€", starts):
        low, high = (int(x) for x in text[s:e].split("-"))
        if not (_round(low) and _round(high)):
            out.append((s, e, "identifier"))
    return out


def blocked_spans(text: str, ctx: Any = None) -> list[tuple[int, int, str]]:
    """Spans of ``text`` no number inside of which is a claim: URLs, phones, dates, times.

    ``a/b`` that ``ctx.is_fraction`` reads as a fraction (``3/4``, ``1/16 of a pint``) is no date."""
    starts = [m.start() for m in DIGIT_START.finditer(text)]
    blocked = _urls(text)
    phones = [m.start() for m in PHONE_START.finditer(text)]
    blocked += non_claim_spans(PHONE, text, "identifier", r"\w,.", phones)
    blocked += _short_phones(text, starts)
    for s, e, why in non_claim_spans(NUMERIC_DATE, text, "date", "/.-", starts):
        part = re.fullmatch(r"(\d{1,2})/(\d{1,2})", text[s:e])
        if part and ctx is not None and ctx.is_fraction(text, s, s + len(part.group(1)), None):
            continue
        blocked.append((s, e, why))
    blocked += _year_spans(text)
    blocked += non_claim_spans(CLOCK_SPAN, text, "time", ".,:", starts)
    blocked.sort()
    return blocked


class NumberContext(NumberPatterns):
    """The context steps of the number parser (see module doc)."""

    def _left(self, text: str, d: Draft) -> None:
        """Qualifiers before the number, tolerant of scraped text (``saidmore than``)."""
        if d.fixed:
            return
        window = max(0, d.start - 48)
        last = word_before(text, d.start, glued=True)[0].lower()
        symbol = prev_char(text, d.start)
        q = None
        back = words_back(text, d.start, 4)
        filled = last in self.filler_tail and any(w in self.qual_tail for w in back[:-1])
        if last in self.qual_tail or filled or symbol in "~≈<>=≤≥-":
            q = self.qualifier_before.search(text, window, d.start)
        if q:
            phrase = re.sub(r"\s+", " ", q.group("q").lower())
            glued = q.start() > 0 and text[q.start() - 1].isalpha()
            if not glued or " " in phrase or len(phrase) >= 6:
                d.qualifier = self.lx.qualifiers[phrase]
                d.start = q.start()
                return
        f = self.filler_before.search(text, window, d.start) if last in ("of", "estimated") else None
        if f:
            if "estimated" in f.group("f").lower():
                d.qualifier = "approximate"
            d.start = f.start()

    def _after(self, text: str, d: Draft) -> None:
        """A bound written after the number: ``18 or over``, ``5,000-plus``, ``50-odd``, ``100 or so``."""
        a = self.qual_after.match(text, d.end)
        if a is None:
            return
        q = re.sub(r"\s+", " ", a.group("q").lower())
        if q == "or equal":
            if d.qualifier in ("more_than", "less_than"):
                d.qualifier = "at_least" if d.qualifier == "more_than" else "at_most"
                d.end = a.end()
            return
        arithmetic = q == "+" and text[a.end():a.end() + 1].isdigit()  # "5+3"
        if d.qualifier == "exact" and d.low is None and not arithmetic:
            d.qualifier = self.lx.qualifiers_after[q]
            d.end = a.end()

    def _trend(self, text: str, d: Draft) -> None:
        if d.plus and d.kind in ("percent", "money", "rate"):
            d.trend = "up"  # "Dow +0.2%"
            return
        if d.negative and d.kind == "percent":
            d.trend = "down"  # "Nasdaq -1.2%"
        t = self._trend_word(text, d.start)
        if t:
            d.trend = self._direction(t.group("t"))
            return
        c = self._change_by(text, d.start)
        if c:
            d.trend = self._direction(c.group("t"))
            return
        a = self.trend_after.match(text, d.end)
        if a and d.kind in ("percent", "money", "measure", "rate"):
            word = a.group("t").lower()
            d.trend = self.lx.trend_nouns.get(word) or self.lx.trend_words[word]

    def _direction(self, word: str) -> str:
        word = re.sub(r"\s+", " ", word.lower())
        return self.lx.trend_words.get(word) or self.lx.trend_verbs[word]

    def _change_by(self, text: str, pos: int) -> re.Match[str] | None:
        """``raise its monthly price by $2``: a change verb a few words before ``by``."""
        if word_before(text, pos)[0].lower() != "by":
            return None
        return self.change_by.search(text, max(0, pos - 60), pos)

    def _trend_word(self, text: str, pos: int) -> re.Match[str] | None:
        back = words_back(text, pos, 2)
        if not back or back[-1] not in self.trend_tail and not (
                back[-1] in ("by", "to", "of", "at") and len(back) > 1 and back[-2] in self.trend_tail):
            return None
        return self.trend_before.search(text, max(0, pos - 30), pos)

    def _event_name(self, text: str, pos: int) -> bool:
        nxt = WORD_AFTER.match(text, pos)
        word = nxt.group(1).lower().strip(".,") if nxt else ""
        if word in self.lx.event_modifiers:
            nxt = WORD_AFTER.match(text, nxt.end())
            word = nxt.group(1).lower().strip(".,") if nxt else ""
        return word in self.lx.event_nouns

    def _counted_after(self, text: str, pos: int) -> bool:
        """Is the next word a plural common noun (``2000 soldiers``), not ``this``, ``was``, ``has``?"""
        nxt = WORD_AFTER.match(text, pos)
        word = nxt.group(1).rstrip(".,;:!?") if nxt else ""
        return (word.isalpha() and word.islower() and word.endswith("s") and len(word) > 3
                and word not in self.lx.label_stopwords and word not in self.lx.not_counted)

    def _relative_date(self, text: str, pos: int) -> bool:
        nxt = WORD_AFTER.match(text, pos)
        return bool(nxt and nxt.group(1).lower().strip(".,") in self.lx.relative_date_words)

    def is_fraction(self, text: str, start: int, slash: int, s: re.Match[str] | None) -> bool:
        """Is ``a/b`` at ``start`` a fraction (``3/4``, ``1/16 of a pint``, ``1⁄32``), not a date
        (``on 5/17``)?"""
        m = s or re.compile(r"[ \t]*[/\u2044\u2215][ \t]*(?P<den>\d{1,4})").match(text, slash)
        if m is None or not text[start:slash].strip().isdigit():
            return False
        num, den = int(text[start:slash]), int(m.group("den"))
        if num <= 0 or den <= 0:
            return False
        if "/" not in m.group():
            return True  # the fraction slash U+2044 or the division slash
        if num >= den or word_before(text, start)[0].lower() in DATE_WORDS:
            return False
        nxt = WORD_AFTER.match(text, m.end())
        if nxt and nxt.group(1).lower().strip(".,") == "of" or self.units.after(text, m.end()):
            return True
        return den in self.lx.slash_denominators

    # ------------------------------------------------------------------ ages

    def _age(self, text: str, d: Draft) -> None:
        """``aged 47``, ``over the age of 21``, ``Joe Maddon, 66,``: the figure is an age."""
        if d.kind != "count" or d.digits is None or not d.digits.isdigit() or not 0 < d.value < 125:
            return
        back = words_back(text, d.start, 1)
        gate = back and back[-1] in self.age_tail
        a = self.age_before.search(text, max(0, d.start - 24), d.start) if gate else None
        if a is not None:
            d.kind, d.unit = "age", "year of age"
            q = AGE_QUALIFIERS.search(text, max(0, a.start() - 8), a.start())
            if q is not None:
                d.qualifier = self.lx.qualifiers[q.group("q").lower()]
                d.start = q.start()
            return
        before = text[max(0, d.start - 40):d.start]
        name = re.search(r"(?:^|\s)(?P<w>[A-Za-z][\w'’.-]+),[ \t]*$", before)
        if name is None or name.group("w").lower().strip(".") in self.lx.months:
            return
        if name.group("w")[0].islower() and name.group("w").lower() not in self.lx.person_nouns:
            return  # "the man, 47," is an age; "the report, 47," is not
        if AGE_APPOSITION_AFTER.match(text, d.end) and d.value == int(d.value):
            d.kind, d.unit = "age", "year of age"
