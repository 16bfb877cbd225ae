"""What the characters around a number say: qualifiers, trends, and whether it is a claim.

Part of the number grammar of ``numbers``: ``more than``/``an estimated`` before a
number, ``rose by``/``a rise of`` around it, and the kinds that are not claims (dates,
years, clock times, ordinals, identifiers, ranks, idioms, event names, numbers inside
URLs, phone numbers and date spans). ``NumberContext`` is the base of ``NumberParser``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsmine.nlp.claims.number_lexicon import (
    CLOCK,
    CLOCK_SPAN,
    NUMERIC_DATE,
    ORDINAL_SUFFIX,
    PHONE,
    URL_HINT,
    WORD_AFTER,
    YEAR_SPAN,
    NumberPatterns,
)


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


def non_claim_spans(
    pattern: re.Pattern[str], text: str, kind: str, not_after: str
) -> list[tuple[int, int, str]]:
    """Matches of ``pattern`` not glued to a digit or one of ``not_after`` on their left."""
    out = []
    for m in pattern.finditer(text):
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


def blocked_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans of ``text`` no number inside of which is a claim: URLs, phones, dates, times."""
    blocked = _urls(text)
    blocked += non_claim_spans(PHONE, text, "identifier", r"\w,.")
    blocked += non_claim_spans(NUMERIC_DATE, text, "date", "/.-")
    blocked += _year_spans(text)
    blocked += non_claim_spans(CLOCK_SPAN, text, "time", ".,:")
    blocked.sort()
    return blocked


class NumberContext(NumberPatterns):
    """The context steps of the number parser (see module doc)."""

    def _left(self, text: str, d: Draft) -> None:
        """Qualifiers before the number, tolerant of scraped text (``saidmore than``)."""
        window = max(0, d.start - 48)
        last = word_before(text, d.start, glued=True)[0].lower()
        q = self.qual_before.search(text, window, d.start) if last in self.qual_tail else None
        if q and d.qualifier != "range":
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

    def _trend(self, text: str, d: Draft) -> None:
        t = self._trend_word(text, d.start)
        if t:
            d.trend = self.lx.trend_words[t.group("t").lower()]
            return
        c = self._change_by(text, d.start)
        if c:
            d.trend = self.lx.change_verbs[c.group("t").lower()]
            return
        a = self.trend_after.match(text, d.end)
        if a and d.kind in ("percent", "money", "measure"):
            d.trend = self.lx.trend_nouns[a.group("t").lower()]

    def _change_by(self, text: str, pos: int) -> re.Match[str] | None:
        """``raise its monthly price by $2``: a change verb a few words before ``by``."""
        if word_before(text, pos)[0].lower() != "by":
            return None
        return self.change_by.search(text, max(0, pos - 60), pos)

    def _trend_word(self, text: str, pos: int) -> re.Match[str] | None:
        if word_before(text, pos)[0].lower() not in self.trend_tail:
            return None
        return self.trend_before.search(text, max(0, pos - 30), pos)

    def _event_name(self, text: str, pos: int) -> bool:
        nxt = WORD_AFTER.match(text, pos)
        word = nxt.group(1).lower().strip(".,") if nxt else ""
        if word in self.lx.event_modifiers:
            nxt = WORD_AFTER.match(text, nxt.end())
            word = nxt.group(1).lower().strip(".,") if nxt else ""
        return word in self.lx.event_nouns

    def _ranked(self, text: str, pos: int) -> bool:
        word, start = word_before(text, pos)
        if word.lower() not in self.lx.rank_modifiers:
            return False
        return word_before(text, start)[0].lower() in self.lx.definite_determiners

    def _relative_date(self, text: str, pos: int) -> bool:
        nxt = WORD_AFTER.match(text, pos)
        return bool(nxt and nxt.group(1).lower().strip(".,") in self.lx.relative_date_words)

    # ------------------------------------------------------------------ not claims

    def _classify(self, text: str, d: Draft, m: re.Match[str], digits: bool) -> None:
        """Mark dates, years, times, ordinals, identifiers and idioms as non-claims."""
        core_end = m.end()
        after = text[core_end:core_end + 12]
        before = text[max(0, m.start() - 40):m.start()]
        whole = float(d.value).is_integer()
        if digits and not d.money:
            if ORDINAL_SUFFIX.match(after):
                d.kind = "ordinal"
                return
            if d.kind == "count" and CLOCK.match(after) and d.value < 25:
                d.kind = "time"
                return
        if d.kind == "duration" and self._relative_date(text, d.end):
            d.kind = "date"
            return
        if d.kind == "measure" and self._event_name(text, d.end):
            d.kind = "label"  # "the 100m final", "Sydney 200m champion": the name of an event
            return
        if d.kind == "count" and d.qualifier == "exact" and self._ranked(text, d.start):
            d.kind = "anaphoric"  # "the top two positions": a rank, not a count
            return
        if d.kind == "count" and digits and whole:
            month = word_before(text, m.start())[0].lower().rstrip(".") in self.lx.months
            mb = self.month_before.search(before) if month else None
            if mb and mb.group("m")[0].isupper() and (d.value <= 31 or 1000 <= d.value <= 2100):
                d.kind = "date"
                y = self.year_after.match(text, d.end) if d.value <= 31 else None
                d.end = d.num_end = y.end() if y else d.end
                return
            ma = self.month_after.match(text, core_end)
            if ma and ma.group("m")[0].isupper() and d.value <= 31:
                d.kind = "date"
                return
            if "," not in m.group("dig") and 1000 <= d.value <= 2100 and len(m.group("dig")) == 4:
                nxt = WORD_AFTER.match(text, core_end)
                word = nxt.group(1) if nxt else ""
                decade = text[core_end:core_end + 1] == "s" or text[core_end:core_end + 2] in ("'s", "’s")
                counted = word.isalpha() and word.islower() and word.endswith("s") and len(word) > 3
                if decade or not counted:
                    d.kind = "year"
                    return
        if self._identifier(text, d, m, digits):
            d.kind = "identifier"
            return
        if d.spelled and d.kind == "count":
            self._spelled_idioms(text, d, m)

    def _identifier(self, text: str, d: Draft, m: re.Match[str], digits: bool) -> bool:
        lx = self.lx
        start = m.start("dig") if digits else m.start()
        prev = text[start - 1:start] if start else ""
        if digits and not m.group("cur"):
            dig = m.group("dig")
            if len(dig) > 1 and dig[0] == "0" and "." not in dig:
                return True
            if len(dig) >= 7 and "," not in dig and "." not in dig:
                return True
            if prev in "-\u2010\u2011" and start >= 2 and text[start - 2].isalpha():
                return True  # COVID-19, F-16
            if prev.isalpha() and d.qualifier == "exact":
                glued = word_before(text, start, glued=True)[0] or prev
                if not (glued.isalpha() and glued.islower() and len(glued) >= 4):
                    return True  # A320, G7
            tail = re.match(r"[A-Za-z]+", text[m.end():m.end() + 20])
            glued_word = tail is not None and tail.group(0).islower() and len(tail.group(0)) >= 3
            if d.kind == "count" and tail and m.end() == d.num_end and not glued_word:
                return True  # 4G, 3D
        if d.kind not in ("count",) or d.qualifier != "exact":
            return False
        word, word_start = word_before(text, start)
        labelled = word.lower() in lx.identifier_nouns or prev_char(text, start) == "#"
        if labelled and self.ident_before.search(text, max(0, start - 16), start):
            return True
        if word and digits:
            pre = text[max(0, word_start - 3):word_start].rstrip()
            initial = not pre or pre[-1] in ".!?\"“”:;\n(" or pre.endswith("--")
            if (word[0].isupper() and not initial and word.lower().strip(".") not in lx.label_stopwords
                    and word.lower().strip(".") not in lx.months and "'" not in word and "’" not in word):
                return True  # Boeing 737, Title 42
        return False

    def _spelled_idioms(self, text: str, d: Draft, m: re.Match[str]) -> None:
        """``one of the``, ``one another``, ``the two leaders``, ``one-off``: not claims."""
        lx = self.lx
        nxt = WORD_AFTER.match(text, d.num_end)
        next_word = nxt.group(1).lower() if nxt else ""
        h = self.hyphen_word.match(text, d.num_end)
        if h and not self.spell_word.fullmatch(h.group("w")):
            d.kind = "idiom"
            return
        prev_word = word_before(text, d.start)[0].lower()
        if d.value == 1 and (next_word.strip(",.;") in lx.one_not_before or prev_word in lx.one_not_after
                             or next_word.startswith(("'", "’"))):
            d.kind = "idiom"
            return
        if d.value <= 10 and d.qualifier == "exact" and prev_word in lx.definite_determiners:
            d.kind = "anaphoric"
