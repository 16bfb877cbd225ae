"""Failures heal: what may heal is retried next run, what is the file's own fault waits for a
new file; every failure and skip is counted by reason and nothing is left out silently."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import spacy
from typer.testing import CliRunner

from newsmine.cli.app import app
from newsmine.nlp.quotes.component import QuoteExtractor
from newsmine.run.failures import failure_label
from tests.conftest import REPO

GOOD = '"We made progress," Rubio told reporters in Riyadh on Tuesday.\n'
BOOM = "The Kestrel Fund said BOOM was the word of the day, and 12 traders agreed.\n"
SUMMARY = re.compile(r"(\d+) files processed \((\d+) unchanged")


def _run(raw: Path, out: Path, *args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(out), *args], env=env)
    assert "Traceback" not in result.output, result.output
    return result


def _processed(result) -> tuple[int, int]:
    match = SUMMARY.search(result.stdout)
    assert match, result.output
    return int(match.group(1)), int(match.group(2))


def _status(out: Path) -> dict[str, str]:
    docs = pd.read_parquet(out / "documents")
    return dict(zip(docs["source_path"], docs["status"], strict=True))


def test_a_component_failure_is_retried_next_run_and_a_bad_file_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "d").mkdir(parents=True)
    (raw / "d" / "good.txt").write_text(GOOD)
    (raw / "d" / "boom.txt").write_text(BOOM)
    (raw / "d" / "empty.txt").write_bytes(b"")
    real = QuoteExtractor.extract

    def extract(self: QuoteExtractor, doc: spacy.tokens.Doc) -> list:
        if "BOOM" in doc.text:
            raise RuntimeError("boom in quotes")
        return real(self, doc)

    monkeypatch.setattr(QuoteExtractor, "extract", extract)
    first = _run(raw, out)
    assert first.exit_code == 1 and _processed(first) == (3, 0)
    assert _status(out) == {"d/good.txt": "ok", "d/boom.txt": "failed", "d/empty.txt": "failed"}
    status = CliRunner().invoke(app, ["status", str(raw), "--out", str(out)])
    assert "failed 2: 1 blank file, 1 component newsmine_quotes failed" in status.stdout

    monkeypatch.setattr(QuoteExtractor, "extract", real)  # the bug is fixed
    second = _run(raw, out)
    assert _processed(second) == (1, 2)  # only boom.txt: the empty file cannot heal by itself
    assert _status(out)["d/boom.txt"] == "ok" and _status(out)["d/empty.txt"] == "failed"
    assert second.exit_code == 0 and "failed:" not in second.output  # nothing new failed
    assert _processed(_run(raw, out)) == (0, 3)
    assert _processed(_run(raw, out, "--retry-failed")) == (1, 2)
    (raw / "d" / "empty.txt").write_text(GOOD.replace("Rubio", "Lammy"))  # the file changes
    third = _run(raw, out)
    assert third.exit_code == 0 and _processed(third) == (1, 2)
    assert set(_status(out).values()) == {"ok"}


@pytest.mark.parametrize(
    ("error", "label", "permanent"),
    [
        ("file is 5000000 bytes, over the 2000000-byte limit", "over the size limit", True),
        ("empty file", "blank file", True),
        ("undecodable bytes: not UTF-8 and no encoding detected", "undecodable", True),
        ("no article text found", "no article text found", True),
        ("line 3: malformed json (Expecting value)", "malformed json", True),
        ("article text is 2000001 characters, over the 1000000-character limit (spaCy's max_length)",
         "over the parser's text limit", True),
        ("component newsmine_claims failed: ValueError: x", "component newsmine_claims failed", False),
        ("permission denied", "permission denied", False),
        ("file vanished before it could be read", "file vanished", False),
        ("worker timed out after 600 s", "timeout", False),
    ],
)
def test_failure_labels(error: str, label: str, permanent: bool) -> None:
    assert failure_label(error) == (label, permanent)


def test_nothing_is_left_out_silently(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    deep = raw / "d" / ("a-folder-with-a-rather-long-name-" * 4) / "and-another-long-one"
    deep.mkdir(parents=True)
    (raw / "d" / "good.txt").write_text(GOOD)
    (raw / "d" / "notes.md").write_text("# notes\n")
    (raw / "d" / "link_only.txt").write_text("image source from:https://example.com/photo.jpg\n")
    (raw / "d" / "rules_only.txt").write_text("* * *\n\n----\n")
    (raw / "d" / "escape.txt").symlink_to("/etc/hostname")
    (deep / "empty.txt").write_bytes(b"")
    result = _run(raw, out, env={"COLUMNS": "20"})
    assert result.exit_code == 1
    assert "; 2 files not read (1 symlink to outside the raw folder, 1 unsupported extension .md)" in (
        result.stdout
    )
    lines = result.output.splitlines()
    assert "skipped: d/escape.txt: symlink to outside the raw folder (/etc/hostname)" in lines
    assert "failed: d/link_only.txt: no article text found" in lines
    rel = (deep / "empty.txt").relative_to(raw).as_posix()
    assert f"failed: {rel}: empty file" in lines  # one line however narrow the terminal
    assert len(f"failed: {rel}: empty file") > 3 * 20
    status = CliRunner().invoke(app, ["status", str(raw), "--out", str(out)])
    assert "not read 2: 1 symlink to outside the raw folder, 1 unsupported extension .md" in status.stdout
    assert "failed 3: 2 no article text found, 1 blank file" in status.stdout
    assert "failed: d/rules_only.txt: no article text found" in lines


def test_an_article_over_the_parser_limit_fails_at_once_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    shutil.copytree(REPO / "models", models)
    config = models / "pipeline.toml"
    config.write_text(config.read_text().replace("max_chars = 1_000_000", "max_chars = 2_000"))
    monkeypatch.setenv("NEWSMINE_MODELS", str(models))
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "d").mkdir(parents=True)
    (raw / "d" / "long.txt").write_text(GOOD * 40)  # ~2,600 characters
    (raw / "d" / "short.txt").write_text(GOOD)
    result = _run(raw, out)
    assert result.exit_code == 1
    docs = pd.read_parquet(out / "documents").set_index("source_path")
    assert docs.loc["d/long.txt", "error"] == (
        f"article text is {len(GOOD) * 40} characters, over the 2000-character limit (spaCy's max_length)"
    )
    assert docs.loc["d/short.txt", "status"] == "ok"
    assert _processed(_run(raw, out)) == (0, 2)  # a property of the file: not retried


def test_version_flag_prints_package_and_pipeline_versions() -> None:
    from newsmine import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    version = re.escape(__version__)
    assert re.fullmatch(rf"newsmine {version}, pipeline {version}-[0-9a-f]{{16}}\n", result.stdout)
