"""The commit journal of an output folder: staged files, then one atomic switch.

A commit writes every new file under ``.staging/`` (same filesystem, so ``os.replace``
into place is atomic) and fsyncs it, then writes ``_journal.json`` listing the renames,
the deletions and the manifest database's delta (temp + rename + fsync: the commit
point), then applies it and deletes it. Applying is idempotent, so a run killed at any
moment is rolled forward by the next.

A journal is checked whole before anything of it is applied: every rename must move a
file from ``.staging/`` into a table folder, every deletion name a Parquet file in a
table folder, each resolved (symlinks followed) inside the output folder. A journal
that fails the check, or does not parse, is never applied: :func:`quarantine` renames
it aside (``_journal.json.quarantined-<time>``) and the caller verifies the tables.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Collection
from itertools import count
from pathlib import Path
from typing import Any

from newsmine.store.paths import JOURNAL_NAME, STAGING, Confined, OutsideOutput

FORMAT = 2
_counter = count()


class JournalDamaged(RuntimeError):
    """The journal cannot be parsed or names something a commit never writes."""


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (renames, new files) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path(out_dir: Path, final: Path | str) -> Path:
    """A staging file for ``final``, unique to this process and call."""
    return Path(out_dir) / STAGING / f"{os.getpid()}-{next(_counter)}-{Path(final).name}"


def write_durably(path: Path, data: bytes) -> None:
    """Write ``data`` and fsync it before returning."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_journal(
    confined: Confined, renames: list[tuple[Path, str]], deletes: list[str], delta: dict[str, Any]
) -> None:
    """Write the journal of one commit durably: after this, the commit will happen."""
    out_dir = confined.out_dir
    journal = {
        "format": FORMAT,
        "renames": [[temp.relative_to(out_dir).as_posix(), final] for temp, final in renames],
        "deletes": sorted(deletes),
        "db": delta,
    }
    _validate(confined, journal, tables=None)  # a bug must not write what recovery refuses
    path = confined.check(out_dir / JOURNAL_NAME)
    temp = temp_path(out_dir, path)
    write_durably(temp, json.dumps(journal, ensure_ascii=False).encode("utf-8"))
    os.replace(temp, path)
    fsync_dir(out_dir)


def _validate(
    confined: Confined, journal: Any, tables: Collection[str] | None
) -> tuple[list[tuple[Path, Path]], list[Path], dict[str, Any]]:
    """The journal's renames and deletions as checked paths, and its database delta."""
    if not isinstance(journal, dict) or journal.get("format") != FORMAT:
        raise JournalDamaged(f"not a newsmine journal (format {FORMAT})")
    try:
        pairs = [(str(a), str(b)) for a, b in journal["renames"]]
        deletes = [str(d) for d in journal["deletes"]]
        delta = journal["db"]
    except (KeyError, TypeError, ValueError) as exc:
        raise JournalDamaged(f"malformed journal ({exc})") from None
    if not isinstance(delta, dict):
        raise JournalDamaged("malformed journal (db is not an object)")
    renames = []
    for temp, final in pairs:
        if not temp.startswith(STAGING + "/"):
            raise JournalDamaged(f"rename of {temp}, which is not a staged file")
        _table_file(final, tables)
        renames.append((confined.rel(temp), confined.rel(final)))
    for rel in deletes:
        _table_file(rel, tables)
    return renames, [confined.rel(rel) for rel in deletes], delta


def _table_file(rel: str, tables: Collection[str] | None) -> None:
    """Refuse anything but a Parquet file one or two folders deep in a table folder."""
    parts = rel.split("/")
    if not rel.endswith(".parquet") or len(parts) not in (2, 3) or ".." in parts:
        raise JournalDamaged(f"{rel} is not a part file of a table")
    if tables is not None and parts[0] not in tables:
        raise JournalDamaged(f"{rel} is not in a table folder ({', '.join(sorted(tables))})")


def read_journal(
    confined: Confined, tables: Collection[str]
) -> tuple[list[tuple[Path, Path]], list[Path], dict[str, Any]]:
    """The pending journal, checked; raises :class:`JournalDamaged` or ``OutsideOutput``."""
    path = confined.check(confined.out_dir / JOURNAL_NAME)
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JournalDamaged(f"unreadable journal ({exc})") from None
    return _validate(confined, journal, tables)


def apply_journal(confined: Confined, tables: Collection[str], apply_db: Callable[[dict], None]) -> None:
    """Carry out the journal's renames, deletions and database delta; safe to repeat."""
    renames, deletes, delta = read_journal(confined, tables)
    touched: set[Path] = set()
    for temp, final in renames:
        if temp.exists():  # else already renamed before the crash
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, final)
        touched.update((final.parent, final.parent.parent))
    for target in deletes:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        touched.add(target.parent)
    for directory in sorted(touched):
        if directory.exists():
            fsync_dir(directory)
    apply_db(delta)
    (confined.out_dir / JOURNAL_NAME).unlink()
    fsync_dir(confined.out_dir)


def quarantine(confined: Confined, why: Exception) -> str:
    """Rename a journal that must not be applied out of the way; returns the notice to print."""
    path = confined.out_dir / JOURNAL_NAME
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    aside = path.with_name(f"{JOURNAL_NAME}.quarantined-{stamp}")
    os.replace(path, aside)
    fsync_dir(confined.out_dir)
    kind = "escapes the output folder" if isinstance(why, OutsideOutput) else "is damaged"
    return f"{path} {kind} ({why}); not applied, moved to {aside.name}; the tables are being verified"
