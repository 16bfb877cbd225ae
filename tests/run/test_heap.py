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


def _glibc() -> ctypes.CDLL | None:
    libc = heap._LIBC
    if libc is None or not hasattr(libc, "mallinfo2"):
        return None
    libc.mallinfo2.restype = _MallInfo2
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    return libc


@pytest.fixture
def libc() -> ctypes.CDLL:
    libc = _glibc()
    if libc is None:
        pytest.skip("needs glibc 2.33 or later")
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


def _in_fresh_process(test) -> None:
    """Run ``test`` in a new interpreter: in this one, earlier tests leave free chunks of
    every size in the heap's bins, and glibc serves a block from a bin before it maps one,
    whatever the threshold (the check failed once in a full run, never alone)."""
    import inspect
    import subprocess
    import sys
    import textwrap

    source = inspect.getsource(sys.modules[__name__])
    body = textwrap.dedent(inspect.getsource(test)).split(":\n", 1)[1]
    code = (source.split("def _in_fresh_process")[0] + "\nlibc = _glibc()\n"
            + textwrap.dedent(body))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def _fixed_threshold_keeps_big_blocks_in_their_own_mappings(libc) -> None:
    assert heap.fix_mmap_threshold()
    assert _mapped_after_bigger_freed(libc, 8 * MiB)
    assert _mapped_after_bigger_freed(libc, 24 * MiB)


def _blocks_under_the_threshold_still_come_from_the_heap(libc) -> None:
    assert heap.fix_mmap_threshold()
    assert not _mapped_after_bigger_freed(libc, heap.MMAP_THRESHOLD // 4)


def _loading_the_pipeline_fixes_the_threshold(libc) -> None:
    from newsmine.run.batch import get_pipeline

    heap._LIBC.mallopt(heap.M_MMAP_THRESHOLD, 32 * MiB)  # as if glibc had raised it
    assert not _mapped_after_bigger_freed(libc, 8 * MiB)
    get_pipeline.cache_clear()  # load it again here
    get_pipeline(None)
    assert _mapped_after_bigger_freed(libc, 8 * MiB)


def test_a_fixed_threshold_keeps_big_blocks_in_their_own_mappings(libc) -> None:
    _in_fresh_process(_fixed_threshold_keeps_big_blocks_in_their_own_mappings)


def test_blocks_under_the_threshold_still_come_from_the_heap(libc) -> None:
    _in_fresh_process(_blocks_under_the_threshold_still_come_from_the_heap)


def test_loading_the_pipeline_fixes_the_threshold(libc) -> None:
    _in_fresh_process(_loading_the_pipeline_fixes_the_threshold)
