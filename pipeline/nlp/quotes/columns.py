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
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LENGTH,
    LIKE_NUM,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    TAG,
)
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from newsmine.nlp.entities.names import CACHE_SIZE

_I = 1  # ENT_IOB of a token inside (not starting) an entity
_ATTRS = [ORTH, LOWER, POS, ENT_TYPE, IS_SPACE, LIKE_NUM, ENT_IOB, HEAD, IS_PUNCT, LEMMA, TAG, DEP, IDX,
          LENGTH, SENT_START]
COL = {attr: k for k, attr in enumerate(_ATTRS)}  # attribute -> its column in ``Columns.arr``
_STRING_COLUMNS = {"orth": ORTH, "lower": LOWER, "pos": POS, "ent": ENT_TYPE, "lemma": LEMMA, "tag": TAG,
                   "dep": DEP}
_FLAG_COLUMNS = {"space": IS_SPACE, "like_num": LIKE_NUM, "punct": IS_PUNCT}


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


_LOWERED: dict[int, str] = {}
_LOWERED_MAX = CACHE_SIZE  # entries, as every word cache (``entities.names``): a
# worker fills it within its first articles, so its memory does not grow with the run


def lowered(doc: Doc, key: int) -> str:
    """``doc.vocab.strings[key].lower()``, looked up once per string id (an id names the
    same string in every store, so the cache serves every doc): the rules compare
    lower-cased lemmas of many tokens."""
    text = _LOWERED.get(key)
    if text is None:
        if len(_LOWERED) >= _LOWERED_MAX:
            _LOWERED.clear()
        text = _LOWERED[key] = doc.vocab.strings[key].lower()
    return text


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
    (i, i + 1 outside entities), as ``mentions.entity_bounds`` defines it;
    ``sent_start[i]``/``sent_end[i]``: the sentence of token i, as ``Token.sent`` finds
    it (None without sentence boundaries: ``Token.sent`` raises then, see ``sent_bounds``).
    ``arr`` is the ``to_array`` matrix itself (columns ``COL``) for the vectorised readers:
    one ``to_array`` per doc serves every pass of the stage."""

    __slots__ = ("doc", "arr", "orth", "lower", "pos", "ent", "space", "like_num", "ent_start", "ent_end",
                 "head", "punct", "lemma", "tag", "dep", "sent_start", "sent_end", "_kids",
                 "_children")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        n = len(doc)
        self.arr = doc.to_array(_ATTRS) if n else numpy.zeros((0, len(_ATTRS)), dtype=numpy.uint64)
        self._kids: tuple[list[int], dict[int, list[int]]] | None = None
        self._children: tuple[list[int], list[int]] | None = None

    def __getattr__(self, name: str) -> list:
        """A column made into a list on first use: a list of string ids costs ~12 us per
        doc (every id is a 64-bit int object), and most docs need only some of them."""
        arr = self.arr
        if name in _STRING_COLUMNS:
            values = arr[:, COL[_STRING_COLUMNS[name]]].tolist()
        elif name in _FLAG_COLUMNS:
            values = arr[:, COL[_FLAG_COLUMNS[name]]].astype(bool).tolist()
        elif name == "head":  # HEAD: the offset to the head
            values = (numpy.arange(len(arr)) + arr[:, COL[HEAD]].astype(numpy.int64)).tolist()
        elif name in ("ent_start", "ent_end"):
            self.ent_start, self.ent_end = _entity_ranges(arr[:, COL[ENT_IOB]], arr[:, COL[ENT_TYPE]])
            return getattr(self, name)
        elif name in ("sent_start", "sent_end"):
            self.sent_start, self.sent_end = _sentences(self.doc, arr[:, COL[SENT_START]])
            return getattr(self, name)
        else:
            raise AttributeError(name)
        setattr(self, name, values)
        return values

    def children(self, i: int) -> list[int]:
        """The indices of token i's children in order (``Token.children``): a slice of
        the tokens sorted by head, sorted once per doc on first use."""
        if self._children is None:
            head = numpy.asarray(self.head, dtype=numpy.int64)
            order = numpy.argsort(head, kind="stable")  # by head, then by position
            bounds = numpy.searchsorted(head[order], numpy.arange(len(head) + 1))
            self._children = (order.tolist(), bounds.tolist())
        order, bounds = self._children
        return [c for c in order[bounds[i] : bounds[i + 1]] if c != i]

    def sent_bounds(self, tok: Token) -> tuple[int, int]:
        """``(tok.sent.start, tok.sent.end)`` without building the sentence Span (each
        ``Token.sent`` first scans the whole doc for sentence annotation)."""
        if self.sent_start is None:
            sent = tok.sent  # no boundaries: raises as ``Token.sent`` does
            return sent.start, sent.end
        return self.sent_start[tok.i], self.sent_end[tok.i]

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


def _runs(opens: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Per position: the last opener at or before it and the next opener after it (the
    length at the end); ``opens[0]`` must be set."""
    n = len(opens)
    at = numpy.arange(n)
    start = numpy.maximum.accumulate(numpy.where(opens, at, 0))
    after = numpy.where(opens, at, n)
    end = numpy.append(numpy.minimum.accumulate(after[::-1])[::-1][1:], n)  # the next opener after i
    return start, end


def _sentences(doc: Doc, flags: numpy.ndarray) -> tuple[list[int] | None, list[int] | None]:
    """Per token: its sentence's start and end, found as ``Span.sent`` does (back to the
    last ``sent_start == 1``, on to the next); None, None where ``Token.sent`` would not
    read the flags (sentence hooks) or would raise (no sentence annotation)."""
    hooked = "sent" in doc.user_token_hooks or "sent" in doc.user_span_hooks or "sents" in doc.user_hooks
    if not len(flags) or hooked or (len(flags) > 1 and not (flags[1:] != 0).any()):
        return None, None
    starts = flags == 1
    starts[0] = True
    start, end = _runs(starts)
    return start.tolist(), end.tolist()


def _entity_ranges(iob: numpy.ndarray, ent: numpy.ndarray) -> tuple[list[int], list[int]]:
    """Per token: start and end of the run of ``I`` tokens around it, for tokens with an
    entity type (a run starts at a token that is not ``I``, or at token 0)."""
    n = len(iob)
    if not n:
        return [], []
    opens = iob != _I
    opens[0] = True
    start, end = _runs(opens)
    at = numpy.arange(n)
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
