"""Engines: every engine yields the same rows for the same batches, in any order."""

from pathlib import Path

import pytest

from newsmine.ingest.files import discover
from newsmine.nlp.loading import read_config, resolve_model
from newsmine.run.batch import ProcessSettings
from newsmine.run.engines import LocalEngine, PoolEngine, make_engine

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "raw" / "sample"


@pytest.fixture(scope="module")
def settings():
    return ProcessSettings(model=resolve_model(None, read_config()), version="test")


@pytest.fixture(scope="module")
def batches():
    files = discover(SAMPLE_DIR.parent)
    assert len(files) == 2
    return [[f] for f in files]


def _rows_without_time(results):
    """All rows of all results, keyed by table, order- and processed_at-independent."""
    tables = {}
    for result in results:
        for name, rows in result.rows.items():
            for row in rows:
                kept = {k: v for k, v in row.items() if k != "processed_at"}
                tables.setdefault(name, []).append(repr(sorted(kept.items())))
    return {name: sorted(rows) for name, rows in tables.items()}


def test_make_engine_picks_local_or_pool():
    assert isinstance(make_engine("local", 1, None), LocalEngine)
    pool = make_engine("local", 2, None)
    try:
        assert isinstance(pool, PoolEngine)
    finally:
        pool.close()


def test_make_engine_rejects_an_unknown_name():
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        make_engine("spark", 1, None)


def test_local_engine_yields_one_result_per_batch(batches, settings):
    results = list(LocalEngine().map(batches, settings))
    assert [r.files[0].rel_path for r in results] == [b[0].rel_path for b in batches]
    assert all(r.n_words > 0 and r.files[0].n_failed == 0 for r in results)
    assert {"ingest", "clean", "nlp", "records"} <= set(results[0].stage_seconds)


def test_pool_engine_yields_the_same_rows_as_the_local_engine(batches, settings):
    local = list(LocalEngine().map(batches, settings))
    engine = PoolEngine(2, settings.model)
    try:
        pooled = list(engine.map(batches, settings))
    finally:
        engine.close()
    assert sorted(r.files[0].rel_path for r in pooled) == sorted(b[0].rel_path for b in batches)
    assert _rows_without_time(pooled) == _rows_without_time(local)
    assert sum(r.n_words for r in pooled) == sum(r.n_words for r in local)
