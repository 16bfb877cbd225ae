"""Reported attributions without quote marks: speech, thought, intention, evidence.

Two sources of cues:

* the speech verbs of ``quotes.cues`` with a content clause (``ccomp``): ``Jones warns
  that ...``, ``Ryabkov stated they could not ...``, participial ``..., saying ...``, a
  cue set off by commas mid-sentence, ``according to X``;
* the cue frames of ``quotes/cue_frames.json`` (``frames``): a cue word with a content of
  the shape the lexicon allows for it, ``denied the allegations`` (object), ``wants to
  run`` (infinitive), ``talked about the plan`` (prepositional object), ``is critical
  of``, ``his support for X`` (a noun with its owner), ``as the Times reported``. The
  lexicon says which pairs are attributions and their cue type; ``have`` + object is
  not one.

A content that is wholly a direct quote is left to that quote; one mixing paraphrase
and quoted words becomes a ``mixed`` row (``relations``). Everything here is a single
pass over the tokens plus bounded walks up the tree, so the work per document is linear.
"""

import bisect
from dataclasses import dataclass

import numpy
from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from newsmine.nlp.quotes import columns
from newsmine.nlp.quotes.cues import (
    NP_POS,
    SUBJECTS,
    Cues,
    according_to,
    cue_candidates,
    fronted_passive,
    trailing_attribution,
)
from newsmine.nlp.quotes.frame_shape import UNSURE, frame_shape
from newsmine.nlp.quotes.frames import KEEP_MARKS, FrameLexicon, noun_frame, noun_source, verb_frame

_ACCORDING = columns.sid("according")
_EDGE_PUNCT = frozenset(".,;:!?\"'\u201c\u201d\u2018\u2019\u2014\u2013-")


@dataclass(frozen=True)
class Reported:
    """One reported attribution: content tokens [start, end), its cue, speaker token and
    cue type (speech, thought, intention, evidence, according_to)."""

    start: int
    end: int
    cue_token: int
    speaker_token: int | None
    cue: str
    cue_type: str = "speech"


def parenthetical_content(verb: Token) -> list[tuple[int, int]] | None:
    """A cue set off by commas inside the sentence it reports: `Only 4% of homes had a
    telephone, the report said, and 77% had a mobile.` The cue is a finite verb with its
    own short subject right after a comma, and a comma follows it (maybe after a short
    adverbial); the words before and after are both the speaker's. Returns the two
    token ranges, or None when the shape does not match."""
    doc = verb.doc
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.dep_ not in ("parataxis", "conj", "advcl", "ROOT"):
        return None
    sent_start, sent_end = columns.of(doc).sent_bounds(verb)
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.i > verb.i:
        return None
    open_ = subj.left_edge.i - 1
    if open_ < sent_start + 2 or doc[open_].text != "," or verb.i - open_ > 9:
        return None
    close = verb.i + 1
    while close < sent_end and close - verb.i <= 4 and doc[close].text != "," \
            and doc[close].dep_ in ("advmod", "npadvmod", "prep", "pobj", "det", "amod", "compound"):
        close += 1
    if close >= sent_end - 3 or doc[close].text != ",":
        return None
    if any(doc[i].dep_ in ("ccomp", "dobj", "xcomp") and doc[i].head.i == verb.i
           for i in range(close, sent_end)):
        return None
    return [(sent_start, open_), (close + 1, sent_end)]


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Content without edge punctuation, a leading `that`/`whether` or an edge `and`."""
    while start < end and (doc[start].text in _EDGE_PUNCT or doc[start].is_space or doc[start].dep_ == "cc"
                           or (doc[start].dep_ == "mark" and doc[start].lower_ in ("that", "whether"))):
        start += 1
    while end > start and (doc[end - 1].text in _EDGE_PUNCT or doc[end - 1].is_space
                           or doc[end - 1].dep_ == "cc"):
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
                  newline: list[bool] | None = None, cue_at: list[str | None] | None = None,
                  lexicon: FrameLexicon | None = None) -> list[Reported]:
    """Reported attributions of ``doc``; ``inside[i]`` >= 0 marks tokens in direct quotes
    (cues there are the quoted speaker's words and are skipped).

    ``candidates``/``newline``/``cue_at`` are ``cue_candidates(doc)``/``newline_tokens(doc)``/
    ``cues.cues_at(doc, candidates)`` if the caller has them already; ``lexicon`` holds
    the cue frames (none: speech verbs with a clause only).
    """
    found: list[Reported] = []
    if candidates is None:
        candidates = cue_candidates(doc)
    if newline is None:
        newline = newline_tokens(doc)
    if cue_at is None:
        cue_at = cues.cues_at(doc, candidates)
    nouns = lexicon.noun_candidates(doc) if lexicon is not None else [False] * len(doc)
    for i in _worth_a_look(doc, candidates, nouns, inside, cue_at, lexicon):
        maybe = candidates[i]
        tok = doc[i]
        if not maybe:
            found += _noun_relation(doc, lexicon, tok, newline)
            continue
        source = according_to(tok)
        if source is not None:
            found += _according_clause(doc, tok, source, inside, newline)
            continue
        cue = cue_at[i]
        clauses = [c for c in tok.children if c.dep_ == "ccomp" and not fronted_passive(c)] \
            if cue is not None else []  # `Asked if ..., he replied`: the question is not his
        if clauses:
            clause = next((c for c in clauses if c.i > tok.i), clauses[-1])
            bounds = _clause_bounds(cue_at, tok, clause)
            start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, *bounds))
            subj = cues.subject_of(tok, inside)
            inverted_in = subj is not None and tok.i < subj.i < end  # `"...," said Ann Lee, who ...`
            if end - start >= 3 and not inverted_in:
                kind = lexicon.type_of(tok.lemma_.lower(), "ccomp") if lexicon is not None else None
                found.append(Reported(start, end, tok.i, subj.i if subj is not None else None, cue,
                                      kind or "speech"))
            continue
        more = _without_ccomp(doc, cues, tok, cue, inside, newline) if cue is not None else []
        if not more and lexicon is not None and lexicon.may_be_cue(tok):
            more = _frame_relation(doc, cues, lexicon, tok, inside, newline)
        found += more
    return _distinct(doc, found)


def _worth_a_look(doc: Doc, candidates: list[bool], nouns: list[bool], inside: list[int],
                  cue_at: list[str | None], lexicon: FrameLexicon | None) -> list[int]:
    """The tokens ``find_reported`` has to look at, in order, decided on the columns so
    that no Token is made for the others: outside quotes, a cue noun, or a candidate that
    is a cue, is ``according`` or starts some frame (a verb that is none of these reports
    nothing: no clause without a cue, no ``according to``, no frame)."""
    cols = columns.of(doc)
    lower, lemma = cols.lower, cols.lemma
    out = []
    look = numpy.asarray(candidates, dtype=bool) | numpy.asarray(nouns, dtype=bool)
    for i in numpy.flatnonzero(look).tolist():
        if inside[i] >= 0:
            continue
        if candidates[i] and cue_at[i] is None and lower[i] != _ACCORDING \
                and (lexicon is None or not lexicon.may_be_cue_at(doc, lemma[i])):
            continue
        out.append(i)
    return out


def _frame_relation(doc: Doc, cues: Cues, lexicon: FrameLexicon, tok: Token, inside: list[int],
                    newline: list[bool]) -> list[Reported]:
    """A verb whose frame (key, pattern) the lexicon lists: its content and subject. Most
    verbs have a frame the lexicon does not list: ``frame_shape`` tells from the columns."""
    shape = frame_shape(doc, columns.of(doc), tok.i)
    if shape is None or (shape is not UNSURE and lexicon.type_of(*shape) is None):
        return []
    frame = verb_frame(tok)
    kind = lexicon.type_of(frame.key, frame.pattern) if frame is not None else None
    if frame is None or kind is None:
        return []
    start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, frame.start, frame.end))
    if end <= start:
        return []
    subj = cues.subject_of(tok, inside)
    if not _frame_fits(tok, frame.pattern, kind, subj):
        return []
    return [Reported(start, end, tok.i, subj.i if subj is not None else None, frame.cue, kind)]


def _frame_fits(verb: Token, pattern: str, kind: str, subj: Token | None) -> bool:
    """Senses of a frame word that report nothing: a company acting on counted goods
    (`Microsoft will recall 14 million cables`; a share, `rated 32% of claims`, is still
    a verdict), and a named person or company that `shows` a quality or a result
    (`Reynolds showing gains`), while a poll or report shows evidence."""
    named = subj is not None and subj.ent_type_ in ("PERSON", "ORG")
    if pattern == "dobj" and subj is not None and subj.ent_type_ == "ORG":
        obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
        if obj is not None and obj.pos_ == "NOUN" and obj.lower_ not in ("%", "percent") \
                and any(c.dep_ == "nummod" and c.like_num for c in obj.children):
            return False
    return not (kind == "evidence" and pattern in ("dobj", "xcomp") and named)


def _noun_relation(doc: Doc, lexicon: FrameLexicon | None, tok: Token, newline: list[bool]) -> list[Reported]:
    """A cue noun with its owner and content (``the senator's claim that ...``)."""
    owner = noun_source(tok)
    frame = noun_frame(tok) if owner is not None and lexicon is not None else None
    kind = lexicon.type_of(frame.key, "noun") if frame is not None else None
    if frame is None or kind is None:
        return []
    start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, frame.start, frame.end))
    if end <= start:
        return []
    return [Reported(start, end, tok.i, owner.i, frame.cue, kind)]


def _according_clause(
    doc: Doc, tok: Token, source: Token, inside: list[int], newline: list[bool]
) -> list[Reported]:
    """``according to X, ...`` / ``..., according to X``: the rest of its sentence."""
    sent_start, sent_end = columns.of(doc).sent_bounds(tok)
    phrase_end = source.right_edge.i + 1
    if tok.i - sent_start <= 2 or tok.i < tok.head.i:
        start, end = phrase_end, sent_end
    else:
        start, end = sent_start, tok.i
    start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, start, end))
    if end - start >= 3:
        return [Reported(start, end, tok.i, source.i, "according to", "according_to")]
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
            if end - start >= 3:
                found.append(Reported(start, end, tok.i, subj.i if subj is not None else None, cue))
        return found
    span = _unparsed_content(cues, tok)
    if span is None:
        return found
    start, end = _trim(doc, *_same_paragraph(doc, newline, tok.i, *span))
    if end - start >= 3 and not any(inside[i] >= 0 for i in (tok.i, start)):
        subj = cues.subject_of(tok, inside)
        found.append(Reported(start, end, tok.i, subj.i if subj is not None else None, cue))
    return found


def _distinct(doc: Doc, found: list[Reported]) -> list[Reported]:
    """One record per clause: a headline cue glued onto the sentence (`..., TUC says`) can
    report the same clause twice; the first cue with a speaker wins. And one record per
    attribution: `issued a statement saying X` is the issuer's X once, not also the
    statement noun phrase holding it (an outer content holding an inner cue and content
    hanging on the outer cue's own object, which is its source: the statement)."""
    best: dict[tuple[int, int], Reported] = {}
    for r in found:
        kept = best.get((r.start, r.end))
        if kept is None or (kept.speaker_token is None and r.speaker_token is not None):
            best[(r.start, r.end)] = r
    kept_rows = [r for r in found if best[(r.start, r.end)] is r]
    return [r for r in kept_rows if r.speaker_token is None or not any(
        o is not r and o.speaker_token is not None and r.start <= o.cue_token < r.end
        and doc[o.speaker_token].head.i == r.cue_token and doc[o.cue_token].head.i == o.speaker_token
        and r.start <= o.start and o.end <= r.end for o in kept_rows)]


_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _unparsed_content(cues: Cues, verb: Token) -> tuple[int, int] | None:
    """The content clause of a cue verb the parser missed (no ``ccomp``), by surface shape:
    fronted before a trailing attribution (`X is pressing the US, Downing Street has
    indicated.`); after the verb and a short adverbial, introduced by `that` (`wrote in an
    email that schools should ...`); or a noun phrase followed by a finite verb (`denied
    global warming is taking place`, and with a past participle for verbs that never take
    a plain object, `says the effect held ...`)."""
    doc = verb.doc
    sent_start, sent_end = columns.of(doc).sent_bounds(verb)
    trailing = trailing_attribution(verb)
    if trailing is not None:
        return None if fronted_passive(doc[sent_start]) else (sent_start, trailing[1])
    i = verb.i + 1
    while i < sent_end:
        tok = doc[i]
        obj = next((c for c in tok.children if c.dep_ == "pobj"), None) if tok.dep_ == "prep" else None
        if obj is not None and tok.head.i == verb.i and obj.i - i <= 4:
            i = obj.i + 1  # `wrote in an email that ...` (the clause may hang on `email`)
        elif tok.dep_ in ("advmod", "npadvmod", "neg") and tok.head.i == verb.i and tok.pos_ != "VERB":
            i += 1
        else:
            break
    if i >= sent_end - 1:
        return None
    if doc[i].lower_ == "that" and doc[i + 1].pos_ not in ("VERB", "AUX"):
        return i + 1, sent_end
    finite = _FINITE | (frozenset({"VBN"}) if verb.lemma_.lower() in cues.clause_verbs else frozenset())
    for k in range(i, min(i + 7, sent_end)):
        tok = doc[k]
        if tok.tag_ in finite and k > i:
            return i, sent_end
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
                and not any(g.dep_ == "dobj" or (g.dep_ == "mark" and g.lower_ in KEEP_MARKS)
                            for g in child.children):  # `since they began a pilot`, `because X agreed`
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
