"""One run at a time per output folder: an exclusive ``flock`` on ``<out>/.newsmine.lock``.

Why ``flock`` and a pid: the kernel drops a ``flock`` the moment its holder dies, so
a crashed or SIGKILLed run never blocks the next one, and the pid written into the
file lets the refusal name the holder. One gap remains: worker processes forked by a
run share its open file description, so if the parent is killed while orphaned
workers linger, they still hold the ``flock``. A lock whose recorded pid is dead is
therefore *stale* and is broken: the file is unlinked (under a short-lived guard
lock so two newcomers cannot both break it) and a fresh one is taken.

The file name starts with ``.`` so table readers (pyarrow, pandas) never see it.

Usage::

    with RunLock(out_dir):
        ...  # recover, plan, process, commit

A live holder raises :class:`LockHeld` carrying its pid.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

LOCK_NAME = ".newsmine.lock"
_GUARD_SUFFIX = ".guard"
# How long to wait for a freshly locked file to receive its holder's pid.
_PID_WAIT_TRIES = 40
_PID_WAIT_SECONDS = 0.05


class LockHeld(RuntimeError):
    """Another live process holds the run lock."""

    def __init__(self, pid: int, path: Path) -> None:
        who = f"pid {pid}" if pid else "an unknown process"
        super().__init__(f"another newsmine run ({who}) holds the lock {path}")
        self.pid = pid
        self.path = path


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` names a running (non-zombie) process."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    # A killed child that was never reaped still answers kill(0); it holds nothing.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    state = stat.rsplit(")", 1)[-1].split()
    return not (state and state[0] in ("Z", "X"))


def _read_pid(fd: int) -> int | None:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 64).decode("ascii", "replace").strip()
    try:
        return int(text)
    except ValueError:
        return None


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino)


class RunLock:
    """Context manager holding the run lock of an output folder (created if missing)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise :class:`LockHeld`; a dead holder's lock is taken over."""
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this RunLock")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        unknown_tries = 0
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = _read_pid(fd)
                os.close(fd)
                if pid is not None and pid_alive(pid):
                    raise LockHeld(pid, self.path) from None
                if pid is None:
                    # Either a holder between flock and writing its pid, or garbage.
                    unknown_tries += 1
                    if unknown_tries >= _PID_WAIT_TRIES:
                        raise LockHeld(0, self.path) from None
                    time.sleep(_PID_WAIT_SECONDS)
                    continue
                self._break_stale(pid)
                continue
            # Under the guard so a breaker cannot unlink the file between our check and
            # our pid landing in it (it would then see a live pid and leave it alone).
            with self._guard():
                if not _same_file(fd, self.path):
                    os.close(fd)  # the file was broken and replaced while we opened it
                    continue
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                os.fsync(fd)
            self._fd = fd
            return

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """A short-lived lock serialising lock-file replacement and pid writes."""
        guard = os.open(str(self.path) + _GUARD_SUFFIX, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(guard, fcntl.LOCK_EX)
            yield
        finally:
            os.close(guard)

    def _break_stale(self, dead_pid: int) -> None:
        """Unlink a lock file whose recorded holder is dead, if it is still that one."""
        with self._guard():
            try:
                fd = os.open(self.path, os.O_RDWR)
            except FileNotFoundError:
                return
            try:
                if _read_pid(fd) != dead_pid:
                    return  # someone else broke it and relocked meanwhile
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    # Held by orphans of the dead run: give it a new inode.
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(self.path)
                else:
                    fcntl.flock(fd, fcntl.LOCK_UN)  # it was free after all; retry normally
            finally:
                os.close(fd)

    def release(self) -> None:
        """Drop the lock; the file stays (unlinking it would race with newcomers)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def holder(out_dir: Path) -> int | None:
    """The pid holding ``out_dir``'s lock, or None when it is free (for ``newsmine status``)."""
    path = Path(out_dir) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            return pid if pid is not None and pid_alive(pid) else None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
