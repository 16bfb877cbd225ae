"""The parser takes two character-capped groups at once; every other component one."""

from __future__ import annotations

from newsmine.run.minibatch import PARSER_GROUPS, pipe_texts

TEXTS = [
    "The minister said on Tuesday that the budget would be cut by 5%.",
    "Police in Leeds arrested two men after a fire at a warehouse.",
    '"We will not give up," the union leader told reporters.',
    "Shares in the carmaker fell sharply after the profit warning.",
    "The council has approved plans for 300 new homes near the river.",
]


class BatchSpy:
    """Passes docs through a component, noting how many it was handed at a time."""

    def __init__(self, proc, sizes: list[int]) -> None:
        self._proc, self._sizes = proc, sizes

    def __getattr__(self, attr):
        return getattr(self._proc, attr)

    def pipe(self, docs, **kwargs):
        docs = list(docs)
        self._sizes.append(len(docs))
        return self._proc.pipe(docs, **kwargs)


def test_the_parser_sees_more_documents_at_once_and_every_doc_comes_back_in_order(nlp) -> None:
    sizes: dict[str, list[int]] = {"parser": [], "ner": []}
    saved = list(nlp._components)
    nlp._components[:] = [(n, BatchSpy(p, sizes[n]) if n in sizes else p) for n, p in saved]
    try:
        items = [(text, (i, -1)) for i, text in enumerate(TEXTS)]
        out = list(pipe_texts(nlp, items, max_texts=32, max_chars=130))
    finally:
        nlp._components[:] = saved
    assert [ctx for _, ctx in out] == [ctx for _, ctx in items]
    assert [doc.text for doc, _ in out] == TEXTS
    assert all(doc.has_annotation("DEP") and doc.has_annotation("ENT_IOB") for doc, _ in out)
    assert sizes["ner"] == [2, 2, 1]  # 130 characters a group
    assert sizes["parser"] == [4, 1] and PARSER_GROUPS == 2  # two groups at once
    for (doc, _), text in zip(out, TEXTS, strict=True):
        alone = nlp(text)
        assert [t.dep_ for t in doc] == [t.dep_ for t in alone]
        assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in alone.ents]
