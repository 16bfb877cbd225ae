"""POS, morphology and lemmas from a table instead of ``attribute_ruler`` + ``lemmatizer``.

In ``en_core_web_sm`` those two components took 35 of bare spaCy's 128 s on the BBC
corpus, more than the parser: the ruler matches 179 patterns at every token and the
lemmatizer runs Python per token. Yet what they give a token is fixed by its text, its
tag and (for a few patterns) its dependency label (see ``newsmine.nlp.ruler_rules``),
and the lemma then by its text, POS and morphology. So this component works each
result out once per (ORTH, TAG, class of DEP), with spaCy's own logic on the first token
that has it (the ruler's patterns compiled to tests, then the lemmatizer's own method),
and afterwards copies it: the same POS, morph, lemma, tag and dependency label on every
token, for a dict lookup and one ``Doc.from_array``. The few multi-token patterns
(``gon na``, ``let 's``, ``there is``) are checked only where their first token could
start them, and the tokens they set are worked out again with them.

``install`` puts it in place of the two components only when every ruler pattern
compiles exactly and nothing before the ruler sets POS, morphology or lemmas; the two
stay in the pipeline, disabled, so a saved pipeline keeps their data and this component
reads it from them again. Memory: the table is capped (``max_entries``; cleared and
rebuilt, results are the same) and holds string hashes; lemmas that are neither the
token's text nor its lowercase form are re-added to the string store for each token, so
they exist inside every ``memory_zone``.
"""

from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Token

from newsmine.nlp.lemma_rules import token_lemmatizer
from newsmine.nlp.ruler_rules import CompiledRuler, Unsupported, compile_ruler

# A row's key: ORTH << 20 | the tag's number << 6 | the class of the DEP label (see
# ``CompiledRuler.dep_class``), one int so the table is a dict of ints.
Key = int
_SET_UPSTREAM = {"token.pos", "token.morph", "token.lemma"}
_STRINGS, _SEQUENCE = 1, 2  # a row's Extra has a lemma string, tag or label to set; sequence tests


@dataclass(frozen=True, slots=True)
class Extra:
    """What a row needs beyond its values (most rows need nothing)."""

    lemma: str | None  # a lemma string to re-add to the store for each token
    tag: int | None  # a tag the ruler sets
    dep: int | None  # a dependency label the ruler sets
    positions: frozenset[tuple[int, int]]  # (sequence, position) tests the token passes


class PosLemma(Pipe):
    """The base model's ``attribute_ruler`` and ``lemmatizer`` as one cached table (module doc)."""

    def __init__(
        self, nlp: Language, name: str, *, ruler: str, lemmatizer: str, max_entries: int, morph: bool
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.ruler_name = ruler
        self.lemmatizer_name = lemmatizer
        self.max_entries = max_entries
        self.columns = [POS, MORPH, LEMMA] if morph else [POS, LEMMA]
        self._compiled: CompiledRuler | None = None
        self._clear()

    def _clear(self) -> None:
        self._tag_ids: dict[int, int] = {}  # TAG hash -> its number
        self._dep_ids: dict[int, int] = {}  # DEP label hash -> its class's number
        self._rows: dict[Key, int] = {}  # key -> row of ``_values``: this generation
        self._old: dict[Key, int] = {}  # the previous generation (rows found there move up)
        self._context: dict[tuple[Key, frozenset[int]], int] = {}  # rows for sequence targets
        self._values = numpy.zeros((1024, 3), dtype=numpy.uint64)  # POS, MORPH, LEMMA
        self._special = numpy.zeros(1024, dtype=numpy.uint8)  # _STRINGS | _SEQUENCE per row
        self._extras: list[Extra | None] = []

    def _next_generation(self) -> None:
        """Keep only the rows this generation used (bounded memory, frequent words kept)."""
        used = list(self._rows.values())
        self._old = {key: i for i, key in enumerate(self._rows)}
        self._rows = {}
        self._context = {}
        size = max(1024, 2 * len(used))
        values = numpy.zeros((size, 3), dtype=numpy.uint64)
        special = numpy.zeros(size, dtype=numpy.uint8)
        values[: len(used)] = self._values[used]
        special[: len(used)] = self._special[used]
        self._values, self._special = values, special
        self._extras = [self._extras[i] for i in used]
        self._lemmatize.cache.clear()

    def compile(self) -> None:
        """Compile the ruler's patterns now (raises ``Unsupported`` if they cannot be reproduced)."""
        lemmatizer = self.nlp.get_pipe(self.lemmatizer_name)
        if getattr(lemmatizer, "mode", None) not in ("rule", "lookup"):
            raise Unsupported(f"lemmatizer mode {getattr(lemmatizer, 'mode', None)!r}")
        self._compiled = compile_ruler(self.nlp.get_pipe(self.ruler_name))
        self._overwrite = bool(lemmatizer.overwrite)
        self._lemmatize = token_lemmatizer(lemmatizer)
        self._clear()

    def __call__(self, doc: Doc) -> Doc:
        if self._compiled is None:
            self.compile()
        if len(doc) == 0:
            return doc
        if len(self._rows) > self.max_entries // 2:
            self._next_generation()
        columns = doc.to_array([ORTH, TAG, DEP])
        keys = self._keys(*columns.T.tolist())
        rows = self._rows
        found = [rows.get(key, -1) for key in keys]
        if -1 in found:
            for i, row in enumerate(found):
                if row == -1:
                    found[i] = self._row(doc, i, keys[i])
        index = numpy.array(found, dtype=numpy.intp)
        flags = self._special[index]
        if flags.any():
            in_sequences = numpy.flatnonzero(flags & _SEQUENCE).tolist()
            if in_sequences and self._sequences(doc, keys, index, in_sequences):
                flags = self._special[index]
            self._extra_columns(doc, columns, index, numpy.flatnonzero(flags & _STRINGS).tolist())
        values = self._values[index]
        doc.from_array(self.columns, values if len(self.columns) == 3 else values[:, [0, 2]])
        return doc

    def _row(self, doc: Doc, i: int, key: Key) -> int:
        """The row for token ``i``: this generation's, the last one's, or worked out now."""
        row = self._rows.get(key)
        if row is None:
            row = self._old.get(key)
            if row is None:
                row = self._add(doc[i], ())
            self._rows[key] = row
        return row

    def _keys(self, orths: list[int], tags: list[int], deps: list[int]) -> list[Key]:
        tag_ids, dep_ids = self._tag_ids, self._dep_ids
        try:
            return [o << 20 | tag_ids[t] << 6 | dep_ids[d] for o, t, d in zip(orths, tags, deps, strict=True)]
        except KeyError:
            self._number(tags, deps)
            return [o << 20 | tag_ids[t] << 6 | dep_ids[d] for o, t, d in zip(orths, tags, deps, strict=True)]

    def _number(self, tags: list[int], deps: list[int]) -> None:
        """Give new tags a number and new labels their class's number (both stay small)."""
        assert self._compiled is not None
        strings = self.nlp.vocab.strings
        for tag in set(tags) - set(self._tag_ids):
            self._tag_ids[tag] = len(self._tag_ids)
        classes = {self._compiled.dep_class(strings[d]): c for d, c in self._dep_ids.items()}
        for dep in set(deps) - set(self._dep_ids):
            self._dep_ids[dep] = classes.setdefault(self._compiled.dep_class(strings[dep]), len(classes))
        if len(self._tag_ids) >= 1 << 14 or len(classes) >= 1 << 6:
            raise ValueError("newsmine_pos_lemma: more tags or label classes than its keys hold")

    def _add(self, token: Token, extra_patterns: tuple[int, ...]) -> int:
        """A new row: what the ruler and lemmatizer give ``token``, worked out with their logic."""
        compiled = self._compiled
        assert compiled is not None
        patterns, positions = compiled.passed(token)
        result = compiled.apply(patterns + extra_patterns)
        pos = result.get(POS, token.pos)
        morph = result.get(MORPH, token.morph.key)
        lemma_text = None
        if LEMMA in result and not self._overwrite:
            lemma = result[LEMMA]
        else:
            token.pos = pos
            token.set_morph(morph or None)
            lemma_text = self._lemmatize(token)
            lemma = self.nlp.vocab.strings.add(lemma_text)
            if lemma in (token.orth, token.lower):
                lemma_text = None  # the token's own strings live as long as the token
        if extra_patterns:
            positions = frozenset()  # a sequence's target, worked out again: sequences are found
        tag, dep = result.get(TAG), result.get(DEP)
        needed = lemma_text is not None or tag is not None or dep is not None or positions
        return self._append((pos, morph, lemma), Extra(lemma_text, tag, dep, positions) if needed else None)

    def _append(self, values: tuple[int, int, int], extra: Extra | None) -> int:
        row = len(self._extras)
        if row == len(self._values):
            self._values = numpy.concatenate([self._values, numpy.zeros_like(self._values)])
            self._special = numpy.concatenate([self._special, numpy.zeros_like(self._special)])
        self._values[row] = values
        self._special[row] = 0 if extra is None else (
            (_STRINGS if extra.lemma is not None or extra.tag is not None or extra.dep is not None else 0)
            | (_SEQUENCE if extra.positions else 0)
        )
        self._extras.append(extra)
        return row

    def _sequences(self, doc: Doc, keys: list[Key], index: numpy.ndarray, tested: list[int]) -> bool:
        """Apply the multi-token patterns: find their matches among the ``tested`` tokens (the
        ones passing some position's test) and redo the tokens they target. True if any."""
        compiled = self._compiled
        assert compiled is not None
        passes = {i: self._extras[index[i]].positions for i in tested}  # type: ignore[union-attr]
        empty: frozenset[tuple[int, int]] = frozenset()
        targets: dict[int, set[int]] = {}
        for i, positions in passes.items():
            for s, k in positions:
                seq = compiled.sequences[s]
                if k == 0 and all((s, j) in passes.get(i + j, empty) for j in range(1, seq.length)):
                    targets.setdefault(i + seq.target, set()).add(seq.pattern)
        for j, patterns in targets.items():
            context = (keys[j], frozenset(patterns))
            row = self._context.get(context)
            if row is None:
                row = self._context[context] = self._add(doc[j], tuple(sorted(patterns)))
            index[j] = row
        return bool(targets)

    def _extra_columns(
        self, doc: Doc, columns: numpy.ndarray, index: numpy.ndarray, special: list[int]
    ) -> None:
        """Lemma strings into this zone's store; tags and labels the ruler sets, where it does."""
        strings = self.nlp.vocab.strings
        changed = False
        for i in special:
            extra = self._extras[index[i]]
            assert extra is not None
            if extra.lemma is not None:
                strings.add(extra.lemma)
            if extra.tag is not None:
                columns[i, 1] = extra.tag
                changed = True
            if extra.dep is not None:
                columns[i, 2] = extra.dep
                changed = True
        if changed:
            doc.from_array([TAG, DEP], columns[:, 1:])


def install(nlp: Language, ruler: str = "attribute_ruler", lemmatizer: str = "lemmatizer") -> bool:
    """Replace ``ruler`` + ``lemmatizer`` by ``newsmine_pos_lemma`` if it can reproduce them exactly.

    Returns whether it did; the two stay in the pipeline, disabled (their data stays with
    a saved pipeline). Not installed when either is missing or disabled, when a pattern
    cannot be compiled, or when a component before the ruler sets POS, morphology or lemmas
    (the table assumes tokens reach the ruler without them).
    """
    names = nlp.pipe_names
    if ruler not in names or lemmatizer not in names or names.index(lemmatizer) < names.index(ruler):
        return False
    for name in names[: names.index(ruler)]:
        if _SET_UPSTREAM & set(nlp.get_pipe_meta(name).assigns):
            return False
    component = nlp.add_pipe(
        "newsmine_pos_lemma", after=lemmatizer, config={"ruler": ruler, "lemmatizer": lemmatizer}
    )
    try:
        component.compile()
    except Unsupported:
        nlp.remove_pipe(component.name)
        return False
    nlp.disable_pipe(ruler)
    nlp.disable_pipe(lemmatizer)
    return True


@Language.factory(
    "newsmine_pos_lemma",
    default_config={"ruler": "attribute_ruler", "lemmatizer": "lemmatizer", "max_entries": 16_000,
                    "morph": True},
    assigns=["token.pos", "token.morph", "token.lemma", "token.tag", "token.dep"],
    requires=["token.tag", "token.dep"],
)
def make_pos_lemma(
    nlp: Language, name: str, *, ruler: str, lemmatizer: str, max_entries: int, morph: bool
) -> PosLemma:
    """Build the component; ``ruler`` and ``lemmatizer`` name the (disabled) components it
    stands for; ``morph`` false leaves ``token.morph`` unset (the lemmas still use it)."""
    return PosLemma(nlp, name, ruler=ruler, lemmatizer=lemmatizer, max_entries=max_entries, morph=morph)
