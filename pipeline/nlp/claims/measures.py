"""What a number measures: its unit, currency, age or rate, read from the unit table.

Part of the number grammar of ``numbers``. After the number and its scale come, in this
order: a currency code, minor unit or currency word (``110 JPY``, ``118.5p``, ``18 sen``,
``7.5 million Danish crowns``; ``208 pounds`` is a weight after ``weighed``), a unit of the
table (``units``: percent, time, measure; glued, spaced or hyphenated), an age (``a
47-year-old``, ``35 years old``), then a rate (``$3 per day``, ``US$75 a barrel``,
``$2 a share``). Units are looked up by their written form, never by part of speech.
"""

from __future__ import annotations

import re

from newsmine.nlp.claims.identifiers import NumberIdentifiers
from newsmine.nlp.claims.number_context import Draft

OLD = re.compile(r"(?i:[-\u2010\u2011\s]olds?)(?![a-z])")


class NumberUnits(NumberIdentifiers):
    """The unit steps of the number parser (see module doc)."""

    def _units(self, text: str, d: Draft, pos: int) -> int:
        """Currency, unit, age and rate after the number; returns where they end."""
        if d.kind not in ("count", "money", "fraction"):
            return pos
        pos = self._of_unit(text, d, pos)
        if not d.currency_before:
            pos = self._currency_after(text, d, pos)
        if d.kind in ("count", "fraction"):
            h = self.units.after(text, pos)
            written = text[h.start:h.end].strip(" -\u2010\u2011") if h else ""
            if h is not None and (not d.spelled or h.spaced or text[h.start] in "-\u2010\u2011") and (
                    not d.spelled or len(written) > 1):
                d.kind, d.unit, pos = h.unit.kind, h.unit.name, h.end
                if h.unit.kind == "percent" and d.money:
                    d.kind = "percent"
                pos = self._old(text, d, pos)
        if d.kind in ("money", "percent", "measure", "duration"):
            pos = self._rate(text, d, pos)
        return pos

    def _of_unit(self, text: str, d: Draft, pos: int) -> int:
        """``half an hour``, ``1/16 of a US pint``, ``a third of a mile``: a fraction of one unit."""
        if not d.fraction or d.value >= 1:
            return pos
        m = self.of_unit.match(text, pos)
        if m is None:
            return pos
        at = m.end()
        brand = re.match(r"\s+[A-Z][A-Za-z.]*(?=\s)", text[at:at + 20])  # "of a US gallon"
        for start in ([at + brand.end(), at] if brand else [at]):
            h = self.units.after(text, start)
            if h is not None and h.spaced:
                d.kind, d.unit = h.unit.kind, h.unit.name
                return h.end
            c = self.units.money_after(text, start)
            if c is not None and c.unit.name == "pound sterling":
                d.kind, d.unit = "measure", "pound-mass"  # "half a pound": no one halves a pound sterling so
                return c.end
        return pos

    def _currency_after(self, text: str, d: Draft, pos: int) -> int:
        """``110 JPY``, ``118.5p``, ``5 million pounds``, ``18 sen``; ``weighed 208 pounds`` is a weight."""
        c = self.units.money_after(text, pos)
        if c is None or (d.spelled and not c.spaced):
            return pos
        if c.unit.name == "pound sterling" and (d.fraction or self.units.is_weight(text, d.start)):
            d.kind, d.unit = "measure", "pound-mass"
        else:
            d.money, d.kind, d.unit = True, "money", c.unit.name
        return c.end

    def _old(self, text: str, d: Draft, pos: int) -> int:
        """``a 47-year-old``, ``a 50 year-old``, ``35 years old``, ``a six-month-old``: an age."""
        if d.kind != "duration":
            return pos
        o = OLD.match(text, pos)
        if o is None:
            return pos
        d.kind, d.unit = "age", f"{d.unit} of age"
        return o.end()

    def _rate(self, text: str, d: Draft, pos: int) -> int:
        """``$3 per day``, ``four hours a day``, ``US$75 a barrel``, ``35 cents per share``, ``$5/kg``."""
        r = self.rate.match(text, pos)
        if r is None:
            return pos
        word = (r.group("w") or r.group("w2") or "").lower()
        marker = (r.group("m") or "/").lower()
        if self._relative_date(text, r.end()):
            return pos  # "$2.4m a year earlier"
        per = self.lx.time_units.get(word)
        if per is None:
            unit = self.units.words.get(word) or self.units.symbols.get(r.group("w2") or "")
            if unit is not None and unit.kind in ("measure", "duration"):
                per = unit.name
            elif word in self.lx.rate_nouns or (marker == "per" and word.isalpha() and len(word) > 2):
                per = word[:-1] if word.endswith("s") and word[:-1] in self.lx.rate_nouns else word
        if per is None or (d.kind == "duration" and marker not in ("a", "an", "per", "every", "each", "/")):
            return pos
        d.kind, d.unit = "rate", f"{d.unit} per {per}".strip()
        return r.end()
