"""The rule data behind ``newsmine.nlp.claims.numbers``: the lexicon and the regexes built from it.

Why apart from the parser: the words (number words, qualifiers, trend verbs, ...) are data
in ``models/claims/lexicon.json`` and the units and currencies in ``models/claims/units.json``;
turning them into regexes is done once per lexicon, and ``numbers`` only reads characters
with what is compiled here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsmine.nlp.claims.spelled import SpelledGrammar
from newsmine.nlp.claims.tails import TailSearch
from newsmine.nlp.claims.units import UnitTable
from newsmine.rules import RuleSource, read_json

# 1,234,567.89 | 12,34,567 (Indian) | 1 234 567 (spaced groups) | 5,00 (decimal comma) | 4.5 | .5
DIGITS = (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"
          r"|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?:\.\d+)?(?!\d)"
          r"|(?:\d{2,3}(?: \d{3})+|\d(?: \d{3}){2,})(?:\.\d+)?(?!\d|[.,]\d)"
          r"|(?<!\d,)\d{1,3},\d{1,2}(?![\d,])|\d+(?:\.\d+)?|(?<![\w.])\.\d+")
URL_HINT = re.compile(r"https?://|www\.|@\w|\.(?:com|org|net|gov|edu|io|uk)\b")
# Patterns start with their literal so the regex engine can skip ahead; the character before
# is checked in Python (see non_claim_spans), which keeps these scans fast on long articles.
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?|\(\d{2,5}\)\s?)[\d\s.-]{6,}\d(?![\w,])"
                   r"|\d{3,4}[\s.-]\d{3,4}[\s.-]\d{2,4}(?![\w,])")
SHORT_PHONE = re.compile(r"\d{3}-\d{4}(?![\d-])")  # "624-6456" (see number_context.short_phones)
DOTTED = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")  # "192.168.1.2": an address, four numbers
CLOCK_SPAN = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\b\.?)?(?![\d:])", re.I)
# "1998/9", "2004/05", "2004-05": a fiscal or season year span is a date, not two numbers
YEAR_SPAN = re.compile(r"(?:1[89]|20)\d{2}[/\u2013-]\d{1,2}(?![\d/])")
NUMERIC_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?![\d/])|\d{4}-\d{2}-\d{2}(?![\d/])"
                          r"|\d{1,2}/\d{1,2}(?![\d/])")
DIGIT_RUN = re.compile(r"\d+|[\u00bc-\u00be\u2150-\u215e]")
WORD = re.compile(r"[A-Za-z]+")
CLOCK = re.compile(r"(?i:[:.]\d{2}(?:\s?[ap]\.?m\b\.?)?|\s?[ap]\.m\.|\s?[ap]m\b|\s+o'clock\b)")
ORDINAL_SUFFIX = re.compile(r"(?i:st|nd|rd|th)(?![a-z])")
WORD_AFTER = re.compile(r"\s*([\w'’.-]+)")
VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6,
          "⅘": 0.8, "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875,
          "⅐": 1 / 7, "⅑": 1 / 9, "⅒": 0.1}
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# 1e10, 1.3e6 | 1.3x10^6, 6.23 × 10^-4 | 3.4×10−5 (superscripts lost) | 2.5^-1
SCIENTIFIC = re.compile(r"[eE](?P<e>[+-]?\d{1,3})(?![\w.])"
                        r"|\s?[x×*]\s?10\s?(?:\^|\*\*)\s?(?P<e2>[+\-−]?\d{1,3})(?!\d)"
                        r"|\s?×\s?10(?P<e3>[−-]\d{1,3}|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)(?!\d)"
                        r"|\^(?P<p>[+\-−]*\d+(?:\.\d+)?)")


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first so ``per cent`` wins over ``per``."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


_MAPPINGS = ("number_words", "scale_words", "scale_suffixes", "dozen_words", "qualifiers", "trend_nouns")
_OPTIONAL = (
    "scale_suffixes_need_money", "fraction_words", "ordinal_words", "vague_quantities", "vague_qualifier",
    "metre_context", "rate_markers", "fillers", "identifier_nouns", "months", "relative_date_words",
    "one_not_before", "one_not_after", "one_idioms", "label_stopwords", "vague_not_claims", "event_nouns",
    "event_modifiers", "qualifiers_after", "trend_verbs", "trend_verb_forms", "trend_words", "sign_words",
    "street_nouns", "model_suffixes", "age_before", "rate_nouns", "slash_denominators", "hyphen_idioms",
    "rank_modifiers", "not_counted", "definite_determiners", "collective_nouns", "era_words", "vague_need_of",
    "person_nouns",
)
_WORD_SETS = (  # optional lists read as lower-cased sets of the same name
    "metre_context", "identifier_nouns", "months", "relative_date_words", "one_not_before", "one_not_after",
    "one_idioms", "label_stopwords", "vague_not_claims", "event_nouns", "event_modifiers", "sign_words",
    "street_nouns", "age_before", "rate_nouns", "hyphen_idioms", "rank_modifiers", "not_counted",
    "definite_determiners", "collective_nouns", "vague_need_of", "person_nouns",
)


def inflections(lemma: str) -> set[str]:
    """The regular forms of an English verb: ``drop`` -> drops, dropped, dropping (and the
    undoubled ``droped``, which costs nothing). Multi-word verbs inflect their first word."""
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    forms = {head, head + "s"}
    if head.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(head + "es")
    if head.endswith("e"):
        forms |= {head + "d", head[:-1] + "ing"}
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        forms |= {head[:-1] + "ies", head[:-1] + "ied", head + "ing"}
    else:
        forms |= {head + "ed", head + "ing"}
        if len(head) > 2 and head[-1] not in "aeiouwxy" and head[-2] in "aeiou" and head[-3] not in "aeiou":
            forms |= {head + head[-1] + "ed", head + head[-1] + "ing"}  # drop -> dropped
    return {f + tail for f in forms}


class Lexicon:
    """The rule data, loaded once from ``models/claims/lexicon.json`` and ``units.json``."""

    def __init__(self, data: dict[str, Any], units: UnitTable) -> None:
        low = {k: {str(w).lower(): v for w, v in data[k].items()} for k in _MAPPINGS}
        self.units = units
        self.number_words: dict[str, float] = low["number_words"]
        self.scale_words: dict[str, float] = low["scale_words"]
        self.scale_suffixes: dict[str, float] = dict(data["scale_suffixes"])  # case matters: m, M, B
        self.suffix_need_money = set(data.get("scale_suffixes_need_money", []))
        self.dozen_words: dict[str, float] = low["dozen_words"]
        self.fractions = {str(w).lower(): float(v) for w, v in data.get("fraction_words", {}).items()}
        self.ordinals = {str(w).lower(): float(v) for w, v in data.get("ordinal_words", {}).items()}
        vague = data.get("vague_quantities", {})
        self.vague = {str(w).lower(): (float(v[0]), float(v[1])) for w, v in vague.items()}
        self.vague_qualifier: str = data.get("vague_qualifier", "approximate")
        self.qualifiers: dict[str, str] = low["qualifiers"]
        self.qualifiers_after = {str(w).lower(): v for w, v in data.get("qualifiers_after", {}).items()}
        self.trend_nouns: dict[str, str] = low["trend_nouns"]
        self.trend_words = {str(w).lower(): v for w, v in data.get("trend_words", {}).items()}
        irregular = {str(w).lower(): v for w, v in data.get("trend_verb_forms", {}).items()}
        self.trend_verbs: dict[str, str] = {}
        for lemma, way in data.get("trend_verbs", {}).items():
            for form in {*inflections(lemma.lower()), *irregular.get(lemma.lower(), [])}:
                self.trend_verbs[form] = way
        self.trend_lemmas = {str(w).lower(): v for w, v in data.get("trend_verbs", {}).items()}
        for key in _WORD_SETS:
            setattr(self, key, {str(w).lower() for w in data.get(key, [])})
        self.rate_markers = [w.lower() for w in data.get("rate_markers", ["per"])]
        self.fillers = [w.lower() for w in data.get("fillers", [])]
        self.model_suffixes = set(data.get("model_suffixes", []))
        self.era_words = set(data.get("era_words", []))
        self.slash_denominators = {int(n) for n in data.get("slash_denominators", [])}
        time = {f: u.name for f, u in units.words.items() if u.kind == "duration"}
        symbols = {**units.symbols, **units.glued}
        time |= {f.lower(): u.name for f, u in symbols.items() if u.kind == "duration"}
        self.time_units: dict[str, str] = time

    @classmethod
    def load(cls, source: RuleSource, rel: str = "claims/lexicon.json",
             units: str = "claims/units.json") -> Lexicon:
        """The lexicon file ``rel`` and unit table ``units`` of ``source``; unknown and duplicate
        entries are errors."""
        data = read_json(source, rel, required=_MAPPINGS, optional=_OPTIONAL, fold=str.lower)
        return cls(data, UnitTable.load(source, units))

    @classmethod
    def from_file(cls, path: Path | str | None = None) -> Lexicon:
        """A lexicon file anywhere (with ``units.json`` beside it), or ``models/claims/``'s."""
        if path is None:
            return cls.load(RuleSource.models())
        path = Path(path)
        return cls.load(RuleSource(root=path.parent), path.name, "units.json")


class NumberPatterns:
    """Every regex the number parser uses, compiled once from a ``Lexicon``."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        lx = self.lx = lexicon or Lexicon.from_file()
        self.units = lx.units
        self.grammar = SpelledGrammar(lx.number_words, lx.scale_words, lx.dozen_words, lx.ordinals,
                                      lx.fractions)
        spell = _alt([*lx.number_words, *lx.scale_words, *lx.dozen_words])
        periods = _alt(n for n in lx.time_units.values())
        self.spell_word = re.compile(rf"(?i:{spell})")
        vague = _alt(lx.vague)
        self.core = re.compile(
            rf"(?<!\d)(?<!\d\.)(?P<dig>{DIGITS})"
            rf"|(?P<vulgar>[{''.join(VULGAR)}])"
            rf"|(?<![\w-])(?P<vague>(?i:{vague}))(?![\w-])"
            rf"|(?<![\w-])(?P<single>(?i:an?\s+single))(?!\w)"
            rf"|(?<![\w-])(?P<aunit>(?i:an?\s+(?:{periods})))(?![\w-])"
            rf"|(?<![\w])(?P<word>[A-Za-z]+)"
        )
        self._number_patterns(lx, spell, periods)
        self._context_patterns(lx)
        self._label_patterns(lx)

    def _number_patterns(self, lx: Lexicon, spell: str, periods: str) -> None:
        """What starts a number and what scales it."""
        self.qual_tail = {p.split()[-1] for p in lx.qualifiers}
        self.filler_tail = {p.split()[-1] for p in lx.fillers}
        self.trend_tail = {*lx.trend_words, *(v.split()[-1] for v in lx.trend_verbs)}
        self.age_tail = {p.split()[-1] for p in lx.age_before}
        self.sign_tail = {w.split()[-1] for w in lx.sign_words}
        self.first_words = {*lx.number_words, *lx.scale_words, *lx.dozen_words, "half", "quarter",
                            *(v.split()[0] for v in lx.vague)}
        ordinals = _alt(lx.ordinals)
        self.after_article = re.compile(rf"\s+(?i:single|{spell}|half|quarter|{ordinals}|{periods})(?!\w)")
        scale = _alt(lx.scale_words)
        suffixes = _alt(lx.scale_suffixes)
        spaced = _alt(s for s in lx.scale_suffixes if len(s) > 1 or s in "kKM")
        self.suffix_after = re.compile(
            rf"(?P<s>{suffixes})(?![A-Za-z])|[ \u00a0]{{1,2}}(?P<s2>{spaced})(?![A-Za-z0-9])")
        self.of_scale = re.compile(rf"(?i:\s+of\s+an?\s+(?P<w>{scale}))(?![a-z])")
        self.of_unit = re.compile(r"(?i:(?:\s+of)?\s+an?)(?=\s)")
        self.rate = re.compile(rf"(?i:\s+(?P<m>{_alt(lx.rate_markers)})\s+"
                               rf"(?P<w>[a-z]+(?:\s(?:foot|feet|metres?|meters?))?)"
                               rf"|\s?/\s?(?P<w2>[a-z]+))(?![a-z])")
    def _context_patterns(self, lx: Lexicon) -> None:
        """Rates, ranges, bounds and trends around a number."""
        self.hyphen_word = re.compile(r"[-\u2010\u2011](?P<w>[A-Za-z]+)")
        befores = _alt([*self.units.before, *self.units.aliases])
        self.cur_at = re.compile(rf"(?:{befores})[ \u00a0]?(?=[-\u2212]?\d)")
        self.label_join = re.compile(r"(?i:\s*(?:,|and|or|&)\s*)")
        # "10-20", "10 to 20", "six- to eight-year-olds" (a suspended hyphen before the word)
        self.range_sep = re.compile(
            r"(?i:\s*(?:-\s+(?=to\b|and\b|or\b))?(?P<sep>[-\u2013\u2014~]|to|and|or|through|thru)\s*)")
        # "from $36,040 at 10.45pm last night to $34,935", "from 20 mpg in 2008 to 29 mpg": a short aside
        self.from_gap = re.compile(r"(?i:\s+(?:in|on|at|during|last|this)\s[^,.;:()]{1,30}?\s(?P<sep>to)\s+)")
        quals, fills = _alt(lx.qualifiers), _alt(lx.fillers)
        self.qual_before = re.compile(rf"(?i:(?P<q>{quals})(?:\s+(?P<f>{fills}))?\s*)$")
        self.qualifier_before = TailSearch(self.qual_before, lx.qualifiers, lx.fillers)  # its fast search
        self.qual_after = re.compile(rf"(?i:[\s-]?(?P<q>{_alt(lx.qualifiers_after)})(?![a-z]))")
        lone = _alt(f for f in lx.fillers if f not in ("a", "an", "the"))
        self.filler_after = re.compile(rf"(?i:(?:{lone})\s+)")
        self.filler_before = re.compile(r"(?i:(?<![\w])(?P<f>a total of|an estimated))\s*$")
        self.between_before = re.compile(rf"(?i:(?<!\w)(?P<b>between|from)\s+(?:(?P<q>{quals})\s+)?)$")
        trends = _alt([*lx.trend_words, *lx.trend_verbs])
        self.trend_before = re.compile(rf"(?i:(?<![\w])(?P<t>{trends})(?:\s+(?:by|to|of|at))?\s+)$")
        # "raise its monthly price by $2": a change verb, up to four words, then "by"
        verbs = _alt(lx.trend_verbs)
        self.change_by = re.compile(rf"(?i:(?<![\w])(?P<t>{verbs})(?:\s+[\w'’-]+){{0,4}}?\s+by\s+)$")
        self.trend_after = re.compile(rf"(?i:\s+(?P<t>{_alt([*lx.trend_nouns, 'higher', 'lower'])})(?!\w))")
        self.sign_before = re.compile(rf"(?i:(?<![\w-])(?:{_alt(lx.sign_words)})[\s-]+)$")
    def _label_patterns(self, lx: Lexicon) -> None:
        """Dates, labels, streets, ages."""
        months = _alt(lx.months)
        self.month_before = re.compile(rf"(?<![\w])(?P<m>(?i:{months}))\.?\s+$")
        self.month_after = re.compile(  # "16 May", "19-20 March", "22 and 23 June"
            rf"(?:\s*(?:-|\u2013|and|or|to)\s*\d{{1,2}})?(?:\s+of)?\s+(?P<m>(?i:{months}))(?![a-z])")
        self.year_after = re.compile(r",?\s+(?:\d{4})(?!\d)")
        self.ident_before = re.compile(rf"(?i:(?<![\w.])(?P<w>{_alt(lx.identifier_nouns)})\s*)$|#\s*$")
        self.street_after = re.compile(
            rf"(?:\s+(?:[NSEW]\.?|\d+(?:st|nd|rd|th)|[A-Z][\w'’.-]*)){{0,4}}"
            rf"\s+(?i:{_alt(lx.street_nouns)})(?![\w])")
        self.age_before = re.compile(rf"(?i:(?<![\w])(?:{_alt(lx.age_before)})\s+)$")
        self.percent_before = re.compile(r"(?i:(?<![\w])(?:percents?|per\s?cent)\s+of\s+)$")
