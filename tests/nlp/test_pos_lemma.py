"""newsmine_pos_lemma gives every token what the base model's attribute_ruler + lemmatizer give.

Each test parses sentences up to the parser, then runs spaCy's own two components on one
copy and ours on another, and compares tag, dependency label, POS, morphology and lemma
of every token. The sentences are chosen to hit the ruler's exceptions: multi-token
patterns, patterns that read the dependency label, pronoun and auxiliary rules, spaces.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.attrs import DEP, LOWER, ORTH, TAG
from spacy.language import Language
from spacy.tokens import Doc

from newsmine.nlp.pos_lemma import PosLemma, install
from newsmine.nlp.ruler_rules import Unsupported, compile_ruler

SENTENCES = [
    # tag map and morph rules: pronouns, possessives, auxiliaries, modals, negation
    "She said her party had been told it wasn't going to win, and they'd have to wait.",
    "I told him that we would not accept it; you can't, and they won't either.",
    "Ministers were asked whether the figures, which had been published, were accurate.",
    # dependency-label exceptions: 'but' as advmod, expletive 'there', subordinators, aux
    "There is little doubt, but there are questions that the council has not answered.",
    "If prices rise again, the bank said it would act once inflation was under control.",
    "That is what he did, and those who knew him said nothing else mattered.",
    # multi-token patterns: gon na, got ta, let 's, c'm on, y' all, ai n't
    "\"We're gonna fight this and we gotta win,\" the striker said. \"Let's go, y'all.\"",
    "\"C'mon, it ain't over,\" said the coach, doin' his best. \"Somethin' will change.\"",
    # spaces: paragraph breaks, double spaces, a tab
    "Port Ellery\n\nThe harbour reopened on Monday.  Boats returned\tby noon.\n",
    # numbers, names, plurals, comparatives, past participles, gerunds
    "The 12 largest firms' profits fell 3.5% to £1.2bn, the ONS's figures showed, worse than feared.",
    "Being the oldest of the children, Ms Okafor has led the families' campaign since 2019.",
]


def _parsed(nlp: Language, texts: list[str]) -> list[Doc]:
    """Docs after everything that runs before the ruler (tagger, parser, our paragraphs)."""
    docs = [nlp.make_doc(text) for text in texts]
    for name, proc in nlp.pipeline:
        if name == "newsmine_pos_lemma":
            break
        docs = [proc(doc) for doc in docs]
    return docs


def _attrs(doc: Doc) -> list[tuple[str, str, str, str, str, str]]:
    return [(t.text, t.tag_, t.dep_, t.pos_, str(t.morph), t.lemma_) for t in doc]


def _reference_and_ours(nlp: Language, texts: list[str], ours: PosLemma) -> tuple[list, list]:
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    reference, mine = [], []
    for doc in _parsed(nlp, texts):
        copy = doc.copy()
        reference.append(_attrs(lemmatizer(ruler(doc))))
        mine.append(_attrs(ours(copy)))
    return reference, mine


def test_installed_in_place_of_the_ruler_and_lemmatizer(nlp) -> None:
    assert "newsmine_pos_lemma" in nlp.pipe_names
    assert {"attribute_ruler", "lemmatizer"} <= set(nlp.disabled)
    names = nlp.pipe_names
    assert names.index("parser") < names.index("newsmine_pos_lemma") < names.index("ner")


def test_every_token_matches_spacys_components(nlp) -> None:
    reference, mine = _reference_and_ours(nlp, SENTENCES, nlp.get_pipe("newsmine_pos_lemma"))
    assert sum(len(doc) for doc in reference) > 200
    for ref_doc, my_doc in zip(reference, mine, strict=True):
        assert my_doc == ref_doc


def test_the_exceptions_really_fire(nlp) -> None:
    """The sentences above reach the ruler's exceptions (else the comparison proves little)."""
    doc = nlp("\"We're gonna fight this,\" he said. \"Let's go.\" There is a deal but it ain't signed.")
    by_text = {t.text: t for t in doc}
    assert (by_text["gon"].lemma_, by_text["na"].lemma_) == ("go", "to")  # two-token pattern
    assert by_text["'s"].lemma_ == "us"  # let 's: the second token of the pair
    assert by_text["ai"].lemma_ == "be"
    assert by_text["is"].pos_ == "VERB"  # after an expletive 'there', not AUX
    assert by_text["n't"].lemma_ == "not" and by_text["n't"].pos_ == "PART"
    assert by_text["said"].lemma_ == "say" and by_text["he"].lemma_ == "he"
    spaces = nlp("Port Ellery\n\nThe pier reopened.")
    assert [(t.pos_, t.tag_) for t in spaces if t.is_space] == [("SPACE", "_SP")]


def test_a_cold_and_a_warm_table_agree(nlp) -> None:
    """The second time a word is seen its row comes from the table: same answers."""
    fresh = PosLemma(
        nlp, "fresh", ruler="attribute_ruler", lemmatizer="lemmatizer", max_entries=50, morph=True
    )
    first = _reference_and_ours(nlp, SENTENCES, fresh)
    second = _reference_and_ours(nlp, SENTENCES, fresh)  # the cap of 50 rows clears it midway too
    assert first[1] == first[0] and second[1] == second[0]


def test_keys_that_mix_alike_still_get_their_own_rows(nlp, monkeypatch) -> None:
    """The table searches by a mixed 64-bit value; were every key to mix the same, each
    token must still get its own word's row (the dicts take the collisions)."""
    import numpy

    import newsmine.nlp.pos_lemma as pos_lemma

    monkeypatch.setattr(pos_lemma, "mixed", lambda orth, small: numpy.zeros(len(orth), dtype=numpy.uint64))
    fresh = PosLemma(
        nlp, "mixed", ruler="attribute_ruler", lemmatizer="lemmatizer", max_entries=10_000, morph=True
    )
    first = _reference_and_ours(nlp, SENTENCES, fresh)
    fresh._table.merge(fresh._orth, fresh._small)
    assert len(fresh._table.keys) == 1 and len(fresh._table.collided) > 100  # all but one collided
    second = _reference_and_ours(nlp, SENTENCES, fresh)
    assert first[1] == first[0] and second[1] == second[0]


def test_a_new_generation_keeps_the_rows_it_used(nlp) -> None:
    """At a generation's turn only the rows looked up since the last turn stay: the table
    stays bounded, the words just seen are still found, and the answers do not change."""
    fresh = PosLemma(
        nlp, "generations", ruler="attribute_ruler", lemmatizer="lemmatizer", max_entries=10_000, morph=True
    )
    _reference_and_ours(nlp, SENTENCES, fresh)
    everything = len(fresh._table)
    fresh._next_generation()  # every row was used: all stay
    assert len(fresh._table) == everything and fresh._n_used == 0
    fresh(_parsed(nlp, SENTENCES[:1])[0])
    recent = fresh._n_used
    fresh._next_generation()
    assert 0 < recent == len(fresh._table) < everything
    fresh(_parsed(nlp, SENTENCES[:1])[0])
    assert len(fresh._table.pending) == 0  # every word of the sentence found, none re-made
    reference, mine = _reference_and_ours(nlp, SENTENCES, fresh)
    assert mine == reference


def test_lemmas_survive_memory_zones(nlp) -> None:
    """Rows hold string hashes; a lemma string first made inside one zone (so dropped when
    it ends) must still be there for the same word in the next zone."""
    texts = ["The quorbelling ministers blamed the zintrels.", "Zintrels were quorbelling again."]
    runs = []
    for _ in range(3):
        with nlp.memory_zone():
            runs.append([[t.lemma_ for t in doc] for doc in nlp.pipe(texts)])
    assert "zintrel" in runs[0][0] and "zintrel" in runs[0][1]  # lemmas unlike the words
    assert runs[1] == runs[0] and runs[2] == runs[0]


def test_not_installed_when_a_pattern_cannot_be_reproduced() -> None:
    from newsmine.nlp.config import read_config, resolve_model

    base = spacy.load(resolve_model(None, read_config()))
    base.get_pipe("attribute_ruler").add([[{"LOWER": "very", "OP": "+"}]], {"LEMMA": "very"})
    with pytest.raises(Unsupported, match="OP"):
        compile_ruler(base.get_pipe("attribute_ruler"))
    assert install(base) is False
    assert "newsmine_pos_lemma" not in base.component_names
    assert "attribute_ruler" in base.pipe_names and "lemmatizer" in base.pipe_names


def test_not_installed_when_something_upstream_sets_pos() -> None:
    from newsmine.nlp.config import read_config, resolve_model

    @Language.component("test_sets_pos", assigns=["token.pos"])
    def sets_pos(doc: Doc) -> Doc:
        return doc

    base = spacy.load(resolve_model(None, read_config()))
    base.add_pipe("test_sets_pos", before="attribute_ruler")
    assert install(base) is False and "attribute_ruler" in base.pipe_names


def test_memoized_ruler_tests_agree_with_running_them(nlp) -> None:
    """The tests' answers are kept per (tag, label class, signature) for words no pattern
    names: the kept answer must be what running every test on the token gives."""
    fresh = PosLemma(
        nlp, "memo", ruler="attribute_ruler", lemmatizer="lemmatizer", max_entries=10_000, morph=True
    )
    fresh.compile()
    compiled = fresh._compiled
    docs = _parsed(nlp, SENTENCES * 2)  # twice: the second pass answers from the memo
    for doc in docs:
        smalls = fresh._small_keys(doc.to_array([ORTH, TAG, DEP, LOWER])).tolist()
        for token, small in zip(doc, smalls, strict=True):
            assert fresh._passed(token, small) == compiled.passed(token)
    assert fresh._passed_memo  # the memo was used


def test_one_row_for_a_word_in_several_roles(nlp) -> None:
    """An unpinned word's key ignores labels no pattern for its tag tests: 'council' as
    subject, object and conjunct is one key; 'it' (named by patterns with labels) is not."""
    ours = nlp.get_pipe("newsmine_pos_lemma")
    texts = ["The council met.", "They blamed the council.", "Police and the council agreed.",
             "It rained.", "They saw it."]
    keyed: dict[str, set[tuple[str, int]]] = {}
    for doc in _parsed(nlp, texts):
        smalls = ours._small_keys(doc.to_array([ORTH, TAG, DEP, LOWER])).tolist()
        for token, small in zip(doc, smalls, strict=True):
            keyed.setdefault(token.lower_, set()).add((token.dep_, (token.orth, small)))
    assert len({dep for dep, _ in keyed["council"]}) >= 2
    assert len({key for _, key in keyed["council"]}) == 1
    assert len({key for _, key in keyed["it"]}) == 2


def test_kept_base_form_answers_match_the_lemmatizer(nlp) -> None:
    """The base-form test is kept per (POS, morphology): the same answers as asking it."""
    from newsmine.nlp.lemma_rules import RuleLemmatizer

    lemmatizer = nlp.get_pipe("lemmatizer")
    kept = RuleLemmatizer(lemmatizer)
    assert kept._base_forms is not None
    for doc in nlp.pipe(SENTENCES * 2):
        for token in doc:
            assert kept.is_base_form(token) == lemmatizer.is_base_form(token)
