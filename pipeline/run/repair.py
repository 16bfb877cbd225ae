"""The run's housekeeping steps around the work: the output folder, old stores, damage.

* :func:`prepare_out_dir`: ``--out`` must be a folder (made if missing).
* :func:`migrate_legacy`: a store written by newsmine 0.1 (one ``_manifest.json``, hive
  ``drop=`` folders) is cleared in one commit; the run then rebuilds it, since the
  pipeline version changed with the schema anyway.
* :func:`add_repairs`: every run compares each committed part with the size the
  manifest recorded; the files of a damaged chunk are reprocessed (reason ``repair``)
  and a damaged people table is rewritten, each reported by path.
* :func:`commit_touched`: files whose content hash matched despite a new mtime get
  their new stat recorded, so the next run does not hash them again.
"""

from __future__ import annotations

import errno
from collections import defaultdict
from collections.abc import Collection, Mapping
from pathlib import Path

from newsmine.store.db import file_row
from newsmine.store.manifest import Manifest, RunPlan, Source
from newsmine.store.parquet import TABLE_FOLDERS, Change, Store
from newsmine.store.paths import LEGACY_MANIFEST, PEOPLE


def prepare_out_dir(out_dir: Path) -> None:
    """Make ``out_dir`` if needed; a file (or anything but a folder) there is an error."""
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)


def removals(manifest: Manifest, removed: Collection[str]) -> dict[str, list[str]]:
    """Removed paths by drop, taken before any drop's commit forgets their records."""
    by_drop: dict[str, list[str]] = defaultdict(list)
    for path in removed:
        by_drop[manifest.records[path].drop].append(path)
    return by_drop


def migrate_legacy(store: Store) -> list[str]:
    """Clear a newsmine 0.1 store (its parts are in no manifest row) for a rebuild."""
    legacy = store.out_dir / LEGACY_MANIFEST
    if not legacy.is_file() and not legacy.is_symlink():
        return []
    registered = {p.path for p in store.parts()}
    stray = []
    for table in TABLE_FOLDERS:
        root = store.out_dir / table
        pattern = "part-*.parquet" if table == PEOPLE else "*/part-*.parquet"
        if root.is_dir() and not root.is_symlink():
            stray += [p.relative_to(store.out_dir).as_posix() for p in sorted(root.glob(pattern))]
    stray = [rel for rel in stray if rel not in registered]
    if stray:
        store.commit(Change(extra_deletes=stray))
    store.confined.check(legacy).unlink()
    return [f"{store.out_dir}: a store of newsmine 0.1, cleared ({len(stray)} part files); rebuilding it"]


def add_repairs(store: Store, sources: Mapping[str, Source], plan: RunPlan, notices: list[str]) -> bool:
    """Put the files of every chunk whose part is missing or resized into ``plan``.

    Returns whether the people table itself is damaged (it is then rewritten).
    """
    people_damaged = False
    process = {f.rel_path for f in plan.process}
    removed = set(plan.removed)
    for damage in store.damaged():
        notices.append(f"{damage.line(store.out_dir)}; rebuilding it")
        if damage.part.table == PEOPLE:
            people_damaged = True
            continue
        rows = store.db.file_rows("WHERE drop_name = ? AND chunk = ?", (damage.part.drop, damage.part.chunk))
        for row in rows:
            if row.rel_path in process or row.rel_path in removed:
                continue
            if row.rel_path in sources:
                plan.process.append(sources[row.rel_path])
                plan.reasons[row.rel_path] = "repair"
                process.add(row.rel_path)
            else:  # kept although missing (--keep-removed): its rows are lost with the part
                plan.removed.append(row.rel_path)
                removed.add(row.rel_path)
                notices.append(f"{row.rel_path}: no longer in the raw folder; its rows are dropped")
            plan.affected_drops.add(row.drop_name)
    plan.unchanged = [f for f in plan.unchanged if f.rel_path not in process]
    plan.kept_missing = [p for p in plan.kept_missing if p not in removed]
    return people_damaged


def commit_touched(store: Store, manifest: Manifest, touched: Collection[str]) -> None:
    """Record the refreshed stat of files whose bytes did not change."""
    rows = []
    for path in sorted(touched):
        stored = store.db.file_rows("WHERE rel_path = ?", (path,))
        if stored:
            rows.append(file_row(manifest.records[path], stored[0].chunk, bool(stored[0].boundary)))
    if rows:
        store.commit(Change(delta={"files_put": rows}))

