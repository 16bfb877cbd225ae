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


def test_by_content_compares_stores_of_two_layouts_through_source_paths(tmp_path: Path) -> None:
    by_content = runpy.run_path(str(REPO / "benchmarks" / "compare_outputs.py"))["compare_by_content"]
    old, new = tmp_path / "old", tmp_path / "new"
    for root, folder, ids in ((old, "drop=d", ["h1", "h2"]), (new, "drop-d", ["p1", "p2"])):
        for table, rows in (
            ("documents", {"doc_id": ids, "source_path": ["d/a.txt", "d/b.txt"]}),
            ("quotes", {"doc_id": ids[::-1], "quote_id": [f"{ids[1]}:q:0-5", f"{ids[0]}:q:3-9"],
                        "text": ["We lost.", "We won."]}),
        ):
            (root / table / folder).mkdir(parents=True)
            if folder == "drop-d":
                rows = {**rows, "drop": ["d", "d"]}
            pq.write_table(pa.table(rows), root / table / folder / "part-x.parquet")
    assert by_content("quotes", old, new) == []
    pq.write_table(pa.table({"doc_id": ["p2", "p1"], "quote_id": ["p2:q:0-5", "p1:q:3-9"],
                             "text": ["We lost.", "We drew."], "drop": ["d", "d"]}),
                   new / "quotes" / "drop-d" / "part-x.parquet")
    (problem,) = by_content("quotes", old, new)
    assert "column text: 1 rows differ (first: 'We won.' vs 'We drew.')" in problem
