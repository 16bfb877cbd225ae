"""The quote stage's column shortcuts decide as the Token-by-Token tests they stand for."""

from __future__ import annotations

from spacy.tokens import Doc

from newsmine.nlp.quotes import columns
from newsmine.nlp.quotes.cues import cue_candidates
from newsmine.nlp.quotes.frame_shape import UNSURE, frame_shape
from newsmine.nlp.quotes.frames import verb_frame

SENTENCES = (
    "The minister denied the allegations on Tuesday, saying the report was wrong.",
    "Unions want to run their own ballot, and the company has talked about the plan.",
    "The plan was criticised by teachers as reckless, and the mayor gave a warning about the cuts.",
    "She pointed out that the figures were old. He is critical of the deal, as the Times reported.",
    "Microsoft will recall 14 million cables, the firm said. The union hit back in a statement on Friday.",
    "Asked about the vote, Smith replied that he would take issue with the result.",
    "A spokeswoman for the ministry expressed concern over the delays, according to Reuters.",
    "The senator's claim that taxes would fall was rejected by economists.",
    "\"We will not back down,\" said Ana Ruiz, who leads the union.\nOnly 4% had a phone, the survey said, "
    "and most had a mobile.",
)


def _docs(nlp) -> list[Doc]:
    return [nlp(text) for text in SENTENCES]


def test_frame_shape_picks_the_frame_verb_frame_picks(nlp):
    seen = set()
    for doc in _docs(nlp):
        cols = columns.Columns(doc)
        for tok in doc:
            shape = frame_shape(doc, cols, tok.i)
            if shape is UNSURE:
                continue
            frame = verb_frame(tok)
            assert shape == (None if frame is None else (frame.key, frame.pattern)), tok.text
            if frame is not None:
                seen.add(frame.pattern.split(":")[0])
    assert {"ccomp", "xcomp", "dobj", "pp"} <= seen  # the sentences exercise the patterns


def test_cues_at_gives_cue_of_of_every_candidate(nlp):
    cues = nlp.get_pipe("newsmine_quotes").cues
    found = []
    for doc in _docs(nlp):
        candidates = cue_candidates(doc)
        assert candidates == [t.lower_ == "according" or t.pos_ in ("VERB", "AUX") or t.tag_[:2] == "VB"
                              for t in doc]
        at = cues.cues_at(doc, candidates)
        assert at == [cues.cue_of(t) if maybe else None for t, maybe in zip(doc, candidates, strict=True)]
        found += [c for c in at if c]
    assert "statement" in found and "say" in found  # a speech noun (`said in a statement`) and a verb


def test_sentence_bounds_and_children_match_the_tokens(nlp):
    for doc in _docs(nlp):
        cols = columns.Columns(doc)
        assert [cols.sent_bounds(t) for t in doc] == [(t.sent.start, t.sent.end) for t in doc]
        assert [cols.children(t.i) for t in doc] == [[c.i for c in t.children] for t in doc]
        assert [columns.lowered(doc, cols.lemma[t.i]) for t in doc] == [t.lemma_.lower() for t in doc]


def test_unparsed_doc_falls_back_to_token_sent(nlp):
    doc = Doc(nlp.vocab, words=["One", "word"])
    cols = columns.Columns(doc)
    assert cols.sent_start is None
    try:
        cols.sent_bounds(doc[0])
    except ValueError:
        pass  # as Token.sent: no sentence boundaries
    else:
        raise AssertionError("sent_bounds should raise like Token.sent")
