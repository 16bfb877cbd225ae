"""Status: per drop, what is processed, pending and removed, without running anything."""

from __future__ import annotations

from pathlib import Path

from newsmine.run.runner import RunOptions, run
from newsmine.run.status import drop_status


def _write(raw: Path, rel: str, text: str) -> None:
    (raw / rel).parent.mkdir(parents=True, exist_ok=True)
    (raw / rel).write_text(text, encoding="utf-8")


def test_status_follows_new_changed_and_removed_files(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, "mon/a.txt", "The council met on Monday. It approved 12 new homes.")
    _write(raw, "tue/b.txt", "Officials said the bridge would reopen next week.")
    assert [(s.drop, s.files, s.processed, s.pending) for s in drop_status(raw, out)] == [
        ("mon", 1, 0, 1), ("tue", 1, 0, 1)
    ]
    run(RunOptions(raw_dir=raw, out_dir=out))
    rows = drop_status(raw, out)
    assert [(s.drop, s.processed, s.pending, s.removed, s.failed, s.up_to_date) for s in rows] == [
        ("mon", 1, 0, 0, 0, True), ("tue", 1, 0, 0, 0, True)
    ]
    assert all(s.stored_version for s in rows)
    _write(raw, "mon/c.txt", "A second article about 30 new buses.")
    (raw / "tue" / "b.txt").unlink()
    rows = {s.drop: s for s in drop_status(raw, out)}
    assert (rows["mon"].files, rows["mon"].pending, rows["mon"].up_to_date) == (2, 1, False)
    assert (rows["tue"].files, rows["tue"].removed, rows["tue"].up_to_date) == (0, 1, False)
