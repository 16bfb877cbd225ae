"""Per-document plain arrays and the organisation evidence of ``newsmine_entities``.

``Arrays`` takes what the entity rules read from a Doc once, with ``doc.to_array``
(token texts, POS, dependency labels, heads, lemmas, offsets, the model's entities),
so the rules index Python lists instead of creating a Token or Span per look-up.

``OrgEvidence`` finds single words an article shows to be organisations, from the
lists in ``models/entities/org_evidence.json`` (org nouns, corporate suffixes,
modifier prefixes). See ``OrgEvidence.org_keys`` for the kinds of evidence.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import StringStore
from spacy.tokens import Doc

from newsmine.nlp.entities.names import fold

# A wire dateline opening an article: "DENVER (AP) —", "LONDON, March 3 (Reuters) -",
# "KYIV, Ukraine --": an all-caps place at a line start, then a wire credit or a dash
DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Z.'\-]*[A-Z.](?:[ \t]+[A-Z][A-Z.'\-]*[A-Z.]){0,3})"
    r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t]+[\w.]+){0,2})?[ \t]*"
    r"(?:(?P<wire>\([A-Za-z .&-]{2,30}\))[ \t]*(?:[\u2014\u2013:-]{1,2})?|[\u2014\u2013]|-{1,2})[ \t]"
)
DATELINE_WINDOW = 600  # characters: the dateline follows at most a headline and a byline

PROPN_ID = POS_IDS["PROPN"]
ADJ_ID = POS_IDS["ADJ"]
VERBAL = frozenset({POS_IDS["VERB"], POS_IDS["AUX"]})
ENT_B, ENT_I = 3, 1  # ENT_IOB codes


def dateline(text: str) -> tuple[int, int] | None:
    """Character offsets of the place of a wire dateline near the start of ``text``, if any."""
    m = DATELINE.search(text, 0, DATELINE_WINDOW)
    if m is None or (not m.group("wire") and sum(c.isalpha() for c in m.group("place")) < 4):
        return None  # "UK - ...", "BBC - ...": a short acronym needs the wire credit to be a dateline
    return m.start("place"), m.end("place")


_STRINGS: dict[int, str] = {}  # string hash -> text, shared by all docs (hashes are vocab-independent)
_STRINGS_MAX = 1_000_000


def _texts(strings: StringStore, hashes: list[int]) -> list[str]:
    """``[strings[h] for h in hashes]`` through a plain dict, a fraction of the cost."""
    cache = _STRINGS
    try:
        return list(map(cache.__getitem__, hashes))
    except KeyError:
        if len(cache) > _STRINGS_MAX:
            cache.clear()
        for h in hashes:
            if h not in cache:
                cache[h] = strings[h]
        return list(map(cache.__getitem__, hashes))


@lru_cache(maxsize=65536)
def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


@lru_cache(maxsize=65536)
def _cap_key(text: str) -> tuple[str, bool] | None:
    """(folded text, capitalised?) of a text starting with a capital or a digit, else None."""
    first = text[:1]
    if first.isupper():
        return fold(text), True
    if first.isdigit():
        return fold(text), False
    return None


class Arrays:
    """Plain per-token lists of one Doc (see module doc)."""

    def __init__(self, doc: Doc, attrs: list[int]) -> None:
        arr = doc.to_array(attrs)  # uint64; HEAD is a signed offset
        # column by column: ``arr.T.tolist()`` walks the strided transpose, a third slower
        orth, lower, pos, dep, _, lemma, idx, iob, ent_type, punct, space = [
            arr[:, c].tolist() for c in range(arr.shape[1])
        ]
        strings = doc.vocab.strings
        self.strings = strings
        n = self.n = len(orth)
        self.text: list[str] = _texts(strings, orth)
        # doc.text would join a Token per word; the arrays give it for a fraction
        self.doc_text = "".join([t + " " if sp else t for t, sp in zip(self.text, space, strict=True)])
        self.lower: list[str] = _texts(strings, lower)
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
            caps = {}
            for t in set(self.text):
                hit = _cap_key(t)
                if hit is not None:
                    caps[t] = hit
            self._caps = caps
        return self._caps

    def positions(self, texts: set[str]) -> list[int]:
        """Indices of the tokens whose text is in ``texts``, in order."""
        return [i for i, t in enumerate(self.text) if t in texts] if texts else []

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


@dataclass
class OrgEvidence:
    """Which single words an article shows to be organisations (see ``org_keys``)."""

    strings: StringStore
    org_nouns: frozenset[str]
    suffixes: frozenset[str]
    prefixes: tuple[str, ...]
    roles: frozenset[str]
    known_orgs: frozenset[str] = frozenset()  # folded gazetteer organisations ("google")
    work_nouns: frozenset[str] = frozenset()
    work_heads: frozenset[str] = frozenset()
    work_verbs: frozenset[str] = frozenset()

    @classmethod
    def from_dir(cls, strings: StringStore, folder: Path, roles: Iterable[str]) -> "OrgEvidence":
        path = folder / "org_evidence.json"
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return cls(
            strings=strings,
            org_nouns=frozenset(w.lower() for w in data.get("org_nouns", [])),
            suffixes=frozenset(w.lower().rstrip(".") for w in data.get("suffixes", [])),
            prefixes=tuple(w.lower() for w in data.get("modifier_prefixes", [])),
            roles=frozenset(roles),
            work_nouns=frozenset(w.lower() for w in data.get("work_nouns", [])),
            work_heads=frozenset(w.lower() for w in data.get("work_heads", [])),
            work_verbs=frozenset(w.lower() for w in data.get("work_verbs", [])),
        )

    def prefixed(self, text: str) -> bool:
        """Is ``text`` a lower-case modifier prefix ("ex-" of "ex-Yukos", "pro-" of "pro-Trump")?"""
        return text in self.prefixes

    def org_span(self, a: Arrays, start: int, end: int) -> bool:
        """Does the span's shape say organisation: a digit (G8, 3M) or a suffix (Acme Corp, BP plc)?"""
        return any(map(_has_digit, a.text[start:end])) or (
            end - start > 1 and a.lower[end - 1].rstrip(".") in self.suffixes
        )

    def work_span(self, a: Arrays, start: int, end: int) -> bool:
        """Is the name a work's title: "the pantomime Dick Whittington", "a production of
        Nicholas Nickleby", "starring in X", "1947's Nicholas Nickleby"?"""
        s = self.strings
        root = a.root(start, end)
        head, dep = a.head[root], s[a.dep[root]]
        before = start - 1
        work_before = before >= 0 and a.text[before].islower() and self._work_noun(a, before)
        if work_before and (a.head[before] == root or head == before):
            return True
        if dep == "appos" and a.text[head].islower() and self._work_noun(a, head):
            return True
        if dep == "pobj" and head != root:
            governor = a.lemma_str(a.head[head]).lower()
            if a.lower[head] == "of" and governor in self.work_heads:
                return True
            if a.lower[head] == "in" and governor in self.work_verbs:
                return True
        return any(
            s[a.dep[k]] == "poss" and a.text[k].isdigit() and len(a.text[k]) == 4 for k in a.children(root)
        )

    def _work_noun(self, a: Arrays, i: int) -> bool:
        return a.lemma_str(i).lower() in self.work_nouns

    def org_keys(self, a: Arrays, cands: list, votes: dict, strong: set[str]) -> set[str]:
        """Folded single words with organisation evidence and no ``strong`` person evidence.

        Strong evidence (2 points, enough alone): a digit (G8); an all-caps acronym (TUC);
        an apposition, predicate or compound with an org noun ("Streamly, the music
        company", "Yukos is a firm", "the Yukos unit"); "the" or "a/an" or a lower-case
        adjective on the word itself ("the G8", "an average American Joe"); an acronym in
        brackets after an organisation ("... Clearing Services (Apacs)"). Weak evidence
        (1 point): a compound with a role noun ("Apacs spokeswoman"), "the" on the noun the
        word modifies ("the Apacs report"), "its" in the clause the word is subject of.
        """
        words = {k for k in votes if " " not in k and k not in strong}
        if not words:
            return set()
        spans = [(c.start, c.end) for c in cands if c.end - c.start > 1 and c.label != "PERSON"]
        score: dict[str, int] = {}
        wanted = {t for t, (key, _) in a.cap_keys().items() if key in words}
        for i in a.positions(wanted):
            key = fold(a.text[i])
            score[key] = score.get(key, 0) + self._points(a, i, spans)
        return {k for k, n in score.items() if n >= 2}

    def _points(self, a: Arrays, i: int, org_spans: list[tuple[int, int]]) -> int:
        text, s = a.text[i], self.strings
        if any(ch.isdigit() for ch in text) or (text.isupper() and text.isalpha() and 2 <= len(text) <= 5):
            return 2
        head = a.head[i]
        dep = s[a.dep[i]]
        head_lemma = a.lemma_str(head).lower() if head != i else ""
        if dep in ("appos", "compound", "nmod") and head_lemma in self.org_nouns:
            return 2
        points = 0
        if dep == "conj" and fold(a.text[head]) in self.known_orgs:
            return 2  # "Google and Yahoo": coordinated with a known organisation
        for k in a.children(i):
            kdep, klow = s[a.dep[k]], a.lower[k]
            if kdep == "appos" and a.lemma_str(k).lower() in self.org_nouns:
                return 2
            if kdep == "appos" and klow == "one" and self._one_of_orgs(a, k):
                return 2  # "Yahoo, one of the net's most iconic companies"
            if kdep == "conj" and fold(a.text[k]) in self.known_orgs:
                return 2
            if kdep == "det" and k < i and klow in ("the", "a", "an"):
                return 2
            if kdep == "amod" and k < i and a.text[k].islower() and a.pos[k] == ADJ_ID:
                return 2
        attrs = a.children(head) if dep == "nsubj" and a.lemma_str(head) == "be" else []
        if any(s[a.dep[k]] == "attr" and a.lemma_str(k).lower() in self.org_nouns for k in attrs):
            return 2  # "Streamly is a music company"
        bracketed = 0 < i < a.n - 1 and a.text[i - 1] == "(" and a.text[i + 1] == ")"
        if bracketed and any(start < i - 1 <= end for start, end in org_spans):
            return 2
        if dep == "compound" and head_lemma in self.roles:
            points += 1
        if dep == "compound" and any(a.lower[k] == "the" and k < i for k in a.children(head)):
            points += 1
        if dep == "nsubj" and self._its_in_clause(a, head, i):
            points += 1
        return points

    def _one_of_orgs(self, a: Arrays, one: int) -> bool:
        """Is ``one`` the head of "one of the ... <org noun>s"?"""
        for prep in a.children(one):
            if a.lower[prep] == "of":
                return any(a.lemma_str(k).lower() in self.org_nouns for k in a.children(prep))
        return False

    @staticmethod
    def _its_in_clause(a: Arrays, verb: int, after: int) -> bool:
        """Is there an "its" after ``after`` whose nearest verb ancestor is ``verb``?"""
        for k in range(after + 1, min(a.n, after + 25)):
            if a.lower[k] != "its":
                continue
            j, steps = a.head[k], 0
            while a.pos[j] not in VERBAL and a.head[j] != j and steps < 10:
                j, steps = a.head[j], steps + 1
            if j == verb:
                return True
        return False
