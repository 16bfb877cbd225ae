"""Step 1 of a run: compare the raw folder with the manifest, touching what changed.

Two ways to the same plan:

* **full scan** (a first run, ``--force``, ``--drop``, ``--full-scan``, a new plan key):
  every file is stat-ed; drop fingerprints (``run.fingerprints``) still spare the
  manifest reads of drops as the last run left them;
* **shortcut** (``run.scan_state``): settled drops are not listed, listed drops stat only
  the names the manifest does not trust, and a slice of known files is re-stat-ed. The
  files it does not stat are counted as unchanged and reach the run through
  :class:`Sources`, which stats a file only when a repair asks for it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsmine.ingest.files import Discovery, Skipped, SourceFile, drop_of, scan
from newsmine.run import scan_state
from newsmine.run.failures import retry_predicate
from newsmine.run.fingerprints import Prints, folder_unchanged, plan_key, scanned, unchanged_drops
from newsmine.store.manifest import Manifest, RunPlan, plan_run


class Sources(dict):
    """The scanned files by path. A file the shortcut listed without a stat (or did not
    list: a settled drop) is stat-ed when asked for, as a repair of its chunk does."""

    def __init__(self, raw_dir: Path, files: Iterable[SourceFile], lazy: bool = False) -> None:
        super().__init__((f.rel_path, f) for f in files)
        self.root = Path(raw_dir).resolve()
        self.lazy = lazy  # False: every file was stat-ed, there is nothing more to find

    def _load(self, rel_path: str) -> SourceFile | None:
        if not self.lazy:
            return None
        path = self.root / rel_path
        try:
            st = os.stat(path)
            inside = not path.is_symlink() or self.root in path.resolve(strict=True).parents
        except (OSError, RuntimeError):
            return None
        if not stat.S_ISREG(st.st_mode) or not inside:  # what the scan would refuse to read
            return None
        found = SourceFile(drop_of(rel_path), path, rel_path, st.st_size, st.st_mtime_ns)
        self[rel_path] = found
        return found

    def __contains__(self, rel_path: object) -> bool:
        if dict.__contains__(self, rel_path):
            return True
        return isinstance(rel_path, str) and self._load(rel_path) is not None

    def __missing__(self, rel_path: str) -> SourceFile:
        found = self._load(rel_path)
        if found is None:
            raise KeyError(rel_path)
        return found


@dataclass
class Planned:
    """A plan and what the run needs of the scan behind it."""

    plan: RunPlan
    manifest: Manifest
    sources: Sources
    prints: Prints = field(default_factory=Prints)
    seen: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    found: Discovery | None = None  # a full run's scan, for the next run's shortcut
    shortcut: scan_state.Shortcut | None = None
    started: int = 0  # when the scan began (wall clock, ns): folders changed after are not trusted


def plan(state) -> Planned:  # noqa: ANN001 - runner._Run (imported there, not here)
    """The run's plan: through the shortcut when the last full scan allows it."""
    options = state.options
    key = plan_key(state.version, options.keep_removed, options.retry_failed, state.languages)
    full = options.drops is None and not options.force
    retry = retry_predicate(options.retry_failed, state.languages)
    started = scan_state.started()
    cut = None
    if full and not options.full_scan and not options.repair:
        cut = scan_state.shortcut(state.store.db, options.raw_dir, key, state.version, retry)
    if cut is not None:
        planned = _through(state, cut)
    else:
        found = scan(options.raw_dir, options.drops, exclude=[options.out_dir])
        planned = _scanned(state, found, key if full else None)
        planned.found = found if full else None
    planned.started = started
    return planned


def _through(state, cut: scan_state.Shortcut) -> Planned:  # noqa: ANN001
    """The shortcut's plan: only the stat-ed files, and the known ones gone, are planned."""
    options, db = state.options, state.store.db
    found = scan(options.raw_dir, None, exclude=[options.out_dir], known=cut.known)
    statted = {f.rel_path for f in found.files}
    assert cut.records is not None
    gone: set[str] = set()
    for drop in set(db.drop_names()) - set(cut.settled):
        gone |= cut.records.gone(drop, found, statted)
    look = statted | gone
    records = db.file_rows("WHERE rel_path IN ({marks})", look, many=True) if look else []
    manifest = Manifest.from_rows(records, db.people_dirty())
    planned = _planned(state, found.files, manifest)
    assumed = sum(len(p) for p in found.assumed.values()) + sum(e["files"] for e in cut.settled.values())
    planned.seen = len(found.files) + assumed
    planned.plan.assumed = assumed
    planned.sources = Sources(options.raw_dir, found.files, lazy=True)
    planned.skipped = found.skipped + [Skipped(drop, rel, reason) for drop, entry in cut.settled.items()
                                       for rel, reason in entry["skipped"]]
    planned.found, planned.shortcut = found, cut
    return planned


def _planned(state, files: list[SourceFile], manifest: Manifest) -> Planned:  # noqa: ANN001
    options = state.options
    plan = plan_run(
        files, manifest, state.version, force=options.force, drops=options.drops,
        keep_removed=options.keep_removed, retry=retry_predicate(options.retry_failed, state.languages),
    )
    return Planned(plan, manifest, Sources(options.raw_dir, files), seen=len(files))


def _scanned(state, found: Discovery, key: str | None) -> Planned:  # noqa: ANN001
    """A full scan's plan (every file stat-ed); ``key``: a full run's plan key (fingerprints)."""
    options, db = state.options, state.store.db
    files = found.files
    prints = scanned(files, key) if key is not None else Prints()
    if folder_unchanged(db, prints):  # the last run left exactly this folder: nothing to plan
        planned = Planned(RunPlan(unchanged=list(files)), Manifest(people_stale=db.people_dirty()),
                          Sources(options.raw_dir, files), prints, len(files), found.skipped)
        return planned
    unchanged: list[SourceFile] = []
    if options.force:
        manifest = Manifest.from_db(db)
    else:  # leave out what SQLite or a drop's fingerprint finds unchanged: cheap when little changed
        same, scope = unchanged_drops(db, prints)
        look = [f for f in files if f.drop not in same] if same else files
        manifest, unchanged = Manifest.narrowed(db, look, state.version, scope)
        if same:
            unchanged = [*unchanged, *(f for f in files if f.drop in same)]
        if options.drops is not None:
            unchanged = [f for f in unchanged if f.drop in options.drops]
    known = {f.rel_path for f in unchanged}
    planned = _planned(state, [f for f in files if f.rel_path not in known], manifest)
    planned.plan.unchanged = sorted([*planned.plan.unchanged, *unchanged], key=lambda f: f.rel_path)
    planned.prints, planned.seen, planned.skipped = prints, len(files), found.skipped
    planned.sources = Sources(options.raw_dir, files)
    return planned


def remember(state, planned: Planned) -> None:  # noqa: ANN001
    """After a completed full run: store what its scan saw, for the next run's shortcut."""
    if planned.found is None:
        return
    options = state.options
    key = plan_key(state.version, options.keep_removed, options.retry_failed, state.languages)
    entries = scan_state.drop_entries(planned.found, planned.started)
    cursor = None
    if planned.shortcut is not None:
        entries = {**planned.shortcut.settled, **entries}
        cursor = planned.shortcut.cursor
    scan_state.remember(state.store.db, key, planned.found, entries, cursor, planned.started)
