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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

PARSER_GROUPS = 2  # character-capped groups the parser takes at once (more: a higher peak)
Item = tuple[Any, tuple[int, int]]  # a text (or doc) and its (article, part) context


def minibatches(items: Iterable[Item], max_texts: int, max_chars: int) -> Iterator[list[Item]]:
    """Texts grouped up to ``max_texts`` texts and ``max_chars`` characters (a longer text alone)."""
    group: list[Item] = []
    chars = 0
    for item in items:
        if group and (len(group) >= max_texts or chars + len(item[0]) > max_chars):
            yield group
            group, chars = [], 0
        group.append(item)
        chars += len(item[0])
    if group:
        yield group


def _pipe(nlp: Language, group: list, disable: list[str]) -> list[tuple[Doc, tuple[int, int]]]:
    return list(nlp.pipe(group, as_tuples=True, batch_size=len(group), disable=disable))


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
        parsed = iter(_pipe(nlp, [pair for group in groups for pair in group], [*before, *after]))
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
