"""Engines: every engine yields the same rows for the same batches, in any order."""

from pathlib import Path

import pytest

from newsmine.ingest.files import discover
from newsmine.nlp.loading import read_config, resolve_model
from newsmine.run.batch import ProcessSettings
from newsmine.run.engines import LocalEngine, PoolEngine, balanced, make_engine, worker_count

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
    assert all(r.rows["quotes"] for r in pooled)
    assert _rows_without_time(pooled) == _rows_without_time(local)
    assert sum(r.n_words for r in pooled) == sum(r.n_words for r in local)


def _files(n: int) -> list:
    from newsmine.ingest.files import SourceFile

    return [SourceFile(drop="d", path=Path(f"/nowhere/{i}.txt"), rel_path=f"d/{i}.txt", size=1, mtime_ns=0)
            for i in range(n)]


def test_balanced_batches_shrink_towards_the_end_and_keep_every_file_once():
    files = _files(300)
    batches = [files[i : i + 64] for i in range(0, 300, 64)]
    out = balanced(batches, workers=2)
    assert [f.rel_path for b in out for f in b] == [f.rel_path for f in files]
    sizes = [len(b) for b in out]
    assert max(sizes) == 64 and len(out) > len(batches)
    assert sizes[-1] <= 4 and max(sizes[-4:]) <= 8  # the last pieces are small
    # pieces of one given batch never take files from another
    owner = {f.rel_path: i for i, b in enumerate(batches) for f in b}
    assert all(len({owner[f.rel_path] for f in b}) == 1 for b in out)


def test_balanced_leaves_small_batches_alone():
    files = _files(2)
    assert balanced([[files[0]], [files[1]]], workers=2) == [[files[0]], [files[1]]]


def test_worker_count_defaults_to_the_cores_when_more_than_one_file_is_new(monkeypatch):
    import newsmine.run.engines as engines

    monkeypatch.delenv("NEWSMINE_WORKERS", raising=False)
    monkeypatch.setattr(engines, "available_cores", lambda: 2)
    assert worker_count(None, 1) == 1  # one file: no pool
    assert worker_count(None, 2) == 2
    assert worker_count(None, 500) == 2
    monkeypatch.setattr(engines, "available_cores", lambda: 8)
    assert worker_count(None, 3) == 3  # never more workers than files
    assert worker_count(3, 500) == 3 and worker_count(1, 500) == 1  # asked for: as asked


def test_newsmine_workers_sets_the_default(monkeypatch):
    monkeypatch.setenv("NEWSMINE_WORKERS", "3")
    assert worker_count(None, 500) == 3 and worker_count(2, 500) == 2
    monkeypatch.setenv("NEWSMINE_WORKERS", "two")
    with pytest.raises(ValueError, match="NEWSMINE_WORKERS='two'"):
        worker_count(None, 500)


def test_a_pool_s_parent_never_imports_spacy(tmp_path):
    """The parent only plans, collects and commits; spaCy's import there took a core from
    the workers loading their models at the same moment (``run.work``)."""
    import subprocess
    import sys
    import textwrap

    script = tmp_path / "pool_run.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from newsmine.run.runner import RunOptions, run
        if __name__ == "__main__":
            raw, out = Path({str(SAMPLE_DIR.parent)!r}), Path({str(tmp_path / "out")!r})
            summary = run(RunOptions(raw_dir=raw, out_dir=out, workers=2))
            print(summary.files_processed, summary.quotes, "spacy" in sys.modules)
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    files, quotes, imported = done.stdout.split()
    assert files == "2" and int(quotes) > 0
    assert imported == "False"
