"""The unit and currency table of the number grammar (``models/claims/units.json``).

Why a table of our own and not pint: news writes units the way people do, not the way
SI does: glued to the number on either side (``250mg``, ``RM45``, ``$US75 million``,
``AUD2.4m``), in compounds (``sq m``, ``m2``, ``kWh``, ``mph``, ``mpg``), with prime marks,
with symbols some scraped text lost (``PS2.7m`` for £2.7m) and with currencies, which
pint does not have at all. pint would parse ``5 m`` and ``5 min`` well, but it has no notion
of which short symbols are safe after a number in prose (``in``, ``a``, ``F``, ``B``),
its registry takes about half a second to build in every worker, and it would still need
this table for everything above. So the rules are data: each unit's symbols (matched
case-sensitively, so ``W`` and ``Hz`` are units whatever POS spaCy gives them), its words
(case-insensitively, plurals generated), the SI prefixes it takes and its square and
cubic forms, and each currency's symbols and codes written before or after the number.

``UnitTable.after`` reads the unit right after a number (glued, after a space or a
hyphen: ``30-day``, ``6.1-inch``); ``UnitTable.currency_before`` the currency written
before it; names come out normalised (``kilometre``, ``Japanese yen``, ``percent``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsmine.rules import RuleDataError, RuleSource, read_json

KIND_OF_DIM = {"time": "duration", "percent": "percent", "money": "money"}
NUMBER_END = r"(?![A-Za-z0-9])"
SPACES = frozenset(" \u00a0\u202f")  # what ``spaced_rx`` starts with
HYPHENS = frozenset("-\u2010\u2011")  # what ``hyphen_rx`` starts with


@dataclass(frozen=True, slots=True)
class Unit:
    """One entry of the table: the normalised name and the claim kind it gives."""

    name: str
    kind: str  # measure, duration, percent or money
    dim: str
    code: str | None = None  # a currency's ISO 4217 code


@dataclass(frozen=True, slots=True)
class UnitHit:
    """A unit read in the text: which one, and where its written form ends."""

    unit: Unit
    start: int
    end: int
    spaced: bool


def _alt(forms: Iterable[str]) -> str:
    """Longest first, so ``km/h`` wins over ``km`` and ``per cent`` over ``per``."""
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True)) or "(?!)"


def _plurals(word: str, given: list[str]) -> list[str]:
    return [word, word + "s", *given] if not word.endswith("s") else [word, *given]


class _Builder:
    """Expands the JSON entries into form -> Unit maps, failing on a form with two meanings."""

    def __init__(self, where: str, prefixes: dict[str, str]) -> None:
        self.where, self.prefixes = where, prefixes
        self.symbols: dict[str, Unit] = {}
        self.glued: dict[str, Unit] = {}
        self.words: dict[str, Unit] = {}

    def put(self, table: dict[str, Unit], form: str, unit: Unit) -> None:
        key = form if table is not self.words else form.lower()
        old = table.get(key)
        if old is not None and old.name != unit.name:
            raise RuleDataError(f"{self.where}: {form!r} is both {old.name!r} and {unit.name!r}")
        table.setdefault(key, unit)

    def add_unit(self, entry: dict[str, Any]) -> None:
        dim = str(entry.get("dim", "measure"))
        kind = KIND_OF_DIM.get(dim, "measure")
        variants = [("", "")] + [(p, self.prefixes[p]) for p in entry.get("si", [])]
        for sym_prefix, word_prefix in variants:
            name = word_prefix + entry["name"]
            unit = Unit(name, kind, dim)
            bare = not sym_prefix and entry.get("prefixed_only")
            symbols = [] if bare else [sym_prefix + s for s in entry.get("symbols", [])]
            glued = [] if bare else [sym_prefix + s for s in entry.get("glued", [])]
            words = [word_prefix + w for w in entry.get("words", [])]
            plurals = [word_prefix + w for w in entry.get("plurals", [])]
            self._forms(unit, symbols, glued, words, plurals)
            if entry.get("powers"):
                for power, sq, word in (("2", "sq", "square"), ("3", "cu", "cubic")):
                    sup = "²" if power == "2" else "³"
                    punit = Unit(f"{word} {name}", "measure", f"{dim}^{power}")
                    psyms = [f for s in symbols
                             for f in (s + power, s + sup, f"{sq} {s}", f"{sq}. {s}", sq + s)]
                    pwords = [f"{word} {w}" for w in [*words, *plurals]]
                    self._forms(punit, psyms, [], pwords, [])

    def _forms(self, unit: Unit, symbols: list[str], glued: list[str], words: list[str],
               plurals: list[str]) -> None:
        for s in symbols:
            self.put(self.symbols, s, unit)
        for s in glued:
            self.put(self.glued, s, unit)
        for w in words:
            for form in _plurals(w, []):
                self.put(self.words, form, unit)
        for w in plurals:
            self.put(self.words, w, unit)


class UnitTable:
    """The compiled table (see module doc); built once per component from its JSON file."""

    def __init__(self, data: dict[str, Any], where: str = "units.json") -> None:
        b = _Builder(where, dict(data["prefixes"]))
        for entry in data["units"]:
            b.add_unit(entry)
        self.before: dict[str, Unit] = {}
        self.aliases: dict[str, Unit] = {}
        self.money_symbols: dict[str, Unit] = {}  # codes and minor symbols after the number
        self.money_words: dict[str, Unit] = {}
        for entry in data.get("currencies", []):
            self._currency(b, entry)
        self.symbols, self.glued, self.words = b.symbols, b.glued, b.words
        self.weight_cues = frozenset(w.lower() for w in data.get("weight_cues", []))
        self.time_names = {u.name for u in self.words.values() if u.kind == "duration"}
        self._compile()

    def _currency(self, b: _Builder, entry: dict[str, Any]) -> None:
        unit = Unit(entry["name"], "money", "money", entry.get("code"))
        for s in entry.get("before", []):
            b.put(self.before, s, unit)
        for s in entry.get("aliases", []):
            b.put(self.aliases, s, unit)
        for s in entry.get("after", []):
            b.put(self.money_symbols, s, unit)
        for w in entry.get("words", []):
            for form in _plurals(w, []):
                b.put(self.money_words, form.lower(), unit)
        minor = entry.get("minor")
        if minor:
            sub = Unit(minor["name"], "money", "money", entry.get("code"))
            for s in minor.get("after", []):
                b.put(self.money_symbols, s, sub)
            for w in minor.get("words", []):
                for form in _plurals(w, []):
                    b.put(self.money_words, form.lower(), sub)

    def _compile(self) -> None:
        words = _alt(self.words)
        syms = _alt(self.symbols)
        glued = _alt([*self.symbols, *self.glued])
        end = NUMBER_END
        self.glued_rx = re.compile(rf"(?:(?P<s>{glued})|(?P<w>(?i:{words}))){end}(?P<s2>)")
        self.spaced_rx = re.compile(rf"[ \u00a0\u202f](?:(?P<s>{syms})|(?P<w>(?i:{words}))){end}"
                                    rf"|[ \u00a0\u202f](?P<s2>{_alt(self.glued)})(?=/)")
        # what each of the three can start with: most numbers have no unit after them, and
        # a failed match of an alternation of every unit costs ~30 times this character test
        firsts = [*self.symbols, *self.glued, *self.words]
        self.glued_start = re.compile(rf"(?:{_alt({w[0] for w in [*self.symbols, *self.glued]})}"
                                      rf"|(?i:{_alt({w[0] for w in self.words})}))") if all(firsts) else None
        self.hyphen_rx = re.compile(rf"[-\u2010\u2011](?:(?P<s>{syms})|(?P<w>(?i:{words}))){end}")
        self.per_rx = re.compile(rf"(?:/|\s+per\s+)(?:(?P<s>{syms})|(?P<w>(?i:{words}))){end}")
        money_syms = _alt(self.money_symbols)
        self.money_after_rx = re.compile(
            rf"(?:(?P<sp>\s?)(?P<c>{money_syms})(?![A-Za-z0-9])"
            rf"|\s+(?:of\s+)?(?P<w>(?i:{_alt(self.money_words)}))(?![a-z]))")
        befores = _alt(self.before)
        aliases = _alt(self.aliases)
        self.before_rx = re.compile(rf"(?:(?P<c>{befores})|(?P<a>{aliases}))[ \u00a0]?(?P<sign>[-\u2212])?$")
        self.before_tail = {s[-1] for s in [*self.before, *self.aliases]}

    # ------------------------------------------------------------------ lookups

    def _unit_of(self, m: re.Match[str]) -> Unit:
        if m.group("w") is not None:
            return self.words[m.group("w").lower()]
        sym = m.group("s") if m.group("s") is not None else m.group("s2")
        return self.symbols.get(sym) or self.glued[sym]

    def after(self, text: str, pos: int, *, hyphen: bool = True) -> UnitHit | None:
        """The unit written right after ``pos`` (glued, after one space, or after a hyphen)."""
        glue = self.glued_start
        m = self.glued_rx.match(text, pos) if glue is None or glue.match(text, pos) else None
        spaced = False
        if m is None and text[pos:pos + 1] in SPACES:
            m = self.spaced_rx.match(text, pos)
            spaced = m is not None
        if m is None and hyphen and text[pos:pos + 1] in HYPHENS:
            m = self.hyphen_rx.match(text, pos)
        if m is None:
            return None
        unit, end = self._unit_of(m), m.end()
        p = self.per_rx.match(text, end) if unit.kind == "measure" else None
        second = self._unit_of(p) if p is not None else None
        if p is not None and second is not None and second.kind == "measure":  # "A/cm2": one compound unit
            unit, end = Unit(f"{unit.name} per {second.name}", "measure", f"{unit.dim}/{second.dim}"), p.end()
        elif spaced and m.group("s2"):
            return None  # a glued-only symbol after a space counts only in a compound ("1.3 A/cm2")
        return UnitHit(unit, m.start(), end, spaced)

    def money_after(self, text: str, pos: int) -> UnitHit | None:
        """A currency code, minor unit or currency word after the number (``110 JPY``, ``18 sen``)."""
        m = self.money_after_rx.match(text, pos)
        if m is None:
            return None
        if m.group("c") is not None:
            code = m.group("c")
            if len(code) == 1 and m.group("sp"):
                return None  # "5 p", "3 c": a spaced letter is no currency
            return UnitHit(self.money_symbols[code], m.start(), m.end(), bool(m.group("sp")))
        return UnitHit(self.money_words[m.group("w").lower()], m.start(), m.end(), True)

    def currency_before(self, text: str, pos: int) -> tuple[Unit, int, bool, bool] | None:
        """The currency written just before the digits at ``pos``: unit, start, alias?, sign?

        A letter code must not be the tail of a word (``FORM45``)."""
        if pos == 0:
            return None
        i = pos - 1
        while i > 0 and text[i] in " \u00a0-\u2212":
            i -= 1
        if text[i] not in self.before_tail:
            return None
        m = self.before_rx.search(text, max(0, pos - 9), pos)
        if m is None:
            return None
        start = m.start()
        if start > 0 and text[start].isalpha() and (text[start - 1].isalnum() or text[start - 1] == "$"):
            return None
        alias = m.group("a") is not None
        unit = self.aliases[m.group("a")] if alias else self.before[m.group("c")]
        return unit, start, alias, m.group("sign") is not None

    def is_weight(self, text: str, pos: int) -> bool:
        """``weighed 208 pounds``: a weight cue within the five words before ``pos``."""
        window = re.findall(r"[A-Za-z]+", text[max(0, pos - 60):pos].lower())[-6:]
        return any(w in self.weight_cues for w in window)

    @classmethod
    def load(cls, source: RuleSource, rel: str = "claims/units.json") -> UnitTable:
        """The table file ``rel`` of ``source``; unknown and duplicate entries are errors."""
        data = read_json(source, rel, required=("prefixes", "units", "currencies"), optional=("weight_cues",))
        return cls(data, source.where(rel))
