"""What a full scan need not plan: fingerprints of the raw folder and of each of its drops.

(A run that may skip the scan itself takes ``run.scan_state``'s shortcut instead; a full
scan is a first run, ``--full-scan``, ``check --repair`` or a changed plan key.)

After a completed full run (every drop scanned, nothing left to retry, people up to
date) the runner stores, per drop, a hash of every file's path, size and mtime and of
what else planning depends on (``store.manifest.drop_fingerprints``), and one of the
whole folder. The next full run compares: the folder as left means nothing to plan; a
drop as left means neither its files nor its manifest rows are looked at, so a new drop
beside 40,000 stored articles plans one drop. Each file's own size and mtime are in its
drop's fingerprint, so a file rewritten in place (its folder's mtime unchanged) is
still seen. Any commit forgets the fingerprints (``Store.commit``), so a stored one
always describes the store as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newsmine.store.db import ManifestDB
from newsmine.store.manifest import FileRecord, Manifest, Source, drop_fingerprints, raw_fingerprint
from newsmine.store.parquet import Change, Store


@dataclass
class Prints:
    """The fingerprints of one full scan (empty for a forced or ``--drop`` run)."""

    whole: str = ""
    drops: dict[str, str] = field(default_factory=dict)


def plan_key(version: str, keep_removed: bool, retry_failed: bool, languages: Iterable[str]) -> str:
    """What planning depends on besides the files and the manifest."""
    return f"{version}|{keep_removed}|{retry_failed}|{','.join(sorted(languages))}"


def scanned(files: Iterable[Source], key: str) -> Prints:
    by_drop = drop_fingerprints(files, key)
    return Prints(raw_fingerprint(by_drop), by_drop)


def folder_unchanged(db: ManifestDB, prints: Prints) -> bool:
    """The last completed run left exactly this raw folder: the plan is empty."""
    return bool(prints.whole) and prints.whole == db.meta("raw_fingerprint")


def unchanged_drops(db: ManifestDB, prints: Prints) -> tuple[set[str], set[str] | None]:
    """Drops whose files are all as the last completed run left them, and the drops
    planning must read the records of (None: every drop).

    The stored fingerprints name every drop the manifest held then, scanned or not, and
    any commit since forgets them, so the drops outside the first set are all the work.
    """
    stored = json.loads(db.meta("drop_fingerprints") or "{}")
    same = {drop for drop, value in prints.drops.items() if stored.get(drop) == value}
    if not stored or not same:
        return set(), None
    return same, (set(prints.drops) | set(stored)) - same


def remember(store: Store, prints: Prints, retry: Callable[[FileRecord], bool]) -> None:
    """After a run that left the store matching the raw folder, store its fingerprints
    (not after a forced or scoped run, nor while a record would be retried)."""
    db = store.db
    if not prints.whole or db.meta("raw_fingerprint") == prints.whole:
        return
    pending = Manifest.from_rows(db.file_rows("WHERE data != ''"), False).records.values()
    if any(retry(record) for record in pending) or db.people_dirty():
        return
    by_drop = dict.fromkeys(db.drop_names(), "")  # a drop kept although gone: never matches
    by_drop.update(prints.drops)
    meta = {"raw_fingerprint": prints.whole, "drop_fingerprints": json.dumps(by_drop, sort_keys=True)}
    store.commit(Change(delta={"meta": meta}))
