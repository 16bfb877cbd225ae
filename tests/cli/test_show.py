"""``newsmine show`` on the sample run: formats, empty cells, 80 columns, no match."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
from rich.console import Console
from typer.testing import CliRunner

from newsmine.cli.app import app
from newsmine.cli.render import terminal_view
from newsmine.tables.views import WIDE, select_rows

runner = CliRunner()
ARTICLE = "000_a03c45c6a71a2a84.txt"


def show(out: Path, *args: str):
    return runner.invoke(app, ["show", *args, "--out", str(out)])


def test_json_export_has_every_column_nulls_and_real_numbers(sample_run: Path) -> None:
    result = show(sample_run, "claims", "--doc", ARTICLE, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    stored = pd.read_parquet(sample_run / "claims")
    documents = pd.read_parquet(sample_run / "documents")
    doc_id = documents.loc[documents["source_path"] == f"sample/{ARTICLE}", "doc_id"].iloc[0]
    assert len(rows) == int((stored["doc_id"] == doc_id).sum()) >= 3
    assert set(rows[0]) == set(stored.columns) | {"source_path"}
    assert {row["source_path"] for row in rows} == {f"sample/{ARTICLE}"}
    soldiers = next(row for row in rows if row["value"] == 790000)
    assert soldiers["value_low"] is None and soldiers["trend"] is None and soldiers["unit"] == "soldiers"


def test_jsonl_export_is_one_object_a_line_with_lists(sample_run: Path) -> None:
    result = show(sample_run, "people", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(pd.read_parquet(sample_run / "people")) >= 5  # exports are not cut at 20
    trump = next(row for row in rows if row["canonical_name"] == "Donald Trump")
    assert isinstance(trump["aliases"], list) and "Trump" in trump["aliases"]


def test_csv_export_has_empty_cells_not_nan(sample_run: Path) -> None:
    result = show(sample_run, "claims", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) >= 10 and "source_path" in rows[0]
    assert any(row["trend"] == "" for row in rows)
    assert "nan" not in result.stdout.lower().split(",") and "<NA>" not in result.stdout
    assert "790000" in {row["value"] for row in rows}  # whole numbers without ".0"


def test_documents_table_with_file_and_counts(sample_run: Path) -> None:
    result = show(sample_run, "documents", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["source_path"] for row in rows] == [f"sample/{ARTICLE}", "sample/001_d01f8364427ec882.txt"]
    assert all(row["status"] == "ok" and int(row["n_quotes"]) > 0 for row in rows)


def test_the_table_stays_readable_at_80_columns(sample_run: Path) -> None:
    frame = select_rows(sample_run, "quotes", doc=ARTICLE, limit=5)
    assert len(frame) == 5
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(terminal_view(frame, WIDE["quotes"], console.width))
    lines = console.export_text().splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    flowing = " ".join(" ".join(lines).split())
    for text in frame["text"]:  # every quote is there whole, wrapped but not cut
        assert " ".join(str(text).split()) in flowing


def test_a_wide_terminal_gets_a_real_table(sample_run: Path) -> None:
    frame = select_rows(sample_run, "quotes", limit=3)
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(terminal_view(frame, WIDE["quotes"], console.width))
    header = next(line for line in console.export_text().splitlines() if line.strip()).split()
    assert header[:2] == ["file", "speaker_canonical"] and header[-1] == "text"


def test_no_match_says_so(sample_run: Path) -> None:
    result = show(sample_run, "quotes", "--doc", "no-such-article.txt")
    assert result.exit_code == 0
    assert "no quotes rows match --doc no-such-article.txt" in result.output
    exported = show(sample_run, "quotes", "--doc", "no-such-article.txt", "--format", "json")
    assert json.loads(exported.stdout) == []


def test_show_quotes_filters_by_speaker(sample_run: Path) -> None:
    result = show(sample_run, "quotes", "--speaker", "Charap", "--limit", "50", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    speakers = {json.loads(line)["speaker_canonical"] for line in result.stdout.splitlines()}
    assert speakers == {"Samuel Charap"}


def test_columns_empty_in_every_row_are_left_out_of_the_table(sample_run: Path) -> None:
    frame = select_rows(sample_run, "documents")
    assert "error" in frame.columns and frame["error"].isna().all()
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(terminal_view(frame, WIDE["documents"], console.width))
    header = next(line for line in console.export_text().splitlines() if line.strip()).split()
    assert header[0] == "file" and "n_quotes" in header and "error" not in header


def test_cells_of_lists_of_offsets_keep_their_shape() -> None:
    from newsmine.cli.render import cell

    assert cell([[52, 64], [70, 80]]) == "[[52, 64], [70, 80]]"
    assert cell(["President", "Ukrainian President"]) == "President; Ukrainian President"
    assert cell(float("nan")) == "" and cell(pd.NA) == ""
    assert cell(790000.0) == "790000" and cell(2.5) == "2.5"
