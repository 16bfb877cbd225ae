"""Step 3 of ``newsmine_entities``: settle each name's label across the whole article.

A full name, a title + name or a gazetteer entry makes a name PERSON at every mention
(also where the model missed it or called it ORG/GPE); organisation evidence
(``evidence.OrgEvidence``) keeps a single word that has none of that from becoming
PERSON; otherwise votes (model labels, being the subject of a speech verb) decide,
never the first mention alone. Also the candidate type and the word tests every step
shares (``Steps``, a mixin of ``EntityNormaliser``).
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.parts_of_speech import IDS as POS_IDS

from newsmine.nlp.entities.arrays import Arrays
from newsmine.nlp.entities.evidence import OrgEvidence
from newsmine.nlp.entities.gazetteer import Lexicon
from newsmine.nlp.entities.names import CACHE_SIZE, PARTICLES, fold
from newsmine.nlp.labels import NAME_LABELS, ORG, PERSON, PLACE_ORG

PROPN_ID = POS_IDS["PROPN"]
ADJ_ID = POS_IDS["ADJ"]
CONNECTORS = frozenset({"of", "for", "and", "the", "'s", "\u2019s"})
OPEN_QUOTES = frozenset({'"', "\u201c", "'", "\u2018"})
SPEECH_VOTE = 2  # a speech-verb subject counts as much as two model labels


@dataclass(eq=False)  # compared by identity: cheap, and two equal spans are still two candidates
class Cand:
    """A candidate entity in token offsets while the article's evidence is weighed."""

    start: int
    end: int
    label: str
    source: str  # "model", "gazetteer" or "evidence"
    titles: list[str] = field(default_factory=list)
    key: str = ""  # folded text, set once the span is final (``_settle_labels``)



@lru_cache(maxsize=CACHE_SIZE)
def _name_like(lex: Lexicon, text: str) -> bool:
    """Could a token with this text be part of a name (capitalised or a particle, not a title)?"""
    return (text[:1].isupper() or text.lower() in PARTICLES) and not lex.is_title_word(text)


class Steps:
    """The rule steps of ``EntityNormaliser`` that read its rule data (set by ``load_rules``)."""

    lex: Lexicon
    evidence: OrgEvidence
    gaz_nonperson: dict[str, str]
    gaz_person: set[str]
    gaz_known: frozenset[str]  # the gazetteer's folded names, of either kind
    gaz_starts: frozenset[str]  # their first four letters
    speech_hashes: frozenset[int]
    h_nsubj: int
    h_appos: int
    h_person: int

    # --- word tests shared by every step ------------------------------------------------
    def _name_like_text(self, text: str) -> bool:
        return _name_like(self.lex, text)

    def _name_like(self, a: Arrays, i: int) -> bool:
        return _name_like(self.lex, a.text[i])

    def _title_able(self, a: Arrays, i: int) -> bool:
        text = a.text[i]
        return (
            self.lex.is_title_word(text)
            or a.lower[i] in CONNECTORS
            or fold(text) in self.gaz_nonperson
            or (a.pos[i] == ADJ_ID and text[:1].isupper())
        )

    # --- 3: evidence across the article ----------------------------------------------
    def _title_before(self, a: Arrays, start: int) -> str | None:
        """The title phrase ending right before token ``start`` ("Russian Foreign Minister")."""
        j = self._title_start(a, start)
        return None if j is None else a.span_text(j, start)

    def _title_start(self, a: Arrays, start: int) -> int | None:
        """Where the title phrase before token ``start`` begins, if there is one."""
        j = start - 1
        if j < 0 or not self.lex.is_title_word(a.text[j]) or a.lower[j] in self.lex.honorifics:
            return None
        while j > 0 and start - j < 7 and self._title_able(a, j - 1) and a.ent_type[j - 1] != self.h_person:
            j -= 1
        while a.lower[j] in CONNECTORS:
            j += 1
        if not any(a.lower[k] in self.lex.roles for k in range(j, start)):
            return None
        return j

    def _role_apposition(self, a: Arrays, start: int, end: int) -> bool:
        """Is the span followed by an apposition headed by a role noun (", a senior analyst")?"""
        heads = a.memo.get("role_appos")
        if heads is None:  # head -> its role-noun appositions, once per doc
            heads = a.memo["role_appos"] = {}
            roles, head = self.lex.roles, a.head
            for k in a.with_dep(self.h_appos):  # the few appositions, not every token
                if head[k] != k and a.lemma_str(k).lower() in roles:
                    heads.setdefault(head[k], []).append(k)
        if not heads:
            return False
        return any(k >= end for k in heads.get(a.root(start, end), ()))

    def _titled(self, a: Arrays, start: int) -> bool:
        """Is the name at ``start`` preceded by a role title or an honorific (Mr, Dr)?"""
        if start == 0:
            return False
        if a.lower[start - 1] in self.lex.honorifics:
            return True
        j = self._title_start(a, start)
        # '"Chief Yahoo"', "the 'Iron Chancellor'": a title + name in quotes is a nickname
        return j is not None and not (j > 0 and a.text[j - 1] in OPEN_QUOTES)

    def _settle_labels(self, a: Arrays, cands: list[Cand]) -> list[Cand]:
        """Step 3: each name's label by the evidence of the whole article (see module doc)."""
        votes, full_names, person_words, strong = self._span_evidence(a, cands)
        self._proper_noun_evidence(a, cands, votes, full_names, person_words, strong)
        self._first_name_evidence(a, cands, votes, full_names, person_words)
        label_of = self._vote(votes, person_words)
        # organisation evidence: a word with it and without a full name, title or gazetteer
        # entry of its own is not a person, however often the model or a speech verb says so
        strong |= {w[-1] for w in full_names.values()} | self.gaz_person
        for key in self.evidence.org_keys(a, cands, votes, strong):
            person_words.discard(key)
            label_of.setdefault(key, ORG)
            if label_of[key] == PERSON:
                label_of[key] = ORG
        return self._apply(a, cands, full_names, person_words, label_of)

    def _span_evidence(
        self, a: Arrays, cands: list[Cand]
    ) -> tuple[dict[str, Counter], dict[str, list[str]], set[str], set[str]]:
        """Votes per name, full names, person words and the words the article itself
        makes persons (``strong``), from the candidate spans."""
        votes: dict[str, Counter] = {}
        full_names: dict[str, list[str]] = {}  # folded full name -> its words
        person_words: set[str] = set()
        strong: set[str] = set()  # single words the article itself makes persons
        for c in cands:
            if c.label not in NAME_LABELS:
                continue
            if c.label == PERSON and c.source == "model" and self.evidence.work_span(a, c.start, c.end):
                c.label = "WORK_OF_ART"  # "the pantomime Dick Whittington": a title, not a person
            key = c.key = fold(a.span_text(c.start, c.end))
            org_shape = self.evidence.org_span(a, c.start, c.end)
            if org_shape and c.label == PERSON:  # "G8", "Acme Corp": the shape says organisation
                c.label = ORG
            votes.setdefault(key, Counter())[c.label] += 1
            all_names = all(self._name_like(a, k) for k in range(c.start, c.end))
            if org_shape:
                pass
            elif c.label == PERSON and c.end - c.start >= 2 and all_names:
                full_names[key] = key.split()
                person_words.add(key.split()[-1])
            elif c.label == PERSON and c.source == "gazetteer":
                person_words.add(key)
            elif c.source == "model" and all_names and self._role_apposition(a, c.start, c.end):
                # "Kagiso Dlamini, a senior analyst at ..." is a person whatever the model said
                if c.end - c.start >= 2:
                    full_names[key] = key.split()
                person_words.add(key.split()[-1])
                strong.add(key.split()[-1])
        return votes, full_names, person_words, strong

    def _first_name_evidence(self, a: Arrays, cands: list[Cand], votes: dict[str, Counter],
                             full_names: dict[str, list[str]], person_words: set[str]) -> None:
        """`Carly Fiorina` tagged ORG while `Fiorina` alone is PERSON: two or three name
        words that start with a first name of a known gender and end with a word the
        model calls a person somewhere are a full name (`Victoria Station` is not: no
        `Station` is a person)."""
        alone = {k for k, counter in votes.items() if " " not in k and counter[PERSON]}
        if not alone:
            return
        for c in cands:
            if c.label == PERSON or c.label not in NAME_LABELS or not 2 <= c.end - c.start <= 3:
                continue
            words = c.key.split()
            if words[-1] in alone and self.lex.names.of_first_name(a.text[c.start]) \
                    and all(self._name_like(a, k) for k in range(c.start, c.end)):
                full_names[c.key] = words
                person_words.add(words[-1])

    def _proper_noun_evidence(
        self, a: Arrays, cands: list[Cand], votes: dict[str, Counter], full_names: dict[str, list[str]],
        person_words: set[str], strong: set[str],
    ) -> None:
        """Title + name and speech-verb subjects, including names the model missed; only
        proper nouns can be either."""
        cand_at = {i: c for c in cands for i in range(c.start, c.end)}
        name_like, texts = self._name_like_text, a.text
        for i in a.propn:
            if not name_like(texts[i]):
                continue
            cand = cand_at.get(i)
            if cand and cand.label not in NAME_LABELS:
                continue
            start = cand.start if cand else i
            key = cand.key if cand else fold(texts[i])
            if key in self.gaz_nonperson:
                continue
            if i == start and self._titled(a, start) and (cand is None or cand.start == start):
                if cand is None:
                    end = start + 1
                    while end < a.n and a.pos[end] == PROPN_ID and self._name_like(a, end):
                        end += 1
                    key = fold(a.span_text(start, end))
                    if end - start >= 2:
                        full_names[key] = key.split()
                person_words.add(key.split()[-1])
                strong.add(key.split()[-1])
            if (
                a.dep[i] == self.h_nsubj
                and a.lemma[a.head[i]] in self.speech_hashes
                and not a.text[i].isupper()
            ):
                votes.setdefault(key, Counter())[PERSON] += SPEECH_VOTE

    def _vote(self, votes: dict[str, Counter], person_words: set[str]) -> dict[str, str]:
        """Single words the votes make persons (added to ``person_words``), and every other
        name's label: the gazetteer's, else its most voted non-person label."""
        for key, counter in votes.items():
            if " " in key or key in self.gaz_nonperson:
                continue
            other = max((n for lab, n in counter.items() if lab != PERSON), default=0)
            if counter[PERSON] > other:
                person_words.add(key)
        person_words -= set(self.gaz_nonperson)
        label_of = dict(self.gaz_nonperson)
        for key, counter in votes.items():
            if key not in label_of:
                non_person = [(n, lab) for lab, n in counter.most_common() if lab != PERSON]
                if non_person:
                    label_of[key] = non_person[0][1]
        return label_of

    def _is_person(self, key: str, full_names: dict[str, list[str]], person_words: set[str]) -> bool:
        return key in full_names or key in person_words or key in self.gaz_person

    def _apply(
        self,
        a: Arrays,
        cands: list[Cand],
        full_names: dict[str, list[str]],
        person_words: set[str],
        label_of: dict[str, str],
    ) -> list[Cand]:
        """Relabel candidates by the article's decisions, then add the mentions the model missed."""
        out = []
        for c in cands:
            key = c.key if c.label in NAME_LABELS else fold(a.span_text(c.start, c.end))
            if c.label in NAME_LABELS:
                if self._is_person(key, full_names, person_words):
                    c.label = PERSON
                elif key in label_of and (
                    c.label in PLACE_ORG or (c.label == PERSON and c.end - c.start == 1)
                ):
                    c.label = label_of[key]
                elif c.label != PERSON and c.end - c.start > 1:
                    # "the Trump administration" -> PERSON "Trump" (the rest is common words)
                    span = range(c.start, c.end)
                    hits = [k for k in span if fold(a.text[k]) in person_words and self._name_like(a, k)]
                    rest = [k for k in span if k not in hits]
                    if hits and all(a.text[k].islower() or a.is_punct[k] for k in rest):
                        continue  # the scan below adds the name itself
            out.append(c)
        covered = {i for c in out for i in range(c.start, c.end)}
        by_first: dict[str, list[list[str]]] = {}
        for words in [*full_names.values(), *([w] for w in person_words)]:
            by_first.setdefault(words[0], []).append(words)
        texts = a.text
        # mentions the model missed: only tokens whose text can start a person name
        wanted = {t for t, (key, upper) in a.cap_keys().items() if upper and key in by_first}
        for i in a.positions(wanted):
            if i in covered:
                continue
            options = by_first[fold(texts[i])]
            best = 0
            for words in options:
                n = len(words)
                free = not any(k in covered for k in range(i, i + n))
                if n > best and free and [fold(t) for t in texts[i : i + n]] == words:
                    best = n
            if best:
                out.append(Cand(i, i + best, PERSON, "evidence"))
                covered.update(range(i, i + best))
        # the article's names; the gazetteer's (``gaz_known``, ``gaz_starts``) are read beside
        # them, not copied into them for every article
        known = {*person_words, *(w[0] for w in full_names.values())}
        out.sort(key=lambda c: c.start)
        starts = {w[:4] for w in known if len(w) >= 4}
        return [c for k, c in enumerate(out) if not self._junk(a, c, out[k + 1 : k + 2], known, starts)]

    def _junk(self, a: Arrays, c: Cand, following: list[Cand], known: set[str], starts: set[str]) -> bool:
        """A title word tagged before a person ("State" of "Secretary of State Marco Rubio"),
        or a known name glued to the next word by a bad scrape ("Trumpmade", "Ukrainein")."""
        last = a.text[c.end - 1]
        if c.label != PERSON and c.end - c.start == 1 and self.lex.is_title_word(last):
            return bool(following) and following[0].label == PERSON and following[0].start == c.end
        word = fold(last)
        head = word[:4]
        if c.source == "gazetteer" or len(word) < 6 or (head not in starts and head not in self.gaz_starts):
            return False  # a glued word starts with a known name, so with its first four letters
        gaz = self.gaz_known
        glued = any((word[:n] in known or word[:n] in gaz) and word[n:].isalpha()
                    for n in range(4, len(word) - 1))
        return glued and not _is_word(last)


def _is_word(text: str) -> bool:
    """Is this an ordinary English word ("Americans"), not two words run together?"""
    from wordfreq import zipf_frequency  # loaded only when a glued-looking token appears

    return zipf_frequency(text, "en") > 1.5


