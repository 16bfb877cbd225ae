"""No process of a run outlives it: SIGKILL a run with two workers, then look for survivors.

Before the guard (``newsmine.run.guard``) both pool workers and multiprocessing's
resource tracker stayed alive and idle after the run was killed, for good.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from newsmine.run.guard import guard_worker

REPO = Path(__file__).resolve().parents[2]

SENTENCES = [
    'Zelenskyy said on Monday that Ukraine would "not back away" from the talks.',
    "Officials in Kharkiv said 790,000 people had lost power after the overnight strikes.",
    '"The ceasefire is holding," a United Nations spokesperson said on Tuesday.',
]


def _corpus(raw: Path, drops: int, files: int) -> None:
    for d in range(drops):
        (raw / f"drop{d}").mkdir(parents=True)
        for i in range(files):
            text = f"{SENTENCES[(d + i) % 3]} It was report number {d}-{i}.\n"
            (raw / f"drop{d}" / f"a{i}.txt").write_text(text, encoding="utf-8")


def _first_commit(out: Path) -> bool:
    return (out / "documents").is_dir() and any((out / "documents").iterdir())


def _kill_and_find_survivors(cmd: list[str], out: Path, workers: int) -> list[psutil.Process]:
    """Start the run, wait until its workers exist and it has committed, SIGKILL it, and
    return every process it had started that is still alive 20 s later."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(child.pid)
    seen: dict[int, psutil.Process] = {}
    deadline = time.monotonic() + 240
    try:
        while child.poll() is None and time.monotonic() < deadline:
            for proc in parent.children(recursive=True):
                seen.setdefault(proc.pid, proc)
            if len(seen) >= workers and _first_commit(out):
                break
            time.sleep(0.05)
        assert child.poll() is None, "the run ended before it could be killed"
        assert len(seen) >= workers, seen
        for proc in parent.children(recursive=True):
            seen.setdefault(proc.pid, proc)
        child.send_signal(signal.SIGKILL)
        child.wait()
        _, alive = psutil.wait_procs(list(seen.values()), timeout=20)
        return alive
    finally:
        for proc in seen.values():
            if proc.is_running():
                proc.kill()
        if child.poll() is None:
            child.kill()


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_sigkill_of_a_run_with_two_workers_leaves_no_process_behind(tmp_path: Path, engine: str) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, drops=12, files=3)
    cmd = [sys.executable, "-m", "newsmine", "run", str(raw), "--out", str(out), "--workers", "2",
           "--engine", engine]
    alive = _kill_and_find_survivors(cmd, out, workers=2)
    assert [p.pid for p in alive] == []


_GUARDED = """
import sys, time
from newsmine.run.guard import guard_worker
guard_worker(int(sys.argv[1]), interval=0.05)
print("guarded", flush=True)
time.sleep(60)
"""


def test_a_guarded_worker_exits_when_the_watched_process_is_gone(tmp_path: Path) -> None:
    """The watchdog alone (what remains where prctl does not apply): watch a short-lived pid."""
    doomed = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    worker = subprocess.Popen(
        [sys.executable, "-c", _GUARDED, str(doomed.pid)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert worker.stdout is not None and worker.stdout.readline() == "guarded\n"
        assert worker.poll() is None
        doomed.kill()
        doomed.wait()
        assert worker.wait(timeout=20) == 1
    finally:
        for proc in (worker, doomed):
            if proc.poll() is None:
                proc.kill()


def test_guard_refuses_to_start_for_a_dead_parent() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from newsmine.run.guard import guard_worker; guard_worker(2**22 + 12345)"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert done.returncode == 1
    assert callable(guard_worker)
