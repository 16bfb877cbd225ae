"""The run's housekeeping steps around the work: old stores, damage, refreshed stats.

* :func:`migrate_legacy`: a store written by newsmine 0.1 (one ``_manifest.json``, hive
  ``drop=`` folders) is cleared in one commit; the run then rebuilds it, since the
  pipeline version changed with the schema anyway.
* :func:`add_repairs`: a run compares committed parts with the size the manifest
  recorded (all of them, or, when planning took the shortcut, people's and the next
  :data:`VERIFY_PARTS` in turn: :func:`parts_in_turn`; a chunk a run rewrites is read
  and checked anyway); the files of a damaged chunk are reprocessed (reason ``repair``)
  and a damaged people table is rewritten, each reported by path.
* :func:`reset_unreadable_manifest` (``check --repair``): a manifest that cannot be
  read is moved aside and the tables are rebuilt from the raw folder.
* :func:`commit_touched`: files whose content hash matched despite a new mtime get
  their new stat recorded, so the next run does not hash them again.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsmine.store.db import PART_COLUMNS, ManifestError, file_row
from newsmine.store.manifest import Manifest, RunPlan, Source
from newsmine.store.parquet import TABLE_FOLDERS, Change, PartRecord, Store
from newsmine.store.paths import JOURNAL_NAME, LEGACY_MANIFEST, MANIFEST_DB, PEOPLE


def removals(manifest: Manifest, removed: Collection[str]) -> dict[str, list[str]]:
    """Removed paths by drop, taken before any drop's commit forgets their records."""
    by_drop: dict[str, list[str]] = defaultdict(list)
    for path in removed:
        by_drop[manifest.records[path].drop].append(path)
    return by_drop


def sweep_unregistered(store: Store) -> int:
    """Delete the part files of table folders that no manifest row names (one commit).

    They are what a store of newsmine 0.1 or a quarantined manifest leaves: rows the
    manifest does not describe, which the run then rebuilds from the raw folder.
    """
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
    return len(stray)


def migrate_legacy(store: Store) -> list[str]:
    """Clear a newsmine 0.1 store (its parts are in no manifest row) for a rebuild."""
    legacy = store.out_dir / LEGACY_MANIFEST
    if not legacy.is_file() and not legacy.is_symlink():
        return []
    swept = sweep_unregistered(store)
    store.confined.check(legacy).unlink()
    return [f"{store.out_dir}: a store of newsmine 0.1, cleared ({swept} part files); rebuilding it"]


def reset_unreadable_manifest(store: Store) -> list[str]:
    """``check --repair``: an unreadable manifest (and its pending journal) is moved aside,
    and the tables it described are rebuilt from the raw folder."""
    try:
        store.db.meta("format")
        return []
    except ManifestError as exc:
        why = exc
    store.close()
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    moved = []
    for name in (MANIFEST_DB, MANIFEST_DB + "-journal", JOURNAL_NAME):
        path = store.confined.check(store.out_dir / name)
        if path.exists():
            os.replace(path, path.with_name(f"{name}.quarantined-{stamp}"))
            moved.append(name)
    swept = sweep_unregistered(store)
    return [f"{why}; moved aside ({', '.join(moved)} -> *.quarantined-{stamp}), {swept} part files cleared, "
            "rebuilding the tables from the raw folder"]


VERIFY_PARTS = 256  # a store of up to that many parts (about 6,000 articles) is checked whole
PARTS_CURSOR = "verify_parts_cursor"


def parts_in_turn(store: Store) -> tuple[list[PartRecord], str]:
    """People's parts and the next :data:`VERIFY_PARTS` others after the last run's (a
    store's cost per run then does not grow with it; ``newsmine check`` checks all), and
    the cursor a completed run stores (:func:`next_turn`)."""
    db = store.db
    rows = db.in_turn("parts", PART_COLUMNS, db.meta(PARTS_CURSOR) or "", VERIFY_PARTS)
    parts = [PartRecord(*row) for row in rows]
    seen = {p.path for p in parts}
    return parts + [p for p in store.parts(PEOPLE) if p.path not in seen], parts[-1].path if parts else ""


def next_turn(store: Store, cursor: str) -> None:
    """After a completed run: the next run checks the parts after ``cursor`` (a run that
    stops first checks the same parts again)."""
    if store.db.meta(PARTS_CURSOR) != cursor:
        store.db.apply({"meta": {PARTS_CURSOR: cursor}})


@dataclass
class Repairs:
    """What verification found: a damaged people table, damaged chunks by drop."""

    people: bool = False
    chunks: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def add_repairs(
    store: Store, sources: Mapping[str, Source], plan: RunPlan, notices: list[str], deep: bool = False,
    parts: list[PartRecord] | None = None,
) -> Repairs:
    """Put the files of every chunk whose part (of ``parts``; None: all) is missing,
    resized or not Parquet (``deep``: whose checksum differs) into ``plan``; the people
    table is then rewritten if damaged."""
    found = Repairs()
    process = {f.rel_path for f in plan.process}
    removed = set(plan.removed)
    repaired = 0
    for damage in store.damaged(deep=deep, parts=parts):
        notices.append(f"{damage.line(store.out_dir)}; rebuilding it")
        if damage.part.table == PEOPLE:
            found.people = True
            continue
        if damage.part.chunk in found.chunks[str(damage.part.drop)]:
            continue
        found.chunks[str(damage.part.drop)].add(str(damage.part.chunk))
        rows = store.db.file_rows("WHERE drop_name = ? AND chunk = ?", (damage.part.drop, damage.part.chunk))
        for row in rows:
            if row.rel_path in process or row.rel_path in removed:
                continue
            if row.rel_path in sources:
                plan.process.append(sources[row.rel_path])
                plan.reasons[row.rel_path] = "repair"
                process.add(row.rel_path)
                repaired += 1
            else:  # kept although missing (--keep-removed): its rows are lost with the part
                plan.removed.append(row.rel_path)
                removed.add(row.rel_path)
                notices.append(f"{row.rel_path}: no longer in the raw folder; its rows are dropped")
            plan.affected_drops.add(row.drop_name)
    listed = len(plan.unchanged)
    plan.unchanged = [f for f in plan.unchanged if f.rel_path not in process]
    plan.assumed -= repaired - (listed - len(plan.unchanged))  # the rest were not listed one by one
    plan.kept_missing = [p for p in plan.kept_missing if p not in removed]
    return found


def commit_touched(store: Store, manifest: Manifest, touched: Collection[str]) -> None:
    """Record the refreshed stat of files whose bytes did not change."""
    rows = []
    for path in sorted(touched):
        stored = store.db.file_rows("WHERE rel_path = ?", (path,))
        if stored:
            rows.append(file_row(manifest.records[path], stored[0].chunk, bool(stored[0].boundary)))
    if rows:
        store.commit(Change(delta={"files_put": rows}))



def check_store(out_dir: Path) -> tuple[int, list[str]]:
    """``newsmine check``: (parts checked, one line per problem), changing nothing.

    Every committed part is compared with its size and sha256 in the manifest; a pending
    or damaged journal and part files no manifest row names are reported too.
    """
    from newsmine.store.journal import JournalDamaged, read_journal
    from newsmine.store.paths import OutsideOutput

    store = Store(out_dir, readonly=True)
    problems = []
    try:
        if (out_dir / JOURNAL_NAME).exists():
            try:
                read_journal(store.confined, TABLE_FOLDERS)
                problems.append(f"{out_dir / JOURNAL_NAME}: an interrupted commit; the next run finishes it")
            except (JournalDamaged, OutsideOutput) as exc:
                problems.append(f"{out_dir / JOURNAL_NAME}: {exc}; the next run quarantines it")
        parts = store.parts()
        problems += [d.line(out_dir) for d in store.damaged(deep=True)]
        registered = {p.path for p in parts}
        for table in TABLE_FOLDERS:
            for path in sorted((out_dir / table).glob("**/*.parquet")):
                if path.relative_to(out_dir).as_posix() not in registered:
                    problems.append(f"{path}: a part file the manifest does not name")
        return len(parts), problems
    finally:
        store.close()
