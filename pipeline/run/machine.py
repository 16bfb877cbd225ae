"""One line and an exit code for each way the machine can fail a run.

Why: a full disk or a read-only ``--out`` used to print a rich traceback and exit 1,
which the README's systemd unit counts as success ("some documents failed"). Each such
failure now gets one line naming the path and the fix, and an exit code of its own:

==== ==========================================================================
0    all good
1    some documents failed (each is a ``failed`` documents row), or another run
     holds the lock
2    usage or environment: a missing raw folder, ``--out`` not a folder, permission
     denied, an unreadable manifest, a path outside ``--out``, an unknown model
3    disk: no space left (ENOSPC, EDQUOT), a read-only file system (EROFS), I/O error
==== ==========================================================================

A commit is atomic, so whatever failed, the tables are those of the last commit that
completed (each drop commits on its own; the next run finishes the work).
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from newsmine.store.db import ManifestError
from newsmine.store.paths import OutsideOutput

EXIT_USAGE = 2
EXIT_DISK = 3
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})
_UNCHANGED = "the tables are as the last completed commit left them"

# errno -> (what happened, the fix, exit code); {path} and {out} are filled in
_OS: dict[int, tuple[str, str, int]] = {
    errno.ENOSPC: ("no space left on the device",
                   "free space (or point --out at a larger disk) and run again", EXIT_DISK),
    errno.EDQUOT: ("disk quota exceeded", "raise the quota or free space and run again", EXIT_DISK),
    errno.EROFS: ("read-only file system", "remount it read-write or choose another --out", EXIT_DISK),
    errno.EIO: ("input/output error", "check the disk (dmesg, fsck), then run `newsmine check`", EXIT_DISK),
    errno.EACCES: ("permission denied", "give this user write access to {out} or choose another --out",
                   EXIT_USAGE),
    errno.EPERM: ("operation not permitted", "give this user write access to {out} or choose another --out",
                  EXIT_USAGE),
    errno.ENOTDIR: ("not a folder", "--out must be a folder: move the file away or choose another --out",
                    EXIT_USAGE),
    errno.EEXIST: ("exists and is not a folder", "move it away or choose another --out", EXIT_USAGE),
}
_SQLITE = {  # SQLite reports errno-like failures as text
    "database or disk is full": errno.ENOSPC,
    "attempt to write a readonly database": errno.EROFS,
    "disk i/o error": errno.EIO,
    "unable to open database file": errno.EACCES,
}


def explain(exc: BaseException, out_dir: Path) -> tuple[str, int] | None:
    """(message, exit code) for a failure of the machine; None for anything else (a bug)."""
    if isinstance(exc, ManifestError):
        return (f"{exc}; run `newsmine check --repair` to move it aside and rebuild the tables "
                f"from the raw folder ({_UNCHANGED})", EXIT_USAGE)
    if isinstance(exc, OutsideOutput):
        return f"{exc}; check for symlinks in {out_dir} ({_UNCHANGED})", EXIT_USAGE
    if isinstance(exc, sqlite3.OperationalError):
        code = next((e for text, e in _SQLITE.items() if text in str(exc).lower()), None)
        if code is None:
            return None
        exc = OSError(code, str(exc), str(out_dir / "_manifest.sqlite"))
    if isinstance(exc, OSError) and exc.errno in _OS:
        what, fix, status = _OS[exc.errno]
        path = exc.filename if exc.filename is not None else out_dir
        fix = fix.format(out=out_dir)
        return f"{path}: {what} ({errno.errorcode[exc.errno]}); {fix} ({_UNCHANGED})", status
    return None
