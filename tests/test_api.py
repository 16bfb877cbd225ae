"""The Python API: ``newsmine.extract`` is the CLI's pipeline on a string; ``read_tables`` dtypes."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import newsmine
from newsmine.run.extract import extract_file
from tests.conftest import REPO

STORY = (
    "Ferry fares to rise by a fifth\n\n"
    '"Nobody wants to pay more, but the fuel bill has doubled," the operator\'s chief executive, '
    "Maria Lindqvist, said on Thursday.\n"
    "Lindqvist said about 4,000 passengers a day use the crossing and that fares would rise by 20%.\n"
    "Passenger groups said the increase was unfair.\n"
)


@pytest.fixture(scope="module")
def article():
    return newsmine.extract(STORY)


def test_extract_returns_plain_dataclasses_with_offsets_into_the_text(article) -> None:
    assert isinstance(article, newsmine.Article) and dataclasses.is_dataclass(article)
    assert article.status == "ok" and article.title == "Ferry fares to rise by a fifth"
    assert len(article.quotes) >= 2 and len(article.claims) >= 2 and len(article.entities) >= 2
    assert all(isinstance(q, newsmine.Quote) for q in article.quotes)
    direct = next(q for q in article.quotes if q.kind == "direct")
    assert direct.text.startswith("Nobody wants to pay more")
    assert direct.speaker_canonical == "Maria Lindqvist"
    for item in [*article.quotes, *article.claims, *(e for e in article.entities if e.section == "body")]:
        assert article.text[item.start_char:item.end_char] == item.text
    assert {c.value for c in article.claims} >= {4000.0, 20.0}


def test_extract_gives_what_the_cli_gives_for_the_same_text_in_a_file(article, tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_bytes(STORY.encode("utf-8"))
    rows = extract_file(path)
    assert rows["documents"][0]["doc_id"] == article.doc_id
    assert rows["documents"][0]["text"] == article.text
    tables = (("quotes", article.quotes), ("claims", article.claims), ("entities", article.entities))
    for table, items in tables:
        assert len(rows[table]) == len(items) > 0, table
        for row, item in zip(rows[table], items, strict=True):
            assert {k: v for k, v in row.items() if k not in ("doc_id", "drop")} == dataclasses.asdict(item)


def test_a_given_title_wins_and_blank_text_is_an_error() -> None:
    titled = newsmine.extract("Officials said 12 people were hurt.", title="Crash on the A9")
    assert titled.title == "Crash on the A9" and [c.value for c in titled.claims] == [12.0]
    with pytest.raises(newsmine.ExtractError, match="blank"):
        newsmine.extract("  \n ")
    with pytest.raises(TypeError, match="str"):
        newsmine.extract(b"bytes are not text")


def test_importing_newsmine_loads_neither_spacy_nor_pandas() -> None:
    code = "import sys, newsmine; print(sorted(m for m in ('spacy', 'pandas') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.strip() == "[]"


def test_read_tables_gives_the_schema_dtypes(sample_run: Path) -> None:
    tables = newsmine.read_tables(sample_run)
    assert set(tables) == {"documents", "entities", "quotes", "claims", "people"}
    quotes, documents, people = tables["quotes"], tables["documents"], tables["people"]
    assert quotes["speaker_start"].dtype == "Int64" and quotes["cue_start"].dtype == "Int64"
    captions = tables["entities"]["caption_index"]  # null for every body entity
    assert captions.dtype == "Int64" and captions.isna().any()
    assert quotes["start_char"].dtype == "Int64" and tables["claims"]["value"].dtype == "float64"
    assert str(documents["processed_at"].dtype) == "datetime64[us, UTC]"
    assert quotes["drop"].dtype == "string" and set(quotes["drop"]) == {"sample"}
    assert isinstance(people["aliases"].iloc[0], list)
    assert len(quotes) == len(pd.read_parquet(sample_run / "quotes"))


def test_read_tables_keeps_a_numeric_drop_name_a_string(tmp_path: Path) -> None:
    from newsmine.run.runner import RunOptions, run

    (tmp_path / "raw" / "2024").mkdir(parents=True)
    (tmp_path / "raw" / "2024" / "a.txt").write_text("The council said 30 jobs would go.\n", encoding="utf-8")
    (tmp_path / "raw" / "2025").mkdir()
    (tmp_path / "raw" / "2025" / "b.txt").write_text("Police said 2 men were arrested.\n", encoding="utf-8")
    run(RunOptions(raw_dir=tmp_path / "raw", out_dir=tmp_path / "out"))
    both = newsmine.read_tables(tmp_path / "out", tables=["claims"])
    assert list(both) == ["claims"] and list(both["claims"]["drop"]) == ["2024", "2025"]
    one = newsmine.read_tables(tmp_path / "out", tables=["documents"], drops=["2025"])["documents"]
    assert list(one["source_path"]) == ["2025/b.txt"]
