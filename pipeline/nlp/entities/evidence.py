"""The organisation and work-title evidence of ``newsmine_entities``, and datelines.

``OrgEvidence`` finds single words an article shows to be organisations, from the
lists in ``models/entities/org_evidence.json`` (corporate suffixes, modifier
prefixes, work nouns) and the organisation nouns of ``models/lexicon/org_nouns.txt``.
See ``OrgEvidence.org_keys`` for the kinds of evidence.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import StringStore

from newsmine.nlp.entities.arrays import Arrays, has_digit
from newsmine.nlp.entities.names import fold
from newsmine.nlp.labels import PERSON
from newsmine.rules import RuleSource, read_json, read_word_set, read_words

# A wire dateline opening an article: "DENVER (AP) —", "LONDON, March 3 (Reuters) -",
# "KYIV, Ukraine --": an all-caps place at a line start, then a wire credit or a dash
DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Z.'\-]*[A-Z.](?:[ \t]+[A-Z][A-Z.'\-]*[A-Z.]){0,3})"
    r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t]+[\w.]+){0,2})?[ \t]*"
    r"(?:(?P<wire>\([A-Za-z .&-]{2,30}\))[ \t]*(?:[\u2014\u2013:-]{1,2})?|[\u2014\u2013]|-{1,2})[ \t]"
)
DATELINE_WINDOW = 600  # characters: the dateline follows at most a headline and a byline

ADJ_ID = POS_IDS["ADJ"]
VERBAL = frozenset({POS_IDS["VERB"], POS_IDS["AUX"]})
_EVIDENCE_KEYS = ("suffixes", "modifier_prefixes", "work_heads", "work_verbs")


def dateline(text: str) -> tuple[int, int] | None:
    """Character offsets of the place of a wire dateline near the start of ``text``, if any."""
    m = DATELINE.search(text, 0, DATELINE_WINDOW)
    if m is None or (not m.group("wire") and sum(c.isalpha() for c in m.group("place")) < 4):
        return None  # "UK - ...", "BBC - ...": a short acronym needs the wire credit to be a dateline
    return m.start("place"), m.end("place")


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

    def __post_init__(self) -> None:
        # the dependency labels the rules test, as hashes: compared with the DEP column
        # directly instead of looking each token's label text up
        add = self.strings.add
        self.h_appos, self.h_pobj, self.h_poss = add("appos"), add("pobj"), add("poss")
        self.h_conj, self.h_compound, self.h_nsubj = add("conj"), add("compound"), add("nsubj")
        self.h_det, self.h_amod, self.h_attr = add("det"), add("amod"), add("attr")
        self.h_org_deps = frozenset((self.h_appos, self.h_compound, add("nmod")))

    @classmethod
    def load(
        cls, strings: StringStore, source: RuleSource, org_nouns: list[str], work_nouns: list[str],
        evidence: str, roles: Iterable[str],
    ) -> "OrgEvidence":
        """From the organisation- and work-noun lists and ``entities/org_evidence.json``."""
        data = read_json(source, evidence, required=_EVIDENCE_KEYS, fold=str.lower)
        return cls(
            strings=strings,
            org_nouns=frozenset(w.lower() for w in read_words(source, org_nouns, fold=str.lower)),
            suffixes=frozenset(w.lower().rstrip(".") for w in data["suffixes"]),
            prefixes=tuple(w.lower() for w in data["modifier_prefixes"]),
            roles=frozenset(roles),
            work_nouns=read_word_set(source, work_nouns),
            work_heads=frozenset(w.lower() for w in data["work_heads"]),
            work_verbs=frozenset(w.lower() for w in data["work_verbs"]),
        )

    def prefixed(self, text: str) -> bool:
        """Is ``text`` a lower-case modifier prefix ("ex-" of "ex-Yukos", "pro-" of "pro-Trump")?"""
        return text in self.prefixes

    def org_span(self, a: Arrays, start: int, end: int) -> bool:
        """Does the span's shape say organisation: a digit (G8, 3M) or a suffix (Acme Corp, BP plc)?"""
        return any(map(has_digit, a.text[start:end])) or (
            end - start > 1 and a.lower[end - 1].rstrip(".") in self.suffixes
        )

    def work_span(self, a: Arrays, start: int, end: int) -> bool:
        """Is the name a work's title: "the pantomime Dick Whittington", "a production of
        Nicholas Nickleby", "starring in X", "1947's Nicholas Nickleby"?"""
        root = a.root(start, end)
        head, dep = a.head[root], a.dep[root]
        before = start - 1
        work_before = before >= 0 and a.text[before].islower() and self._work_noun(a, before)
        if work_before and (a.head[before] == root or head == before):
            return True
        if dep == self.h_appos and a.text[head].islower() and self._work_noun(a, head):
            return True
        if dep == self.h_pobj and head != root:
            governor = a.lemma_str(a.head[head]).lower()
            if a.lower[head] == "of" and governor in self.work_heads:
                return True
            if a.lower[head] == "in" and governor in self.work_verbs:
                return True
        h_poss, text, deps = self.h_poss, a.text, a.dep
        return any(deps[k] == h_poss and text[k].isdigit() and len(text[k]) == 4 for k in a.children(root))

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
        spans = [(c.start, c.end) for c in cands if c.end - c.start > 1 and c.label != PERSON]
        score: dict[str, int] = {}
        wanted = {t for t, (key, _) in a.cap_keys().items() if key in words}
        for i in a.positions(wanted):
            key = fold(a.text[i])
            score[key] = score.get(key, 0) + self._points(a, i, spans)
        return {k for k, n in score.items() if n >= 2}

    def _points(self, a: Arrays, i: int, org_spans: list[tuple[int, int]]) -> int:
        text = a.text[i]
        if any(ch.isdigit() for ch in text) or (text.isupper() and text.isalpha() and 2 <= len(text) <= 5):
            return 2
        head = a.head[i]
        dep = a.dep[i]
        head_lemma = a.lemma_str(head).lower() if head != i else ""
        if dep in self.h_org_deps and head_lemma in self.org_nouns:
            return 2
        points = 0
        if dep == self.h_conj and fold(a.text[head]) in self.known_orgs:
            return 2  # "Google and Yahoo": coordinated with a known organisation
        for k in a.children(i):
            kdep, klow = a.dep[k], a.lower[k]
            if kdep == self.h_appos and a.lemma_str(k).lower() in self.org_nouns:
                return 2
            if kdep == self.h_appos and klow == "one" and self._one_of_orgs(a, k):
                return 2  # "Yahoo, one of the net's most iconic companies"
            if kdep == self.h_conj and fold(a.text[k]) in self.known_orgs:
                return 2
            if kdep == self.h_det and k < i and klow in ("the", "a", "an"):
                return 2
            if kdep == self.h_amod and k < i and a.text[k].islower() and a.pos[k] == ADJ_ID:
                return 2
        attrs = a.children(head) if dep == self.h_nsubj and a.lemma_str(head) == "be" else []
        if any(a.dep[k] == self.h_attr and a.lemma_str(k).lower() in self.org_nouns for k in attrs):
            return 2  # "Streamly is a music company"
        bracketed = 0 < i < a.n - 1 and a.text[i - 1] == "(" and a.text[i + 1] == ")"
        if bracketed and any(start < i - 1 <= end for start, end in org_spans):
            return 2
        if dep == self.h_compound and head_lemma in self.roles:
            points += 1
        if dep == self.h_compound and any(a.lower[k] == "the" and k < i for k in a.children(head)):
            points += 1
        if dep == self.h_nsubj and self._its_in_clause(a, head, i):
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
