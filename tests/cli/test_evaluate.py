"""``newsmine eval`` end to end: a run over articles written for the test, scored on a gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsmine.cli.app import app
from newsmine.run.runner import RunOptions, run

runner = CliRunner()

ARTICLES = {
    "port.txt": 'Harbour repairs to take until spring\n\n"The pier will reopen in May," the harbour master, '
                "Ines Marlow, said on Monday.\nMarlow said 40 boats had been damaged in the storm and that "
                'repairs would cost more than $2 million.\n"We have never seen waves like it," she added.\n',
    "union.txt": '"We will strike until the yard pays what it owes," said Tomas Reddy, the union leader.\n'
                 "The union has 1,200 members at the shipyard, according to Reddy.\n",
}
GOLD = [
    {"doc": "port.txt",
     "quotes": [
         {"text": "The pier will reopen in May,", "speaker": "the harbour master, Ines Marlow",
          "kind": "direct"},
         {"text": "We have never seen waves like it,", "speaker": "she", "kind": "direct"},
         {"text": "40 boats had been damaged in the storm", "speaker": "Marlow", "kind": "indirect"},
     ],
     "claims": [
         {"text": "40 boats", "value": 40, "unit": "boats", "qualifier": "exact",
          "claimant": "Marlow"},
         {"text": "more than $2 million", "value": 2000000, "unit": ["$", "dollar"],
          "qualifier": "more_than"},
     ]},
    {"doc": "union.txt",
     "quotes": [
         {"text": "We will strike until the yard pays what it owes,", "speaker": "Tomas Reddy",
          "kind": "direct"},
         {"text": "the yard will close in June", "speaker": "Tomas Reddy", "kind": "indirect"},
     ],
     "claims": [{"text": "1,200 members", "value": 1200, "unit": "members", "qualifier": "exact"}]},
    {"doc": "not-run.txt", "quotes": []},
]


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("eval")
    (root / "raw" / "harbour").mkdir(parents=True)
    for name, text in ARTICLES.items():
        (root / "raw" / "harbour" / name).write_text(text, encoding="utf-8")
    summary = run(RunOptions(raw_dir=root / "raw", out_dir=root / "out"))
    assert summary.failed == 0 and summary.quotes >= 4
    gold = root / "gold.jsonl"
    gold.write_text("".join(json.dumps(line) + "\n" for line in GOLD), encoding="utf-8")
    return gold, root / "out"


def test_json_has_precision_recall_f1_per_item_type_and_the_misses(scored) -> None:
    gold, out = scored
    result = runner.invoke(app, ["eval", "--gold", str(gold), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    direct = report["metrics"]["direct_quotes"]
    assert (direct["found"], direct["gold"], direct["recall"]) == (3, 3, 1.0)
    assert report["metrics"]["attributed_quotes"]["recall"] == 1.0
    claims = report["metrics"]["claims"]
    assert (claims["found"], claims["gold"]) == (3, 3)
    assert report["metrics"]["claims_with_qualifier"]["found"] == 3
    assert "persons" not in report["metrics"]  # no line lists persons: not scored
    assert report["missing"] == ["not-run.txt"] and report["annotated"] == 3
    missed = [m for m in report["misses"] if m["what"] == "reported speech missed"]
    assert missed == [{"doc": "union.txt", "what": "reported speech missed",
                       "text": "the yard will close in June", "expected": "Tomas Reddy", "got": None}]


def test_text_output_lists_misses_then_a_table_under_80_columns(scored) -> None:
    gold, out = scored
    result = runner.invoke(app, ["eval", "--gold", str(gold), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "union.txt: reported speech missed: 'the yard will close in June'  (expected Tomas Reddy)" in lines
    summary = lines[lines.index(next(x for x in lines if x.lstrip().startswith("precision"))):]
    assert next(x for x in summary if x.startswith("direct quotes (span)")).split()[3:6] == ["1.000"] * 3
    assert "articles: 3 annotated, 2 scored, 1 not in the tables: not-run.txt" in summary
    assert all(len(line) <= 80 for line in summary if not line.startswith("tables: "))
    quiet = runner.invoke(app, ["eval", "--gold", str(gold), "--out", str(out), "--no-misses"])
    assert "reported speech missed" not in quiet.stdout and "direct quotes (span)" in quiet.stdout


def test_a_bad_gold_file_is_bad_usage_naming_each_line(scored, tmp_path: Path) -> None:
    _, out = scored
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc": "port.txt", "quotes": [{"text": "Yes", "kind": "quote"}]}\n{"doc": 5}\n')
    result = runner.invoke(app, ["eval", "--gold", str(gold), "--out", str(out)])
    assert result.exit_code == 2
    assert f"{gold}:1: quotes[0].kind: must be one of direct, indirect, mixed" in result.output
    assert f"{gold}:2: doc: must be a string" in result.output
    assert "2 bad line(s); nothing scored" in result.output and "Traceback" not in result.output


def test_no_tables_or_no_gold_file_is_bad_usage(scored, tmp_path: Path) -> None:
    gold, _ = scored
    no_tables = runner.invoke(app, ["eval", "--gold", str(gold), "--out", str(tmp_path / "empty")])
    assert no_tables.exit_code == 2 and "no documents table yet" in no_tables.output
    no_gold = runner.invoke(app, ["eval", "--gold", str(tmp_path / "nope.jsonl")])
    assert no_gold.exit_code == 2 and "no such gold file" in no_gold.output
