"""Safe to run forever: writes stay inside --out, damage is found and repaired, and a
failure of the machine is one line and its own exit code, with the tables untouched.

Runs go through the CLI in this process (``CliRunner``; spaCy loads once). Disk failures
are raised where the store writes (the suite runs as any user, so no real full disk or
read-only mount): the message, the exit code and the untouched tables are what is tested.
"""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import newsmine.store.lock
import newsmine.store.parquet
from newsmine.cli.app import app
from newsmine.store.parquet import Store
from newsmine.tables.schemas import PARTITIONED

ARTICLES = {
    "kyiv.txt": 'Zelenskyy said on Monday that Ukraine would "not back away" from the talks.',
    "riyadh.txt": 'Marco Rubio met his Saudi counterpart in Riyadh. "We made progress," Rubio said.',
    "kharkiv.txt": "Officials in Kharkiv said 790,000 people had lost power after the overnight strikes.",
}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A raw folder and the output of one run over it, copied by each test that damages it."""
    root = tmp_path_factory.mktemp("clean")
    for drop in ("mon", "tue"):
        (root / "raw" / drop).mkdir(parents=True)
        for name, text in ARTICLES.items():
            (root / "raw" / drop / name).write_text(f"{text} Filed on {drop}.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(root / "raw"), "--out", str(root / "out")])
    assert result.exit_code == 0, result.output
    return root / "raw", root / "out"


def _copy(clean: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(clean[1], tmp_path / "out")
    return clean[0], tmp_path / "out"


def _cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def _tables(out: Path) -> dict:
    store = Store(out, readonly=True)
    try:
        tables = {n: store.read(n) for n in (*PARTITIONED, "people")}
    finally:
        store.close()
    tables["documents"] = tables["documents"].drop_columns(["processed_at"])
    return tables


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.parquet")}


def test_a_journal_naming_paths_outside_out_is_refused_and_quarantined(clean, tmp_path: Path) -> None:
    raw, out = _copy(clean, tmp_path)
    victim, escaped = tmp_path / "victim.parquet", tmp_path / "escaped.parquet"
    victim.write_text("keep me")
    (out / ".staging").mkdir(exist_ok=True)
    (out / ".staging" / "1-0-part.parquet").write_bytes(b"PAR1")
    journal = {"format": 2, "renames": [[".staging/1-0-part.parquet", "quotes/../../escaped.parquet"]],
               "deletes": ["../victim.parquet"], "db": {}}
    (out / "_journal.json").write_text(json.dumps(journal))
    result = _cli("run", str(raw), "--out", str(out))
    assert result.exit_code == 0
    assert victim.read_text() == "keep me" and not escaped.exists()
    assert "_journal.json" in result.stderr and "quarantined" in result.stderr
    assert not (out / "_journal.json").exists()
    assert len(list(out.glob("_journal.json.quarantined-*"))) == 1
    assert _tables(out)["quotes"].equals(_tables(clean[1])["quotes"])


def test_a_journal_reaching_outside_through_a_symlink_is_refused(clean, tmp_path: Path) -> None:
    raw, out = _copy(clean, tmp_path)
    elsewhere = tmp_path / "elsewhere" / "drop-mon"
    elsewhere.mkdir(parents=True)
    (elsewhere / "part-tail.parquet").write_text("not yours")
    (out / "claims").rename(tmp_path / "claims-real")
    (out / "claims").symlink_to(tmp_path / "elsewhere")  # a table folder swapped for a symlink
    journal = {"format": 2, "renames": [], "deletes": ["claims/drop-mon/part-tail.parquet"], "db": {}}
    (out / "_journal.json").write_text(json.dumps(journal))
    result = _cli("run", str(raw), "--out", str(out))
    assert (elsewhere / "part-tail.parquet").read_text() == "not yours"
    lines = result.stderr.strip().splitlines()
    notice, failure = lines[0], lines[-1]
    assert "_journal.json escapes the output folder" in notice and "quarantined" in notice
    assert list(out.glob("_journal.json.quarantined-*"))
    # Repairing the symlinked table would write through the symlink: refused, in one line.
    assert result.exit_code == 2
    assert "claims/drop-mon/part-tail.parquet: outside the output folder" in failure and "symlink" in failure


def test_a_garbage_journal_is_quarantined_and_the_last_state_kept(clean, tmp_path: Path) -> None:
    raw, out = _copy(clean, tmp_path)
    (out / "_journal.json").write_bytes(b"\x00{garbage")
    first = _cli("run", str(raw), "--out", str(out))
    assert first.exit_code == 0 and "damaged" in first.stderr
    assert "0 files processed (6 unchanged" in first.stdout
    again = _cli("run", str(raw), "--out", str(out))
    assert again.exit_code == 0 and "warning" not in again.stderr
    assert _tables(out)["entities"].equals(_tables(clean[1])["entities"])


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete"])
def test_a_noop_run_finds_a_damaged_part_names_it_and_rebuilds_it(clean, tmp_path: Path, damage: str) -> None:
    raw, out = _copy(clean, tmp_path)
    part = next(iter(sorted((out / "quotes" / "drop-tue").glob("part-*.parquet"))))
    size = part.stat().st_size
    if damage == "truncate":
        part.write_bytes(part.read_bytes()[: size // 2])
    elif damage == "garbage":
        part.write_bytes(b"\x00" * size)
    else:
        part.unlink()
    result = _cli("run", str(raw), "--out", str(out))
    assert result.exit_code == 0
    assert str(part) in result.stderr and "rebuilding" in result.stderr
    assert "3 files processed" in result.stdout  # the damaged chunk's files, nothing else
    for name, table in _tables(out).items():
        assert table.equals(_tables(clean[1])[name]), name
    assert _cli("check", str(raw), "--out", str(out)).exit_code == 0


def test_check_finds_what_the_size_does_not_and_repair_rebuilds_it(clean, tmp_path: Path) -> None:
    raw, out = _copy(clean, tmp_path)
    part = next(iter(sorted((out / "entities" / "drop-mon").glob("part-*.parquet"))))
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0x55  # same size, Parquet header and footer intact
    part.write_bytes(bytes(data))
    assert "0 files processed" in _cli("run", str(raw), "--out", str(out)).stdout  # cheap checks pass
    found = _cli("check", str(raw), "--out", str(out))
    assert found.exit_code == 1
    assert f"damaged: {part}: checksum differs" in found.stderr
    repaired = _cli("check", str(raw), "--out", str(out), "--repair")
    assert repaired.exit_code == 0 and "3 files processed" in repaired.stdout
    assert _cli("check", str(raw), "--out", str(out)).exit_code == 0
    assert _tables(out)["entities"].equals(_tables(clean[1])["entities"])


def test_a_corrupt_manifest_is_one_line_then_check_repair_rebuilds(clean, tmp_path: Path) -> None:
    raw, out = _copy(clean, tmp_path)
    (out / "_manifest.sqlite").write_bytes(b"overwritten by a confused script\n" * 200)
    before = _files(out)
    result = _cli("run", str(raw), "--out", str(out))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "_manifest.sqlite" in line and "newsmine check --repair" in line
    assert _files(out) == before  # tables untouched
    repaired = _cli("check", str(raw), "--out", str(out), "--repair")
    assert repaired.exit_code == 0 and "6 files processed" in repaired.stdout
    assert list(out.glob("_manifest.sqlite.quarantined-*"))
    for name, table in _tables(out).items():
        assert table.equals(_tables(clean[1])[name]), name


def _fail_writes(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    def write_table(table, where, *args, **kwargs):
        raise OSError(code, "simulated", str(where))

    monkeypatch.setattr(newsmine.store.parquet.pq, "write_table", write_table)


@pytest.mark.parametrize(
    ("code", "exit_code", "words"),
    [(errno.ENOSPC, 3, "no space left"), (errno.EROFS, 3, "read-only"), (errno.EACCES, 2, "permission")],
)
def test_a_failing_disk_is_one_line_naming_the_path_and_the_tables_stay(
    clean, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, exit_code: int, words: str
) -> None:
    raw, out = _copy(clean, tmp_path)
    raw2 = tmp_path / "raw"
    shutil.copytree(raw, raw2)
    (raw2 / "wed").mkdir()
    (raw2 / "wed" / "new.txt").write_text(ARTICLES["kyiv.txt"] + " A new one.\n", encoding="utf-8")
    before = _files(out)
    _fail_writes(monkeypatch, code)
    result = _cli("run", str(raw2), "--out", str(out))
    assert result.exit_code == exit_code
    [line] = result.stderr.strip().splitlines()
    assert words in line and ".staging" in line and errno.errorcode[code] in line
    assert _files(out) == before
    monkeypatch.undo()
    assert _cli("run", str(raw2), "--out", str(out)).exit_code == 0  # the next run does the work


def test_a_read_only_out_fails_even_a_run_with_nothing_to_do_in_one_line(
    clean, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = _copy(clean, tmp_path)
    real_open = newsmine.store.lock.os.open

    def read_only(path, flags, *args):
        if flags & (newsmine.store.lock.os.O_RDWR | newsmine.store.lock.os.O_WRONLY):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(newsmine.store.lock.os, "open", read_only)
    result = _cli("run", str(raw), "--out", str(out))
    assert result.exit_code == 3
    [line] = result.stderr.strip().splitlines()
    assert ".newsmine.lock" in line and "EROFS" in line and "remount" in line


def test_out_that_is_a_file_is_one_line(clean, tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("a file, not a folder")
    result = _cli("run", str(clean[0]), "--out", str(target))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert str(target) in line and "not a folder" in line
    assert target.read_text() == "a file, not a folder"


def test_every_part_is_in_the_manifest_with_its_size_and_checksum(clean) -> None:
    store = Store(clean[1], readonly=True)
    try:
        parts = {p.path: p for p in store.parts()}
    finally:
        store.close()
    files = sorted(p.relative_to(clean[1]).as_posix() for p in clean[1].rglob("*.parquet"))
    assert files and sorted(parts) == files
    for rel, part in parts.items():
        assert part.size == (clean[1] / rel).stat().st_size
        assert part.rows == pq.ParquetFile(clean[1] / rel).metadata.num_rows
