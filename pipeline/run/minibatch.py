"""Feed a batch's texts through spaCy in minibatches sized for each component.

``tok2vec`` and ``ner`` (which embeds with a CNN of its own) hold ~10 KB per token of
a minibatch at once, so their minibatches are capped by characters (``max_chars``).
The parser holds far less (measured ~34 MiB at 32 BBC articles, ~10 MiB at 8) and its
transition loop gets faster the more documents step together: on 200 BBC articles it
took 1.41 s of CPU at 8 documents a batch and 0.93 s at 32, bare spaCy's batch size.
So the documents of two character-capped groups, up to ``max_texts``, go through the
parser at once, and every other component sees one group at a time. Measured on 200
BBC articles (CPU s of the parser; the process's peak RSS): one group 1.46 s, 426 MiB;
two 1.04 s, 426 MiB (the peak is still tok2vec's); four 0.90 s, 451 MiB. A component's
output does not depend on the documents it is batched with, so the rows are the same.

spaCy's parser sorts what it is handed by length and predicts a quarter of its batch size
at a time (at least two documents); what it holds while predicting grows with the tokens
predicted together (it precomputes its hidden layer for every token at once). Handed a
group of a few long articles, it predicted the two longest together: a 19 KB and a 13 KB
BBC article lifted a worker 28 MiB above its level, where a group of short ones cost
under 10 MiB, so a worker's peak rose with the longest articles of its share.
``parser_batches`` sorts and cuts instead, by characters too: at most ``max_chars // 2``
characters (a longer text alone) and ``max_texts // 4`` texts (spaCy's own cut at the full
batch size), each batch handed over with four times its size as batch size, so spaCy
predicts it whole. The parser then costs at most 6 MiB above the level. One pool worker's
share replayed (VmHWM; peaks vary by ~5 MiB from run to run): before, 416-421 MiB on the
first 500 BBC articles and 433-455 (mean 445, 6 runs) on all 2,225; after, 416-418 and
432-446 (mean 436, 13 runs), at the same CPU time (163.4 s against 164.6 s, 4 interleaved
pairs). What growth is left comes with tok2vec's groups: ~17 KB a token for ~5,000
tokens, and the worst group of a longer run has more tokens (5,400 against 5,100), on a
heap that fills in over the first batches (``run.heap``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

PARSER_GROUPS = 2  # character-capped groups the parser takes at once (more: a higher peak)
SPACY_SUBBATCH = 4  # spaCy's parser predicts batch_size // 4 sorted documents at a time
Item = tuple[Any, tuple[int, int]]  # a text (or doc) and its (article, part) context


def minibatches(
    items: Iterable[Item], max_texts: int, max_chars: int, size: Callable[[Any], int] = len
) -> Iterator[list[Item]]:
    """Texts grouped up to ``max_texts`` texts and ``max_chars`` characters (a longer text
    alone); ``size`` gives the characters of an item's first element."""
    group: list[Item] = []
    chars = 0
    for item in items:
        n = size(item[0])
        if group and (len(group) >= max_texts or chars + n > max_chars):
            yield group
            group, chars = [], 0
        group.append(item)
        chars += n
    if group:
        yield group


def _chars(doc: Doc) -> int:
    """``len(doc.text)`` without building the text (it ends with the last token)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def parser_batches(docs: Sequence[Doc], max_texts: int, max_chars: int) -> list[list[int]]:
    """Indexes into ``docs`` of the batches the parser predicts at once (module doc): by
    length in tokens, shortest first, up to ``max_texts // 4`` docs and ``max_chars // 2``
    characters (a longer doc alone), so that two long docs are never predicted together."""
    order = sorted(range(len(docs)), key=lambda i: len(docs[i]))
    sized = [(_chars(docs[i]), i) for i in order]
    cap_texts = max(1, max_texts // SPACY_SUBBATCH)
    batches = minibatches(sized, cap_texts, max(1, max_chars // 2), size=int)
    return [[i for _, i in batch] for batch in batches]


def _pipe(
    nlp: Language, group: list, disable: list[str], batch_size: int = 0
) -> list[tuple[Doc, tuple[int, int]]]:
    return list(nlp.pipe(group, as_tuples=True, batch_size=batch_size or len(group), disable=disable))


def _parse(nlp: Language, pairs: list, disable: list[str], max_texts: int, max_chars: int) -> list:
    """``pairs`` through the parser alone, in ``parser_batches``, back in their order."""
    out: list = [None] * len(pairs)
    for batch in parser_batches([doc for doc, _ in pairs], max_texts, max_chars):
        done = _pipe(nlp, [pairs[i] for i in batch], disable, SPACY_SUBBATCH * len(batch))
        for i, pair in zip(batch, done, strict=True):
            out[i] = pair
    return out


def pipe_texts(
    nlp: Language, items: Iterable[Item], max_texts: int, max_chars: int
) -> Iterator[tuple[Doc, tuple[int, int]]]:
    """``(doc, context)`` of every ``(text, context)``, in order, through the whole pipeline."""
    names = nlp.pipe_names
    if "parser" not in names:
        for group in minibatches(items, max_texts, max_chars):
            yield from _pipe(nlp, group, [])
        return
    cut = names.index("parser")
    before, after = names[:cut], names[cut + 1 :]
    for texts in minibatches(items, max_texts, max_chars * PARSER_GROUPS):
        groups = [_pipe(nlp, group, ["parser", *after]) for group in minibatches(texts, max_texts, max_chars)]
        pairs = [pair for group in groups for pair in group]
        parsed = iter(_parse(nlp, pairs, [*before, *after], max_texts, max_chars))
        for group in groups:
            yield from _pipe(nlp, [next(parsed) for _ in group], [*before, "parser"])


def by_article(pairs: Iterable[tuple[Doc, tuple[int, int]]]) -> Iterator[tuple[int, dict[int, Doc]]]:
    """``pipe_texts``' pairs grouped into ``(article, {part: doc})``, each article once all
    its parts have come out of the whole pipeline (its texts are consecutive)."""
    current, parts = -1, {}
    for doc, (index, part) in pairs:
        if index != current and parts:
            yield current, parts
            parts = {}
        current = index
        parts[part] = doc
    if parts:
        yield current, parts
