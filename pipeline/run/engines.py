"""Where batches run: in this process, in a pool of worker processes, or on Dask.

Every engine maps ``process_files`` over batches of source files and yields
``BatchResult``s; results may arrive out of order, and the runner sorts rows
before writing, so the tables do not depend on the engine.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Protocol

from newsmine.ingest.files import SourceFile
from newsmine.run.failures import ENVIRONMENT_ERRORS
from newsmine.run.guard import guard_worker
from newsmine.run.work import BatchResult, ProcessSettings

Batch = Sequence[SourceFile]


class Engine(Protocol):
    def map(self, batches: Sequence[Batch], settings: ProcessSettings) -> Iterator[BatchResult]:
        """Process every batch, yielding each result as it completes."""
        ...

    def close(self) -> None: ...


class LocalEngine:
    """One process: the pipeline is loaded once and reused for every batch."""

    def map(self, batches: Sequence[Batch], settings: ProcessSettings) -> Iterator[BatchResult]:
        for batch in batches:
            yield process_batch(batch, settings)

    def close(self) -> None:
        pass


def process_batch(batch: Batch, settings: ProcessSettings) -> BatchResult:
    """``run.batch.process_files``, imported where the batch runs: a pool's parent never
    loads spaCy (``run.work``), and a pool pickles this function by name."""
    from newsmine.run.batch import process_files

    return process_files(batch, settings)


def warm_worker(model: str | None) -> bool:
    """Load the pipeline in a worker before its first batch arrives (pool and Dask alike).

    An environment error (a missing rule file) is left for the first batch to raise
    again: raised here it would break the pool and lose its message.
    """
    try:
        from newsmine.run.batch import get_pipeline

        get_pipeline(model)
    except ENVIRONMENT_ERRORS:
        return False
    return True


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, not just the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int | None, n_files: int) -> int:
    """``--workers`` as asked; else ``NEWSMINE_WORKERS`` if set; else one per core when more
    than one file is new (never more workers than files: a file is the smallest unit of work)."""
    if requested:
        return requested
    preset = os.environ.get("NEWSMINE_WORKERS", "").strip()
    if preset:
        if not preset.isdigit() or int(preset) < 1:
            raise ValueError(f"NEWSMINE_WORKERS={preset!r}: expected a whole number of workers, 1 or more")
        return int(preset)
    return max(1, min(available_cores(), n_files))


def balanced(batches: Sequence[Batch], workers: int, smallest: int = 4) -> list[list[SourceFile]]:
    """The same batches, the later ones cut smaller, so workers finish together.

    Workers take batches as they come free, so the run ends when the last batch does:
    with equal batches (of 64 files, when measured) one worker could idle for a whole batch (~5% of a
    BBC-sized run on two workers). A batch is cut into pieces of at most the remaining
    files over twice the workers (never below ``smallest``); batches are never merged.
    """
    remaining = sum(len(batch) for batch in batches)
    out: list[list[SourceFile]] = []
    for batch in batches:
        start = 0
        while start < len(batch):
            size = max(smallest, math.ceil(remaining / (2 * workers)))
            piece = list(batch[start : start + size])
            out.append(piece)
            start += len(piece)
            remaining -= len(piece)
    return out


def start_worker(parent_pid: int, model: str | None) -> bool:
    """A local worker's first step: die with the run (``run.guard``), then load the model."""
    guard_worker(parent_pid)
    return warm_worker(model)


class PoolEngine:
    """``workers`` processes, each loading the pipeline once (spawned, so no forked model state).

    Created from the main thread: the workers' parent-death signal fires when the
    thread that started them exits.
    """

    def __init__(self, workers: int, model: str | None) -> None:
        context = multiprocessing.get_context("spawn")
        self.workers = workers
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=start_worker, initargs=(os.getpid(), model)
        )

    def map(self, batches: Sequence[Batch], settings: ProcessSettings) -> Iterator[BatchResult]:
        futures = [
            self._pool.submit(process_batch, batch, settings)
            for batch in balanced(batches, self.workers)
        ]
        for future in as_completed(futures):
            yield future.result()

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


def make_engine(name: str, workers: int, model: str | None, scheduler: str | None = None) -> Engine:
    """The engine a run asked for; ``local`` with ``workers > 1`` uses a process pool."""
    if name == "dask":
        from newsmine.run.dask_engine import DaskEngine

        return DaskEngine(scheduler=scheduler, workers=workers, model=model)
    if name != "local":
        raise ValueError(f"unknown engine {name!r} (choose local or dask)")
    return LocalEngine() if workers <= 1 else PoolEngine(workers, model)
