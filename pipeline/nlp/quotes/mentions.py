"""Speaker mentions on the parse: the name inside a source, the source as written, its
conjuncts and appositions.

Why two spans: a source as the article writes it (``Douglas Holtz-Eakin, an economist
at the American Action Forum``, ``a spokeswoman for the ministry``, ``Neera Tanden and
Blair Effron``) is what a reader sees and what an annotator marks; the name inside it
(``Douglas Holtz-Eakin``) is what the people clusters know. ``name_span`` gives the
second, ``written_span`` the first: the head's subtree with its modifiers, appositions,
prepositional tails and conjuncts, never a relative or content clause, a quote or a
line break. Bounded walks over one noun phrase, so the cost per speaker is small.
"""

from __future__ import annotations

from spacy.symbols import PROPN
from spacy.tokens import Span, Token

from newsmine.nlp.entities.names import POSSESSIVE
from newsmine.nlp.labels import GPE, NO_LABEL, ORG, PERSON
from newsmine.nlp.quotes import columns

NP_LEFT_DEPS = frozenset({"compound", "det", "amod", "poss", "nmod", "nummod", "quantmod", "predet", "case"})
# right-hand parts of a source as written: `of X`, `, a spokeswoman`, `and Y`, `released Saturday`
_WRITTEN_RIGHT = frozenset({"prep", "appos", "conj", "cc", "acl", "amod", "nummod", "npadvmod", "compound",
                            "nmod", "case", "punct", "advmod", "pobj", "det", "poss", "quantmod"})
_NEVER = frozenset({"relcl", "ccomp", "advcl", "xcomp", "parataxis"})
RELATIVE = frozenset({"who", "whom", "that", "which"})
_DATELINE_DASHES = frozenset({"-", "--", "\u2014", "\u2013"})
_MAX_WRITTEN = 40  # tokens: a source longer than this is cut at its name
_COLON, _OF, _ORG = columns.sid(":"), columns.sid("of"), columns.sid(ORG)
_ORG_TAIL = columns.ids(frozenset((NO_LABEL, ORG, GPE)))
_POSSESSIVE_IDS = columns.ids(POSSESSIVE)
_DASH_IDS = columns.ids(_DATELINE_DASHES)


def entity_bounds(token: Token) -> tuple[int, int]:
    """Token range of the named entity holding ``token`` (itself if it has none): the run
    of ``I`` tokens around it (read from the doc's columns)."""
    cols = columns.of(token.doc)
    return cols.ent_start[token.i], cols.ent_end[token.i]


def name_span(token: Token) -> Span:
    """The name or bare noun phrase of a mention: the named entity holding ``token``,
    else its noun phrase without relative clauses, appositions or prepositional tails."""
    doc = token.doc
    cols = columns.of(doc)
    i = token.i
    if cols.ent[i]:
        start, end = cols.ent_start[i], cols.ent_end[i]
        end = next((k for k in range(start + 1, end) if cols.orth[k] == _COLON), end)  # `PENCE: Well`
        # `The American Academy of Pediatrics` when the tagger stops at `Academy`
        if cols.ent[i] == _ORG and end + 1 < len(doc) and cols.lower[end] == _OF \
                and cols.pos[end + 1] == PROPN and doc[end].head.i == end - 1:
            end += 1
            while end < len(doc) and cols.pos[end] == PROPN and cols.ent[end] in _ORG_TAIL:
                end += 1
        return strip_possessive(Span(doc, start, end))
    left, right = token.i, token.i + 1
    for child in token.lefts:
        if child.dep_ in NP_LEFT_DEPS:
            left = min(left, child.left_edge.i)
    left = after_dateline(doc, left, token.i)
    if token.pos_ == "PROPN":  # `the American Academy of Pediatrics`, `University of Michigan`
        for child in token.rights:
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if child.dep_ == "prep" and child.lower_ == "of" and obj is not None and obj.pos_ == "PROPN":
                right = obj.i + 1
            break
    return strip_possessive(Span(doc, left, right))


def after_dateline(doc, lo: int, limit: int) -> int:
    """``lo`` moved past a dateline the parser hung on the phrase (``BRUSSELS - European
    leaders``: the city is where the story was filed, not part of who spoke)."""
    orth = columns.of(doc).orth
    for i in range(lo + 1, limit):
        if orth[i] in _DASH_IDS and all(t.is_upper or t.is_punct for t in doc[lo:i]):
            return i + 1
    return lo


def strip_possessive(span: Span) -> Span:
    """``Zelenskyy's`` -> ``Zelenskyy`` (never empties the span)."""
    end = span.end
    lower = columns.of(span.doc).lower
    while end > span.start + 1 and lower[end - 1] in _POSSESSIVE_IDS:
        end -= 1
    return span if end == span.end else Span(span.doc, span.start, end)


def np_head(token: Token) -> Token:
    """The head of the noun phrase a token belongs to: `Sen.` or `Ted` of `Sen. Ted Cruz`
    -> `Cruz`; a token that heads its phrase is itself."""
    head = token
    for _ in range(4):
        if head.dep_ in ("compound", "flat") and head.head.i > head.i and head.head.pos_ in ("PROPN", "NOUN"):
            head = head.head
        else:
            break
    return head


def written_span(token: Token, inside_quote: list[bool] | None = None, core: Span | None = None) -> Span:
    """The source as the article writes it (see module doc); at least ``name_span``
    (``core``, if the caller has it already)."""
    doc = token.doc
    core = name_span(token) if core is None else core
    head = np_head(token)
    lo, hi = core.start, core.end
    for child in head.lefts:
        if child.dep_ in NP_LEFT_DEPS and child.i < lo:
            lo = min(lo, child.left_edge.i)
    for child in head.rights:
        if child.dep_ in _NEVER or child.dep_ not in _WRITTEN_RIGHT:
            break  # the content or a clause of its own follows: the source ends before it
        if child.dep_ == "acl" and child.tag_ != "VBN":
            break  # `released Saturday`, `filed by the SEC` belong; `saying ...` does not
        if child.dep_ == "prep" and child.lower_ == "as":
            break  # `criticized by teachers as reckless`: what they called it, not who
        hi = max(hi, _clean_right(child) + 1)
    stop = _first_break(doc, lo, hi, core, inside_quote)
    hi = min(hi, stop)
    while hi > core.end and (doc[hi - 1].is_punct or doc[hi - 1].dep_ == "cc"):
        if doc[hi - 1].text == ")" and any(t.text == "(" for t in doc[lo : hi - 1]):
            break  # `the Center for Strategic and International Studies (CSIS)`
        hi -= 1
    if hi - lo > _MAX_WRITTEN:
        lo, hi = core.start, core.end
    if doc[lo].dep_ == "punct":
        lo = core.start
    while lo < core.end - 1 and not any(ch.isalnum() for ch in doc[lo].text):
        lo += 1  # `”― Pamela Ortiz`: a mark the tokenizer glued to a dash is no word of the name
    lo = after_dateline(doc, lo, core.start)
    return doc[lo : max(hi, core.end)]


def _clean_right(child: Token) -> int:
    """Last token of a right-hand modifier, without a relative clause it carries."""
    end = child.right_edge.i
    for node in child.subtree:
        if node.dep_ in _NEVER and node.i > child.i:
            end = min(end, node.left_edge.i - 1)
    return end


def _first_break(doc, lo: int, hi: int, core: Span, inside_quote: list[bool] | None) -> int:
    """First index after the name where the written source must stop: a quote, a line
    break, a verb of its own, or a relative pronoun."""
    for i in range(core.end, hi):
        tok = doc[i]
        quoted = inside_quote is not None and inside_quote[i]
        if quoted or "\n" in tok.text or "\n" in doc[i - 1].whitespace_:
            return i
        if tok.lower_ in RELATIVE and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "mark"):
            return i
        if tok.text in ('"', "\u201c", "\u201d", ":"):
            return i  # `PENCE: Well, ...`: a label ends at its colon
    return hi


def coordinated(token: Token) -> list[Token]:
    """The heads of the coordinated sources a subject token belongs to, leftmost first
    (`Neera Tanden and Blair Effron`, `Sanders and his aides`), or [] when it stands alone.
    Only conjuncts of the subject's own head count (not `Russia and Eurasia` inside `chair
    in Russia and Eurasia policy`), and a name the parser hung before the head with its
    conjunct (`Tanden` + `and Blair` before `Effron`); a conjunct with a subject of its own
    is a clause, not a speaker."""
    head = np_head(token)
    parts = [head, *head.conjuncts]
    for child in head.lefts:
        if child.dep_ in ("nmod", "compound") and any(c.dep_ == "conj" for c in child.children):
            parts += [child, *child.conjuncts]
    heads: dict[int, Token] = {}
    for part in parts:
        if part.pos_ not in ("PROPN", "NOUN", "PRON"):
            continue
        if part is not head and any(c.dep_ in ("nsubj", "nsubjpass") for c in part.children):
            continue
        h = np_head(part)
        heads[h.i] = h
    if len(heads) < 2:
        return []
    return [heads[i] for i in sorted(heads)]


def apposed_name(token: Token) -> Token | None:
    """The named person a common noun subject is in apposition with: `the union's chief,
    Ana Ruiz,`, `said his father, Tom`; an organisation for a plain noun (`the regulator,
    Ofcom,`). None when there is none."""
    if token.ent_type_:
        return None
    for c in token.children:
        if c.dep_ != "appos":
            continue
        if c.ent_type_ == PERSON or (c.pos_ == "PROPN" and not c.ent_type_):
            return c
        if c.ent_type_ == ORG and token.pos_ == "NOUN":
            return c
    return None


def relative_head(token: Token) -> Token | None:
    """`Smith, who said ...`: the noun the relative pronoun ``who`` stands for."""
    if token.lower_ not in RELATIVE or token.dep_ not in ("nsubj", "nsubjpass"):
        return None
    clause = token.head
    if clause.dep_ == "relcl" and clause.head.pos_ in ("PROPN", "NOUN", "PRON"):
        return clause.head
    return None


def is_definite(token: Token) -> bool:
    """`the spokesman`, `this company`: a bare definite noun phrase (no possessor, no name)."""
    dets = [c for c in token.lefts if c.dep_ == "det"]
    if not dets or dets[0].lower_ not in ("the", "this", "that"):
        return False
    # `the Lib Dem leader` is definite; `the Trump spokesman` names someone else
    return not any(c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN"
                                        and c.ent_type_ in (NO_LABEL, PERSON)) for c in token.lefts)
