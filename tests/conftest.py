"""Shared fixtures: one loaded pipeline per test session (loading costs ~1 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "data" / "raw" / "sample"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from newsmine.nlp.loading import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))}
