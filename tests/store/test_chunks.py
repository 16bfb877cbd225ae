"""Content-defined chunks: rewriting only the regions of a change gives the from-scratch split."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from hypothesis import given, settings
from hypothesis import strategies as st

from newsmine.store.chunks import TAIL, Boundaries, chunk_name, is_boundary, regions, split

CHUNK_FILES = 3


def _boundaries(stored: list[str], added: set[str], removed: set[str]) -> Boundaries:
    marks = sorted(p for p in stored if is_boundary(p, CHUNK_FILES))

    def prev(path: str) -> str | None:
        i = bisect_left(marks, path)
        return marks[i - 1] if i else None

    def nxt(path: str, inclusive: bool) -> str | None:
        i = (bisect_left if inclusive else bisect_right)(marks, path)
        return marks[i] if i < len(marks) else None

    return Boundaries(prev, nxt, added, removed, CHUNK_FILES)


def _incremental(old: list[str], added: set[str], removed: set[str], redone: set[str]) -> dict:
    """The old split with every region of the change re-split from the new file list."""
    chunks = split(old, CHUNK_FILES, None)
    new_files = sorted((set(old) - removed) | added)
    found = regions(added | removed | redone, _boundaries(sorted(old), added, removed))
    for region in found:
        for name in [n for n, files in chunks.items() if any(region.holds(f) for f in files)]:
            assert all(region.holds(f) for f in chunks[name]), "a chunk straddles a region's end"
            del chunks[name]
        inside = [f for f in new_files if region.holds(f)]
        for name, files in split(inside, CHUNK_FILES, region.high).items():
            assert name not in chunks
            chunks[name] = files
    return chunks


_PATHS = st.sets(st.text(alphabet="abcdefgh", min_size=1, max_size=3), max_size=40)


@settings(max_examples=400, deadline=None)
@given(_PATHS, _PATHS, st.data())
def test_rewriting_the_regions_equals_splitting_from_scratch(old: set[str], new: set[str], data) -> None:
    added = new - old
    removed = set(data.draw(st.lists(st.sampled_from(sorted(old)), unique=True))) if old else set()
    removed -= new
    kept = sorted(old - removed)
    redone = set(data.draw(st.lists(st.sampled_from(kept), unique=True, max_size=3))) if kept else set()
    expected = split((old - removed) | added, CHUNK_FILES, None)
    assert _incremental(sorted(old), added, removed, redone) == expected


def test_a_boundary_ends_its_chunk_and_the_rest_is_the_tail() -> None:
    paths = [f"d/{i:03d}.txt" for i in range(40)]
    marks = [p for p in paths if is_boundary(p, CHUNK_FILES)]
    assert 3 <= len(marks) <= 30  # about one in three
    chunks = split(paths, CHUNK_FILES, None)
    assert sum(len(files) for files in chunks.values()) == 40
    assert [files[-1] for name, files in chunks.items() if name != TAIL] == marks
    assert all(chunk_name(files[-1]) == name for name, files in chunks.items() if name != TAIL)
    # One new file changes one region, not the whole drop.
    found = regions({"d/0205.txt"}, _boundaries(paths, {"d/0205.txt"}, set()))
    assert len(found) == 1
    assert sum(1 for p in paths if found[0].holds(p)) < 20
