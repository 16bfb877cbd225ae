"""benchmarks/compare_outputs.py: the refactor's yardstick must see a changed cell."""

from __future__ import annotations

import runpy
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tests.conftest import REPO

compare = runpy.run_path(str(REPO / "benchmarks" / "compare_outputs.py"))["compare_table"]


def _write(root: Path, rows: dict) -> None:
    (root / "quotes" / "drop=d").mkdir(parents=True)
    pq.write_table(pa.table(rows), root / "quotes" / "drop=d" / "part-0.parquet")


def test_compare_ignores_only_the_run_stamps_and_names_a_differing_column(tmp_path: Path) -> None:
    base = {"doc_id": ["a", "b"], "text": ["We won.", "We lost."], "pipeline_version": ["v1", "v1"]}
    _write(tmp_path / "left", base)
    _write(tmp_path / "same", {**base, "pipeline_version": ["v2", "v2"]})
    _write(tmp_path / "other", {**base, "text": ["We won.", "We drew."]})
    assert compare("quotes", tmp_path / "left", tmp_path / "same") == []
    (problem,) = compare("quotes", tmp_path / "left", tmp_path / "other")
    assert "column text: 1 rows differ (first row 1: 'We lost.' vs 'We drew.')" in problem
