"""Who ``he``, ``she``, ``it``, ``the senator`` or ``the 52-year-old`` is: one pass over the article.

Why a pass over every mention and not only over the speakers: a pronoun points to whom
the text is about, and that is decided by all the sentences before it (``Fiorina ... She
compared ... she said``), not by the last quote. The pass keeps a salience score per
referent after Lappin & Leass (1994): a sentence that mentions a referent gives it the
weight of its most salient mention there (recency, subject, object, head noun, see
``role_weight``; a name used as a modifier of a noun, ``the Trump campaign``, counts for
little), every narrative sentence halves all scores, and earlier sentences add only a
quarter of their weight on top of the strongest (so the subject of the sentence before
beats a protagonist named in passing in it: ``Earnest said Obama would help. "...," he
said`` is Earnest). A pronoun takes the most
salient referent that agrees with it: gender (a known gender must match; an unknown one
is allowed at a discount), number, and person or group; an object pronoun is never the
subject of its own verb (``Trump praised him``), and a subject pronoun prefers a
referent last seen as a subject (parallelism, +35). No agreeing referent: unresolved. The
chosen referent is then mentioned again, and a gendered pronoun teaches an unknown
referent its gender.

Referents are the people clusters of ``newsmine_entities`` (their ``gender``), unnamed
people introduced by a role noun (``a spokeswoman for the ministry``), organisations (for
``it`` and ``the company``) and plural groups (for ``they``). Names that cannot speak are
left out: words inside quotes (what is said, not who says it), a one-word name nothing
else supports (a headline word, ``Nationally``), names in a line with no verb (bylines,
credits, sign-offs). Definite role nouns (``the senator``, ``the veteran striker``, ``the
52-year-old``) take the most salient person with that title or age, else the most
salient person if that one is recent enough and either has no other role or is far
ahead of everyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, IDX, IS_PUNCT, IS_SPACE, LEMMA, LOWER, POS, TAG
from spacy.symbols import AUX, PRON, VERB
from spacy.tokens import Doc, Span, Token

from newsmine.nlp.attrs import doc_text
from newsmine.nlp.labels import NORP, ORG, PERSON
from newsmine.nlp.quotes import columns
from newsmine.nlp.quotes.columns import COL, isin, sid, sorted_ids
from newsmine.nlp.quotes.mentions import entity_bounds, is_definite, np_head

_MAIN = frozenset({"ROOT"})
_RUN_COLUMNS = [COL[a] for a in (ENT_IOB, ENT_TYPE, POS, LOWER, LEMMA, TAG, DEP, IS_PUNCT, IS_SPACE, IDX)]
_NAMED = frozenset({PERSON, ORG, NORP, "GPE"})
PersonFacts = tuple[set[str], str | None, str | None]  # titles, gender, age
_PARALLEL = 35.0  # a subject pronoun prefers a referent last seen as a subject
_ACCUMULATE = 0.25  # how much earlier sentences add beyond the strongest one (0: recency only)
_EMBEDDED_PENALTY = 0.8
_UNKNOWN_GENDER = 0.6  # a referent of unknown gender, for a gendered pronoun
_MIN_SALIENCE = 10.0  # below this (a subject five sentences back) nothing is meant
_FALLBACK_SALIENCE = 100.0  # `the entrepreneur said` with no titled person: only a recent one


@dataclass
class Referent:
    """Someone (or some group) the article talks about, with its salience."""

    key: str
    fields: dict[str, Any]  # speaker_canonical, speaker_id, speaker_label
    kind: str  # "person", "org" or "group"
    gender: str | None = None
    titles: set[str] = field(default_factory=set)
    age: str | None = None
    base: float = 0.0  # salience from sentences before ``sent``, decayed to ``sent``
    current: float = 0.0  # the largest weight of a mention in sentence ``sent``
    sent: int = 0
    last: int = -1
    subject: bool = False  # was its latest mention a subject?

    def salience(self, sent: int) -> float:
        """The score as of narrative sentence ``sent`` (halved per sentence since)."""
        return (max(self.base, self.current) + _ACCUMULATE * min(self.base, self.current)) \
            * 0.5 ** max(0, sent - self.sent)

    def mention(self, sent: int, weight: float, at: int, subject: bool = False) -> None:
        """One more mention at token ``at``: a referent counts once per sentence, with
        its most salient mention there."""
        if sent == self.sent and self.last >= 0:
            self.current = max(self.current, weight)
        else:
            self.base, self.current, self.sent = self.salience(sent), weight, sent
        self.last = at
        self.subject = subject


def role_weight(tok: Token) -> float:
    """Salience weight of a mention headed by ``tok`` (Lappin & Leass's factors: recency
    100, subject 80, direct object 50, other argument 40, head noun 80, non-adverbial
    50); a name that only modifies a noun (`the Trump campaign`) counts for little, the
    subject of an embedded clause (`said Trump was ...`) for less than the main one."""
    dep = tok.dep_
    if dep in ("compound", "nmod", "amod") and tok.head.pos_ == "NOUN":
        return 60.0
    if dep in ("appos", "compound", "flat", "conj") and tok.head.pos_ in ("PROPN", "NOUN") \
            and tok.head.i != tok.i:
        tok, dep = tok.head, tok.head.dep_
    weight = 100.0 + 80.0 + 50.0  # recency, head noun, non-adverbial
    if dep in ("nsubj", "nsubjpass"):
        verb = tok.head
        main = verb.dep_ in _MAIN or (verb.dep_ == "conj" and verb.head.dep_ in _MAIN)
        return (weight + 80.0) * (1.0 if main else _EMBEDDED_PENALTY)
    if dep in ("dobj", "attr", "oprd"):
        return weight + 50.0
    if dep == "pobj":
        prep = tok.head
        if prep.lower_ == "by" and prep.dep_ == "agent":
            return weight + 80.0
        if prep.lower_ == "to" and prep.i > 0 and tok.doc[prep.i - 1].lower_ == "according":
            return weight + 80.0
        if prep.head.pos_ in ("NOUN", "PROPN"):
            return weight - 80.0 + 40.0  # inside another noun phrase: no head-noun emphasis
        return weight - 50.0 + 40.0  # an adverbial phrase
    if dep == "poss":
        return weight - 80.0 + 40.0
    return weight + 40.0 - 50.0


class Discourse:
    """The referents of one article and what each pronoun or role noun points to.

    ``describe(token)`` gives the speaker fields of a mention token (the resolver's
    ``named``); ``cluster_for(token)`` its people cluster or None; ``titles_of`` and
    ``gender_of`` what the article says of a cluster; ``role_of`` a role noun phrase's
    role (or None); ``gendered`` maps gendered nouns to their gender; ``nouns`` are the
    words that can head a role, epithet or organisation noun phrase (only those tokens,
    names and pronouns become Token objects: the pass reads the doc's arrays); ``roles``
    the role words (a person with another role is not `the prince`); ``family(role)`` the
    title words that role may stand for (`the congressman` is the representative);
    ``words(text)`` the title words of a text (`Sen.` -> senator, `GOP` -> republican);
    ``conflicts(modifiers, titles)``: do the titles rule the modifiers out.
    """

    def __init__(self, doc: Doc, *, inside_quote: list[bool], sent_of: list[int],
                 pronouns: dict[str, dict[str, Any]], gendered: dict[str, str],
                 org_nouns: frozenset[str], describe: Callable[[Token], dict[str, Any]],
                 cluster_for: Callable[[Token], dict[str, Any] | None],
                 person_facts: Callable[[dict[str, Any] | None, Token], PersonFacts],
                 role_of: Callable[[Token], str | None], can_speak: Callable[[Token, dict | None], bool],
                 nouns: frozenset[str] = frozenset(), roles: frozenset[str] = frozenset(),
                 family: Callable[[str], set[str]] = lambda role: set(role.split()),
                 words: Callable[[str], set[str]] = lambda text: set(text.lower().split()),
                 conflicts: Callable[[set[str], set[str]], bool] = lambda modifiers, titles: False,
                 reported: list[bool] | None = None) -> None:
        self.doc = doc
        self.pronouns, self.gendered, self.org_nouns = pronouns, gendered, org_nouns
        self.describe, self.cluster_for, self.person_facts = describe, cluster_for, person_facts
        self.role_of, self.can_speak = role_of, can_speak
        self.roles, self.family, self.words, self.conflicts = roles, family, words, conflicts
        self.referents: dict[str, Referent] = {}
        self.points_to: dict[int, Referent | None] = {}  # pronoun / role token -> referent
        self.mention_of: dict[int, Referent] = {}  # mention head token -> referent
        self.reported = reported or [False] * len(doc)
        self._run(inside_quote, sent_of, nouns)

    # -- the pass ----------------------------------------------------------------------
    def _run(self, inside_quote: list[bool], sent_of: list[int], nouns: frozenset[str]) -> None:
        doc = self.doc
        if not len(doc):
            self.narrative = []
            return
        arr = columns.of(doc).arr[:, _RUN_COLUMNS]  # the stage's one ``to_array`` of this doc
        self.narrative = _narrative_sentences(sent_of, inside_quote, arr[:, 7] | arr[:, 8])
        skip = _verbless_lines(doc_text(doc), arr[:, 9], (arr[:, 2] == VERB) | (arr[:, 2] == AUX))
        pronouns = frozenset(w for w, spec in self.pronouns.items() if spec.get("can_be"))
        for i, what in _mentions(arr, numpy.asarray(inside_quote, dtype=bool) | skip,
                                 pronouns, nouns):
            tok = doc[i]
            if what == _NAME:
                self._name(tok)
            elif what == _PRONOUN:
                self._pronoun(tok, self.pronouns[tok.lower_])
            elif np_head(tok) is tok:
                self._noun(tok)

    def _sent(self, tok: Token) -> int:
        return self.narrative[tok.i]

    def _weight(self, tok: Token) -> float:
        """``role_weight``, halved inside reported speech (what is said, not who says it)."""
        return role_weight(tok) * (0.5 if self.reported[tok.i] else 1.0)

    def _name(self, first: Token) -> None:
        start, end = entity_bounds(first)
        root = first if end - start == 1 else Span(self.doc, start, end).root
        cluster = self.cluster_for(root)
        label = first.ent_type_
        if label == PERSON and not self.can_speak(root, cluster):
            return
        key = str(cluster["canonical_id"]) if cluster and cluster.get("canonical_id") else None
        ref = self.referents.get(key) if key else None
        if ref is None:
            fields = self.describe(root)
            key = str(fields.get("speaker_id") or fields.get("speaker_canonical") or root.text)
            ref = self.referents.get(key)
        if ref is None:
            kind = "person" if fields.get("speaker_label") == PERSON else "org" if label == ORG else "group"
            ref = self.referents[key] = Referent(key, fields, kind)
        if ref.kind == "person":
            titles, gender, age = self.person_facts(cluster, root)
            ref.titles |= titles
            ref.gender = ref.gender or gender
            ref.age = ref.age or age
        ref.mention(self._sent(root), self._weight(root), root.i, _is_subject(root))
        self.mention_of[root.i] = ref

    def _pronoun(self, tok: Token, spec: dict[str, Any]) -> None:
        want = set(spec["can_be"])
        gender = spec.get("gender")
        singular = spec.get("number") == "singular"
        banned = self._co_argument(tok)
        sent = self._sent(tok)
        parallel = _is_subject(tok)
        best, best_score, rival = None, _MIN_SALIENCE, 0.0
        for ref in self.referents.values():
            if ref.last >= tok.i or ref is banned:
                continue
            if ("person" if ref.kind == "person" else "group") not in want:
                continue
            if singular and ref.kind == "group":
                continue
            factor = 1.0
            if gender:
                if ref.gender and ref.gender != gender:
                    continue
                if not ref.gender:
                    factor = _UNKNOWN_GENDER
            score = (ref.salience(sent) + (_PARALLEL if parallel and ref.subject else 0.0)) * factor
            if score > best_score or (best is not None and score == best_score and ref.last > best.last):
                rival = max(rival, best_score if best is not None else 0.0)
                best, best_score = ref, score
            else:
                rival = max(rival, score)
        self.points_to[tok.i] = best
        if best is not None:
            if gender and not best.gender and best.kind == "person" and best_score >= 2 * rival:
                best.gender = gender  # once clearly `he`, never `she`
            best.mention(sent, self._weight(tok), tok.i, _is_subject(tok))
            self.mention_of[tok.i] = best

    def _co_argument(self, tok: Token) -> Referent | None:
        """The referent that is the subject of the verb an object pronoun depends on."""
        dep, head = tok.dep_, tok.head
        if dep == "pobj" and head.dep_ in ("prep", "dative"):
            head = head.head
        elif dep not in ("dobj", "dative", "iobj"):
            return None
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return self.mention_of.get(subj.i) if subj is not None else None

    def _noun(self, tok: Token) -> None:
        """A role noun phrase (`the senator`, `a spokeswoman`), an epithet (`the
        52-year-old`), `the company`, or a plural group subject."""
        role = self.role_of(tok)
        definite = is_definite(tok)
        plural = tok.tag_ in ("NNS", "NNPS")
        sent = self._sent(tok)
        if role and not plural:
            if definite:
                ref = self.by_title(role, tok)
                self.points_to[tok.i] = ref
                if ref is not None:  # `the Texas senator` was Cruz: Cruz is a senator
                    ref.titles |= set(role.split()) if not role.endswith("year-old") else set()
            elif _introduces(tok):  # `a spokeswoman for the ministry said`: someone new
                fields = self.describe(tok)
                ref = self.referents[f"@{tok.i}"] = Referent(f"@{tok.i}", fields, "person",
                                                             self.gendered.get(role.split()[-1]), {role})
            else:
                return
            if ref is not None:
                ref.mention(sent, self._weight(tok), tok.i, _is_subject(tok))
                self.mention_of[tok.i] = ref
            return
        if definite and not plural and tok.lemma_.lower() in self.org_nouns:
            ref = self._most_salient(tok, kinds=("org",))
            self.points_to[tok.i] = ref
            if ref is not None:
                ref.mention(sent, self._weight(tok), tok.i, _is_subject(tok))
            return
        if plural and tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "NOUN":
            key = f"group:{tok.lemma_.lower()}"
            ref = self.referents.get(key)
            if ref is None:
                ref = self.referents[key] = Referent(key, self.describe(tok), "group")
            ref.mention(sent, self._weight(tok), tok.i, _is_subject(tok))

    # -- lookups -----------------------------------------------------------------------
    def by_title(self, role: str, tok: Token) -> Referent | None:
        """The most salient person before ``tok`` with this title or age (`the senator`,
        `the 52-year-old`), never one the title's modifiers rule out (a Libertarian is not
        `the GOP nominee`): one whose titles have the modifiers too (`the Indiana
        governor`), else the titled one the article is most about. With no titled person,
        the most salient person of the role's gender, if recent and either without another
        role or far ahead of everyone else."""
        sent = self._sent(tok)
        words = self.family(role)
        required, preferred = _modifiers(tok, words, self.words)
        people = [r for r in self.referents.values() if r.kind == "person" and r.last < tok.i]
        titled = [r for r in people
                  if (words & r.titles or r.age == role) and not self.conflicts(required, r.titles)]
        fitting = [r for r in titled if required <= r.titles]
        if fitting:
            return max(fitting, key=lambda r: (len(preferred & r.titles), r.salience(sent), r.last))
        if titled:  # the titles miss the modifier: the titled one only if no one is more salient
            best = max(titled, key=lambda r: (r.salience(sent), r.last))
            return best if best is max(people, key=lambda r: (r.salience(sent), r.last)) else None
        gender = self.gendered.get(role.split()[-1])
        people = sorted((r for r in people if not (gender and r.gender and r.gender != gender)),
                        key=lambda r: r.salience(sent), reverse=True)
        if not people or people[0].salience(sent) < _FALLBACK_SALIENCE:
            return None
        best = people[0]
        if self.conflicts(required, best.titles):
            return None
        second = people[1].salience(sent) if len(people) > 1 else 0.0
        if not best.titles & self.roles or best.salience(sent) >= 2 * second:
            return best  # the one just talked about: with no other role, or far ahead of anyone else
        return None

    def _most_salient(self, tok: Token, kinds: tuple[str, ...], gender: str | None = None) -> Referent | None:
        sent = self._sent(tok)
        found = [r for r in self.referents.values() if r.kind in kinds and r.last < tok.i
                 and not (gender and r.gender and r.gender != gender)]
        if not found:
            return None
        best = max(found, key=lambda r: (r.salience(sent), r.last))
        return best if best.salience(sent) >= _MIN_SALIENCE else None


def _modifiers(tok: Token, role_words: set[str],
               words: Callable[[str], set[str]]) -> tuple[set[str], set[str]]:
    """The words before a role noun that say which one: capitalised ones a person's titles
    must have (`Indiana`, `GOP` -> republican), lower-case ones that only help (`veteran`)."""
    required: set[str] = set()
    preferred: set[str] = set()
    for left in tok.lefts:
        if left.dep_ not in ("compound", "amod", "nmod"):
            continue
        for t in left.subtree:
            if t.is_punct or t.dep_ in ("det", "poss", "case") or t.like_num:
                continue
            found = words(t.text) - role_words
            (required if t.text[:1].isupper() else preferred).update(found)
    return required, preferred


def _is_subject(tok: Token) -> bool:
    """Is the mention headed by ``tok`` a subject (directly, or as the name in apposition to one)?"""
    if tok.dep_ in ("compound", "appos", "flat") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass")


def _introduces(tok: Token) -> bool:
    """An indefinite role noun phrase that is a subject or agent (`a spokeswoman said`,
    `one official told`, `aides say`): a new, unnamed person. A predicate (`became the
    country's first female CEO`) or a possessed title introduces no one."""
    if tok.dep_ not in ("nsubj", "nsubjpass") and not (tok.dep_ == "pobj" and tok.head.dep_ == "agent"):
        return False
    dets = [c for c in tok.children if c.dep_ in ("det", "poss")]
    return not dets or dets[0].lower_ in ("a", "an", "one", "another", "some")


def _narrative_sentences(sent_of: list[int], inside_quote: list[bool], punct: numpy.ndarray) -> list[int]:
    """Per token: how many sentences with words outside quotes start before its sentence
    (a long quote does not make its speaker fade); ``punct[i]``: token i is punctuation or space."""
    sent = numpy.asarray(sent_of, dtype=numpy.int64)
    narrative = numpy.zeros(int(sent.max()) + 1, dtype=numpy.int64)
    narrative[sent[~(numpy.asarray(inside_quote, dtype=bool) | (punct != 0))]] = 1
    before = numpy.concatenate(([0], numpy.cumsum(narrative)[:-1]))
    return before[sent].tolist()


_NAME, _PRONOUN, _NOUN = 1, 2, 3


def _mentions(arr: numpy.ndarray, skipped: numpy.ndarray, pronouns: frozenset[str],
              nouns: frozenset[str]) -> list[tuple[int, int]]:
    """The tokens the pass visits, in order, with what each is: the first token of a
    speaking entity (``_NAME``), a pronoun that can refer (``_PRONOUN``), or a token that
    may head a role, epithet, organisation or plural-group noun phrase (``_NOUN``).
    Read from the arrays (columns of ``Discourse._run``), so no Token is made for the
    others; ``skipped``: tokens inside quotes or in verbless lines."""
    iob, ent, pos, lower, lemma, tag, dep = (arr[:, k] for k in range(7))
    name = (iob == 3) & isin(ent, sorted_ids(frozenset((PERSON, ORG, NORP))))  # 3: entity start
    pron = ~name & (pos == PRON)
    heads = sorted_ids(nouns)
    noun = ~name & ~pron & ~isin(ent, sorted_ids(_NAMED)) & (
        isin(lower, heads) | isin(lemma, heads)
        | ((tag == sid("NNS")) & isin(dep, sorted_ids(frozenset(("nsubj", "nsubjpass"))))))
    what = numpy.where(name, _NAME, 0) + numpy.where(pron & isin(lower, sorted_ids(pronouns)),
                                                     _PRONOUN, 0) + numpy.where(noun, _NOUN, 0)
    what[skipped] = 0
    at = numpy.flatnonzero(what)
    return list(zip(at.tolist(), what[at].tolist(), strict=True))


def _verbless_lines(text: str, idx: numpy.ndarray, verb: numpy.ndarray) -> numpy.ndarray:
    """Per token: is it in a short line (12 tokens at most) with no verb: a byline, a
    credit, a sign-off? ``idx``: token char offsets; ``verb``: token is a verb or auxiliary."""
    breaks, at = [], text.find("\n")
    while at >= 0:
        breaks.append(at)
        at = text.find("\n", at + 1)
    line = numpy.searchsorted(numpy.array(breaks, dtype=numpy.int64), idx, side="right")
    size = numpy.bincount(line)
    verbs = numpy.bincount(line, weights=verb.astype(numpy.float64))
    return (size[line] <= 12) & (verbs[line] == 0)
