"""Checks a run makes before it writes anything, so an environment problem costs one line.

Each raises :class:`~newsmine.run.failures.EnvironmentProblem` naming the thing and what
to do, and the CLI exits 2: an output folder that cannot be written, a module the
readers need that does not import (the classic: lxml without ``lxml_html_clean``, which
would otherwise turn every HTML page into a failed row).
"""

from __future__ import annotations

import errno
import importlib
import os
from pathlib import Path

from newsmine.run.failures import EnvironmentProblem, environment_problem

# What ingest imports on the way to an article (trafilatura pulls justext and lxml.html.clean).
READER_MODULES = (
    "trafilatura", "lxml.html.clean", "charset_normalizer", "py3langid.langid", "dateutil.parser",
)


def _existing_parent(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def writable(folder: Path) -> bool:
    """Whether this process may create files in ``folder`` (false on a read-only mount)."""
    return os.access(folder, os.W_OK | os.X_OK)


def check_out_dir(out_dir: Path) -> None:
    """``out_dir`` is a folder we can write in, or can be created: else one clear line."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise EnvironmentProblem(f"--out {out_dir} is a file, not a folder; pass a folder for the tables")
    where = out_dir if out_dir.is_dir() else _existing_parent(out_dir)
    if not where.is_dir():
        raise EnvironmentProblem(f"--out {out_dir}: {where} is not a folder; pass a folder for the tables")
    if not writable(where):
        if os.statvfs(where).f_flag & os.ST_RDONLY:  # the disk, not the setup: exit 3 (run.machine)
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(where))
        raise EnvironmentProblem(f"--out {out_dir}: {where} is not writable by this user; "
                                 "pass a folder this user can write to")


def os_problem(out_dir: Path, exc: OSError) -> EnvironmentProblem:
    """An OS error while taking the lock or creating ``out_dir``, as one line."""
    fixes = {
        errno.EROFS: "remount it read-write or pass another --out",
        errno.EACCES: "pass a folder this user can write to",
        errno.EPERM: "pass a folder this user can write to",
        errno.ENOSPC: "free some space or pass another --out",
        errno.ENOTDIR: "pass a folder for the tables",
    }
    fix = fixes.get(exc.errno or 0, "check the folder and try again")
    return EnvironmentProblem(f"--out {out_dir}: {exc.strerror or exc} ({exc.filename or out_dir}); {fix}")


def remove_if_untouched(out_dir: Path, leftovers: frozenset[str]) -> None:
    """Remove an output folder this run created when it holds nothing but ``leftovers``
    (the lock file), so a run stopped by an environment problem leaves nothing behind."""
    try:
        names = set(os.listdir(out_dir))
        if names <= leftovers:
            for name in names:
                os.unlink(out_dir / name)
            os.rmdir(out_dir)
    except OSError:
        pass  # best effort: the message about the real problem matters more


def check_imports(modules: tuple[str, ...] = READER_MODULES) -> None:
    """Every module the readers need imports; else name it and the reinstall command."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise environment_problem(exc, name) from None
