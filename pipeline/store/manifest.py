"""What was processed, from which bytes, by which pipeline — and so what a run must redo.

The manifest holds one :class:`FileRecord` per raw file (keyed by its path relative to
the raw folder). It lives in the manifest database (``newsmine.store.db``), changed
only together with the tables by :meth:`newsmine.store.parquet.Store.commit`, so it
always describes the rows that are stored — never more, never less.

:func:`plan_run` compares the raw folder with the manifest:

* a file with no record is ``new``;
* a record made by another pipeline version is redone (``version``) — the version
  (:func:`pipeline_version`) hashes everything under ``models/``, the package version,
  the schema version and any extra component config, so editing a lexicon
  reprocesses everything;
* otherwise size and mtime are compared first (cheap); only when either differs is
  the file hashed: same hash → unchanged (the record's stat is refreshed in place, so
  the next run skips the hash), different hash → ``changed``;
* an unchanged file whose record the caller's ``retry`` predicate picks is redone
  (``retry``): the runner picks failures that may heal (``FileRecord.retry``: a
  component error, a read error), every failure with ``--retry-failed``, and articles
  skipped for a language the run now extracts;
* ``--force`` redoes every file in scope (``forced``); ``--drop`` limits the scope to
  the named drops (records of other drops are neither redone nor removed);
* records whose file has gone are ``removed`` (their rows are deleted) unless
  ``keep_removed`` is set.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Literal, Protocol

from newsmine.store.db import FileRow, ManifestDB, ManifestError, record_fields
from newsmine.store.paths import LEGACY_MANIFEST, MANIFEST_DB
from newsmine.tables.schemas import SCHEMA_VERSION

_CHUNK = 1 << 20

Reason = Literal["new", "changed", "version", "forced", "retry", "repair"]


class Source(Protocol):
    """The fields of ``newsmine.ingest.articles.SourceFile`` that planning needs."""

    drop: str
    path: Path
    rel_path: str
    size: int
    mtime_ns: int


@dataclass
class FileRecord:
    """One raw file as last processed: its stat, content hash and the doc ids it produced."""

    rel_path: str
    drop: str
    size: int
    mtime_ns: int
    sha256: str
    doc_ids: list[str] = field(default_factory=list)
    n_failed: int = 0
    pipeline_version: str = ""
    failures: dict[str, int] = field(default_factory=dict)  # failed documents by reason
    skipped: dict[str, int] = field(default_factory=dict)  # skipped documents by reason
    retry: bool = False  # a failure that is not a property of the bytes: redo next run


@dataclass
class Manifest:
    """All file records of an output folder (empty for a fresh one).

    ``people_stale``: some committed rows are not yet reflected in ``people`` (a run
    commits drop by drop and people last, and may be killed between); a run that finds
    it set must bring people up to date even when it has no file to process.
    """

    records: dict[str, FileRecord] = field(default_factory=dict)
    people_stale: bool = False

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The committed manifest of ``out_dir`` (read only); none yet is an empty manifest.

        A store written by newsmine 0.1 has only ``_manifest.json``: its records are read so
        ``status`` can show them (the next run rebuilds that store in the current layout).
        """
        out_dir = Path(out_dir)
        if (out_dir / MANIFEST_DB).is_file():
            db = ManifestDB(out_dir / MANIFEST_DB, readonly=True)
            try:
                return cls.from_db(db)
            finally:
                db.close()
        if (out_dir / LEGACY_MANIFEST).is_file():
            return cls._legacy(out_dir / LEGACY_MANIFEST)
        return cls()

    @classmethod
    def from_db(cls, db: ManifestDB) -> Manifest:
        """Every file record of an open manifest database."""
        return cls.from_rows(db.file_rows(), db.people_dirty())

    @classmethod
    def from_rows(cls, rows: Iterable[FileRow], people_stale: bool) -> Manifest:
        """The records of some ``files`` rows."""
        records = {}
        names = {f.name for f in fields(FileRecord)}
        for row in rows:
            if row.data:  # fields beyond the usual: keep the ones this version knows
                values = record_fields(row)
                records[row.rel_path] = FileRecord(**{k: v for k, v in values.items() if k in names})
            else:
                ids = row.doc_ids.split(",") if row.doc_ids else []
                records[row.rel_path] = FileRecord(
                    row.rel_path, row.drop_name, row.size, row.mtime_ns, row.sha256, ids,
                    pipeline_version=row.pipeline_version,
                )
        return cls(records=records, people_stale=people_stale)

    @classmethod
    def narrowed(
        cls, db: ManifestDB, files: Iterable[Source], version: str, drops: Collection[str] | None = None
    ) -> tuple[Manifest, list[Source]]:
        """The records planning must look at, and the files it need not.

        A file whose stored size, mtime, drop and pipeline version match, and whose record
        holds nothing beyond the usual fields (no failure, skip or retry flag), is unchanged
        whatever ``plan_run`` is asked; one read of four columns and a set in Python find
        those (a temporary table filled with every scanned file, then joined, cost several
        times more at 40,000 files). Every other file's
        record, and every record whose file is gone, is loaded for ``plan_run``. Why: loading
        40,000 records to find that none changed cost most of a run with nothing to do.
        ``drops``: only the records of these drops are read (``files`` are theirs): the
        other drops are known unchanged (``drop_fingerprints``).
        """
        files = list(files)
        sql = ("SELECT rel_path, drop_name, size, mtime_ns, pipeline_version = ? AND data = '' "
               "FROM files")
        rows = db.query(sql, [version]) if drops is None else [
            row for drop in sorted(drops) for row in db.query(sql + " WHERE drop_name = ?", [version, drop])
        ]
        stored, clean = set(), set()
        for rel_path, drop, size, mtime_ns, usual in rows:
            stored.add(rel_path)
            if usual:
                clean.add((rel_path, drop, size, mtime_ns))
        unchanged = {f.rel_path for f in files if (f.rel_path, f.drop, f.size, f.mtime_ns) in clean}
        found = {f.rel_path for f in files}
        look = (found - unchanged) | (stored - found)
        rows = db.file_rows("WHERE rel_path IN ({marks})", look, many=True) if look else []
        manifest = cls.from_rows(rows, db.people_dirty())
        return manifest, [f for f in files if f.rel_path in unchanged]

    @classmethod
    def _legacy(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            records = {key: FileRecord(**value) for key, value in data["records"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ManifestError(f"{path}: unreadable manifest ({exc})") from exc
        return cls(records=records)

    def to_json(self) -> str:
        """Deterministic JSON (sorted keys, no timestamps): same records, same text."""
        records = {key: asdict(self.records[key]) for key in sorted(self.records)}
        return json.dumps({"people_stale": self.people_stale, "records": records}, indent=1) + "\n"

    def drops(self) -> set[str]:
        return {r.drop for r in self.records.values()}

    def versions(self, drop: str | None = None) -> set[str]:
        """The pipeline versions the stored rows (of one drop, or all) were made by."""
        return {r.pipeline_version for r in self.records.values() if drop is None or r.drop == drop}


def drop_fingerprints(files: Iterable[Source], key: str) -> dict[str, str]:
    """Per drop, a hash of every file's path, size and mtime, and of ``key`` (what else
    planning depends on). Equal to the one a completed run stored means every file of the
    drop has the size and mtime its record has: the drop's plan is empty. Each file's own
    stat goes in, so a file rewritten in place (its folder's mtime unchanged) still counts."""
    lines: dict[str, list[str]] = {}
    for f in files:
        lines.setdefault(f.drop, []).append(f"{f.rel_path}\0{f.size}\0{f.mtime_ns}")
    head = key.encode("utf-8") + b"\0"
    return {drop: hashlib.sha256(head + "\n".join(found).encode("utf-8")).hexdigest()
            for drop, found in lines.items()}


def raw_fingerprint(by_drop: dict[str, str]) -> str:
    """The whole raw folder's fingerprint, from its drops' (:func:`drop_fingerprints`)."""
    return hashlib.sha256(json.dumps(by_drop, sort_keys=True).encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def pipeline_version(models_dir: Path, package_version: str, extra: str = "") -> str:
    """``<package version>-<hash>``: a hash of every file under ``models_dir``, the
    package and schema versions and ``extra`` (e.g. the base model name).

    Hidden files and ``__pycache__`` are skipped so an editor's swap file does not
    trigger a full reprocess. Paths are hashed too, so renaming a file counts.
    """
    digest = hashlib.sha256()
    for part in (package_version, SCHEMA_VERSION, extra):
        digest.update(part.encode() + b"\0")
    root = Path(models_dir)
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
        files.extend(Path(dirpath, f) for f in filenames if not f.startswith("."))
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(file_sha256(path).encode())
    return f"{package_version}-{digest.hexdigest()[:16]}"


@dataclass
class RunPlan:
    """What a run has to do. ``process`` and ``unchanged`` are the files in scope."""

    process: list[Source] = field(default_factory=list)
    unchanged: list[Source] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    touched: list[str] = field(default_factory=list)
    kept_missing: list[str] = field(default_factory=list)
    affected_drops: set[str] = field(default_factory=set)
    reasons: dict[str, Reason] = field(default_factory=dict)
    assumed: int = 0  # unchanged files not in ``unchanged``: a shortcut did not stat them (run.scan_state)

    @property
    def is_noop(self) -> bool:
        """Nothing to process, remove or refresh: the run need not commit anything."""
        return not (self.process or self.removed or self.touched)


def _unchanged_after_hash(source: Source, record: FileRecord) -> bool:
    try:
        return file_sha256(source.path) == record.sha256
    except OSError:
        return False  # vanished or unreadable now: let processing report it


def plan_run(
    files: Iterable[Source],
    manifest: Manifest,
    version: str,
    *,
    force: bool = False,
    drops: Collection[str] | None = None,
    keep_removed: bool = False,
    retry: Callable[[FileRecord], bool] | None = None,
) -> RunPlan:
    """Decide what to process, keep and remove.

    Files whose content hash matched despite a new size/mtime are listed in
    ``touched`` and their records in ``manifest`` get the new stat in place; commit
    the manifest to remember it.
    """
    scope = set(drops) if drops is not None else None
    plan = RunPlan()
    seen: set[str] = set()
    for source in sorted(files, key=lambda f: f.rel_path):
        if scope is not None and source.drop not in scope:
            continue
        seen.add(source.rel_path)
        record = manifest.records.get(source.rel_path)
        reason: Reason | None = None
        if force:
            reason = "forced"
        elif record is None:
            reason = "new"
        elif record.pipeline_version != version or record.drop != source.drop:
            reason = "version"
        elif (record.size, record.mtime_ns) != (source.size, source.mtime_ns):
            if _unchanged_after_hash(source, record):
                record.size, record.mtime_ns = source.size, source.mtime_ns
                plan.touched.append(source.rel_path)
            else:
                reason = "changed"
        if reason is None and record is not None and retry is not None and retry(record):
            reason = "retry"
        if reason is None:
            plan.unchanged.append(source)
        else:
            plan.process.append(source)
            plan.reasons[source.rel_path] = reason
            plan.affected_drops.add(source.drop)
    for rel_path in sorted(manifest.records):
        record = manifest.records[rel_path]
        if rel_path in seen or (scope is not None and record.drop not in scope):
            continue
        if keep_removed:
            plan.kept_missing.append(rel_path)
        else:
            plan.removed.append(rel_path)
            plan.affected_drops.add(record.drop)
    return plan
