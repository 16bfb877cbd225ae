"""Run lock: a live holder refuses others by pid; a dead holder's lock is taken over."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsmine.store.lock import LOCK_NAME, LockHeld, RunLock, holder, pid_alive

# Holds the lock, says so, then waits for stdin to close (no sleeps to time).
_HOLDER = textwrap.dedent(
    """
    import sys
    from newsmine.store.lock import RunLock
    with RunLock(sys.argv[1]):
        print("locked", flush=True)
        sys.stdin.read()
    """
)

# Takes the lock, then forks a child that inherits the flock, and exits at once,
# as a SIGKILLed run whose worker processes linger would.
_ORPHANING = textwrap.dedent(
    """
    import os, sys
    from newsmine.store.lock import RunLock
    lock = RunLock(sys.argv[1])
    lock.acquire()
    if os.fork() == 0:
        sys.stdin.read()
        os._exit(0)
    print("locked", flush=True)
    os._exit(0)
    """
)

REPO = Path(__file__).resolve().parents[2]


def _spawn(script: str, out: Path) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert child.stdout is not None and child.stdout.readline() == "locked\n"
    return child


def test_second_holder_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    child = _spawn(_HOLDER, tmp_path)
    try:
        with pytest.raises(LockHeld) as refused, RunLock(tmp_path):
            pass
        assert refused.value.pid == child.pid
        assert str(child.pid) in str(refused.value)
        assert holder(tmp_path) == child.pid
    finally:
        child.communicate("")
    assert holder(tmp_path) is None
    with RunLock(tmp_path) as lock:  # free again once the holder exits
        assert lock.held
    assert not lock.held


def test_two_locks_in_one_process_conflict(tmp_path: Path) -> None:
    with RunLock(tmp_path), pytest.raises(LockHeld) as refused:
        RunLock(tmp_path).acquire()
    assert refused.value.pid == os.getpid()


def test_lock_left_by_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead.kill()
    dead.wait()
    assert not pid_alive(dead.pid)
    (tmp_path / LOCK_NAME).write_text(f"{dead.pid}\n")
    with RunLock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text().strip() != str(dead.pid)
        assert holder(tmp_path) is not None


def test_lock_held_by_orphans_of_a_dead_run_is_broken(tmp_path: Path) -> None:
    parent = _spawn(_ORPHANING, tmp_path)
    parent.wait()
    assert not pid_alive(parent.pid)
    try:
        assert holder(tmp_path) is None  # the recorded holder is dead
        with RunLock(tmp_path) as lock:
            assert lock.held
            with pytest.raises(LockHeld):
                RunLock(tmp_path).acquire()
    finally:
        parent.stdin.close()  # lets the orphan exit


def test_garbage_in_a_free_lock_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text("not a pid")
    with RunLock(tmp_path) as lock:
        assert lock.held


def test_pid_alive() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(0)
