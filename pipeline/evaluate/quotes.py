"""Scoring one article's quotes: verbatim quotes, their speakers, and reported speech.

Three item types, each with its own precision and recall:

* **direct quotes** (spans): a gold verbatim quote is found when a predicted ``direct`` or
  ``mixed`` row covers 80% of its words; a predicted ``direct`` row is right when 80% of
  its words lie in gold verbatim quotes (so one row over two adjacent gold quotes is right,
  a row with the attribution glued in is not). A ``mixed`` row finds the verbatim quotes
  it holds but is judged for precision as reported speech.
* **attributed quotes**: the same, counting only gold quotes that name a speaker, and a
  hit only when a matching row also has the right speaker.
* **reported speech**: a predicted ``indirect``/``mixed`` row is right when it and some
  gold quote of any kind cover half of each other's words (either way) and the speakers
  agree where the gold names one; a gold reported quote with a speaker is found when any
  row covers half its words with the right speaker.
"""

from __future__ import annotations

from typing import Any

from newsmine.evaluate.gold import GoldQuote
from newsmine.evaluate.matching import coverage, speaker_matches, words
from newsmine.evaluate.tally import Tally

_Gold = tuple[GoldQuote, list[str]]
_Pred = tuple[dict[str, Any], list[str]]

FOUND = 0.8  # share of a verbatim quote's words a row must hold
REPORTED = 0.5  # share for reported speech, either way


def _speakers(row: dict[str, Any]) -> tuple[Any, Any]:
    return row.get("speaker_canonical"), row.get("speaker")


def _direct_recall(doc: str, golds: list[_Gold], holders: list[_Pred], tally: Tally) -> None:
    """Gold verbatim quotes found (by a direct or mixed row), and found with their speaker."""
    for gold, gold_words in golds:
        tally.add("direct_gold")
        hits = [row for row, row_words in holders
                if coverage(gold_words, row_words) / len(gold_words) >= FOUND]
        if hits:
            tally.add("direct_found")
        if gold.speaker is None:
            continue  # a quote with no named source scores its span only
        tally.add("direct_gold_with_speaker")
        if any(speaker_matches(gold.speaker, *_speakers(row)) for row in hits):
            tally.add("direct_attributed")
        elif hits:
            tally.miss(doc, "quote misattributed", gold.text, gold.speaker,
                       [row.get("speaker_canonical") for row in hits])
        else:
            tally.miss(doc, "quote missed", gold.text, gold.speaker)


def _direct_precision(doc: str, golds: list[_Gold], direct: list[_Pred], tally: Tally) -> None:
    """Predicted direct rows inside gold verbatim quotes, and with the right speaker."""
    for row, row_words in direct:
        if not row_words:
            continue
        tally.add("direct_pred")
        inside = [(coverage(row_words, gold_words), gold) for gold, gold_words in golds]
        if sum(n for n, _ in inside) / len(row_words) < FOUND:
            tally.miss(doc, "quote invented", row.get("text"), None, row.get("speaker_canonical"))
            continue
        tally.add("direct_pred_ok")
        best = max(inside, key=lambda pair: pair[0])[1]
        if best.speaker is None:
            continue
        tally.add("direct_pred_with_speaker")
        if speaker_matches(best.speaker, *_speakers(row)):
            tally.add("direct_pred_attributed")


def _reported_precision(doc: str, golds: list[_Gold], reported: list[_Pred], tally: Tally) -> None:
    """Predicted reported speech that overlaps a gold quote of any kind, speakers agreeing."""
    for row, row_words in reported:
        if not row_words:
            continue
        tally.add("indirect_pred")
        for gold, gold_words in golds:
            if not gold_words:
                continue
            shared = coverage(row_words, gold_words)
            if shared / len(row_words) < REPORTED and shared / len(gold_words) < REPORTED:
                continue
            if gold.speaker is None or speaker_matches(gold.speaker, *_speakers(row)):
                tally.add("indirect_pred_ok")
                break
        else:
            tally.miss(doc, "reported speech invented", row.get("text"), None, row.get("speaker_canonical"))


def _reported_recall(doc: str, golds: list[_Gold], preds: list[_Pred], tally: Tally) -> None:
    """Gold reported speech with a speaker, found by a row of any kind with that speaker."""
    for gold, gold_words in golds:
        if gold.speaker is None or not gold_words:
            continue
        tally.add("indirect_gold")
        if any(coverage(gold_words, row_words) / len(gold_words) >= REPORTED
               and speaker_matches(gold.speaker, *_speakers(row)) for row, row_words in preds):
            tally.add("indirect_found")
        else:
            tally.miss(doc, "reported speech missed", gold.text, gold.speaker)


def score_quotes(doc: str, gold: list[GoldQuote], rows: list[dict[str, Any]], tally: Tally) -> None:
    """Add one article's quote counts and misses to ``tally`` (``rows``: its quotes rows)."""
    golds = [(g, words(g.text)) for g in gold]
    preds = [(row, words(row.get("text"))) for row in rows]
    kinds = [str(row.get("kind")) for row, _ in preds]
    verbatim = [pair for pair in golds if pair[0].kind == "direct"]
    _direct_recall(doc, verbatim, [p for p, k in zip(preds, kinds, strict=True) if k != "indirect"], tally)
    direct = [p for p, k in zip(preds, kinds, strict=True) if k not in ("indirect", "mixed")]
    _direct_precision(doc, verbatim, direct, tally)
    reported = [p for p, k in zip(preds, kinds, strict=True) if k in ("indirect", "mixed")]
    _reported_precision(doc, golds, reported, tally)
    _reported_recall(doc, [pair for pair in golds if pair[0].kind != "direct"], preds, tally)
