"""Discovery leaves nothing out silently: every entry it does not read is a named skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsmine.ingest.articles import read_articles
from newsmine.ingest.decode import UTF8_REPLACED, decode_bytes
from newsmine.ingest.files import SourceFile, scan

TEXT = "Officials in Kharkiv said 790,000 people had lost power after the overnight strikes.\n"


def _tree(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    for rel in ("mon/a.txt", "tue/b.txt", "mon/notes.md", "mon/README", "mon/.part.txt"):
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_text(TEXT, encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (raw / "latest").symlink_to("tue")  # a symlinked drop inside the raw folder
    (raw / "mon" / "same.txt").symlink_to("a.txt")
    (raw / "mon" / "escape.txt").symlink_to(outside / "secret.txt")
    (raw / "away").symlink_to(outside)
    (raw / "mon" / "loop").symlink_to("loop")
    (raw / "mon" / "up").symlink_to("..")  # a folder inside itself
    (raw / "mon" / "gone.txt").symlink_to("nowhere.txt")
    os.mkfifo(raw / "mon" / "pipe.txt")
    return raw


def test_every_entry_is_read_or_named(tmp_path: Path) -> None:
    found = scan(_tree(tmp_path))
    assert [f.rel_path for f in found.files] == ["latest/b.txt", "mon/a.txt", "mon/same.txt", "tue/b.txt"]
    assert [f.drop for f in found.files] == ["latest", "mon", "mon", "tue"]
    skipped = {s.rel_path: s.reason for s in found.skipped}
    assert skipped["away"].startswith("symlink to outside the raw folder")
    assert skipped["mon/escape.txt"].startswith("symlink to outside the raw folder")
    assert skipped["mon/loop"].startswith("symlink loop")
    assert skipped["mon/up"].startswith("symlink loop")
    assert skipped["mon/gone.txt"].startswith("broken symlink")
    assert skipped["mon/pipe.txt"] == "not a regular file (fifo)"
    assert skipped["mon/notes.md"] == "unsupported extension .md"
    assert skipped["mon/README"] == "no file extension"
    assert skipped["mon/.part.txt"] == "hidden"
    assert len(skipped) == len(found.skipped) == 9
    notable = {s.rel_path for s in found.skipped if s.notable}
    assert notable == {"away", "mon/escape.txt", "mon/loop", "mon/up", "mon/gone.txt", "mon/pipe.txt"}


def test_drop_scope_and_the_output_folder(tmp_path: Path) -> None:
    raw = _tree(tmp_path)
    (raw / "out" / "documents").mkdir(parents=True)
    (raw / "out" / "_manifest.json").write_text('{"format": 1, "records": {}}')
    found = scan(raw, exclude=[raw / "out"])
    assert not any(f.rel_path.startswith("out/") for f in found.files)
    assert {s.rel_path: s.reason for s in found.skipped}["out"].startswith("the output folder")
    scoped = scan(raw, drops=["mon"])
    assert [f.rel_path for f in scoped.files] == ["mon/a.txt", "mon/same.txt"]
    assert {s.drop for s in scoped.skipped} == {"mon"}


def test_a_device_is_skipped_by_name(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "d"
    raw.mkdir(parents=True)
    try:
        os.mknod(raw / "null.txt", 0o600 | 0o020000, os.makedev(1, 3))  # a character device
    except PermissionError:
        pytest.skip("creating a device node needs root")
    [skip] = scan(tmp_path / "raw").skipped
    assert skip.reason == "not a regular file (character device)"


def test_unreadable_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    (raw / "locked").mkdir(parents=True)
    (raw / "open").mkdir()
    (raw / "open" / "a.txt").write_text(TEXT)
    real = os.scandir

    def scandir(path):  # root can list a chmod 000 folder, so deny it this way
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = scan(raw)
    assert [f.rel_path for f in found.files] == ["open/a.txt"]
    skipped = [(s.rel_path, s.reason) for s in found.skipped]
    assert skipped == [("locked", "unreadable folder (Permission denied)")]


def test_a_file_swapped_for_a_fifo_after_discovery_fails_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "d" / "late.txt"
    path.parent.mkdir()
    os.mkfifo(path)
    [article] = read_articles(SourceFile("d", path, "d/late.txt", 0, 0))
    assert article.error == "not a regular file"


def test_invalid_utf8_is_utf8_with_replacements_not_mojibake() -> None:
    text = "“We won’t give up,” said Zoë Müller in Saint-Étienne — prices rose 5 %. " * 3
    broken = text.encode("utf-8")
    broken = broken[:40] + b"\xff" + broken[40:]  # one stray byte in otherwise valid UTF-8
    decoded, encoding = decode_bytes(broken)
    assert encoding == UTF8_REPLACED == "utf-8 (with replacements)"
    assert decoded.count("\ufffd") == 1 and decoded.replace("\ufffd", "") == text
    truncated = text.encode("utf-8")[:-1] + "é".encode()[:1]  # cut inside a character
    assert decode_bytes(truncated)[1] == UTF8_REPLACED
    legacy = "Le café était très bon, a déclaré le ministre à Paris.".encode("cp1252")
    assert decode_bytes(legacy) == ("Le café était très bon, a déclaré le ministre à Paris.", "cp1252")
