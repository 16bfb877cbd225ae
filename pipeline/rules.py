"""Where the rule data lives.

Rule data (cue verbs, gazetteers, alias tables, lexicons) sits in the repository's
top-level ``models/`` so users can extend it without touching code; a wheel carries the
same files as package data (``newsmine/models``), so an installed newsmine runs from any
directory. ``NEWSMINE_MODELS`` points elsewhere, e.g. for a deployment that keeps its
own curated lexicons.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "models"  # a wheel install: newsmine/models
_CHECKOUT = Path(__file__).resolve().parent.parent / "models"  # a source or editable checkout


def models_dir() -> Path:
    """The folder holding ``pipeline.toml`` and the rule data of every component:
    ``$NEWSMINE_MODELS``, else the copy inside an installed wheel, else the checkout's."""
    override = os.environ.get("NEWSMINE_MODELS")
    if override:
        return Path(override)
    return _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT


def model_file(*parts: str) -> Path:
    """A file under the models folder, e.g. ``model_file("quotes", "cues.json")``."""
    return models_dir().joinpath(*parts)


def read_word_list(path: Path) -> list[str]:
    """Lines of a word-list file (``#`` comments, whole-line or trailing, and blank lines
    skipped); a missing file is an empty list."""
    if not path.exists():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]
