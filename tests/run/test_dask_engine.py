"""The Dask engine on a LocalCluster writes the same tables as the local engine."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from newsmine.run.runner import RunOptions, run
from newsmine.tables.schemas import PARTITIONED

pytest.importorskip("distributed")

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "raw" / "sample"


def _frame(out, name):
    frame = pd.read_parquet(out / name).drop(columns=["processed_at"], errors="ignore")
    frame["drop"] = frame["drop"].astype(str)
    return frame.reset_index(drop=True)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(SAMPLE_DIR, raw / "sample")
    local_out = tmp_path_factory.mktemp("local")
    dask_out = tmp_path_factory.mktemp("dask")
    local = run(RunOptions(raw_dir=raw, out_dir=local_out))
    # files_per_batch=1: two batches, so results come back from separate tasks.
    dask = run(RunOptions(raw_dir=raw, out_dir=dask_out, engine="dask", workers=1, files_per_batch=1))
    return local, local_out, dask, dask_out


def test_dask_run_processes_the_same_files(two_runs):
    local, _, dask, _ = two_runs
    assert dask.files_processed == local.files_processed == 2
    assert (dask.documents, dask.entities, dask.quotes, dask.claims) == (
        local.documents,
        local.entities,
        local.quotes,
        local.claims,
    )
    assert dask.failed == 0


@pytest.mark.parametrize("name", sorted(PARTITIONED))
def test_dask_tables_equal_the_local_tables(two_runs, name):
    _, local_out, _, dask_out = two_runs
    expected = _frame(local_out, name)
    assert len(expected) > 0, name
    pd.testing.assert_frame_equal(_frame(dask_out, name), expected)
