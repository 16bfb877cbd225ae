"""Reported speech without quote marks, found on the cues of ``quotes.cues``.

Reported speech is a cue verb with a content clause
(``ccomp``): ``Jones warns that ...``, ``Ryabkov stated they could not ...``, participial
``..., saying ...``. A verb with only an object or an infinitive is not speech:
``Trump announced plans``, ``agreed to halt strikes`` yield nothing.

Everything here is a single pass over the tokens plus bounded walks up the tree, so the
work per document is linear.
"""

import bisect
from dataclasses import dataclass

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from newsmine.nlp.quotes.cues import (
    NP_POS,
    SUBJECTS,
    Cues,
    according_to,
    cue_candidates,
    trailing_attribution,
)

_EDGE_PUNCT = frozenset(".,;:!?\"'\u201c\u201d\u2018\u2019\u2014\u2013-")


@dataclass(frozen=True)
class Reported:
    """One reported-speech clause: content tokens [start, end), its cue and speaker token."""

    start: int
    end: int
    cue_token: int
    speaker_token: int | None
    cue: str


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


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].text in _EDGE_PUNCT or doc[start].is_space
                           or (doc[start].dep_ == "mark" and doc[start].lower_ in ("that", "whether"))):
        start += 1
    while end > start and (doc[end - 1].text in _EDGE_PUNCT or doc[end - 1].is_space):
        end -= 1
    return start, end


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
            found += _according_clause(doc, tok, source, inside, newline)
            continue
        cue = cue_at[i]
        if cue is None:
            continue
        clauses = [c for c in tok.children if c.dep_ == "ccomp"]
        if not clauses:
            found += _without_ccomp(doc, cues, tok, cue, inside, newline)
            continue
        clause = next((c for c in clauses if c.i > tok.i), clauses[-1])
        start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, *_clause_bounds(cue_at, tok, clause)))
        if end - start < 3 or not _mostly_unquoted(inside, start, end):
            continue
        subj = cues.subject_of(tok, inside)
        found.append(Reported(start, end, tok.i, subj.i if subj is not None else None, cue))
    return _distinct(found)


def _according_clause(
    doc: Doc, tok: Token, source: Token, inside: list[int], newline: list[bool]
) -> list[Reported]:
    """``according to X, ...`` / ``..., according to X``: the rest of its sentence."""
    sent = tok.sent
    phrase_end = source.right_edge.i + 1
    if tok.i - sent.start <= 2 or tok.i < tok.head.i:
        start, end = phrase_end, sent.end
    else:
        start, end = sent.start, tok.i
    start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, start, end))
    if end - start >= 3 and _mostly_unquoted(inside, start, end):
        return [Reported(start, end, tok.i, source.i, "according to")]
    return []


def _without_ccomp(
    doc: Doc, cues: Cues, tok: Token, cue: str, inside: list[int], newline: list[bool]
) -> list[Reported]:
    """A cue verb the parser gave no content clause: a parenthetical cue (both sides are
    the content) or a content clause found by its surface shape."""
    found: list[Reported] = []
    parts = parenthetical_content(tok)
    if parts is not None:
        subj = cues.subject_of(tok, inside)
        for span in parts:
            start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, *span))
            while start < end and doc[start].dep_ == "cc":
                start += 1
            if end - start >= 3 and _mostly_unquoted(inside, start, end):
                found.append(Reported(start, end, tok.i, subj.i if subj is not None else None, cue))
        return found
    span = _unparsed_content(cues, tok)
    if span is None:
        return found
    start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, *span))
    if end - start >= 3 and _mostly_unquoted(inside, start, end) \
            and not any(inside[i] >= 0 for i in (tok.i, start)):
        subj = cues.subject_of(tok, inside)
        found.append(Reported(start, end, tok.i, subj.i if subj is not None else None, cue))
    return found


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
        if tok.pos_ not in NP_POS and tok.tag_ != "POS":
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
                and not (cue_at[child.i] and any(g.dep_ in SUBJECTS for g in child.children)):
            end = max(end, child.right_edge.i + 1)
    for child in clause.children:
        if child.i > clause.i and child.dep_ in ("advcl", "conj") and cue_at[child.i] \
                and any(g.dep_ in SUBJECTS for g in child.children) \
                and not any(g.dep_ == "dobj" for g in child.children):  # `since they began a pilot`
            end = min(end, child.left_edge.i)
    if clause.i > verb.i:
        for child in verb.children:
            if child.dep_ == "conj" and child.i > clause.i and not cue_at[child.i] \
                    and any(g.dep_ in SUBJECTS for g in child.children):
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
