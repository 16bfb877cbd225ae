"""POS, morphology and lemmas from a table instead of ``attribute_ruler`` + ``lemmatizer``.

In ``en_core_web_sm`` those two components took 35 of bare spaCy's 128 s on the BBC
corpus, more than the parser: the ruler matches 179 patterns at every token and the
lemmatizer runs Python per token. Yet what they give a token is fixed by its text, its
tag and (for a few patterns) its dependency label (see ``newsmine.nlp.ruler_rules``),
and the lemma then by its text, POS and morphology. So this component works each
result out once per (ORTH, TAG, class of DEP), with spaCy's own logic on the first token
that has it (the ruler's patterns compiled to tests, then the lemmatizer's own method),
and afterwards copies it: the same POS, morph, lemma, tag and dependency label on every
token, for one binary search per doc (``_Table``) and one ``Doc.from_array``. The class
of DEP is coarse: for a word whose lowercase form no pattern names (nearly all), only
the label tests of the patterns that can match its tag count, so "council" as subject,
object and conjunct is one row, not three (65,000 rows on the BBC corpus became 42,000). The keys are worked
out per column with numpy; for such words the patterns' answers are kept per tag, class
and ``CompiledRuler.signature``, so a new word mostly costs its lemma. The few
multi-token patterns (``gon na``, ``let 's``, ``there is``) are checked only where their
first token could start them, and the tokens they set are worked out again with them.

``install`` puts it in place of the two components only when every ruler pattern
compiles exactly and nothing before the ruler sets POS, morphology or lemmas; the two
stay in the pipeline, disabled, so a saved pipeline keeps their data and this component
reads it from them again. Memory: the table is capped (``max_entries``, 64,000 rows,
about 5 MiB: the BBC corpus's 42,000 fit, where a cap of 16,000 re-made 93,000 rows;
cleared and rebuilt, results are the same) and holds string hashes; lemmas that are
neither the token's text nor its lowercase form are re-added to the string store once
per doc that uses them, so they exist inside every ``memory_zone``.
"""

from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.strings import hash_string
from spacy.tokens import Doc, Token

from newsmine.nlp.lemma_rules import token_lemmatizer
from newsmine.nlp.ruler_rules import CompiledRuler, Unsupported, compile_ruler

# A row's key: the token's ORTH and a small number, the tag's number << 7 | pinned << 6 |
# the class of the DEP label. "pinned": some pattern names the token's lowercase form; then
# the class is ``CompiledRuler.dep_class``, else the (much coarser) ``unpinned_dep_class`` of
# its tag. ``Key`` is the two as one int, for the dicts that hold the few rows looked up in
# Python; the table itself is sorted numpy arrays (``_Table``).
Key = int
_SMALL_BITS = 20
_SET_UPSTREAM = {"token.pos", "token.morph", "token.lemma"}
_LEMMA, _SEQUENCE, _SETS = 1, 2, 4  # a row's Extra has a lemma string; sequence tests; a tag or label
_MIX = numpy.uint64(0x9E3779B97F4A7C15)  # odd: spreads the small number over all 64 bits


def mixed(orth: numpy.ndarray, small: numpy.ndarray) -> numpy.ndarray:
    """One uint64 per (ORTH, small) to sort and search by. Two keys can mix to the same
    value: a hit is confirmed against the row's own ORTH and small number, and a key that
    mixes like another lives in a dict instead (``_Table.merge``), so answers stay exact."""
    return orth ^ (small.astype(numpy.uint64) * _MIX)


def exact_key(orth: int, small: int) -> Key:
    """The key as one Python int, for the dicts (no two keys share it)."""
    return orth << _SMALL_BITS | small


@dataclass(frozen=True, slots=True)
class Extra:
    """What a row needs beyond its values (most rows need nothing)."""

    lemma: str | None  # a lemma string to re-add to the store for each token
    tag: int | None  # a tag the ruler sets
    dep: int | None  # a dependency label the ruler sets
    positions: frozenset[tuple[int, int]]  # (sequence, position) tests the token passes


class _Table:
    """Key -> row, as two sorted arrays plus a dict of the rows added since the last merge.

    A dict of Python ints cost ~100 bytes a key and a Python step per token; here a key is
    16 bytes (its mixed value and row; the row keeps its ORTH and small number) and a doc's
    tokens are looked up in one ``searchsorted``. New keys wait in ``pending`` (looked up in
    Python, only for the tokens the arrays miss) until there are enough to merge."""

    def __init__(self) -> None:
        self.keys = numpy.zeros(0, dtype=numpy.uint64)  # mixed keys, sorted
        self.rows = numpy.zeros(0, dtype=numpy.int64)  # the row of each
        self.pending: dict[Key, int] = {}  # exact key -> row: added since the last merge
        self.collided: dict[Key, int] = {}  # exact key -> row: mixed like a key in ``keys``

    def __len__(self) -> int:
        return len(self.keys) + len(self.pending) + len(self.collided)

    def find(self, orth: numpy.ndarray, small: numpy.ndarray, row_orth: numpy.ndarray,
             row_small: numpy.ndarray) -> numpy.ndarray:
        """Each token's row from the arrays, -1 where they have none (look in the dicts)."""
        if not len(self.keys):
            return numpy.full(len(orth), -1, dtype=numpy.int64)
        values = mixed(orth, small)
        at = numpy.searchsorted(self.keys, values)
        rows = self.rows.take(at, mode="clip")
        hit = self.keys.take(at, mode="clip") == values
        hit &= (row_orth[rows] == orth) & (row_small[rows] == small)
        return numpy.where(hit, rows, -1)

    def get(self, key: Key) -> int | None:
        row = self.pending.get(key)
        return self.collided.get(key) if row is None else row

    def merge_due(self) -> bool:
        return len(self.pending) > 64 + len(self.keys) // 32

    def merge(self, row_orth: numpy.ndarray, row_small: numpy.ndarray) -> None:
        """The pending rows into the sorted arrays; a key whose mixed value is taken goes
        to ``collided``."""
        if not self.pending:
            return
        new = numpy.fromiter(self.pending.values(), dtype=numpy.int64, count=len(self.pending))
        keys = numpy.concatenate([self.keys, mixed(row_orth[new], row_small[new])])
        rows = numpy.concatenate([self.rows, new])
        order = numpy.argsort(keys, kind="stable")  # the old key first among equal values
        keys, rows = keys[order], rows[order]
        taken = numpy.flatnonzero(keys[1:] == keys[:-1]) + 1
        if len(taken):
            for row in rows[taken].tolist():
                self.collided[exact_key(int(row_orth[row]), int(row_small[row]))] = row
            keys, rows = numpy.delete(keys, taken), numpy.delete(rows, taken)
        self.keys, self.rows = keys, rows
        self.pending = {}


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
        self._dep_ids: dict[int, int] = {}  # DEP label hash -> its number
        self._full_classes: dict[tuple[bool, ...], int] = {}  # dep_class -> its number
        self._tag_classes: dict[int, dict[tuple[bool, ...], int]] = {}  # tag -> unpinned class -> number
        self._full = numpy.zeros(0, dtype=numpy.int64)  # dep number -> full class number
        self._reduced = numpy.zeros((0, 0), dtype=numpy.int64)  # [tag, dep] -> unpinned class number
        empty = (numpy.zeros(0, dtype=numpy.uint64), numpy.zeros(0, dtype=numpy.int64))
        self._sorted = [empty, empty]  # known TAG / DEP hashes, sorted, and their numbers
        self._table = _Table()
        self._context: dict[tuple[Key, frozenset[int]], int] = {}  # rows for sequence targets
        self._values = numpy.zeros((1024, 3), dtype=numpy.uint64)  # POS, MORPH, LEMMA
        self._special = numpy.zeros(1024, dtype=numpy.uint8)  # _LEMMA | _SEQUENCE | _SETS per row
        self._orth = numpy.zeros(1024, dtype=numpy.uint64)  # the key of each row: ORTH
        self._small = numpy.zeros(1024, dtype=numpy.int64)  # and small number
        self._used = numpy.zeros(1024, dtype=numpy.bool_)  # looked up in this generation
        self._n_used = 0
        self._extras: list[Extra | None] = []
        # ``_passed`` answers: bounded by tags x label classes x signatures
        self._passed_memo: dict[tuple[int, tuple[bool, ...]], tuple] = {}

    def _next_generation(self) -> None:
        """Keep only the rows this generation used (bounded memory, frequent words kept).

        Every row looked up through a key is marked in ``_used`` (the rows of sequence
        targets are not: they are worked out again), so the kept rows are renumbered in
        order and their keys merged into a new table like any new ones."""
        used = numpy.flatnonzero(self._used)
        size = max(1024, 2 * len(used))
        self._values = self._grown(self._values[used], size)
        self._special = self._grown(self._special[used], size)
        self._orth = self._grown(self._orth[used], size)
        self._small = self._grown(self._small[used], size)
        self._used = numpy.zeros(size, dtype=numpy.bool_)
        self._n_used = 0
        self._extras = [self._extras[i] for i in used.tolist()]
        keys = map(exact_key, self._orth[: len(used)].tolist(), self._small[: len(used)].tolist())
        self._table = _Table()
        self._table.pending = dict(zip(keys, range(len(used)), strict=True))
        self._table.merge(self._orth, self._small)
        self._context = {}
        self._lemmatize.cache.clear()

    @staticmethod
    def _grown(values: numpy.ndarray, size: int) -> numpy.ndarray:
        out = numpy.zeros((size, *values.shape[1:]), dtype=values.dtype)
        out[: len(values)] = values
        return out

    def compile(self) -> None:
        """Compile the ruler's patterns now (raises ``Unsupported`` if they cannot be reproduced)."""
        lemmatizer = self.nlp.get_pipe(self.lemmatizer_name)
        if getattr(lemmatizer, "mode", None) not in ("rule", "lookup"):
            raise Unsupported(f"lemmatizer mode {getattr(lemmatizer, 'mode', None)!r}")
        self._compiled = compile_ruler(self.nlp.get_pipe(self.ruler_name))
        self._overwrite = bool(lemmatizer.overwrite)
        self._lemmatize = token_lemmatizer(lemmatizer)
        pinned = sorted(hash_string(s) for s in self._compiled.pinned_lowers)
        self._pinned = numpy.array(pinned, dtype=numpy.uint64)  # LOWER hashes some pattern names
        self._clear()

    def __call__(self, doc: Doc) -> Doc:
        if self._compiled is None:
            self.compile()
        if len(doc) == 0:
            return doc
        if self._n_used > self.max_entries // 2:
            self._next_generation()
        if self._table.merge_due():
            self._table.merge(self._orth, self._small)
        columns = doc.to_array([ORTH, TAG, DEP, LOWER])
        orth, small = columns[:, 0], self._small_keys(columns)
        index = self._table.find(orth, small, self._orth, self._small)
        missed = numpy.flatnonzero(index < 0)
        if len(missed):
            table = self._table
            for i, o, m in zip(missed.tolist(), orth[missed].tolist(), small[missed].tolist(), strict=True):
                key = exact_key(o, m)
                row = table.get(key)
                if row is None:
                    row = table.pending[key] = self._add(doc[i], m, ())
                index[i] = row
        fresh = index[~self._used[index]]
        if len(fresh):
            self._used[fresh] = True
            self._n_used += len(numpy.unique(fresh))
        flags = self._special[index]
        if flags.any():
            in_sequences = numpy.flatnonzero(flags & _SEQUENCE).tolist()
            if in_sequences and self._sequences(doc, orth, small, index, in_sequences):
                flags = self._special[index]
            self._extra_columns(doc, columns, index, flags)
        values = self._values[index]
        doc.from_array(self.columns, values if len(self.columns) == 3 else values[:, [0, 2]])
        return doc

    def _small_keys(self, columns: numpy.ndarray) -> numpy.ndarray:
        """Every token's small number (tag, pinned, class of label), worked out with numpy."""
        tags = self._numbers(columns[:, 1], self._tag_ids, 0)
        deps = self._numbers(columns[:, 2], self._dep_ids, 1)
        lowers = columns[:, 3]
        if len(self._pinned):
            pinned = self._pinned.take(numpy.searchsorted(self._pinned, lowers), mode="clip") == lowers
        else:
            pinned = numpy.zeros(len(lowers), dtype=bool)
        classes = numpy.where(pinned, self._full[deps], self._reduced[tags, deps])
        return tags << 7 | pinned.astype(numpy.int64) << 6 | classes

    def _numbers(self, values: numpy.ndarray, numbers: dict[int, int], which: int) -> numpy.ndarray:
        """The number of each tag (``which`` 0) or label (1) hash in ``values``, numbering new
        ones: a binary search in the sorted known hashes, no Python per token."""
        known, numbered = self._sorted[which]
        at = numpy.searchsorted(known, values)
        if len(known) == 0 or not (known.take(at, mode="clip") == values).all():
            for value in set(values.tolist()) - numbers.keys():
                numbers[value] = len(numbers)
            self._number_classes()
            known, numbered = self._sorted[which]
            at = numpy.searchsorted(known, values)
        return numbered[at]

    def _number_classes(self) -> None:
        """The class tables for every known tag and label (numbers given out stay the same)."""
        compiled = self._compiled
        assert compiled is not None
        strings = self.nlp.vocab.strings
        deps = [strings[d] for d in self._dep_ids]  # in number order (dicts keep insertion order)
        full = [self._full_classes.setdefault(compiled.dep_class(d), len(self._full_classes)) for d in deps]
        reduced = numpy.zeros((len(self._tag_ids), len(deps)), dtype=numpy.int64)
        for t, tag in enumerate(strings[h] for h in self._tag_ids):
            numbered = self._tag_classes.setdefault(t, {})
            for d, dep in enumerate(deps):
                reduced[t, d] = numbered.setdefault(compiled.unpinned_dep_class(tag, dep), len(numbered))
        classes = max(len(self._full_classes), int(reduced.max(initial=0)) + 1)
        if len(self._tag_ids) >= 1 << 13 or classes > 1 << 6:
            raise ValueError("newsmine_pos_lemma: more tags or label classes than its keys hold")
        self._full, self._reduced = numpy.array(full, dtype=numpy.int64), reduced
        self._sorted = [self._sorted_numbers(self._tag_ids), self._sorted_numbers(self._dep_ids)]

    @staticmethod
    def _sorted_numbers(numbers: dict[int, int]) -> tuple[numpy.ndarray, numpy.ndarray]:
        hashes = sorted(numbers)
        numbered = numpy.array([numbers[h] for h in hashes], dtype=numpy.int64)
        return numpy.array(hashes, dtype=numpy.uint64), numbered

    def _passed(self, token: Token, small: int) -> tuple[tuple[int, ...], frozenset[tuple[int, int]]]:
        """``CompiledRuler.passed``, memoized for unpinned words by their key's tag and class
        (``small``) and their ``signature``: what every new word but a few needs, without the tests."""
        compiled = self._compiled
        assert compiled is not None
        signature = compiled.signature(token)
        if signature is None:
            return compiled.passed(token)
        memo = (small, signature)
        passed = self._passed_memo.get(memo)
        if passed is None:
            passed = self._passed_memo[memo] = compiled.passed(token)
        return passed

    def _add(self, token: Token, small: int, extra_patterns: tuple[int, ...]) -> int:
        """A new row: what the ruler and lemmatizer give ``token``, worked out with their logic."""
        compiled = self._compiled
        assert compiled is not None
        patterns, positions = self._passed(token, small)
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
        extra = Extra(lemma_text, tag, dep, positions) if needed else None
        return self._append((token.orth, small), (pos, morph, lemma), extra)

    def _append(self, key: tuple[int, int], values: tuple[int, int, int], extra: Extra | None) -> int:
        row = len(self._extras)
        if row == len(self._values):
            size = 2 * row
            self._values, self._special = self._grown(self._values, size), self._grown(self._special, size)
            self._orth, self._small = self._grown(self._orth, size), self._grown(self._small, size)
            self._used = self._grown(self._used, size)
        self._orth[row], self._small[row] = key
        self._values[row] = values
        self._special[row] = 0 if extra is None else (
            (_LEMMA if extra.lemma is not None else 0)
            | (_SETS if extra.tag is not None or extra.dep is not None else 0)
            | (_SEQUENCE if extra.positions else 0)
        )
        self._extras.append(extra)
        return row

    def _sequences(
        self, doc: Doc, orth: numpy.ndarray, small: numpy.ndarray, index: numpy.ndarray, tested: list[int]
    ) -> bool:
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
            context = (exact_key(int(orth[j]), int(small[j])), frozenset(patterns))
            row = self._context.get(context)
            if row is None:
                row = self._context[context] = self._add(doc[j], int(small[j]), tuple(sorted(patterns)))
            index[j] = row
        return bool(targets)

    def _extra_columns(
        self, doc: Doc, columns: numpy.ndarray, index: numpy.ndarray, flags: numpy.ndarray
    ) -> None:
        """Lemma strings into this zone's store (once per row a doc uses); tags and labels the
        ruler sets, where they differ from the token's own."""
        strings = self.nlp.vocab.strings
        extras = self._extras
        for row in set(index[(flags & _LEMMA) != 0].tolist()):
            strings.add(extras[row].lemma)  # type: ignore[union-attr,arg-type]
        changed = False
        for i in numpy.flatnonzero(flags & _SETS).tolist():
            extra = extras[index[i]]
            assert extra is not None
            if extra.tag is not None and columns[i, 1] != extra.tag:
                columns[i, 1] = extra.tag
                changed = True
            if extra.dep is not None and columns[i, 2] != extra.dep:
                columns[i, 2] = extra.dep
                changed = True
        if changed:
            doc.from_array([TAG, DEP], columns[:, 1:3])


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
    default_config={"ruler": "attribute_ruler", "lemmatizer": "lemmatizer", "max_entries": 64_000,
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
