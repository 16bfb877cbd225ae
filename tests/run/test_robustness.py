"""Issue 4 end to end through the CLI: bad inputs, SIGKILL, idempotence, incremental runs, the lock.

Runs go through ``typer.testing.CliRunner`` in this process (spaCy loads once), except
the SIGKILL test, which needs a real ``newsmine run`` process to kill.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow as pa
import pytest
from typer.testing import CliRunner

import newsmine.people.relink
import newsmine.run.runner
from newsmine.cli.app import app
from newsmine.store.lock import LOCK_NAME
from newsmine.store.parquet import STAGING, Store
from newsmine.tables.schemas import PARTITIONED

REPO = Path(__file__).resolve().parents[2]
SUMMARY = re.compile(r"newsmine run: (\d+) files processed \((\d+) unchanged, (\d+) removed\)")

ARTICLES = [
    'Zelenskyy said on Monday that Ukraine would "not back away" from the talks.',
    'Marco Rubio met his Saudi counterpart in Riyadh. "We made progress," Rubio told reporters.',
    "Officials in Kharkiv said 790,000 people had lost power after the overnight strikes.",
    "Pete Hegseth said the Pentagon would send 3,000 more troops, according to a statement.",
    '"The ceasefire is holding," a United Nations spokesperson said on Tuesday.',
    "Prices rose 3.5 percent in March, the statistics office said.",
]


def _article(i: int) -> str:
    return f"{ARTICLES[i % len(ARTICLES)]} It was report number {i}.\n"


def _corpus(raw: Path, drops: dict[str, int]) -> None:
    for drop, count in drops.items():
        (raw / drop).mkdir(parents=True, exist_ok=True)
        for i in range(count):
            (raw / drop / f"article_{i:02d}.txt").write_text(_article(i + 7 * len(drop)), encoding="utf-8")


def _run(raw: Path, out: Path, *args: str) -> tuple[int, str, tuple[int, int, int]]:
    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(out), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    match = SUMMARY.search(result.output)
    assert match, result.output
    processed, unchanged, removed = map(int, match.groups())
    return result.exit_code, result.output, (processed, unchanged, removed)


def _tables(out: Path) -> dict[str, pa.Table]:
    """Every table as stored, ``processed_at`` aside (a re-run may legitimately restamp it)."""
    store = Store(out)
    tables = {name: store.read(name) for name in (*PARTITIONED, "people")}
    tables["documents"] = tables["documents"].drop_columns(["processed_at"])
    return tables


def _counts(out: Path) -> dict[str, int]:
    return {name: len(pd.read_parquet(out / name)) for name in (*PARTITIONED, "people")}


@pytest.fixture
def models_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private models/ folder, so editing it cannot disturb other tests."""
    models = tmp_path / "models"
    shutil.copytree(REPO / "models", models)
    monkeypatch.setenv("NEWSMINE_MODELS", str(models))
    return models


def test_bad_inputs_fail_one_row_each_and_the_rest_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, models_copy: Path
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, {"good": 3})
    bad = raw / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "huge.txt").write_text(_article(0) * 70_000, encoding="utf-8")  # ~5 MB
    (bad / "no_body.html").write_text(
        "<html><head><title>Nothing here</title></head></html>", encoding="utf-8"
    )
    (bad / "no_text.json").write_text(json.dumps({"title": "Headline only", "url": "https://example.com/a"}))
    (bad / "vanishing.txt").write_text(_article(1), encoding="utf-8")
    odd = raw / "odd"
    odd.mkdir()
    (odd / "latin1.txt").write_bytes("Officials in Kharkiv said the caf\u00e9 reopened.\n".encode("cp1252"))
    (odd / "utf16.txt").write_bytes(_article(2).encode("utf-16"))  # with a BOM
    (odd / "unbalanced.txt").write_text('Rubio said "we will keep talking. The talks resume Monday.\n')

    real_scan = newsmine.run.planning.scan

    def scan_then_delete(raw_dir, drops=None, exclude=(), known=None):
        found = real_scan(raw_dir, drops, exclude, known)
        (bad / "vanishing.txt").unlink()  # gone between discovery and reading
        return found

    monkeypatch.setattr(newsmine.run.planning, "scan", scan_then_delete)
    code, output, (processed, _, _) = _run(raw, out, "--max-bytes", "1000000")

    assert code == 1
    assert processed == 12
    docs = pd.read_parquet(out / "documents")
    assert sorted(docs["source_path"]) == sorted(
        [f"good/article_0{i}.txt" for i in range(3)]
        + [f"bad/{n}" for n in ("empty.txt", "binary.txt", "huge.txt", "no_body.html", "no_text.json")]
        + ["bad/vanishing.txt", "odd/latin1.txt", "odd/utf16.txt", "odd/unbalanced.txt"]
    )
    status = dict(zip(docs["source_path"], docs["status"], strict=True))
    failed = {path for path, s in status.items() if s == "failed"}
    assert failed == {f"bad/{p.name}" for p in bad.iterdir()} | {"bad/vanishing.txt"}
    errors = dict(zip(docs["source_path"], docs["error"], strict=True))
    assert all(errors[path] for path in failed)
    assert "1000000" in errors["bad/huge.txt"]
    assert "vanished" in errors["bad/vanishing.txt"]
    for path in failed:  # each failure named on the terminal in one line
        assert path in output
    encodings = dict(zip(docs["source_path"], docs["encoding"], strict=True))
    assert encodings["odd/utf16.txt"].startswith("utf-16")
    assert encodings["odd/latin1.txt"] == "cp1252"
    ok = docs[docs["status"] == "ok"]
    assert len(ok) == len(docs) - len(failed) >= 3
    assert (ok["n_words"] > 0).all()
    assert set(pd.read_parquet(out / "quotes")["doc_id"]) <= set(ok["doc_id"])


def test_rerun_is_identical_and_a_new_drop_is_processed_alone(tmp_path: Path, models_copy: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, {"mon": 3, "tue": 2})
    code, _, counts = _run(raw, out)
    assert (code, counts) == (0, (5, 0, 0))
    first = _tables(out)
    first_stamps = pd.read_parquet(out / "documents").set_index("source_path")["processed_at"]
    assert first["quotes"].num_rows > 0 and first["people"].num_rows > 0

    code, _, counts = _run(raw, out)
    assert (code, counts) == (0, (0, 5, 0))
    second = _tables(out)
    for name, table in first.items():
        assert table.equals(second[name]), name

    _corpus(raw, {"wed": 2})
    code, _, counts = _run(raw, out)
    assert (code, counts) == (0, (2, 5, 0))
    docs = pd.read_parquet(out / "documents").set_index("source_path")
    assert sorted(docs["drop"].astype(str).unique()) == ["mon", "tue", "wed"]
    # The old drops' rows were not reprocessed: their timestamps are the first run's.
    assert (docs.loc[first_stamps.index, "processed_at"] == first_stamps).all()

    shutil.rmtree(raw / "tue")
    code, _, counts = _run(raw, out)
    assert (code, counts) == (0, (0, 5, 2))
    assert Store(out).drops() == ["mon", "wed"]
    assert not (out / "quotes" / "drop-tue").exists()


def test_change_under_models_reprocesses_everything(tmp_path: Path, models_copy: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, {"mon": 2, "tue": 1})
    assert _run(raw, out)[2] == (3, 0, 0)
    assert _run(raw, out)[2] == (0, 3, 0)
    config = models_copy / "pipeline.toml"
    config.write_text(config.read_text() + "\n# tuned by the desk\n")
    before = _tables(out)
    assert _run(raw, out)[2] == (3, 0, 0)
    after = _tables(out)
    versions = set(after["documents"].column("pipeline_version").to_pylist())
    assert len(versions) == 1 and versions != set(before["documents"].column("pipeline_version").to_pylist())
    assert _run(raw, out, "--force")[2] == (3, 0, 0)
    assert _run(raw, out, "--drop", "tue", "--force")[2] == (1, 0, 0)


def test_run_killed_before_the_people_commit_is_finished_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, models_copy: Path
) -> None:
    raw, clean, killed = tmp_path / "raw", tmp_path / "clean", tmp_path / "killed"
    _corpus(raw, {"mon": 2, "tue": 2})
    assert _run(raw, clean)[0] == 0

    class Killed(BaseException):
        """Stands in for SIGKILL: nothing after it runs, no cleanup handler catches it."""

    real_change = newsmine.people.relink.people_change  # the runner imports it when it needs it

    def killed_before_people(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(newsmine.people.relink, "people_change", killed_before_people)
    with pytest.raises(Killed):
        newsmine.run.runner.run(newsmine.run.runner.RunOptions(raw_dir=raw, out_dir=killed))
    monkeypatch.setattr(newsmine.people.relink, "people_change", real_change)
    assert Store(killed).drops() == ["mon", "tue"]  # every drop committed, people not

    code, _, counts = _run(raw, killed)
    assert (code, counts) == (0, (0, 4, 0))
    assert _tables(killed)["people"].equals(_tables(clean)["people"])
    assert _tables(killed)["people"].num_rows > 0


_HOLDER = textwrap.dedent(
    """
    import sys
    from newsmine.store.lock import RunLock
    with RunLock(sys.argv[1]):
        print("locked", flush=True)
        sys.stdin.read()
    """
)


def test_concurrent_run_is_refused_and_a_stale_lock_recovered(tmp_path: Path, models_copy: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _corpus(raw, {"mon": 1})
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        result = CliRunner().invoke(app, ["run", str(raw), "--out", str(out)])
        assert result.exit_code == 1
        assert f"pid {holder.pid}" in result.output
        assert "Traceback" not in result.output
        assert not (out / "documents").exists()
    finally:
        holder.communicate("")
    # The holder is dead now; leave its pid behind as a crashed run would.
    (out / LOCK_NAME).write_text(f"{holder.pid}\n")
    code, _, counts = _run(raw, out)
    assert (code, counts) == (0, (1, 0, 0))


def _manifest_stamp(out: Path) -> tuple[int, int] | None:
    try:
        st = (out / "_manifest.sqlite").stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns


def _kill_after_next_commit(cmd: list[str], out: Path, rng: random.Random, cwd: Path) -> None:
    """Start a run, wait until it has committed one more drop, then SIGKILL it a moment later.

    Keying the kill on the run's own progress (not on a guessed time) puts it in the
    middle of the run on fast and slow machines alike.
    """
    before = _manifest_stamp(out)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
    deadline = time.monotonic() + 300  # a hung run must fail the test, not hang CI
    while child.poll() is None and _manifest_stamp(out) == before and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(rng.uniform(0.0, 0.15))
    try:
        started = psutil.Process(child.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        started = []
    child.send_signal(signal.SIGKILL)
    child.wait()
    _, alive = psutil.wait_procs(started, timeout=20)  # no process of the run outlives it
    for proc in alive:
        proc.kill()
    assert alive == []


def test_sigkill_mid_run_then_rerun_matches_a_clean_run(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _corpus(raw, {f"drop{d}": 3 for d in range(8)})
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    assert _run(raw, clean)[0] == 0
    expected = _counts(clean)
    cmd = [sys.executable, "-m", "newsmine", "run", str(raw), "--out", str(killed)]
    rng = random.Random(11)
    for _ in range(3):
        _kill_after_next_commit(cmd, killed, rng, tmp_path)
        for name in (*PARTITIONED, "people"):
            if (killed / name).exists():
                pd.read_parquet(killed / name)  # still loads, before any recovery
    code, _, _ = _run(raw, killed)
    assert code == 0
    assert _counts(killed) == expected
    assert _tables(killed)["quotes"].equals(_tables(clean)["quotes"])
    assert not (killed / STAGING).exists() or not os.listdir(killed / STAGING)
