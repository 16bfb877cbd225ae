"""The grammar of numbers written in words: ``two hundred and five``, ``a quarter million``,
``twenty-three fifths``, ``two million and one half``, ``nine point nought four``.

Why a grammar and not a word-sum: summing words gets the easy cases and silently gets
the rest wrong (``a quarter million`` -> 1,000,000, ``two million and one half`` ->
2,000,001). Here the words become tokens (units, teens, tens, scales, ordinals used as
denominators, ``and``, ``a``, ``point``) and ``SpelledGrammar.read`` returns the longest
prefix that is one well-formed number, so ``three-nought-four`` is three numbers and
``3 hundred and 2 hundred`` two. A digit run may start the phrase (``4 thousand 3 hundred
and 21``, ``3 million and a half``, ``322 hundred``). The resolution of fractions follows the
Microsoft Recognizers-Text English specs: ``one hundred thirty fifths`` = 100/35 but
``one hundred and thirty fifths`` = 130/5; ``X and a half`` of a scale takes that scale
(``two million and three fifths`` = 2,600,000). The word lists are in
``models/claims/lexicon.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNIT, TEEN, TENS, SCALE, DOZEN, FRAC, AND, ART, POINT, NUM = range(10)
NUMBERS = (UNIT, TEEN, TENS, NUM)
SCALE_ORDINALS = frozenset({100.0, 1e3, 1e6, 1e9, 1e12})
TOKEN = re.compile(r"(?:[ \t]*(?:-[ \t]*)?)(?:(?P<w>[A-Za-z]+)|(?P<d>\d+(?:\.\d+)?)(?![\d,.]\d))")


@dataclass(frozen=True, slots=True)
class Tok:
    kind: int
    value: float
    end: int
    word: str = ""
    plural: bool = False


@dataclass(frozen=True, slots=True)
class Spelled:
    """A number read from words: its value, where it ends, and how it was built."""

    value: float
    end: int
    raw: float  # the value before the scales it ends with ("four thousand" -> 4)
    scale: float  # those scales multiplied (1.0 if none)
    fraction: bool  # a fraction or decimal part was read
    words: int  # tokens used
    ordinal: str | None = None  # the denominator word of a fraction ("thirds"), to judge it in context


@dataclass
class _Int:
    value: float
    j: int  # index after the last token used
    tail: float  # the scales the number ends with


class SpelledGrammar:
    """Reads spelled-out numbers with the word lists of a ``Lexicon`` (see module doc)."""

    def __init__(self, number_words: dict[str, float], scale_words: dict[str, float],
                 dozen_words: dict[str, float], ordinals: dict[str, float],
                 fractions: dict[str, float]) -> None:
        self.classes: dict[str, Tok] = {}
        for w, v in number_words.items():
            self.classes[w] = Tok(UNIT if v < 10 else TEEN if v < 20 else TENS, float(v), 0, w)
        for w, v in scale_words.items():
            self.classes[w] = Tok(SCALE, float(v), 0, w)
        for w, v in dozen_words.items():
            self.classes[w] = Tok(DOZEN, float(v), 0, w)
        for w, v in ordinals.items():
            self.classes[w] = Tok(FRAC, float(v), 0, w)
            self.classes.setdefault(w + "s", Tok(FRAC, float(v), 0, w, plural=True))
        for w, v in fractions.items():
            self.classes[w] = Tok(FRAC, float(v), 0, w, plural=w.endswith(("s", "ves")))
        self.classes.update({"and": Tok(AND, 0, 0, "and"), "a": Tok(ART, 1, 0, "a"),
                             "an": Tok(ART, 1, 0, "an"), "point": Tok(POINT, 0, 0, "point")})
        self.scale_plurals = {w + "s": v for w, v in scale_words.items() if not w.endswith("s")}

    # ------------------------------------------------------------------ tokens

    def continues(self, text: str, pos: int) -> bool:
        """Can a number read from a digit token ending at ``pos`` take another word (``5 million``)?

        Why: ``read(text, pos, first=<digits>)`` yields more than the digits only when the next
        token is a number word; most figures are followed by a noun, and this one match and
        look-up spare them the whole grammar."""
        m = TOKEN.match(text, pos)
        if m is None or m.group("w") is None:
            return False  # the end, or digits: they never follow a digit token
        word = m.group("w").lower()
        return word in self.classes or word in self.scale_plurals

    def tokens(self, text: str, pos: int, first: Tok | None = None) -> list[Tok]:
        """Number tokens from ``pos`` on, separated by spaces or one hyphen, at most 24."""
        toks = [first] if first else []
        while len(toks) < 24:
            m = TOKEN.match(text, pos)
            if m is None:
                break
            if m.group("d") is not None:
                if not toks or toks[-1].kind not in (SCALE, AND):
                    break
                toks.append(Tok(NUM, float(m.group("d")), m.end(), m.group("d")))
            else:
                word = m.group("w").lower()
                tok = self.classes.get(word)
                if tok is None and toks and word in self.scale_plurals:  # "five hundreds"
                    tok = Tok(SCALE, self.scale_plurals[word], 0, word)
                if tok is None:
                    break
                toks.append(Tok(tok.kind, tok.value, m.end(), word, tok.plural))
            pos = m.end()
        return toks

    # ------------------------------------------------------------------ integers

    def integer(self, toks: list[Tok], i: int, n: int | None = None) -> _Int | None:
        """The longest well-formed whole number in ``toks[i:n]``."""
        n = len(toks) if n is None else n
        total, cur, hundreds, big = 0.0, None, 0.0, float("inf")
        slots: set[str] = set()
        best: _Int | None = None
        before_and: _Int | None = None  # "3 hundred and 2 hundred": two numbers, cut at the "and"
        tail = 1.0
        j = i
        while j < n:
            t = toks[j]
            if t.kind in NUMBERS:
                if not _fits(t, slots, cur, toks[j - 1] if j > i else None):
                    break
                cur = (cur or 0.0) + t.value
                slots |= {"u"} if t.kind == UNIT else {"t"} if t.kind == TENS else {"t", "u"}
                tail = 1.0
            elif t.kind == SCALE:
                start = cur is None and (j == i or toks[j - 1].kind == ART)
                if cur is None and not start and not (total and t.value > big):
                    break
                if cur is None and j == i and not (j + 1 < n and toks[j + 1].kind == SCALE):
                    break  # a bare "hundred" starts a number only in "hundred thousand"
                alone = total == 0 or cur is None  # the scale multiplies the whole number so far
                if t.value == 100:
                    if "h" in slots:
                        return before_and or best
                    cur, hundreds, slots = (cur or 1.0) * 100, (cur or 1.0) * 100, {"h"}
                elif cur is None and total and t.value > big:
                    total *= t.value  # "three lakh crore"
                    big = t.value
                else:
                    if t.value >= big:
                        break
                    total += (cur or 1.0) * t.value
                    cur, hundreds, slots, big = None, 0.0, set(), t.value
                tail = tail * t.value if alone else 1.0
            elif t.kind == DOZEN:
                if cur is None and not (j == i or toks[j - 1].kind == ART):
                    break
                small = (cur or 1.0) - hundreds if cur is not None and cur > hundreds else (cur or 1.0)
                cur = (hundreds if cur is not None and cur > hundreds else 0.0) + small * t.value
                slots, tail = {"h", "t", "u"}, 1.0
            elif t.kind == AND and j > i and toks[j - 1].kind == SCALE and j + 1 < n and \
                    toks[j + 1].kind in NUMBERS:
                before_and = best
                j += 1
                continue
            elif t.kind == ART and j == i and j + 1 < n and toks[j + 1].kind in (SCALE, DOZEN):
                j += 1
                continue
            else:
                break
            j += 1
            best = _Int(total + (cur or 0.0), j, tail)
        return best

    # ------------------------------------------------------------------ phrases

    def read(self, text: str, pos: int, first: Tok | None = None, fractions: bool = True) -> Spelled | None:
        """The number that starts at ``pos`` (or with the digit token ``first``), or None.

        With ``fractions`` off an ordinal ends the number (``a third term``, ``one third-party``)."""
        toks = self.tokens(text, pos, first)
        if not toks:
            return None
        k = next((x for x, t in enumerate(toks) if t.kind == FRAC), None)
        frac = self._fraction(toks, k) if k is not None and fractions else None
        if frac is not None:
            return frac
        whole = self.integer(toks, 0)
        if whole is None:
            return None
        j = whole.j
        if j + 1 < len(toks) and toks[j].kind == POINT and toks[j + 1].kind in (UNIT, TEEN, TENS):
            digits, j = _decimals(toks, j + 1)
            value = whole.value + float("0." + digits)
            return Spelled(value, toks[j - 1].end, value, 1.0, True, j)
        return Spelled(whole.value, toks[j - 1].end, whole.value / whole.tail, whole.tail, False, j)

    def _fraction(self, toks: list[Tok], k: int) -> Spelled | None:
        """``toks[k]`` is an ordinal or half/quarter: the fraction it ends, if the words make one."""
        f, region = toks[k], toks[:k]
        if any(t.kind == NUM for t in region[:1]) and not (len(region) > 1 and region[-2].kind == AND):
            return None  # "100 millionths": a digit numerator makes no fraction
        den = f.value
        if f.word.startswith(("first", "second")) and not (region and region[-1].kind == TENS):
            return None  # "a second", "the first": ordinals, never denominators
        if len(region) >= 2 and region[-1].kind in (UNIT, ART) and region[-2].kind == AND:
            whole = self.integer(region, 0, len(region) - 2)
            if whole is None or whole.j != len(region) - 2:
                return None
            part = region[-1].value / den
            return self._scaled(toks, k, whole.value, part, whole.tail)
        if den in SCALE_ORDINALS:
            num = self._numerator(region)
            if num is None or (not f.plural and num > 1):
                return None  # "two millionth": an ordinal
            return self._scaled(toks, k, 0.0, num / den, 1.0)
        if den < 10 and len(region) >= 2 and region[-1].kind == TENS and region[-2].kind != AND:
            den += region[-1].value  # "one twenty-fifth", "one hundred thirty fifths"
            region = region[:-1]
        elif den < 10 and region and region[-1].kind == TENS and f.word.startswith(("first", "second")):
            return None
        whole = self.integer(region, 0) if region and region[0].kind != ART else None
        if whole is not None and whole.j < len(region):  # "one one hundred fifth": 1/105
            rest_end = len(region) - (region[-1].kind == AND)
            rest = self.integer(region, whole.j, rest_end)
            if rest is None or rest.j != rest_end:
                return None
            den += rest.value
        num = whole.value if whole is not None else self._numerator(region)
        if num is None:
            return None
        return self._scaled(toks, k, 0.0, num / den, 1.0)

    def _numerator(self, region: list[Tok]) -> float | None:
        if not region or (len(region) == 1 and region[0].kind == ART):
            return 1.0
        whole = self.integer(region, 0)
        return whole.value if whole is not None and whole.j == len(region) else None

    def _scaled(self, toks: list[Tok], k: int, whole: float, part: float, tail: float) -> Spelled:
        """Add a fraction to its whole; a scale after it (``half million``) or the whole's own scale
        (``two million and a half``) multiplies the fraction."""
        j = k + 1
        if j + 1 < len(toks) and toks[j].kind == ART and toks[j + 1].kind in (SCALE, DOZEN):
            j += 1  # "half a million", "half a dozen"
        after = toks[j] if j < len(toks) else None
        scaled = after is not None and after.kind in (SCALE, DOZEN) and after.value >= 12
        scale = after.value if scaled else None
        if scale is not None:
            value = whole + part * scale if whole >= scale else (whole + part) * scale
            return Spelled(value, toks[j].end, value / scale, scale, True, j + 1, toks[k].word)
        value = whole + part * (tail if tail >= 1000 else 1.0)
        return Spelled(value, toks[k].end, value, 1.0, True, k + 1, toks[k].word)


def _fits(t: Tok, slots: set[str], cur: float | None, prev: Tok | None) -> bool:
    """Can this number word join the current group (``fifty two``, not ``twenty twenty``)?"""
    if t.kind == NUM:  # "4 thousand 3 hundred and 21": digits start a group or fill its tens
        free = cur is None or (t.value < 100 and not slots & {"t", "u"} and float(t.value).is_integer())
        return free and (prev is None or prev.kind in (SCALE, AND))
    if t.kind == UNIT:
        return "u" not in slots
    return not slots & {"t", "u"}


def _decimals(toks: list[Tok], j: int) -> tuple[str, int]:
    """The digits after ``point``: ``zero three`` -> "03", ``seventy-one`` -> "71"."""
    digits = ""
    while j < len(toks) and toks[j].kind in (UNIT, TEEN, TENS):
        t = toks[j]
        if t.kind == TENS and j + 1 < len(toks) and toks[j + 1].kind == UNIT:
            digits += str(int(t.value + toks[j + 1].value))
            j += 2
            continue
        digits += str(int(t.value))
        j += 1
    return digits, j
