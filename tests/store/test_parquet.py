"""Store: a layout every reader reads, atomic commits, crash recovery, checksums."""

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
from newsmine.store.parquet import Change, DamagedPart, PartKey, Store
from newsmine.store.paths import JOURNAL_NAME, STAGING
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


def _files(*paths: str) -> list[list]:
    return [[p, p.split("/")[0], 10, 1, "ab" * 32, "v1", f"{p}-id", "", "tail", 0] for p in paths]


def _two_drops() -> Change:
    return Change(
        parts={
            PartKey("documents", "2025-03-01", "tail"): _docs("2025-03-01", "a", "b"),
            PartKey("quotes", "2025-03-01", "tail"): _quotes("2025-03-01", "a", "b"),
            PartKey("documents", "wire feed%1", "tail"): _docs("wire feed%1", "c"),
            PartKey("quotes", "wire feed%1", "tail"): _quotes("wire feed%1", "c"),
            PartKey("people"): _people("Volodymyr Zelenskyy", "Marco Rubio"),
        },
        delta={"files_put": _files("2025-03-01/a.txt", "2025-03-01/b.txt", "wire feed%1/c.txt")},
    )


def _snapshot(out: Path) -> tuple:
    store = Store(out)
    try:
        tables = tuple(store.read(t).to_pydict() for t in (*PARTITIONED, "people"))
        return tables, Manifest.from_db(store.db).to_json()
    finally:
        store.close()


def test_round_trip_through_store_read(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(_two_drops())
    assert store.drops() == ["2025-03-01", "wire feed%1"]
    assert store.read("quotes", "wire feed%1").equals(_quotes("wire feed%1", "c"))
    both = pa.concat_tables([_docs("2025-03-01", "a", "b"), _docs("wire feed%1", "c")])
    assert store.read("documents").equals(both)
    assert store.read("people").equals(_people("Volodymyr Zelenskyy", "Marco Rubio"))
    # Tables never written read as empty tables with their schema.
    assert store.read("claims").num_rows == 0
    assert store.read("claims").schema.names[:2] == ["doc_id", "drop"]
    paths = {"2025-03-01/a.txt", "2025-03-01/b.txt", "wire feed%1/c.txt"}
    assert Manifest.from_db(store.db).records.keys() == paths


def test_pandas_reads_a_table_folder_with_drop_as_strings(tmp_path: Path) -> None:
    Store(tmp_path).commit(_two_drops())
    df = pd.read_parquet(tmp_path / "quotes")
    assert len(df) == 6
    assert set(df.columns) == set(_quotes("x").schema.names)
    assert sorted(df["drop"].unique()) == ["2025-03-01", "wire feed%1"]
    assert df["start_char"].dtype == "int64"
    row = df[df["quote_id"] == "wire feed%1-c-q1"].iloc[0]
    assert (row["drop"], row["speaker"], row["end_char"]) == ("wire feed%1", "Zelenskyy", 31)
    docs = pd.read_parquet(tmp_path / "documents")
    assert docs["processed_at"].dt.tz is not None
    assert list(docs.loc[docs["doc_id"] == "2025-03-01-a", "captions"].iloc[0]) == [
        "Rescue workers in Kharkiv. AFP via Getty Images"
    ]
    assert len(pd.read_parquet(tmp_path / "people")) == 2


def test_schema_version_and_drop_are_in_every_file(tmp_path: Path) -> None:
    Store(tmp_path).commit(_two_drops())
    files = sorted(tmp_path.rglob("*.parquet"))
    assert len(files) == 5
    for path in files:
        assert pq.read_schema(path).metadata[b"newsmine.schema_version"] == SCHEMA_VERSION.encode()
        if path.parent.name != "people":
            assert pq.read_table(path).column("drop").to_pylist()[0] in ("2025-03-01", "wire feed%1")


@pytest.mark.parametrize("drop", ["007", "2024", "_root", "1e3", "wire feed%1"])
def test_drop_names_read_back_as_written_by_every_reader(tmp_path: Path, drop: str) -> None:
    """A drop named 007 used to read back as the integer 7, and the README's filter failed."""
    store = Store(tmp_path)
    store.commit(Change(parts={
        PartKey("quotes", drop, "tail"): _quotes(drop, "a"),
        PartKey("quotes", "sample", "tail"): _quotes("sample", "b"),
    }))
    wanted = sorted([drop, drop, "sample", "sample"])
    assert sorted(pd.read_parquet(tmp_path / "quotes")["drop"]) == wanted
    only = pd.read_parquet(tmp_path / "quotes", filters=[("drop", "=", drop)])
    assert list(only["drop"]) == [drop, drop] and list(only["quote_id"]) == [f"{drop}-a-q0", f"{drop}-a-q1"]
    sample = pd.read_parquet(tmp_path / "quotes", filters=[("drop", "=", "sample")])  # the README's example
    assert list(sample["drop"]) == ["sample", "sample"]
    hive = ds.dataset(tmp_path / "quotes", partitioning="hive").to_table()
    assert sorted(hive.column("drop").to_pylist()) == wanted
    assert sorted(store.dataset("quotes").to_table().column("drop").to_pylist()) == wanted
    duckdb = pytest.importorskip("duckdb")
    pattern = (tmp_path / "quotes" / "*" / "*.parquet").as_posix()
    assert sorted(r[0] for r in duckdb.sql(f"select drop from '{pattern}'").fetchall()) == wanted
    pl = pytest.importorskip("polars")
    assert sorted(pl.read_parquet(tmp_path / "quotes")["drop"].to_list()) == wanted


def test_commit_replaces_one_chunk_and_removes_a_drop(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(_two_drops())
    store.commit(Change(
        parts={PartKey("quotes", "2025-03-01", "tail"): _quotes("2025-03-01", "z")},
        deletes={PartKey(t, "wire feed%1", "tail") for t in PARTITIONED},
        delta={"files_put": _files("2025-03-01/z.txt"), "files_del": ["wire feed%1/c.txt"]},
    ))
    assert store.drops() == ["2025-03-01"]
    assert store.read("quotes").column("doc_id").to_pylist() == ["2025-03-01-z"] * 2
    assert store.read("documents").equals(_docs("2025-03-01", "a", "b"))  # not named: unchanged
    assert store.read("people").num_rows == 2
    assert not (tmp_path / "quotes" / "drop-wire%20feed%251").exists()
    assert len(pd.read_parquet(tmp_path / "quotes")) == 2
    paths = ["2025-03-01/a.txt", "2025-03-01/b.txt", "2025-03-01/z.txt"]
    assert sorted(Manifest.from_db(store.db).records) == paths
    assert not (tmp_path / JOURNAL_NAME).exists()
    assert not list((tmp_path / STAGING).iterdir())


def test_commit_is_idempotent_byte_for_byte(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(_two_drops())
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.parquet")}
    store.commit(_two_drops())
    assert before == {p: p.read_bytes() for p in tmp_path.rglob("*.parquet")}


def test_a_part_that_fails_to_stage_leaves_no_staged_file_and_the_tables_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts are staged in threads: the ones written beside the failing one go too."""
    store = Store(tmp_path)
    store.commit(_two_drops())
    before = _snapshot(tmp_path)
    write = store_module.pq.write_table

    def fail_on_quotes(table: pa.Table, where: Path, *args: object, **kwargs: object) -> None:
        if "quote_id" in table.column_names and table.column("drop")[0].as_py().startswith("wire"):
            raise OSError(28, "No space left on device", str(where))
        write(table, where, *args, **kwargs)

    monkeypatch.setattr(store_module.pq, "write_table", fail_on_quotes)
    change = _two_drops()
    change.parts[PartKey("documents", "2025-03-01", "tail")] = _docs("2025-03-01", "a", "b", "d")
    with pytest.raises(OSError, match="No space"):
        store.commit(change)
    assert not [p for p in (tmp_path / STAGING).rglob("*") if p.is_file()]
    monkeypatch.undo()
    assert _snapshot(tmp_path) == before


def test_commit_refuses_rows_of_another_drop(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(ValueError, match="partition"):
        store.commit(Change(parts={PartKey("quotes", "a", "tail"): _quotes("b", "x")}))
    assert store.read("quotes").num_rows == 0
    assert not list(tmp_path.rglob("*.parquet"))


def test_every_part_read_is_checked_against_its_checksum(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(_two_drops())
    path = tmp_path / "quotes" / "drop-2025-03-01" / "part-tail.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte flipped
    path.write_bytes(bytes(data))
    assert store.damaged() == []  # the size still matches: only the checksum tells
    assert [d.part.path for d in store.damaged(deep=True)] == ["quotes/drop-2025-03-01/part-tail.parquet"]
    with pytest.raises(DamagedPart, match="checksum"):
        store.read("quotes", "2025-03-01")
    path.write_bytes(bytes(data[:100]))  # truncated
    assert [d.reason for d in store.damaged()] == [f"100 bytes, the manifest recorded {len(data)}"]


def test_recover_discards_a_commit_killed_before_its_journal(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(_two_drops())
    stray = tmp_path / STAGING / "4242-0-part-tail.parquet"
    stray.write_bytes(b"PAR1 truncated")
    empty_partition = tmp_path / "quotes" / "drop-new-drop"
    empty_partition.mkdir()
    assert len(pd.read_parquet(tmp_path / "quotes")) == 6
    assert store.recover() == []
    assert not stray.exists() and not empty_partition.exists()
    store.close()
    fresh = tmp_path / "fresh"
    Store(fresh).commit(_two_drops())
    assert _snapshot(tmp_path) == _snapshot(fresh)


def _change_b() -> Change:
    return Change(
        parts={
            PartKey("quotes", "2025-03-01", "tail"): _quotes("2025-03-01", "z"),
            PartKey("documents", "2025-03-01", "tail"): _docs("2025-03-01", "z"),
            PartKey("people"): _people("Pete Hegseth"),
        },
        deletes={PartKey(t, "wire feed%1", "tail") for t in PARTITIONED},
        delta={"files_put": _files("2025-03-01/z.txt"), "files_del": ["wire feed%1/c.txt"]},
    )


@pytest.mark.parametrize("fail_at", range(5))
def test_crash_at_every_rename_recovers_to_old_or_new_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    old, new, crash = tmp_path / "old", tmp_path / "new", tmp_path / "crash"
    for out in (old, new, crash):
        Store(out).commit(_two_drops())
    Store(new).commit(_change_b())
    real_replace = os.replace
    calls = []

    def dying_replace(src, dst):
        calls.append(dst)
        if len(calls) > fail_at:
            raise KeyboardInterrupt("killed")
        real_replace(src, dst)

    def dying_apply(self, delta):
        raise KeyboardInterrupt("killed in the manifest's transaction")

    store = Store(crash)
    if fail_at < 4:  # at each os.replace: the journal's, then each part's
        monkeypatch.setattr(store_module.os, "replace", dying_replace)
    else:  # after every rename, inside the manifest database's transaction
        monkeypatch.setattr(store_module.ManifestDB, "apply", dying_apply)
    with pytest.raises(KeyboardInterrupt):
        store.commit(_change_b())
    monkeypatch.undo()
    store.close()
    for table in ("documents", "quotes", "people"):
        pd.read_parquet(crash / table)  # readable mid-crash
    journal_written = fail_at >= 1  # the first os.replace publishes the journal
    assert (crash / JOURNAL_NAME).exists() == journal_written
    assert Store(crash).recover() == []
    assert _snapshot(crash) == _snapshot(new if journal_written else old)
    assert not list((crash / STAGING).iterdir())


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
        store.commit(states[i % 2])
        i += 1
    """
)


def big_state(which: str) -> Change:
    """Two complete states that differ in every table, one drop and the manifest."""
    n = 40_000
    drops = ("d1", "d2") if which == "A" else ("d1", "d3")
    change = Change(delta={"files_put": _files(*(f"{d}/{which}.txt" for d in drops)),
                           "files_del": [f"{d}/{w}.txt" for d in ("d1", "d2", "d3") for w in "AB"
                                         if f"{d}/{w}.txt" not in {f"{x}/{which}.txt" for x in drops}]})
    for drop in drops:
        rows = [
            {"doc_id": f"{which}{drop}{i // 20}", "drop": drop, "quote_id": f"{which}{i}",
             "text": f"said {i}" * 3}
            for i in range(n)
        ]
        change.parts[PartKey("quotes", drop, "tail")] = to_table("quotes", rows)
        docs = _docs(drop, *(f"{which}{k}" for k in range(n // 20)))
        change.parts[PartKey("documents", drop, "tail")] = docs
    change.parts[PartKey("people")] = _people(*(f"{which} person {k}" for k in range(1000)))
    gone = [d for d in ("d2", "d3") if d not in drops]
    change.deletes = {PartKey(t, d, "tail") for d in gone for t in PARTITIONED}
    return change


def test_sigkill_during_commits_leaves_old_or_new_state(tmp_path: Path) -> None:
    out = tmp_path / "out"
    expected = {}
    for which in ("A", "B"):
        Store(tmp_path / which).commit(big_state(which))
        expected[which] = _snapshot(tmp_path / which)
    Store(out).commit(big_state("A"))
    rng = random.Random(4)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    seen = []
    for _ in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", _KILL_CHILD, str(out)], stdout=subprocess.PIPE, cwd=REPO, env=env,
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
        assert Store(out).recover() == []
        state = _snapshot(out)
        assert state in (expected["A"], expected["B"])
        seen.append("A" if state == expected["A"] else "B")
    assert len(seen) == 5


def test_manifest_records_round_trip_through_the_database(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.commit(_two_drops())
    records = Manifest.from_db(store.db).records
    assert records["wire feed%1/c.txt"] == FileRecord("wire feed%1/c.txt", "wire feed%1", 10, 1, "ab" * 32,
                                                      ["wire feed%1/c.txt-id"], 0, "v1")
    store.close()
    assert Manifest.load(tmp_path).records == records  # read only, from another connection


def test_every_record_field_survives_the_database_defaults_cost_no_json(tmp_path: Path) -> None:
    from newsmine.store.db import file_row

    plain = FileRecord("d/a.txt", "d", 10, 1, "ab" * 32, ["id1", "id2"], 0, "v1")
    failing = FileRecord("d/b.txt", "d", 11, 2, "cd" * 32, ["id3"], 1, "v1", failures={"timeout": 1},
                         skipped={"language fr": 2}, retry=True)
    rows = [file_row(plain, "tail", False), file_row(failing, "tail", False)]
    assert rows[0][7] == "" and '"retry": true' in rows[1][7]
    store = Store(tmp_path)
    store.commit(Change(delta={"files_put": rows}))
    assert Manifest.from_db(store.db).records == {"d/a.txt": plain, "d/b.txt": failing}


def _entities(drop: str) -> pa.Table:
    """Entity rows with what decoding must give back: lists (empty too), nulls, accents."""
    rows = [
        {"doc_id": f"{drop}-a", "drop": drop, "entity_id": f"{drop}-a:e:{i}", "text": text, "label": label,
         "section": "body", "start_char": 10 * i, "end_char": 10 * i + len(text), "sentence_id": i,
         "canonical_id": slug, "canonical_name": text, "titles": titles, "article_canonical_id": slug,
         "article_canonical_name": text, "gender": gender, "gender_source": "honorific" if gender else None}
        for i, (text, label, slug, titles, gender) in enumerate([
            ("Recep Tayyip Erdoğan", "PERSON", "recep-tayyip-erdogan", ["President"], "male"),
            ("Kharkiv", "GPE", "kharkiv", [], None),
            ("Ms Kallas", "PERSON", "kaja-kallas", ["Ms", "foreign policy chief"], "female"),
            ("Boeing", "ORG", None, [], None),
        ])
    ]
    return to_table("entities", rows)


def test_a_part_the_last_commit_wrote_reads_back_as_decoding_it_gives(tmp_path: Path) -> None:
    store = Store(tmp_path)
    change = _two_drops()
    change.parts[PartKey("entities", "2025-03-01", "tail")] = _entities("2025-03-01")
    store.commit(change)
    parts = store.parts("entities") + store.parts("quotes") + store.parts("documents")
    assert len(parts) == 5
    other = Store(tmp_path)  # nothing in memory: every part is decoded from its file
    try:
        for part in parts:
            assert store.read_part(part).equals(other.read_part(part), check_metadata=True)
            assert store.read_part(part).schema == other.read_part(part).schema
    finally:
        other.close()
    assert store.read("entities").equals(_entities("2025-03-01"))
    store.commit(Change(parts={PartKey("people"): _people("Kaja Kallas")}))  # the next commit forgets
    assert store.read("quotes", "2025-03-01").equals(_quotes("2025-03-01", "a", "b"))
    store.close()
