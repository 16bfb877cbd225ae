"""A run: plan what changed, process it drop by drop, commit each drop atomically.

The runner only wires the stages together, one function per step; every decision
lives in the module that owns it (``store.manifest`` plans, ``run.batch`` extracts,
``tables`` merges and sorts, ``people`` links, ``store.parquet`` commits). A drop is
committed as soon as it is done, so an interrupted run keeps the drops it finished
and the next run picks up the rest.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from newsmine.ingest.files import SourceFile
from newsmine.nlp.config import read_config, resolve_model
from newsmine.run import planning
from newsmine.run.commit import DropCommit
from newsmine.run.failures import (
    ENVIRONMENT_ERRORS,
    EnvironmentProblem,
    by_reason,
    environment_problem,
    retry_predicate,
)
from newsmine.run.fingerprints import Prints, remember
from newsmine.run.machine import DISK_ERRNOS
from newsmine.run.preflight import check_imports, check_out_dir, os_problem, remove_if_untouched
from newsmine.run.repair import (
    Repairs,
    add_repairs,
    commit_touched,
    migrate_legacy,
    next_turn,
    parts_in_turn,
    removals,
    reset_unreadable_manifest,
)
from newsmine.run.version import current_version
from newsmine.store.lock import LOCK_NAME, RunLock
from newsmine.store.manifest import FileRecord, Manifest, RunPlan
from newsmine.store.parquet import Store
from newsmine.store.paths import MANIFEST_DB
from newsmine.tables.partitions import combined
from newsmine.tables.schemas import PARTITIONED as TABLE_NAMES
from newsmine.tables.schemas import to_table

if TYPE_CHECKING:
    from newsmine.nlp.config import PipelineConfig
    from newsmine.run.engines import Engine
    from newsmine.run.work import BatchResult, FileOutcome, ProcessSettings

# spaCy, pandas and the engines are imported only once there is work to do, so a
# scheduled re-run with nothing new finishes in a fraction of a second.

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunOptions:
    """What ``newsmine run`` was asked to do (the CLI's options, validated)."""

    raw_dir: Path
    out_dir: Path
    model: str | None = None
    workers: int | None = None  # None: one per core when more than one file is new
    batch_size: int | None = None
    # A worker holds a batch's texts, docs' maps and rows until it returns them: batches of 64
    # BBC files (up to 200,000 characters) set its peak 8 MiB above a usual batch's, and the
    # peak rose with the largest batch a run met; 32 halve that, at the same wall time.
    files_per_batch: int = 32
    force: bool = False
    drops: Collection[str] | None = None
    keep_removed: bool = False
    engine: str = "local"
    scheduler: str | None = None
    max_bytes: int | None = None
    retry_failed: bool = False
    languages: tuple[str, ...] | None = None
    text_field: str | None = None
    chunk_files: int | None = None  # files per part of a new store (tests and benchmarks only)
    repair: bool = False  # `newsmine check --repair`: verify every checksum, rebuild what is damaged
    full_scan: bool = False  # stat every raw file (run.scan_state: what a run otherwise skips)


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
    warnings: list[str] = field(default_factory=list)  # repairs, quarantined journals: one line each
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
    sources: dict[str, SourceFile] = field(default_factory=dict)  # planning.Sources: stats on demand
    planned: planning.Planned | None = None
    repairs: Repairs = field(default_factory=Repairs)
    prints: Prints = field(default_factory=Prints)  # of the raw folder as scanned, for a full scan
    written: set[str] = field(default_factory=set)  # chunks (drop/chunk) this run's drop commits wrote


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
) -> Iterator[tuple[dict[str, pa.Table], list[FileOutcome]]]:
    """Each batch's rows as Arrow tables, with its file outcomes.

    The rows become columnar as soon as they arrive: Python dicts cost several times
    the memory, and a drop can hold a whole corpus. The conversion is here, not in the
    workers: a worker that converted its batches peaked 55 MiB higher (524 against 469
    MiB, one worker's share of the BBC corpus replayed), over the per-worker limit.
    """
    done = 0
    for result in results:
        tables = {name: to_table(name, result.rows[name]) for name in TABLE_NAMES}
        summary.failed += sum(1 for row in result.rows["documents"] if row["status"] == "failed")
        for outcome in result.files:
            for reason, n in outcome.skipped.items():
                summary.skipped[reason] = summary.skipped.get(reason, 0) + n
        summary.words += result.n_words
        for stage, seconds in result.stage_seconds.items():
            summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
        done += len(result.files)
        if progress:
            progress(done, total)
        yield tables, result.files


def _joined(
    batches: list[tuple[dict[str, pa.Table], list[FileOutcome]]],
) -> tuple[dict[str, list[pa.Table]], list[FileOutcome]]:
    """One group's batches as one list of tables per table, and their outcomes."""
    tables: dict[str, list[pa.Table]] = {name: [t[name] for t, _ in batches] for name in TABLE_NAMES}
    return tables, [outcome for _, outcomes in batches for outcome in outcomes]


def _finish_people(state: _Run) -> None:
    """Bring people (and the linked person ids of stored rows) up to date, in one commit."""
    from newsmine.people import relink
    from newsmine.people.linking import default_aliases

    budget = None if state.options.repair else relink.relink_budget(len(state.written))  # repair: all
    change = relink.people_change(state.store, default_aliases(), force=state.repairs.people,
                                  budget=budget, fresh=state.written)
    if change is not None:
        state.store.commit(change)
        state.manifest.people_stale = False


def _plan(state: _Run) -> RunPlan:
    """Step 1: compare the raw folder with the manifest (``run.planning``)."""
    planned = state.planned = planning.plan(state)
    summary, plan = state.summary, planned.plan
    state.manifest, state.sources, state.prints = planned.manifest, planned.sources, planned.prints
    summary.files_seen = planned.seen
    for skip in planned.skipped:
        kind = skip.reason.split(" (", 1)[0]  # "symlink to outside the raw folder (/etc/x)"
        summary.not_read[kind] = summary.not_read.get(kind, 0) + 1
        if skip.notable:
            summary.notices.append(f"{skip.rel_path}: {skip.reason}")
    summary.files_unchanged = len(plan.unchanged) + plan.assumed
    summary.files_removed = len(plan.removed)
    return plan


def _remember_scan(state: _Run) -> None:
    remember(state.store, state.prints, retry_predicate(state.options.retry_failed, state.languages))
    if state.planned is not None:
        planning.remember(state, state.planned)


def _nothing_to_process(state: _Run, plan: RunPlan) -> None:
    """Step 2 of a run with no work: finish an interrupted people commit or store refreshed stats."""
    if plan.touched:
        commit_touched(state.store, state.manifest, plan.touched)
    # an earlier run stopped before people; or --repair, which also catches up waiting links
    if state.manifest.people_stale or state.repairs.people or state.options.repair:
        _finish_people(state)


def _commit_drop(
    state: _Run, commit: DropCommit, tables: dict[str, list[pa.Table]], outcomes: list[FileOutcome]
) -> None:
    """Merge one drop's new rows into its stored chunks and commit them with the manifest."""
    records = [_record(outcome, state.version) for outcome in outcomes]
    new = {name: combined(name, [], tables[name]) for name in TABLE_NAMES}
    change = commit.change(records, new)
    state.store.commit(change)
    state.written.update(f"{key.drop}/{key.chunk}" for key in change.parts)
    for path in commit.removed:
        state.manifest.records.pop(path, None)
    for record, outcome in zip(records, outcomes, strict=True):
        state.manifest.records[record.rel_path] = record
        state.summary.errors.extend(outcome.errors)
    state.manifest.people_stale = True


def _count(summary: RunSummary, drop: str, n_files: int, tables: dict[str, list[pa.Table]]) -> None:
    summary.files_processed += n_files
    summary.documents += sum(t.num_rows for t in tables["documents"])
    summary.entities += sum(t.num_rows for t in tables["entities"])
    summary.quotes += sum(t.num_rows for t in tables["quotes"])
    summary.claims += sum(t.num_rows for t in tables["claims"])
    if drop not in summary.drops:
        summary.drops.append(drop)


def _process_drops(state: _Run, plan: RunPlan, engine: Engine, settings: ProcessSettings) -> None:
    """Step 2: process the planned files drop by drop, committing each drop when it is done
    (a big drop in groups, each when its files are back: ``run.groups``). The drop's
    removals go with its last group."""
    from newsmine.run.groups import GROUP_FILES, commit_groups, in_groups

    total = len(plan.process)
    done_before = 0
    removed_by_drop = removals(state.manifest, plan.removed)  # before any drop's commit drops records
    for drop in sorted(plan.affected_drops):
        files = sorted((f for f in plan.process if f.drop == drop), key=lambda f: f.rel_path)
        groups = commit_groups(files, GROUP_FILES, state.store.chunk_files)

        def drop_progress(done: int, _total: int, offset: int = done_before, grand: int = total) -> None:
            if state.progress:
                state.progress(offset + done, grand)

        batches = [batch for group in groups for batch in _batches(group, state.options.files_per_batch)]
        results = _collect(engine.map(batches, settings), state.summary, drop_progress, len(files))
        for index, done in in_groups(results, groups, _paths):
            last = index == len(groups) - 1
            removed = set(removed_by_drop.get(drop, ())) if last else set()
            paths = {f.rel_path for f in groups[index]}
            commit = DropCommit(state.store, drop, paths, removed, state.sources)
            commit.damaged |= state.repairs.chunks.get(drop, set())  # known lost: not read again
            _prepare(state, commit, engine, settings, done)
            tables, outcomes = _joined(done)
            _commit_drop(state, commit, tables, outcomes)
            _count(state.summary, drop, len(outcomes), tables)
            del tables, done
        done_before += len(files)


def _paths(batch: tuple[dict[str, pa.Table], list[FileOutcome]]) -> list[str]:
    return [outcome.rel_path for outcome in batch[1]]


def _prepare(
    state: _Run, commit: DropCommit, engine: Engine, settings: ProcessSettings,
    done: list[tuple[dict[str, pa.Table], list[FileOutcome]]],
) -> None:
    """Read the chunks the commit rewrites; the other files of a chunk found damaged are
    processed now, with the commit (their stored rows are lost)."""
    extra = commit.prepare()
    state.summary.warnings.extend(commit.warnings)
    if extra:
        files = [state.sources[p] for p in sorted(extra)]
        found = _collect(engine.map(_batches(files, state.options.files_per_batch), settings),
                         state.summary, None, len(files))
        done.extend(found)


def _process(state: _Run, plan: RunPlan, config: PipelineConfig, model: str) -> None:
    """Steps 2 and 3 of a run with work: process every drop, then rebuild people last."""
    from newsmine.people.linking import default_nicknames
    from newsmine.run.engines import make_engine, worker_count
    from newsmine.run.work import ProcessSettings

    options = state.options
    settings = ProcessSettings(
        model=model,
        version=state.version,
        batch_size=options.batch_size or config.batch_size,
        max_bytes=options.max_bytes or config.max_bytes,
        max_chars=config.max_chars,
        languages=state.languages,
        text_field=options.text_field,
        stored_ids=True,
    )
    check_imports()
    workers = worker_count(options.workers, len(plan.process))
    engine = make_engine(options.engine, workers, model, options.scheduler)
    default_nicknames()  # the people step's name data, read now: workers are still loading
    if plan.touched:
        commit_touched(state.store, state.manifest, plan.touched)
    try:
        _process_drops(state, plan, engine, settings)  # drops commit one by one, people last
    finally:
        engine.close()
    _finish_people(state)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Planning makes a few objects per raw file (a path, a record, a tuple), none in a
    cycle; with the model in the heap the collector's passes over them took 40% of a
    40,000-file scan (0.50 -> 0.30 s), so collection waits until the plan is made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _locked_run(options: RunOptions, config: PipelineConfig, model: str, state: _Run) -> None:
    """Everything a run does under the lock: recover, verify, plan, process, commit."""
    store, summary = state.store, state.summary
    if options.repair:
        summary.warnings.extend(reset_unreadable_manifest(store))
    summary.warnings.extend(store.recover())
    summary.warnings.extend(migrate_legacy(store))
    with _gc_paused():
        plan = _plan(state)
    deep = options.repair or store.quarantined  # a quarantined journal may have done anything
    # the shortcut checks parts in turn; a full scan (first run, --full-scan, --repair) all
    shortcut = state.planned is not None and state.planned.shortcut is not None and not deep
    turn, cursor = parts_in_turn(store) if shortcut else (None, None)
    state.repairs = add_repairs(store, state.sources, plan, summary.warnings, deep, turn)
    summary.files_unchanged, summary.files_removed = len(plan.unchanged) + plan.assumed, len(plan.removed)
    if not plan.process and not plan.removed:
        _nothing_to_process(state, plan)
    else:
        _process(state, plan, config, model)
    _remember_scan(state)
    if cursor is not None:
        next_turn(store, cursor)


@contextmanager
def _closing(store: Store) -> Iterator[Store]:
    try:
        yield store
    finally:
        store.close()


def run(options: RunOptions, progress: Progress | None = None) -> RunSummary:
    """Bring ``out_dir`` up to date with ``raw_dir``; returns what was done.

    Environment problems (unwritable ``--out``, a missing model or rule file, a module
    that does not import) raise ``EnvironmentProblem`` with one line to print; they are
    found before anything is written where they can be. A failing disk, a damaged
    manifest or a path outside ``--out`` raise as they are (``run.machine`` explains them),
    carrying the run's warnings as notes.
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
                if exc.errno in DISK_ERRNOS:
                    raise  # the disk, not the setup: run.machine's one line, exit 3
                raise os_problem(options.out_dir, exc) from None
            store = stack.enter_context(_closing(Store(options.out_dir, options.chunk_files)))
            state = _Run(options, store, Manifest(), summary.version, summary, progress,
                         options.languages or config.languages)
            try:
                _locked_run(options, config, model, state)
            except ENVIRONMENT_ERRORS as exc:
                raise environment_problem(exc) from exc
            except BaseException as exc:
                for warning in summary.warnings:  # a quarantined journal is news even if the run fails
                    exc.add_note(f"warning: {warning}")
                raise
    except EnvironmentProblem:
        if created:
            leftovers = {LOCK_NAME, LOCK_NAME + ".guard", MANIFEST_DB}
            remove_if_untouched(options.out_dir, frozenset(leftovers))
        raise
    summary.seconds = time.perf_counter() - started
    return summary
