"""The `newsmine` command through Typer's CliRunner: exit codes, output, every subcommand."""

import json
import shutil
import time

import pytest
from typer.testing import CliRunner

from newsmine.cli.app import app
from tests.conftest import SAMPLE_DIR

runner = CliRunner()


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(SAMPLE_DIR, raw / "sample")
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["run", str(raw), "--out", str(out)])
    return raw, out, result


def test_run_prints_a_one_line_summary_and_exits_zero(ran):
    _, _, result = ran
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("newsmine run: 2 files processed")
    assert "0 failed" in last


def test_second_run_has_nothing_to_do(ran):
    raw, out, _ = ran
    again = runner.invoke(app, ["run", str(raw), "--out", str(out)])
    assert again.exit_code == 0
    assert "0 files processed (2 unchanged" in again.stdout


def test_status_lists_the_sample_drop_as_current(ran):
    raw, out, _ = ran
    result = runner.invoke(app, ["status", str(raw), "--out", str(out)])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "sample" in line)
    assert "yes" in line


def test_show_quotes_filters_by_speaker(ran):
    _, out, _ = ran
    result = runner.invoke(app, ["show", "quotes", "--out", str(out), "--speaker", "Charap", "--limit", "50"])
    assert result.exit_code == 0, result.output
    assert "Charap" in result.stdout
    assert "Peskov" not in result.stdout


def test_show_claims_of_one_document_by_file_name_prefix(ran):
    _, out, _ = ran
    result = runner.invoke(
        app, ["show", "claims", "--out", str(out), "--doc", "000_a03", "--limit", "50", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    values = {json.loads(line)["value"] for line in result.stdout.splitlines()}
    assert 790000 in values
    assert 1000 not in values  # "over 1,000" detainees is only in the other article


def test_extract_prints_json_rows_for_one_article():
    result = runner.invoke(app, ["extract", str(SAMPLE_DIR / "000_a03c45c6a71a2a84.txt")])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert set(rows) == {"documents", "entities", "quotes", "claims"}
    assert rows["documents"][0]["status"] == "ok"
    assert any(c["value"] == 790000 for c in rows["claims"])


def test_missing_raw_dir_is_bad_usage_with_a_one_line_reason(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "not a folder" in result.output
    assert "Traceback" not in result.output


def test_unknown_model_is_bad_usage(tmp_path):
    raw = tmp_path / "raw"
    (raw / "d").mkdir(parents=True)
    (raw / "d" / "a.txt").write_text("Officials said 12 people were hurt.", encoding="utf-8")
    result = runner.invoke(
        app, ["run", str(raw), "--out", str(tmp_path / "out"), "--model", "no_such_model_xx"]
    )
    assert result.exit_code == 2
    assert "no_such_model_xx" in result.output


def test_full_scan_finds_an_article_rewritten_in_place_that_a_plain_run_passes(tmp_path, monkeypatch):
    from newsmine.run import scan_state

    monkeypatch.setattr(scan_state, "started", lambda: time.time_ns() + 60 * 10**9)  # folders count as old
    monkeypatch.setattr(scan_state, "VERIFY_FILES", 0)  # no turns: only --full-scan re-stats known files
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(SAMPLE_DIR, raw / "sample")
    assert runner.invoke(app, ["run", str(raw), "--out", str(out)]).exit_code == 0
    article = sorted((raw / "sample").glob("*.txt"))[0]
    with open(article, "a", encoding="utf-8") as handle:  # in place: the folder's times stay
        handle.write("\nThe ministry said on Friday that 120 more buses would run.\n")
    plain = runner.invoke(app, ["run", str(raw), "--out", str(out)])
    assert "0 files processed (2 unchanged" in plain.stdout
    full = runner.invoke(app, ["run", str(raw), "--out", str(out), "--full-scan"])
    assert full.exit_code == 0, full.output
    assert "1 files processed (1 unchanged" in full.stdout
