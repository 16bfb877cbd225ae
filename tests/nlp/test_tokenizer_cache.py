"""Dropping the whitespace special cases changes no token."""

from __future__ import annotations

import spacy

from newsmine.nlp.config import read_config, resolve_model
from newsmine.nlp.tokenizer_cache import cache_past_newlines

TEXTS = [
    "Flood warning for Carlisle\nThe Environment Agency said rivers were rising.\n"
    "Residents of 300 homes were told to leave.\n\nMore rain is due on Friday.",
    "Prices rose\t2.5% in May,  the statistics office said \u2014 the fastest since 2019.\n",
    "\n  \"It's not over,\" Mr. O'Neill told the BBC\xa0on Monday.\t\n",
]


def _tokens(doc) -> list[tuple[str, str, str, int]]:
    return [(t.text, t.whitespace_, t.norm_, t.idx) for t in doc]


def test_the_tokens_stay_the_same_without_the_whitespace_specials():
    name = resolve_model(None, read_config())
    stock, changed = (spacy.load(name, exclude=["tok2vec", "tagger", "parser", "ner"]) for _ in "ab")
    cache_past_newlines(changed)
    assert "\n" in stock.tokenizer.rules and "\n" not in changed.tokenizer.rules
    assert changed.tokenizer.rules["\xa0"] == stock.tokenizer.rules["\xa0"]  # it sets a norm
    assert len(changed.tokenizer.rules) == len(stock.tokenizer.rules) - 3
    for text in TEXTS:
        expected = _tokens(stock.tokenizer(text))
        assert any(t[0] == "\n" for t in expected) or "\t" in text
        assert _tokens(changed.tokenizer(text)) == expected


def test_the_loaded_pipeline_has_them_dropped(nlp):
    assert not {"\n", "\t", " "} & set(nlp.tokenizer.rules)


def test_a_tokenizer_without_rules_is_left_alone():
    nlp = spacy.blank("en")
    nlp.tokenizer.rules = {}
    cache_past_newlines(nlp)
    assert nlp.tokenizer.rules == {}
