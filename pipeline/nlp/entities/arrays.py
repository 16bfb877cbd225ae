"""Per-document plain arrays of a Doc, for the entity rules.

``Arrays`` takes what the entity rules read from a Doc once, with ``doc.to_array``
(token texts, POS, dependency labels, heads, lemmas, offsets, the model's entities),
so the rules index Python lists instead of creating a Token or Span per look-up.
"""

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import StringStore
from spacy.tokens import Doc

from newsmine.nlp.attrs import TEXT
from newsmine.nlp.entities.names import CACHE_SIZE, fold

PROPN_ID = POS_IDS["PROPN"]
ENT_B, ENT_I = 3, 1  # ENT_IOB codes
DEP_COLUMN = 3  # of the attrs (see ``Arrays.__init__``)


def memo(fn: Callable[[Any], Any], limit: int = CACHE_SIZE) -> Callable[[Any], Any]:
    """``fn`` behind a plain dict that is emptied when it reaches ``limit`` entries.

    Why not ``lru_cache``: a hit here is one dict look-up (an LRU hit also reorders its
    list). Emptied rather than evicting one entry: the frequent words come back within a
    few articles, and the dict stays at most ``limit`` entries (``names.CACHE_SIZE``)."""

    class Memo(dict):
        def __missing__(self, key: Any) -> Any:
            if len(self) >= limit:
                self.clear()
            value = self[key] = fn(key)
            return value

    return Memo().__getitem__


@lru_cache(maxsize=8)
def _text_of(strings: StringStore) -> Callable[[int], str]:
    """``strings[h]`` behind a cache: a hash's text never changes (hashes are of the text),
    so texts stay valid after a memory zone forgets them, at a fraction of the cost."""
    return memo(strings.__getitem__)


def _texts(strings: StringStore, hashes: list[int]) -> list[str]:
    """``[strings[h] for h in hashes]``, cached."""
    return list(map(_text_of(strings), hashes))


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


has_digit: Callable[[str], bool] = memo(_has_digit)
"""Does ``text`` hold a digit (cached: token texts repeat)?"""


def _cap_key(text: str) -> tuple[str, bool] | None:
    """(folded text, capitalised?) of a text starting with a capital or a digit, else None."""
    first = text[:1]
    if first.isupper():
        return fold(text), True
    if first.isdigit():
        return fold(text), False
    return None


_cap_of = memo(_cap_key)
_WS = ("", " ")  # a token's trailing whitespace by its SPACY flag


class Arrays:
    """Plain per-token lists of one Doc (see module doc)."""

    def __init__(self, doc: Doc, attrs: list[int]) -> None:
        arr = doc.to_array(attrs)  # uint64; HEAD is a signed offset
        # column by column: ``arr.T.tolist()`` walks the strided transpose, a third slower
        # ``attrs`` starts ORTH, LOWER, POS, DEP, HEAD, LEMMA, IDX, ENT_IOB, ENT_TYPE, IS_PUNCT,
        # SPACY (later columns are the caller's); LOWER and HEAD are not needed as lists
        orth, pos, dep, lemma, idx, iob, ent_type, punct, space = [
            arr[:, c].tolist() for c in (0, 2, 3, 5, 6, 7, 8, 9, 10)
        ]
        strings = doc.vocab.strings
        self.strings = strings
        n = self.n = len(orth)
        self.array = arr
        text = self.text = _texts(strings, orth)
        # doc.text would join a Token per word; the arrays give it for a fraction: each
        # text followed by its whitespace, interleaved in one list and joined once
        parts = [""] * (2 * n)
        parts[0::2] = text
        parts[1::2] = map(_WS.__getitem__, space)
        self.doc_text = "".join(parts)
        doc._.set(TEXT, self.doc_text)  # the later stages read it (``attrs.doc_text``)
        # spaCy's LOWER is ``str.lower`` of the text (``spacy.lang.lex_attrs.lower``):
        # lower-casing is cheaper than looking the LOWER hashes up
        self.lower: list[str] = list(map(str.lower, text))
        self.pos, self.dep, self.lemma, self.idx = pos, dep, lemma, idx
        heads = arr[:, 4].astype("int64") + numpy.arange(n, dtype="int64")
        self._heads = heads
        self.head: list[int] = heads.tolist()
        self.iob, self.ent_type = iob, ent_type
        self._iob = arr[:, 7]
        self.is_punct: list[int] = punct
        self.propn = numpy.flatnonzero(arr[:, 2] == PROPN_ID).tolist()
        self._kids: list[int] | None = None
        self._kid_at: list[int] = []
        self._depth: list[int] | None = None
        self._caps: dict[str, tuple[str, bool]] | None = None
        self.memo: dict = {}  # per-doc facts the rules derive once (see EntityNormaliser)

    def cap_keys(self) -> dict[str, tuple[str, bool]]:
        """Distinct token texts starting with a capital or a digit -> (folded, capitalised?)."""
        if self._caps is None:
            cap_of = _cap_of
            self._caps = {t: hit for t in set(self.text) if (hit := cap_of(t)) is not None}
        return self._caps

    def positions(self, texts: set[str]) -> list[int]:
        """Indices of the tokens whose text is in ``texts``, in order."""
        return [i for i, t in enumerate(self.text) if t in texts] if texts else []

    def with_dep(self, dep: int) -> list[int]:
        """Indices of the tokens with dependency label hash ``dep``, in order (one numpy scan)."""
        return numpy.flatnonzero(self.array[:, DEP_COLUMN] == numpy.uint64(dep)).tolist()

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text`` without making the Span."""
        return self.doc_text[self.idx[start] : self.idx[end - 1] + len(self.text[end - 1])]

    def lemma_str(self, i: int) -> str:
        return self.strings[self.lemma[i]]

    def ents(self) -> list[tuple[int, int, str]]:
        """The model's entities as ``(start, end, label)``."""
        out: list[list] = []
        iob, strings = self.iob, self.strings
        for i in numpy.flatnonzero((self._iob == ENT_B) | (self._iob == ENT_I)).tolist():
            code = iob[i]
            if code == ENT_B or (code == ENT_I and (not out or out[-1][1] != i)):
                out.append([i, i + 1, strings[self.ent_type[i]]])
            elif code == ENT_I:
                out[-1][1] = i + 1
        return [(s, e, lab) for s, e, lab in out]

    def children(self, i: int) -> list[int]:
        """Token ``i``'s children in order, from one stable sort of the heads."""
        if self._kids is None:
            heads = self._heads
            ks = numpy.arange(self.n, dtype="int64")
            mask = heads != ks
            hk, kk = heads[mask], ks[mask]
            order = numpy.argsort(hk, kind="stable")
            self._kids = kk[order].tolist()
            at = numpy.zeros(self.n + 1, dtype="int64")
            numpy.cumsum(numpy.bincount(hk, minlength=self.n), out=at[1:])
            self._kid_at = at.tolist()
        return self._kids[self._kid_at[i] : self._kid_at[i + 1]]

    def root(self, start: int, end: int) -> int:
        """``doc[start:end].root``: the token nearest the sentence root whose head is outside."""
        if self._depth is None:
            self._depth = self._depths()
        depth, head = self._depth, self.head
        best, root = self.n + 1, start
        for i in range(start, end):
            if start <= head[i] < end and head[i] != i:
                continue
            if depth[i] < best:
                best, root = depth[i], i
        return root

    def _depths(self) -> list[int]:
        """Every token's distance from its sentence root, by pointer jumping over the heads."""
        up = self._heads.copy()
        dist = (up != numpy.arange(self.n, dtype="int64")).astype("int64")
        for _ in range(64):
            nxt = up[up]
            if numpy.array_equal(nxt, up):
                break
            dist = dist + dist[up]
            up = nxt
        else:  # a cycle: the slow walk, capped as before
            return [self._walk(i) for i in range(self.n)]
        return dist.tolist()

    def _walk(self, i: int) -> int:
        depth, k = 0, i
        while self.head[k] != k and depth <= self.n:
            k, depth = self.head[k], depth + 1
        return depth
