"""glibc heap settings that keep a worker's resident size close to its live memory.

Two things made a worker's peak RSS grow with the run rather than with what it holds:

* glibc keeps freed heap pages: ``trim`` hands them back after each batch, so the
  resting size does not stick at the largest batch.
* glibc's mmap threshold is dynamic: freeing a block that had its own mapping raises the
  threshold to that block's size (up to 32 MiB). After the first long article, the
  multi-MiB activations of tok2vec, the parser and ner were carved from the heap instead,
  where the next minibatches' blocks left holes, so the peak rose with the longest
  article met so far. ``fix_mmap_threshold`` sets it once (which turns the dynamic
  adjustment off): blocks of 4 MiB and more get their own mapping, given back when freed.
  4 MiB costs no measurable time (on 500 BBC articles: 0.19M -> 0.28M page faults);
  128 KiB or 1 MiB would also map the many mid-sized blocks, at 4-7 s of system time
  per 500 articles in page faults. With the parser's batches bounded (``run.minibatch``),
  1 MiB no longer flattens the peak either: one worker's share replayed, 408 MiB on the
  first 500 BBC articles and 423-425 on all 2,225 (+4%, as with 4 MiB: 416-418 and
  432-446), for 20% more CPU time (54-55 s against 45 s, side by side). Lowering it to
  1 MiB only while a group holding a text over 8,000 characters ran changed nothing
  (433-435 MiB), nor did a trim after every parser group (434-435 MiB, 12% more CPU):
  the heap's freed pages are not what sets the peak, the groups' own working set is.

Without glibc (macOS, musl) both are no-ops.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # mallopt parameter number, from glibc's malloc.h
MMAP_THRESHOLD = 4 * 1024 * 1024


def _load_libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


_LIBC = _load_libc()


def trim() -> None:
    """Hand the heap's freed pages back to the OS (glibc keeps them otherwise)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def fix_mmap_threshold(nbytes: int = MMAP_THRESHOLD) -> bool:
    """Give blocks of ``nbytes`` and more their own mapping for the rest of the process
    (module doc); False without glibc or when glibc refuses the value."""
    return _LIBC is not None and _LIBC.mallopt(M_MMAP_THRESHOLD, nbytes) == 1
