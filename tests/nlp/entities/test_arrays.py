"""The per-doc arrays and the entity writer of newsmine_entities against spaCy's own paths."""

import unicodedata

from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.tokens import Span

from newsmine.nlp.entities.arrays import memo
from newsmine.nlp.entities.component import ATTRS, KB_COLUMN, Arrays, set_entities
from newsmine.nlp.entities.names import fold, strip_accents

TEXT = (
    "LONDON (Reuters) - Prime Minister Keir Starmer's spokesman said on Tuesday that "
    "the U.K.'s $4.5bn deal with Apple Computer\u2014\"a first\"\u2014was signed in Kyiv, "
    "Ukraine.\nErdo\u011fan's office didn't comment."
)


def test_arrays_give_the_doc_text_and_spacys_lower_forms(nlp):
    doc = nlp.make_doc(TEXT)
    a = Arrays(doc, ATTRS)
    assert a.doc_text == doc.text
    assert a.lower == [t.lower_ for t in doc]
    assert a.text == [t.text for t in doc]


def test_with_dep_finds_the_tokens_a_scan_finds(nlp):
    doc = nlp(TEXT)
    a = Arrays(doc, ATTRS)
    for label in ("appos", "nsubj", "compound", "no-such-label"):
        h = doc.vocab.strings.add(label)
        assert a.with_dep(h) == [t.i for t in doc if t.dep == h]


def test_set_entities_writes_what_set_ents_writes(nlp):
    ents = [(0, 1, "GPE"), (2, 3, "ORG"), (5, 8, "PERSON"), (8, 10, "PERSON"), (12, 13, "DATE")]
    for with_kb in (False, True):
        spacy_doc, ours = nlp.make_doc(TEXT), nlp.make_doc(TEXT)
        for doc in (spacy_doc, ours):
            doc.set_ents([Span(doc, 1, 2, label="ORG"), Span(doc, 5, 7, label="GPE")])
            if with_kb:  # a knowledge-base id inside and outside the new entities
                doc[6].ent_kb_id_ = doc[11].ent_kb_id_ = "Q1"
        spacy_doc.set_ents([Span(spacy_doc, s, e, label=lab) for s, e, lab in ents], default="outside")
        set_entities(ours, ents, Arrays(ours, ATTRS).array[:, KB_COLUMN])
        cols = [ENT_IOB, ENT_TYPE, ENT_KB_ID]
        assert ours.to_array(cols).tolist() == spacy_doc.to_array(cols).tolist()
        assert [(e.start, e.end, e.label_) for e in ours.ents] == ents


def test_memo_gives_the_uncached_result_also_after_it_empties():
    calls = []

    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    cached = memo(shout, limit=2)
    words = ["Kyiv", "Kyiv", "Erdo\u011fan", "Kharkiv", "Kyiv"]
    assert [cached(w) for w in words] == [w.upper() for w in words]
    assert calls == ["Kyiv", "Erdo\u011fan", "Kharkiv", "Kyiv"]  # emptied at its limit, then refilled


def test_ascii_names_fold_as_the_unicode_path_does():
    for name in ("Zelenskyy's", "Jones'", "  Ursula  von der Leyen ", "The Kremlin", "Erdo\u011fan"):
        assert strip_accents(name) == "".join(
            ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
        )
    assert fold("Erdo\u011fan's") == fold("Erdogan") == "erdogan"
