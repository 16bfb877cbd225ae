"""Which part file of its drop each raw file's rows live in: content-defined chunks.

Why: a run must cost what changed, not what is stored. A drop's rows are therefore
split into *chunks* of about ``chunk_files`` raw files each, one part file per chunk and
table, and a run rewrites only the chunks its new, changed or removed files fall in.

The split is a pure function of the drop's current file paths, so the parts after any
history of runs are the same files a single run over the final raw folder writes:
sorted by path, a file whose path hashes to 0 modulo ``chunk_files`` is a *boundary*
and ends its chunk; the files after the last boundary form the chunk ``tail``. A chunk
is named after the path it ends at. Adding or removing a file moves at most the
boundaries at that file, so only the chunks next to it change (a removed boundary
merges two chunks, an added one splits a chunk).

:func:`regions` finds, for one drop and a set of changed paths, the stretches of path
space to rewrite: each starts and ends at a boundary that exists before and after the
change (or at either end of the drop), so everything outside them stays as it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

TAIL = "tail"
DEFAULT_CHUNK_FILES = 64


def is_boundary(rel_path: str, chunk_files: int) -> bool:
    """Whether ``rel_path`` ends its chunk (about one path in ``chunk_files``)."""
    digest = hashlib.blake2b(rel_path.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % chunk_files == 0


def chunk_name(boundary: str | None) -> str:
    """The chunk ending at ``boundary`` (``tail`` for the files after the last boundary)."""
    if boundary is None:
        return TAIL
    return "c" + hashlib.sha256(boundary.encode("utf-8")).hexdigest()[:16]


def split(paths: Iterable[str], chunk_files: int, end: str | None) -> dict[str, list[str]]:
    """Sorted ``paths`` cut into chunks after each boundary; the last chunk ends at ``end``."""
    chunks: dict[str, list[str]] = {}
    current: list[str] = []
    for path in sorted(paths):
        current.append(path)
        if end is not None and path > end:
            raise ValueError(f"{path} lies past the end of its region {end}")
        if is_boundary(path, chunk_files):
            chunks[chunk_name(path)] = current
            current = []
    if current:
        if end is not None:
            raise ValueError(f"files after the last boundary of a region that ends at {end}")
        chunks[TAIL] = current
    return chunks


class Boundaries:
    """Previous/next boundary of a drop before and after a change.

    ``before(path, strict)`` answers from the stored state (a callback, so a large drop
    is asked by index, not loaded); the state after the change is the stored one minus
    ``removed`` plus every ``added`` path that is a boundary.
    """

    def __init__(
        self,
        prev_stored: Callable[[str], str | None],
        next_stored: Callable[[str, bool], str | None],
        added: set[str],
        removed: set[str],
        chunk_files: int,
    ) -> None:
        self._prev, self._next = prev_stored, next_stored
        self.removed = removed
        self.added = sorted(p for p in added if is_boundary(p, chunk_files))

    def prev_old(self, path: str) -> str | None:
        return self._prev(path)

    def next_old(self, path: str, inclusive: bool) -> str | None:
        return self._next(path, inclusive)

    def prev_new(self, path: str) -> str | None:
        found = self._prev(path)
        while found is not None and found in self.removed:
            found = self._prev(found)
        extra = [p for p in self.added if p < path]
        return max([found, *extra[-1:]], key=_low) if extra else found

    def next_new(self, path: str, inclusive: bool) -> str | None:
        found = self._next(path, inclusive)
        while found is not None and found in self.removed:
            found = self._next(found, False)
        extra = [p for p in self.added if (p >= path if inclusive else p > path)]
        return min([found, extra[0]], key=_high) if extra else found

    def common(self, path: str) -> bool:
        """A boundary both before and after the change."""
        return path not in self.removed and path not in self.added and self._next(path, True) == path


def _low(path: str | None) -> tuple[int, str]:
    return (0, "") if path is None else (1, path)  # None: before every path


def _high(path: str | None) -> tuple[int, str]:
    return (1, "") if path is None else (0, path)  # None: after every path


@dataclass
class Region:
    """A stretch ``(low, high]`` of a drop's path space (None: open at that end) to rewrite."""

    low: str | None
    high: str | None
    changed: list[str] = field(default_factory=list)

    def holds(self, path: str) -> bool:
        return (self.low is None or path > self.low) and (self.high is None or path <= self.high)


def _widen(b: Boundaries, path: str) -> Region:
    """The region around ``path``: out to the nearest boundaries, then on until both ends
    are boundaries before and after the change (so the chunks inside are all there is)."""
    low = min([b.prev_old(path), b.prev_new(path)], key=_low)
    high = max([b.next_old(path, True), b.next_new(path, True)], key=_high)
    while low is not None and not b.common(low):
        low = min([b.prev_old(low), b.prev_new(low)], key=_low)
    while high is not None and not b.common(high):
        high = max([b.next_old(high, False), b.next_new(high, False)], key=_high)
    return Region(low, high)


def regions(changed: Iterable[str], boundaries: Boundaries) -> list[Region]:
    """The regions to rewrite for ``changed`` paths (new, reprocessed or removed), in order."""
    found: list[Region] = []
    for path in sorted(set(changed)):
        if found and found[-1].holds(path):
            found[-1].changed.append(path)
            continue
        region = _widen(boundaries, path)
        region.changed.append(path)
        found.append(region)
    return found
