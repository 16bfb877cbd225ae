"""Find the raw article files of a raw folder: one ``SourceFile`` per file, by drop.

Every first-level folder of the raw folder is a drop; files directly in it form the
drop ``_root``. Only the supported formats are listed, in a stable order, and every
entry that is not listed is a ``Skipped`` with its reason, so a run can say what it
left out instead of dropping it silently:

* symlinks are followed only when their target lies inside the raw folder (a
  symlinked drop such as ``latest -> 2025-06-02`` is read); one pointing outside is
  refused, a broken one or a loop is named;
* FIFOs, sockets and devices are never opened (reading a FIFO would block the run);
* a folder that cannot be listed, hidden entries, unsupported extensions and the
  output folder itself (``--out`` inside the raw folder) are skipped by name.

A run may pass what its last completed scan saw (:class:`Known`, from ``run.scan_state``):
drops it need not list at all, and per drop the files it need not stat. Every listed
folder's signature is recorded in ``Discovery.folders``, and every listed article file's
inode in ``Discovery.inodes``, for the next run.
"""

from __future__ import annotations

import operator
import os
import stat
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import NamedTuple

FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl"}
ROOT_DROP = "_root"

# Skip reasons worth a line of their own on stderr (the rest are only counted).
NOTABLE = ("symlink", "not a regular file", "unreadable", "the output folder")

_SPECIAL = {
    stat.S_IFIFO: "fifo",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
}


class SourceFile(NamedTuple):
    """One raw file found under the raw dir; ``drop`` is its first-level folder.

    A named tuple, not a frozen dataclass: discovery makes one per raw file on every run,
    and a tuple is made in less than half the time (40,000: 0.017 s against 0.041 s)."""

    drop: str
    path: Path
    rel_path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Skipped:
    """An entry of the raw folder that is not read, and why (``unsupported extension .md``)."""

    drop: str
    rel_path: str
    reason: str

    @property
    def notable(self) -> bool:
        """Worth its own stderr line: a refused symlink, a FIFO, an unreadable folder."""
        return any(word in self.reason for word in NOTABLE)


@dataclass
class Listing:
    """One drop's plain article files as listed, by path below the drop folder, with the
    inode each had: what the next run may trust (``run.scan_state``). Kept as two pairs
    of lists, not a dict: the files taken as known come in tens of thousands a run, the
    stat-ed ones (``new``) few."""

    known_names: list[str] = field(default_factory=list)
    known_inodes: list[int] = field(default_factory=list)
    new: dict[str, int] = field(default_factory=dict)

    def trust(self, names: Iterable[str], inodes: Iterable[int]) -> None:
        self.known_names.extend(names)
        self.known_inodes.extend(inodes)


@dataclass
class Discovery:
    """What a raw folder holds: the files to read and the entries left out."""

    files: list[SourceFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    folders: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # rel -> signature
    inodes: dict[str, Listing] = field(default_factory=dict)  # drop -> its files' inodes (readdir's)

    @property
    def assumed(self) -> dict[str, list[str]]:
        """drop -> the files listed, not stat-ed (``Known``), by path below the drop folder."""
        return {drop: listing.known_names for drop, listing in self.inodes.items() if listing.known_names}


@dataclass(frozen=True)
class Known:
    """What the last completed scan lets a run skip (``run.scan_state`` says when).

    ``settled``: drops not listed at all; ``trusted(drop)``: by path below the drop
    folder, the inode of each file of a listed drop that is listed but not stat-ed
    (recorded in ``Discovery.assumed``) when it is still a plain file with that inode (a
    file renamed over another, or deleted and added again, has a new one)."""

    settled: frozenset[str] = frozenset()
    trusted: Callable[[str], dict[str, int]] | None = None


_NAME = operator.attrgetter("name")


def below_drop(drop: str) -> int:
    """How many leading characters of a path relative to the raw folder name its drop
    (``mon/a.txt`` -> ``a.txt``; a file directly in the raw folder keeps its name)."""
    return 0 if drop == ROOT_DROP else len(drop) + 1


def signature(st: os.stat_result) -> tuple[int, int, int]:
    """A folder's inode, mtime and ctime: adding, removing or renaming an entry moves the
    times, and ctime moves too when a tool (``cp -a``, rsync) sets the mtime back."""
    return st.st_ino, st.st_mtime_ns, st.st_ctime_ns


def _child(folder: Path, name: str) -> Path:
    """``folder / name`` without parsing the name as a path (``name`` is one entry of a
    listing): pathlib's own shortcut where the interpreter has it, a few times faster."""
    make = getattr(folder, "_make_child_relpath", None)
    return make(name) if make is not None else folder / name


def drop_of(rel: str) -> str:
    """The drop of a path relative to the raw folder (``_root`` for a file directly in it)."""
    return rel.split("/", 1)[0] if "/" in rel else ROOT_DROP


def _unsupported(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return f"unsupported extension {suffix}" if suffix else "no file extension"


@dataclass
class _Walk:
    root: Path
    wanted: set[str] | None
    exclude: set[Path]
    known: Known = field(default_factory=Known)
    found: Discovery = field(default_factory=Discovery)

    def skip(self, rel: str, reason: str) -> None:
        drop = drop_of(rel)
        if self.wanted is None or drop in self.wanted or rel in self.wanted:  # rel: a drop folder
            self.found.skipped.append(Skipped(drop, rel, reason))

    def inside(self, target: Path) -> bool:
        return target == self.root or self.root in target.parents

    def folder(self, path: Path, rel: str, ancestors: frozenset[Path]) -> None:
        """List one folder (``rel`` is ``""`` for the raw folder itself). Unsorted: ``scan``
        sorts what it found once (sorting 40,000 entries here cost 0.03 s a run)."""
        try:
            with os.scandir(path) as it:
                entries = list(it)
        except OSError as exc:
            self.found.folders.pop(rel, None)  # a listing that failed says nothing of the folder
            self.skip(rel or ".", f"unreadable folder ({exc.strerror or exc})")
            return
        drop = rel.split("/", 1)[0] if rel else ROOT_DROP
        listed = self.wanted is None or drop in self.wanted
        listing = self.found.inodes.setdefault(drop, Listing()).new
        if listed and rel and self.known.trusted is not None:
            entries = self._unlisted(entries, rel, drop)
        found, cut = self.found.files, below_drop(drop)
        for entry in entries:
            name = entry.name
            child = f"{rel}/{name}" if rel else name
            dot = name.rfind(".")
            if (listed and dot > 0 and name[0] != "." and name[dot:].lower() in FORMATS
                    and entry.is_file(follow_symlinks=False)):
                try:  # the common case, inline: a plain article file (discovery costs µs a file)
                    st = entry.stat()
                except OSError:
                    st = None
                if st is not None and stat.S_ISREG(st.st_mode):
                    found.append(SourceFile(drop, _child(path, name), child, st.st_size, st.st_mtime_ns))
                    listing[child[cut:]] = entry.inode()
                    continue
            self.entry(entry, _child(path, name), child, ancestors)

    def _unlisted(self, entries: list[os.DirEntry], rel: str, drop: str) -> list[os.DirEntry]:
        """Record the entries ``Known`` trusts as ``assumed`` (no stat) and return the others.

        A plain file whose inode is the trusted one is known. Each step maps a C function
        over the whole listing (names, inodes, lookups, file types), no Python code per
        file: in a drop of 40,000 files the loops and set operations this replaces cost
        0.035 s a run (reading the record apart), these 0.02. A plain file is one that
        ``is_file()`` and not ``is_symlink()``: two unbound methods mapped cost 0.9 ms over
        40,000 entries, ``is_file(follow_symlinks=False)`` through ``methodcaller`` 4.7
        (only a symlink, read on the slow path anyway, is followed to its target)."""
        assert self.known.trusted is not None
        trusted = self.known.trusted(drop)
        if not trusted:
            return entries
        inner = rel[below_drop(drop):]
        names = list(map(_NAME, entries))
        keys = [f"{inner}/{name}" for name in names] if inner else names
        inodes = list(map(os.DirEntry.inode, entries))
        same = map(operator.eq, map(trusted.get, keys), inodes)
        plain = map(operator.gt, map(os.DirEntry.is_file, entries), map(os.DirEntry.is_symlink, entries))
        known = list(map(operator.and_, same, plain))
        if not any(known):
            return entries
        paths = list(compress(keys, known))
        self.found.inodes[drop].trust(paths, compress(inodes, known))
        return list(compress(entries, map(operator.not_, known)))

    def entry(self, entry: os.DirEntry, path: Path, rel: str, ancestors: frozenset[Path]) -> None:
        """One listed entry (``path``: the folder's path joined with the name, cheaper than
        parsing ``entry.path`` again: discovery costs microseconds a file)."""
        if entry.name.startswith("."):
            self.skip(rel, "hidden")
            return
        real = path
        if entry.is_symlink():
            try:
                real = path.resolve(strict=True)
            except RuntimeError:
                return self.skip(rel, "symlink loop")
            except OSError as exc:
                broken = "symlink loop" if exc.errno == 40 else "broken symlink"
                return self.skip(rel, f"{broken} ({os.readlink(path)})")
            if not self.inside(real):
                return self.skip(rel, f"symlink to outside the raw folder ({real})")
        try:
            st = entry.stat()  # follows a symlink like path.stat(), without parsing a Path again
        except OSError as exc:
            return self.skip(rel, f"unreadable entry ({exc.strerror or exc})")
        if stat.S_ISDIR(st.st_mode):
            self.directory(path, real.resolve(), rel, ancestors, st)
        elif stat.S_ISREG(st.st_mode):
            self.file(path, rel, st)
        else:
            self.skip(rel, f"not a regular file ({_SPECIAL.get(stat.S_IFMT(st.st_mode), 'special file')})")

    def directory(
        self, path: Path, real: Path, rel: str, ancestors: frozenset[Path], st: os.stat_result
    ) -> None:
        top = "/" not in rel
        if top and (self.wanted is not None and rel not in self.wanted or rel in self.known.settled):
            return  # another drop, or one as the last scan left it: not even listed
        if real in ancestors:
            self.skip(rel, "symlink loop (a folder inside itself)")
        elif real in self.exclude:
            self.skip(rel, "the output folder (--out) is inside the raw folder")
        else:
            self.found.folders[rel] = signature(st)  # taken before the listing: a later change moves it
            self.folder(path, rel, ancestors | {real})

    def file(self, path: Path, rel: str, st: os.stat_result) -> None:
        drop = drop_of(rel)
        if self.wanted is not None and drop not in self.wanted:
            return
        dot = rel.rfind(".")
        if dot <= rel.rfind("/") + 1 or rel[dot:].lower() not in FORMATS:  # a cheap Path(rel).suffix
            self.skip(rel, _unsupported(path.name))
        else:
            self.found.files.append(SourceFile(drop, path, rel, st.st_size, st.st_mtime_ns))


def scan(
    raw_dir: Path, drops: Collection[str] | None = None, exclude: Collection[Path] = (),
    known: Known | None = None,
) -> Discovery:
    """The article files under ``raw_dir`` sorted by relative path, and every entry left out.

    Sorting makes runs deterministic. ``exclude`` names folders never to read (the
    output folder); ``known``: what need not be listed or stat-ed. Raises
    ``FileNotFoundError`` when ``raw_dir`` is not a folder.
    """
    root = Path(raw_dir).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"raw dir {root} is not a folder")
    walk = _Walk(root, set(drops) if drops is not None else None, {Path(p).resolve() for p in exclude},
                 known or Known())
    walk.folder(root, "", frozenset({root}))
    walk.found.files.sort(key=lambda s: s.rel_path)
    walk.found.skipped.sort(key=lambda s: s.rel_path)
    return walk.found


def discover(raw_dir: Path, drops: Collection[str] | None = None) -> list[SourceFile]:
    """The article files under ``raw_dir`` (see :func:`scan` for what is left out)."""
    return scan(raw_dir, drops).files
