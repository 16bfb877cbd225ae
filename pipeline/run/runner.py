"""A run: plan what changed, process it drop by drop, commit each drop atomically.

The runner only wires the stages together, one function per step; every decision
lives in the module that owns it (``store.manifest`` plans, ``run.batch`` extracts,
``tables`` merges and sorts, ``people`` links, ``store.parquet`` commits). A drop is
committed as soon as it is done, so an interrupted run keeps the drops it finished
and the next run picks up the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from newsmine.ingest.files import SourceFile, scan
from newsmine.nlp.config import read_config, resolve_model
from newsmine.run.failures import (
    ENVIRONMENT_ERRORS,
    EnvironmentProblem,
    by_reason,
    environment_problem,
    retry_predicate,
)
from newsmine.run.preflight import check_imports, check_out_dir, os_problem, remove_if_untouched
from newsmine.run.version import current_version
from newsmine.store.lock import LOCK_NAME, RunLock
from newsmine.store.manifest import FileRecord, Manifest, ManifestError, RunPlan, plan_run
from newsmine.store.parquet import Store
from newsmine.tables.partitions import merge_partition, stale_ids
from newsmine.tables.schemas import PARTITIONED as TABLE_NAMES
from newsmine.tables.schemas import to_table

if TYPE_CHECKING:
    from newsmine.nlp.config import PipelineConfig
    from newsmine.run.batch import BatchResult, FileOutcome, ProcessSettings
    from newsmine.run.engines import Engine

# spaCy, pandas and the engines are imported only once there is work to do, so a
# scheduled re-run with nothing new finishes in a fraction of a second.

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunOptions:
    """What ``newsmine run`` was asked to do (the CLI's options, validated)."""

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
    retry_failed: bool = False
    languages: tuple[str, ...] | None = None
    text_field: str | None = None


@dataclass
class RunSummary:
    """What a run did: counts for the summary line, failures for stderr, time per stage."""

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
    skipped: dict[str, int] = field(default_factory=dict)  # documents set aside, by reason
    not_read: dict[str, int] = field(default_factory=dict)  # raw entries not read, by reason
    notices: list[str] = field(default_factory=list)  # ``<entry>: <reason>`` worth a stderr line
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        """One line for a job log; what was set aside or not read is counted by reason."""
        skipped = sum(self.skipped.values())
        line = (
            f"newsmine run: {self.files_processed} files processed ({self.files_unchanged} unchanged, "
            f"{self.files_removed} removed), {self.documents} documents, {self.failed} failed, "
            f"{skipped} skipped{_by_reason(self.skipped)}, "
            f"{self.entities} entities, {self.quotes} quotes, {self.claims} claims, "
            f"{self.words} words in {self.seconds:.1f}s ({self.words_per_second:,.0f} words/s)"
        )
        if self.not_read:
            line += f"; {sum(self.not_read.values())} files not read{_by_reason(self.not_read)}"
        return line


def _by_reason(counts: dict[str, int]) -> str:
    """`` (2 language fr, 1 language de)``, most frequent first; empty when there is none."""
    return f" ({by_reason(counts)})" if counts else ""


@dataclass
class _Run:
    """The state one run carries from step to step (held under the run lock)."""

    options: RunOptions
    store: Store
    manifest: Manifest
    version: str
    summary: RunSummary
    progress: Progress | None
    languages: tuple[str, ...] = ("en",)  # the articles the run extracts; others are skipped


def _batches(files: list[SourceFile], size: int) -> list[list[SourceFile]]:
    return [files[i : i + size] for i in range(0, len(files), size)]


def _record(outcome: FileOutcome, version: str) -> FileRecord:
    return FileRecord(
        rel_path=outcome.rel_path,
        drop=outcome.drop,
        size=outcome.size,
        mtime_ns=outcome.mtime_ns,
        sha256=outcome.sha256,
        doc_ids=outcome.doc_ids,
        n_failed=outcome.n_failed,
        pipeline_version=version,
        failures=outcome.failures,
        skipped=outcome.skipped,
        retry=outcome.retry,
    )


def _collect(
    results: Iterable[BatchResult], summary: RunSummary, progress: Progress | None, total: int
) -> tuple[dict[str, list[pa.Table]], list[FileOutcome]]:
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
        for outcome in result.files:
            for reason, n in outcome.skipped.items():
                summary.skipped[reason] = summary.skipped.get(reason, 0) + n
        outcomes.extend(result.files)
        summary.words += result.n_words
        for stage, seconds in result.stage_seconds.items():
            summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
        done += len(result.files)
        if progress:
            progress(done, total)
    return tables, outcomes


def _finish_people(store: Store, manifest: Manifest) -> None:
    """Rebuild people (and relink person ids) from every stored drop, in one commit."""
    from newsmine.people.relink import link_people  # pandas: only when people change

    linked, people = link_people(store)
    manifest.people_stale = False
    store.commit(linked, manifest, people=people)


def _plan(state: _Run) -> RunPlan:
    """Step 1: compare the raw folder with the manifest."""
    options, summary = state.options, state.summary
    found = scan(options.raw_dir, options.drops, exclude=[options.out_dir])
    files = found.files
    summary.files_seen = len(files)
    for skip in found.skipped:
        kind = skip.reason.split(" (", 1)[0]  # "symlink to outside the raw folder (/etc/x)"
        summary.not_read[kind] = summary.not_read.get(kind, 0) + 1
        if skip.notable:
            summary.notices.append(f"{skip.rel_path}: {skip.reason}")
    plan = plan_run(
        files,
        state.manifest,
        state.version,
        force=options.force,
        drops=options.drops,
        keep_removed=options.keep_removed,
        retry=retry_predicate(options.retry_failed, state.languages),
    )
    summary.files_unchanged = len(plan.unchanged)
    summary.files_removed = len(plan.removed)
    return plan


def _nothing_to_process(state: _Run, plan: RunPlan) -> None:
    """Step 2 of a run with no work: finish an interrupted people commit or store refreshed stats."""
    if state.manifest.people_stale:  # an earlier run was stopped before its last commit
        _finish_people(state.store, state.manifest)
    elif plan.touched:
        state.store.commit({}, state.manifest)


def _commit_drop(
    state: _Run, drop: str, drop_files: list[SourceFile], removed: set[str],
    tables: dict[str, list[pa.Table]], outcomes: list[FileOutcome],
) -> None:
    """Merge one drop's new rows into its stored partitions and commit them with the manifest."""
    store, manifest = state.store, state.manifest
    old = {name: store.read(name, drop) for name in TABLE_NAMES}
    stale = stale_ids(old["documents"], {f.rel_path for f in drop_files} | removed)
    partitions = {(name, drop): merge_partition(name, old[name], tables[name], stale) for name in TABLE_NAMES}
    for path in removed:
        del manifest.records[path]
    for outcome in outcomes:
        manifest.records[outcome.rel_path] = _record(outcome, state.version)
        state.summary.errors.extend(outcome.errors)
    empty = partitions[("documents", drop)].num_rows == 0
    store.commit({} if empty else partitions, manifest, removed_drops=[drop] if empty else ())


def _count(summary: RunSummary, drop: str, n_files: int, tables: dict[str, list[pa.Table]]) -> None:
    summary.files_processed += n_files
    summary.documents += sum(t.num_rows for t in tables["documents"])
    summary.entities += sum(t.num_rows for t in tables["entities"])
    summary.quotes += sum(t.num_rows for t in tables["quotes"])
    summary.claims += sum(t.num_rows for t in tables["claims"])
    summary.drops.append(drop)


def _process_drops(state: _Run, plan: RunPlan, engine: Engine, settings: ProcessSettings) -> None:
    """Step 2: process the planned files drop by drop, committing each drop when it is done."""
    total = len(plan.process)
    done_before = 0
    for drop in sorted(plan.affected_drops):
        drop_files = [f for f in plan.process if f.drop == drop]
        removed = {p for p in plan.removed if state.manifest.records[p].drop == drop}

        def drop_progress(done: int, _total: int, offset: int = done_before) -> None:
            if state.progress:
                state.progress(offset + done, total)

        results = engine.map(_batches(drop_files, state.options.files_per_batch), settings)
        tables, outcomes = _collect(results, state.summary, drop_progress, len(drop_files))
        done_before += len(drop_files)
        _commit_drop(state, drop, drop_files, removed, tables, outcomes)
        _count(state.summary, drop, len(drop_files), tables)
        del tables


def _process(state: _Run, plan: RunPlan, config: PipelineConfig, model: str) -> None:
    """Steps 2 and 3 of a run with work: process every drop, then rebuild people last."""
    from newsmine.run.batch import ProcessSettings
    from newsmine.run.engines import make_engine

    options = state.options
    settings = ProcessSettings(
        model=model,
        version=state.version,
        batch_size=options.batch_size or config.batch_size,
        max_bytes=options.max_bytes or config.max_bytes,
        max_chars=config.max_chars,
        languages=state.languages,
        text_field=options.text_field,
    )
    check_imports()
    engine = make_engine(options.engine, options.workers, model, options.scheduler)
    # Drops commit one by one and people last: until then the stored people are stale.
    state.manifest.people_stale = True
    try:
        _process_drops(state, plan, engine, settings)
    finally:
        engine.close()
    _finish_people(state.store, state.manifest)


def _load_manifest(out_dir: Path) -> Manifest:
    try:
        return Manifest.load(out_dir)
    except ManifestError as exc:
        raise EnvironmentProblem(
            f"{exc}; move it aside and run again to rebuild it (every file is then reprocessed)"
        ) from None


def _locked_run(options: RunOptions, config: PipelineConfig, model: str, state: _Run) -> None:
    """Everything a run does under the lock: recover, plan, process, commit."""
    state.store.recover()
    state.manifest = _load_manifest(options.out_dir)
    plan = _plan(state)
    if not plan.process and not plan.removed:
        _nothing_to_process(state, plan)
    else:
        _process(state, plan, config, model)


def run(options: RunOptions, progress: Progress | None = None) -> RunSummary:
    """Bring ``out_dir`` up to date with ``raw_dir``; returns what was done.

    Environment problems (unwritable ``--out``, a missing model or rule file, a module
    that does not import, a corrupt manifest) raise ``EnvironmentProblem`` with one
    line to print; they are found before anything is written where they can be.
    """
    started = time.perf_counter()
    summary = RunSummary()
    try:
        config = read_config()
        model = resolve_model(options.model, config)
        summary.version = current_version(model)
    except ENVIRONMENT_ERRORS as exc:
        raise environment_problem(exc) from exc
    check_out_dir(options.out_dir)
    created = not options.out_dir.exists()
    try:
        with ExitStack() as stack:
            try:
                options.out_dir.mkdir(parents=True, exist_ok=True)
                stack.enter_context(RunLock(options.out_dir))
            except OSError as exc:
                raise os_problem(options.out_dir, exc) from None
            state = _Run(options, Store(options.out_dir), Manifest(), summary.version, summary, progress,
                         options.languages or config.languages)
            try:
                _locked_run(options, config, model, state)
            except ENVIRONMENT_ERRORS as exc:
                raise environment_problem(exc) from exc
    except EnvironmentProblem:
        if created:
            remove_if_untouched(options.out_dir, frozenset({LOCK_NAME, LOCK_NAME + ".guard"}))
        raise
    summary.seconds = time.perf_counter() - started
    return summary
