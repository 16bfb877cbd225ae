"""The commit journal of an output folder: staged files, then one atomic switch.

A commit writes every new file under ``.staging/`` (same filesystem, so ``os.replace``
into place is atomic) and fsyncs it, then writes ``_journal.json`` listing the renames
and deletions (temp + rename + fsync: the commit point), then applies it and deletes it.
Applying is idempotent, so a run killed at any moment is rolled forward by the next.
"""

from __future__ import annotations

import contextlib
import json
import os
from itertools import count
from pathlib import Path

JOURNAL_NAME = "_journal.json"
STAGING = ".staging"
_counter = count()


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (renames, new files) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path(out_dir: Path, final: Path) -> Path:
    """A staging file for ``final``, unique to this process and call."""
    return out_dir / STAGING / f"{os.getpid()}-{next(_counter)}-{final.name}"


def write_durably(path: Path, data: bytes) -> None:
    """Write ``data`` and fsync it before returning."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_journal(out_dir: Path, renames: list[tuple[Path, Path]], deletes: list[Path]) -> None:
    """Write the journal of one commit durably: after this, the commit will happen."""

    def rel(path: Path) -> str:
        return path.relative_to(out_dir).as_posix()

    journal = {
        "renames": [[rel(temp), rel(final)] for temp, final in renames],
        "deletes": [rel(path) for path in deletes],
    }
    path = out_dir / JOURNAL_NAME
    temp = temp_path(out_dir, path)
    write_durably(temp, json.dumps(journal, indent=1).encode("utf-8"))
    os.replace(temp, path)
    fsync_dir(out_dir)


def apply_journal(out_dir: Path) -> None:
    """Carry out the journal's renames and deletions; safe to repeat after a crash."""
    path = out_dir / JOURNAL_NAME
    journal = json.loads(path.read_text(encoding="utf-8"))
    touched: set[Path] = set()
    for temp_rel, final_rel in journal["renames"]:
        temp, final = out_dir / temp_rel, out_dir / final_rel
        if temp.exists():  # else already renamed before the crash
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, final)
        touched.update((final.parent, final.parent.parent))
    for rel in journal["deletes"]:
        target = out_dir / rel
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        touched.add(target.parent)
    for directory in sorted(touched):
        if directory.exists():
            fsync_dir(directory)
    path.unlink()
    fsync_dir(out_dir)
