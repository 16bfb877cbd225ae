"""The base model's ``attribute_ruler`` patterns, compiled to plain per-token tests.

spaCy's ``AttributeRuler`` runs a ``Matcher`` with every one of its patterns (179 in
``en_core_web_sm``: the tag map, the morph rules and a few dozen exceptions) over every
token, which costs more than the parser. Nearly all of those patterns look at one token
only, and what they look at (its text, lowercase form, lexical flags, tag and dependency
label) is fixed by the triple (ORTH, TAG, DEP). So what the ruler does to a token is a
function of that triple, plus the few multi-token patterns (``gon na``, ``let 's``,
``there is``), which are checked only where their first token could start them.

This module turns the ruler's own patterns into those tests, with the ``Matcher``'s
semantics (a pattern's attributes are applied in pattern order, so later patterns win;
every pattern is matched against the document as it was before any of them applied).
A pattern it cannot reproduce exactly (operators, extension or non-lexical attributes,
attributes that change lexemes) raises ``Unsupported`` and the caller keeps spaCy's own
components.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spacy.attrs import DEP, IDS, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Token

# What a pattern may test: attributes fixed by (ORTH, TAG, DEP), read as the Matcher reads them.
_STRING_ATTRS: dict[str, Callable[[Token], str]] = {
    "ORTH": lambda t: t.text,
    "TEXT": lambda t: t.text,
    "LOWER": lambda t: t.lower_,
    "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_,
}
# What a pattern may set: token attributes only (the ruler also writes lexical ones onto
# the lexeme, which a per-token table would not reproduce).
SETTABLE = {POS: "POS", TAG: "TAG", DEP: "DEP", MORPH: "MORPH", LEMMA: "LEMMA"}

Values = dict[str, Any]  # a token's attribute values, read once: {"LOWER": "said", "TAG": "VBD", ...}
Check = Callable[[Values], bool]
_ANY = ""  # index key of a test that does not pin the tag or the lowercase form
NO_POSITIONS: frozenset[tuple[int, int]] = frozenset()  # shared: most rows pass no sequence test


class Unsupported(ValueError):
    """A ruler pattern this compiler cannot reproduce exactly."""


@dataclass(frozen=True)
class Sequence:
    """A multi-token pattern: one test per position, and the position whose attributes it sets."""

    pattern: int
    length: int
    target: int


@dataclass(frozen=True)
class TokenTest:
    """One position of one pattern: the whole test, and the tags / lowercase forms it allows."""

    check: Check
    tags: frozenset[str] | None  # None: any tag
    lowers: frozenset[str] | None  # None: any lowercase form
    dep: Callable[[str], bool] | None  # its test of the dependency label, if any
    keys: frozenset[str]  # the attributes it reads
    parts: tuple[tuple[str, Callable[[Any], bool]], ...]  # one test per attribute; ``check`` is all of them


class CompiledRuler:
    """Every ruler pattern as token tests, indexed by the tag and lowercase form they need.

    A test belongs to a one-token pattern (``("one", pattern)``) or to a position of a
    multi-token one (``("seq", sequence, position)``); looking a token up finds only the
    tests that could pass, which are then run in full.
    """

    def __init__(self, attrs: list[dict[int, int]], tests: list[tuple[tuple, TokenTest]],
                 sequences: list[Sequence]) -> None:
        self.attrs = tuple(attrs)
        self.sequences = tuple(sequences)
        self.dep_tests = tuple(test.dep for _, test in tests if test.dep is not None)
        keys = {"TAG", "LOWER"}.union(*(test.keys for _, test in tests))
        self._readers = tuple((key, _reader(key)) for key in sorted(keys))
        self._index: dict[tuple[str, str], list[tuple[tuple, Check]]] = {}
        self._dep_index: dict[str, list[Callable[[str], bool]]] = {}  # tag -> dep tests, lower unpinned
        for owner, test in tests:
            for tag in test.tags or (_ANY,):
                for lower in test.lowers or (_ANY,):
                    self._index.setdefault((tag, lower), []).append((owner, test.check))
                if test.lowers is None and test.dep is not None:
                    self._dep_index.setdefault(tag, []).append(test.dep)
        self.pinned_lowers = frozenset(lower for _, lower in self._index if lower != _ANY)
        # The unpinned tests' parts that read neither the tag nor the label (``signature``).
        unpinned = [test for _, test in tests if test.lowers is None]
        self._parts = tuple(part for test in unpinned for part in test.parts if part[0] not in ("TAG", "DEP"))
        self._part_readers = tuple((key, _reader(key)) for key in sorted({key for key, _ in self._parts}))
        self._applied: dict[tuple[int, ...], dict[int, int]] = {}

    def passed(self, token: Token) -> tuple[tuple[int, ...], frozenset[tuple[int, int]]]:
        """The one-token patterns matching ``token`` and the (sequence, position) tests it passes."""
        values = {key: read(token) for key, read in self._readers}
        tag, lower = values["TAG"], values["LOWER"]
        patterns: set[int] = set()
        positions: set[tuple[int, int]] = set()
        for bucket in ((tag, lower), (tag, _ANY), (_ANY, lower), (_ANY, _ANY)):
            for owner, check in self._index.get(bucket, ()):
                if check(values):
                    if owner[0] == "one":
                        patterns.add(owner[1])
                    else:
                        positions.add(owner[1:])
        return tuple(sorted(patterns)), frozenset(positions) if positions else NO_POSITIONS

    def signature(self, token: Token) -> tuple[bool, ...] | None:
        """What the token's other attributes say to the tests that can match it, when no
        pattern names its lowercase form (else None). The tag, the ``unpinned_dep_class``
        and this decide every such test, so they decide ``passed`` (callers memoize it)."""
        if token.lower_ in self.pinned_lowers:
            return None
        values = {key: read(token) for key, read in self._part_readers}
        return tuple(test(values[key]) for key, test in self._parts)

    def dep_class(self, dep: str) -> tuple[bool, ...]:
        """What every pattern's test of the dependency label says about ``dep``: two labels
        of one class match the same patterns, so the table keys on the class, not the label."""
        return tuple(test(dep) for test in self.dep_tests)

    def unpinned_dep_class(self, tag: str, dep: str) -> tuple[bool, ...]:
        """``dep_class`` for a token whose lowercase form no pattern names (nearly all of
        them): only the tests of patterns that can match its tag at all count, so a word
        seen as subject, object and conjunct needs one row, not three."""
        tests = self._dep_index.get(tag, []) + self._dep_index.get(_ANY, [])
        return tuple(test(dep) for test in tests)

    def apply(self, patterns: tuple[int, ...]) -> dict[int, int]:
        """The attributes the matched ``patterns`` set, later patterns overriding earlier ones."""
        out = self._applied.get(patterns)
        if out is None:
            out = {}
            for i in sorted(patterns):
                out.update(self.attrs[i])
            self._applied[patterns] = out  # few distinct sets: bounded
        return out


def compile_ruler(ruler: AttributeRuler) -> CompiledRuler:
    """Compile ``ruler``'s patterns (raises ``Unsupported`` for any it cannot reproduce)."""
    attrs: list[dict[int, int]] = []
    tests: list[tuple[tuple, TokenTest]] = []
    sequences: list[Sequence] = []
    for i, entry in enumerate(ruler.patterns):
        normed = ruler.attrs[i]
        if set(normed) - set(SETTABLE):
            raise Unsupported(f"pattern {i} sets {sorted(normed)}")
        attrs.append(dict(normed))
        for alternative in entry["patterns"]:
            position_tests = [_token_test(spec) for spec in alternative]
            if len(position_tests) == 1 and entry["index"] in (0, -1):
                tests.append((("one", i), position_tests[0]))
                continue
            s, length = len(sequences), len(position_tests)
            sequences.append(Sequence(i, length, _target(entry["index"], length, i)))
            tests.extend((("seq", s, k), test) for k, test in enumerate(position_tests))
    return CompiledRuler(attrs, tests, sequences)


def _target(index: int, length: int, pattern: int) -> int:
    if not -length <= index < length:
        raise Unsupported(f"pattern {pattern}: index {index} outside its {length} tokens")
    return index % length


def _token_test(spec: dict[str, Any]) -> TokenTest:
    """One pattern position as a test of one token (all its keys must hold)."""
    if not isinstance(spec, dict) or not spec:
        raise Unsupported(f"token spec {spec!r}")
    keyed = {str(key).upper(): value for key, value in spec.items()}
    tests = [(key, _attr_test(key, value)) for key, value in keyed.items()]
    check = _all_of(tests)
    dep = _value_test("DEP", keyed["DEP"], str) if "DEP" in keyed else None
    lowers = _allowed(keyed.get("LOWER"))
    for name in ("ORTH", "TEXT"):
        allowed = _allowed(keyed.get(name))
        if allowed is not None:
            allowed = frozenset(v.lower() for v in allowed)
            lowers = allowed if lowers is None else lowers & allowed
    return TokenTest(check, _allowed(keyed.get("TAG")), lowers, dep, frozenset(keyed), tuple(tests))


def _all_of(tests: list[tuple[str, Callable[[Any], bool]]]) -> Check:
    if len(tests) == 1:
        (key, test), = tests
        return lambda values: test(values[key])
    return lambda values: all(test(values[key]) for key, test in tests)


def _allowed(value: Any) -> frozenset[str] | None:
    """The values a literal or ``IN`` test allows (None when it does not pin them)."""
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(value["IN"])
    return None


def _attr_test(key: str, value: Any) -> Callable[[Any], bool]:
    if key in _STRING_ATTRS:
        return _value_test(key, value, str)
    if lexical_flag(key) is not None:
        return _value_test(key, value, _as_flag)
    raise Unsupported(f"attribute {key}")


def _reader(key: str) -> Callable[[Token], Any]:
    """How the Matcher reads ``key`` off a token: a string, or a lexical flag as 0/1."""
    if key in _STRING_ATTRS:
        return _STRING_ATTRS[key]
    flag = lexical_flag(key)
    assert flag is not None  # _attr_test rejected anything else
    return lambda token: int(token.check_flag(flag))


def lexical_flag(key: str) -> int | None:
    """The flag bit of a lexical boolean attribute (``IS_SPACE``, ``LIKE_NUM``...), else None."""
    flag = IDS.get(key)
    if key.startswith(("IS_", "LIKE_")) and flag is not None and 0 < flag < 64:
        return flag
    return None


def _as_flag(value: Any) -> int:
    if not isinstance(value, bool | int):
        raise Unsupported(f"flag value {value!r}")
    return int(value)


def _value_test(key: str, value: Any, kind: Callable[[Any], Any]) -> Callable[[Any], bool]:
    """The Matcher's comparisons of one attribute's value: a literal, ``IN``, ``NOT_IN`` or
    ``REGEX`` (``re.search``)."""
    if not isinstance(value, dict):
        if kind is str and not isinstance(value, str):
            raise Unsupported(f"{key} value {value!r}")
        wanted = kind(value)
        return lambda got: got == wanted
    if len(value) != 1:
        raise Unsupported(f"{key} predicate {value!r}")
    (op, arg), = value.items()
    if op in ("IN", "NOT_IN"):
        if kind is str and not all(isinstance(v, str) for v in arg):
            raise Unsupported(f"{key} {op} {arg!r}")
        members = frozenset(kind(v) for v in arg)
        if op == "IN":
            return lambda got: got in members
        return lambda got: got not in members
    if op == "REGEX" and kind is str:
        regex = re.compile(arg)
        return lambda got: regex.search(got) is not None
    raise Unsupported(f"{key} predicate {op}")
