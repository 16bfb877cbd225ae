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
