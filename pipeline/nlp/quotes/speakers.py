"""Who is speaking: from the subject token of a cue to a canonical speaker.

Three rules, named in the ``resolution`` column so errors can be traced:

* ``named``: the subject is a name or a group noun phrase (``Zelenskyy``, ``the Kremlin``,
  ``U.S. officials``); it is looked up in ``doc._.newsmine_people`` by character span.
* ``pronoun``: ``he says`` -> the most recent compatible antecedent before it (previous
  speakers and person subjects; ``they`` prefers groups). Gender is not guessed.
* ``role``: ``the president said`` -> the person the article gives that title, the most
  recent speaker with it first.

The people clusters come from ``newsmine_entities``. When that component gives nothing,
a small fallback maps a mention to the longest PERSON entity sharing its last word, so
``Jones`` still becomes ``Seth Jones``; clustering itself is not this module's job.
"""

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import IDX
from spacy.tokens import Doc, Span, Token

from newsmine.nlp.entities.names import POSSESSIVE
from newsmine.nlp.labels import BODY_LABELS, GPE, NO_LABEL, ORG, PERSON, SALIENT_LABELS, SPEAKER_LABELS

_NP_LEFT_DEPS = frozenset({"compound", "det", "amod", "poss", "nmod", "nummod", "quantmod", "predet", "case"})
_SKIP_WORDS = frozenset({"the", "a", "an", "'s", "\u2019s", "'"})


@dataclass
class Antecedent:
    """A mention a later pronoun or role noun can point back to."""

    pos: int  # char offset, for ordering
    speaker: dict[str, Any]  # speaker fields, as in a quote record
    is_person: bool
    titles: frozenset[str] = field(default_factory=frozenset)
    gender: str | None = None
    plural: bool = False
    is_org: bool = False  # a named organisation (ORG entity), for `the company`/`it`


def mention_span(token: Token) -> Span:
    """The speaker mention as written: the named entity holding ``token``, else its noun
    phrase without relative clauses, appositions or prepositional tails."""
    doc = token.doc
    if token.ent_type_:
        start, end = token.i, token.i + 1
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        # `The American Academy of Pediatrics` when the tagger stops at `Academy`
        if token.ent_type_ == ORG and end + 1 < len(doc) and doc[end].lower_ == "of" \
                and doc[end + 1].pos_ == "PROPN" and doc[end].head.i == end - 1:
            end += 1
            while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].ent_type_ in (NO_LABEL, ORG, GPE):
                end += 1
        return _strip_possessive(doc[start:end])
    left, right = token.i, token.i + 1
    for child in token.lefts:
        if child.dep_ in _NP_LEFT_DEPS:
            left = min(left, child.left_edge.i)
    if token.pos_ == "PROPN":  # `the American Academy of Pediatrics`, `University of Michigan`
        for child in token.rights:
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if child.dep_ == "prep" and child.lower_ == "of" and obj is not None and obj.pos_ == "PROPN":
                right = obj.i + 1
            break
    return _strip_possessive(doc[left:right])


def _strip_possessive(span: Span) -> Span:
    end = span.end
    while end > span.start + 1 and span.doc[end - 1].text.lower() in POSSESSIVE:
        end -= 1
    return span.doc[span.start : end]


def _is_definite(token: Token) -> bool:
    """`the spokesman`, `this company`: a bare definite noun phrase (no possessor, no name)."""
    dets = [c for c in token.lefts if c.dep_ == "det"]
    if not dets or dets[0].lower_ not in ("the", "this", "that"):
        return False
    # `the Lib Dem leader` is definite; `the Trump spokesman` names someone else
    return not any(c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN"
                                        and c.ent_type_ in (NO_LABEL, PERSON)) for c in token.lefts)


class SpeakerResolver:
    """Per-document speaker resolution; build once per Doc, then call in text order."""

    def __init__(self, doc: Doc, people: list[dict[str, Any]] | None, roles: frozenset[str],
                 org_nouns: frozenset[str], pronouns: dict[str, dict[str, Any]], gendered: dict[str, str],
                 inside_quote: list[bool], sent_of: list[int], reported: list[bool] | None = None) -> None:
        self.doc = doc
        self.roles = roles
        self.org_nouns = org_nouns
        self._token_at: dict[int, int] | None = None  # char offset -> token index, built on demand
        self.pronouns = pronouns
        self.gendered = gendered
        self._gender: dict[str, str | None] = {}  # canonical name -> gender (None: conflicting)
        self.people = people or []
        self._by_span: dict[tuple[int, int], dict[str, Any]] = {}
        self._by_start: dict[int, dict[str, Any]] = {}
        for cluster in self.people:
            for start, end in cluster.get("mentions", []):
                self._by_span[(start, end)] = cluster
                self._by_start[start] = cluster
        ents = doc.ents
        self._persons = [e for e in ents if e.label_ == PERSON]
        self._longest: dict[str, Span] = {}
        for ent in self._persons:
            best = self._longest.get(ent[-1].text)
            if best is None or len(ent.text) > len(best.text):
                self._longest[ent[-1].text] = ent
        self._titles = self._fallback_titles()
        self._antecedents: list[Antecedent] = []
        self._keys: list[int] = []
        # Salient people: proper-noun subjects, and the first person named in each sentence
        # (a robust stand-in for the subject when the parse goes wrong). People named inside
        # reported speech are what was said, not who says it, and are left out. Salient
        # organisations likewise, for `it said` and `the company said`.
        reported = reported or [False] * len(doc)
        seen_sents: set[tuple[str, int]] = set()
        n = len(doc)
        for ent in ents:
            label, start = ent.label_, ent.start
            if label not in SALIENT_LABELS or inside_quote[start]:
                continue
            if label == PERSON and reported[start]:
                continue
            # a possessor (`Wenger's counterpart Felix Magath`) is not the one the sentence
            # is about; the subject, or the name apposed/compounded to it, is
            root = ent.root
            root_dep = root.dep_
            possessor = root_dep == "poss" or (ent.end < n and doc[ent.end].tag_ == "POS")
            key = (label, sent_of[start])
            first = key not in seen_sents and not possessor
            if not possessor:
                seen_sents.add(key)
            subject = root_dep in ("nsubj", "nsubjpass") or (
                root_dep in ("appos", "compound") and root.head.dep_ in ("nsubj", "nsubjpass"))
            if first or subject:
                self.remember(self.named(root))

    # -- lookups -------------------------------------------------------------------------
    def cluster_for(self, start: int, end: int, head: int | None = None) -> dict[str, Any] | None:
        """The people cluster holding the mention at these char offsets, if any: the same
        span, the same start, or (near misses) a mention covering the head word's offset."""
        hit = self._by_span.get((start, end)) or self._by_start.get(start)
        if hit or head is None:
            return hit
        for cluster in self.people:
            for s, e in cluster.get("mentions", []):
                if s <= head < e:
                    return cluster
        return None

    def _fallback_person(self, span: Span) -> Span | None:
        """Longest PERSON entity whose last word is the mention's last word."""
        return self._longest.get(span[-1].text)

    def _fallback_titles(self) -> dict[str, set[str]]:
        """canonical name -> role nouns the article puts before it or in apposition; also
        records the gender a gendered title (Mr, Ms, actress) gives the person."""
        titles: dict[str, set[str]] = {}
        for ent in self._persons:
            found = set()
            genders = set()
            for tok in self.doc[max(0, ent.start - 3) : ent.start + 1]:
                low = tok.text.lower()
                if low in self.roles:
                    found.add(low)
                if low in self.gendered:
                    genders.add(self.gendered[low])
            if genders:
                full = (self._fallback_person(ent) or ent).text
                cluster = self.cluster_for(ent.start_char, ent.end_char)
                name = cluster.get("canonical_name") if cluster else full
                gender = genders.pop() if len(genders) == 1 else None
                if self._gender.get(name, gender) != gender:
                    gender = None  # titles disagree: leave it unknown
                self._gender[name] = gender
            for tok in ent.root.children:
                if tok.dep_ == "appos" and tok.lemma_.lower() in self.roles:
                    found.add(tok.lemma_.lower())
            if ent.root.dep_ == "appos" and ent.root.head.lemma_.lower() in self.roles:
                found.add(ent.root.head.lemma_.lower())
            if found:
                full = self._fallback_person(ent) or ent
                titles.setdefault(full.text, set()).update(found)
        return titles

    def _titles_of(self, canonical: str | None, cluster: dict[str, Any] | None) -> frozenset[str]:
        found: set[str] = set()
        if cluster:
            for title in cluster.get("titles", []) or []:
                found.update(w.lower() for w in str(title).split())
                found.add(str(title).lower())
        if canonical:
            found.update(self._titles.get(canonical, ()))
        return frozenset(found)

    # -- resolution ----------------------------------------------------------------------
    def named(self, token: Token) -> dict[str, Any]:
        """Speaker fields for a subject that names its speaker (or a group)."""
        span = mention_span(token)
        cluster = self.cluster_for(span.start_char, span.end_char, token.idx)
        label = token.ent_type_ if token.ent_type_ in SPEAKER_LABELS else None
        canonical = None
        cid = None
        if cluster:
            canonical, cid = cluster.get("canonical_name"), cluster.get("canonical_id")
            label = cluster.get("label")
        elif token.pos_ == "PROPN" or label:
            full = self._fallback_person(span)
            if full is not None:
                canonical, label = full.text, PERSON
            else:
                canonical = " ".join(t.text for t in span if t.text.lower() not in self.roles
                                     and t.dep_ != "det") or span.text
        else:
            canonical = span.text
        return {
            "speaker": span.text,
            "speaker_start": span.start_char,
            "speaker_end": span.end_char,
            "speaker_canonical": canonical,
            "speaker_id": cid,
            "speaker_label": label,
            "resolution": "named",
        }

    def remember(self, info: dict[str, Any], role: str | None = None, plural: bool = False) -> None:
        """Record a resolved speaker (or a salient mention) as an antecedent for later
        pronouns and roles; an unnamed role speaker (`a spokeswoman`) is a person titled
        with its role, gendered if the role word is."""
        pos = info.get("speaker_start")
        if pos is None or not info.get("speaker_canonical"):
            return
        cluster = self._by_start.get(pos)
        titles = self._titles_of(info.get("speaker_canonical"), cluster)
        gender = self._gender.get(info.get("speaker_canonical"))
        if role:
            titles = titles | {role}
            gender = gender or self.gendered.get(role.split()[-1])
        label = info.get("speaker_label")
        is_org = label == ORG or self._apposed_org(pos)
        ante = Antecedent(pos, info, (label == PERSON and not is_org) or role is not None, titles, gender,
                          plural, is_org)
        i = bisect.bisect_right(self._keys, pos)
        self._keys.insert(i, pos)
        self._antecedents.insert(i, ante)

    def _apposed_org(self, pos: int) -> bool:
        """`Streamly, the music streaming company, said`: an organisation noun in apposition
        makes the name an organisation whatever the tagger says."""
        if self._token_at is None:
            self._token_at = {k: i for i, k in enumerate(self.doc.to_array(IDX).tolist())}
        i = self._token_at.get(pos)
        if i is None:
            return False
        tok = self.doc[i]
        for t in (tok, *(c for c in tok.children if c.dep_ == "compound")):
            head = t.head if t.dep_ == "compound" else t
            for c in head.children:
                if c.dep_ == "appos" and c.lemma_.lower() in self.org_nouns:
                    return True
        return False

    def _recent(self, before: int, want: Iterable[str], gender: str | None,
                singular: bool = False) -> Antecedent | None:
        want = set(want)
        i = bisect.bisect_left(self._keys, before)
        for ante in reversed(self._antecedents[max(0, i - 50) : i]):
            known = ante.gender or self._gender.get(ante.speaker.get("speaker_canonical"))
            if gender and known and known != gender:
                continue
            if singular and ante.plural:
                continue
            if ante.is_person and "person" in want:
                return ante
            if not ante.is_person and "group" in want:
                return ante
        return None

    def resolve(self, token: Token) -> dict[str, Any]:
        """Speaker fields for the subject token of a cue, with the rule that decided."""
        if not token.ent_type_:  # `the union's chief, Ana Ruiz,` -> the apposed name
            named = next((c for c in token.children if c.dep_ == "appos"
                          and (c.ent_type_ == PERSON or (c.pos_ == "PROPN" and not c.ent_type_)
                               or (c.ent_type_ == ORG and token.pos_ == "NOUN"))), None)
            token = named or token
        low = token.text.lower()
        if token.pos_ == "PRON":
            spec = self.pronouns.get(low)
            ante = self._recent(token.idx, spec["can_be"], spec.get("gender"),
                                spec.get("number") == "singular") if spec else None
            info = self._pronoun_fields(token, ante)
            if ante is not None:  # the speaker is now the most recent mention of them
                name = ante.speaker.get("speaker_canonical")
                if spec.get("gender") and ante.gender is None and name not in self._gender:
                    self._gender[name] = spec["gender"]  # once `he`, never `she`
                    ante.gender = spec["gender"]
                self._remember_again(ante, token.idx)
            return info
        if token.ent_type_ in SPEAKER_LABELS or token.pos_ == "PROPN":
            info = self.named(token)
            if info["speaker_canonical"]:
                edge = token.right_edge  # `A Department for Education spokeswoman` (misparsed)
                role = edge.lemma_.lower() if edge.i > token.i and edge.pos_ == "NOUN" else None
                self.remember(info, role=role if role in self.roles else None, plural=token.tag_ == "NNPS")
            return info
        span = mention_span(token)
        role = self._role_of(span)
        plural = token.tag_ in ("NNS", "NNPS")
        definite = _is_definite(token)
        if role and not plural and not definite:
            org = self._role_org(token)
            if org is not None:  # `a spokeswoman for the ministry said`: the ministry speaks
                info = self.named(org)
                # the speaker is the organisation's spokesperson: `Oxford University spokeswoman`
                info.update(speaker=span.text, speaker_start=span.start_char, speaker_end=span.end_char,
                            speaker_canonical=f"{info['speaker_canonical']} {role}", resolution="role")
                self.remember(info, role=role)
                return info
        if role and not plural:
            modifiers = frozenset(t.lower_ for t in span if t.i < token.i and t.lower_ not in _SKIP_WORDS
                                  and t.dep_ != "poss")
            ante = self._by_title(role, token.idx, modifiers)
            if ante is None and definite:  # `the entrepreneur said`: the person just quoted
                ante = self._recent(token.idx, ["person"], self.gendered.get(role.split()[-1]), True)
            if ante is not None:
                return self._refer(ante, span, "role")
        lemma = token.lemma_.lower()
        if not plural and definite and lemma in self.org_nouns:  # `the company said`
            ante = self._recent_org(token.idx)
            if ante is not None:
                return self._refer(ante, span, "role")
        info = self.named(token)
        if plural or token.ent_type_:
            self.remember(info, plural=plural)
        elif role:
            self.remember(info, role=role)
        return info

    def _refer(self, ante: Antecedent, span: Span, resolution: str) -> dict[str, Any]:
        info = dict(ante.speaker)
        info.update(speaker=span.text, speaker_start=span.start_char, speaker_end=span.end_char,
                    resolution=resolution)
        self._remember_again(ante, span.start_char)
        return info

    def _remember_again(self, ante: Antecedent, pos: int) -> None:
        """A referring mention makes its antecedent the most recent one."""
        again = Antecedent(pos, ante.speaker, ante.is_person, ante.titles, ante.gender, ante.plural,
                           ante.is_org)
        i = bisect.bisect_right(self._keys, pos)
        self._keys.insert(i, pos)
        self._antecedents.insert(i, again)

    def _recent_org(self, before: int) -> Antecedent | None:
        i = bisect.bisect_left(self._keys, before)
        for ante in reversed(self._antecedents[max(0, i - 50) : i]):
            if ante.is_org:
                return ante
        return None

    def _pronoun_fields(self, token: Token, ante: Antecedent | None) -> dict[str, Any]:
        base = {"speaker": token.text, "speaker_start": token.idx, "speaker_end": token.idx + len(token.text)}
        if ante is None:
            base.update(speaker_canonical=None, speaker_id=None, speaker_label=None, resolution="unresolved")
            return base
        base.update(speaker_canonical=ante.speaker.get("speaker_canonical"),
                    speaker_id=ante.speaker.get("speaker_id"),
                    speaker_label=ante.speaker.get("speaker_label"), resolution="pronoun")
        return base

    def _role_of(self, span: Span) -> str | None:
        words = [t.text.lower() for t in span if t.text.lower() not in _SKIP_WORDS]
        for n in (3, 2, 1):
            if len(words) >= n and " ".join(words[-n:]) in self.roles:
                return " ".join(words[-n:])
        return None

    @staticmethod
    def _role_org(token: Token) -> Token | None:
        """The organisation an unnamed role speaks for: `a spokesman for the WSIS`,
        `a Department of Health spokeswoman`; None when a person is named with it."""
        if any(c.dep_ == "appos" for c in token.children):
            return None
        for child in token.children:
            if child.dep_ == "compound" and child.ent_type_ in BODY_LABELS:
                return child
            if child.dep_ == "prep" and child.lower_ in ("for", "at", "from"):
                obj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if obj is not None and (obj.ent_type_ in BODY_LABELS or obj.pos_ == "PROPN"):
                    return obj
        return None

    def _by_title(self, role: str, before: int, modifiers: frozenset[str] = frozenset()) -> Antecedent | None:
        """The person with this title, most recent first; one whose titles also carry the
        mention's modifiers (`the Lib Dem leader`) before one that has only the head noun."""
        if modifiers:
            i = bisect.bisect_left(self._keys, before)
            for ante in (*reversed(self._antecedents[:i]), *self._antecedents[i:]):
                if role in ante.titles and modifiers <= ante.titles:
                    return ante
        i = bisect.bisect_left(self._keys, before)
        for ante in reversed(self._antecedents[:i]):
            if role in ante.titles:
                return ante
        for ante in self._antecedents[i:]:
            if role in ante.titles:
                return ante
        return None
