"""What every newsmine component shares: saved pipelines carry their rule data, and a
component's failure on one document is reported under its own name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from newsmine.ingest.files import SourceFile
from newsmine.nlp.component import RuleComponent
from newsmine.nlp.loading import read_config, resolve_model
from newsmine.nlp.quotes.component import QuoteExtractor
from newsmine.run.batch import ProcessSettings, process_files

TEXTS = [
    'Port Ellery\n\n"We will rebuild the pier by spring," the harbour master, Ines Marlow, said on Monday. '
    "Marlow said the storm had damaged more than 40 boats and cost the town an estimated $2.5m.",
    "The Coastal Union said 1,200 members would strike for three days. "
    '"Our members have waited long enough," its general secretary Tomas Reddy told reporters.',
    "According to the ministry, about 30% of ferries were cancelled. Mr Reddy added that talks "
    "would resume next week, while the company said it expected a deal.",
]

_DUMP = """
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
texts = json.loads(sys.stdin.read())
out = []
for doc in nlp.pipe(texts):
    out.append({"ents": [[e.start_char, e.end_char, e.label_] for e in doc.ents],
                "people": doc._.newsmine_people, "quotes": doc._.newsmine_quotes,
                "claims": doc._.newsmine_claims})
print(json.dumps(out, sort_keys=True))
"""


def _dump(nlp: spacy.Language, texts: list[str]) -> str:
    out = []
    for doc in nlp.pipe(texts):
        out.append({"ents": [[e.start_char, e.end_char, e.label_] for e in doc.ents],
                    "people": doc._.newsmine_people, "quotes": doc._.newsmine_quotes,
                    "claims": doc._.newsmine_claims})
    return json.dumps(out, sort_keys=True)


def test_saved_pipeline_loads_in_a_fresh_process_without_models(nlp, tmp_path: Path) -> None:
    expected = _dump(nlp, TEXTS)
    parsed = json.loads(expected)
    assert all(d["quotes"] for d in parsed) and any(d["claims"] for d in parsed)
    saved = tmp_path / "saved"
    nlp.to_disk(saved)
    for name in ("newsmine_entities", "newsmine_quotes", "newsmine_claims"):
        assert (saved / name / "lexicon" / "roles.txt").is_file(), name  # shared lists travel too
    empty = tmp_path / "no-models"
    empty.mkdir()
    env = {**os.environ, "NEWSMINE_MODELS": str(empty)}
    done = subprocess.run(
        [sys.executable, "-c", _DUMP, str(saved)], input=json.dumps(TEXTS), capture_output=True,
        text=True, env=env, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == expected


def test_component_bytes_round_trip_gives_the_same_rules(nlp) -> None:
    for name in ("newsmine_entities", "newsmine_quotes", "newsmine_claims"):
        proc = nlp.get_pipe(name)
        assert isinstance(proc, RuleComponent)
        fresh = nlp.create_pipe(name)
        fresh.from_bytes(proc.to_bytes())
        assert fresh.rule_texts == proc.rule_texts and fresh.rule_texts


def test_component_reads_nothing_until_initialised(nlp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSMINE_MODELS", str(tmp_path))  # empty: any read would fail
    proc = nlp.create_pipe("newsmine_quotes")
    with pytest.raises(ValueError, match="rule data file not found"):
        proc.initialize()


def test_an_error_in_one_doc_is_reported_as_that_components_failure(tmp_path: Path, monkeypatch) -> None:
    raw = tmp_path / "raw" / "d"
    raw.mkdir(parents=True)
    good, bad = raw / "good.txt", raw / "bad.txt"
    good.write_text(TEXTS[0], encoding="utf-8")
    bad.write_text("The Kestrel Fund said BOOM was the word of the day.", encoding="utf-8")
    real = QuoteExtractor.extract

    def extract(self: QuoteExtractor, doc: spacy.tokens.Doc) -> list:
        if "BOOM" in doc.text:
            raise RuntimeError("boom in quotes")
        return real(self, doc)

    monkeypatch.setattr(QuoteExtractor, "extract", extract)
    files = [SourceFile("d", p, f"d/{p.name}", p.stat().st_size, p.stat().st_mtime_ns) for p in (bad, good)]
    settings = ProcessSettings(model=resolve_model(None, read_config()), version="test")
    result = process_files(files, settings)
    status = {row["source_path"]: (row["status"], row["error"]) for row in result.rows["documents"]}
    assert status["d/bad.txt"] == ("failed", "component newsmine_quotes failed: RuntimeError: boom in quotes")
    assert status["d/good.txt"] == ("ok", None)
    assert result.rows["quotes"] and {q["doc_id"] for q in result.rows["quotes"]} == {
        row["doc_id"] for row in result.rows["documents"] if row["source_path"] == "d/good.txt"
    }
