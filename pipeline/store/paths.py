"""Where the store's files live, and the check that keeps every write inside ``--out``.

Layout under the output folder::

    <table>/drop-<drop>/part-<chunk>.parquet   documents, entities, quotes, claims
    people/part-0.parquet                       one row per person across all articles
    _manifest.sqlite                            files, parts (size + sha256), person index
    _journal.json                               only while a commit is being applied
    .staging/                                   new files before they are renamed into place

A drop's folder is ``drop-`` plus the percent-encoded drop name. The ``drop`` column
is stored inside every file, so readers get it back as the string it was (a drop
named ``007`` stays "007"), and the folder name is not a hive ``key=value`` pair that
readers would parse and clash with it. The prefix keeps drops such as ``_root``
visible: pyarrow skips folders starting with ``_`` or ``.``.

:class:`Confined` resolves a path (following symlinks) and refuses it unless it lies
inside the output folder: a hand-edited journal naming ``../victim.txt``, or a
table folder replaced by a symlink to ``/etc``, cannot make the store touch anything
outside ``--out``.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, unquote

JOURNAL_NAME = "_journal.json"
MANIFEST_DB = "_manifest.sqlite"
LEGACY_MANIFEST = "_manifest.json"  # the whole-store JSON manifest of newsmine <= 0.1
STAGING = ".staging"
PEOPLE = "people"
PEOPLE_PART = "part-0.parquet"
DROP_PREFIX = "drop-"
LEGACY_DROP_PREFIX = "drop="


class OutsideOutput(RuntimeError):
    """A path the store was about to touch resolves outside the output folder."""

    def __init__(self, path: Path, out_dir: Path) -> None:
        super().__init__(f"{path}: outside the output folder {out_dir}; refused")
        self.path = path


class Confined:
    """Resolves paths relative to one output folder and refuses any that leave it."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self._root: Path | None = None
        self._folders: dict[str, bool] = {}  # table/drop folder -> resolves inside (asked once)

    @property
    def root(self) -> Path:
        """The output folder with symlinks resolved (resolved once it exists)."""
        if self._root is None or not self._root.is_dir():
            self._root = self.out_dir.resolve()
        return self._root

    def check(self, path: Path) -> Path:
        """``path`` (as the caller names it, e.g. ``out_dir / "x"``) if it resolves inside
        the output folder (symlinks followed); raises :class:`OutsideOutput` otherwise."""
        resolved = Path(os.path.realpath(path))
        if resolved == self.root or not resolved.is_relative_to(self.root):
            raise OutsideOutput(Path(path), self.out_dir)
        return Path(path)

    def rel(self, rel_path: str) -> Path:
        """A path named by a journal entry (relative, posix): refused if absolute or escaping."""
        if not rel_path or rel_path.startswith("/") or "\0" in rel_path:
            raise OutsideOutput(Path(rel_path or "''"), self.out_dir)
        return self.check(self.out_dir / rel_path)

    def part(self, rel_path: str, follow: bool = True) -> Path:
        """A committed part file's path, checked like :meth:`rel` but cheaply enough for every
        part of a large store on every run: its folder is resolved once per store. With
        ``follow``, a file that is itself a symlink gets the full check; without, the caller
        opens it with ``O_NOFOLLOW`` (and checks a symlink it meets with :meth:`rel`)."""
        folder, _, _name = rel_path.rpartition("/")
        if folder not in self._folders:
            try:
                self.rel(folder + "/.")
                self._folders[folder] = True
            except OutsideOutput:
                self._folders[folder] = False
        path = self.out_dir / rel_path
        if not self._folders[folder] or ".." in rel_path.split("/") or (follow and path.is_symlink()):
            return self.rel(rel_path)  # the careful answer (and its error)
        return path


def drop_folder(drop: str) -> str:
    """The folder name of a drop's partition (percent-encoded, so any drop name is safe)."""
    return DROP_PREFIX + quote(drop, safe="")


def folder_drop(name: str) -> str | None:
    """The drop a partition folder holds, or None if the name is not a drop folder."""
    for prefix in (DROP_PREFIX, LEGACY_DROP_PREFIX):
        if name.startswith(prefix):
            return unquote(name[len(prefix) :])
    return None


def part_name(chunk: str) -> str:
    return f"part-{chunk}.parquet"


def part_rel(table: str, drop: str, chunk: str) -> str:
    """The path of one chunk's part of a table, relative to the output folder."""
    return f"{table}/{drop_folder(drop)}/{part_name(chunk)}"


PEOPLE_REL = f"{PEOPLE}/{PEOPLE_PART}"
