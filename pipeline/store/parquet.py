"""Parquet tables on disk, replaced atomically, verified against their checksums.

The layout is in ``newsmine.store.paths``: per table and drop, one part file per chunk
(``newsmine.store.chunks``), the drop stored inside every file as a string column;
``people/part-0.parquet``; the manifest database; the journal while a commit lands.

New files are written under ``.staging/`` (same filesystem, so ``os.replace`` into a
table folder is atomic), never inside a table folder, and the bookkeeping files
start with ``_``: ``pd.read_parquet(out / "quotes")``, ``pyarrow.dataset``, duckdb's
``*/*.parquet`` and polars only ever see complete part files.

A commit is crash-safe:

1. every new file is written to ``.staging/`` and fsynced, its size and sha256 taken;
2. a journal listing the renames, deletions and the manifest delta (with those sizes
   and checksums) is written (temp + rename + fsync) — the commit point;
3. the journal is applied (``newsmine.store.journal``), then deleted.

:meth:`Store.recover` (call it, holding the run lock, before reading or committing)
finishes a journal left by a killed commit, quarantines one that is damaged or names
paths outside the output folder, and deletes stray temporary files. Every path the
store writes, renames or deletes passes ``paths.Confined`` first. :meth:`Store.damaged`
compares the part files with the sizes (cheap, every run) or checksums (``newsmine
check``) the manifest recorded; :meth:`Store.read_part` checks each part it reads.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from newsmine.store.chunks import DEFAULT_CHUNK_FILES
from newsmine.store.db import ManifestDB, ManifestError, PartRecord
from newsmine.store.journal import (
    JournalDamaged,
    apply_journal,
    fsync_dir,
    quarantine,
    temp_path,
    write_journal,
)
from newsmine.store.paths import (
    JOURNAL_NAME,
    MANIFEST_DB,
    PEOPLE,
    PEOPLE_REL,
    STAGING,
    Confined,
    OutsideOutput,
    folder_drop,
    part_rel,
)
from newsmine.tables.schemas import PARTITIONED, SCHEMAS, SORT_KEYS, schema_metadata

TABLE_FOLDERS = (*PARTITIONED, PEOPLE)
# The parts the people step reads back right after a drop's commit (``people.relink``):
# the last commit keeps them in memory, so they are not decoded again (see ``read_part``).
RECALLED = frozenset({"entities", "quotes"})
STAGE_THREADS = 2
_MAGIC = b"PAR1"  # a Parquet file ends with its footer's length and this


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


@dataclass(frozen=True, order=True)
class PartKey:
    """One part file: a chunk of a partitioned table's drop, or the people table."""

    table: str
    drop: str | None = None
    chunk: str | None = None

    @property
    def rel(self) -> str:
        if self.table == PEOPLE:
            return PEOPLE_REL
        if self.table not in PARTITIONED or self.drop is None or self.chunk is None:
            raise ValueError(f"{self}: a partitioned table's part needs a drop and a chunk")
        return part_rel(self.table, self.drop, self.chunk)


@dataclass
class Change:
    """One commit: parts to (re)write, parts to delete, and the manifest delta."""

    parts: dict[PartKey, pa.Table] = field(default_factory=dict)
    deletes: set[PartKey] = field(default_factory=set)
    delta: dict[str, Any] = field(default_factory=dict)
    extra_deletes: list[str] = field(default_factory=list)  # unregistered files (old layout)


@dataclass(frozen=True)
class Damage:
    """A committed part whose file is missing or differs from what the manifest recorded."""

    part: PartRecord
    reason: str

    def line(self, out_dir: Path) -> str:
        return f"{out_dir / self.part.path}: {self.reason}"


class DamagedPart(RuntimeError):
    def __init__(self, damage: Damage) -> None:
        super().__init__(damage.reason)
        self.damage = damage


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class Store:
    """The tables of one output folder (open it holding the run lock to write)."""

    def __init__(self, out_dir: Path, chunk_files: int | None = None, *, readonly: bool = False) -> None:
        self.out_dir = Path(out_dir)
        self.confined = Confined(self.out_dir)
        self.readonly = readonly
        self.quarantined = False
        self._chunk_files = chunk_files
        self._db: ManifestDB | None = None
        self._recalled: dict[str, tuple[str, pa.Table]] = {}  # path -> (sha256, rows), last commit

    @property
    def db(self) -> ManifestDB:
        """The manifest database, opened on first use (created, unless ``readonly``)."""
        if self._db is None:
            path = self.confined.check(self.out_dir / MANIFEST_DB)
            if self.readonly:
                if not path.is_file():
                    raise ManifestError(f"{path}: no manifest (run `newsmine run` first)")
                self._db = ManifestDB(path, readonly=True)
            else:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                self._db = ManifestDB(path)
        return self._db

    @property
    def chunk_files(self) -> int:
        """Files per chunk: fixed when the store is made (changing it would move every row)."""
        stored = self.db.meta("chunk_files")
        return int(stored) if stored else (self._chunk_files or DEFAULT_CHUNK_FILES)

    def close(self) -> None:
        self._recalled = {}
        if self._db is not None:
            self._db.close()
            self._db = None

    # ----------------------------------------------------------------- reading
    def parts(self, table: str | None = None, drop: str | None = None) -> list[PartRecord]:
        where, args = [], []
        if table is not None:
            where, args = [*where, "tbl = ?"], [*args, table]
        if drop is not None:
            where, args = [*where, "drop_name = ?"], [*args, drop]
        return self.db.parts("WHERE " + " AND ".join(where) if where else "", args)

    def parts_of(self, table: str, drop: str, chunk: str) -> list[PartRecord]:
        """The committed part of one chunk of a table (a list: none if it was never written)."""
        return self.db.parts("WHERE tbl = ? AND drop_name = ? AND chunk = ?", (table, drop, chunk))

    def drops(self) -> list[str]:
        """Every drop with stored documents, sorted."""
        return sorted({p.drop for p in self.parts("documents") if p.drop is not None})

    def read_part(self, part: PartRecord) -> pa.Table:
        """One part file, checked against its recorded size and sha256 first.

        A part of :data:`RECALLED` that the last commit wrote is not decoded again when
        its bytes are still the ones written (same checksum): the rows written are
        returned, which decoding would give back (decoding was 0.14 of 0.31 s CPU of the
        people step, 600 BBC articles).
        """
        path = self.confined.rel(part.path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise DamagedPart(Damage(part, "missing")) from None
        if len(data) != part.size or hashlib.sha256(data).hexdigest() != part.sha256:
            raise DamagedPart(Damage(part, f"{len(data)} bytes, checksum differs from the manifest's"))
        recalled = self._recalled.get(part.path)
        if recalled is not None and recalled[0] == part.sha256:
            return recalled[1]
        # ParquetFile, not read_table: read_table builds a dataset for one file (1.7 ms a
        # part of 64 articles against 1.0 ms; the people step reads dozens of parts)
        return conform(part.table, pq.ParquetFile(pa.BufferReader(data)).read(), strict=False)

    def read(self, table: str, drop: str | None = None) -> pa.Table:
        """One drop's rows, or the whole table (drops in sorted order), each drop sorted by
        the table's sort keys: the same rows in the same order whatever the chunks.

        Always has the table's schema; empty when nothing is stored.
        """
        if table == PEOPLE:
            parts = self.parts(PEOPLE)
            return self.read_part(parts[0]) if parts else conform(PEOPLE, pa.table({}))
        if table not in PARTITIONED:
            raise KeyError(f"unknown table {table!r}")
        pieces = []
        for name in [drop] if drop is not None else self.drops():
            rows = [self.read_part(p) for p in self.parts(table, name)]
            if rows:
                pieces.append(pa.concat_tables(rows).sort_by(SORT_KEYS[table]))
        return pa.concat_tables(pieces) if pieces else conform(table, pa.table({}))

    def dataset(self, table: str) -> ds.Dataset:
        """A lazy pyarrow dataset of a table, with its schema (``drop`` a string column)."""
        schema = SCHEMAS[table].with_metadata(schema_metadata())
        files = [str(self.out_dir / p.path) for p in self.parts(table)]
        return ds.dataset(files, format="parquet", schema=schema)

    # ----------------------------------------------------------------- writing
    def commit(self, change: Change) -> None:
        """Atomically write ``change.parts``, delete ``change.deletes`` and apply the delta."""
        self._recalled = {}
        if (self.out_dir / JOURNAL_NAME).exists():
            self._apply_journal()  # a previous commit must land before this one starts
        staging = self.confined.check(self.out_dir / STAGING)
        staging.mkdir(parents=True, exist_ok=True)
        delta = dict(change.delta)
        meta = delta["meta"] = dict(delta.get("meta", {}))
        meta.setdefault("chunk_files", str(self.chunk_files))
        meta.setdefault("raw_fingerprint", "")  # any commit forgets what the last full scan saw
        meta.setdefault("drop_fingerprints", "")
        parts = sorted(change.parts.items(), key=lambda item: item[0].rel)
        renames = [(self.confined.check(temp_path(self.out_dir, key.rel)), key.rel) for key, _ in parts]
        staged: dict[str, tuple[str, pa.Table]] = {}
        try:
            delta["parts_put"] = self._stage_all(parts, [temp for temp, _ in renames], staged)
            deletes = sorted({key.rel for key in change.deletes} - {key.rel for key in change.parts})
            delta["parts_del"] = deletes
            fsync_dir(staging)
            write_journal(self.confined, renames, deletes + change.extra_deletes, delta)
        except BaseException:
            if (self.out_dir / JOURNAL_NAME).exists():
                raise  # past the commit point: recover() rolls forward
            for temp, _ in renames:
                with contextlib.suppress(OSError):
                    temp.unlink()
            raise
        self._apply_journal()
        self._recalled = staged

    def _stage_all(self, parts: list[tuple[PartKey, pa.Table]], temps: list[Path],
                   staged: dict[str, tuple[str, pa.Table]]) -> list[list[Any]]:
        """Write every part to its staging file; their ``parts`` rows, in order.

        In :data:`STAGE_THREADS` threads: Parquet encoding, compression, fsync and hashing
        release the GIL, and the last drop's commit is a serial tail of a pool run (its
        workers idle meanwhile): 164 parts of the BBC corpus took 0.64 s in one thread."""
        if len(parts) < 2:
            stages = [self._stage(key, table, temp) for (key, table), temp in zip(parts, temps, strict=True)]
        else:
            with ThreadPoolExecutor(min(STAGE_THREADS, len(parts))) as pool:
                stages = list(pool.map(self._stage, *zip(*parts, strict=True), temps))
        for (key, _), (row, body) in zip(parts, stages, strict=True):
            if key.table in RECALLED:
                staged[key.rel] = (row[5], body)
        return [row for row, _ in stages]

    def _stage(self, key: PartKey, table: pa.Table, temp: Path) -> tuple[list[Any], pa.Table]:
        """Write one part to ``temp``; its ``parts`` row (size and checksum of the bytes
        written) and the rows as stored."""
        body = self._body(key, table)
        pq.write_table(body, temp)
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        sha256 = _sha256(temp)
        return [key.rel, key.table, key.drop, key.chunk, temp.stat().st_size, sha256, body.num_rows], body

    def _body(self, key: PartKey, data: pa.Table) -> pa.Table:
        full = conform(key.table, data)
        if key.table in PARTITIONED:
            stored = set(full.column("drop").unique().to_pylist())
            if stored - {key.drop}:
                raise ValueError(f"{key.table}: rows of drop(s) {sorted(stored - {key.drop}, key=str)} "
                                 f"in partition {key.drop!r}")
        return full

    def _apply_journal(self) -> None:
        apply_journal(self.confined, TABLE_FOLDERS, self.db.apply)
        self._prune_empty_dirs()

    # ----------------------------------------------------------------- recovery
    def recover(self) -> list[str]:
        """Finish an interrupted commit (roll forward), or quarantine a journal that must not
        be applied, and discard staged files of a commit that never reached its journal.

        Returns notices for the operator (empty when there was nothing unusual). Must run
        holding :class:`newsmine.store.lock.RunLock`: it deletes temporary files.
        """
        notices: list[str] = []
        if not self.out_dir.is_dir():
            return notices
        if (self.out_dir / JOURNAL_NAME).exists() or (self.out_dir / JOURNAL_NAME).is_symlink():
            try:
                self._apply_journal()
            except (JournalDamaged, OutsideOutput) as exc:
                notices.append(quarantine(self.confined, exc))
                self.quarantined = True  # whatever it did before it broke: verify every checksum
        for temp in self._temp_files():
            temp.unlink()
        self._prune_empty_dirs()
        return notices

    def _temp_files(self) -> Iterator[Path]:
        staging = self.confined.check(self.out_dir / STAGING)
        if staging.is_dir():
            for entry in staging.iterdir():
                yield self.confined.check(entry)

    def _prune_empty_dirs(self) -> None:
        """Remove drop folders left empty by a removed drop or a rolled-back commit."""
        for table in PARTITIONED:
            root = self.out_dir / table
            if not root.is_dir() or root.is_symlink():
                continue
            for entry in root.iterdir():
                if entry.is_dir() and folder_drop(entry.name) is not None and not any(entry.iterdir()):
                    with contextlib.suppress(OSError):
                        self.confined.check(entry).rmdir()

    def damaged(self, deep: bool = False, parts: list[PartRecord] | None = None) -> list[Damage]:
        """Committed parts (``parts``: those; None: all) whose file is missing, has another
        size or no Parquet footer (cheap), or (``deep``: ``newsmine check``) another sha256."""
        found = []
        for part in self.parts() if parts is None else parts:
            try:
                reason = _part_problem(self.confined, part, deep)
            except OutsideOutput:
                reason = "resolves outside the output folder (a symlink?)"
            if reason:
                found.append(Damage(part, reason))
        return found


def _part_problem(confined: Confined, part: PartRecord, deep: bool) -> str | None:
    """What is wrong with one part file (None: nothing). Opened without following a
    symlink in its last step; its folder is checked once per store (``Confined.part``)."""
    path = confined.part(part.path, follow=False)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "a folder where a part file should be"
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        path = confined.rel(part.path)  # a symlink: allowed only when it stays inside
        fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        if size != part.size:
            return f"{size} bytes, the manifest recorded {part.size}"
        tail = os.pread(fd, 8, max(size - 8, 0))  # the footer's length, then the magic
    finally:
        os.close(fd)
    if len(tail) < 8 or tail[4:] != _MAGIC or int.from_bytes(tail[:4], "little") > size - 12:
        return "not a Parquet file (no valid footer)"
    if deep and _sha256(path) != part.sha256:
        return "checksum differs from the manifest's"
    return None
