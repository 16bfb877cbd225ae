"""Views: what ``newsmine show`` reads back from the stored tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from newsmine.run.runner import RunOptions, run
from newsmine.tables.views import COLUMNS, match_documents, select_rows

ARTICLES = {
    "d1/port.txt": '"The pier will reopen in May," the harbour master, Ines Marlow, said on Monday.\n'
                   "Marlow said 40 boats had been damaged.\n",
    "d1/union.txt": '"We will strike," said Tomas Reddy, the union leader.\nThe union has 1,200 members.\n',
    "d2/port.txt": "Officials said 300 homes lost power on Tuesday and that 12 roads were closed.\n",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("views")
    for name, text in ARTICLES.items():
        (root / "raw" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "raw" / name).write_text(text, encoding="utf-8")
    summary = run(RunOptions(raw_dir=root / "raw", out_dir=root / "out"))
    assert summary.failed == 0 and summary.quotes >= 2 and summary.claims >= 4
    return root / "out"


def test_show_picks_the_terminal_columns_that_exist(out: Path) -> None:
    frame = select_rows(out, "quotes")
    assert len(frame) >= 2
    assert list(frame.columns) == [c for c in COLUMNS["quotes"] if c != "cue_type" or c in frame.columns]
    assert list(frame.columns)[0] == "file" and set(frame["file"]) == {"port.txt", "union.txt"}


def test_exports_keep_every_column_and_the_source_path(out: Path) -> None:
    frame = select_rows(out, "claims", all_columns=True, limit=None)
    stored = pd.read_parquet(out / "claims")
    assert set(stored.columns) | {"source_path"} == set(frame.columns)
    assert set(frame["source_path"]) == {"d1/port.txt", "d1/union.txt", "d2/port.txt"}


def test_rows_come_in_document_order(out: Path) -> None:
    frame = select_rows(out, "claims", all_columns=True, limit=None)
    keys = list(zip(frame["drop"], frame["source_path"], frame["start_char"], strict=True))
    assert len(keys) >= 4 and keys == sorted(keys)
    entities = select_rows(out, "entities", doc="d1/port.txt", all_columns=True, limit=None)
    assert len(entities) >= 3 and list(entities["start_char"]) == sorted(entities["start_char"])


@pytest.mark.parametrize(
    ("key", "paths"),
    [
        ("d1/port.txt", {"d1/port.txt"}),  # a stored source_path
        ("port.txt", {"d1/port.txt", "d2/port.txt"}),  # a file name: every drop's
        ("uni", {"d1/union.txt"}),  # a prefix of a file name
        ("data/raw/d2/port.txt", {"d2/port.txt"}),  # the raw file's path
    ],
)
def test_doc_matches_source_path_file_name_or_raw_path(out: Path, key: str, paths: set[str]) -> None:
    frame = select_rows(out, "documents", doc=key, all_columns=True)
    assert set(frame["source_path"]) == paths


def test_doc_matches_a_doc_id_prefix(out: Path) -> None:
    documents = select_rows(out, "documents", all_columns=True)
    doc_id = documents["doc_id"].iloc[0]
    assert match_documents(documents, doc_id[:10]).sum() == 1


def test_nothing_matching_gives_an_empty_frame(out: Path) -> None:
    assert select_rows(out, "quotes", doc="no-such-file.txt").empty
    assert select_rows(out, "quotes", speaker="Nobody Atall").empty


def test_show_filters_by_speaker_case_insensitively(out: Path) -> None:
    frame = select_rows(out, "quotes", speaker="marlow")
    assert len(frame) >= 1 and "Ines Marlow" in set(frame["speaker_canonical"])
    assert all("marlow" in name.lower() for name in frame["speaker_canonical"])


def test_people_come_most_quoted_first(out: Path) -> None:
    people = select_rows(out, "people", limit=None)
    quoted = list(people["n_quotes"])
    assert len(quoted) >= 2 and quoted == sorted(quoted, reverse=True) and quoted[0] >= 1


def test_options_that_do_not_apply_are_errors(out: Path) -> None:
    with pytest.raises(ValueError, match="--speaker does not apply to the documents table"):
        select_rows(out, "documents", speaker="Marlow")
    with pytest.raises(ValueError, match="--doc does not apply to the people table"):
        select_rows(out, "people", doc="port.txt")


def test_show_limits_rows(out: Path) -> None:
    assert len(select_rows(out, "entities", limit=1)) == 1


def test_show_before_any_run_names_the_missing_table(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no quotes table yet"):
        select_rows(tmp_path, "quotes")
