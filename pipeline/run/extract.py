"""One article in, its rows out: the ``newsmine extract`` command and quick notebook use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsmine.ingest.files import SourceFile
from newsmine.nlp.loading import read_config, resolve_model
from newsmine.run.batch import ProcessSettings, process_files


def extract_file(path: Path, model: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table for the article(s) in ``path``, without touching any store."""
    path = path.resolve()
    stat = path.stat()
    config = read_config()
    source = SourceFile(
        drop="_root", path=path, rel_path=path.name, size=stat.st_size, mtime_ns=stat.st_mtime_ns
    )
    settings = ProcessSettings(
        model=resolve_model(model, config),
        version="extract",
        batch_size=config.batch_size,
        max_bytes=config.max_bytes,
        max_chars=config.max_chars,
        languages=config.languages,
    )
    return process_files([source], settings).rows
