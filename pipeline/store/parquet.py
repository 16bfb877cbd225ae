"""Parquet tables on disk, replaced atomically and recoverable after any crash.

Layout under the output folder::

    <table>/drop=<drop>/part-0.parquet   documents, entities, quotes, claims (hive partitions)
    people/part-0.parquet                 rebuilt whole by every run
    _manifest.json                        newsmine.store.manifest.Manifest, committed with the tables
    _journal.json                         only while a commit is being applied
    .staging/                             new files before they are renamed into place

New files are written under ``.staging/`` (same filesystem, so ``os.replace`` into a
table folder is atomic), never inside a table folder, and the bookkeeping files
start with ``_``: ``pd.read_parquet(out / "quotes")``, ``pyarrow.dataset``, duckdb's
``**/*.parquet`` and polars (which rejects a folder holding foreign files) only
ever see complete ``part-0.parquet`` files.

The ``drop`` column is *not* stored inside partition files: hive readers restore it
from the directory name (pandas as a categorical of strings, ``pyarrow.dataset`` with
``partitioning="hive"`` as a string), and a file that also held it would clash with
the restored column. :meth:`Store.read` puts it back with the schema's type.
Drop names are percent-encoded in directory names, as pyarrow expects.

A commit is crash-safe:

1. every new file is written to ``.staging/`` and fsynced;
2. a journal listing the renames and deletions is written (temp + rename + fsync) —
   the commit point;
3. the journal is applied with ``os.replace``/``unlink``, then deleted.

:meth:`Store.recover` (call it, holding the run lock, before reading or committing)
finishes a journal left by a killed commit and deletes stray temporary files of one
killed before its commit point. Every file a reader can see is always complete, and
after ``recover`` the folder is exactly the state before or after one commit.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from urllib.parse import quote, unquote

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from newsmine.store.journal import (
    JOURNAL_NAME,
    STAGING,
    apply_journal,
    fsync_dir,
    temp_path,
    write_durably,
    write_journal,
)
from newsmine.store.manifest import MANIFEST_NAME, Manifest
from newsmine.tables.schemas import PARTITIONED, SCHEMAS, schema_metadata

PART_NAME = "part-0.parquet"
PEOPLE = "people"


def conform(name: str, table: pa.Table | object, *, strict: bool = True) -> pa.Table:
    """``table`` (Arrow or pandas) with exactly the named schema's columns, order and types.

    Columns the schema has but ``table`` lacks become nulls, so files written before a
    column was added still read. Columns the schema lacks are an error when writing
    (``strict``, a typo must not vanish) and ignored when reading old files.
    """
    schema = SCHEMAS[name]
    if not isinstance(table, pa.Table):
        table = pa.Table.from_pandas(table, preserve_index=False)  # type: ignore[arg-type]
    extra = set(table.column_names) - set(schema.names)
    if extra and strict:
        raise ValueError(f"{name}: unknown column(s) {sorted(extra)}")
    have = set(table.column_names)
    rows = table.num_rows
    columns = [
        _cast(table.column(f.name), f.type, strict) if f.name in have else pa.nulls(rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema.with_metadata(schema_metadata()))


def _cast(column: pa.ChunkedArray, to: pa.DataType, strict: bool) -> pa.ChunkedArray | pa.Array:
    """A column as the schema's type; a file of an older schema whose column changed type
    (``published`` was a free string in schema 1) reads as nulls until it is reprocessed."""
    try:
        return column.cast(to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        if strict:
            raise
        return pa.nulls(len(column), to)


class Store:
    """The tables of one output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)

    # ----------------------------------------------------------------- paths
    def partition_dir(self, table: str, drop: str) -> Path:
        return self.out_dir / table / f"drop={quote(drop, safe='')}"

    def _final_path(self, table: str, drop: str | None) -> Path:
        if table == PEOPLE:
            return self.out_dir / PEOPLE / PART_NAME
        if table not in PARTITIONED:
            raise KeyError(f"unknown table {table!r}")
        if drop is None:
            raise ValueError(f"{table} is partitioned by drop")
        return self.partition_dir(table, drop) / PART_NAME

    # ----------------------------------------------------------------- reading
    def drops(self) -> list[str]:
        """Every drop that has a stored partition in any table, sorted."""
        found: set[str] = set()
        for table in PARTITIONED:
            root = self.out_dir / table
            if not root.is_dir():
                continue
            for entry in root.iterdir():
                if entry.name.startswith("drop=") and (entry / PART_NAME).is_file():
                    found.add(unquote(entry.name[len("drop=") :]))
        return sorted(found)

    def dataset(self, table: str) -> ds.Dataset:
        """A lazy pyarrow dataset of a partitioned table with ``drop`` typed as a string.

        Plain ``ds.dataset(path, partitioning="hive")`` infers the type of ``drop`` from
        the folder names, so a drop called ``2024`` would come back as an integer.
        """
        if table not in PARTITIONED:
            raise KeyError(f"{table!r} is not a partitioned table")
        partitioning = ds.partitioning(pa.schema([("drop", pa.string())]), flavor="hive")
        schema = SCHEMAS[table].with_metadata(schema_metadata())
        root = self.out_dir / table
        root.mkdir(parents=True, exist_ok=True)
        return ds.dataset(root, format="parquet", partitioning=partitioning, schema=schema)

    def read(self, table: str, drop: str | None = None) -> pa.Table:
        """One drop's partition, or the whole table (drops in sorted order).

        Always has the table's schema, ``drop`` included; empty when nothing is stored.
        """
        if table == PEOPLE or drop is not None:
            return self._read_file(table, drop)
        parts = [self._read_file(table, d) for d in self.drops()]
        if not parts:
            return conform(table, pa.table({}))
        return pa.concat_tables(parts)

    def _read_file(self, table: str, drop: str | None) -> pa.Table:
        path = self._final_path(table, drop)
        if not path.is_file():
            return conform(table, pa.table({}))
        body = pq.ParquetFile(path).read()
        if drop is not None:
            body = body.append_column("drop", pa.array([drop] * body.num_rows, pa.string()))
        return conform(table, body, strict=False)

    # ----------------------------------------------------------------- writing
    def commit(
        self,
        partitions: Mapping[tuple[str, str], pa.Table],
        manifest: Manifest,
        people: pa.Table | None = None,
        removed_drops: Collection[str] = (),
    ) -> None:
        """Atomically replace the given ``(table, drop)`` partitions, the people table
        (if given) and the manifest, and delete every partition of ``removed_drops``.

        Partitions not named are left as they are. Row order is the caller's.
        """
        clash = {drop for _, drop in partitions} & set(removed_drops)
        if clash:
            raise ValueError(f"drops both written and removed: {sorted(clash)}")
        if (self.out_dir / JOURNAL_NAME).exists():
            self._apply_journal()  # a previous commit must land before this one starts
        (self.out_dir / STAGING).mkdir(parents=True, exist_ok=True)
        renames: list[tuple[Path, Path]] = []
        try:
            for (table, drop), data in sorted(partitions.items()):
                renames.append(self._stage(self._final_path(table, drop), self._body(table, drop, data)))
            if people is not None:
                renames.append(self._stage(self._final_path(PEOPLE, None), conform(PEOPLE, people)))
            manifest_path = self.out_dir / MANIFEST_NAME
            temp = temp_path(self.out_dir, manifest_path)
            write_durably(temp, manifest.to_json().encode("utf-8"))
            renames.append((temp, manifest_path))
            deletes = [
                self._final_path(table, drop)
                for drop in sorted(removed_drops)
                for table in PARTITIONED
                if self._final_path(table, drop).exists()
            ]
            for directory in {temp.parent for temp, _ in renames}:
                fsync_dir(directory)
            write_journal(self.out_dir, renames, deletes)
        except BaseException:
            if (self.out_dir / JOURNAL_NAME).exists():
                raise  # past the commit point: recover() rolls forward
            for temp, _ in renames:
                with contextlib.suppress(OSError):
                    temp.unlink()
            raise
        self._apply_journal()

    def _body(self, table: str, drop: str, data: pa.Table) -> pa.Table:
        """The file body of a partition: the schema minus ``drop``, which must match."""
        if table not in PARTITIONED:
            raise KeyError(f"{table!r} is not a partitioned table")
        full = conform(table, data)
        stored = set(full.column("drop").drop_null().unique().to_pylist())
        if stored - {drop}:
            raise ValueError(f"{table}: rows of drop(s) {sorted(stored - {drop})} in partition {drop!r}")
        return full.drop_columns(["drop"])

    def _stage(self, final: Path, body: pa.Table) -> tuple[Path, Path]:
        temp = temp_path(self.out_dir, final)
        pq.write_table(body, temp)
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        return temp, final

    def _apply_journal(self) -> None:
        apply_journal(self.out_dir)
        self._prune_empty_dirs()

    # ----------------------------------------------------------------- recovery
    def recover(self) -> bool:
        """Finish an interrupted commit (roll forward) or discard one that never
        reached its commit point (roll back). Returns whether anything was done.

        Must run while holding :class:`newsmine.store.lock.RunLock`: it deletes temporary
        files, which would break a commit in progress.
        """
        if not self.out_dir.is_dir():
            return False
        did = False
        if (self.out_dir / JOURNAL_NAME).exists():
            self._apply_journal()
            did = True
        for temp in self._temp_files():
            temp.unlink()
            did = True
        self._prune_empty_dirs()
        return did

    def _temp_files(self) -> Iterator[Path]:
        staging = self.out_dir / STAGING
        if staging.is_dir():
            yield from staging.iterdir()

    def _prune_empty_dirs(self) -> None:
        """Remove partition folders left empty by a removed drop or a rolled-back commit."""
        for table in PARTITIONED:
            root = self.out_dir / table
            if not root.is_dir():
                continue
            for entry in root.iterdir():
                if entry.is_dir() and entry.name.startswith("drop=") and not any(entry.iterdir()):
                    with contextlib.suppress(OSError):
                        entry.rmdir()
