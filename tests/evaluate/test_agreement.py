"""``newsmine eval`` prints the shared scorer's numbers on the samples (to three decimals).

The shared scorer (``../shared/eval/score.py``) and gold (``../shared/gold/seeds.jsonl``)
are read in place, never copied; the test skips where ``../shared`` is not beside the repo.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsmine.evaluate import evaluate
from tests.conftest import SHARED

SCORER = SHARED / "eval" / "score.py"
SEEDS = SHARED / "gold" / "seeds.jsonl"

# The shared scorer's summary keys, as (item type or accuracy, field) of our report.
KEYS = {
    "direct_quote": "direct_quotes", "attributed": "attributed_quotes", "indirect": "reported_speech",
    "claims": "claims", "persons": "persons",
}
ACCURACY = {"claims_unit_acc": "claim_unit", "claims_qualifier_acc": "claim_qualifier",
            "claimant_acc": "claimant", "speaker_mentions_r": "speaker_mentions_recall"}


def ours_as_scorer_keys(report) -> dict:
    flat = {"docs_missing": len(report.missing), "not_person_tagged": report.not_person_tagged}
    for prefix, name in KEYS.items():
        metric = report.metrics[name]
        flat.update({f"{prefix}_p": metric["precision"], f"{prefix}_r": metric["recall"],
                     f"{prefix}_f1": metric["f1"]})
    flat["claims_value_unit_f1"] = report.metrics["claims_with_unit"]["f1"]
    flat["claims_value_qualifier_f1"] = report.metrics["claims_with_qualifier"]["f1"]
    flat.update({key: report.accuracy.get(name, {}).get("value") for key, name in ACCURACY.items()})
    return flat


@pytest.mark.skipif(not SCORER.is_file() or not SEEDS.is_file(), reason="../shared is not beside the repo")
def test_eval_agrees_with_the_shared_scorer_on_the_samples(sample_run: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(SEEDS), "--out", str(sample_run), "--json"],
        capture_output=True, text=True, check=True,
    )
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    ours = ours_as_scorer_keys(evaluate(SEEDS, sample_run))
    assert theirs["direct_quote_r"] is not None and theirs["claims_r"] is not None
    assert set(theirs) == set(ours)
    assert {k: ours[k] for k in theirs} == theirs
