"""Views: what ``newsmine show`` reads back from the stored tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmine.run.runner import RunOptions, run
from newsmine.tables.views import COLUMNS, select_rows

ARTICLES = {
    "port.txt": '"The pier will reopen in May," the harbour master, Ines Marlow, said on Monday.\n'
                "Marlow said 40 boats had been damaged.\n",
    "union.txt": '"We will strike," said Tomas Reddy, the union leader.\nThe union has 1,200 members.\n',
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("views")
    (root / "raw" / "d1").mkdir(parents=True)
    for name, text in ARTICLES.items():
        (root / "raw" / "d1" / name).write_text(text, encoding="utf-8")
    summary = run(RunOptions(raw_dir=root / "raw", out_dir=root / "out"))
    assert summary.failed == 0 and summary.quotes >= 2
    return root / "out"


def test_show_picks_the_terminal_columns(out: Path) -> None:
    frame = select_rows(out, "quotes")
    assert len(frame) >= 2 and list(frame.columns) == COLUMNS["quotes"]


def test_show_filters_by_file_name_prefix(out: Path) -> None:
    frame = select_rows(out, "claims", doc="uni")
    assert len(frame) >= 1 and set(frame["text"]) <= {"1,200 members", "1,200"}


def test_show_filters_by_speaker_case_insensitively(out: Path) -> None:
    frame = select_rows(out, "quotes", speaker="marlow")
    assert len(frame) >= 1 and "Ines Marlow" in set(frame["speaker_canonical"])
    assert all("marlow" in name.lower() for name in frame["speaker_canonical"])


def test_show_limits_rows(out: Path) -> None:
    assert len(select_rows(out, "entities", limit=1)) == 1


def test_show_before_any_run_names_the_missing_table(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no quotes table yet"):
        select_rows(tmp_path, "quotes")
