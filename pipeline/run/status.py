"""What ``newsmine status`` reports per drop, computed without loading spaCy.

Besides the per-drop counts it totals what the stored manifest says about failed and
skipped documents, by reason, and what discovery leaves unread, so nothing is silent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from newsmine.ingest.files import scan
from newsmine.nlp.config import read_config, resolve_model
from newsmine.run.failures import retry_predicate
from newsmine.run.version import current_version
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
    skipped: int = 0


@dataclass
class StatusReport:
    """Every drop's status plus totals by reason; ``version`` is what a run would stamp."""

    version: str
    drops: list[DropStatus] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    not_read: Counter[str] = field(default_factory=Counter)


def status_report(raw_dir: Path, out_dir: Path, model: str | None = None) -> StatusReport:
    """One row per drop seen in the raw folder or in the stored manifest, and the totals."""
    manifest = Manifest.load(out_dir)
    config = read_config()
    report = StatusReport(version=current_version(resolve_model(model, config)))
    found = scan(raw_dir, exclude=[out_dir])
    plan = plan_run(found.files, manifest, report.version, retry=retry_predicate(False, config.languages))
    seen = Counter(f.drop for f in found.files)
    pending = Counter(f.drop for f in plan.process)
    removed = Counter(manifest.records[p].drop for p in plan.removed)
    for record in manifest.records.values():
        report.failures.update(record.failures or ({"unknown": record.n_failed} if record.n_failed else {}))
        report.skipped.update(record.skipped)
    report.not_read.update(skip.reason.split(" (", 1)[0] for skip in found.skipped)
    for drop in sorted(set(seen) | {r.drop for r in manifest.records.values()}):
        records = [r for r in manifest.records.values() if r.drop == drop]
        versions = sorted({r.pipeline_version for r in records})
        report.drops.append(
            DropStatus(
                drop=drop,
                files=seen[drop],
                processed=len(records),
                pending=pending[drop],
                removed=removed[drop],
                failed=sum(r.n_failed for r in records),
                stored_version=", ".join(versions) if versions else None,
                up_to_date=pending[drop] == 0 and removed[drop] == 0,
                skipped=sum(sum(r.skipped.values()) for r in records),
            )
        )
    return report


def drop_status(raw_dir: Path, out_dir: Path, model: str | None = None) -> list[DropStatus]:
    """One row per drop (see :func:`status_report` for the totals by reason)."""
    return status_report(raw_dir, out_dir, model).drops
