"""Speech cues on the dependency parse, and reported speech without quote marks.

A cue is a verb whose lemma is in the lexicon (``warn``, ``remind``, ``add``), a verb
made a cue by a speech noun it governs (``in a joint statement``, ``in an interview``),
or the phrase ``according to X``. Reported speech is a cue verb with a content clause
(``ccomp``): ``Jones warns that ...``, ``Ryabkov stated they could not ...``, participial
``..., saying ...``. A verb with only an object or an infinitive is not speech:
``Trump announced plans``, ``agreed to halt strikes`` yield nothing.

Everything here is a single pass over the tokens plus bounded walks up the tree, so the
work per document is linear.
"""

import bisect
from dataclasses import dataclass

import numpy
from spacy.attrs import IDX, LOWER, POS, TAG
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Token

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "ccomp", "acl", "relcl", "prep", "dep"})
_EDGE_PUNCT = frozenset(".,;:!?\"'\u201c\u201d\u2018\u2019\u2014\u2013-")


@dataclass(frozen=True)
class Reported:
    """One reported-speech clause: content tokens [start, end), its cue and speaker token."""

    start: int
    end: int
    cue_token: int
    speaker_token: int | None
    cue: str


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
            if child.dep_ == "prep" and child.lower_ in ("in", "on", "during", "via", "through"):
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.lemma_.lower() in self.nouns:
                        return obj.lemma_.lower()
        return None

    def cues_at(self, doc: Doc, candidates: list[bool]) -> list[str | None]:
        """``cue_of`` of every token of ``doc`` (None where ``candidates`` rules it out)."""
        return [self.cue_of(doc[i]) if maybe else None for i, maybe in enumerate(candidates)]

    def subject_of(self, verb: Token, inside: list[int] | None = None) -> Token | None:
        """The speaker token of a cue verb: its subject, a passive's agent, the noun a
        participle modifies, or the subject of the verb a participle/conjunct hangs on.
        Never a token inside a quotation (``inside[i] >= 0``): ``"...," adding, "..."``
        has no subject of its own, and the quote's words are not its speaker."""
        own = any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in verb.children)
        trailing = None if own else trailing_attribution(verb)
        # `X is pressing the US, Downing Street has indicated.`: the parser makes the cue a
        # conjunct, whose climb would find X; the words before it are the speaker.
        found = trailing[0] if trailing else self._subject(verb, inside)
        if found is None or (inside is not None and inside[found.i] >= 0):
            return None
        return found

    def _subject(self, verb: Token, inside: list[int] | None = None) -> Token | None:
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
                if child.dep_ in _SUBJECTS and child.dep_ != "nsubjpass":
                    if child.lower_ in _RELATIVE and tok.dep_ == "relcl":
                        return tok.head
                    return self._through_cue_noun(child)
            if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
                return tok.head
            if tok.dep_ not in _CLIMB_DEPS or tok.head is tok:
                return None
            if inside is not None and inside[tok.head.i] >= 0:
                return None
            tok = tok.head
        return None

    def _through_cue_noun(self, subj: Token) -> Token:
        """``The Kremlin's statement said`` -> the Kremlin; other subjects unchanged."""
        if subj.lemma_.lower() not in self.nouns:
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


def _earlier_owned(noun: Token) -> Token | None:
    """The owner of the latest earlier mention of the same speech noun: `a World Bank
    report` ... `the report said` -> World Bank. Only an entity compound or possessor
    counts; the look-back is bounded, so the work stays linear."""
    doc, lemma = noun.doc, noun.lemma_.lower()
    for i in range(noun.i - 1, max(-1, noun.i - _LOOKBACK), -1):
        if doc[i].lemma_.lower() != lemma:
            continue
        for child in doc[i].children:
            if child.dep_ in ("poss", "compound") and child.ent_type_ in ("ORG", "GPE", "NORP", "PERSON"):
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


_NP_POS = frozenset({"PROPN", "NOUN", "DET", "ADJ", "NUM", "PRON"})
_HEAD_POS = frozenset({"PROPN", "NOUN", "PRON"})
_SKIP_BEFORE_VERB = frozenset({"aux", "auxpass", "neg", "advmod"})
_OPENERS = frozenset(",\u2014\u2013\"\u201d")


def trailing_attribution(verb: Token) -> tuple[Token, int] | None:
    """A sentence-final attribution the parser did not attach: `..., Lib Dem's elections
    chief Lord Rennard said.`, `..., Downing Street has indicated.`, inverted `...,
    claimed the union organisation.` Returns the speaker's head token and the index of
    the comma that ends the content (which starts the sentence)."""
    doc, sent = verb.doc, verb.sent
    if verb.tag_ not in ("VBD", "VBZ", "VBP") and not (
            verb.tag_ == "VBN" and any(c.dep_ == "aux" for c in verb.children)):
        return None  # a participle (`, criticizing the bill`) is never a trailing attribution
    rest = [t for t in doc[verb.i + 1 : sent.end] if not (t.is_punct or t.is_space)]
    j = verb.i - 1
    while j > sent.start and doc[j].dep_ in _SKIP_BEFORE_VERB and doc[j].pos_ in ("AUX", "ADV", "PART"):
        j -= 1
    k = j
    while k >= sent.start and (doc[k].pos_ in _NP_POS or doc[k].tag_ == "POS") and not doc[k].is_punct:
        k -= 1
    if k < j and k > sent.start and doc[k].text in _OPENERS and len(rest) <= 3 \
            and not any(t.pos_ in ("VERB", "AUX") for t in rest):
        head = next((doc[i] for i in range(j, k, -1) if doc[i].pos_ in _HEAD_POS), None)
        if head is not None and j - k <= 8:
            return head, k
    # inverted: `, claimed the union organisation.`
    before = doc[verb.i - 1] if verb.i > sent.start else None
    if before is not None and before.text in _OPENERS and 0 < len(rest) <= 6 \
            and all(t.pos_ in _NP_POS or t.tag_ == "POS" for t in rest):
        head = next((t for t in reversed(rest) if t.pos_ in _HEAD_POS), None)
        if head is not None:
            return head, before.i
    return None


def parenthetical_content(verb: Token) -> list[tuple[int, int]] | None:
    """A cue set off by commas inside the sentence it reports: `Only 4% of homes had a
    telephone, the report said, and 77% had a mobile.` The cue is a finite verb with its
    own short subject right after a comma, and a comma follows it (maybe after a short
    adverbial); the words before and after are both the speaker's. Returns the two
    token ranges, or None when the shape does not match."""
    doc, sent = verb.doc, verb.sent
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.dep_ not in ("parataxis", "conj", "advcl", "ROOT"):
        return None
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.i > verb.i:
        return None
    open_ = subj.left_edge.i - 1
    if open_ < sent.start + 2 or doc[open_].text != "," or verb.i - open_ > 9:
        return None
    close = verb.i + 1
    while close < sent.end and close - verb.i <= 4 and doc[close].text != "," \
            and doc[close].dep_ in ("advmod", "npadvmod", "prep", "pobj", "det", "amod", "compound"):
        close += 1
    if close >= sent.end - 3 or doc[close].text != ",":
        return None
    if any(doc[i].dep_ in ("ccomp", "dobj", "xcomp") and doc[i].head is verb for i in range(close, sent.end)):
        return None
    return [(sent.start, open_), (close + 1, sent.end)]


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


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].text in _EDGE_PUNCT or doc[start].is_space
                           or (doc[start].dep_ == "mark" and doc[start].lower_ in ("that", "whether"))):
        start += 1
    while end > start and (doc[end - 1].text in _EDGE_PUNCT or doc[end - 1].is_space):
        end -= 1
    return start, end


def cue_candidates(doc: Doc) -> list[bool]:
    """Per token: could it be a cue at all (``according``, or verb-like for ``cue_of``)?
    Read from the arrays, so no Token object is made for the others."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    arr = doc.to_array([LOWER, POS, TAG])
    mask = (arr[:, 0] == strings.add("according")) | (arr[:, 1] == VERB) | (arr[:, 1] == AUX)
    for tag in numpy.unique(arr[:, 2]).tolist():
        if strings[tag][:2] == "VB":
            mask |= arr[:, 2] == tag
    return mask.tolist()


def newline_tokens(doc: Doc, text: str | None = None, idx: list[int] | None = None) -> list[bool]:
    """Per token: does its text (or trailing whitespace, a single space at most) hold a
    line break? Found from the line breaks of the text, not token by token; ``text`` and
    ``idx`` (token char offsets) are ``doc.text`` and the IDX column, if known."""
    n = len(doc)
    out = [False] * n
    if not n:
        return out
    text = doc.text if text is None else text
    pos = text.find("\n")
    if pos < 0:
        return out
    idx = doc.to_array(IDX).tolist() if idx is None else idx
    while pos >= 0:
        i = bisect.bisect_right(idx, pos) - 1
        out[i] = True
        nxt = idx[i + 1] if i + 1 < n else len(text)
        pos = text.find("\n", nxt)
    return out


def find_reported(doc: Doc, cues: Cues, inside: list[int], candidates: list[bool] | None = None,
                  newline: list[bool] | None = None,
                  cue_at: list[str | None] | None = None) -> list[Reported]:
    """Reported-speech clauses of ``doc``; ``inside[i]`` >= 0 marks tokens in direct quotes.

    A clause made mostly of quoted words is left to the direct quote it contains.
    ``candidates``/``newline``/``cue_at`` are ``cue_candidates(doc)``/``newline_tokens(doc)``/
    ``cues.cues_at(doc, candidates)`` if the caller has them already.
    """
    found: list[Reported] = []
    if candidates is None:
        candidates = cue_candidates(doc)
    if newline is None:
        newline = newline_tokens(doc)
    if cue_at is None:
        cue_at = cues.cues_at(doc, candidates)
    for i, maybe in enumerate(candidates):
        if not maybe or inside[i] >= 0:
            continue
        tok = doc[i]
        source = according_to(tok)
        if source is not None:
            sent = tok.sent
            phrase_end = source.right_edge.i + 1
            if tok.i - sent.start <= 2 or tok.i < tok.head.i:
                start, end = phrase_end, sent.end
            else:
                start, end = sent.start, tok.i
            start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, start, end))
            if end - start >= 3 and _mostly_unquoted(inside, start, end):
                found.append(Reported(start, end, tok.i, source.i, "according to"))
            continue
        cue = cue_at[i]
        if cue is None:
            continue
        clauses = [c for c in tok.children if c.dep_ == "ccomp"]
        if not clauses:
            parts = parenthetical_content(tok)
            if parts is not None:
                subj = cues.subject_of(tok, inside)
                for span in parts:
                    start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, *span))
                    while start < end and doc[start].dep_ == "cc":
                        start += 1
                    if end - start >= 3 and _mostly_unquoted(inside, start, end):
                        found.append(Reported(start, end, tok.i, subj.i if subj is not None else None, cue))
                continue
            span = _unparsed_content(cues, tok)
            if span is None:
                continue
            start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, *span))
            if end - start >= 3 and _mostly_unquoted(inside, start, end) \
                    and not any(inside[i] >= 0 for i in (tok.i, start)):
                subj = cues.subject_of(tok, inside)
                found.append(Reported(start, end, tok.i, subj.i if subj is not None else None, cue))
            continue
        clause = next((c for c in clauses if c.i > tok.i), clauses[-1])
        start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, *_clause_bounds(cue_at, tok, clause)))
        if end - start < 3 or not _mostly_unquoted(inside, start, end):
            continue
        subj = cues.subject_of(tok, inside)
        found.append(Reported(start, end, tok.i, subj.i if subj is not None else None, cue))
    return _distinct(found)


def _distinct(found: list[Reported]) -> list[Reported]:
    """One record per clause: a headline cue glued onto the sentence (`..., TUC says`) can
    report the same clause twice; the first cue with a speaker wins."""
    best: dict[tuple[int, int], Reported] = {}
    for r in found:
        kept = best.get((r.start, r.end))
        if kept is None or (kept.speaker_token is None and r.speaker_token is not None):
            best[(r.start, r.end)] = r
    return [r for r in found if best[(r.start, r.end)] is r]


_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _unparsed_content(cues: Cues, verb: Token) -> tuple[int, int] | None:
    """The content clause of a cue verb the parser missed (no ``ccomp``), by surface shape:
    fronted before a trailing attribution (`X is pressing the US, Downing Street has
    indicated.`); after the verb and a short adverbial, introduced by `that` (`wrote in an
    email that schools should ...`); or a noun phrase followed by a finite verb (`denied
    global warming is taking place`, and with a past participle for verbs that never take
    a plain object, `says the effect held ...`)."""
    doc, sent = verb.doc, verb.sent
    trailing = trailing_attribution(verb)
    if trailing is not None:
        return sent.start, trailing[1]
    i = verb.i + 1
    while i < sent.end:
        tok = doc[i]
        obj = next((c for c in tok.children if c.dep_ == "pobj"), None) if tok.dep_ == "prep" else None
        if obj is not None and tok.head is verb and obj.i - i <= 4:
            i = obj.i + 1  # `wrote in an email that ...` (the clause may hang on `email`)
        elif tok.dep_ in ("advmod", "npadvmod", "neg") and tok.head is verb and tok.pos_ != "VERB":
            i += 1
        else:
            break
    if i >= sent.end - 1:
        return None
    if doc[i].lower_ == "that" and doc[i + 1].pos_ not in ("VERB", "AUX"):
        return i + 1, sent.end
    finite = _FINITE | (frozenset({"VBN"}) if verb.lemma_.lower() in cues.clause_verbs else frozenset())
    for k in range(i, min(i + 7, sent.end)):
        tok = doc[k]
        if tok.tag_ in finite and k > i:
            return i, sent.end
        if tok.pos_ not in _NP_POS and tok.tag_ != "POS":
            return None
    return None


def _clause_bounds(cue_at: list[str | None], verb: Token, clause: Token) -> tuple[int, int]:
    """Token range of a content clause: its subtree, cut before a nested speech clause with
    its own subject (`..., while Zelenskyy maintained ...`), and extended over a following
    conjunct of the cue verb that is not speech itself (`says X, but they would Y`)."""
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    # `said there would be no relaxation ... and the golden rule would be met`: the parser
    # often hangs the second half as a sibling ccomp of the cue; the content covers both.
    for child in verb.children:
        if child.dep_ == "ccomp" and child.i > clause.i and child.left_edge.i >= end - 1 \
                and not (cue_at[child.i] and any(g.dep_ in _SUBJECTS for g in child.children)):
            end = max(end, child.right_edge.i + 1)
    for child in clause.children:
        if child.i > clause.i and child.dep_ in ("advcl", "conj") and cue_at[child.i] \
                and any(g.dep_ in _SUBJECTS for g in child.children) \
                and not any(g.dep_ == "dobj" for g in child.children):  # `since they began a pilot`
            end = min(end, child.left_edge.i)
    if clause.i > verb.i:
        for child in verb.children:
            if child.dep_ == "conj" and child.i > clause.i and not cue_at[child.i] \
                    and any(g.dep_ in _SUBJECTS for g in child.children):
                end = max(end, child.right_edge.i + 1)
    return start, end


def _same_paragraph(doc: Doc, newline: list[bool], anchor: int, start: int, end: int) -> tuple[int, int]:
    """Clip [start, end) to the paragraph holding the cue: a headline or caption line that
    the sentence splitter glued on is not part of the reported clause. ``newline[i]``:
    token i holds a line break (``newline_tokens``)."""
    for i in range(min(anchor, end) - 1, start - 1, -1):
        if newline[i]:
            start = i + 1
            break
    for i in range(max(anchor, start), end):
        if newline[i]:
            end = i + (0 if doc[i].is_space else 1)
            break
    return start, end


def _mostly_unquoted(inside: list[int], start: int, end: int) -> bool:
    quoted = sum(1 for i in range(start, end) if inside[i] >= 0)
    return quoted * 2 < (end - start)
