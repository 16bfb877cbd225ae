"""Who is speaking: from the source token of a cue to a person, named in ``resolution``.

``SpeakerResolver(doc, ...).resolve(token)`` gives the speaker fields of one source
token (the quote stage finds the token; this module says who it is):

* ``speaker``/``speaker_start``/``speaker_end``: the source as written (``mentions``):
  ``Douglas Holtz-Eakin, an economist at the forum``, ``his father, Tom``, ``Neera Tanden
  and Blair Effron``, ``he``, ``who``.
* ``speaker_canonical``/``speaker_id``/``speaker_label``: the person (or organisation)
  it is, from the people clusters of ``newsmine_entities``; None when not known.
* ``resolution``, the rule that decided:

  - ``named``: the source names its speaker or a group (``Zelenskyy``, ``the Kremlin``,
    ``his father, Tom`` through the apposition, ``U.S. officials``);
  - ``pronoun``: ``he``/``she``/``it``/``they`` -> the most salient referent that agrees
    in gender and number (``discourse``; gender from ``entities.gender``);
  - ``role``: ``the senator``, ``the veteran striker``, ``the 52-year-old``, ``the
    company`` -> the person (organisation) with that title or age, or the one just
    talked about; ``a spokeswoman for the ministry`` -> the ministry's spokeswoman;
  - ``relative``: ``Smith, who said`` -> the ``who`` is Smith;
  - ``issuer``: a document speaks for its issuer (``a statement from the ministry``,
    ``the ministry issued a statement saying``);
  - ``coordinated``: ``Tanden and Effron said``: one row, ``speaker`` holds both, the
    canonical fields are the first conjunct's;
  - ``unresolved``: no agreeing candidate (canonical fields None), and sources that name
    no one who can speak (``nobody``, ``a shock resignation``: speaker None too).

Without people clusters a mention maps to the longest PERSON entity sharing its last
word, so ``Jones`` still becomes ``Seth Jones``; clustering itself is not this module's job.
"""

from __future__ import annotations

from typing import Any

from spacy.symbols import ADJ, NOUN, PROPN
from spacy.tokens import Doc, Span, Token

from newsmine.nlp.entities.gender import agreed
from newsmine.nlp.labels import PERSON, SPEAKER_LABELS
from newsmine.nlp.quotes import columns
from newsmine.nlp.quotes.discourse import Discourse, PersonFacts, Referent
from newsmine.nlp.quotes.mentions import (
    apposed_name,
    coordinated,
    entity_bounds,
    is_definite,
    name_span,
    np_head,
    relative_head,
    written_span,
)
from newsmine.nlp.quotes.roles import SpeakerRules, age_near, issuer_of, role_of, role_org

_FIELDS = ("speaker_canonical", "speaker_id", "speaker_label")
_TITLE_POS = frozenset({PROPN, NOUN, ADJ})
_PERSON = columns.sid(PERSON)
_NOT_TITLE = frozenset({"the", "a", "an", "of", "for", "at", "and", "in", "on", "to", "'s", "\u2019s", "-",
                        "(", ")"})


class SpeakerResolver:
    """Per-document speaker resolution; build once per Doc, then call ``resolve``."""

    def __init__(self, doc: Doc, people: list[dict[str, Any]] | None, roles: frozenset[str],
                 org_nouns: frozenset[str], pronouns: dict[str, dict[str, Any]], gendered: dict[str, str],
                 inside_quote: list[bool], sent_of: list[int], reported: list[bool] | None = None,
                 rules: SpeakerRules | None = None) -> None:
        self.doc = doc
        self.rules = rules or SpeakerRules(roles=frozenset(roles))
        self.org_nouns = org_nouns
        self.gendered = gendered
        self.inside_quote = inside_quote
        self.people = people or []
        self._by_span: dict[tuple[int, int], dict[str, Any]] = {}
        self._by_start: dict[int, dict[str, Any]] = {}
        for cluster in self.people:
            for start, end in cluster.get("mentions", []):
                self._by_span[(start, end)] = cluster
                self._by_start[start] = cluster
        self._longest_names: dict[str, Span] | None = None  # built only if a name has no cluster
        # per token index: the discourse pass and the speakers ask for the same mentions
        self._name_spans: dict[int, Span] = {}
        self._clusters: dict[int, dict[str, Any] | None] = {}
        self._described: dict[int, dict[str, Any]] = {}
        self.discourse = Discourse(
            doc, inside_quote=inside_quote, sent_of=sent_of, pronouns=pronouns, gendered=gendered,
            org_nouns=org_nouns, describe=self._describe, cluster_for=self._cluster_of_token,
            person_facts=self._person_facts, role_of=lambda t: role_of(self.rules, t),
            can_speak=self._can_speak, nouns=self.rules.head_words | org_nouns, roles=self.rules.roles,
            family=self.rules.family, words=self.rules.title_words, conflicts=self.rules.conflicts,
            reported=reported)

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

    def _longest(self, last_word: str) -> Span | None:
        """Longest PERSON entity ending in ``last_word`` (the fallback without clusters)."""
        if self._longest_names is None:
            self._longest_names = {}
            for ent in self.doc.ents:
                if ent.label_ == PERSON:
                    best = self._longest_names.get(ent[-1].text)
                    if best is None or len(ent.text) > len(best.text):
                        self._longest_names[ent[-1].text] = ent
        return self._longest_names.get(last_word)

    def _name_span(self, token: Token) -> Span:
        """``name_span(token)``, computed once per token."""
        span = self._name_spans.get(token.i)
        if span is None:
            span = self._name_spans[token.i] = name_span(token)
        return span

    def _cluster_of_token(self, token: Token) -> dict[str, Any] | None:
        """The people cluster of the name ``token`` is in, looked up once per token."""
        if token.i in self._clusters:
            return self._clusters[token.i]
        span = self._name_span(token)
        cluster = self._clusters[token.i] = self.cluster_for(span.start_char, span.end_char, token.idx)
        return cluster

    def _person_facts(self, cluster: dict[str, Any] | None, root: Token) -> PersonFacts:
        """Titles (role words and apposed nouns), gender and age of the person a name
        mention is: the cluster's, plus what stands right before this mention or in
        apposition to it (`striker Marco Ruiz`, `Ruiz, a veteran striker,`, `Ruiz, 52,`)."""
        doc, rules = self.doc, self.rules
        start, end = entity_bounds(root)
        titles: set[str] = set()
        for title in (cluster or {}).get("titles", []) or []:
            titles |= rules.title_words(str(title)) - _NOT_TITLE
        cols, strings = columns.of(doc), doc.vocab.strings
        k = start - 1  # the title right before the name: `Indiana Gov.`, `Democratic nominee`
        while k >= max(0, start - 4) and cols.pos[k] in _TITLE_POS and cols.ent[k] != _PERSON:
            tok = doc[k]
            titles |= rules.title_words(tok.text) - _NOT_TITLE
            if cols.pos[k] == NOUN and tok.head.i in range(start, end):
                titles.add(tok.lemma_.lower())
            k -= 1
        said = [self.gendered.get(strings[cols.lower[k]]) for k in range(max(0, start - 3), start)]
        for tok in root.children:
            if tok.dep_ == "appos" and tok.pos_ == "NOUN":
                titles.add(tok.lemma_.lower())
                titles |= {t.lower_ for t in tok.lefts if t.lower_ in rules.roles}
                said.append(self.gendered.get(tok.lower_))
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            titles.add(root.head.lemma_.lower())
            said.append(self.gendered.get(root.head.lower_))
        gender = (cluster or {}).get("gender") or agreed(said)
        return titles, gender, age_near(doc, start, end)

    def _can_speak(self, root: Token, cluster: dict[str, Any] | None) -> bool:
        """A PERSON mention that may be an antecedent: not a lone capitalised word nothing
        else supports (`Nationally`, a headline word), not a lower-cased phrase."""
        start, end = entity_bounds(root)
        words = [t for t in Span(self.doc, start, end) if t.is_alpha]
        if not words or any(t.is_lower and len(t) > 3 for t in words) or len(words) > 5:
            return False
        if len(words) >= 2 or root.dep_ in ("nsubj", "nsubjpass"):
            return True
        if cluster is None:
            return root.pos_ == "PROPN"
        name = str(cluster.get("canonical_name") or "")
        return len(name.split()) >= 2 or len(cluster.get("mentions", [])) >= 2 or bool(cluster.get("titles"))

    # -- resolution ----------------------------------------------------------------------
    def named(self, token: Token) -> dict[str, Any]:
        """Speaker fields for a source that names its speaker (or a group)."""
        return self._written(self._describe(token), token, "named")

    def _written(self, info: dict[str, Any], token: Token, resolution: str) -> dict[str, Any]:
        """``info`` with the source as written around ``token`` and the deciding rule
        (``unresolved`` when no one was found)."""
        span = written_span(token, self.inside_quote, self._name_span(token))
        info.update(speaker=span.text, speaker_start=span.start_char, speaker_end=span.end_char,
                    resolution=resolution if info.get("speaker_canonical") else "unresolved")
        return info

    def _describe(self, token: Token) -> dict[str, Any]:
        """Canonical fields of the name (or noun phrase) ``token`` heads: found once per
        token (the discourse pass and the speakers both ask), a fresh dict each call."""
        fields = self._described.get(token.i)
        if fields is None:
            fields = self._described[token.i] = self._fields(token)
        return dict(fields)

    def _fields(self, token: Token) -> dict[str, Any]:
        span = self._name_span(token)
        cluster = self._cluster_of_token(token)
        label = token.ent_type_ if token.ent_type_ in SPEAKER_LABELS else None
        cid = None
        if cluster:
            canonical, cid = cluster.get("canonical_name"), cluster.get("canonical_id")
            label = cluster.get("label")
        elif token.pos_ == "PROPN" or label:
            full = self._longest(span[-1].text)
            if full is not None:
                canonical, label = full.text, PERSON
            else:
                canonical = " ".join(t.text for t in span if t.text.lower() not in self.rules.roles
                                     and t.dep_ != "det") or span.text
        else:
            canonical = span.text
            org = role_org(token) if role_of(self.rules, token) and not is_definite(token) else None
            if org is not None:  # `a spokeswoman for the ministry`: the ministry's spokeswoman
                inner = self._describe(org)
                canonical = f"{inner['speaker_canonical']} {role_of(self.rules, token)}"
                cid, label = inner["speaker_id"], inner["speaker_label"]
        return {"speaker_canonical": canonical, "speaker_id": cid, "speaker_label": label}

    def resolve(self, token: Token) -> dict[str, Any]:
        """Speaker fields for the source token of a cue, with the rule that decided."""
        if token.lower_ in self.rules.not_speakers or token.lemma_.lower() in self.rules.not_speakers:
            return _nobody()
        head = relative_head(token)
        if head is not None:  # `Smith, who said`: speaker `who`, the person Smith
            info = self.resolve(head)
            info.update(speaker=token.text, speaker_start=token.idx, speaker_end=token.idx + len(token.text),
                        resolution="relative" if info["speaker_canonical"] else "unresolved")
            return info
        group = [t for t in coordinated(token) if self._is_someone(t)]
        if len(group) < 2 or np_head(token) not in group:  # the source itself must be one of them
            return self._resolve_one(token)
        # one row, the source as written holds them all; the canonical fields are the first's
        return self._written(self._resolve_one(group[0]), token, "coordinated")

    def _is_someone(self, token: Token) -> bool:
        """A conjunct that is a speaker of its own: a name, a pronoun, a role noun (`his
        aides`); not a title of the same person (`Former Gov. and DNC Chairman Ed Rendell`)."""
        if token.ent_type_ in SPEAKER_LABELS or token.pos_ == "PRON":
            return True
        titled = bool(self.rules.title_words(token.text) & self.rules.roles)
        if token.pos_ == "PROPN" and not token.is_lower:
            return not titled
        return titled

    def _resolve_one(self, token: Token) -> dict[str, Any]:
        named = apposed_name(token)  # `the union's chief, Ana Ruiz,`, `his father, Tom`
        if named is not None:
            return self._written(self._describe(named), token, "named")
        if token.pos_ == "PRON" or token.i in self.discourse.points_to:
            return self._referred(token, self.discourse.points_to.get(token.i),
                                  "pronoun" if token.pos_ == "PRON" else "role")
        title = token.pos_ == "PROPN" and bool(self.rules.title_words(token.text) & self.rules.roles)
        if title and not token.ent_type_:
            person = self._person_in(token)  # `Former Gov. and DNC Chairman Ed Rendell`
            if person is not None:
                return self._written(self._describe(person), token, "named")
        if token.ent_type_ in SPEAKER_LABELS or (token.pos_ == "PROPN" and not token.is_lower):
            return self.named(token)
        issuer = issuer_of(self.rules, token)
        if issuer is not None and issuer.i != token.i and not self._not_someone(issuer):
            info = self._resolve_one(issuer) if issuer.pos_ == "PRON" else self._describe(issuer)
            within = token.left_edge.i <= issuer.i <= token.right_edge.i  # `a statement from X`
            # `the report said`: the source as written is `the report`
            earlier = issuer.i < columns.of(self.doc).sent_bounds(token)[0]
            return self._written(info, token if within or earlier else issuer, "issuer")
        role = role_of(self.rules, token)
        if role and is_definite(token) and token.tag_ not in ("NNS", "NNPS"):
            return self._referred(token, self.discourse.by_title(role, token), "role")
        return self.named(token)

    @staticmethod
    def _person_in(token: Token) -> Token | None:
        """The one PERSON name inside a title's noun phrase, if there is exactly one."""
        names = {entity_bounds(t) for t in token.subtree if t.ent_type_ == PERSON}
        if len(names) != 1:
            return None
        start, end = names.pop()
        return token.doc[start:end].root

    def _not_someone(self, token: Token) -> bool:
        return token.lower_ in self.rules.not_speakers

    def _referred(self, token: Token, ref: Referent | None, resolution: str) -> dict[str, Any]:
        """Fields for a pronoun or role noun that points to ``ref`` (unresolved if None)."""
        pronoun = token.pos_ == "PRON"
        span = self.doc[token.i : token.i + 1] if pronoun \
            else written_span(token, self.inside_quote, self._name_span(token))
        base = {"speaker": span.text, "speaker_start": span.start_char, "speaker_end": span.end_char}
        if ref is None:
            if token.pos_ != "PRON" and token.lemma_.lower() in self.org_nouns:
                return self.named(token)  # `the campaign said`, no campaign named: the group itself
            base.update(dict.fromkeys(_FIELDS), resolution="unresolved")
            return base
        base.update({k: ref.fields.get(k) for k in _FIELDS}, resolution=resolution)
        return base


def _nobody() -> dict[str, Any]:
    out: dict[str, Any] = {"speaker": None, "speaker_start": None, "speaker_end": None}
    out.update(dict.fromkeys(_FIELDS), resolution="unresolved")
    return out
