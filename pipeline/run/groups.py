"""A big drop is committed in groups of files, each as soon as its files are back.

Why: committing a drop (merging its rows into chunks, writing the parts, the person
index and the manifest rows) is work for the run's parent alone, and when a drop was
committed only after its last batch, the workers of a pool sat idle through it: 2.2 s
of a 40 s run over the 2,225 BBC articles on two workers, with people after it. In
groups, every commit but the last runs while the workers are still busy with the
files after it, and the parent holds one group's rows, not the whole drop's.

The tables do not depend on the grouping: a drop's chunks are a pure function of its
file paths (``store.chunks``), so a drop committed in groups has the parts a single
commit writes. A group ends just after a chunk boundary, so that the next group's
commit need not rewrite a chunk the last one wrote. A run that stops after a group
keeps the groups it committed, as it keeps the drops it committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from newsmine.ingest.files import SourceFile
from newsmine.store.chunks import is_boundary

# About four chunks of 64 files: the last group's commit, the one the workers wait for,
# takes ~0.25 s over BBC-sized articles; smaller groups add a journal and a manifest
# transaction each (a few ms).
GROUP_FILES = 256

Result = TypeVar("Result")


def commit_groups(files: Sequence[SourceFile], size: int, chunk_files: int) -> list[list[SourceFile]]:
    """``files`` (sorted by path) cut into groups of at least ``size`` files (the last of
    at least half that), each ending at a chunk boundary (the last one at the end of the
    drop). One group when there are fewer than twice ``size`` files, as in any scheduled
    run over a few new articles."""
    if len(files) < 2 * size:
        return [list(files)]
    groups: list[list[SourceFile]] = []
    current: list[SourceFile] = []
    for source in files:
        current.append(source)
        if len(current) >= size and is_boundary(source.rel_path, chunk_files):
            groups.append(current)
            current = []
    if current:
        if groups and len(current) < size // 2:  # a short remainder joins the group before it
            groups[-1].extend(current)
        else:
            groups.append(current)
    return groups


def in_groups(
    results: Iterable[Result], groups: Sequence[Sequence[SourceFile]],
    paths: Callable[[Result], Sequence[str]],
) -> Iterator[tuple[int, list[Result]]]:
    """Each group's index and results, in group order, as soon as the group and every
    group before it are complete. ``results`` come in any order; ``paths`` names the
    files a result covers, all of one group (its batch was cut from that group)."""
    group_of = {source.rel_path: index for index, group in enumerate(groups) for source in group}
    waiting = [len(group) for group in groups]
    held: list[list[Result]] = [[] for _ in groups]
    following = 0
    for result in results:
        covered = paths(result)
        if not covered:
            continue
        index = group_of[covered[0]]
        held[index].append(result)
        waiting[index] -= len(covered)
        while following < len(groups) and waiting[following] == 0:
            yield following, held[following]
            held[following] = []
            following += 1
    for index in range(following, len(groups)):  # only files that never came back are left
        yield index, held[index]
