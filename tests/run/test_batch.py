"""One batch's memory handling: minibatches bounded by characters, zones after a warm vocabulary."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from newsmine.ingest.files import discover
from newsmine.nlp.loading import read_config, resolve_model
from newsmine.run.batch import ProcessSettings, _zone, get_pipeline, process_files
from newsmine.run.minibatch import minibatches as _minibatches

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "raw" / "sample"


def _items(lengths: list[int]) -> list[tuple[str, tuple[int, int]]]:
    return [("x" * n, (i, -1)) for i, n in enumerate(lengths)]


def test_minibatches_stop_at_the_text_count_or_the_character_budget():
    groups = list(_minibatches(_items([400, 400, 400, 2_000, 100, 100, 100]), max_texts=2, max_chars=1_000))
    assert [[ctx[0] for _, ctx in g] for g in groups] == [[0, 1], [2], [3], [4, 5], [6]]


def test_a_text_longer_than_the_budget_goes_alone_and_nothing_is_lost():
    items = _items([50, 5_000, 50])
    groups = list(_minibatches(items, max_texts=32, max_chars=1_000))
    assert [len(g) for g in groups] == [1, 1, 1]
    assert [item for g in groups for item in g] == items


def test_no_zone_until_the_vocabulary_is_warm_then_a_zone_per_batch():
    nlp = get_pipeline(resolve_model(None, read_config()))
    with _zone(nlp, permanent_vocab=len(nlp.vocab) + 1_000):
        assert not nlp.vocab.in_memory_zone
    with _zone(nlp, permanent_vocab=1):
        assert nlp.vocab.in_memory_zone
    assert not nlp.vocab.in_memory_zone


def test_rows_do_not_depend_on_the_minibatches_or_the_zones():
    files = discover(SAMPLE_DIR.parent)
    assert len(files) == 2
    settings = ProcessSettings(model=resolve_model(None, read_config()), version="test")
    small = dataclasses.replace(settings, batch_size=1, batch_chars=200, permanent_vocab=1)

    def rows(s: ProcessSettings) -> dict:
        out = process_files(files, s).rows
        assert out["quotes"] and out["entities"]
        return {name: [{k: v for k, v in r.items() if k != "processed_at"} for r in table]
                for name, table in out.items()}

    assert rows(small) == rows(settings)


def test_an_article_is_handed_on_as_soon_as_its_last_part_is_through():
    from newsmine.run.minibatch import by_article

    pulled: list[tuple[int, int]] = []

    def pairs():
        for context in [(0, -1), (0, 0), (1, -1), (2, -1), (2, 0), (2, 1)]:
            pulled.append(context)
            yield f"doc {context}", context

    seen = []
    for index, parts in by_article(pairs()):
        seen.append((index, sorted(parts), len(pulled)))
    # article 0 leaves once article 1's body is pulled, not at the end of the batch
    assert seen == [(0, [-1, 0], 3), (1, [-1], 4), (2, [-1, 0, 1], 6)]


class FailsOn:
    """A base component that raises on any batch holding a doc with ``word`` (as spaCy's own
    Cython components do: out of ``nlp.pipe``, past the error handlers)."""

    def __init__(self, proc, word: str) -> None:
        self._proc, self._word = proc, word

    def __getattr__(self, attr):
        return getattr(self._proc, attr)

    def __call__(self, doc):
        if self._word in doc.text:
            raise RuntimeError(f"cannot parse {self._word}")
        return self._proc(doc)

    def pipe(self, docs, **kwargs):
        for doc in docs:
            yield self(doc)


def test_a_base_component_failing_mid_batch_costs_only_its_article(tmp_path):
    texts = [
        "The mayor of Leeds said on Monday that the new bridge would open in May.",
        "Ministers in Zanzibar denied the report, a spokesman told reporters on Friday.",
        '"We are very pleased," said Ann Jones, the head of the trust.',
    ]
    raw = tmp_path / "raw" / "wire"
    raw.mkdir(parents=True)
    for i, text in enumerate(texts):
        (raw / f"{i}.txt").write_text(text + "\n", encoding="utf-8")
    settings = ProcessSettings(model=resolve_model(None, read_config()), version="test", batch_size=1)
    nlp = get_pipeline(settings.model)
    index = [name for name, _ in nlp._components].index("ner")
    name, ner = nlp._components[index]
    nlp._components[index] = (name, FailsOn(ner, "Zanzibar"))
    try:
        result = process_files(discover(raw.parent), settings)
    finally:
        nlp._components[index] = (name, ner)
    docs = {Path(r["source_path"]).name: r for r in result.rows["documents"]}
    assert sorted(docs) == ["0.txt", "1.txt", "2.txt"]
    assert docs["1.txt"]["status"] == "failed" and "spaCy failed" in docs["1.txt"]["error"]
    assert docs["0.txt"]["status"] == docs["2.txt"]["status"] == "ok"
    speakers = {r["speaker_canonical"] for r in result.rows["quotes"]}
    assert "Ann Jones" in speakers
