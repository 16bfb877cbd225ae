"""Two numbers that make one claim: ranges (``10-20%``, ``between $40,000 and $65,000 a year``,
``three to four thousand``), changes from one level to another (``fell from $36,040 to
$34,935``), ratios (``one in five``, ``one out of three``) and restatements (``fell 12 cents,
or 0.8%``) and the level a change reached (``rose 4.2% to 212p``).

Part of the number grammar of ``numbers``. A range is one claim whose bounds are
``value_low``/``value_high`` and whose value is their midpoint. Its scale and rate apply
to both ends when only one end writes them (``5 to 10 million``, ``$40,000 to $65,000 a
year``), but a scale does not reach an end whose own digits are larger (``from $300 to $2
million``: 300, not 300 million). Two figures with different units, or a figure with a unit
then a bare one after ``to``, are a change and its new level, two claims (``rose 4.2% to
212p``, ``2.3% to 80,600``, ``three weeks to 16.8 million``). "From X to Y" is one claim
whether or not a verb says which way it moved; the verb gives its trend.
"""

from __future__ import annotations

import re

from newsmine.nlp.claims.measures import NumberUnits
from newsmine.nlp.claims.number_context import Draft, word_before

RATIO = re.compile(r"(?i:\s+(?P<r>out\s+of|in|over)\s+)")
RESTATE = re.compile(r"\s*(?:,\s*or|\(|;|,\s*or\s+(?:about|around|roughly|nearly)|/|;\s*or)\s*")
LEVEL = re.compile(r"\s*,?\s*(?:to(?:\s+(?:end|close|finish|settle|stand)(?:\s+the\s+\w+)?\s+at)?|at)\s+")
ELLIPTIC = re.compile(r"[^.!?;]*,[^.!?;]*\bby\s+$")
COMPARED = re.compile(r"[^.!?;]*\b(?:from|than|against|with|versus|vs\.?)\s+$")


class NumberRanges(NumberUnits):
    """The two-number steps of the number parser (see module doc)."""

    def _second(self, text: str, pos: int) -> Draft | None:
        """The number that starts at ``pos`` (after a range word), with its scale and unit."""
        skip = self.cur_at.match(text, pos)  # a currency written before the second end: "$5-$10"
        d = self._atom(text, skip.end() if skip else pos)
        if d is None or d.kind == "vague" or d.implicit:
            return None
        d.end = d.num_end = self._units(text, d, d.num_end)
        return d

    def _ratio(self, text: str, d: Draft, pos: int) -> int:
        """``one in five``, ``1 out of 3``, ``two out of five hundred``, ``1 over 3``: a fraction."""
        if d.kind != "count" or d.unit or d.low is not None or d.fraction:
            return pos
        r = RATIO.match(text, pos)
        if r is None:
            return pos
        second = self._second(text, r.end())
        if second is None or second.kind != "count" or not second.value or second.currency_before:
            return pos
        kind = r.group("r").lower().split()[0]
        if kind == "over":
            rest = text[second.num_end:second.num_end + 2].strip()
            if rest[:1].isalpha():
                return pos  # "$2000 over 3 years", "won 3 over 2 sets"
        else:
            year = second.digits and len(second.digits) == 4 and 1000 <= second.value <= 2100
            if not d.value < second.value or year:
                return pos  # "12 in six boxes", "5 in 2019"
            if self.units.after(text, second.num_end) is not None:
                return pos  # "one in 10 days"
        d.value /= second.value
        d.kind, d.fraction = "fraction", True
        return second.num_end

    def _range(self, text: str, d: Draft, pos: int) -> int:
        """``10-20``, ``10 to 20 per cent``, ``between two and three weeks``, ``from $300 to $2 million``."""
        if d.low is not None or d.kind in ("fraction",):
            return pos
        last = word_before(text, d.start)[0].lower()
        gate = last in ("between", "from") or last in self.qual_tail or last in self.filler_tail
        before = self.between_before.search(text, max(0, d.start - 40), d.start) if gate else None
        opener = before.group("b").lower() if before else None
        r = self.range_sep.match(text, pos) or (self.from_gap.match(text, pos) if opener == "from" else None)
        if not r:
            return pos
        sep = r.group("sep").lower()
        if sep == "and" and opener != "between" or sep == "or" and (d.unit or d.scaled or opener):
            return pos
        if sep == "to" and opener is None and (d.unit or d.scaled) and self._change_by(text, d.start):
            return pos  # "raise its price by $2 to $12.99": a change, then the new level
        at = r.end()
        filler = self.filler_after.match(text, at) if opener == "from" else None
        second = self._second(text, filler.end() if filler else at)  # "from 36 to just 21 days"
        if second is None:
            return pos
        if sep in "-\u2013\u2014~" and not (d.digits is not None and second.digits is not None):
            return pos
        if self._score(d, second, sep):
            d.kind = "idiom"  # "a 5-1 win", "lost 33-15": a score, not a range
            return second.num_end
        if not self._same_measure(d, second, sep, opener):
            return pos
        self._share_scale(d, second)
        low, high = d.value, second.value
        if opener != "from" and not low < high or sep == "or" and high > max(10 * low, low + 10):
            return pos  # "5 to 3", "1 or 100": no range
        if self._years(text, d, second):
            d.kind = "year"  # "between 1600 and 1900", "from 2014 to 2017"
            d.low, d.high = low, high
            return second.num_end
        if second.kind != "count" and (d.kind == "count" or second.kind == "rate"):
            d.kind, d.unit, d.money = second.kind, second.unit, second.money
        d.low, d.high = min(low, high), max(low, high)
        d.value = (d.low + d.high) / 2
        if opener:
            d.start = before.start()
            if before.group("q"):  # "between about 10 and 20"; "from up to 252 to 287" bounds one end only
                d.qualifier = self.lx.qualifiers[re.sub(r"\s+", " ", before.group("q").lower())] \
                    if opener == "between" else "exact"
                d.fixed = True
        return second.num_end

    def _years(self, text: str, d: Draft, second: Draft) -> bool:
        """Two plain four-digit years, unless a counted noun follows (``between 1500 and 2000 people``)."""
        ends = (d, second)
        if any(e.kind != "count" or not (e.digits or "").isdigit() or len(e.digits or "") != 4
               or not 1000 <= abs(e.value) <= 2200 for e in ends):
            return False
        return not self._counted_after(text, second.num_end)

    @staticmethod
    def _score(d: Draft, second: Draft, sep: str) -> bool:
        if sep not in "-\u2013\u2014" or d.scaled or second.currency_before:
            return False
        if d.kind != "count" or second.kind != "count":
            return False
        return second.value <= d.value < 1000 and "." not in (second.digits or ".")

    @staticmethod
    def _same_measure(d: Draft, second: Draft, sep: str, opener: str | None) -> bool:
        """Do the two ends measure the same thing? A unit on the first end only, or two different
        units, make a change and a level (``2.3% to 80,600``, ``rose 4.2% to 212p``)."""
        if d.unit and second.unit and d.unit != second.unit:
            # "between $40,000 and $65,000 a year": the rate on the second end covers both
            return second.kind == "rate" and second.unit.startswith(f"{d.unit} per ")
        if d.unit and not second.unit:
            return sep != "to" or opener is not None or d.kind == "count"
        return True

    @staticmethod
    def _share_scale(d: Draft, second: Draft) -> None:
        """``5 to 10 million``, ``three to four thousand``: the second end's scale reaches a bare first
        end whose own digits are smaller (not ``$300 to $2 million``)."""
        if d.scaled or not second.scaled or d.fraction or d.currency_before and not second.currency_before:
            return
        raw = second.raw if second.raw is not None else second.value
        if d.value < raw and second.scale > 1:
            d.value *= second.scale
            d.scaled = True

    # ------------------------------------------------------------------ after the pass

    def _restatements(self, text: str, out: list[Draft]) -> None:
        """``fell 12 cents, or 0.8%``, ``dropped 1 to 1.5 degrees Celsius (1.8 to 2.7 Fahrenheit)``,
        ``were down 2.3%, Burlington by 2.6%``: a restatement or elliptic figure shares the trend
        (and, in brackets, the bound) of the figure before it."""
        claims = [d for d in out if d.kind not in ("date", "year", "time", "ordinal", "identifier", "url")]
        money: Draft | None = None  # the last money figure that restates no other
        for prev, cur in zip(claims, claims[1:], strict=False):
            gap = text[prev.end:cur.start]
            restated = RESTATE.fullmatch(gap) is not None
            money = prev if prev.money and not prev.restates else money
            if cur.kind == "count" and cur.scaled and cur.unit is None and money and COMPARED.match(
                    re.sub(r"\([^()]*\)", "", text[money.end:cur.start])):
                cur.kind, cur.unit, cur.money = money.kind, money.unit, True  # "77m euros, up from 38m"
            cur.restates = restated
            if restated and ("(" in gap or "/" in gap) and cur.qualifier == "exact" and cur.kind != "count":
                cur.qualifier = prev.qualifier  # "just under 296 hp (224 kW / 300 PS)"
            if cur.trend is not None or prev.trend is None:
                continue
            if restated:
                cur.trend = prev.trend
            elif LEVEL.fullmatch(gap) and prev.low is None:
                cur.trend = prev.trend  # "fell 2.3% to 80,600": the level the change reached
            elif ELLIPTIC.match(gap) and len(gap) < 60:
                cur.trend = prev.trend
