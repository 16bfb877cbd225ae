"""What a run need not look at again: the folders its last completed full scan listed.

Stat-ing every raw file made one new article cost the size of the store: over 40,000
stored articles the scan alone took 0.62 of a 0.65 s run (0.13 s over 10,000). After
each completed full run the runner stores, per drop, the signature of every folder of
the drop (inode, mtime, ctime: ``ingest.files.signature``), how many files it held and
what it left out. The next full run with the same plan key:

* does not list a drop whose folders all keep their signature (**settled**): adding,
  removing or renaming a file moves its folder's mtime and ctime, so the drop holds the
  files the manifest has;
* lists a drop that changed, but stats only the names the manifest does not know (or
  knows with a failure or another version): a new article in a drop of 40,000 costs a
  listing, not 40,000 stats;
* re-stats :data:`VERIFY_FILES` known files in turn (a cursor through the manifest),
  because the one change a folder does not show is a file rewritten in place. A store
  of up to that many files is checked whole on every run, as before; a larger one
  within ``files / VERIFY_FILES`` runs; ``newsmine run --full-scan`` stats every file.

A folder whose times lie within :data:`TRUST_NS` of the scan is not stored: timestamps
are coarse, and a file added in the same tick would leave them as they were. A file
whose mtime lies that close may still be being written: it is stat-ed again next run.
A name is trusted only with the inode the last scan listed (the drop's *record*): a file
renamed over it, or deleted and added again, is read. A record holds only files that
have a manifest row once the run that wrote it has committed (:func:`remember` checks
the ones it stat-ed), so while the manifest holds as many rows for the drop as the
record has names, the two name the same files, and a listed drop is compared with its
record without reading its rows (:class:`Records`). A drop that
left out an entry for a reason outside its names (a broken symlink, an unreadable
folder) is listed every run. The state is valid only while ``raw_fingerprint`` holds
its token: any commit (of any newsmine version) clears that, and only a completed full
run writes it back, so an interrupted or scoped run leaves the next run a full scan.
"""

from __future__ import annotations

import array
import hashlib
import json
import os
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsmine.ingest.files import ROOT_DROP, Discovery, Known, below_drop, drop_of, signature
from newsmine.store.db import ManifestDB
from newsmine.store.manifest import FileRecord, Manifest

STATE_KEY = "scan_state"
CURSOR_KEY = "verify_cursor"
INODES_KEY = "scan_inodes/"  # + drop: the drop's record, its files and inodes as last listed
TOKEN_KEY = "raw_fingerprint"  # cleared by every commit (store.parquet.Store.commit)
VERIFY_FILES = 2_000
TRUST_NS = 3_000_000_000
MAX_SKIPPED = 100  # a drop that leaves out more is listed every run (its list is not stored)


@dataclass
class Shortcut:
    """What this run takes from the last scan, and what it must write back."""

    known: Known
    settled: dict[str, dict] = field(default_factory=dict)  # drop -> its stored entry
    cursor: str = ""
    records: Records | None = None


def started() -> int:
    return time.time_ns()


def load(db: ManifestDB, key: str) -> dict[str, dict]:
    """The stored drops of the last completed full scan, or none when planning changed
    since or a commit came after it."""
    text = db.meta(STATE_KEY) or ""
    try:
        state = json.loads(text) if text else {}
    except ValueError:
        return {}
    if state.get("key") != key or db.meta(TOKEN_KEY) != _token(state):
        return {}
    return state.get("drops", {})


def _token(state: dict) -> str:
    return "scan:" + str(state.get("token", ""))


def encode_inodes(names: Sequence[str], inodes: Sequence[int]) -> str:
    """A drop's record: its files' paths (below the drop folder) joined by NUL, which no
    path holds, then their inodes as the hex of an array of unsigned 64-bit ints. Why not
    JSON: a drop of 40,000 files is written every run it changes and read every run it is
    listed, and JSON cost 10 ms to write and 9 to read there, this 2 and 4."""
    return "\0".join(names) + "\0" + array.array("Q", inodes).tobytes().hex()


def decode_inodes(text: str) -> dict[str, int]:
    """What :func:`encode_inodes` wrote; ``{}`` for anything else (a name then is stat-ed,
    not trusted: never wrong, only slower). No older format to read: records are used
    only under the plan key of the code that wrote them (``load``)."""
    head, _, digits = text.rpartition("\0")
    paths, inodes = head.split("\0"), array.array("Q")
    try:
        inodes.frombytes(bytes.fromhex(digits))
        return dict(zip(paths, inodes, strict=True))
    except ValueError:  # not hex, not whole ints, or not one inode a path
        return {}


def _settled(raw_dir: Path, drops: dict[str, dict], suspects: Collection[str]) -> dict[str, dict]:
    suspect_drops = {drop_of(path) for path in suspects}
    found = {}
    for drop, entry in drops.items():
        if drop in suspect_drops:
            continue
        try:
            same = all(signature(os.stat(raw_dir / rel)) == tuple(sig)
                       for rel, sig in entry["folders"].items())
        except OSError:
            same = False
        if same:
            found[drop] = entry
    return found


def _verify(db: ManifestDB, raw_dir: Path, cursor: str) -> tuple[set[str], str]:
    """Known files whose size or mtime moved (or which are gone), of the next
    :data:`VERIFY_FILES` after ``cursor``; and the cursor for the next run."""
    rows = db.in_turn("files", ("rel_path", "size", "mtime_ns"), cursor, VERIFY_FILES)
    suspects = set()
    for rel_path, size, mtime_ns in rows:
        try:
            st = os.stat(raw_dir / rel_path)
        except OSError:
            suspects.add(rel_path)
            continue
        if (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
            suspects.add(rel_path)
    return suspects, rows[-1][0] if rows else ""


def _retried(db: ManifestDB, retry: Callable[[FileRecord], bool]) -> set[str]:
    """Files whose record a run would redo (a failure that may heal): always planned."""
    pending = Manifest.from_rows(db.file_rows("WHERE data != ''"), False).records.values()
    return {record.rel_path for record in pending if retry(record)}


class Records:
    """Per listed drop, read once a run: the files its record trusts, by path below the
    drop folder (``Known.trusted``), and every file the manifest has of it.

    The record stands for the manifest's rows while their numbers agree (module doc):
    one count by index, no read of 40,000 rows (which cost 0.013 s of a 0.4 s run). When
    they differ (``--keep-removed`` keeps rows of files gone, a record was lost), the
    drop's paths are read and the record is cut to them. Untrusted either way: files
    with a failure or of another version (read by index), and ``suspects``."""

    def __init__(self, db: ManifestDB, version: str, suspects: Collection[str]) -> None:
        self.db, self.version = db, version
        self._suspects: dict[str, set[str]] = {}
        for path in suspects:
            drop = drop_of(path)
            self._suspects.setdefault(drop, set()).add(path[below_drop(drop):])
        self._read: dict[str, tuple[dict[str, int], Collection[str]]] = {}

    def _of(self, drop: str) -> tuple[dict[str, int], Collection[str]]:
        if drop not in self._read:
            record = decode_inodes(self.db.meta(INODES_KEY + drop) or "")
            count = self.db.query("SELECT count(*) FROM files WHERE drop_name = ?", (drop,))[0][0]
            every: Collection[str] = record.keys()
            if count != len(record):
                every = set(drop_paths(self.db, drop))
                record = {path: record[path] for path in record.keys() & every}
            distrust = self._untrusted(drop) | self._suspects.get(drop, set())
            if distrust & record.keys():
                record = {path: inode for path, inode in record.items() if path not in distrust}
            self._read[drop] = record, every
        return self._read[drop]

    def _untrusted(self, drop: str) -> set[str]:
        """By indexes only (``files_by_version``, ``files_extra``); the versions as two
        ranges, since ``!=`` walks the drop's whole index."""
        cut = below_drop(drop) + 1
        rows = self.db.query(
            "SELECT substr(rel_path, ?) FROM files WHERE drop_name = ? AND pipeline_version < ? UNION "
            "SELECT substr(rel_path, ?) FROM files WHERE drop_name = ? AND pipeline_version > ? UNION "
            "SELECT substr(rel_path, ?) FROM files WHERE data != '' AND +drop_name = ?",
            (cut, drop, self.version, cut, drop, self.version, cut, drop))
        return {path for (path,) in rows}

    def trusted(self, drop: str) -> dict[str, int]:
        return self._of(drop)[0]

    def gone(self, drop: str, found: Discovery, statted: Collection[str]) -> set[str]:
        """The manifest's files of ``drop`` that this run did not list, relative to the raw
        folder (``statted``: the listed files it stat-ed, of every drop)."""
        every = self._of(drop)[1]
        listing = found.inodes.get(drop)
        assumed = listing.known_names if listing is not None else []
        if len(assumed) == len(every):  # the files taken as known are a part of every: all of it
            return set()
        cut = below_drop(drop)
        prefix = drop + "/" if cut else ""
        listed = {path[cut:] for path in statted if drop_of(path) == drop}.union(assumed)
        return {prefix + path for path in every if path not in listed}


def drop_paths(db: ManifestDB, drop: str) -> list[str]:
    """Every path the manifest has of ``drop``, below the drop folder (covering index)."""
    rows = db.query("SELECT json_group_array(substr(rel_path, ?)) FROM files WHERE drop_name = ?",
                    (below_drop(drop) + 1, drop))
    return json.loads(rows[0][0])


def shortcut(db: ManifestDB, raw_dir: Path, key: str, version: str,
             retry: Callable[[FileRecord], bool]) -> Shortcut | None:
    """What this full run may skip (None: nothing stored for this plan key, scan it all)."""
    drops = load(db, key)
    if not drops:
        return None
    suspects, cursor = _verify(db, raw_dir, db.meta(CURSOR_KEY) or "")
    suspects |= _retried(db, retry)
    suspects.update(path for entry in drops.values() for path in entry.get("young", ()))
    settled = _settled(raw_dir, drops, suspects)
    records = Records(db, version, suspects)
    return Shortcut(Known(frozenset(settled), records.trusted), settled, cursor, records)


def drop_entries(found: Discovery, scan_started: int) -> dict[str, dict]:
    """The entries to store for the drops this scan listed: only drops whose every folder
    is older than :data:`TRUST_NS`, which leave out at most :data:`MAX_SKIPPED` entries and
    none for a reason outside their names (module doc)."""
    entries: dict[str, dict] = {}
    # by the path's first part, not Skipped.drop: a drop folder that failed is filed under _root
    untrusted = {skip.rel_path.split("/", 1)[0] for skip in found.skipped if skip.notable}
    recent = scan_started - TRUST_NS
    for rel, sig in found.folders.items():
        drop = rel.split("/", 1)[0]
        if max(sig[1], sig[2]) >= recent:
            untrusted.add(drop)
        entry = entries.setdefault(drop, {"folders": {}, "files": 0, "skipped": [], "young": []})
        entry["folders"][rel] = list(sig)
    for source in found.files:
        if source.drop in entries:
            entries[source.drop]["files"] += 1
            if source.mtime_ns >= recent:
                entries[source.drop]["young"].append(source.rel_path)
    for drop, paths in found.assumed.items():
        if drop in entries:
            entries[drop]["files"] += len(paths)
    for skip in found.skipped:
        if skip.drop in entries:
            entries[skip.drop]["skipped"].append([skip.rel_path, skip.reason])
    return {drop: entry for drop, entry in entries.items()
            if drop != ROOT_DROP and drop not in untrusted and len(entry["skipped"]) <= MAX_SKIPPED}


def remember(
    db: ManifestDB, key: str, found: Discovery, entries: dict[str, dict], cursor: str | None,
    scan_started: int,
) -> None:
    """Store the drops of a completed full scan, the records of the drops it listed and the
    verification cursor, and the token that makes them valid. Outside any table commit:
    they describe the raw folder, not the rows."""
    if not entries:  # nothing to skip next time: leave the fingerprints (run.fingerprints) be
        if db.meta(STATE_KEY):
            db.apply({"meta": {STATE_KEY: ""}})
        return
    state = {"key": key, "drops": entries}
    text = json.dumps(state, sort_keys=True, separators=(",", ":"))
    state["token"] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    meta = {STATE_KEY: json.dumps(state, sort_keys=True, separators=(",", ":")), TOKEN_KEY: _token(state)}
    if cursor is not None:
        meta[CURSOR_KEY] = cursor
    records = _records(db, found, scan_started)
    for stale in _recorded(db) - records.keys() - entries.keys():  # a drop gone: its record with it
        records[stale] = ""
    if records or any(db.meta(name) != value for name, value in meta.items()):
        db.apply({"meta": {**meta, **{INODES_KEY + drop: text for drop, text in records.items()}}})


def _records(db: ManifestDB, found: Discovery, scan_started: int) -> dict[str, str]:
    """The record of each listed drop: the files taken as known (the last record vouched
    for them, and the run did not touch them) and those it stat-ed that now have a
    manifest row, unless written too recently to trust (they are stat-ed again)."""
    recent = scan_started - TRUST_NS
    old_enough = {source.rel_path for source in found.files if source.mtime_ns < recent}
    texts = {}
    for drop, listing in found.inodes.items():
        if drop == ROOT_DROP:
            continue
        prefix = drop + "/"
        statted = [name for name in listing.new if prefix + name in old_enough]
        kept = _with_rows(db, drop, statted)
        names = [name for name in statted if name in kept]
        texts[drop] = encode_inodes(listing.known_names + names,
                                    listing.known_inodes + [listing.new[name] for name in names])
    return texts


def _with_rows(db: ManifestDB, drop: str, names: list[str]) -> set[str]:
    """Which of ``names`` (below the folder of ``drop``) the manifest has a row of."""
    if len(names) > 5_000:  # a full scan of a big drop: one read of the drop, not 500 at a time
        return set(drop_paths(db, drop)).intersection(names)
    return {path[len(drop) + 1:] for path in db.stored_paths(f"{drop}/{name}" for name in names)}


def _recorded(db: ManifestDB) -> set[str]:
    """The drops with a record (written or emptied: an empty one trusts nothing)."""
    rows = db.query("SELECT key FROM meta WHERE key > ? AND key < ? AND value != ''",
                    (INODES_KEY, INODES_KEY[:-1] + chr(ord(INODES_KEY[-1]) + 1)))
    return {name[len(INODES_KEY):] for (name,) in rows}
