"""Shared fixtures: one loaded pipeline per test session (loading costs ~1 s)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Runs stay in this process unless a test asks for workers: many tests patch this process,
# and a pool per test would double the suite's time (tests/run/test_engines.py checks the
# default without it).
os.environ.setdefault("NEWSMINE_WORKERS", "1")

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "data" / "raw" / "sample"
# The read-only research material beside the project (``../shared``); NEWSMINE_SHARED
# points elsewhere, e.g. from a worktree one folder deeper.
SHARED = Path(os.environ.get("NEWSMINE_SHARED") or REPO.parent / "shared")


@pytest.fixture(scope="session")
def nlp():
    from newsmine.nlp.loading import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))}


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> Path:
    """The tables of one run over the sample articles (read-only for the tests that share it)."""
    from newsmine.run.runner import RunOptions, run

    out = tmp_path_factory.mktemp("sample-run") / "out"
    summary = run(RunOptions(raw_dir=SAMPLE_DIR.parent, out_dir=out))
    assert summary.failed == 0 and summary.quotes > 0
    return out
