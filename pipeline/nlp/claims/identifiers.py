"""Which numbers are no claims: dates, years, clock times, ordinals, identifiers and idioms.

Part of the number grammar of ``numbers``. A number is a label when its characters say
so: a letter glued to it (``A320``, ``4G``; a unit of the table glued to it was read before,
so ``250mg`` is a measure), a hyphen after a word (``COVID-19``), a label noun before it
(``Row 21``, ``Section 427``), a capitalised name before it (``Boeing 737``) or a camel-cased
brand (``iPhone 11``), a model word after it (``737 Max``), a street after it (``575
Wilbraham Road``) or a state code before a ZIP (``CA 90049``). Spelled ``one`` is no count
in a pronoun or idiom (``one of the``, ``one another``); other small numbers are counts,
definite or not (``the two sides``).
"""

from __future__ import annotations

import re

from newsmine.nlp.claims.number_context import Draft, NumberContext, prev_char, word_before
from newsmine.nlp.claims.number_lexicon import CLOCK, ORDINAL_SUFFIX, WORD_AFTER

STATE_CODE = re.compile(r"(?<![\w])[A-Z]{2},?\s+$")
ZIP_AFTER = re.compile(r"(?i:\s+zip\b)")
CAMEL = re.compile(r"[a-z]+[A-Z]\w*")


class NumberIdentifiers(NumberContext):
    """The not-a-claim steps of the number parser (see module doc)."""

    def _classify(self, text: str, d: Draft) -> None:
        """Mark dates, years, times, ordinals, identifiers and idioms as non-claims."""
        digits = d.digits is not None
        after = text[d.core_end:d.core_end + 12]
        if digits and not d.money and d.kind not in ("percent",):
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
        whole = float(d.high if d.low is not None else d.value).is_integer()
        if d.kind == "count" and digits and whole and self._date_or_year(text, d):
            return
        if d.spelled and d.kind == "count" and self._title(text, d):
            d.kind = "label"  # "BBC Radio Four", "the Guildford Four", "One Flew Over the Cuckoo's Nest"
            return
        if self._identifier(text, d, digits):
            d.kind = "identifier"
            return
        if d.spelled and d.kind == "count":
            self._spelled_idioms(text, d)
        if d.kind == "count":
            self._age(text, d)

    def _date_or_year(self, text: str, d: Draft) -> bool:
        """``May 16``, ``16 May``, ``19-20 March``, ``2014``, ``the 1990s``, ``190 AD``: calendar
        words, not quantities."""
        value = d.high if d.low is not None else d.value
        before = text[max(0, d.core_start - 40):d.core_start]
        month = word_before(text, d.core_start)[0].lower().rstrip(".") in self.lx.months
        mb = self.month_before.search(before) if month else None
        if mb and mb.group("m")[0].isupper() and (value <= 31 or 1000 <= value <= 2100):
            d.kind = "date"
            y = self.year_after.match(text, d.end) if value <= 31 else None
            d.end = d.num_end = y.end() if y else d.end
            return True
        ma = self.month_after.match(text, d.core_end if d.low is None else d.num_end)
        if ma and ma.group("m")[0].isupper() and value <= 31:
            d.kind = "date"
            return True
        nxt = WORD_AFTER.match(text, d.num_end)
        if nxt and nxt.group(1).rstrip(",;") in self.lx.era_words:
            d.kind = "year"
            return True
        dig = d.digits or ""
        if "," not in dig and 1000 <= d.value <= 2200 and len(dig) == 4 and d.end == d.core_end:
            tail = text[d.core_end:d.core_end + 2]
            decade = tail[:1] == "s" or tail in ("'s", "’s")
            prev = word_before(text, d.core_start)[0].lower()
            modifier = prev in self.lx.definite_determiners or prev in ("and", "or", "this", "last", "next")
            if decade or modifier or not self._counted_after(text, d.core_end):
                d.kind = "year"  # "2014", "the 2003 results", "2000 and 2003 results"; not "2000 soldiers"
                return True
        return False

    def _title(self, text: str, d: Draft) -> bool:
        """A capitalised number word inside a sentence is part of a name (``Radio Four``)."""
        if not text[d.core_start:d.core_start + 1].isupper():
            return False
        pre = text[max(0, d.core_start - 3):d.core_start].rstrip()
        return bool(pre) and pre[-1] not in ".!?\"“”:;\n(-—'‘" and not pre.endswith("--")

    def _identifier(self, text: str, d: Draft, digits: bool) -> bool:
        start = d.core_start
        prev = text[start - 1:start] if start else ""
        if digits and not d.money and not d.negative and self._glued_label(text, d, prev):
            return True
        if d.kind not in ("count",) or d.qualifier != "exact" or d.low is not None and not digits:
            return d.kind == "count" and digits and self._street(text, d)
        if digits and (self._street(text, d) or self._zip(text, d) or self._model(text, d)):
            return True
        word, word_start = word_before(text, start)
        labelled = word.lower() in self.lx.identifier_nouns or prev_char(text, start) == "#"
        if labelled and self.ident_before.search(text, max(0, start - 16), start):
            return True
        if word and digits:
            if CAMEL.fullmatch(word):
                return True  # "iPhone 11", "eBay 2"
            pre = text[max(0, word_start - 3):word_start].rstrip()
            initial = not pre or pre[-1] in ".!?\"“”:;\n(" or pre.endswith("--")
            stop = word.lower().strip(".")
            if (word[0].isupper() and not initial and stop not in self.lx.label_stopwords
                    and stop not in self.lx.months and "'" not in word and "’" not in word):
                return True  # Boeing 737, Title 42
        return False

    def _glued_label(self, text: str, d: Draft, prev: str) -> bool:
        """``A320``, ``G7``, ``COVID-19``, ``4G``, ``007``, a 7-digit run: letters or zeros make a label."""
        dig = d.digits or ""
        start = d.core_start
        if len(dig) > 1 and dig[0] == "0" and "." not in dig:
            return True
        if len(dig) >= 7 and "," not in dig and "." not in dig and " " not in dig:
            nxt = WORD_AFTER.match(text, d.num_end)
            word = nxt.group(1) if nxt else ""
            return not (word.isalpha() and word.islower() and word.endswith("s"))  # "2483805 strikes"
        if prev in "-\u2010\u2011" and start >= 2 and text[start - 2].isalpha():
            word = word_before(text, start - 1, glued=True)[0].lower()
            return word + "-" not in self.lx.qualifiers  # F-16, but sub-7 is "less than 7"
        spaced = start >= 3 and text[start - 2] == " "
        if prev in "-\u2010\u2011" and spaced and word_before(text, start - 1)[0].isupper():
            return True  # "COVID -19"
        if prev.isalpha() and d.qualifier == "exact" and not d.currency_before:
            glued = word_before(text, start, glued=True)[0] or prev
            if not (glued.isalpha() and glued.islower() and len(glued) >= 4):
                return True  # A320, G7
        tail = re.match(r"[A-Za-z]+", text[d.core_end:d.core_end + 20])
        glued_word = tail is not None and tail.group(0).islower() and len(tail.group(0)) >= 3
        return d.kind == "count" and tail is not None and d.core_end == d.num_end and not glued_word  # 4G, 3D

    def _street(self, text: str, d: Draft) -> bool:
        """``575 Wilbraham Road``, ``9 E 71st St``, ``22 Ave Foch``: a house number."""
        m = self.street_after.match(text, d.num_end)
        return m is not None and m.group()[m.group().rfind(" ") + 1:][:1].isupper()

    def _zip(self, text: str, d: Draft) -> bool:
        """``CA 90049``, ``90049 ZIP Code``: a five-digit postal code."""
        dig = d.digits or ""
        if len(dig) != 5 or not dig.isdigit():
            return False
        state = STATE_CODE.search(text, max(0, d.core_start - 5), d.core_start)
        return bool(state or ZIP_AFTER.match(text, d.num_end))

    def _model(self, text: str, d: Draft) -> bool:
        """``737 Max``, ``iPhone 11 Pro``, ``the 3 Series``: a model word after the number."""
        nxt = WORD_AFTER.match(text, d.num_end)
        return nxt is not None and nxt.group(1).rstrip(".,") in self.lx.model_suffixes

    def _spelled_idioms(self, text: str, d: Draft) -> None:
        """``one of the``, ``one another``, ``on the one hand``, ``one-off``: not counts."""
        lx = self.lx
        nxt = WORD_AFTER.match(text, d.num_end)
        next_word = nxt.group(1).lower() if nxt else ""
        h = self.hyphen_word.match(text, d.num_end)
        if h and not self.spell_word.fullmatch(h.group("w")) and not self._hyphen_count(text, d, h):
            d.kind = "idiom"
            return
        prev_word = word_before(text, d.start)[0].lower()
        small = d.value <= 10 and d.qualifier == "exact" and d.low is None
        if small and prev_word in lx.definite_determiners:
            d.kind = "anaphoric"  # "the two leaders": people already counted
            return
        if d.value != 1:
            return
        window = text[max(0, d.start - 12):d.num_end + 16].lower()
        if (next_word.strip(",.;") in lx.one_not_before or prev_word in lx.one_not_after
                or next_word.startswith(("'", "’")) or any(p in window for p in self._one_idioms(text, d))):
            d.kind = "idiom"

    def _one_idioms(self, text: str, d: Draft) -> list[str]:
        """The idioms of ``one_idioms`` that hold this very ``one``."""
        near = text[max(0, d.start - 16):d.num_end + 24].lower()
        here = d.start - max(0, d.start - 16)
        out = []
        for phrase in self.lx.one_idioms:
            for m in re.finditer(re.escape(phrase), near):
                if m.start() <= here < m.end() and re.search(r"\bone\b", phrase):
                    out.append(phrase)
        return out

    def _hyphen_count(self, text: str, d: Draft, h: re.Match[str]) -> bool:
        """``a three-point lead``, ``five- and six-cylinder``: a spelled number before a hyphen
        and a noun still counts the noun; ``one-off``, ``two-way`` do not."""
        return h.group("w").lower() not in self.lx.hyphen_idioms

    def _label_list(self, text: str, d: Draft) -> None:
        """``Rows 21 and 22``, ``the number one and two positions``: the second label is a label too."""
        j = self.label_join.match(text, d.num_end)
        m2 = self.core.match(text, j.end()) if j else None
        if m2 is None or m2.group("vague") or m2.group("vulgar"):
            return
        digits = d.digits is not None
        if (m2.group("dig") is not None) != digits:
            return
        if digits:
            value, end = float(m2.group("dig").replace(",", "")), m2.end()
        else:
            g = self.grammar.read(text, m2.start(), fractions=False)
            if g is None:
                return
            value, end = g.value, g.end
        if abs(value - d.value) <= max(10.0, d.value):  # a run of labels
            d.end = d.num_end = end
