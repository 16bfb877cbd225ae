"""The gold format: one annotated article a line of JSONL, checked line by line.

A gold file is the user's own annotation of some articles, so every problem is reported
with the file, the line and the field ("gold.jsonl:4: quotes[1].kind: ...") and all bad
lines are reported at once: a typo in a key is an error rather than a silently unscored
item. The README documents the format; in short::

    {"doc": "port.txt",
     "quotes": [{"text": "The pier will reopen in May", "speaker": "Ines Marlow", "kind": "direct"}],
     "claims": [{"text": "40 boats", "value": 40, "unit": "boats", "qualifier": "exact"}],
     "persons": ["Ines Marlow"]}

A table left out of a line ("claims" missing) is not annotated for that article and
is not scored there; an empty list says the article has none of those items.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsmine.evaluate.matching import words

QUOTE_KINDS = ("direct", "indirect", "mixed")
QUALIFIERS = ("exact", "approximate", "more_than", "at_least", "less_than", "at_most", "range", "up", "down")

# Keys each object may have; anything else is a typo worth an error. Offsets, a claim's
# kind and concept, the article's text hash and a free "note" are kept for the reader.
_ARTICLE_KEYS = {"doc", "text", "quotes", "claims", "persons", "not_person", "sha256", "note"}
_QUOTE_KEYS = {"text", "speaker", "kind", "start", "end", "cue", "note"}
_CLAIM_KEYS = {"text", "value", "unit", "qualifier", "claimant", "optional", "kind", "concept",
               "start", "end", "note"}


@dataclass(frozen=True)
class GoldQuote:
    """One annotated quote: what was said, who said it (None: no named source), its kind."""

    text: str
    speaker: str | None
    kind: str


@dataclass(frozen=True)
class GoldClaim:
    """One annotated numeric claim. ``value`` is a number or a ``[low, high]`` interval;
    ``units`` are the acceptable spellings of its unit; an ``optional`` claim neither
    rewards nor penalises (it only keeps the prediction it matches from counting as wrong)."""

    text: str
    value: float | list[float]
    units: list[str]
    qualifier: str
    claimant: str | None
    optional: bool


@dataclass(frozen=True)
class GoldArticle:
    """One line of a gold file. None for a table the line does not annotate."""

    doc: str
    line: int
    quotes: list[GoldQuote] | None
    claims: list[GoldClaim] | None
    persons: list[str] | None
    not_persons: list[str]
    text: str | None


class GoldFormatError(ValueError):
    """A gold file with bad lines; ``problems`` has one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Bad(Exception):
    """One problem in one line, with the path of the field inside it."""


def _string(obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise _Bad(f"{where}{key}: missing (a string is required)")
        return None
    if not isinstance(value, str):
        raise _Bad(f"{where}{key}: must be a string, not {json.dumps(value)[:40]}")
    if required and not value.strip():
        raise _Bad(f"{where}{key}: is empty")
    return value


def _strings(obj: dict[str, Any], key: str, where: str) -> list[str] | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(f"{where}{key}: must be a list of strings")
    return value


def _objects(obj: dict[str, Any], key: str) -> list[dict[str, Any]] | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise _Bad(f"{key}: must be a list of objects")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise _Bad(f"{key}[{index}]: must be an object, not {json.dumps(item)[:40]}")
    return value


def _known_keys(obj: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(obj) - known)
    if unknown:
        raise _Bad(f"{where}unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _quote(obj: dict[str, Any], where: str) -> GoldQuote:
    _known_keys(obj, _QUOTE_KEYS, where)
    text = _string(obj, "text", where, required=True)
    if not words(text):
        raise _Bad(f"{where}text: has no words to match (letters a-z or digits)")
    kind = obj.get("kind")
    if kind not in QUOTE_KINDS:
        raise _Bad(f"{where}kind: must be one of {', '.join(QUOTE_KINDS)}, not {json.dumps(kind)}")
    return GoldQuote(text=text or "", speaker=_string(obj, "speaker", where) or None, kind=kind)


def _value(obj: dict[str, Any], where: str) -> float | list[float]:
    value = obj.get("value")
    if _is_number(value):
        return float(value)
    if isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value):
        return [float(v) for v in value]
    raise _Bad(f"{where}value: must be a number or [low, high], not {json.dumps(value)[:40]}")


def _claim(obj: dict[str, Any], where: str) -> GoldClaim:
    _known_keys(obj, _CLAIM_KEYS, where)
    text = _string(obj, "text", where, required=True) or ""
    unit = obj.get("unit")
    if isinstance(unit, str):
        units = [unit]
    elif unit is None:
        units = []
    elif isinstance(unit, list) and all(isinstance(u, str) for u in unit):
        units = unit
    else:
        raise _Bad(f"{where}unit: must be a string, a list of strings or null")
    qualifier = obj.get("qualifier", "exact")
    if qualifier not in QUALIFIERS:
        raise _Bad(f"{where}qualifier: must be one of {', '.join(QUALIFIERS)}, not {json.dumps(qualifier)}")
    optional = obj.get("optional", False)
    if not isinstance(optional, bool):
        raise _Bad(f"{where}optional: must be true or false")
    return GoldClaim(text=text, value=_value(obj, where), units=units, qualifier=qualifier,
                     claimant=_string(obj, "claimant", where) or None, optional=optional)


def parse_line(text: str, line: int) -> GoldArticle:
    """One gold line as a :class:`GoldArticle`; raises ``_Bad`` with the field at fault."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Bad(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise _Bad("must be a JSON object with a \"doc\" key")
    _known_keys(obj, _ARTICLE_KEYS, "")
    doc = _string(obj, "doc", "", required=True) or ""
    quotes = _objects(obj, "quotes")
    claims = _objects(obj, "claims")
    return GoldArticle(
        doc=doc.strip(),
        line=line,
        quotes=None if quotes is None else [_quote(q, f"quotes[{i}].") for i, q in enumerate(quotes)],
        claims=None if claims is None else [_claim(c, f"claims[{i}].") for i, c in enumerate(claims)],
        persons=_strings(obj, "persons", ""),
        not_persons=_strings(obj, "not_person", "") or [],
        text=_string(obj, "text", ""),
    )


def read_gold(path: Path) -> list[GoldArticle]:
    """Every article of a gold file, or :class:`GoldFormatError` listing each bad line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError([f"{path}: cannot read ({exc})"]) from None
    articles: list[GoldArticle] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            article = parse_line(text, number)
        except _Bad as exc:
            problems.append(f"{path}:{number}: {exc}")
            continue
        if article.doc in seen:
            first = seen[article.doc]
            problems.append(f"{path}:{number}: doc {article.doc!r} is already annotated on line {first}")
            continue
        seen[article.doc] = number
        articles.append(article)
    if problems:
        raise GoldFormatError(problems)
    if not articles:
        raise GoldFormatError([f"{path}: no annotated articles (one JSON object a line)"])
    return articles
