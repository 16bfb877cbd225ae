"""Role nouns, epithets, ages and document issuers: what a source that is not a name says
about who speaks.

Why: news names a person once and then calls them ``the senator``, ``the veteran
striker``, ``the 52-year-old`` or ``his father, Tom``; a statement speaks for whoever
issued it (``a statement from the ministry said``, ``the ministry issued a statement
saying``). The rule data is ``models/quotes/speakers.json`` (read by ``SpeakerRules``)
and the shared role list ``models/lexicon/roles.txt``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Token

from newsmine.nlp.entities.names import CACHE_SIZE
from newsmine.nlp.labels import BODY_LABELS
from newsmine.nlp.quotes import columns
from newsmine.rules import RuleDataError, RuleSource, read_json

_SKIP_WORDS = frozenset({"the", "a", "an", "'s", "\u2019s", "'", "this", "that", "his", "her", "their",
                         "its"})
_SECTIONS = ("not_speakers", "documents", "issue_verbs", "abbreviations", "role_families",
             "exclusive_modifiers")
_TITLE_CACHE = CACHE_SIZE  # texts whose title words are kept (the word caches' size: memory stays flat)
_LOOKBACK = 400  # tokens: how far back `the report` looks for `a World Bank report`
_OLD, _YEAR = columns.ids(frozenset(("old", "year-old"))), columns.sid("year")
_HYPHENS = columns.ids(frozenset(("-", "\u2010", "\u2011")))
_AGE_OPEN, _AGE_CLOSE = columns.ids(frozenset((",", "("))), columns.ids(frozenset((",", ")", ".")))
_AGE_STOP = columns.ids(frozenset((".", ";", "\n")))


@dataclass(frozen=True)
class SpeakerRules:
    """The rule data of speaker resolution (see ``models/quotes/speakers.json``)."""

    roles: frozenset[str] = frozenset()
    not_speakers: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()
    issue_verbs: frozenset[str] = frozenset()
    abbreviations: dict[str, str] = field(default_factory=dict)
    families: dict[str, frozenset[str]] = field(default_factory=dict)  # role -> the roles it can stand for
    rivals: dict[str, frozenset[str]] = field(default_factory=dict)  # modifier -> the ones it excludes
    # text -> its title words: the discourse pass asks for the words before every name
    _titles: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, source: RuleSource, rel: str, roles: frozenset[str]) -> SpeakerRules:
        """Read the JSON file ``rel``; ``roles`` is the role list the stage already read."""
        data = read_json(source, rel, required=_SECTIONS, fold=str.lower)
        for key in _SECTIONS[:3]:
            if not all(isinstance(w, str) for w in data[key]):
                raise RuleDataError(f"{source.where(rel)}: {key!r} must be a list of words")
        abbreviations = {k.lower(): str(v).lower() for k, v in data["abbreviations"].items()}
        families = _groups(source, rel, data, "role_families")
        rivals = {w: frozenset(g - {w}) for w, g in _groups(source, rel, data, "exclusive_modifiers").items()}
        # a word of a role family is a role too (`the mogul said`)
        return cls(frozenset(roles) | frozenset(families), frozenset(w.lower() for w in data["not_speakers"]),
                   frozenset(w.lower() for w in data["documents"]),
                   frozenset(w.lower() for w in data["issue_verbs"]), abbreviations,
                   {k: frozenset(v) for k, v in families.items()}, rivals)

    def conflicts(self, modifiers: set[str], titles: set[str]) -> bool:
        """Do a person's titles rule out the modifiers (`Republican` vs a Libertarian)?"""
        return any(self.rivals.get(m, frozenset()) & titles for m in modifiers)

    def family(self, role: str) -> set[str]:
        """The words a title may use for this role (`congressman` -> representative, lawmaker ...)."""
        words = set(role.split())
        return words | self.families.get(role, frozenset()) | self.families.get(role.split()[-1], frozenset())

    @cached_property
    def head_words(self) -> frozenset[str]:
        """Words that can head a role or epithet noun phrase: the last word of each role
        (`secretary` of `press secretary`) and the end of an age (`52-year-old`); built
        once (every document's resolver asks)."""
        return frozenset(r.split()[-1] for r in self.roles) | {"old", "year-old"}

    def title_words(self, text: str) -> set[str]:
        """The role words of a title as written: `Sen.` -> senator, `Florida Gov.` -> governor
        (a new set each call, worked out once per text)."""
        found = self._titles.get(text)
        if found is None:
            out = set()
            for word in text.lower().replace(",", " ").split():
                word = self.abbreviations.get(word, word)
                out.update(word.split())
            if len(self._titles) >= _TITLE_CACHE:
                self._titles.clear()
            found = self._titles[text] = frozenset(out)
        return set(found)


def _groups(source: RuleSource, rel: str, data: dict, key: str) -> dict[str, set[str]]:
    """word -> the union of the groups (lists of words) of section ``key`` it is in."""
    out: dict[str, set[str]] = {}
    for group in data[key]:
        if not isinstance(group, list) or not all(isinstance(w, str) for w in group):
            raise RuleDataError(f"{source.where(rel)}: {key!r} must be lists of words")
        words = {w.lower() for w in group}
        for word in words:
            out.setdefault(word, set()).update(words)
    return out


def age_of(tok: Token) -> str | None:
    """`52-year-old` when ``tok`` ends an `N-year-old` (the head of `the 52-year-old`)."""
    return _age_at(tok.doc, columns.of(tok.doc), tok.i)


def _age_at(doc: Doc, cols: columns.Columns, i: int) -> str | None:
    """``age_of(doc[i])``, read from the columns (a Token only for the number found)."""
    if cols.lower[i] in _OLD and i >= 2:
        orth = cols.orth
        j = i - 1
        while j >= 0 and orth[j] in _HYPHENS:
            j -= 1
        if j >= 0 and cols.lower[j] == _YEAR:
            j -= 1
            while j >= 0 and orth[j] in _HYPHENS:
                j -= 1
        if j >= 0 and cols.like_num[j]:
            return f"{doc[j].text}-year-old"
    return None


def age_near(doc: Doc, start: int, end: int) -> str | None:
    """The age the article gives a name at tokens [start, end): `Smith, 52,`, `Smith (52)`,
    `the 52-year-old Smith`, `Smith, a 52-year-old lawyer`."""
    n = len(doc)
    cols = columns.of(doc)
    orth = cols.orth
    if end + 2 < n and orth[end] in _AGE_OPEN and orth[end + 2] in _AGE_CLOSE:
        number = doc[end + 1].text
        if number.isdigit() and 12 <= int(number) <= 110:
            return f"{number}-year-old"
    if start > 0:
        found = _age_at(doc, cols, start - 1)
        if found:
            return found
    for k in range(end, min(n, end + 8)):
        if orth[k] in _AGE_STOP or cols.space[k]:
            break
        found = _age_at(doc, cols, k)
        if found:
            return found
    return None


def role_of(rules: SpeakerRules, tok: Token) -> str | None:
    """The role a noun phrase headed by ``tok`` names (`the veteran striker` -> striker,
    `the press secretary` -> press secretary), its age (`the 52-year-old`), or None."""
    age = age_of(tok)
    if age:
        return age
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    words = [t.lower_ for t in tok.lefts
             if t.dep_ in ("compound", "amod", "nmod") and t.lower_ not in _SKIP_WORDS]
    words = [*words, tok.lower_]
    for n in (3, 2):
        if len(words) >= n and " ".join(words[-n:]) in rules.roles:
            return " ".join(words[-n:])
    lemma = tok.lemma_.lower()
    if lemma in rules.roles or tok.lower_ in rules.roles:
        return lemma if lemma in rules.roles else tok.lower_
    return None


def role_org(tok: Token) -> Token | None:
    """The organisation an unnamed role speaks for: `a spokesman for the WSIS`, `a
    Department of Health spokeswoman`; None when a person is named with it."""
    if any(c.dep_ == "appos" for c in tok.children):
        return None
    for child in tok.children:
        if child.dep_ == "compound" and child.ent_type_ in BODY_LABELS:
            return child
        if child.dep_ == "prep" and child.lower_ in ("for", "at", "from"):
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None and (obj.ent_type_ in BODY_LABELS or obj.pos_ == "PROPN"):
                return obj
    return None


def issuer_of(rules: SpeakerRules, tok: Token) -> Token | None:
    """Who issued the document ``tok`` names: its possessor or entity compound (`the
    Kremlin's statement`, `a White House memo`), `from/by/of X`, `issued by X`, the subject
    of `X issued a statement saying`, or the owner of an earlier `a World Bank report`
    when it is `the report`. None when the document has no issuer in the text."""
    if tok.lemma_.lower() not in rules.documents and tok.lower_ not in rules.documents:
        return None
    for child in tok.children:
        if child.dep_ == "poss" or (child.dep_ in ("compound", "nmod") and child.ent_type_):
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None and (obj.ent_type_ or obj.pos_ in ("PROPN", "NOUN")):
                return obj
        if child.dep_ == "acl" and child.tag_ == "VBN":  # `a report released by the ministry`
            for g in child.children:
                if g.dep_ == "agent":
                    obj = next((o for o in g.children if o.dep_ == "pobj"), None)
                    if obj is not None:
                        return obj
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in rules.issue_verbs:
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "agent")), None)
        if subj is not None and subj.dep_ == "agent":
            subj = next((o for o in subj.children if o.dep_ == "pobj"), None)
        if subj is not None:
            return subj
    if any(c.lower_ in ("the", "this", "that") for c in tok.children if c.dep_ == "det"):
        return _earlier_owned(tok)
    return None


def _earlier_owned(noun: Token) -> Token | None:
    """The owner of the latest earlier mention of the same document noun: `a World Bank
    report` ... `the report said` -> World Bank (bounded look-back)."""
    doc, lemma = noun.doc, noun.lemma_.lower()
    for i in range(noun.i - 1, max(-1, noun.i - _LOOKBACK), -1):
        if doc[i].lemma_.lower() != lemma:
            continue
        for child in doc[i].children:
            if child.dep_ in ("poss", "compound") and child.ent_type_ in BODY_LABELS | {"PERSON"}:
                return child
    return None
