"""The Dask engine: batches of files go to a Dask cluster, plain rows come back.

``newsmine run --engine dask`` without ``--scheduler`` starts a ``LocalCluster`` of
``--workers`` single-threaded worker processes on this machine; with
``--scheduler tcp://host:8786`` it submits to an existing cluster instead::

    dask scheduler                                   # on the scheduler host
    dask worker tcp://host:8786 --nworkers 2 --nthreads 1   # on every worker host
    newsmine run /shared/raw --out /shared/out --engine dask --scheduler tcp://host:8786

What travels is small: a task carries a batch of ``SourceFile`` records (paths, not
bytes) and the ``ProcessSettings``; a result is a ``BatchResult`` of plain rows. So
for a remote cluster the raw folder must be readable by every worker **at the same
absolute path** (a shared filesystem: NFS, a mounted bucket, the same container
volume), and every worker needs newsmine and the base model installed. The output
folder is only written by the process that runs ``newsmine run``.

Each worker process loads the pipeline once (``run.batch.get_pipeline`` caches it per
process) and reuses it for every batch it is given. Workers should run one thread
each (``--nthreads 1``): spaCy releases little of the GIL, and two threads in one
process would share one cached ``Language`` object.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from newsmine.ingest.files import SourceFile
from newsmine.run.engines import process_batch, warm_worker
from newsmine.run.guard import guard_worker
from newsmine.run.work import BatchResult, ProcessSettings


class DaskEngine:
    """Run ``process_files`` (through ``engines.process_batch``, so this process needs no
    spaCy) on a Dask cluster: a new ``LocalCluster`` or the one at ``scheduler``."""

    def __init__(self, scheduler: str | None, workers: int, model: str | None) -> None:
        from distributed import Client, LocalCluster

        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=max(1, workers),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # Dask's own memory manager pauses or restarts workers on a guess of the
                # limit; newsmine bounds its memory by batch size, so leave that to us.
                memory_limit=0,
            )
            self._client = Client(self._cluster)
        if self._cluster is not None:  # our own workers die with this process, as the pool's do
            self._client.run(guard_worker, os.getpid())
        # Load the model on every current worker up front, as the process pool does.
        self._client.run(warm_worker, model)

    def map(
        self, batches: Sequence[Sequence[SourceFile]], settings: ProcessSettings
    ) -> Iterator[BatchResult]:
        from distributed import as_completed

        futures = [
            self._client.submit(process_batch, list(batch), settings, pure=False)
            for batch in batches
        ]
        try:
            for future in as_completed(futures):
                result = future.result()
                future.release()
                yield result
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
