"""Store: hive layout readable by every reader, atomic replace/remove, crash recovery."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from newsmine.store import parquet as store_module
from newsmine.store.manifest import FileRecord, Manifest
from newsmine.store.parquet import JOURNAL_NAME, STAGING, Store
from newsmine.tables.schemas import PARTITIONED, SCHEMA_VERSION, to_table

REPO = Path(__file__).resolve().parents[2]


def _docs(drop: str, *names: str) -> pa.Table:
    when = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    return to_table(
        "documents",
        [
            {
                "doc_id": f"{drop}-{n}",
                "drop": drop,
                "source_path": f"{drop}/{n}.txt",
                "format": "txt",
                "title": f"Ceasefire talks resume ({n})",
                "captions": ["Rescue workers in Kharkiv. AFP via Getty Images"],
                "n_words": 120,
                "status": "ok",
                "processed_at": when,
            }
            for n in names
        ],
    )


def _quotes(drop: str, *names: str) -> pa.Table:
    return to_table(
        "quotes",
        [
            {
                "doc_id": f"{drop}-{n}",
                "drop": drop,
                "quote_id": f"{drop}-{n}-q{i}",
                "kind": "direct",
                "text": "We will not back away",
                "start_char": 10 * i,
                "end_char": 10 * i + 21,
                "speaker": "Zelenskyy",
            }
            for n in names
            for i in range(2)
        ],
    )


def _people(*names: str) -> pa.Table:
    rows = [{"canonical_id": n.lower(), "canonical_name": n, "aliases": [n], "n_docs": 1} for n in names]
    return to_table("people", rows)


def _manifest(*paths: str) -> Manifest:
    records = {p: FileRecord(p, p.split("/")[0], 10, 1, "ab" * 32, [p], 0, "v1") for p in paths}
    return Manifest(records)


def _commit_two_drops(store: Store) -> None:
    store.commit(
        {
            ("documents", "2025-03-01"): _docs("2025-03-01", "a", "b"),
            ("quotes", "2025-03-01"): _quotes("2025-03-01", "a", "b"),
            ("documents", "wire feed%1"): _docs("wire feed%1", "c"),
            ("quotes", "wire feed%1"): _quotes("wire feed%1", "c"),
        },
        _manifest("2025-03-01/a.txt", "2025-03-01/b.txt", "wire feed%1/c.txt"),
        people=_people("Volodymyr Zelenskyy", "Marco Rubio"),
    )


def test_round_trip_through_store_read(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _commit_two_drops(store)
    assert store.drops() == ["2025-03-01", "wire feed%1"]
    assert store.read("quotes", "wire feed%1").equals(_quotes("wire feed%1", "c"))
    both = pa.concat_tables([_docs("2025-03-01", "a", "b"), _docs("wire feed%1", "c")])
    assert store.read("documents").equals(both)
    assert store.read("people").equals(_people("Volodymyr Zelenskyy", "Marco Rubio"))
    # Tables never written read as empty tables with their schema.
    assert store.read("claims").num_rows == 0
    assert store.read("claims").schema.names[:2] == ["doc_id", "drop"]
    assert Manifest.load(tmp_path).records.keys() == {
        "2025-03-01/a.txt",
        "2025-03-01/b.txt",
        "wire feed%1/c.txt",
    }


def test_pandas_reads_a_table_folder_with_drop_as_strings(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _commit_two_drops(store)
    df = pd.read_parquet(tmp_path / "quotes")
    assert len(df) == 6
    assert set(df.columns) == set(_quotes("x").schema.names)
    assert sorted(df["drop"].astype(str).unique()) == ["2025-03-01", "wire feed%1"]
    assert all(isinstance(v, str) for v in df["drop"].unique())
    assert df["start_char"].dtype == "int64"
    row = df[df["quote_id"] == "wire feed%1-c-q1"].iloc[0]
    assert (row["drop"], row["speaker"], row["end_char"]) == ("wire feed%1", "Zelenskyy", 31)
    docs = pd.read_parquet(tmp_path / "documents")
    assert docs["processed_at"].dt.tz is not None
    assert list(docs.loc[docs["doc_id"] == "2025-03-01-a", "captions"].iloc[0]) == [
        "Rescue workers in Kharkiv. AFP via Getty Images"
    ]
    assert len(pd.read_parquet(tmp_path / "people")) == 2


def test_pyarrow_dataset_reads_hive_partitions_with_schema_types(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _commit_two_drops(store)
    dataset = ds.dataset(tmp_path / "quotes", format="parquet", partitioning="hive")
    assert dataset.schema.field("drop").type == pa.string()
    assert dataset.schema.field("start_char").type == pa.int64()
    table = dataset.to_table().sort_by([("quote_id", "ascending")])
    assert table.num_rows == 6
    assert table.column("drop").to_pylist().count("wire feed%1") == 2
    expected = store.read("quotes").select(table.column_names).sort_by([("quote_id", "ascending")])
    assert table.select(expected.column_names).equals(
        expected.cast(table.select(expected.column_names).schema)
    )


def test_store_dataset_keeps_numeric_drop_names_as_strings(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit({("quotes", "2024"): _quotes("2024", "a")}, Manifest())
    assert ds.dataset(tmp_path / "quotes", partitioning="hive").schema.field("drop").type != pa.string()
    table = store.dataset("quotes").to_table()
    assert table.schema.field("drop").type == pa.string()
    assert table.column("drop").to_pylist() == ["2024", "2024"]
    assert table.select(["doc_id", "quote_id"]).equals(_quotes("2024", "a").select(["doc_id", "quote_id"]))


def test_schema_version_is_in_every_file(tmp_path: Path) -> None:
    _commit_two_drops(Store(tmp_path))
    files = sorted(tmp_path.rglob("*.parquet"))
    assert len(files) == 5
    for path in files:
        assert pq.read_schema(path).metadata[b"newsmine.schema_version"] == SCHEMA_VERSION.encode()
        assert "drop" not in pq.read_schema(path).names


def test_duckdb_and_polars_read_the_folders(tmp_path: Path) -> None:
    _commit_two_drops(Store(tmp_path))
    duckdb = pytest.importorskip("duckdb")
    pattern = (tmp_path / "quotes" / "**" / "*.parquet").as_posix()
    rows = duckdb.sql(
        f"select drop, count(*) from read_parquet('{pattern}', hive_partitioning=true) group by 1"
    )
    assert sorted(rows.fetchall()) == [("2025-03-01", 4), ("wire feed%1", 2)]
    pl = pytest.importorskip("polars")
    frame = pl.read_parquet(tmp_path / "quotes", hive_partitioning=True)
    assert frame.height == 6 and "drop" in frame.columns


def test_commit_replaces_one_partition_and_removes_a_drop(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _commit_two_drops(store)
    store.commit(
        {("quotes", "2025-03-01"): _quotes("2025-03-01", "z")},
        _manifest("2025-03-01/z.txt"),
        removed_drops=["wire feed%1"],
    )
    assert store.drops() == ["2025-03-01"]
    assert store.read("quotes").column("doc_id").to_pylist() == ["2025-03-01-z"] * 2
    # Not named in the commit: unchanged.
    assert store.read("documents").equals(_docs("2025-03-01", "a", "b"))
    assert store.read("people").num_rows == 2
    for table in PARTITIONED:
        assert not store.partition_dir(table, "wire feed%1").exists()
    assert len(pd.read_parquet(tmp_path / "quotes")) == 2
    assert list(Manifest.load(tmp_path).records) == ["2025-03-01/z.txt"]
    assert not (tmp_path / JOURNAL_NAME).exists()
    assert not list((tmp_path / STAGING).iterdir())


def test_commit_is_idempotent_byte_for_byte(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _commit_two_drops(store)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    _commit_two_drops(store)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert before == after


def test_commit_refuses_rows_of_another_drop(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(ValueError, match="partition"):
        store.commit({("quotes", "a"): _quotes("b", "x")}, Manifest())
    with pytest.raises(ValueError, match="both written and removed"):
        store.commit({("quotes", "a"): _quotes("a", "x")}, Manifest(), removed_drops=["a"])
    assert store.read("quotes").num_rows == 0
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_recover_discards_a_commit_killed_before_its_journal(tmp_path: Path) -> None:
    store = Store(tmp_path)
    _commit_two_drops(store)
    stray = tmp_path / STAGING / "4242-0-part-0.parquet"
    stray.write_bytes(b"PAR1 truncated")
    empty_partition = store.partition_dir("quotes", "new-drop")
    empty_partition.mkdir()
    assert len(pd.read_parquet(tmp_path / "quotes")) == 6
    assert store.recover() is True
    assert not stray.exists() and not empty_partition.exists()
    assert store.recover() is False
    assert _snapshot(tmp_path) == _snapshot_of_two_drops(tmp_path / "fresh")


def _snapshot_of_two_drops(out: Path) -> tuple:
    _commit_two_drops(Store(out))
    return _snapshot(out)


def _snapshot(out: Path) -> tuple:
    store = Store(out)
    tables = tuple(store.read(t).to_pydict() for t in (*PARTITIONED, "people"))
    return tables, Manifest.load(out).to_json()


@pytest.mark.parametrize("fail_at", range(5))
def test_crash_at_every_rename_recovers_to_new_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for out in (old, new, tmp_path / "crash"):
        _commit_two_drops(Store(out))
    change = (
        {
            ("quotes", "2025-03-01"): _quotes("2025-03-01", "z"),
            ("documents", "2025-03-01"): _docs("2025-03-01", "z"),
        },
        _manifest("2025-03-01/z.txt"),
        _people("Pete Hegseth"),
        ["wire feed%1"],
    )
    Store(new).commit(*change)
    crash = Store(tmp_path / "crash")
    real_replace = os.replace
    calls = []

    def dying_replace(src, dst):
        calls.append(dst)
        if len(calls) > fail_at:
            raise KeyboardInterrupt("killed")
        real_replace(src, dst)

    monkeypatch.setattr(store_module.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        crash.commit(*change)
    monkeypatch.setattr(store_module.os, "replace", real_replace)
    for table in ("documents", "quotes", "people"):
        pd.read_parquet(tmp_path / "crash" / table)  # readable mid-crash
    journal_written = fail_at >= 1  # the first os.replace publishes the journal
    assert (tmp_path / "crash" / JOURNAL_NAME).exists() == journal_written
    crash.recover()
    assert _snapshot(tmp_path / "crash") == _snapshot(new if journal_written else old)
    assert not list((tmp_path / "crash" / STAGING).iterdir())


_KILL_CHILD = textwrap.dedent(
    """
    import sys
    from newsmine.store.parquet import Store
    from tests.store.test_parquet import big_state
    store = Store(sys.argv[1])
    states = [big_state("A"), big_state("B")]
    print("ready", flush=True)
    i = 1
    while True:
        store.commit(*states[i % 2])
        i += 1
    """
)


def big_state(which: str) -> tuple:
    """Two complete states that differ in every table, one drop and the manifest."""
    n = 40_000
    drops = ("d1", "d2") if which == "A" else ("d1", "d3")
    parts = {}
    for drop in drops:
        rows = [
            {
                "doc_id": f"{which}{drop}{i // 20}",
                "drop": drop,
                "quote_id": f"{which}{i}",
                "text": f"said {i}" * 3,
            }
            for i in range(n)
        ]
        parts[("quotes", drop)] = to_table("quotes", rows)
        parts[("documents", drop)] = _docs(drop, *(f"{which}{k}" for k in range(n // 20)))
    people = _people(*(f"{which} person {k}" for k in range(1000)))
    return (
        parts,
        _manifest(*(f"{d}/{which}.txt" for d in drops)),
        people,
        [d for d in ("d2", "d3") if d not in drops],
    )


def test_sigkill_during_commits_leaves_old_or_new_state(tmp_path: Path) -> None:
    out = tmp_path / "out"
    expected = {}
    for which in ("A", "B"):
        Store(tmp_path / which).commit(*big_state(which))
        expected[which] = _snapshot(tmp_path / which)
    Store(out).commit(*big_state("A"))
    rng = random.Random(4)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    seen = []
    for _ in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", _KILL_CHILD, str(out)],
            stdout=subprocess.PIPE,
            cwd=REPO,
            env=env,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        try:
            child.wait(timeout=rng.uniform(0.05, 0.6))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
        for table in ("documents", "quotes", "people"):
            pd.read_parquet(out / table)  # readable before recovery
        Store(out).recover()
        state = _snapshot(out)
        assert state in (expected["A"], expected["B"])
        seen.append("A" if state == expected["A"] else "B")
    assert len(seen) == 5
