"""What ``newsmine status`` reports per drop, computed without loading spaCy."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from newsmine.ingest.files import discover
from newsmine.nlp.config import read_config, resolve_model
from newsmine.run.runner import current_version
from newsmine.store.manifest import Manifest, plan_run


@dataclass(frozen=True)
class DropStatus:
    drop: str
    files: int
    processed: int
    pending: int
    removed: int
    failed: int
    stored_version: str | None
    up_to_date: bool


def drop_status(raw_dir: Path, out_dir: Path, model: str | None = None) -> list[DropStatus]:
    """One row per drop seen in the raw folder or in the stored manifest."""
    manifest = Manifest.load(out_dir)
    version = current_version(resolve_model(model, read_config()))
    files = discover(raw_dir)
    plan = plan_run(files, manifest, version)
    seen = Counter(f.drop for f in files)
    pending = Counter(f.drop for f in plan.process)
    removed = Counter(manifest.records[p].drop for p in plan.removed)
    drops = sorted(set(seen) | {r.drop for r in manifest.records.values()})
    rows = []
    for drop in drops:
        records = [r for r in manifest.records.values() if r.drop == drop]
        versions = sorted({r.pipeline_version for r in records})
        rows.append(
            DropStatus(
                drop=drop,
                files=seen[drop],
                processed=len(records),
                pending=pending[drop],
                removed=removed[drop],
                failed=sum(r.n_failed for r in records),
                stored_version=", ".join(versions) if versions else None,
                up_to_date=pending[drop] == 0 and removed[drop] == 0,
            )
        )
    return rows
