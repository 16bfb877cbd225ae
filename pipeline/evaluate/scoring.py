"""Score a run's stored tables against a gold file: the ``newsmine eval`` command's core."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from newsmine.evaluate.claims import score_claims, score_persons
from newsmine.evaluate.gold import GoldArticle, read_gold
from newsmine.evaluate.quotes import score_quotes
from newsmine.evaluate.report import Report, build_report
from newsmine.evaluate.tally import Tally
from newsmine.tables.frames import read_frame, rows_by_doc

# Cue types that are not speech: what ``speech_only`` leaves out, for gold that marks
# spoken and written words alone (the quotes table's ``cue_type`` column).
NOT_SPEECH = ("thought", "intention", "evidence")


def _doc_ids(documents: pd.DataFrame) -> dict[str, str]:
    """Gold ``doc`` -> doc_id: by stored source_path, and by file name (the later file
    wins when two drops hold the same name; a source_path is then unambiguous)."""
    by_name: dict[str, str] = {}
    for doc_id, path in zip(documents["doc_id"], documents["source_path"], strict=True):
        by_name[PurePosixPath(str(path)).name] = doc_id
    by_name.update({str(path): doc_id for doc_id, path in zip(documents["doc_id"], documents["source_path"],
                                                              strict=True)})
    return by_name


def speech_only(quotes: pd.DataFrame) -> pd.DataFrame:
    """The quotes whose ``cue_type`` is speech (or unknown): what ``--speech-only`` scores."""
    if "cue_type" not in quotes.columns:
        return quotes
    return quotes[~quotes["cue_type"].astype(str).isin(NOT_SPEECH)]


def _score_article(gold: GoldArticle, rows: dict[str, list[dict[str, Any]]], tally: Tally) -> None:
    if gold.quotes is not None:
        score_quotes(gold.doc, gold.quotes, rows.get("quotes", []), tally)
    if gold.claims is not None:
        score_claims(gold.doc, gold.claims, rows.get("claims", []), tally)
    score_persons(gold, rows.get("entities", []), tally)


def evaluate(gold_path: Path, out_dir: Path, only_speech: bool = False) -> Report:
    """Precision, recall and F1 of the tables under ``out_dir`` against ``gold_path``.

    Raises :class:`~newsmine.evaluate.gold.GoldFormatError` for a bad gold file and
    ``FileNotFoundError`` when no run wrote tables under ``out_dir``.
    """
    articles = read_gold(gold_path)
    doc_ids = _doc_ids(read_frame(out_dir, "documents"))
    quotes = read_frame(out_dir, "quotes")
    tables = {"quotes": speech_only(quotes) if only_speech else quotes,
              "claims": read_frame(out_dir, "claims"), "entities": read_frame(out_dir, "entities")}
    grouped = {name: rows_by_doc(frame) for name, frame in tables.items()}
    tally = Tally()
    missing: list[str] = []
    for gold in articles:
        doc_id = doc_ids.get(gold.doc)
        if doc_id is None:
            missing.append(gold.doc)
            continue
        _score_article(gold, {name: rows.get(doc_id, []) for name, rows in grouped.items()}, tally)
    scored = {name for name in ("quotes", "claims", "persons")
              if any(getattr(a, name) is not None for a in articles)}
    return build_report(str(gold_path), str(out_dir), len(articles), missing, tally, scored)
