"""The rule data behind ``newsmine.nlp.claims.numbers``: the lexicon and the regexes built from it.

Why apart from the parser: the words (number words, units, qualifiers, ...) are data in
``models/claims/lexicon.json``, and turning them into regexes is done once per lexicon;
``newsmine.nlp.claims.numbers`` only reads characters with what is compiled here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsmine.rules import RuleSource, read_json

DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
URL_HINT = re.compile(r"https?://|www\.|@\w|\.(?:com|org|net|gov|edu|io|uk)\b")
# Patterns start with their literal so the regex engine can skip ahead; the character before
# is checked in Python (see _spans), which keeps these scans fast on long articles.
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?|\(\d{2,5}\)\s?)[\d\s.-]{6,}\d(?![\w,])"
                   r"|\d{3,4}[\s.-]\d{3,4}[\s.-]\d{2,4}(?![\w,])")
CLOCK_SPAN = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\b\.?)?(?![\d:])", re.I)
# "1998/9", "2004/05", "2004-05": a fiscal or season year span is a date, not two numbers
YEAR_SPAN = re.compile(r"(?:1[89]|20)\d{2}[/\u2013-]\d{1,2}(?![\d/])")
NUMERIC_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?![\d/])|\d{4}-\d{2}-\d{2}(?![\d/])"
                          r"|\d{1,2}/\d{1,2}(?![\d/])")
DIGIT_RUN = re.compile(r"\d+")
WORD = re.compile(r"[A-Za-z]+")
CLOCK = re.compile(r"(?i:[:.]\d{2}(?:\s?[ap]\.?m\b\.?)?|\s?[ap]\.m\.|\s?[ap]m\b|\s+o'clock\b)")
ORDINAL_SUFFIX = re.compile(r"(?i:st|nd|rd|th)(?![a-z])")
WORD_AFTER = re.compile(r"\s*([\w'’.-]+)")


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first so ``per cent`` wins over ``per``."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))

_MAPPINGS = ("number_words", "scale_words", "scale_suffixes", "dozen_words", "vague_quantities",
             "currency_words", "percent_words", "time_units", "measure_units", "qualifiers",
             "trend_words", "trend_nouns")
_OPTIONAL = ("scale_suffixes_need_money", "fraction_words", "vague_qualifier", "glued_units", "metre_context",
             "rate_markers", "fillers", "identifier_nouns", "months", "relative_date_words",
             "definite_determiners", "one_not_before", "one_not_after", "label_stopwords", "vague_not_claims",
             "change_verbs", "rank_modifiers", "event_nouns", "event_modifiers")


class Lexicon:
    """The rule data, loaded once from a JSON file (``models/claims/lexicon.json``)."""

    def __init__(self, data: dict[str, Any]) -> None:
        low = {k: {str(w).lower(): v for w, v in data[k].items()} for k in _MAPPINGS}
        self.number_words: dict[str, float] = low["number_words"]
        self.scale_words: dict[str, float] = low["scale_words"]
        self.scale_suffixes: dict[str, float] = low["scale_suffixes"]
        self.suffix_need_money = {s.lower() for s in data.get("scale_suffixes_need_money", [])}
        self.dozen_words: dict[str, float] = low["dozen_words"]
        fractions = data.get("fraction_words", {})
        self.fractions: dict[str, float] = {str(w).lower(): v for w, v in fractions.items()}
        self.vague: dict[str, float] = low["vague_quantities"]
        self.vague_qualifier: str = data.get("vague_qualifier", "approximate")
        self.currency_symbols: dict[str, str] = dict(data["currency_symbols"])
        self.currency_words: dict[str, str] = low["currency_words"]
        self.percent_words: dict[str, str] = low["percent_words"]
        self.time_units: dict[str, str] = low["time_units"]
        self.measure_units: dict[str, str] = low["measure_units"]
        self.glued_units = set(data.get("glued_units", []))
        self.metre_context = {w.lower() for w in data.get("metre_context", [])}
        self.rate_markers = [w.lower() for w in data.get("rate_markers", ["per"])]
        self.qualifiers: dict[str, str] = low["qualifiers"]
        self.fillers = [w.lower() for w in data.get("fillers", [])]
        self.trend_words: dict[str, str] = low["trend_words"]
        self.trend_nouns: dict[str, str] = low["trend_nouns"]
        self.identifier_nouns = {w.lower() for w in data.get("identifier_nouns", [])}
        self.months = {w.lower() for w in data.get("months", [])}
        self.relative_date_words = {w.lower() for w in data.get("relative_date_words", [])}
        self.definite_determiners = {w.lower() for w in data.get("definite_determiners", [])}
        self.one_not_before = {w.lower() for w in data.get("one_not_before", [])}
        self.one_not_after = {w.lower() for w in data.get("one_not_after", [])}
        self.label_stopwords = {w.lower() for w in data.get("label_stopwords", [])}
        self.vague_not_claims = {w.lower() for w in data.get("vague_not_claims", [])}
        change = {str(w).lower(): v for w, v in data.get("change_verbs", {}).items()}
        self.change_verbs: dict[str, str] = {**self.trend_words, **change}
        self.rank_modifiers = {w.lower() for w in data.get("rank_modifiers", [])}
        self.event_nouns = {w.lower() for w in data.get("event_nouns", [])}
        self.event_modifiers = {w.lower() for w in data.get("event_modifiers", [])}

    @classmethod
    def load(cls, source: RuleSource, rel: str = "claims/lexicon.json") -> Lexicon:
        """The lexicon file ``rel`` of ``source``; unknown and duplicate entries are errors."""
        return cls(read_json(source, rel, required=(*_MAPPINGS, "currency_symbols"), optional=_OPTIONAL,
                             fold=str.lower))

    @classmethod
    def from_file(cls, path: Path | str | None = None) -> Lexicon:
        """A lexicon file anywhere, or ``models/claims/lexicon.json``."""
        if path is None:
            return cls.load(RuleSource.models())
        path = Path(path)
        return cls.load(RuleSource(root=path.parent), path.name)


class NumberPatterns:
    """Every regex the number parser uses, compiled once from a ``Lexicon``."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        lx = self.lx = lexicon or Lexicon.from_file()
        spell = _alt([*lx.number_words, *lx.scale_words, *lx.dozen_words])
        periods = _alt(w for w, n in lx.time_units.items() if w == n)
        self.spell_word = re.compile(rf"(?i:{spell})")
        spelled = rf"(?:(?:an?|half\s+an?)\s+)?(?:{spell})(?:(?:\s+and\s+|\s+|-)(?:{spell}))*"
        vague = _alt(lx.vague)
        cur = _alt(lx.currency_symbols)
        self.core = re.compile(
            rf"(?:(?P<cur>{cur})\s?)?(?<!\d)(?<!\d[.,])(?P<dig>{DIGITS})"
            rf"|(?<![\w-])(?P<vague>(?i:{vague}))(?![\w-])"
            rf"|(?<![\w-])(?P<spell>(?i:{spelled}))(?!\w)"
            rf"|(?<![\w-])(?P<single>(?i:an?\s+single))(?!\w)"
            rf"|(?<![\w-])(?P<aunit>(?i:an?\s+(?:{periods})))(?![\w-])"
        )
        self.cur_before = re.compile(rf"(?:{cur})\s?$")
        self.cur_tail = {c[-1] for c in lx.currency_symbols}
        self.qual_tail = {p.split()[-1] for p in [*lx.qualifiers, *lx.fillers]}
        self.trend_tail = {*lx.trend_words, "by", "to", "of"}
        self.first_words = {*lx.number_words, *lx.scale_words, *lx.dozen_words, "half",
                            *(v.split()[0] for v in lx.vague)}
        self.after_article = re.compile(rf"\s+(?i:single|{spell}|{periods})(?!\w)")
        fractions = _alt(lx.fractions) or "(?!)"
        # "a quarter of a million", "three-quarters of a billion": a fraction of a magnitude
        self.fraction_before = re.compile(
            rf"(?i:(?<![\w-])(?P<n>an?|one|two|three|four)[\s-]+(?P<f>{fractions})\s+of\s+)$")
        scale = _alt(lx.scale_words)
        suffixes = _alt(lx.scale_suffixes)
        self.scale_after = re.compile(rf"(?i:\s*(?P<w>{scale})(?!\w)|(?P<s>{suffixes})(?![a-z])"
                                      rf"|\s(?P<s2>bn|mn|tn|mln)(?![a-z]))")
        percent_words = _alt(k for k in lx.percent_words if k != "%")
        self.percent = re.compile(rf"(?i:\s?(?P<u>%)|\s+(?P<w>{percent_words})(?![a-z]))")
        self.cur_word = re.compile(rf"(?i:\s+(?:of\s+)?(?:(?:US|U\.S\.|American|Canadian|Australian)\s+)?"
                                   rf"(?P<w>{_alt(lx.currency_words)})(?![a-z]))")
        units = {**lx.time_units, **lx.measure_units}
        self.hyphen_unit = re.compile(rf"(?i:[-\u2010\u2011](?P<w>{_alt(units)})(?![a-z])(?:-old)?)")
        self.hyphen_word = re.compile(r"[-\u2010\u2011](?P<w>[A-Za-z]+)")
        self.time_unit = re.compile(rf"(?i:\s+(?P<w>{_alt(lx.time_units)})(?![\w-]))")
        self.measure = re.compile(rf"(?i:(?P<sp>\s*)(?P<w>{_alt(lx.measure_units)})(?![\w°]))")
        self.rate = re.compile(rf"(?i:\s+(?:{_alt(lx.rate_markers)})\s+(?P<w>{periods})(?!\w)"
                               rf"|\s?/\s?(?P<w2>{periods}|hr|yr)(?!\w))")
        self.label_join = re.compile(r"(?i:\s*(?:,|and|or|&)\s*)")
        self.range_sep = re.compile(r"(?i:\s*(?P<sep>[-\u2013\u2014]|to|and)\s*)")
        quals = _alt(lx.qualifiers)
        fill = _alt(lx.fillers)
        self.qual_before = re.compile(rf"(?i:(?P<q>{quals})(?:\s+(?P<f>{fill}))?\s*)$")
        self.filler_before = re.compile(r"(?i:(?<![\w])(?P<f>a total of|an estimated))\s*$")
        self.between_before = re.compile(r"(?i:(?<!\w)(?P<b>between|from)\s+)$")
        trends = _alt(lx.trend_words)
        self.trend_before = re.compile(rf"(?i:(?<![\w])(?P<t>{trends})(?:\s+(?:by|to|of))?\s+)$")
        # "raise its monthly price by $2": a change verb, up to four words, then "by"
        changes = _alt(lx.change_verbs)
        self.change_by = re.compile(rf"(?i:(?<![\w])(?P<t>{changes})(?:\s+[\w'’-]+){{0,4}}?\s+by\s+)$")
        self.trend_after = re.compile(rf"(?i:\s+(?P<t>{_alt(lx.trend_nouns)})(?!\w))")
        months = _alt(lx.months)
        self.month_before = re.compile(rf"(?<![\w])(?P<m>(?i:{months}))\.?\s+$")
        self.month_after = re.compile(rf"(?:\s+of)?\s+(?P<m>(?i:{months}))(?![a-z])")
        self.year_after = re.compile(r",?\s+(?:\d{4})(?!\d)")
        self.ident_before = re.compile(rf"(?i:(?<![\w.])(?P<w>{_alt(lx.identifier_nouns)})\s*)$|#\s*$")
