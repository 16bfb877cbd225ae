"""Offset maps: from positions in a cleaned text back to the raw text it came from.

Cleaning collapses whitespace, drops invisible characters and captions, re-composes
Unicode (NFC) and inserts spaces into scraping glue, so cleaned offsets drift from
raw ones. Every extracted item must still carry ``raw_start``/``raw_end`` into
``Article.raw_text``; this module keeps that promise.

A map is a sorted list of *pieces*. Each piece is a run of cleaned text that is
either an exact copy of a raw run (``identity``: offsets shift linearly) or a
replacement (a collapsed space, an NFC-composed word, an inserted space) that maps
as a whole onto its raw run, which may be empty. Lookups are ``bisect`` on the
piece starts, so a map costs one small tuple per edit, not one entry per character.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass
class OffsetMap:
    """Cleaned ``[start, end)`` → raw ``[raw_start, raw_end)``; raw positions never decrease."""

    length: int = 0
    clean_starts: list[int] = field(default_factory=list)
    raw_starts: list[int] = field(default_factory=list)
    raw_ends: list[int] = field(default_factory=list)
    identity: list[bool] = field(default_factory=list)
    origin: int = 0  # raw position for an empty text

    def _start(self, pos: int) -> int:
        i = bisect_right(self.clean_starts, pos) - 1
        if i < 0:
            return self.raw_starts[0] if self.raw_starts else self.origin
        if self.identity[i]:
            return min(self.raw_starts[i] + pos - self.clean_starts[i], self.raw_ends[i])
        return self.raw_starts[i]  # inside a replacement: the whole raw run it stands for

    def _end(self, pos: int) -> int:
        """Raw end of the cleaned prefix ``[:pos]`` (the end of the char at ``pos - 1``)."""
        if pos <= 0:
            return self._start(0)
        i = bisect_right(self.clean_starts, pos - 1) - 1
        if i < 0:
            return self.origin
        if self.identity[i]:
            return min(self.raw_starts[i] + pos - self.clean_starts[i], self.raw_ends[i])
        return self.raw_ends[i]

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned half-open span to raw; out-of-range input is clamped, never an error."""
        start = max(0, min(int(start), self.length))
        end = max(start, min(int(end), self.length))
        raw_start = self._start(start)
        if end == start:
            return raw_start, raw_start
        raw_end = max(self._end(end), raw_start)
        return raw_start, raw_end


class MapBuilder:
    """Accumulates cleaned text and its pieces, in raw order."""

    __slots__ = ("parts", "pos", "clean_starts", "raw_starts", "raw_ends", "identity", "last_raw")

    def __init__(self, origin: int = 0) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.clean_starts: list[int] = []
        self.raw_starts: list[int] = []
        self.raw_ends: list[int] = []
        self.identity: list[bool] = []
        self.last_raw = origin

    def copy(self, raw: str, start: int, end: int) -> None:
        """Append ``raw[start:end]`` unchanged."""
        self.copy_from(raw, start, end, start)

    def copy_from(self, text: str, start: int, end: int, raw_start: int) -> None:
        """Append ``text[start:end]``, an exact copy of the raw run beginning at ``raw_start``."""
        if end <= start:
            return
        raw_end = raw_start + end - start
        if self.identity and self.identity[-1] and self.raw_ends[-1] == raw_start:
            self.raw_ends[-1] = raw_end  # extend the previous identity piece
        else:
            self._piece(raw_start, raw_end, True)
        self.parts.append(text[start:end])
        self.pos += end - start
        self.last_raw = raw_end

    def replace(self, text: str, raw_start: int, raw_end: int) -> None:
        """Append ``text`` standing for ``raw[raw_start:raw_end]`` (which may be empty)."""
        if not text:
            return
        self._piece(raw_start, raw_end, False)
        self.parts.append(text)
        self.pos += len(text)
        self.last_raw = raw_end

    def _piece(self, raw_start: int, raw_end: int, identity: bool) -> None:
        raw_start = max(raw_start, self.last_raw)  # keep raw positions monotonic
        self.clean_starts.append(self.pos)
        self.raw_starts.append(raw_start)
        self.raw_ends.append(max(raw_end, raw_start))
        self.identity.append(identity)

    def text(self) -> str:
        return "".join(self.parts)

    def build(self) -> OffsetMap:
        return OffsetMap(self.pos, self.clean_starts, self.raw_starts, self.raw_ends, self.identity,
                         origin=self.last_raw if not self.clean_starts else self.raw_starts[0])


def with_insertions(text: str, base: OffsetMap, inserts: list[int], fill: str = " ") -> tuple[str, OffsetMap]:
    """Insert ``fill`` before each position of ``inserts`` (sorted, unique, into ``text``).

    The inserted characters map to an empty raw span at the raw position of the
    character that follows them. An insertion that falls strictly inside a
    replacement piece is dropped: that piece has no inner raw positions to point at.
    """
    if not inserts:
        return text, base
    out = MapBuilder(origin=base.origin)
    n = len(base.clean_starts)
    k = 0
    for i in range(n):
        c0 = base.clean_starts[i]
        c1 = base.clean_starts[i + 1] if i + 1 < n else base.length
        r0, r1, ident = base.raw_starts[i], base.raw_ends[i], base.identity[i]
        while k < len(inserts) and inserts[k] < c0:
            k += 1
        if not ident:
            if k < len(inserts) and inserts[k] == c0:
                out.replace(fill, r0, r0)
                k += 1
            out.replace(text[c0:c1], r0, r1)
            continue
        cur = c0
        while k < len(inserts) and inserts[k] < c1:
            at = inserts[k]
            out.copy_from(text, cur, at, r0 + cur - c0)
            out.replace(fill, r0 + at - c0, r0 + at - c0)
            cur = at
            k += 1
        out.copy_from(text, cur, c1, r0 + cur - c0)
    return out.text(), out.build()
