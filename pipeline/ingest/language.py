"""Which language an article is written in: an ISO 639-1 code and the detector's probability.

py3langid (the langid.py model, BSD) ships its model inside the wheel, so it works
offline, and with ``norm_probs`` its score is a calibrated probability that is honestly
low on short or mixed text. Measured: all 2,225 BBC articles English (lowest score
0.9945), every paragraph and headline of a French/German/Spanish/Italian/Portuguese/
Dutch test set right, about 1 ms per article on its first 1,000 characters (under 2 % of
the pipeline's time per article). The model costs ~75 MB per process, so it is loaded
on the first article, once per process, and never by a run with nothing to do.

The decision to set an article aside is :func:`is_other_language`: only a *sure*
detection of a language outside the configured ones skips it; a short brief or a
mixed text the detector is unsure about is processed, its score telling the analyst.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Any

SAMPLE_CHARS = 1_000  # the first 1,000 characters decide: 2,000 or all changed no BBC result
SURE = 0.9  # below this the detector is unsure: the article is processed as configured
MIN_CHARS = 200  # shorter texts (briefs, captions) are too little evidence to skip on


@cache
def identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str | None, float | None]:
    """``(code, probability)`` of the text's language; ``(None, None)`` for text without letters."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None, None
    code, score = identifier().classify(sample)
    return str(code), round(float(score), 4)


def is_other_language(
    language: str | None, score: float | None, n_chars: int, languages: Collection[str]
) -> bool:
    """True when the article is surely in a language the run is not configured for."""
    if language is None or score is None or not languages or language in languages:
        return False
    return score >= SURE and n_chars >= MIN_CHARS
