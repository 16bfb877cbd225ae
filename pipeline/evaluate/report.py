"""From counts to precision, recall and F1 per item type, printed or as JSON.

Precision and recall are rounded to three decimals and F1 is the harmonic mean of the
rounded numbers (0 when either is 0 or undefined), the convention of the shared scorer
``../shared/eval/score.py``, so the two print the same numbers. A ratio with nothing to
count (no predictions, no gold) is undefined: null in JSON, ``-`` on the terminal.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from newsmine.evaluate.tally import Miss, Tally

# item type -> (right predictions, predictions, gold found, gold items)
METRICS: dict[str, tuple[str, str, str, str]] = {
    "direct_quotes": ("direct_pred_ok", "direct_pred", "direct_found", "direct_gold"),
    "attributed_quotes": (
        "direct_pred_attributed", "direct_pred_with_speaker", "direct_attributed", "direct_gold_with_speaker"
    ),
    "reported_speech": ("indirect_pred_ok", "indirect_pred", "indirect_found", "indirect_gold"),
    "claims": ("claims_pred_ok", "claims_pred", "claims_found", "claims_gold"),
    "claims_with_unit": ("claims_unit_ok", "claims_pred", "claims_unit_ok", "claims_gold"),
    "claims_with_qualifier": ("claims_qualifier_ok", "claims_pred", "claims_qualifier_ok", "claims_gold"),
    "persons": ("persons_pred_ok", "persons_pred", "persons_found", "persons_gold"),
}
# What each item type needs the gold lines to annotate.
NEEDS = {"direct_quotes": "quotes", "attributed_quotes": "quotes", "reported_speech": "quotes",
         "claims": "claims", "claims_with_unit": "claims", "claims_with_qualifier": "claims",
         "persons": "persons"}
# share of found items that are right in one respect: (right, of)
ACCURACIES: dict[str, tuple[str, str]] = {
    "claim_unit": ("claims_unit_ok", "claims_found"),
    "claim_qualifier": ("claims_qualifier_ok", "claims_found"),
    "claimant": ("claimant_ok", "claimant_gold"),
    "speaker_mentions_recall": ("mentions_found", "mentions_gold"),
}
LABELS = {
    "direct_quotes": "direct quotes (span)", "attributed_quotes": "direct quotes + speaker",
    "reported_speech": "reported speech", "claims": "claims (value)", "claims_with_unit": "claims + unit",
    "claims_with_qualifier": "claims + qualifier", "persons": "persons",
    "claim_unit": "unit of found claims", "claim_qualifier": "qualifier of found claims",
    "claimant": "claimant of found claims", "speaker_mentions_recall": "speaker mentions as PERSON",
}


def ratio(part: int, whole: int) -> float | None:
    """``part/whole`` to three decimals; None when there is nothing to count."""
    return round(part / whole, 3) if whole else None


def f1(precision: float | None, recall: float | None) -> float:
    """The harmonic mean of (rounded) precision and recall, 0 when either is 0 or None."""
    if not precision or not recall:
        return 0.0
    return round(2 * precision * recall / (precision + recall), 3)


@dataclass
class Report:
    """An evaluation: which articles were scored, the metrics, the misses."""

    gold: str
    out: str
    annotated: int
    missing: list[str]
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    accuracy: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_person_tagged: int = 0
    misses: list[Miss] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Everything, as plain data (``newsmine eval --json``)."""
        data = asdict(self)
        data["misses"] = [asdict(m) for m in self.misses]
        return data


def build_report(gold: str, out: str, annotated: int, missing: list[str], tally: Tally,
                 scored: set[str]) -> Report:
    """The report of ``tally``; ``scored``: the tables (quotes, claims, persons) any
    gold line annotates (item types of the others are left out)."""
    report = Report(gold=gold, out=out, annotated=annotated, missing=missing, misses=tally.misses,
                    not_person_tagged=tally.counts["not_person_tagged"])
    c = tally.counts
    for name, (right, predicted, found, gold_items) in METRICS.items():
        if NEEDS[name] not in scored:
            continue
        precision, recall = ratio(c[right], c[predicted]), ratio(c[found], c[gold_items])
        report.metrics[name] = {
            "precision": precision, "recall": recall, "f1": f1(precision, recall),
            "right": c[right], "predicted": c[predicted], "found": c[found], "gold": c[gold_items],
        }
    for name, (right, of) in ACCURACIES.items():
        if c[of]:
            report.accuracy[name] = {"value": ratio(c[right], c[of]), "right": c[right], "of": c[of]}
    return report


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _clip(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_misses(report: Report) -> list[str]:
    """One line per miss: the article, what went wrong, the text, expected and got."""
    lines = []
    for miss in report.misses:
        said = [f"expected {miss.expected}" if miss.expected is not None else "",
                f"got {miss.got}" if miss.got is not None else ""]
        detail = f"  ({', '.join(s for s in said if s)})" if any(said) else ""
        lines.append(f"{miss.doc}: {miss.what}: {_clip(miss.text)!r}{detail}")
    return lines


def render_summary(report: Report) -> list[str]:
    """The metrics as a small table that fits 80 columns."""
    lines = [f"{'':27} {'precision':>9} {'recall':>7} {'F1':>6} {'right/pred':>13} {'found/gold':>12}"]
    for name, m in report.metrics.items():
        lines.append(
            f"{LABELS[name]:27} {_number(m['precision']):>9} {_number(m['recall']):>7} {m['f1']:>6.3f}"
            f" {m['right']:>6}/{m['predicted']:<6} {m['found']:>6}/{m['gold']:<5}"
        )
    for name, a in report.accuracy.items():
        lines.append(f"{LABELS[name]:27} {_number(a['value']):>9} {'':>7} {'':>6} {a['right']:>6}/{a['of']}")
    lines.append(f"names the gold says are not persons, tagged PERSON: {report.not_person_tagged}")
    scored = report.annotated - len(report.missing)
    missing = ""
    if report.missing:
        missing = f", {len(report.missing)} not in the tables: {', '.join(report.missing[:5])}"
    lines.append(f"articles: {report.annotated} annotated, {scored} scored{missing}")
    lines.append(f"tables: {report.out}")
    return [line.rstrip() for line in lines]
