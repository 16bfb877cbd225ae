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
A name the manifest knows is trusted only with the inode the last scan listed (stored
per drop): a file renamed over it, or deleted and added again, is read. A drop that
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
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from newsmine.ingest.files import ROOT_DROP, Discovery, Known, drop_of, signature
from newsmine.store.db import ManifestDB
from newsmine.store.manifest import FileRecord, Manifest

STATE_KEY = "scan_state"
CURSOR_KEY = "verify_cursor"
INODES_KEY = "scan_inodes/"  # + drop: the drop's files and inodes as last listed (``encode_inodes``)
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
    paths: DropPaths | None = None


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


def encode_inodes(inodes: dict[str, int]) -> str:
    """``{path: inode}`` as the paths joined by NUL (which no path holds), then the inodes as
    the hex of an array of unsigned 64-bit ints. Why not JSON: a drop of 40,000 files is
    written every run it changes and read every run it is listed, and JSON cost 10 ms to
    write and 9 to read there, this 2 and 4."""
    return "\0".join(inodes) + "\0" + array.array("Q", inodes.values()).tobytes().hex()


def decode_inodes(text: str) -> dict[str, int]:
    """What :func:`encode_inodes` wrote; ``{}`` for anything else (a name then is stat-ed,
    not trusted: never wrong, only slower). No older format to read: the maps are used
    only under the plan key of the code that wrote them (``load``)."""
    head, _, digits = text.rpartition("\0")
    paths, inodes = head.split("\0"), array.array("Q")
    try:
        inodes.frombytes(bytes.fromhex(digits))
        return dict(zip(paths, inodes, strict=True))
    except ValueError:  # not hex, not whole ints, or not one inode a path
        return {}


def _inodes(db: ManifestDB) -> Callable[[str], dict[str, int]]:
    read: dict[str, dict[str, int]] = {}

    def inodes(drop: str) -> dict[str, int]:
        if drop not in read:
            read[drop] = decode_inodes(db.meta(INODES_KEY + drop) or "")
        return read[drop]

    return inodes


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


class DropPaths:
    """The manifest's paths of a drop, read once per run: all of them (to find the files
    gone from a listed drop) and those a listing may trust (no failure, this version)."""

    def __init__(self, db: ManifestDB, version: str) -> None:
        self.db, self.version = db, version
        self._read: dict[str, tuple[set[str], set[str]]] = {}

    def _of(self, drop: str) -> tuple[set[str], set[str]]:
        """Read through indexes only (``files_by_drop``, ``files_by_version``, ``files_extra``):
        a row-by-row read of a drop of 40,000 cost 0.045 s of a 0.6 s run."""
        if drop not in self._read:
            every = self.db.query("SELECT json_group_array(rel_path) FROM files WHERE drop_name = ?", (drop,))
            untrusted = self.db.query(
                "SELECT rel_path FROM files WHERE drop_name = ? AND pipeline_version != ? UNION "
                "SELECT rel_path FROM files WHERE data != '' AND +drop_name = ?", (drop, self.version, drop))
            paths = set(json.loads(every[0][0]))
            self._read[drop] = paths, paths - {path for (path,) in untrusted}
        return self._read[drop]

    def usual(self, drop: str) -> set[str]:
        return self._of(drop)[1]

    def every(self, drop: str) -> set[str]:
        return self._of(drop)[0]


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
    paths = DropPaths(db, version)
    known = Known(frozenset(settled), paths.usual, _inodes(db), frozenset(suspects))
    return Shortcut(known, settled, cursor, paths)


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
    db: ManifestDB, key: str, found: Discovery, entries: dict[str, dict], cursor: str | None
) -> None:
    """Store the drops of a completed full scan, the inodes of the drops it listed and the
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
    meta.update({INODES_KEY + drop: encode_inodes(inodes)
                 for drop, inodes in found.inodes.items() if drop != ROOT_DROP and inodes})
    if cursor is not None:
        meta[CURSOR_KEY] = cursor
    if any(db.meta(name) != value for name, value in meta.items()):
        db.apply({"meta": meta})
