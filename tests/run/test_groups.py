"""A big drop is committed in groups as its files come back, and ends in the tables of
one commit: the same parts, person index and people, removals and a pool included."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmine.ingest.files import SourceFile
from newsmine.run import groups as run_groups
from newsmine.run.groups import commit_groups, in_groups
from newsmine.run.runner import RunOptions, run
from newsmine.store import parquet
from newsmine.store.chunks import is_boundary
from tests.run.test_history import CHUNK_FILES, FINAL, _assert_same, _run, _state, _write


def _files(n: int) -> list[SourceFile]:
    return [SourceFile("wire", Path(f"/raw/wire/{i:04d}.txt"), f"wire/{i:04d}.txt", 100, 0) for i in range(n)]


def test_groups_end_at_a_chunk_boundary_and_keep_every_file_once() -> None:
    files = _files(300)
    groups = commit_groups(files, 16, 4)
    assert len(groups) > 5
    assert [f for group in groups for f in group] == files
    assert all(len(group) >= 16 for group in groups[:-1])
    assert all(is_boundary(group[-1].rel_path, 4) for group in groups[:-1])
    assert len(groups[-1]) >= 8  # a short remainder joined the group before it


def test_a_drop_of_a_few_files_is_one_group() -> None:
    files = _files(31)
    assert commit_groups(files, 16, 4) == [files]
    assert commit_groups([], 16, 4) == [[]]


def test_a_group_is_given_once_it_and_every_group_before_it_are_back() -> None:
    files = _files(6)
    groups = [files[:2], files[2:4], files[4:]]
    back = [("b", ["wire/0002.txt"]), ("a", ["wire/0000.txt", "wire/0001.txt"]), ("c", ["wire/0003.txt"]),
            ("d", ["wire/0005.txt"]), ("e", ["wire/0004.txt"])]
    seen = []

    def arriving():
        for item in back:
            seen.append(item[0])
            yield item

    given = [(index, [r for r, _ in results], list(seen))
             for index, results in in_groups(arriving(), groups, lambda item: item[1])]
    assert given == [(0, ["a"], ["b", "a"]), (1, ["b", "c"], ["b", "a", "c"]), (2, ["d", "e"], seen)]


@pytest.fixture
def small_groups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Groups of two files (so the five-file drops of ``FINAL`` commit in groups), and
    the drops of every commit, in order."""
    monkeypatch.setattr(run_groups, "GROUP_FILES", 2)
    drops: list[str] = []
    commit = parquet.Store.commit

    def spy(self, change):  # noqa: ANN001, ANN202 - a method's stand-in
        drops.extend(sorted({key.drop for key in change.parts if key.drop}))
        return commit(self, change)

    monkeypatch.setattr(parquet.Store, "commit", spy)
    return drops


def test_a_drop_committed_in_groups_has_the_tables_of_one_commit(
    tmp_path: Path, small_groups: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = tmp_path / "fresh"
    _write(fresh / "raw", FINAL)
    _run(fresh / "raw", fresh / "out")
    one = {"mon": small_groups.count("mon"), "wed": small_groups.count("wed")}
    assert one["mon"] >= 2 and one["wed"] == 1  # five files: groups; two: one commit
    grouped = _state(fresh / "out")

    monkeypatch.setattr(run_groups, "GROUP_FILES", 10**6)  # one commit a drop
    single = tmp_path / "single"
    _write(single / "raw", FINAL)
    _run(single / "raw", single / "out")
    _assert_same(grouped, _state(single / "out"))


def test_groups_after_a_history_with_removals_and_in_a_pool_end_as_one_run(
    tmp_path: Path, small_groups: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    first = {"mon": {"a1.txt": "putin", "a9.txt": "joe"}, "tue": {"b2.txt": "putin_later", "b8.txt": "jill"}}
    _write(raw, first)
    _run(raw, out)
    _write(raw, FINAL)  # a9 and b8 go, mon and tue get new files around the stored ones
    summary = run(RunOptions(raw_dir=raw, out_dir=out, chunk_files=CHUNK_FILES, workers=2))
    assert summary.failed == 0 and summary.files_removed == 2
    assert small_groups.count("mon") >= 3  # one commit in the first run, groups in the second
    assert summary.drops == ["mon", "tue", "wed"]

    monkeypatch.setattr(run_groups, "GROUP_FILES", 10**6)
    single = tmp_path / "single"
    _write(single / "raw", FINAL)
    _run(single / "raw", single / "out")
    _assert_same(_state(out), _state(single / "out"))
