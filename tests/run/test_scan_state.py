"""A run over a store lists only the folders that changed and stats only the files the
manifest does not know, and still ends with the tables of one run over the final folder:
a file rewritten in place and a damaged part are found in turns, and at once with
``--full-scan`` (files) or ``newsmine check --repair`` (parts)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from newsmine.ingest import files as ingest_files
from newsmine.ingest.files import Discovery, Listing
from newsmine.run import planning, repair, scan_state
from newsmine.run.runner import RunOptions, RunSummary, run
from newsmine.store.db import ManifestDB
from newsmine.store.paths import MANIFEST_DB
from tests.run.test_history import FINAL, TEXTS, _assert_same, _state, _write

CHUNK_FILES = 2


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders written a moment ago count as old enough to trust, as they are when a
    scheduled job runs minutes after a drop lands (the real margin is three seconds)."""
    monkeypatch.setattr(scan_state, "started", lambda: time.time_ns() + 60 * 10**9)


def _run(raw: Path, out: Path, **options: object) -> RunSummary:
    summary = run(RunOptions(raw_dir=raw, out_dir=out, chunk_files=CHUNK_FILES, **options))
    assert summary.failed == 0, summary.errors
    return summary


def _stored(tmp_path: Path) -> tuple[Path, Path]:
    """Two drops, processed: the store the tests change."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, {"mon": FINAL["mon"], "tue": FINAL["tue"]})
    _run(raw, out)
    return raw, out


def _listing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders a run lists (``""``: the raw folder itself), as the run goes."""
    listed: list[str] = []
    folder = ingest_files._Walk.folder

    def spy(self, path, rel, ancestors):  # noqa: ANN001, ANN202 - a method's stand-in
        listed.append(rel)
        return folder(self, path, rel, ancestors)

    monkeypatch.setattr(ingest_files._Walk, "folder", spy)
    return listed


def _scans(monkeypatch: pytest.MonkeyPatch) -> list[ingest_files.Discovery]:
    found: list[ingest_files.Discovery] = []
    scan = planning.scan

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        found.append(scan(*args, **kwargs))
        return found[-1]

    monkeypatch.setattr(planning, "scan", spy)
    return found


def _same_as_fresh(raw: Path, out: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    _run(raw, fresh)
    _assert_same(_state(out), _state(fresh))


def _rewrite_in_place(path: Path, text: str) -> None:
    """Rewrite a file as ``cp`` over it does: same inode, its folder's times unchanged."""
    folder = path.parent.stat()
    with open(path, "r+", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.truncate()
    after = path.parent.stat()
    assert (after.st_mtime_ns, after.st_ctime_ns) == (folder.st_mtime_ns, folder.st_ctime_ns)


def test_a_drop_as_the_last_run_left_it_is_not_even_listed(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, {"mon": FINAL["mon"], "tue": FINAL["tue"]})
    (raw / "tue" / "notes.md").write_text("not an article\n", encoding="utf-8")
    assert _run(raw, out).files_processed == 10
    (raw / "wed").mkdir()
    (raw / "wed" / "c1.txt").write_text(TEXTS["prices"] + "\n", encoding="utf-8")
    listed = _listing(monkeypatch)
    summary = _run(raw, out)
    assert listed == ["", "wed"]
    assert (summary.files_processed, summary.files_unchanged, summary.files_seen) == (1, 10, 11)
    assert summary.not_read == {"unsupported extension .md": 1}  # told, though tue was not listed
    listed.clear()
    assert _run(raw, out).files_processed == 0
    assert listed == [""]
    _same_as_fresh(raw, out, tmp_path)


def test_in_a_drop_that_changed_only_the_files_the_manifest_does_not_know_are_stat_ed(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = _stored(tmp_path)
    (raw / "mon" / "a6.txt").write_text(TEXTS["jill"] + "\n", encoding="utf-8")
    (raw / "mon" / "a1.txt").unlink()
    scans = _scans(monkeypatch)
    summary = _run(raw, out)
    assert len(scans) == 1
    assert [f.rel_path for f in scans[0].files] == ["mon/a6.txt"]
    assert {drop: sorted(paths) for drop, paths in scans[0].assumed.items()} == {
        "mon": ["a2.txt", "a3.txt", "a4.txt", "a5.txt"]}  # paths below the drop folder
    assert (summary.files_processed, summary.files_removed, summary.files_unchanged) == (1, 1, 9)
    shutil.rmtree(raw / "tue")  # a drop gone as a whole: its rows go too
    assert _run(raw, out).files_removed == 5
    _same_as_fresh(raw, out, tmp_path)


def test_a_file_rewritten_in_place_is_found_in_turns_or_at_once_with_full_scan(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_state, "VERIFY_FILES", 3)  # ten files: four runs to check them all
    raw, out = _stored(tmp_path)
    _rewrite_in_place(raw / "tue" / "b4.txt", TEXTS["jill"])
    processed = [_run(raw, out).files_processed for _ in range(4)]
    assert processed == [0, 0, 1, 0]  # turns of three in path order: mon/a1-a3, a4-tue/b1, b2-b4
    _rewrite_in_place(raw / "mon" / "a5.txt", TEXTS["joe"])
    assert _run(raw, out, full_scan=True).files_processed == 1
    _same_as_fresh(raw, out, tmp_path)


def test_a_folder_changed_just_before_a_run_is_listed_again_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, {"mon": FINAL["mon"]})
    _run(raw, out)
    listed = _listing(monkeypatch)
    _run(raw, out)  # mon's times lie within three seconds of the scans: not trusted yet
    assert listed == ["", "mon"]
    monkeypatch.setattr(scan_state, "started", lambda: time.time_ns() + 60 * 10**9)
    _run(raw, out)  # now old enough: stored
    listed.clear()
    _run(raw, out)
    assert listed == [""]


def test_a_damaged_part_is_found_in_turns_and_rebuilt(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repair, "VERIFY_PARTS", 2)
    raw, out = _stored(tmp_path)
    parts = sorted(out.glob("claims/*/part-*.parquet")) + sorted(out.glob("entities/*/part-*.parquet"))
    assert len(parts) >= 4
    n_parts = len(list(out.glob("*/**/part-*.parquet")))
    lost = parts[-1]
    lost.unlink()
    warnings: list[str] = []
    runs = 0
    while not warnings and runs <= n_parts // 2:
        warnings += _run(raw, out).warnings
        runs += 1
    assert runs > 1  # turns of two parts in path order: the claims parts come first
    assert len(warnings) == 1 and str(lost) in warnings[0] and "rebuilding" in warnings[0], warnings
    assert lost.is_file()
    _same_as_fresh(raw, out, tmp_path)


def test_a_file_renamed_over_a_known_one_is_read_by_its_new_inode(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_state, "VERIFY_FILES", 1)  # the turns do not reach the file
    raw, out = _stored(tmp_path)
    staged = raw / "mon" / ".a3.txt.tmp"  # as rsync and editors save: a new file, renamed over
    staged.write_text(TEXTS["troops"] + "\n", encoding="utf-8")
    before = (raw / "mon" / "a3.txt").stat()
    os.utime(staged, ns=(before.st_atime_ns, before.st_mtime_ns))  # even with the old mtime
    staged.replace(raw / "mon" / "a3.txt")
    assert _run(raw, out).files_processed == 1
    _same_as_fresh(raw, out, tmp_path)


def test_a_drop_whose_listing_failed_is_listed_again_and_keeps_its_rows(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = _stored(tmp_path)
    (raw / "tue" / "b6.txt").write_text(TEXTS["joe"] + "\n", encoding="utf-8")  # tue is listed
    real = os.scandir

    def failing(path):  # noqa: ANN001, ANN202 - os.scandir's stand-in
        if Path(path).name == "tue":
            raise OSError(5, "Input/output error")
        return real(path)

    with monkeypatch.context() as patch:
        patch.setattr(ingest_files.os, "scandir", failing)
        summary = _run(raw, out)
    assert summary.not_read == {"unreadable folder": 1}
    assert summary.files_removed == 5  # as a full scan does: what cannot be listed is not there
    listed = _listing(monkeypatch)
    summary = _run(raw, out)  # readable again: listed (its signature was not kept), rows back
    assert "tue" in listed
    assert summary.files_processed == 6
    _same_as_fresh(raw, out, tmp_path)


def test_a_file_still_being_written_when_a_run_read_it_is_stat_ed_again(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_state, "VERIFY_FILES", 1)  # the turns do not reach the file
    raw, out = _stored(tmp_path)
    growing = raw / "tue" / "b6.txt"
    growing.write_text(TEXTS["joe"] + "\n", encoding="utf-8")
    soon = time.time_ns() + 120 * 10**9  # within the margin of the (shifted) scan clock: young
    os.utime(growing, ns=(soon, soon))
    assert _run(raw, out).files_processed == 1
    with open(growing, "a", encoding="utf-8") as handle:  # the copy goes on, in place
        handle.write(TEXTS["jill"] + "\n")
    os.utime(growing, ns=(soon + 1, soon + 1))
    assert _run(raw, out).files_processed == 1
    _same_as_fresh(raw, out, tmp_path)


def test_a_commit_the_shortcut_did_not_end_leaves_the_next_run_a_full_scan(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = _stored(tmp_path)
    _run(raw, out, drops=["mon"], force=True)  # a scoped run commits, and stores no scan
    scans = _scans(monkeypatch)
    _run(raw, out)
    assert len(scans) == 1 and not scans[0].assumed  # every file stat-ed
    assert {f.rel_path for f in scans[0].files} == {f"{d}/{n}" for d in ("mon", "tue") for n in FINAL[d]}


def test_stored_inodes_read_back_whatever_the_names_and_anything_else_trusts_nothing() -> None:
    inodes = {"a.txt": 12, "sub/odd, name\n1.txt": 2**64 - 1, "ünïcode {x}.txt": 0}
    text = scan_state.encode_inodes(list(inodes), list(inodes.values()))
    assert scan_state.decode_inodes(text) == inodes
    assert scan_state.decode_inodes('{"mon/a.txt": 12}') == {}  # JSON: never written under this key
    for damaged in (text[:-3], text.replace("\0", "\0x\0", 1), "not json", ""):
        assert scan_state.decode_inodes(damaged) == {}  # every name is then stat-ed, not trusted


def _record(out: Path, drop: str) -> dict[str, int]:
    db = ManifestDB(out / MANIFEST_DB, readonly=True)
    try:
        return scan_state.decode_inodes(db.meta(scan_state.INODES_KEY + drop) or "")
    finally:
        db.close()


def test_a_drop_s_record_names_only_files_the_manifest_has(tmp_path: Path, settled: None) -> None:
    raw, out = _stored(tmp_path)
    assert sorted(_record(out, "mon")) == sorted(FINAL["mon"])
    assert _record(out, "mon")["a2.txt"] == (raw / "mon" / "a2.txt").stat().st_ino
    found = Discovery(inodes={"mon": Listing(["a1.txt"], [7], {"a2.txt": 8, "never_committed.txt": 9})})
    found.files = [ingest_files.SourceFile("mon", raw / "mon" / name, f"mon/{name}", 1, 0)
                   for name in ("a2.txt", "never_committed.txt")]
    db = ManifestDB(out / MANIFEST_DB)
    try:  # a file stat-ed but without a row (the run stopped short of it) is not vouched for
        texts = scan_state._records(db, found, time.time_ns())
    finally:
        db.close()
    assert scan_state.decode_inodes(texts["mon"]) == {"a1.txt": 7, "a2.txt": 8}


def test_kept_rows_of_removed_files_do_not_stop_the_shortcut(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, {"mon": FINAL["mon"], "tue": FINAL["tue"]})
    _run(raw, out, keep_removed=True)
    (raw / "mon" / "a1.txt").unlink()
    assert _run(raw, out, keep_removed=True).files_removed == 0  # kept: more rows than the record names
    (raw / "mon" / "a6.txt").write_text(TEXTS["jill"] + "\n", encoding="utf-8")
    scans = _scans(monkeypatch)
    summary = _run(raw, out, keep_removed=True)
    assert [f.rel_path for f in scans[0].files] == ["mon/a6.txt"]  # the others trusted all the same
    assert sorted(scans[0].assumed["mon"]) == ["a2.txt", "a3.txt", "a4.txt", "a5.txt"]
    assert (summary.files_processed, summary.files_removed) == (1, 0)


def test_a_drop_gone_takes_its_record_and_one_back_in_its_place_is_read_again(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = _stored(tmp_path)
    shutil.move(raw / "tue", tmp_path / "tue_aside")  # the same files, the same inodes
    assert _run(raw, out).files_removed == 5
    assert _record(out, "tue") == {}
    shutil.move(tmp_path / "tue_aside", raw / "tue")
    scans = _scans(monkeypatch)
    assert _run(raw, out).files_processed == 5  # no rows: nothing of it is trusted
    assert not scans[0].assumed.get("tue")
    _same_as_fresh(raw, out, tmp_path)


def test_only_a_plain_file_is_trusted_by_its_inode(tmp_path: Path) -> None:
    """A deleted file's inode number may be handed to whatever is made next under its name
    (a symlink, a folder): trusted by inode alone, that entry would never be read."""
    raw = tmp_path / "raw"
    drop = raw / "mon"
    (drop / "sub").mkdir(parents=True)
    (drop / "plain.txt").write_text("A plain article.\n", encoding="utf-8")
    (tmp_path / "target.txt").write_text("Outside the raw folder.\n", encoding="utf-8")
    (drop / "link.txt").symlink_to(tmp_path / "target.txt")
    (drop / "folder.txt").mkdir()
    names = ("plain.txt", "link.txt", "folder.txt")
    reused = {name: os.lstat(drop / name).st_ino for name in names}  # as if each inode were the recorded one
    found = ingest_files.scan(raw, known=ingest_files.Known(trusted=lambda _drop: reused))
    assert found.assumed == {"mon": ["plain.txt"]}
    assert [skip.rel_path for skip in found.skipped if "symlink" in skip.reason] == ["mon/link.txt"]
