"""benchmarks/eval_claims.py: the Recognizers-Text match rule on spec entries of our own."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

from tests.conftest import REPO

EVAL = runpy.run_path(str(REPO / "benchmarks" / "eval_claims.py"))


def _spec(folder: Path, name: str, entries: list[tuple[str, list[str]]]) -> None:
    rows = [{"Input": text, "Results": [{"Resolution": {"value": v}} for v in values]}
            for text, values in entries]
    (folder / f"{name}.json").write_text(json.dumps(rows), encoding="utf-8")


def test_reproduced_means_every_value_and_no_extra(tmp_path: Path) -> None:
    _spec(tmp_path, "NumberModel", [
        ("a quarter million", ["250000"]),  # reproduced
        ("the one you mentioned", []),  # a pronoun is no number: reproduced
        ("two thirds and 12", ["0.666666666666667"]),  # we also find 12: an extra, not reproduced
    ])
    _spec(tmp_path, "PercentModel", [("thirty percentage", ["30%"]),
                                     ("how do I calculate a percentage?", ["null"])])
    _spec(tmp_path, "NumberRangeModel", [("between 20 and 30", ["[20,30)"]), ("more than 40", ["(40,)"])])
    rows = {name: (ok, n, note) for name, ok, n, note in EVAL["recognizers"](tmp_path)}
    assert rows["NumberModel"][:2] == (2, 3)
    assert rows["PercentModel"][:2] == (2, 2)
    assert rows["PercentModel"][2].endswith("1/2")  # the strict share never credits a null
    assert rows["NumberRangeModel"][:2] == (2, 2)


def test_the_scorer_table_lists_each_set(capsys) -> None:
    EVAL["print_table"]({"newsquant": {"claims_f1": 0.954},
                         "samples": {"claims_f1": 1.0, "claimant_acc": None}})
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["metric", "newsquant", "samples"]
    assert [line.split() for line in out if line.startswith("claims_f1")] == [["claims_f1", "0.954", "1.000"]]
