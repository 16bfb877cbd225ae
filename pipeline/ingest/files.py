"""Find the raw article files of a raw folder: one ``SourceFile`` per file, by drop.

Every first-level folder of the raw folder is a drop; files directly in it form the
drop ``_root``. Only the supported formats are listed, in a stable order.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl"}
ROOT_DROP = "_root"


@dataclass(frozen=True)
class SourceFile:
    """One raw file found under the raw dir; ``drop`` is its first-level folder."""

    drop: str
    path: Path
    rel_path: str
    size: int
    mtime_ns: int


def discover(raw_dir: Path, drops: Collection[str] | None = None) -> list[SourceFile]:
    """All readable article files under ``raw_dir``, sorted by relative path.

    Sorting makes runs deterministic; hidden files and folders (``.tmp``, editor
    droppings) are skipped so half-written uploads that tools park there are not read.
    Raises ``FileNotFoundError`` when ``raw_dir`` is not a folder (a usage error).
    """
    root = Path(raw_dir).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"raw dir {root} is not a folder")
    wanted = set(drops) if drops is not None else None
    found: list[SourceFile] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in FORMATS:
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            drop = rel.split("/", 1)[0] if "/" in rel else ROOT_DROP
            if wanted is not None and drop not in wanted:
                continue
            try:
                st = path.stat()
            except OSError:  # vanished between listing and stat: nothing to read
                continue
            if not path.is_file():
                continue
            found.append(SourceFile(drop, path, rel, st.st_size, st.st_mtime_ns))
    found.sort(key=lambda s: s.rel_path)
    return found
