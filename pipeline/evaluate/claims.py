"""Scoring one article's numeric claims and the persons it names.

Claims are paired on their value, not on their position: gold claims in file order
(required ones first) each take the not-yet-taken predicted claim with the same value
that shares the most unit words with it (the first such row on a tie). A found claim is
then checked for its unit, its qualifier (or trend) and its claimant. Predicted claims
no gold claim took are invented; an ``optional`` gold claim takes its prediction
without counting either way.

Persons are compared by head word, like speakers: a gold person is found when some
PERSON entity's canonical name holds the gold name's head word, and a predicted name is
right when it holds some gold person's.
"""

from __future__ import annotations

import re
from typing import Any

from newsmine.evaluate.gold import GoldArticle, GoldClaim
from newsmine.evaluate.matching import (
    is_missing,
    number,
    qualifier_matches,
    speaker_matches,
    unit_words,
    value_matches,
)
from newsmine.evaluate.tally import Tally


def _pick(gold: GoldClaim, rows: list[dict[str, Any]], taken: set[int]) -> tuple[int, int] | None:
    """(row index, unit words shared) of the best free row with the gold value, or None."""
    wanted = unit_words(gold.units)
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows):
        if index in taken or not value_matches(gold.value, row):
            continue
        shared = len(wanted & unit_words([row.get("text"), row.get("unit"), row.get("subject")]))
        if best is None or shared > best[1]:
            best = (index, shared)
    return best


def _check_found(doc: str, gold: GoldClaim, row: dict[str, Any], shared: int, tally: Tally) -> None:
    """Unit, qualifier and claimant of a found claim."""
    tally.add("claims_found")
    if shared or not unit_words(gold.units):
        tally.add("claims_unit_ok")
    else:
        tally.miss(doc, "claim unit", gold.text, gold.units, row.get("unit"))
    if qualifier_matches(gold.qualifier, gold.value, row):
        tally.add("claims_qualifier_ok")
    else:
        got = row.get("trend") if gold.qualifier in ("up", "down") else row.get("qualifier")
        tally.miss(doc, "claim qualifier", gold.text, gold.qualifier, got)
    if gold.claimant is None:
        return
    tally.add("claimant_gold")
    if speaker_matches(gold.claimant, row.get("claimant_canonical"), row.get("claimant")):
        tally.add("claimant_ok")
    else:
        tally.miss(doc, "claimant", gold.text, gold.claimant, row.get("claimant_canonical"))


def score_claims(doc: str, gold: list[GoldClaim], rows: list[dict[str, Any]], tally: Tally) -> None:
    """Add one article's claim counts and misses to ``tally`` (``rows``: its claims rows)."""
    taken: set[int] = set()
    for claim in sorted(gold, key=lambda c: c.optional):  # stable: required first, file order
        if not claim.optional:
            tally.add("claims_gold")
        picked = _pick(claim, rows, taken)
        if picked is None:
            if not claim.optional:
                tally.miss(doc, "claim missed", claim.text, claim.value)
            continue
        taken.add(picked[0])
        if not claim.optional:
            _check_found(doc, claim, rows[picked[0]], picked[1], tally)
    real = [i for i, row in enumerate(rows)
            if number(row.get("value")) is not None or not is_missing(row.get("text")) and str(row["text"])]
    tally.add("claims_pred", len(real))
    tally.add("claims_pred_ok", len(taken))
    for index in real:
        if index not in taken:
            tally.miss(doc, "claim invented", rows[index].get("text"), None, number(rows[index].get("value")))


def score_persons(article: GoldArticle, rows: list[dict[str, Any]], tally: Tally) -> None:
    """Add one article's person counts: names found and invented (when the line lists
    ``persons``), names it says are not persons tagged PERSON, speaker mentions tagged."""
    persons = [row for row in rows if row.get("label") == "PERSON"]
    if article.persons is not None:
        names = {str(row["text"] if is_missing(row.get("canonical_name")) else row["canonical_name"])
                 for row in persons}
        _names(article.doc, article.persons, names, tally)
    texts = [str(row.get("text")) for row in persons]
    for text in texts:
        if any(other.lower() in text.lower() for other in article.not_persons):
            tally.add("not_person_tagged")
            tally.miss(article.doc, "not a person", text)
    _speaker_mentions(article, [t.lower() for t in texts], tally)


def _names(doc: str, gold: list[str], names: set[str], tally: Tally) -> None:
    tally.add("persons_gold", len(gold))
    tally.add("persons_pred", len(names))
    for person in gold:
        if any(speaker_matches(person, name) for name in names):
            tally.add("persons_found")
        else:
            tally.miss(doc, "person missed", person)
    for name in sorted(names):
        if any(speaker_matches(person, name) for person in gold):
            tally.add("persons_pred_ok")
        else:
            tally.miss(doc, "person invented", name)


def _speaker_mentions(article: GoldArticle, tagged: list[str], tally: Tally) -> None:
    """Mention recall: every mention of a quoted person's surname in the gold text should
    be tagged PERSON (needs the article's ``text`` in the gold line)."""
    if article.text is None:
        return
    speakers = {q.speaker for q in article.quotes or [] if q.speaker is not None}
    for name in sorted(speakers & set(article.persons or [])):
        surname = name.split()[-1].lower()
        expected = len(re.findall(rf"\b{re.escape(surname)}", article.text.lower()))
        tally.add("mentions_gold", expected)
        tally.add("mentions_found", min(sum(surname in t for t in tagged), expected))
