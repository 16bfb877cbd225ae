"""Quotes attributed by their layout when no cue verb of the lexicon governs them.

News sets quotes out in shapes that carry the speaker without a speech verb:

* a label: ``SMITH: ...`` opening the quote (a transcript), or ``Smith: "..."`` /
  ``Jane Doe, Daily Star: "..."`` before it (a roundup);
* a bare attribution with any verb right after the quote (``"...," her husband cut in``,
  ``"...," the senator went on``) or right before it (``Billy Joel sings, "..."``);
* a colon introduction: ``Her answer was blunt: "..."``, and a block quote whose
  paragraph follows one ending in a colon (``Dr. Ward stated:`` / ``"..."``);
* a credit line after the quote paragraph (``— Mayor Ruth Gill``).

Each function looks at a few tokens around the quote (surface shape first, the parse
only to find the noun phrase's head), so the work per quote is bounded.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newsmine.nlp.quotes import columns

_NP = frozenset({"PROPN", "NOUN", "DET", "ADJ", "NUM", "PRON", "PART"})
_HEADS = frozenset({"PROPN", "NOUN", "PRON"})
_DASHES = frozenset({"-", "\u2014", "\u2013", "\u2015", "--"})
_CLAUSE_END = frozenset({".", ",", "!", "?", ";", ":"})
_PERSONAL = frozenset({"he", "she", "they", "i", "we", "you"})


def _line_start(doc: Doc, i: int) -> int:
    """The first token of the paragraph holding token ``i``."""
    while i > 0 and "\n" not in doc[i - 1].whitespace_ and "\n" not in doc[i - 1].text:
        i -= 1
    return i


def _np_head(tokens: list[Token]) -> Token | None:
    """The head of a short noun phrase: its token whose head lies outside it, else the
    last noun; None when it holds no noun or pronoun."""
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.pos_ in _HEADS and t.head.i not in ids:
            return t
    return next((t for t in reversed(tokens) if t.pos_ in _HEADS), None)


def _is_name(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or (tok.is_upper and tok.is_alpha and len(tok) > 1)


def label_speaker(doc: Doc, ts: int, open_tok: int | None) -> Token | None:
    """A ``NAME:`` label opening the quote (``SMITH: ...``) or before it, opening its
    paragraph or sentence (``Smith: "..."``, ``Jane Doe, Daily Star: "..."``): the
    name's last word."""
    k = ts
    while k < len(doc) and k - ts < 3 and (doc[k].is_upper and doc[k].is_alpha or doc[k].text == "."):
        k += 1
    if ts < k < len(doc) and doc[k].text == ":" and doc[k - 1].is_alpha:
        return doc[k - 1]  # a transcript label in capitals
    if open_tok is None or open_tok < 2 or doc[open_tok - 1].text != ":":
        return None
    j = open_tok - 2
    line = _line_start(doc, open_tok)
    while j >= line and j > open_tok - 10 and (_is_name(doc[j]) or doc[j].text in (",", ".", "'s")):
        j -= 1
    if j >= line and doc[j].text not in (".", "!", "?") and not doc[j].is_quote:
        return None  # the words before the colon are a clause, not a label
    label = list(doc[j + 1 : open_tok - 1])
    name = []
    for t in label:
        if t.text == ",":
            break
        name.append(t)
    return next((t for t in reversed(name) if _is_name(t)), None)


def after_quote(doc: Doc, te: int, inside: list[int]) -> tuple[Token, Token] | None:
    """A bare attribution with any verb right after the quote, ending its sentence or
    clause: ``"...," her husband cut in.`` / ``"...," went on the mayor.`` Returns the
    verb and the subject's head."""
    i = te
    while i < len(doc) and doc[i].is_punct and doc[i].text not in (".", "!", "?"):
        i += 1
    if i >= len(doc) or any("\n" in doc[k].whitespace_ or doc[k].is_space for k in range(te - 1, i)):
        return None
    # a quote ending in `?` or `!` ends its sentence for the parser: `"...?" Trump asked.`
    sent_end = columns.of(doc).sent_bounds(doc[i])[1]
    clause = []
    while i < min(sent_end, te + 12) and doc[i].text not in _CLAUSE_END and inside[i] < 0:
        clause.append(doc[i])
        i += 1
    if not clause or (i < len(doc) and inside[i] >= 0):
        return None
    verbs = [t for t in clause if t.pos_ == "VERB" or t.tag_ in ("VBD", "VBZ", "VBP")]
    if len(verbs) != 1:
        return None
    verb = verbs[0]
    before = [t for t in clause if t.i < verb.i]
    rest = [t for t in clause if t.i > verb.i]
    if before and all(t.pos_ in _NP or t.tag_ == "POS" for t in before) \
            and all(t.dep_ in ("prt", "advmod", "npadvmod", "prep", "pobj", "det", "compound") for t in rest):
        head = _np_head(before)
    elif not before and rest and all(t.pos_ in _NP or t.tag_ == "POS" for t in rest):
        head = _np_head(rest)  # inverted
    else:
        return None
    return (verb, head) if head is not None else None


def before_quote(doc: Doc, open_tok: int | None, inside: list[int]) -> tuple[Token, Token] | None:
    """``Billy Joel sings, "..."``: a verb right before the quote's comma or colon, with
    its subject named just before it in the same clause."""
    if open_tok is None or open_tok < 2 or doc[open_tok - 1].text not in (",", ":"):
        return None
    verb = doc[open_tok - 2]
    if not (verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBZ", "VBP")) or inside[verb.i] >= 0:
        return None
    subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
    if subj is None or subj.i < _line_start(doc, verb.i) or inside[subj.i] >= 0:
        return None
    return verb, subj


def colon_intro(doc: Doc, open_tok: int | None, inside: list[int],
                speech_nouns: frozenset[str]) -> Token | None:
    """``Her answer was blunt: "..."`` and a block quote after a paragraph ending in a
    colon: the subject of the clause the colon ends (its possessor when the subject is a
    speech noun such as answer, reply, message)."""
    if open_tok is None or open_tok < 2:
        return None
    colon = open_tok - 1
    while colon > 0 and doc[colon].is_space:
        colon -= 1
    if doc[colon].text != ":" or inside[colon] >= 0:
        return None
    subj = obj = None
    for t in doc[columns.of(doc).sent_bounds(doc[colon])[0] : colon]:
        if t.dep_ in ("nsubj", "nsubjpass") and inside[t.i] < 0 and t.head.i < colon:
            subj, obj = t, None  # the last subject before the colon: that clause's
        elif t.dep_ == "dobj" and subj is not None and t.head.i == subj.head.i:
            obj = t
    if subj is None:
        return None
    poss = next((c for c in subj.children if c.dep_ == "poss"), None)
    if subj.lemma_.lower() in speech_nouns and poss is not None:
        return poss
    if not _names_someone(subj) and obj is not None and _names_someone(obj):
        return obj  # `The timing does not surprise pollster Dan Shaw: "..."`
    if subj.pos_ == "PRON" and subj.lower_ not in _PERSONAL:
        return None
    return subj


def _names_someone(tok: Token) -> bool:
    """A name, a personal pronoun or an organisation: someone who can be quoted."""
    return tok.ent_type_ in ("PERSON", "ORG", "NORP") or tok.lower_ in _PERSONAL or tok.pos_ == "PROPN"


def _is_dash(tok: Token) -> bool:
    """A dash token, also one glued to the closing mark (``”―``, the tokenizer's split)."""
    return tok.text.strip("\"'\u201c\u201d\u2018\u2019") in _DASHES


def credit_line(doc: Doc, te: int) -> Token | None:
    """A credit after the quote: a dash and a short name, on the quote's own line
    (``"..." ― Pamela Ortiz``, a pull-quote roundup) or opening the next paragraph
    (``— Mayor Ruth Gill.``)."""
    i = te
    while i < len(doc) and i - te <= 3 and not _is_dash(doc[i]) \
            and "\n" not in doc[i - 1].whitespace_ and "\n" not in doc[i].text:
        i += 1
    if i < len(doc) and not _is_dash(doc[i]):
        if i - te > 3:
            return None
        while i < len(doc) and doc[i].is_space:
            i += 1
    if i >= len(doc) or not _is_dash(doc[i]):
        return None
    line = []
    for t in doc[i + 1 : i + 10]:
        if "\n" in t.text or t.text in (".", ","):
            break
        line.append(t)
    if not line or not all(t.pos_ in ("PROPN", "NOUN", "ADJ", "DET") or t.text == "." for t in line):
        return None
    return next((t for t in reversed(line) if t.pos_ == "PROPN"), None)
