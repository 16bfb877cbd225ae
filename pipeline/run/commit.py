"""One drop's commit: the chunks its new, changed and removed files touch, rewritten.

A run commits drop by drop. For one drop, :class:`DropCommit` finds the regions of the
drop's chunks that the changed paths touch (``store.chunks``), reads those chunks'
stored parts (each checked against its checksum: a damaged one is reported and its
files are reprocessed instead of read), and builds the :class:`~newsmine.store.parquet.Change`
that replaces them: kept rows plus new rows, split into the chunks of the drop's new
file list, with their manifest rows and person index. Nothing outside the regions is
read or written, so the cost follows the change, not the store.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from functools import partial

import pyarrow as pa

from newsmine.people.index import chunk_index, empty_index
from newsmine.people.relink import COLUMNS, apply_links, article_ids, stored_links
from newsmine.store.chunks import Boundaries, Region, is_boundary, regions, split
from newsmine.store.db import FileRow, file_row, record_fields
from newsmine.store.manifest import FileRecord
from newsmine.store.parquet import Change, DamagedPart, PartKey, Store
from newsmine.tables.partitions import combined, doc_files, split_by_chunk, without_docs
from newsmine.tables.schemas import PARTITIONED


@dataclass
class DropCommit:
    """The chunks of one drop a run rewrites, and what they hold before it.

    ``processed``: paths of the drop to (re)process; ``removed``: paths whose rows go;
    ``available``: paths present in the raw folder (what can rebuild a damaged chunk).
    """

    store: Store
    drop: str
    processed: set[str]
    removed: set[str]
    available: Container[str]
    warnings: list[str] = field(default_factory=list)
    stored: set[str] = field(default_factory=set)
    regions: list[Region] = field(default_factory=list)
    old_files: list[FileRow] = field(default_factory=list)
    damaged: set[str] = field(default_factory=set)
    cache: dict[tuple[str, str], pa.Table] = field(default_factory=dict)

    @property
    def old_chunks(self) -> set[str]:
        return {row.chunk for row in self.old_files}

    def prepare(self) -> set[str]:
        """Plan the regions and read their chunks; returns the paths a damaged chunk adds
        to the processing (they were unchanged, but their stored rows are lost)."""
        extra: set[str] = set()
        while True:
            self._plan()
            unread = self.old_chunks - self.damaged - {chunk for _, chunk in self.cache}
            lost = {chunk for chunk in sorted(unread) if not self._read_chunk(chunk)}
            if not lost:
                return extra
            for row in self.old_files:
                if row.chunk in lost and row.rel_path not in self.processed | self.removed:
                    redo = row.rel_path in self.available
                    (self.processed if redo else self.removed).add(row.rel_path)
                    if redo:
                        extra.add(row.rel_path)

    def _plan(self) -> None:
        db = self.store.db
        self.stored = self.store.db.stored_paths(self.processed | self.removed)
        boundaries = Boundaries(
            partial(db.prev_boundary, self.drop), partial(db.next_boundary, self.drop),
            self.processed - self.stored, self.removed & self.stored, self.store.chunk_files,
        )
        self.regions = regions(self.processed | (self.removed & self.stored), boundaries)
        self.old_files = [row for r in self.regions for row in db.files_between(self.drop, r.low, r.high)]

    def _read_chunk(self, chunk: str) -> bool:
        """Read (and verify) every table's part of ``chunk``; False if one is damaged."""
        tables = {}
        for table in PARTITIONED:
            found = self.store.parts_of(table, self.drop, chunk)
            try:
                tables[table] = [self.store.read_part(p) for p in found]
            except DamagedPart as exc:
                self.warnings.append(f"{exc.damage.line(self.store.out_dir)}; its files are reprocessed")
                self.damaged.add(chunk)
                return False
        for table, parts in tables.items():
            if parts:
                self.cache[(table, chunk)] = pa.concat_tables(parts)
        return True

    def change(self, records: list[FileRecord], new: dict[str, pa.Table]) -> Change:
        """The commit replacing the regions' chunks with kept plus new rows."""
        file_chunk = self._new_chunks()
        redone = self.processed | self.removed
        stale = [d for row in self.old_files if row.rel_path in redone for d in record_fields(row)["doc_ids"]]
        old_chunks = sorted(self.old_chunks)
        cached = self.cache
        kept = {t: [without_docs(cached[t, c], stale) for c in old_chunks if (t, c) in cached]
                for t in PARTITIONED}
        # kept rows too: their chunk may still wait for its relink (``people.relink``)
        ids = {i for table in COLUMNS for t in [new[table], *kept[table]] for i in article_ids(table, t)}
        links = stored_links(self.store.db, ids)
        change = Change(deletes={PartKey(t, self.drop, c) for c in old_chunks for t in PARTITIONED})
        rows = {table: combined(table, [apply_links(table, t, links) for t in kept[table]],
                                [apply_links(table, new[table], links)]) for table in PARTITIONED}
        owners = doc_files(rows["documents"])
        for table in PARTITIONED:
            for chunk, part in split_by_chunk(table, rows[table], file_chunk, owners).items():
                change.parts[PartKey(table, self.drop, chunk)] = part
        change.delta = self._delta(records, file_chunk, change)
        return change

    def _new_chunks(self) -> dict[str, str]:
        """path -> chunk for every file the regions hold after the change."""
        old = {row.rel_path for row in self.old_files}
        added = self.processed - self.stored
        file_chunk: dict[str, str] = {}
        for region in self.regions:
            inside = {p for p in old if region.holds(p)} - self.removed
            inside |= {p for p in added if region.holds(p)}
            for name, paths in split(inside, self.store.chunk_files, region.high).items():
                file_chunk.update(dict.fromkeys(paths, name))
        return file_chunk

    def _delta(self, records: list[FileRecord], file_chunk: dict[str, str], change: Change) -> dict:
        """The manifest rows of every file in the regions, and the new chunks' person index."""
        fresh = {r.rel_path for r in records}
        puts = [
            [*row[:8], file_chunk[row.rel_path], row.boundary]
            for row in self.old_files
            if row.rel_path in file_chunk and row.rel_path not in fresh
        ]
        cf = self.store.chunk_files
        puts += [file_row(r, file_chunk[r.rel_path], is_boundary(r.rel_path, cf)) for r in records]
        new_chunks = sorted(set(file_chunk.values()))
        keys = sorted({f"{self.drop}/{c}" for c in [*self.old_chunks, *new_chunks]})
        index = empty_index(keys)
        for chunk in new_chunks:
            entities = change.parts[PartKey("entities", self.drop, chunk)]
            quotes = change.parts[PartKey("quotes", self.drop, chunk)]
            for key, values in chunk_index(f"{self.drop}/{chunk}", entities, quotes).items():
                index[key].extend(values)
        gone = (self.removed & self.stored) | {row.rel_path for row in self.old_files} - set(file_chunk)
        return {"files_put": puts, "files_del": sorted(gone), "index": index, "relink_done": keys}
