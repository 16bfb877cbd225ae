"""The pipeline version: what the stored rows were made by, so a change of code redoes them.

``<package version>-<hash>`` where the hash covers every ``.py`` file of the installed
``newsmine`` package (the extraction rules live in code as much as in data), everything
under ``models/``, the base model's name and version, and the schema version. Any of
them changing makes the next run reprocess every document, so rows made by old rules
never pass as current. Computed without importing spaCy: a no-op run stays fast.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import cache
from pathlib import Path

import newsmine
from newsmine.rules import models_dir
from newsmine.store.manifest import file_sha256, pipeline_version

PACKAGE_DIR = Path(newsmine.__file__).resolve().parent


@cache
def source_hash(package_dir: Path = PACKAGE_DIR) -> str:
    """sha256 over the package's ``.py`` files (paths and bytes); rule data is hashed apart."""
    digest = hashlib.sha256()
    files = [
        p for p in package_dir.rglob("*.py")
        if not {"__pycache__", "models"} & set(p.relative_to(package_dir).parts[:-1])
    ]
    for path in sorted(files, key=lambda p: p.relative_to(package_dir).as_posix()):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(file_sha256(path).encode())
    return digest.hexdigest()


def model_version(model: str) -> str:
    """The base model's version from its ``meta.json`` (a package name or a path); ``?`` if none."""
    folder = Path(model)
    if not folder.exists():
        spec = importlib.util.find_spec(model)
        locations = list(spec.submodule_search_locations or []) if spec else []
        folder = Path(locations[0]) if locations else folder
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "?"
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '?')}"


def current_version(model: str, package_dir: Path = PACKAGE_DIR) -> str:
    """The version a run with base model ``model`` would stamp on its rows."""
    extra = "\0".join((model, model_version(model), source_hash(package_dir)))
    return pipeline_version(models_dir(), newsmine.__version__, extra=extra)
