"""Worker processes die with the run that started them, even when it is SIGKILLed.

A killed ``newsmine run`` used to leave its pool workers (and multiprocessing's
resource tracker, which waits for them) alive and idle, 250–300 MB each, for good.
Two mechanisms, because each has a gap the other covers:

* ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker the moment its
  parent *thread* exits (Linux only; immediate even while the worker is inside a long
  C call that holds the GIL). The pool must therefore be created from a long-lived
  thread (the main thread does it here).
* a watchdog thread polling the parent: covers other platforms, the forkserver start
  method (where the worker's parent is the fork server, which outlives the main
  process) and a parent that died before ``prctl`` ran.

Call :func:`guard_worker` first thing in a worker (the pool's initializer).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def set_parent_death_signal(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``sig`` when this process's parent thread exits (Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return True


def _watch(parent_pid: int, first_ppid: int, interval: float) -> None:
    while True:
        # Re-parented (to init or a sub-reaper) or the run is gone: nothing is waiting for us.
        if os.getppid() != first_ppid or not _alive(parent_pid):
            os._exit(1)
        time.sleep(interval)


def guard_worker(parent_pid: int, interval: float = WATCH_SECONDS) -> None:
    """Make this worker die with the process ``parent_pid`` (the run)."""
    with contextlib.suppress(OSError):
        set_parent_death_signal()
    if not _alive(parent_pid):  # the run died before prctl took effect
        os._exit(1)
    watchdog = threading.Thread(
        target=_watch, args=(parent_pid, os.getppid(), interval), name="newsmine-parent-watchdog", daemon=True
    )
    watchdog.start()
