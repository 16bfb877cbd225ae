"""The parser takes two character-capped groups at once, predicting them in sorted
batches that never hold two long documents; every other component takes one group."""

from __future__ import annotations

from newsmine.run.minibatch import PARSER_GROUPS, SPACY_SUBBATCH, parser_batches, pipe_texts

TEXTS = [
    "The minister said on Tuesday that the budget would be cut by 5%.",
    "Police in Leeds arrested two men after a fire at a warehouse.",
    '"We will not give up," the union leader told reporters.',
    "Shares in the carmaker fell sharply after the profit warning.",
    "The council has approved plans for 300 new homes near the river.",
]


class BatchSpy:
    """Passes docs through a component, noting the texts and the batch size of each call."""

    def __init__(self, proc, calls: list[tuple[list[str], int]]) -> None:
        self._proc, self._calls = proc, calls

    def __getattr__(self, attr):
        return getattr(self._proc, attr)

    def pipe(self, docs, **kwargs):
        docs = list(docs)
        self._calls.append(([doc.text for doc in docs], kwargs["batch_size"]))
        return self._proc.pipe(docs, **kwargs)


def _spied(nlp, texts: list[str], max_texts: int, max_chars: int) -> tuple[list, dict[str, list]]:
    calls: dict[str, list] = {"parser": [], "ner": []}
    saved = list(nlp._components)
    nlp._components[:] = [(n, BatchSpy(p, calls[n]) if n in calls else p) for n, p in saved]
    try:
        items = [(text, (i, -1)) for i, text in enumerate(texts)]
        out = list(pipe_texts(nlp, items, max_texts=max_texts, max_chars=max_chars))
    finally:
        nlp._components[:] = saved
    assert [ctx for _, ctx in out] == [ctx for _, ctx in items]
    assert [doc.text for doc, _ in out] == texts
    return out, calls


def _predicted_whole(calls: list[tuple[list[str], int]]) -> bool:
    """spaCy's parser predicts ``batch_size // 4`` (at least 2) docs at a time: each call whole."""
    return all(max(size // SPACY_SUBBATCH, 2) >= len(texts) for texts, size in calls)


def test_the_parser_sees_both_groups_sorted_and_every_doc_comes_back_in_order(nlp) -> None:
    out, calls = _spied(nlp, TEXTS, max_texts=32, max_chars=260)
    assert all(doc.has_annotation("DEP") and doc.has_annotation("ENT_IOB") for doc, _ in out)
    assert [len(texts) for texts, _ in calls["ner"]] == [4, 1]  # 260 characters a group
    assert PARSER_GROUPS == 2 and [len(texts) for texts, _ in calls["parser"]] == [2, 2, 1]  # 130 each
    assert sorted(t for texts, _ in calls["parser"] for t in texts) == sorted(TEXTS)  # both groups
    assert _predicted_whole(calls["parser"])
    for (doc, _), text in zip(out, TEXTS, strict=True):
        alone = nlp(text)
        assert [t.dep_ for t in doc] == [t.dep_ for t in alone]
        assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in alone.ents]


def test_two_long_documents_are_never_parsed_together(nlp) -> None:
    """Six texts, two long: handed them at once, spaCy would predict the two longest together."""
    long_a = " ".join(TEXTS * 2)  # 619 characters
    long_b = " ".join(reversed(TEXTS * 2))
    texts = [TEXTS[0], long_a, TEXTS[1], long_b, TEXTS[2], TEXTS[3]]
    out, calls = _spied(nlp, texts, max_texts=32, max_chars=1_000)
    assert [len(t) for t, _ in calls["ner"]] == [3, 3]  # groups of up to 1,000 characters
    parsed = calls["parser"]
    assert _predicted_whole(parsed)
    assert all(len(batch) == 1 or sum(map(len, batch)) <= 500 for batch, _ in parsed)
    assert [batch for batch, _ in parsed if long_a in batch] == [[long_a]]
    assert [batch for batch, _ in parsed if long_b in batch] == [[long_b]]
    for (doc, _), text in zip(out, texts, strict=True):
        alone = nlp(text)
        assert [(t.dep_, t.head.i) for t in doc] == [(t.dep_, t.head.i) for t in alone]


def test_parser_batches_sort_by_length_and_cap_texts_and_characters(nlp) -> None:
    docs = [nlp.make_doc(text) for text in [TEXTS[0] * 3, TEXTS[1], TEXTS[2], TEXTS[3], TEXTS[4]]]
    batches = parser_batches(docs, max_texts=8, max_chars=260)  # 2 docs, 130 characters
    assert sorted(i for batch in batches for i in batch) == list(range(5))
    assert batches[-1] == [0]  # the longest last, alone (192 characters)
    assert all(len(batch) <= 2 and sum(len(docs[i].text) for i in batch) <= 130 for batch in batches[:-1])
    lengths = [len(docs[i]) for batch in batches for i in batch]
    assert lengths == sorted(lengths)
