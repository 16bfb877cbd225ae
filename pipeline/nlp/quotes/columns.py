"""Per-doc token columns for the quote stage, read once from ``doc.to_array``.

Why: the stage's rules look at a few attributes of many tokens (is it in an entity, its
text, its part of speech), and every ``doc[i]`` makes a new Token object: 1.8 million of
them on 2,225 BBC articles, a large part of the stage's time. ``Columns`` holds the
columns as lists of ints (string ids: compare them with ``ids(words)`` or ``sid(word)``)
and the token range of the entity holding each token.

They are built once per doc while ``bound(doc)`` is active (the component's ``extract``);
outside it ``of(doc)`` builds them afresh on each call, so a direct call (a test) never
reads the columns of another doc, or of a doc changed since.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, HEAD, IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER, ORTH, POS
from spacy.strings import get_string_id
from spacy.tokens import Doc

_I = 1  # ENT_IOB of a token inside (not starting) an entity


def sid(word: str) -> int:
    """The string id of ``word`` (the same in every string store)."""
    return get_string_id(word)


@lru_cache(maxsize=64)
def ids(words: frozenset[str]) -> frozenset[int]:
    """The string ids of a word set, computed once per set."""
    return frozenset(get_string_id(w) for w in words)


@lru_cache(maxsize=64)
def sorted_ids(words: frozenset[str]) -> numpy.ndarray:
    """The string ids of a word set as a sorted array (for ``isin``)."""
    return numpy.array(sorted(ids(words)), dtype=numpy.uint64)


def isin(values: numpy.ndarray, hashes: numpy.ndarray) -> numpy.ndarray:
    """``numpy.isin`` for a sorted ``hashes``: a binary search (``numpy.isin`` sorts both
    sides on every call, ~1 ms a doc)."""
    if not len(hashes):
        return numpy.zeros(len(values), dtype=bool)
    at = numpy.minimum(numpy.searchsorted(hashes, values), len(hashes) - 1)
    return hashes[at] == values


class Columns:
    """Token attributes of one doc as lists (string ids for the string attributes);
    ``ent_start[i]``/``ent_end[i]``: the token range of the entity holding token i
    (i, i + 1 outside entities), as ``mentions.entity_bounds`` defines it."""

    __slots__ = ("doc", "orth", "lower", "pos", "ent", "space", "like_num", "ent_start", "ent_end", "head",
                 "punct", "_kids")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        n = len(doc)
        arr = doc.to_array([ORTH, LOWER, POS, ENT_TYPE, IS_SPACE, LIKE_NUM, ENT_IOB, HEAD, IS_PUNCT]) if n \
            else numpy.zeros((0, 9), dtype=numpy.uint64)
        self.orth, self.lower, self.pos, self.ent = (arr[:, k].tolist() for k in range(4))
        self.space, self.like_num = arr[:, 4].astype(bool).tolist(), arr[:, 5].astype(bool).tolist()
        self.ent_start, self.ent_end = _entity_ranges(arr[:, 6], arr[:, 3])
        self.head = (numpy.arange(n) + arr[:, 7].astype(numpy.int64)).tolist()  # HEAD: offset to the head
        self.punct = arr[:, 8].astype(bool).tolist()
        self._kids: tuple[list[int], dict[int, list[int]]] | None = None

    def children_outside(self, inside: list[int]) -> dict[int, list[int]]:
        """Token -> its children outside every quote (``inside[c] < 0``), in order, for
        the tokens inside a quote (``inside[i] >= 0``) that have such children; found
        once per doc (every quote asks)."""
        if self._kids is not None and self._kids[0] is inside:
            return self._kids[1]
        head = numpy.asarray(self.head, dtype=numpy.int64)
        quoted = numpy.asarray(inside, dtype=numpy.int64) >= 0
        kids: dict[int, list[int]] = {}
        if not len(head):
            return kids
        for c in numpy.flatnonzero(~quoted & quoted[head]).tolist():
            kids.setdefault(self.head[c], []).append(c)
        self._kids = (inside, kids)
        return kids


def _entity_ranges(iob: numpy.ndarray, ent: numpy.ndarray) -> tuple[list[int], list[int]]:
    """Per token: start and end of the run of ``I`` tokens around it, for tokens with an
    entity type (a run starts at a token that is not ``I``, or at token 0)."""
    n = len(iob)
    if not n:
        return [], []
    at = numpy.arange(n)
    opens = iob != _I
    opens[0] = True
    start = numpy.maximum.accumulate(numpy.where(opens, at, 0))
    after = numpy.where(opens, at, n)
    end = numpy.append(numpy.minimum.accumulate(after[::-1])[::-1][1:], n)  # the next opener after i
    plain = ent == 0
    start, end = numpy.where(plain, at, start), numpy.where(plain, at + 1, end)
    return start.tolist(), end.tolist()


_BOUND: ContextVar[Columns | None] = ContextVar("newsmine_quote_columns", default=None)


@contextmanager
def bound(doc: Doc) -> Iterator[Columns]:
    """Build the columns of ``doc`` once and let ``of(doc)`` return them inside the block."""
    token = _BOUND.set(Columns(doc))
    try:
        yield _BOUND.get()
    finally:
        _BOUND.reset(token)


def of(doc: Doc) -> Columns:
    """The columns of ``doc``: the bound ones, else built now."""
    cols = _BOUND.get()
    return cols if cols is not None and cols.doc is doc else Columns(doc)
