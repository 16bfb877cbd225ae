"""How a predicted item is judged the same as a gold one: words, coverage, speakers, units.

Matching works on words, never on character offsets, so a gold file written against the
raw article still scores a run that cleaned the text (glued words split, captions moved
out). These are the conventions of the project's shared scorer
(``../shared/eval/score.py``), so the two agree to the third decimal:

* a text's words are its lower-cased ``[a-z0-9]+`` runs, with curly apostrophes made
  straight and the commas of digit groups removed ("790,000" is one word ``790000``);
* *coverage* of ``part`` by ``whole`` is how many words of ``part`` appear in ``whole``
  in the same order (the matching blocks of :class:`difflib.SequenceMatcher`);
* a speaker matches when the predicted speaker, as written or canonical, holds the gold
  speaker's head word: its last word, or the last word before an apposition, a
  prepositional phrase or a relative clause ("Chris Low at FTN Financial" -> low);
* a claim's unit matches when its words share one with the predicted text, unit or
  subject, after symbols and a few abbreviations are spelled out ($ -> dollar).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Any

import pandas as pd

_WORD = re.compile(r"[a-z0-9]+")
_DIGIT_GROUP_COMMA = re.compile(r"(?<=\d),(?=\d{3})")
# Where a speaker phrase stops naming its head: an apposition, a prepositional phrase or
# a relative clause ("Tucker McClendon, 21", "a spokeswoman for the campaign, who ...").
_HEAD_END = re.compile(r",|\(|\b(?:at|of|for|from|with|in|on|who|which|whose|that)\b", re.IGNORECASE)

# Unit spellings that mean the same unit, and the symbols that name one.
_UNIT_ALIASES = {
    "$": "dollar", "usd": "dollar", "us$": "dollar", "%": "percent", "percentage": "percent",
    "pct": "percent", "per": "", "cent": "percent", "£": "pound", "gbp": "pound",
    "€": "euro", "eur": "euro", "days": "day", "yr": "year", "hr": "hour",
}
_UNIT_SYMBOLS = ("$", "%", "£", "€")
# Hedges and function words that sit next to a number but never name its unit.
_NOT_UNIT_WORDS = frozenset(
    [
        "more", "than", "over", "around", "about", "a", "an", "the", "total", "of",
        "exceeded", "nearly", "almost", "some", "single", "estimated", "at", "least",
    ]
)


def is_missing(value: Any) -> bool:
    """None, NaN or pandas' NA: a cell with nothing in it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def words(text: Any) -> list[str]:
    """The words matching compares: lower-cased alphanumeric runs, digit groups joined."""
    if is_missing(text):
        return []
    lowered = str(text).lower().replace("\u2019", "'").replace("\u2018", "'")
    return _WORD.findall(_DIGIT_GROUP_COMMA.sub("", lowered))


def coverage(part: list[str], whole: list[str]) -> int:
    """How many words of ``part`` appear, in order, in ``whole`` (not symmetric)."""
    if not part or not whole:
        return 0
    blocks = SequenceMatcher(None, part, whole, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks)


def stem(word: str) -> str:
    """A plural's singular, roughly: a final ``s`` goes from words longer than three letters."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def head_words(speaker: str) -> set[str]:
    """The words that may name a gold speaker: its last word, and the last word before
    the phrase that modifies it begins."""
    heads = {stem(w) for w in words(speaker)[-1:]}
    cut = _HEAD_END.search(speaker)
    if cut is not None and cut.start() > 0:
        heads.update(stem(w) for w in words(speaker[: cut.start()])[-1:])
    return heads


def speaker_matches(gold: Any, *predicted: Any) -> bool:
    """Whether any predicted form of a speaker (as written, canonical) holds a gold head word."""
    if is_missing(gold) or not words(gold):
        return False
    said = {stem(w) for form in predicted for w in words(form)}
    return not head_words(str(gold)).isdisjoint(said)


def unit_words(texts: Iterable[Any]) -> set[str]:
    """The words that can name a unit in ``texts``: symbols spelled out, aliases merged,
    plurals stemmed, hedge words dropped."""
    found: set[str] = set()
    for text in texts:
        if is_missing(text):
            continue
        lowered = str(text).lower()
        found.update(_UNIT_ALIASES[symbol] for symbol in _UNIT_SYMBOLS if symbol in lowered)
        for word in words(lowered):
            word = _UNIT_ALIASES.get(word, word)
            if word:
                found.add(stem(word))
    return found - _NOT_UNIT_WORDS


def number(value: Any) -> float | None:
    """A cell as a float, or None when it holds no number."""
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(result) else result


def value_matches(gold: float | list[float], row: dict[str, Any]) -> bool:
    """Whether a predicted claim's value is the gold value.

    A gold interval ``[low, high]`` matches the same bounds, or a value at either end or
    the midpoint; a single value must be equal up to rounding (relative 1e-6).
    """
    value = number(row.get("value"))
    if value is None:
        return False
    if not isinstance(gold, list):
        return math.isclose(value, gold, rel_tol=1e-6, abs_tol=1e-9)
    low, high = gold
    bounds = (number(row.get("value_low")), number(row.get("value_high")))
    if bounds[0] is not None and bounds[1] is not None \
            and math.isclose(bounds[0], low) and math.isclose(bounds[1], high):
        return True
    return any(math.isclose(value, x, rel_tol=1e-6) for x in (low, high, (low + high) / 2))


# A gold qualifier accepts these predicted ones (any other gold qualifier only itself).
_QUALIFIER_ACCEPTS = {"more_than": {"more_than", "at_least"}, "less_than": {"less_than", "at_most"}}


def qualifier_matches(gold: str, gold_value: float | list[float], row: dict[str, Any]) -> bool:
    """Whether a predicted claim hedges its number as the gold does; for a gold trend
    (``up``/``down``) the predicted ``trend`` is what counts."""
    if gold in ("up", "down"):
        return str(row.get("trend")) == gold
    predicted = str(row.get("qualifier"))
    if gold == "exact" and isinstance(gold_value, list):
        return predicted in {"exact", "range"}  # an unhedged interval is a range, no more
    return predicted in _QUALIFIER_ACCEPTS.get(gold, {gold})
