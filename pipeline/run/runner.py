"""A run: plan what changed, process it drop by drop, commit each drop atomically.

The runner only wires the stages together; every decision lives in the module
that owns it (``manifest`` plans, ``process`` extracts, ``store`` commits). A
drop is committed as soon as it is done, so an interrupted run keeps the drops
it finished and the next run picks up the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from newsmine import __version__
from newsmine.ingest.articles import SourceFile, discover
from newsmine.nlp.config import read_config, resolve_model
from newsmine.rules import models_dir
from newsmine.store.lock import RunLock
from newsmine.store.manifest import FileRecord, Manifest, pipeline_version, plan_run
from newsmine.store.parquet import Store
from newsmine.tables.schemas import PARTITIONED as TABLE_NAMES
from newsmine.tables.schemas import to_table

if TYPE_CHECKING:
    from newsmine.run.batch import BatchResult

# spaCy, pandas and the engines are imported only once there is work to do, so a
# scheduled re-run with nothing new finishes in a fraction of a second.

# Rows are sorted before writing so every engine and every re-run writes identical files.
SORT_KEYS = {
    "documents": [("source_path", "ascending")],
    "entities": [("doc_id", "ascending"), ("entity_id", "ascending")],
    "quotes": [("doc_id", "ascending"), ("start_char", "ascending"), ("end_char", "ascending")],
    "claims": [("doc_id", "ascending"), ("start_char", "ascending"), ("end_char", "ascending")],
}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunOptions:
    raw_dir: Path
    out_dir: Path
    model: str | None = None
    workers: int = 1
    batch_size: int | None = None
    files_per_batch: int = 64
    force: bool = False
    drops: Collection[str] | None = None
    keep_removed: bool = False
    engine: str = "local"
    scheduler: str | None = None
    max_bytes: int | None = None


@dataclass
class RunSummary:
    version: str = ""
    files_seen: int = 0
    files_processed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    documents: int = 0
    failed: int = 0
    entities: int = 0
    quotes: int = 0
    claims: int = 0
    words: int = 0
    seconds: float = 0.0
    drops: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        """One line for a job log."""
        return (
            f"newsmine run: {self.files_processed} files processed ({self.files_unchanged} unchanged, "
            f"{self.files_removed} removed), {self.documents} documents, {self.failed} failed, "
            f"{self.entities} entities, {self.quotes} quotes, {self.claims} claims, "
            f"{self.words} words in {self.seconds:.1f}s ({self.words_per_second:,.0f} words/s)"
        )


def current_version(model: str) -> str:
    """Package version + everything under models/ + the base model name."""
    return pipeline_version(models_dir(), __version__, extra=model)


def _batches(files: list[SourceFile], size: int) -> list[list[SourceFile]]:
    return [files[i : i + size] for i in range(0, len(files), size)]


def _stale_ids(documents: pa.Table, paths: set[str]) -> set[str]:
    """doc_ids of stored rows that came from files being reprocessed or removed."""
    if documents.num_rows == 0 or not paths:
        return set()
    sources = [str(p).split("#", 1)[0] for p in documents.column("source_path").to_pylist()]
    ids = documents.column("doc_id").to_pylist()
    stale = {i for i, s in zip(ids, sources, strict=True) if s in paths}
    kept = {i for i, s in zip(ids, sources, strict=True) if s not in paths}
    return stale - kept


def _merge(old: pa.Table, batches: list[pa.Table], stale: set[str], name: str) -> pa.Table:
    new = pa.concat_tables(batches) if batches else to_table(name, [])
    if old.num_rows:
        old = old.select(new.schema.names).cast(new.schema)
        if stale:
            old = old.filter(pc.invert(pc.is_in(old.column("doc_id"), value_set=pa.array(sorted(stale)))))
        new = pa.concat_tables([old, new])
    return new.sort_by(SORT_KEYS[name])


def _record(outcome, version: str) -> FileRecord:
    return FileRecord(
        rel_path=outcome.rel_path,
        drop=outcome.drop,
        size=outcome.size,
        mtime_ns=outcome.mtime_ns,
        sha256=outcome.sha256,
        doc_ids=outcome.doc_ids,
        n_failed=outcome.n_failed,
        pipeline_version=version,
    )


def _collect(results: Iterable[BatchResult], summary: RunSummary, progress: Progress | None, total: int):
    """Gather a drop's batches as Arrow tables.

    Each batch's rows become columnar as soon as they arrive: Python dicts cost
    several times the memory, and a drop can hold a whole corpus.
    """
    tables: dict[str, list[pa.Table]] = {name: [] for name in TABLE_NAMES}
    outcomes = []
    done = 0
    for result in results:
        for name in TABLE_NAMES:
            tables[name].append(to_table(name, result.rows[name]))
        summary.failed += sum(1 for row in result.rows["documents"] if row["status"] == "failed")
        outcomes.extend(result.files)
        summary.words += result.n_words
        for stage, seconds in result.stage_seconds.items():
            summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
        done += len(result.files)
        if progress:
            progress(done, total)
    return tables, outcomes


# Columns holding a person's canonical id and name, per table, rewritten when people link.
_PERSON_COLUMNS = {
    "entities": ("canonical_id", "canonical_name"),
    "quotes": ("speaker_id", "speaker_canonical"),
}


def _relinked(
    table: pa.Table, id_column: str, name_column: str, mapping: dict[str, str], names: dict[str, str]
):
    ids = table.column(id_column).to_pylist()
    if not any(i in mapping for i in ids):
        return None
    old_names = table.column(name_column).to_pylist()
    new_ids = [mapping.get(i, i) for i in ids]
    new_names = [names.get(mapping[i], n) if i in mapping else n for i, n in zip(ids, old_names, strict=True)]
    table = table.set_column(
        table.schema.get_field_index(id_column), id_column, pa.array(new_ids, pa.string())
    )
    return table.set_column(
        table.schema.get_field_index(name_column), name_column, pa.array(new_names, pa.string())
    )


def link_people(store: Store) -> tuple[dict[tuple[str, str], pa.Table], pa.Table]:
    """Link people across articles and rewrite the partitions whose person ids changed.

    Articles are processed alone, so one person can arrive under several ids (a
    spelling variant, a surname-only article). Rewriting the stored ids keeps
    ``entities.canonical_id``, ``quotes.speaker_id`` and ``people.canonical_id``
    joinable; once rewritten, rows map to themselves, so later runs touch nothing.
    """
    from newsmine.people.linking import build_people, link_canonical_ids

    entities = store.read("entities").to_pandas()
    mapping = link_canonical_ids(entities)
    people = build_people(entities, store.read("quotes").to_pandas(), mapping=mapping)
    partitions: dict[tuple[str, str], pa.Table] = {}
    if not mapping:
        return partitions, people
    names = dict(
        zip(
            people.column("canonical_id").to_pylist(),
            people.column("canonical_name").to_pylist(),
            strict=True,
        )
    )
    for drop in store.drops():
        for table, (id_column, name_column) in _PERSON_COLUMNS.items():
            rewritten = _relinked(store.read(table, drop), id_column, name_column, mapping, names)
            if rewritten is not None:
                partitions[(table, drop)] = rewritten
    return partitions, people


def _finish_people(store: Store, manifest: Manifest) -> None:
    """Rebuild people (and relink person ids) from every stored drop, in one commit."""
    linked, people = link_people(store)
    manifest.people_stale = False
    store.commit(linked, manifest, people=people)


def run(options: RunOptions, progress: Progress | None = None) -> RunSummary:
    """Bring ``out_dir`` up to date with ``raw_dir``; returns what was done."""
    started = time.perf_counter()
    summary = RunSummary()
    out = options.out_dir
    out.mkdir(parents=True, exist_ok=True)
    config = read_config()
    with RunLock(out):
        store = Store(out)
        store.recover()
        manifest = Manifest.load(out)
        model = resolve_model(options.model, config)
        version = current_version(model)
        summary.version = version
        files = discover(options.raw_dir, options.drops)
        summary.files_seen = len(files)
        plan = plan_run(
            files,
            manifest,
            version,
            force=options.force,
            drops=options.drops,
            keep_removed=options.keep_removed,
        )
        summary.files_unchanged = len(plan.unchanged)
        summary.files_removed = len(plan.removed)
        if not plan.process and not plan.removed:
            if manifest.people_stale:  # an earlier run was stopped before its last commit
                _finish_people(store, manifest)
            elif plan.touched:
                store.commit({}, manifest)
            summary.seconds = time.perf_counter() - started
            return summary

        from newsmine.run.batch import ProcessSettings
        from newsmine.run.engines import make_engine

        settings = ProcessSettings(
            model=model,
            version=version,
            batch_size=options.batch_size or config.batch_size,
            max_bytes=options.max_bytes or config.max_bytes,
        )
        engine = make_engine(options.engine, options.workers, model, options.scheduler)
        total = len(plan.process)
        done_before = 0
        # Drops commit one by one and people last: until then the stored people are stale.
        manifest.people_stale = True
        try:
            for drop in sorted(plan.affected_drops):
                drop_files = [f for f in plan.process if f.drop == drop]
                removed = {p for p in plan.removed if manifest.records[p].drop == drop}

                def drop_progress(done: int, _total: int, offset: int = done_before) -> None:
                    if progress:
                        progress(offset + done, total)

                results = engine.map(_batches(drop_files, options.files_per_batch), settings)
                tables, outcomes = _collect(results, summary, drop_progress, len(drop_files))
                done_before += len(drop_files)

                old = {name: store.read(name, drop) for name in TABLE_NAMES}
                stale = _stale_ids(old["documents"], {f.rel_path for f in drop_files} | removed)
                partitions = {
                    (name, drop): _merge(old[name], tables[name], stale, name) for name in TABLE_NAMES
                }
                for path in removed:
                    del manifest.records[path]
                for outcome in outcomes:
                    manifest.records[outcome.rel_path] = _record(outcome, version)
                    summary.errors.extend(outcome.errors)
                empty = partitions[("documents", drop)].num_rows == 0
                if empty:
                    partitions = {}
                store.commit(partitions, manifest, removed_drops=[drop] if empty else ())

                summary.files_processed += len(drop_files)
                summary.documents += sum(t.num_rows for t in tables["documents"])
                summary.entities += sum(t.num_rows for t in tables["entities"])
                summary.quotes += sum(t.num_rows for t in tables["quotes"])
                summary.claims += sum(t.num_rows for t in tables["claims"])
                summary.drops.append(drop)
                del tables, partitions, old
        finally:
            engine.close()

        _finish_people(store, manifest)
    summary.seconds = time.perf_counter() - started
    return summary
