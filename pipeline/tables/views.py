"""Read stored tables back for people: filtering and column choice for ``newsmine show``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

# The columns worth a terminal's width, per table.
COLUMNS = {
    "quotes": ["speaker_canonical", "kind", "resolution", "cue", "text"],
    "claims": ["text", "value", "unit", "kind", "qualifier", "claimant_canonical", "subject"],
    "entities": ["text", "label", "section", "canonical_name"],
    "people": ["canonical_name", "n_docs", "n_mentions", "n_quotes", "titles"],
}


def load_table(out_dir: Path, name: str) -> pd.DataFrame:
    """One whole table; a table no run has written yet is an error naming what to do."""
    path = out_dir / name
    if not path.exists():
        raise FileNotFoundError(f"{path}: no {name} table yet (run `newsmine run` first)")
    return pd.read_parquet(path)


def select_rows(
    out_dir: Path, name: str, doc: str | None = None, speaker: str | None = None, limit: int = 20
) -> pd.DataFrame:
    """The rows ``newsmine show`` prints: optionally one document's, or one speaker's."""
    frame = load_table(out_dir, name)
    if doc and "doc_id" in frame.columns:
        documents = load_table(out_dir, "documents")
        names = documents["source_path"].astype(str).str.rsplit("/", n=1).str[-1]
        wanted = documents.loc[documents["doc_id"].str.startswith(doc) | names.str.startswith(doc), "doc_id"]
        frame = frame[frame["doc_id"].isin(set(wanted))]
    if speaker:
        column = {"quotes": "speaker_canonical", "claims": "claimant_canonical"}.get(name, "canonical_name")
        frame = frame[frame[column].fillna("").str.contains(speaker, case=False, regex=False)]
    columns = [c for c in COLUMNS[name] if c in frame.columns]
    return frame[columns].head(limit)
