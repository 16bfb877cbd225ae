"""The source of an attribution as written: the ``speaker`` column's text and offsets.

The resolver (``speakers``) decides who a source is (``speaker_canonical``, the id); the
``speaker`` column keeps what the article wrote there, so a reader (or a scorer) can see
the mention itself:

* the whole noun phrase with its modifiers, prepositional tails, appositions and
  conjuncts (``a longtime adviser to both Clintons``, ``a Gallup poll released
  Saturday``, ``Sanders and his aides``), but not a relative clause, nor the cue itself
  when it hangs on the phrase (``a video threatening an attack``);
* a relative pronoun when the cue sits in a relative clause (``Ms Diaz, who has
  vowed to ...``: ``who``; the resolver still names Ms Diaz);
* a possessor with its ``'s`` (``the mayor's claim``).

Bounded by the phrase's own subtree, so linear overall.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

RELATIVE = frozenset({"who", "which", "that", "whom"})
_MAX_TOKENS = 20
_DROP_RIGHT = frozenset({"relcl", "punct", "advcl", "ccomp", "xcomp", "parataxis", "dep"})


def relative_source(cue: Token, speaker: Token) -> Token | None:
    """The relative pronoun subject of a cue in a relative clause on ``speaker``."""
    node = cue
    for _ in range(3):
        if node.dep_ == "relcl" and node.head.i == speaker.i:
            return next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")
                         and c.lower_ in RELATIVE), None)
        if node.dep_ not in ("xcomp", "conj", "ccomp") or node.head.i == node.i:
            return None
        node = node.head
    return None


def written_span(doc: Doc, speaker: Token, cue: Token | None) -> Span:
    """The source noun phrase of ``speaker`` as written (see module doc)."""
    if speaker.pos_ == "PRON" or speaker.tag_ in ("PRP", "PRP$", "WP"):
        end = speaker.i + 1
        if end < len(doc) and doc[end].tag_ == "POS":
            end += 1
        return doc[speaker.i : end]
    start = speaker.left_edge.i
    end = speaker.i + 1
    for child in speaker.rights:
        if child.dep_ == "relcl":
            break
        holds_cue = cue is not None and child.left_edge.i <= cue.i <= child.right_edge.i
        if child.dep_ in _DROP_RIGHT or holds_cue or (child.dep_ == "prep" and child.lower_ == "as"):
            continue  # `as`: `criticized by teachers as reckless`
        end = max(end, child.right_edge.i + 1)
    if cue is not None and start <= cue.i < end:
        end = cue.i
    for i in range(speaker.i + 1, end):
        if doc[i].is_quote or doc[i].text == ":":  # `Clinton: "..."`: the label ends at its colon
            end = i
            break
    while start < speaker.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    end = min(end, speaker.i + _MAX_TOKENS)
    while end > speaker.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space
                                   or doc[end - 1].dep_ == "cc"):
        end -= 1
    return doc[start:end]
