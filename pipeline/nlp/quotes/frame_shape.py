"""Which frame (lexicon key and pattern) a verb has, read from the doc's columns.

Why: ``reported`` asks ``frames.verb_frame`` of every verb whose lemma starts some frame
(~60,000 verbs on 2,225 BBC articles), and the lexicon lists the (key, pattern) found for
only about one in eight. ``verb_frame`` walks the verb's children as Token objects and
measures the content before the lexicon is asked; ``frame_shape`` makes the same choice
of pattern and key from the columns (string ids, child lists), so a verb whose frame the
lexicon does not list is rejected without a Token. The order of the tests is
``verb_frame``'s; where its choice hangs on more than the children (an ``as`` clause,
whose content is measured first), the answer is ``UNSURE`` and the caller asks
``verb_frame`` itself.
"""

from __future__ import annotations

from spacy.symbols import NOUN, PROPN
from spacy.tokens import Doc

from newsmine.nlp.quotes.columns import Columns, lowered, sid
from newsmine.nlp.quotes.frames import LIGHT_VERBS

UNSURE = ("?", "?")  # no pattern has this name: ``verb_frame`` must decide
Shape = tuple[str, str]  # (key, pattern), as ``Frame.key`` and ``Frame.pattern``

_ADVCL, _MARK, _AS, _TO = sid("advcl"), sid("mark"), sid("as"), sid("to")
_NSUBJ, _NSUBJPASS, _AGENT, _PRT, _AUX = sid("nsubj"), sid("nsubjpass"), sid("agent"), sid("prt"), sid("aux")
_DOBJ, _CCOMP, _XCOMP, _ATTR, _ACOMP = sid("dobj"), sid("ccomp"), sid("xcomp"), sid("attr"), sid("acomp")
_PREP, _ACL, _POBJ, _PCOMP = sid("prep"), sid("acl"), sid("pobj"), sid("pcomp")


def frame_shape(doc: Doc, cols: Columns, v: int) -> Shape | None:
    """(key, pattern) of ``verb_frame(doc[v])`` (None where it finds no frame), or
    ``UNSURE``; ``cols`` are the columns of ``doc``."""
    dep, lower, kids = cols.dep, cols.lower, cols.children
    mine = kids(v)
    deps = [dep[c] for c in mine]
    if dep[v] == _ADVCL and any(dep[c] == _MARK and lower[c] == _AS for c in mine) \
            and (_NSUBJ in deps or _NSUBJPASS in deps) \
            and not (_DOBJ in deps or _CCOMP in deps or _XCOMP in deps):
        return UNSURE  # `as X reported`: its content (the clause it hangs on) may be empty
    if _NSUBJPASS in deps and _AGENT in deps:
        return _key(doc, cols, v), "passive"
    rights = [c for c in mine if c > v]
    by_dep: dict[int, int] = {}
    for c in rights:
        by_dep.setdefault(dep[c], c)
    if _CCOMP in by_dep:
        return _key(doc, cols, v), "ccomp"
    xcomp = by_dep.get(_XCOMP)
    if xcomp is not None and any(dep[g] == _AUX and lower[g] == _TO for g in kids(xcomp)):
        return _key(doc, cols, v), "xcomp"
    obj = by_dep.get(_DOBJ, by_dep.get(_ATTR))
    if obj is not None and lowered(doc, cols.lemma[v]) in LIGHT_VERBS and cols.pos[obj] in (NOUN, PROPN):
        pp = next((c for c in rights if dep[c] == _PREP and c > obj), None)
        if pp is None:
            pp = next((c for c in kids(obj) if c > obj and dep[c] in (_PREP, _ACL)), None)
        if pp is not None:
            return _key(doc, cols, v, obj), "dobj"
    if obj is not None and dep[obj] == _DOBJ:
        return _key(doc, cols, v), "dobj"
    acomp = by_dep.get(_ACOMP)
    if acomp is not None and any(c > acomp and dep[c] in (_PREP, _CCOMP, _XCOMP) for c in kids(acomp)):
        return _key(doc, cols, v, acomp), "acomp"
    for c in rights:
        if dep[c] == _PREP and any(dep[g] in (_POBJ, _PCOMP) for g in kids(c)):
            return _key(doc, cols, v), f"pp:{doc.vocab.strings[lower[c]]}"
    return None


def _key(doc: Doc, cols: Columns, v: int, obj: int | None = None) -> str:
    """``frames.cue_key(doc[v], doc[obj])`` from the columns: the lemma, with its
    particle or, for a light verb, the lemma of the noun or adjective it carries."""
    lemma = lowered(doc, cols.lemma[v])
    prt = next((c for c in cols.children(v) if cols.dep[c] == _PRT), None)  # rare: not worth passing
    if prt is not None:
        return f"{lemma} {doc.vocab.strings[cols.lower[prt]]}"
    if obj is not None and lemma in LIGHT_VERBS:
        return f"{lemma} {lowered(doc, cols.lemma[obj])}"
    return lemma
