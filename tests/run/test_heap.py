"""The glibc settings of ``run.heap``: big blocks keep their own mapping after a bigger one is freed."""

from __future__ import annotations

import ctypes

import pytest

from newsmine.run import heap

MiB = 1024 * 1024


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
        "keepcost")]


@pytest.fixture
def libc() -> ctypes.CDLL:
    libc = heap._LIBC
    if libc is None or not hasattr(libc, "mallinfo2"):
        pytest.skip("needs glibc 2.33 or later")
    libc.mallinfo2.restype = _MallInfo2
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    return libc


def _mapped_blocks(libc: ctypes.CDLL) -> int:
    return libc.mallinfo2().hblks


def _mapped_after_bigger_freed(libc: ctypes.CDLL, nbytes: int) -> bool:
    """Does a block of ``nbytes`` get a mapping of its own once a block 2x its size was
    freed? (glibc's dynamic threshold alone would then carve it from the heap.)"""
    bigger = libc.malloc(2 * nbytes)
    assert bigger
    libc.free(bigger)
    heap.trim()  # no free heap top the block could come from instead
    before = _mapped_blocks(libc)
    block = libc.malloc(nbytes)
    assert block
    try:
        return _mapped_blocks(libc) == before + 1
    finally:
        libc.free(block)


def test_a_fixed_threshold_keeps_big_blocks_in_their_own_mappings(libc) -> None:
    assert heap.fix_mmap_threshold()
    assert _mapped_after_bigger_freed(libc, 8 * MiB)
    assert _mapped_after_bigger_freed(libc, 24 * MiB)


def test_blocks_under_the_threshold_still_come_from_the_heap(libc) -> None:
    assert heap.fix_mmap_threshold()
    assert not _mapped_after_bigger_freed(libc, heap.MMAP_THRESHOLD // 4)


def test_loading_the_pipeline_fixes_the_threshold(libc) -> None:
    from newsmine.run.batch import get_pipeline

    heap._LIBC.mallopt(heap.M_MMAP_THRESHOLD, 32 * MiB)  # as if glibc had raised it
    assert not _mapped_after_bigger_freed(libc, 8 * MiB)
    get_pipeline.cache_clear()  # load it again here
    get_pipeline(None)
    assert _mapped_after_bigger_freed(libc, 8 * MiB)
