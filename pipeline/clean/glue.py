"""Glue repair: where to insert spaces that a scraper dropped between words.

A scraper that drops the space around a link glues words: "assessmentreleased",
"Zelenskyysayson", "aU.S.", "to\"just back away\"and". A token is split only when
it is not a known word (wordfreq) nor a word this article uses whole, and it
splits cleanly into 2-3 frequent words or names the article uses. Rare words that
do not split cleanly stay as they are: a missed repair costs less than a broken name.
The thresholds and word lists are data: ``models/clean/glue.json``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsmine.rules import RuleSource, models_dir, read_json

RULE_FILE = "clean/glue.json"
_KEYS = ("known_zipf", "part_zipf", "part3_zipf", "capitalised_rest_zipf", "article_word_score", "max_parts",
         "short_parts", "function_words", "the_glue_first", "no_split_prefixes", "no_split_suffixes",
         "name_prefixes", "units", "letter_codes", "inflections")

_LETTERS = re.compile(r"[^\W\d_]+")
_URLISH = re.compile(r"://|^www\.|@|^#|\.(?:com|org|net|gov|edu|io|co|uk|us|ru|ua|info|news|tv|ai|app)\b",
                     re.IGNORECASE)
# Each pattern starts with a literal or a rare character class so the scan is fast;
# the context that makes it glue is checked by lookbehind after that first character.
# Marks and punctuation glued to a word: '"just', 'said“it', 'said”and', 'said,but', 'end.The'
_STRAIGHT_QUOTE, _CURLY_OPEN, _CURLY_CLOSE, _PUNCT_GLUE = map(re.compile, (
    r'"(?=\w)(?<=[^\s(\[{\-–—/]")',
    r"“(?<=[^\s(\[{\-–—/‘“\"']“)",
    r"”(?=\w)",
    r",(?=[A-Za-z]{2})(?<=[a-z]{2},)|[.?!](?=[A-Z][a-z])(?<=[a-z]{2}[.?!])",
))
# Abbreviations and numbers glued to a word: 'aU.S.', 'U.S.access', 'estimated790', '2001alleging'
_WORD_THEN_ABBR, _ABBR_THEN_WORD = re.compile(r"[A-Z]\.(?<=[a-z][A-Z]\.)(?:[A-Z]\.)+"), re.compile(
    r"\.(?=[a-z]{2})(?<=[A-Z]\.[A-Z]\.)")
_LETTERS_DIGITS, _DIGITS_LETTERS = re.compile(r"\d(?<=[^\W\d_]{3}\d)"), re.compile(
    r"\d(?=[^\W\d_]{3})(?<=\d\d)")
# What stands right before a match (searched backwards from it), and letter/digit switches
_LETTERS_BEFORE = re.compile(r"[^\W\d_]+\Z")
_ABBR_BEFORE = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}\Z")
_DIGITS_BEFORE = re.compile(r"(?<!\w)\d[\d,.]*\Z")
_ALNUM_SWITCH = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
# Glue of at most ``max_parts`` words is never this long ("counterintelligenceofficialssaid"
# has 32 letters); a longer letter run is not split, which keeps the splitter, quadratic
# in a run's length, linear in the text's (a 2 MB scrape without spaces).
MAX_GLUED_LETTERS = 64


@dataclass(frozen=True, eq=False)  # hashed by identity: the word tests cache per rule set
class _GlueRules:
    known: float
    part: float
    part3: float
    cap_rest: float
    article_score: float
    max_parts: int
    short: frozenset[str]
    function: frozenset[str]
    the_first: frozenset[str]
    no_prefix: frozenset[str]
    no_suffix: frozenset[str]
    name_prefix: frozenset[str]
    units: frozenset[str]
    codes: frozenset[str]
    inflections: tuple[str, ...]


@lru_cache(maxsize=4)
def _glue_rules(models: str) -> _GlueRules:
    """The thresholds and word lists of ``models/clean/glue.json``, once per models folder."""
    d = read_json(RuleSource(root=Path(models)), RULE_FILE, required=_KEYS, fold=str.lower)
    low = lambda key: frozenset(w.lower() for w in d[key])  # noqa: E731
    return _GlueRules(
        float(d["known_zipf"]), float(d["part_zipf"]), float(d["part3_zipf"]),
        float(d["capitalised_rest_zipf"]), float(d["article_word_score"]),
        int(d["max_parts"]), low("short_parts"), low("function_words"), low("the_glue_first"),
        low("no_split_prefixes"), low("no_split_suffixes"), low("name_prefixes"), low("units"),
        low("letter_codes"), tuple(d["inflections"]),
    )


@lru_cache(maxsize=1)
def word_zipfs() -> dict[str, float]:
    """wordfreq's English list (~320k words) as zipf values, loaded once on first use (~0.5 s).

    The arguments are positional as in wordfreq's own ``word_frequency``: its list is kept
    by ``lru_cache``, which keys ``("en", "best")`` apart from ``("en", wordlist="best")``,
    so asked the other way the entity stage's first ``zipf_frequency`` (a glued-looking
    name) loaded a second 7.5 MiB copy, in a long run's workers and not a short run's."""
    from wordfreq import get_frequency_dict

    return {w: math.log10(f) + 9.0 for w, f in get_frequency_dict("en", "best").items() if f > 0}


@lru_cache(maxsize=4_096)
def _candidate(rules: _GlueRules, w: str) -> bool:
    """Could ``w`` be glue at all, whatever the article? (Most words are ruled out here.)"""
    if len(w) < 4 or len(w) > MAX_GLUED_LETTERS or w.isupper():
        return False
    lw = w.lower()
    zw = word_zipfs().get(lw, 0.0)
    if zw >= rules.known:
        return w.islower() and zw < 3.5 and lw.endswith("the") and lw[:-3] in rules.the_first
    if not any(c.isupper() for c in w[1:]):  # no camel-case boundary
        return w.islower() or w[1:].islower()
    return True


class ArticleWords:
    """The letter runs an article uses whole, and how often (counted only when asked)."""

    def __init__(self, raw: str):
        self.raw = raw
        self.runs = Counter(_LETTERS.findall(raw))
        self.words = set(self.runs)
        self._counts: dict[str, int] = {}
        self._mixed_runs: dict[str, int] | None = None

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def count(self, word: str) -> int:
        """How often ``word`` stands alone (no letter on either side) in the article.

        A word of letters only stands alone exactly where it is a whole letter run, so the
        runs counted once answer it; scanning the text per word was quadratic on long texts.
        """
        n = self._counts.get(word)
        if n is None:
            if word not in self.words:
                n = 0
            elif word.isalpha():  # inside a run only next to a non-letter \\w ("km²")
                n = self.runs[word] + sum(c * _stands_alone_in(r, word) for r, c in self._mixed().items())
            else:
                n = _stands_alone_in(self.raw, word)
            self._counts[word] = n
        return n

    def _mixed(self) -> dict[str, int]:
        """Runs holding a \\w character that is no letter (a "²"), counted once when asked."""
        if self._mixed_runs is None:
            self._mixed_runs = {r: c for r, c in self.runs.items() if not r.isalpha()}
        return self._mixed_runs


def _stands_alone_in(text: str, word: str) -> int:
    return sum(1 for m in re.finditer(re.escape(word), text) if _stands_alone(text, *m.span()))


def _stands_alone(text: str, a: int, b: int) -> bool:
    return not (a and text[a - 1].isalpha()) and not (b < len(text) and text[b].isalpha())


class _Splitter:
    """Decides, per distinct token of one article, whether and where it is glued."""

    def __init__(self, words: ArticleWords, rules: _GlueRules, cache: dict[str, list[str] | None]):
        self.words, self.r, self.cache = words, rules, cache
        self.z = word_zipfs().get  # z(word, 0.0); bound once, called a lot

    def candidate(self, w: str) -> bool:
        """Article-independent first look, cached across articles: could ``w`` be glue at all?"""
        return _candidate(self.r, w)

    def lower_part(self, p: str, after_name: bool = False) -> float | None:
        """Score of a lowercase part, or None when it is not a believable word.

        After a capitalised first part the bar is higher: "Grandclaude", "Donnellon" are
        names, and wordfreq counts "claude", "nell" as words because it ignores case.
        """
        n = len(p)
        if n <= 2:
            return self.z(p, 0.0) if p in self.r.short else None
        zp = self.z(p, 0.0)
        if p in self.r.function:
            return zp
        if zp >= (self.r.part3 if n == 3 else self.r.cap_rest if after_name else self.r.part):
            return zp
        if n >= 4 and p in self.words:
            return max(zp, self.r.article_score)
        return None

    def cap_part(self, p: str, camel: bool = False, after_function: bool = False) -> float | None:
        """Score of a capitalised part: a name the article uses whole, a function word of 4+
        letters ("During"; "At", "My" start too many names), or after a camel-case boundary
        ("whileZelenskyy") a frequent word."""
        lp = p.lower()
        if lp in self.r.function:
            return self.z(lp, 0.0) if camel or len(p) >= 4 else None
        if len(p) >= 3 and p in self.words:
            return max(self.z(lp, 0.0), self.r.article_score)
        if camel and len(p) >= 3 and (after_function or self.z(lp, 0.0) >= self.r.part):
            return self.z(lp, 0.0)
        return None

    def split_run(self, s: str, first_cap: bool, max_parts: int) -> tuple[list[str], list[float]] | None:
        """Best split of a run with no case change inside: fewest parts, then most frequent."""
        best: tuple[tuple[int, float, float], list[str], list[float]] | None = None
        n = len(s)
        for i in range(1, n):
            a = s[:i]
            sa = self.cap_part(a) if first_cap else self.lower_part(a)
            if sa is None:
                continue
            sr = self.lower_part(s[i:], first_cap)
            if sr is not None:
                key = (2, -min(sa, sr), -(sa + sr))
                if best is None or key < best[0]:
                    best = (key, [a, s[i:]], [sa, sr])
            if max_parts < 3 or (best is not None and best[0][0] == 2):
                continue
            for j in range(i + 1, n):
                sb = self.lower_part(s[i:j], first_cap)
                sc = self.lower_part(s[j:], first_cap) if sb is not None else None
                if sc is not None:
                    key = (3, -min(sa, sb, sc), -(sa + sb + sc))
                    if best is None or key < best[0]:
                        best = (key, [a, s[i:j], s[j:]], [sa, sb, sc])
        return None if best is None else (best[1], best[2])

    def decide(self, w: str) -> list[str] | None:
        """The parts ``w`` should be split into, or None to leave it alone (cached)."""
        if not self.candidate(w):
            return None
        if w in self.cache:
            return self.cache[w]
        parts = self._decide(w)
        self.cache[w] = parts
        return parts

    def _decide(self, w: str) -> list[str] | None:
        r = self.r
        if not self.candidate(w):
            return None
        lw = w.lower()
        zw = self.z(lw, 0.0)
        if zw >= r.known:  # "ofthe", "inthe": frequent enough typos to be in wordfreq
            return [w[:-3], w[-3:]]
        if self.words.count(w) >= 2:  # the article spells it this way more than once
            return None
        bounds = [i for i in range(1, len(w)) if w[i - 1].islower() and w[i].isupper()]
        segments = [w[a:b] for a, b in zip([0, *bounds], [*bounds, len(w)], strict=True)]
        if len(segments) == 1:
            found = self.split_run(w, w[0].isupper(), r.max_parts)
            if found is None or self.is_variant(lw):
                return None
            parts = found[0]
        else:
            parts = self._split_camel(segments)
            if parts is None:
                return None
        lower = [p.lower() for p in parts]
        if lower[0] in r.no_prefix or lower[-1] in r.no_suffix:
            return None
        if any(lw.endswith(suffix) for suffix in r.no_suffix if len(suffix) >= 4):
            return None  # rockscape, cyberwarfare-style compounds end in a compounding suffix
        if zw > 0 and not (len(parts) == 2 and lower[0] in r.function and lower[0] != "a"
                           and self.z(lower[1], 0.0) >= r.part3):
            return None  # a rare but real word: only "toget"-style glue after a function word
        return parts

    def is_variant(self, lw: str) -> bool:
        """An inflection of a known word ("throughputs") or a one-edit typo of a frequent one
        ("stategist", "spearate", "reseach"): a word, not glue."""
        known = self.r.known
        for suffix in self.r.inflections:
            stem = lw[: -len(suffix)]
            if lw.endswith(suffix) and len(stem) >= 4 and self.z(stem, 0.0) >= known:
                return True
        if len(lw) < 7:
            return False
        letters = "abcdefghijklmnopqrstuvwxyz"
        n = len(lw)
        variants = {lw[:i] + lw[i + 1:] for i in range(n)}
        variants.update(lw[:i] + lw[i + 1] + lw[i] + lw[i + 2:] for i in range(n - 1))
        variants.update(lw[:i] + c + lw[i + 1:] for i in range(n) for c in letters)
        variants.update(lw[:i] + c + lw[i:] for i in range(n + 1) for c in letters)
        variants.discard(lw)
        return any(self.z(v, 0.0) >= self.r.part for v in variants)

    def _split_camel(self, segments: list[str]) -> list[str] | None:
        """Split at lower→Upper boundaries ("whileZelenskyy"), each side a believable word."""
        r = self.r
        first = segments[0]
        if first.lower() in r.name_prefix or len(segments) > 3:
            return None  # McDonald, DeSantis, LeBron
        parts: list[str] = []
        if first[0].isupper():  # PascalCase: brands and names (TimeWarner, DeepSeek, PowerPage)
            return None
        if self.lower_part(first) is not None:
            parts.append(first)
        else:
            found = self.split_run(first, False, 2)
            if found is None:
                return None
            parts.extend(found[0])
        for seg in segments[1:]:
            after_function = parts[-1].lower() in r.function
            if seg.isupper() and len(seg) >= 2:
                ok = after_function or seg in self.words
            elif seg[1:].islower():
                ok = self.cap_part(seg, True, after_function) is not None
                if not ok:
                    found = self.split_run(seg, True, 2)
                    if found is not None:
                        parts.extend(found[0])
                        continue
            else:
                ok = False
            if not ok:
                return None
            parts.append(seg)
        return parts if len(parts) <= r.max_parts + 1 else None

    def plain_word(self, w: str) -> bool:
        """A frequent word or a function word: safe to cut off digits or an abbreviation."""
        lw = w.lower()
        if lw in self.r.short or lw in self.r.function:
            return True
        return len(lw) >= 3 and (self.z(lw, 0.0) >= self.r.part or w in self.words)


_SPACES = re.compile(r"[ \n]")  # what ends a token for the checks below


class _Tokens:
    """The space-delimited tokens of a text, found by bisecting its space positions.

    Why: every candidate position asks for its token, and scanning outwards with
    ``rfind``/``find`` costs the token's length each time, which is quadratic on a
    long line without spaces (a 2 MB scrape). Per-token answers are cached too.
    """

    def __init__(self, text: str):
        self.text = text
        self.spaces = [m.start() for m in _SPACES.finditer(text)]
        self._switches: dict[int, int] = {}
        self._urlish: dict[int, bool] = {}

    def bounds(self, pos: int) -> tuple[int, int]:
        i = bisect_left(self.spaces, pos)
        start = self.spaces[i - 1] + 1 if i else 0
        return start, self.spaces[i] if i < len(self.spaces) else len(self.text)

    def switches(self, pos: int) -> int:
        """Letter/digit switches in the token at ``pos``."""
        a, b = self.bounds(pos)
        if a not in self._switches:
            self._switches[a] = len(_ALNUM_SWITCH.findall(self.text, a, b))
        return self._switches[a]

    def urlish(self, pos: int) -> bool:
        a, b = self.bounds(pos)
        if a not in self._urlish:
            self._urlish[a] = _URLISH.search(self.text[a:b]) is not None
        return self._urlish[a]


def _digit_glue_word(tokens: _Tokens, w: str, at: int, rules: _GlueRules, sp: _Splitter) -> bool:
    """A plain lowercase word glued to a number, not a unit (30mph) or a code (covid19)."""
    lw = w.lower()
    if not w.islower() or lw in rules.units or lw in rules.codes:
        return False
    return tokens.switches(at) <= 1 and sp.plain_word(w)


def _quote_positions(text: str) -> set[int]:
    """Where a straight quote glued to a word needs a space: before an opening one
    (an even number of quotes earlier in the paragraph), after a closing one.

    The quotes of a paragraph are counted as the scan goes, not recounted per match.
    """
    found: set[int] = set()
    para, seen, last = 0, 0, 0
    for m in _STRAIGHT_QUOTE.finditer(text):
        p = m.start()
        start = text.rfind("\n", last, p) + 1
        if start > para:  # a new paragraph since the last match
            para, seen, last = start, 0, start
        seen += text.count('"', last, p)
        last = p
        found.add(p if seen % 2 == 0 else p + 1)
    return found


def _glue_context(text: str, a: int, b: int) -> bool:
    """Whether the letter run ``text[a:b]`` stands alone enough to be split."""
    prev = text[a - 1] if a else " "
    nxt = text[b] if b < len(text) else " "
    if prev.isalpha() or nxt.isalpha() or prev.isdigit() or nxt.isdigit():
        return False  # part of a longer run
    if prev in "'’@#_/\\" or nxt in "@_/\\" or (prev == "-" and nxt == "-"):
        return False  # contraction, handle, path, or inside a hyphenated compound
    if nxt == "." and b + 1 < len(text) and text[b + 1].isalpha():
        return False  # an abbreviation or a domain: "aU.S.", "example.com"
    return not (prev == "." and a >= 2 and text[a - 2].isalpha())


def glue_positions(text: str, words: ArticleWords, cache: dict[str, list[str] | None]) -> list[int]:
    """Positions in ``text`` where a space should be inserted to undo scraping glue."""
    rules = _glue_rules(str(models_dir()))
    sp = _Splitter(words, rules, cache)

    tokens = _Tokens(text)
    found = _quote_positions(text)
    found.update(m.start() for m in _CURLY_OPEN.finditer(text))
    found.update(m.end() for m in _CURLY_CLOSE.finditer(text))
    found.update(m.end() for m in _PUNCT_GLUE.finditer(text))
    for m in _WORD_THEN_ABBR.finditer(text):  # "aU.S." -> "a U.S."
        w = _LETTERS_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if w is not None and w.group().islower() and sp.plain_word(w.group()):
            found.add(m.start())
    for m in _ABBR_THEN_WORD.finditer(text):  # "U.S.access" -> "U.S. access"
        w = _LETTERS.match(text, m.end())
        abbr = _ABBR_BEFORE.search(text, max(0, m.start() - 30), m.end())
        if abbr is not None and w.group().islower() and sp.plain_word(w.group()):
            found.add(m.end())
    for m in _LETTERS_DIGITS.finditer(text):  # "estimated790,000" -> "estimated 790,000"
        w = _LETTERS_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if w is not None and _digit_glue_word(tokens, w.group(), m.start(), rules, sp):
            found.add(m.start())
    for m in _DIGITS_LETTERS.finditer(text):  # "2001alleging" -> "2001 alleging"
        w = _LETTERS.match(text, m.end())
        if (_DIGITS_BEFORE.search(text, max(0, m.start() - 30), m.end()) and w.end() - w.start() >= 3
                and _digit_glue_word(tokens, w.group(), m.end(), rules, sp)):
            found.add(m.end())
    splits = [w for w in words.words if sp.decide(w)]
    for w in splits:
        parts = cache[w]
        pos = text.find(w)
        while pos >= 0:
            a, b = pos, pos + len(w)
            if _glue_context(text, a, b):
                for part in parts[:-1]:
                    a += len(part)
                    found.add(a)
            pos = text.find(w, b)
    if not found:
        return []
    out = []
    for p in sorted(found):
        if 0 < p < len(text) and not text[p - 1].isspace() and not text[p].isspace() and not tokens.urlish(p):
            out.append(p)
    return out
