"""Where a quote's cue is in the text: ``cue_start``/``cue_end`` of the quotes table.

The quote component records the cue as a lemma ("say", "according to"); a reader who
checks an attribution wants to see the very word. It is the token nearest the speaker
(or the quote, when there is none) in the sentences from the speaker to the quote,
outside the quote, whose lemma is the cue's first word and whose next words are the
rest of it. A component that records the offsets itself wins (its record has them).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Token


def _matches(doc: Doc, token: Token, words: list[str]) -> bool:
    if token.lemma_.lower() != words[0] and token.lower_ != words[0]:
        return False
    following = doc[token.i + 1 : token.i + len(words)]
    return len(following) == len(words) - 1 and all(
        t.lower_ == w or t.lemma_.lower() == w for t, w in zip(following, words[1:], strict=True)
    )


def cue_offsets(doc: Doc, record: dict[str, Any]) -> tuple[int | None, int | None]:
    """``(cue_start, cue_end)`` of a quote record in the body Doc, or ``(None, None)``."""
    cue, start, end = record.get("cue"), record.get("start_char"), record.get("end_char")
    if not cue or start is None or end is None or not doc.has_annotation("SENT_START"):
        return None, None
    words = str(cue).lower().split()
    speaker = record.get("speaker_start")
    anchor = speaker if speaker is not None else start
    low, high = min(start, anchor), max(end, record.get("speaker_end") or end)
    span = doc.char_span(low, high, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, None
    first, last = span[0].sent.start, span[-1].sent.end
    found = [tok for tok in doc[first:last]
             if not start <= tok.idx < end and _matches(doc, tok, words)]
    if not found:
        return None, None
    best = min(found, key=lambda tok: abs(tok.idx - anchor))
    final = doc[best.i + len(words) - 1]
    return best.idx, final.idx + len(final.text)
