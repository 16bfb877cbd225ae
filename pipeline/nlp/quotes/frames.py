"""Cue frames: what a cue word takes as its content, read off the dependency parse.

An attribution is a cue (``denied``, ``wants``, ``polls show``, ``his support``) with a
content of some shape. Which shapes make a word a cue is data, not code: the lexicon
``quotes/cue_frames.tsv`` lists (cue key, pattern) pairs, mined from annotated news, so
``deny`` + NP object is an attribution but ``have`` + NP object is not. This module only
says, for one token, which key and pattern it would be looked up under and where its
content lies. Patterns:

* ``ccomp`` a content clause (``says that ...``, ``thinks ...``, ``asked whether ...``);
* ``xcomp`` an infinitive (``wants to ...``, ``urged voters to ...``);
* ``dobj`` a noun phrase object (``denied the allegations``, ``endorsed Smith``);
* ``pp:<prep>`` a prepositional object (``talked about``, ``called for``, ``voted for``);
* ``acomp`` an adjective with its complement (``is critical of``, ``is skeptical that``);
* ``noun`` a cue noun owned by its source (``his comments``, ``the mayor's claim that``).

Keys are lemmas, with a particle (``point out``) and, for light verbs, their object or
adjective (``take issue``, ``make mention``, ``be critical``). Every walk is bounded by
the token's own children, so the work per document stays linear.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import LEMMA, POS
from spacy.symbols import NOUN
from spacy.tokens import Doc, Token

from newsmine.nlp.quotes import columns
from newsmine.nlp.quotes.columns import COL, isin, lowered, sorted_ids

LIGHT_VERBS = frozenset({"be", "have", "make", "take", "give", "express", "raise", "voice", "offer", "pay",
                         "hold", "put", "issue", "deliver", "release", "send", "file", "sign", "do",
                         "draw", "cast", "lay", "become", "remain", "seem", "feel", "get"})
_STOP_DEPS = frozenset({"punct", "cc", "conj", "parataxis", "nsubj", "nsubjpass", "aux", "auxpass", "neg",
                        "mark", "csubj", "expl", "prt", "agent", "meta", "dep"})
KEEP_MARKS = frozenset({"because", "if", "unless", "until", "although", "though", "whether", "since",
                         "so", "than"})
_NOUN_PREPS = frozenset({"of", "for", "on", "against", "about", "to", "with", "over", "in"})


@dataclass(frozen=True)
class Frame:
    """One candidate attribution: cue token, lexicon key and pattern, content [start, end)."""

    token: int
    key: str
    pattern: str
    start: int
    end: int

    @property
    def cue(self) -> str:
        """The cue as the ``cue`` column gives it: the key, with the preposition of a
        ``pp`` frame (``talk about``)."""
        return f"{self.key} {self.pattern[3:]}" if self.pattern.startswith("pp:") else self.key


def cue_key(tok: Token, obj: Token | None = None) -> str:
    """The lexicon key of a cue word: its lemma, with its particle (``point out``) or, for
    a light verb, the lemma of the noun or adjective it carries (``take issue``)."""
    lemma = tok.lemma_.lower()
    prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
    if prt:
        return f"{lemma} {prt}"
    if obj is not None and lemma in LIGHT_VERBS:
        return f"{lemma} {obj.lemma_.lower()}"
    return lemma


def _keep(child: Token, verb: Token) -> bool:
    """A right dependent of the cue that belongs to its content: complements, objects,
    prepositional phrases and `because`/`if` clauses, not conjuncts, parentheticals or a
    participle after a comma (`..., saying ...`, its own attribution)."""
    if child.dep_ in _STOP_DEPS or child.i < verb.i:
        return False
    if child.dep_ == "advcl":
        mark = next((g.lower_ for g in child.children if g.dep_ == "mark"), None)
        if mark is None:
            prev = child.doc[child.left_edge.i - 1] if child.left_edge.i > verb.i + 1 else None
            return prev is None or prev.text != ","
        return mark in KEEP_MARKS
    return not (child.dep_ in ("advmod", "npadvmod") and child.i == verb.i + 1 and child.is_punct)


def right_content(verb: Token, first: Token) -> tuple[int, int]:
    """Content from ``first`` (a complement of ``verb``) to the end of the last right
    dependent of ``verb`` that belongs to it (see ``_keep``)."""
    start, end = first.left_edge.i, first.right_edge.i + 1
    doc = verb.doc
    for child in verb.rights:
        if child.i <= first.i:
            continue
        if child.dep_ in ("cc", "conj", "parataxis") or doc[child.left_edge.i - 1].text in (",", ";", ":"):
            break  # `rejected the plan, with X saying ...`: what follows a comma is not the object's
        if _keep(child, verb):
            end = max(end, child.right_edge.i + 1)
    return start, end


def verb_frame(verb: Token) -> Frame | None:
    """The frame of a verb: its first content-bearing complement, in the order clause,
    infinitive, light-verb object, object, adjective, prepositional object."""
    special = _passive_or_as(verb)
    if special is not None:
        return special
    children = [c for c in verb.rights]
    by_dep: dict[str, Token] = {}
    for c in children:
        by_dep.setdefault(c.dep_, c)
    lemma = verb.lemma_.lower()
    if "ccomp" in by_dep:  # the listener (`told reporters that ...`) is not content
        start, end = right_content(verb, by_dep["ccomp"])
        return Frame(verb.i, cue_key(verb), "ccomp", start, end)
    if "xcomp" in by_dep and any(g.dep_ == "aux" and g.lower_ == "to" for g in by_dep["xcomp"].children):
        first = by_dep.get("dobj") or by_dep["xcomp"]
        start, end = right_content(verb, first if first.i < by_dep["xcomp"].i else by_dep["xcomp"])
        return Frame(verb.i, cue_key(verb), "xcomp", start, end)
    obj = by_dep.get("dobj") or by_dep.get("attr")
    if obj is not None and lemma in LIGHT_VERBS and obj.pos_ in ("NOUN", "PROPN"):
        pp = next((c for c in children if c.dep_ == "prep" and c.i > obj.i), None) \
            or next((c for c in obj.rights if c.dep_ in ("prep", "acl")), None)
        if pp is not None:
            start, end = right_content(verb, obj)
            return Frame(verb.i, cue_key(verb, obj), "dobj", start, end)
    if obj is not None and obj.dep_ == "dobj":
        start, end = right_content(verb, obj)
        return Frame(verb.i, cue_key(verb), "dobj", start, end)
    acomp = by_dep.get("acomp")
    if acomp is not None:
        comp = next((c for c in acomp.rights if c.dep_ in ("prep", "ccomp", "xcomp")), None)
        if comp is not None:
            start, end = comp.left_edge.i, acomp.right_edge.i + 1
            if comp.dep_ == "prep":
                start = comp.i + 1
            return Frame(verb.i, cue_key(verb, acomp), "acomp", start, end)
    for c in children:
        if c.dep_ == "prep" and any(g.dep_ in ("pobj", "pcomp") for g in c.children):
            start, end = right_content(verb, c)
            return Frame(verb.i, cue_key(verb), f"pp:{c.lower_}", start + 1, end)
    return None


def _passive_or_as(verb: Token) -> Frame | None:
    """A passive with its agent (``the plan was criticised by unions as reckless``: the
    content is the subject and what follows) or ``as X reported`` (the content is the
    clause it hangs on, without the ``as`` clause)."""
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) \
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) \
            and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children):
        head = verb.head
        lo, hi = verb.left_edge.i, verb.right_edge.i + 1
        start, end = head.left_edge.i, head.right_edge.i + 1
        if lo <= start:
            start = hi
        else:
            end = lo
        if end > start:
            return Frame(verb.i, cue_key(verb), "as", start, end)
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is None or not any(c.dep_ == "agent" for c in verb.children):
        return None
    start, end = subj.left_edge.i, subj.right_edge.i + 1
    for child in verb.rights:
        if child.dep_ != "agent" and _keep(child, verb):
            end = max(end, child.right_edge.i + 1)
    return Frame(verb.i, cue_key(verb), "passive", start, end)


def noun_frame(noun: Token) -> Frame | None:
    """A cue noun's content: its clause (``claim that ...``), infinitive (``plan to ...``)
    or prepositional object (``support for ...``, ``comments about ...``)."""
    for c in noun.rights:
        if c.dep_ == "ccomp" or (c.dep_ == "acl" and any(g.dep_ in ("mark", "aux") for g in c.children)):
            return Frame(noun.i, noun.lemma_.lower(), "noun", c.left_edge.i, c.right_edge.i + 1)
        if c.dep_ == "prep" and c.lower_ in _NOUN_PREPS:
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                return Frame(noun.i, noun.lemma_.lower(), "noun", c.i + 1, obj.right_edge.i + 1)
    return None


def noun_source(noun: Token) -> Token | None:
    """Who a cue noun belongs to: its possessor (``Trump's claim``, ``his comments``), a
    ``by`` agent (``an endorsement by the union``) or an entity compound (``the Smith
    campaign's statement``); None for a bare noun (``the claim``)."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    for c in noun.lefts:
        if c.dep_ == "compound" and c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            return c
    return None


PATTERNS = ("ccomp", "xcomp", "dobj", "pp", "acomp", "passive", "as", "noun")
CUE_TYPES = frozenset({"speech", "thought", "intention", "evidence", "according_to"})


class FrameLexicon:
    """The cue frames: pattern -> {key: cue type}; ``pp`` keys carry their preposition
    (``talk about``). Built once per pipeline from ``quotes/cue_frames.json``."""

    def __init__(self, entries: dict[str, dict[str, str]]) -> None:
        self.entries = {pattern: {k.lower(): v for k, v in keys.items()} for pattern, keys in entries.items()}
        self.verb_lemmas = frozenset(k.split()[0] for p, keys in self.entries.items() if p != "noun"
                                     for k in keys)
        self.nouns = frozenset(self.entries.get("noun", {}))

    def type_of(self, key: str, pattern: str) -> str | None:
        """The cue type of (key, pattern), or None when the pair is no attribution."""
        if pattern.startswith("pp:"):
            return self.entries.get("pp", {}).get(f"{key} {pattern[3:]}")
        return self.entries.get(pattern, {}).get(key)

    def may_be_cue(self, tok: Token) -> bool:
        """Cheap test before ``verb_frame``: some frame starts with this lemma."""
        return tok.lemma_.lower() in self.verb_lemmas

    def may_be_cue_at(self, doc: Doc, lemma: int) -> bool:
        """``may_be_cue`` of a token with this lemma string id (from the columns)."""
        return lowered(doc, lemma) in self.verb_lemmas

    def noun_candidates(self, doc: Doc) -> list[bool]:
        """Per token: a noun whose lemma is a cue noun (read from the columns)."""
        if not len(doc) or not self.nouns:
            return [False] * len(doc)
        arr = columns.of(doc).arr
        mask = isin(arr[:, COL[LEMMA]], sorted_ids(self.nouns)) & (arr[:, COL[POS]] == NOUN)
        return mask.tolist()
