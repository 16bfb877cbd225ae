"""The whole pipeline on the two sample articles, checked through the Parquet tables."""

import re

import pandas as pd
import pyarrow.dataset as ds
import pytest

from newsmine.run.runner import RunOptions, run
from newsmine.tables.schemas import SCHEMAS
from tests.conftest import SAMPLE_DIR


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    raw = SAMPLE_DIR.parent
    out = tmp_path_factory.mktemp("out")
    summary = run(RunOptions(raw_dir=raw, out_dir=out))
    return raw, out, summary


def test_run_processes_both_samples_without_failures(sample_run):
    _, _, summary = sample_run
    assert summary.documents == 2
    assert summary.failed == 0
    assert summary.exit_code == 0


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_every_table_has_its_schema_and_rows(sample_run, name):
    _, out, _ = sample_run
    frame = pd.read_parquet(out / name)
    assert len(frame) > 0, name
    expected = set(SCHEMAS[name].names)
    assert expected <= set(frame.columns), expected - set(frame.columns)
    dataset = ds.dataset(out / name, format="parquet", partitioning="hive")
    assert dataset.to_table().num_rows == len(frame)


def test_raw_offsets_slice_the_raw_text_back_to_the_same_words(sample_run):
    raw, out, _ = sample_run
    documents = pd.read_parquet(out / "documents")
    raw_text = {
        row.doc_id: (raw / row.source_path).read_text(encoding="utf-8") for row in documents.itertuples()
    }
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    for table in ("quotes", "claims", "entities"):
        frame = pd.read_parquet(out / table)
        frame = frame[frame["raw_start"].notna()]
        assert len(frame)
        for row in frame.itertuples():
            sliced = raw_text[row.doc_id][int(row.raw_start) : int(row.raw_end)]
            assert squash(sliced) == squash(row.text), (table, row.text, sliced)


def test_body_offsets_index_the_cleaned_text(sample_run):
    _, out, _ = sample_run
    documents = pd.read_parquet(out / "documents").set_index("doc_id")
    quotes = pd.read_parquet(out / "quotes")
    assert len(quotes) >= 10
    for row in quotes.itertuples():
        assert documents.loc[row.doc_id, "text"][row.start_char : row.end_char] == row.text


def test_sample_quotes_have_their_speakers(sample_run):
    _, out, _ = sample_run
    quotes = pd.read_parquet(out / "quotes")
    said = quotes[quotes["text"].str.contains("not playing cards", regex=False)]
    assert len(said) >= 2
    assert said["speaker_canonical"].str.endswith("Zelenskyy").all()


def test_people_table_links_quotes_to_one_person(sample_run):
    _, out, _ = sample_run
    people = pd.read_parquet(out / "people")
    zelenskyy = people[people["canonical_name"].str.endswith("Zelenskyy")]
    assert len(zelenskyy) == 1
    row = zelenskyy.iloc[0]
    assert row["n_docs"] == 2
    assert row["n_quotes"] >= 4
