"""Speech cues on the dependency parse: which tokens are cues and who their speaker is.

A cue is a verb whose lemma is in the lexicon (``warn``, ``remind``, ``add``), a verb
made a cue by a speech noun it governs (``in a joint statement``, ``in an interview``),
or the phrase ``according to X``. The speaker is the cue's subject, a passive's agent,
the noun a participle modifies or the subject of the verb it hangs on, looked through a
speech noun (``The Kremlin's statement said`` -> the Kremlin) and never inside a quote.
Bounded walks up the tree, so the work per document stays linear.
"""

import numpy
from spacy.attrs import DEP, LOWER, POS, TAG
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Token

from newsmine.nlp.labels import SPEAKER_LABELS
from newsmine.nlp.quotes import columns
from newsmine.nlp.quotes.columns import COL

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "ccomp", "acl", "relcl", "prep", "dep"})
NP_POS = frozenset({"PROPN", "NOUN", "DET", "ADJ", "NUM", "PRON"})
_CUE_PREPS = ("in", "on", "during", "via", "through")  # `said in a statement`: the noun is the cue
_CUE_PREP_IDS = columns.sorted_ids(frozenset(_CUE_PREPS))
_PREP, _ACCORDING = columns.sid("prep"), columns.sid("according")


class Cues:
    """The cue lexicons, compiled once per pipeline."""

    def __init__(self, verbs: set[str], nouns: set[str], clause_verbs: set[str] | None = None) -> None:
        self.verbs = frozenset(v.lower() for v in verbs)
        self.nouns = frozenset(n.lower() for n in nouns)
        self.clause_verbs = frozenset(v.lower() for v in clause_verbs or ())

    def cue_of(self, token: Token) -> str | None:
        """The cue a token stands for (lemma or speech noun), or None if it is not one."""
        if token.pos_ not in ("VERB", "AUX") and token.tag_[:2] != "VB":
            return None
        lemma = token.lemma_.lower()
        if lemma in self.verbs:
            return lemma
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in _CUE_PREPS:
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.lemma_.lower() in self.nouns:
                        return obj.lemma_.lower()
        return None

    def cues_at(self, doc: Doc, candidates: list[bool]) -> list[str | None]:
        """``cue_of`` of every token of ``doc`` (None where ``candidates`` rules it out),
        read from the columns: a Token only for a verb whose lemma is no cue but which
        has a ``prep`` child with a speech-noun preposition (``cue_of`` looks there)."""
        cols = columns.of(doc)
        out: list[str | None] = [None] * len(candidates)
        if not len(candidates):
            return out
        arr = cols.arr
        prep = (arr[:, COL[DEP]] == _PREP) & columns.isin(arr[:, COL[LOWER]], _CUE_PREP_IDS)
        at = numpy.flatnonzero(prep)
        heads = numpy.asarray(cols.head, dtype=numpy.int64)[at]
        with_prep = set(heads[heads != at].tolist())  # a token is not its own child
        pos, tag, lemma = cols.pos, cols.tag, cols.lemma
        for i in numpy.flatnonzero(numpy.asarray(candidates, dtype=bool)).tolist():
            if pos[i] != VERB and pos[i] != AUX and not _verb_tag(doc, tag[i]):
                continue
            word = columns.lowered(doc, lemma[i])
            if word in self.verbs:
                out[i] = word
            elif i in with_prep:
                out[i] = self.cue_of(doc[i])
        return out

    def subject_of(self, verb: Token, inside: list[int] | None = None) -> Token | None:
        """The speaker token of a cue verb: its subject, a passive's agent, the noun a
        participle modifies, or the subject of the verb a participle/conjunct hangs on.
        Never a token inside a quotation (``inside[i] >= 0``): ``"...," adding, "..."``
        has no subject of its own, and the quote's words are not its speaker."""
        own = any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in verb.children)
        trailing = None if own else trailing_attribution(verb)
        # `X is pressing the US, Downing Street has indicated.`: the parser makes the cue a
        # conjunct, whose climb would find X; the words before it are the speaker.
        after = own and not any(c.dep_ in ("nsubj", "nsubjpass", "agent") and c.i < verb.i
                                for c in verb.children)  # only an inverted subject
        inverted = None if trailing or (own and not after) else inverted_subject(verb)
        found = trailing[0] if trailing else inverted or self._subject(verb, inside)
        if found is not None and inside is not None and inside[found.i] >= 0:
            # `"That was fine, Mr. President," Senator Ann Holt told him`: the vocative
            # in the quote is misread as the subject; the name apposed after it speaks
            found = next((c for c in found.children if c.dep_ == "appos" and inside[c.i] < 0), None)
        return found

    def _subject(self, verb: Token, inside: list[int] | None = None) -> Token | None:
        if fronted_passive(verb):
            return None  # `Asked about the deal, the minister said`: the minister was asked
        tok = verb
        for _ in range(4):
            agent = None
            for child in tok.children:
                if child.dep_ == "agent":
                    agent = next((g for g in child.children if g.dep_ == "pobj"), None)
            if agent is None and tok is verb:
                agent = _misattached_agent(verb)
            if agent is not None:
                return agent
            # a misparse can give several subjects (`Her co - author`): the one nearest wins
            for child in sorted(tok.children, key=lambda c: abs(c.i - tok.i)):
                if child.dep_ in SUBJECTS and child.dep_ != "nsubjpass":
                    if child.lower_ in _RELATIVE and tok.dep_ == "relcl":
                        return child  # `Smith, who said`: the speakers stage maps `who` to Smith
                    return self._through_cue_noun(child)
            if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return tok.head
            if tok.dep_ not in _CLIMB_DEPS or tok.head.i == tok.i:
                return None
            if inside is not None and inside[tok.head.i] >= 0:
                return None
            tok = tok.head
        return None

    def _through_cue_noun(self, subj: Token) -> Token:
        """``The Kremlin's statement said`` -> the Kremlin; other subjects unchanged, and
        so is a name that happens to be a speech noun (``the Washington Post``)."""
        if subj.lemma_.lower() not in self.nouns or subj.pos_ == "PROPN":
            return subj
        if not any(c.dep_ in ("poss", "compound", "prep") for c in subj.children) \
                and any(c.lower_ == "the" for c in subj.children):
            earlier = _earlier_owned(subj)  # `the report said` after `a World Bank report`
            if earlier is not None:
                return earlier
        for child in subj.children:
            if child.dep_ == "poss" or (child.dep_ == "compound" and child.ent_type_):
                return child
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                obj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if obj is not None:
                    return obj
        return subj


_LOOKBACK = 400


def fronted_passive(verb: Token) -> bool:
    """A passive participle opening its sentence with no subject of its own (`Asked
    whether ..., Pressed on ...`): the subject of the clause it hangs on is the one asked,
    not the asker, whom the sentence does not name."""
    return verb.tag_ == "VBN" and verb.i < verb.head.i and verb.dep_ in ("advcl", "ccomp", "dep") \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "agent") for c in verb.children)


def _earlier_owned(noun: Token) -> Token | None:
    """The owner of the latest earlier mention of the same speech noun: `a World Bank
    report` ... `the report said` -> World Bank. Only an entity compound or possessor
    counts; the look-back is bounded, so the work stays linear."""
    doc, lemma = noun.doc, noun.lemma_.lower()
    for i in range(noun.i - 1, max(-1, noun.i - _LOOKBACK), -1):
        if doc[i].lemma_.lower() != lemma:
            continue
        for child in doc[i].children:
            if child.dep_ in ("poss", "compound") and child.ent_type_ in SPEAKER_LABELS:
                return child
    return None


def _misattached_agent(verb: Token) -> Token | None:
    """A passive cue's agent the parser hung on the quoted object: `branded a "disgraceful
    waste" by MPs`, `criticised for "incessant sleaze" by campaigners` -> the object of
    that `by`. Only for a passive (``nsubjpass``/``auxpass``) and only within two steps."""
    if not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None
    for child in verb.rights:
        nodes = [child]
        if child.dep_ == "prep":
            nodes = [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ not in ("dobj", "oprd", "attr", "xcomp"):
            continue
        for node in nodes:
            for g in node.rights:
                if g.dep_ == "prep" and g.lower_ == "by":
                    obj = next((o for o in g.children if o.dep_ == "pobj"), None)
                    if obj is not None:
                        return obj
    return None


NP_POS = frozenset({"PROPN", "NOUN", "DET", "ADJ", "NUM", "PRON"})
_HEAD_POS = frozenset({"PROPN", "NOUN", "PRON"})
_SKIP_BEFORE_VERB = frozenset({"aux", "auxpass", "neg", "advmod"})
_OPENERS = frozenset(",\u2014\u2013\"\u201d")


def trailing_attribution(verb: Token) -> tuple[Token, int] | None:
    """A sentence-final attribution the parser did not attach: `..., Lib Dem's elections
    chief Lord Rennard said.`, `..., Downing Street has indicated.`, inverted `...,
    claimed the union organisation.` Returns the speaker's head token and the index of
    the comma that ends the content (which starts the sentence)."""
    doc = verb.doc
    if verb.tag_ not in ("VBD", "VBZ", "VBP") and not (
            verb.tag_ == "VBN" and any(c.dep_ == "aux" for c in verb.children)):
        return None  # a participle (`, criticizing the bill`) is never a trailing attribution
    if verb.dep_ == "relcl":
        return None  # `... — concessions Zelenskyy has rejected.`: it reports its noun, not the sentence
    cols = columns.of(doc)
    sent_start, sent_end = cols.sent_bounds(verb)
    rest = [doc[i] for i in range(verb.i + 1, sent_end) if not (cols.punct[i] or cols.space[i])]
    j = verb.i - 1
    while j > sent_start and doc[j].dep_ in _SKIP_BEFORE_VERB and doc[j].pos_ in ("AUX", "ADV", "PART"):
        j -= 1
    k = j
    while k >= sent_start and (doc[k].pos_ in NP_POS or doc[k].tag_ == "POS") and not doc[k].is_punct:
        k -= 1
    if k < j and k > sent_start and doc[k].text in _OPENERS and len(rest) <= 3 \
            and not any(t.pos_ in ("VERB", "AUX") for t in rest):
        head = next((doc[i] for i in range(j, k, -1) if doc[i].pos_ in _HEAD_POS), None)
        if head is not None and j - k <= 8:
            return head, k
    # inverted: `, claimed the union organisation.`
    before = doc[verb.i - 1] if verb.i > sent_start else None
    if before is not None and before.text in _OPENERS and 0 < len(rest) <= 6 \
            and all(t.pos_ in NP_POS or t.tag_ == "POS" for t in rest):
        head = next((t for t in reversed(rest) if t.pos_ in _HEAD_POS), None)
        if head is not None:
            return head, before.i
    return None


_NAME_RUN = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM"})


def inverted_subject(verb: Token) -> Token | None:
    """``"...," said Robert Reich, who ...`` when the parser gave the verb no subject: a
    finite speech verb right after a quote's comma and closing mark, followed by a noun
    phrase; its last name or noun before a comma, relative pronoun or preposition."""
    doc = verb.doc
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i < 2 or not doc[verb.i - 1].is_quote:
        return None
    head = None
    for tok in doc[verb.i + 1 : verb.i + 9]:
        if tok.pos_ not in _NAME_RUN and tok.text != "." and tok.tag_ != "POS":
            break
        if tok.pos_ in ("PROPN", "NOUN"):
            head = tok
    return head


def according_to(token: Token) -> Token | None:
    """The source token X of ``according to X`` when ``token`` is ``according``."""
    if token.lower_ != "according":
        return None
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is None or nxt.lower_ != "to":
        return None
    for child in nxt.children:
        if child.dep_ == "pobj":
            return child
    return None


def _verb_tag(doc: Doc, tag: int) -> bool:
    """Does the tag with this string id start with ``VB``? Decided once per tag."""
    verbal = _VERB_TAGS.get(tag)
    if verbal is None:
        verbal = _VERB_TAGS[tag] = doc.vocab.strings[tag][:2] == "VB"
    return verbal


_VERB_TAGS: dict[int, bool] = {}  # tag string id -> starts with VB (a tagger has a few dozen tags)


def cue_candidates(doc: Doc) -> list[bool]:
    """Per token: could it be a cue at all (``according``, or verb-like for ``cue_of``)?
    Read from the columns, so no Token object is made for the others."""
    if not len(doc):
        return []
    arr = columns.of(doc).arr
    tags = arr[:, COL[TAG]]
    mask = (arr[:, COL[LOWER]] == _ACCORDING) | (arr[:, COL[POS]] == VERB) | (arr[:, COL[POS]] == AUX)
    for tag in set(tags.tolist()):
        if _verb_tag(doc, tag):
            mask |= tags == tag
    return mask.tolist()
