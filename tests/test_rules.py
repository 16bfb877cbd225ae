"""The rule data under models/: one loader that fails loudly, and no file nobody reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsmine.clean import captions, glue
from newsmine.nlp.config import read_config
from newsmine.nlp.loading import load_pipeline
from newsmine.people.linking import ALIASES_FILE, NICKNAMES_FILE
from newsmine.rules import RuleDataError, RuleSource, model_file, models_dir, read_json, read_words
from tests.conftest import REPO


def _source(tmp_path: Path, files: dict[str, str]) -> RuleSource:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return RuleSource(root=tmp_path)


def test_a_chain_of_word_lists_adds_and_takes_away(tmp_path: Path) -> None:
    source = _source(tmp_path, {"lexicon/roles.txt": "# shared\nmayor\nminister  # note\n\ncoach\n",
                                "quotes/roles.txt": "-coach\nwinger\n"})
    assert read_words(source, ["lexicon/roles.txt", "quotes/roles.txt"]) == ["mayor", "minister", "winger"]


@pytest.mark.parametrize(
    ("files", "setting", "message"),
    [
        ({}, "quotes/cue_vrebs.txt", "quotes/cue_vrebs.txt: rule data file not found"),
        ({"a.txt": "say\ntell\nsay\n"}, "a.txt", "a.txt:3: duplicate entry 'say'"),
        ({"a.txt": "Mayor\nmayor\n"}, "a.txt", "a.txt:2: duplicate entry 'mayor'"),
        ({"a.txt": "say\n", "b.txt": "say\n"}, ["a.txt", "b.txt"], "b.txt:1: duplicate entry 'say'"),
        ({"a.txt": "say\n", "b.txt": "-tell\n"}, ["a.txt", "b.txt"], "b.txt:1: removes 'tell'"),
    ],
)
def test_word_lists_reject_missing_files_and_duplicates_naming_the_file(
    tmp_path: Path, files: dict, setting: str | list, message: str
) -> None:
    source = _source(tmp_path, files)
    with pytest.raises(RuleDataError) as error:
        read_words(source, setting, fold=str.lower)
    assert str(error.value).startswith(str(tmp_path))
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"roles": ["a"], "rolez": ["b"]}', "unknown key(s) ['rolez']"),
        ('{"_note": "x"}', "missing key(s) ['roles']"),
        ('{"roles": ["a"], "roles": ["b"]}', "duplicate key 'roles'"),
        ('{"roles": ["a", "b", "a"]}', "duplicate entry 'a' in 'roles'"),
        ('{"roles": [}', "not valid JSON"),
    ],
)
def test_json_rule_files_reject_unknown_missing_and_duplicate_keys(
    tmp_path: Path, text: str, message: str
) -> None:
    source = _source(tmp_path, {"x/data.json": text})
    with pytest.raises(RuleDataError) as error:
        read_json(source, "x/data.json", required=["roles"])
    assert str(error.value).startswith(str(tmp_path / "x" / "data.json"))
    assert message in str(error.value)


def test_every_list_under_models_loads_without_duplicates(nlp) -> None:
    """The shipped data passes its own loader (load_pipeline read it all)."""
    assert {n for n, _ in nlp.pipeline} >= {"newsmine_entities", "newsmine_quotes", "newsmine_claims"}


def test_a_misspelled_rule_file_in_the_config_is_an_error(tmp_path: Path, monkeypatch) -> None:
    models = tmp_path / "models"
    shutil.copytree(model_file(), models)
    config = models / "pipeline.toml"
    text = config.read_text(encoding="utf-8").replace(
        'factory = "newsmine_quotes"\n', 'factory = "newsmine_quotes"\ncue_nouns = ["quotes/cue_nounz.txt"]\n'
    )
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("NEWSMINE_MODELS", str(models))
    with pytest.raises(RuleDataError, match=r"models/quotes/cue_nounz\.txt: rule data file not found"):
        load_pipeline(config=read_config())


def test_every_file_under_models_is_read_by_some_stage(nlp) -> None:
    read = {"pipeline.toml", captions.RULE_FILE, glue.RULE_FILE, ALIASES_FILE, NICKNAMES_FILE}
    for _, proc in nlp.pipeline:
        read |= set(getattr(proc, "rule_texts", {}))
    shipped = {p.relative_to(models_dir()).as_posix() for p in models_dir().rglob("*") if p.is_file()}
    assert shipped and models_dir() == REPO / "models"
    assert shipped == read
