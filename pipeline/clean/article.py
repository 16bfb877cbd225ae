"""Clean: turn an article's raw text into the body text the NLP stages read.

Why a separate stage: scraped news carries noise that wrecks parsing — photo
captions and credits inside the body ("…of Ukraine.Sergey Bobok/AFP via Getty
Imageshide caption"), and words glued together where the scraper dropped the
space around a link ("aU.S. assessmentreleased", "Zelenskyysayson"). Cleaning
removes or repairs that, and keeps an offset map so every item extracted from the
cleaned text still points into ``Article.raw_text``.

What it does, in order:

1. Splits the body (``raw_text[:body_end]``) into paragraphs; caption paragraphs
   (NPR's ``hide caption``/``toggle caption``, ``Image caption …``, a caption
   sentence ending in a ``Name/Agency`` credit, credit-only lines) leave the body
   for ``captions``. The agency and prefix vocabulary is data: ``models/clean/captions.json``
   (detection lives in ``newsmine.clean.captions``).
2. NFC, whitespace collapsed (paragraphs joined by one ``"\\n"``), invisible
   characters (soft hyphen, zero-width space, BOM, control codes) dropped.
3. Glue repair: spaces inserted where scraping glued words (``newsmine.clean.glue``,
   ``models/clean/glue.json``).

Deterministic, and it never raises: on an internal error it logs and returns the
body unchanged (identity map) rather than failing the article.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

from newsmine.clean.captions import caption_rules, credit_parts, find_captions
from newsmine.clean.glue import ArticleWords, glue_positions
from newsmine.clean.offsets import MapBuilder, OffsetMap, with_insertions

log = logging.getLogger(__name__)

_INVISIBLE = "\u00ad\u200b\u2060\ufeff\x00-\x08\x0e-\x1b\x7f"
_EDIT = re.compile(f"(?P<ws>[\\s{_INVISIBLE}]{{2,}}|[^\\S ])|(?P<inv>[{_INVISIBLE}])")
_ODD = re.compile(f"[^\\S ]|  |[{_INVISIBLE}]")  # anything _EDIT would change; a plain space never starts it
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Caption:
    """A photo caption taken out of the body, with its credit split off."""

    text: str
    raw_start: int
    raw_end: int
    credit: str | None
    photographer: str | None
    photographer_raw_start: int | None
    photographer_raw_end: int | None


@dataclass(frozen=True)
class CleanedText:
    """The cleaned body, its captions, and the maps from both back to the raw text."""

    text: str
    captions: list[Caption]
    body_map: OffsetMap | None = field(default=None, repr=False, compare=False)
    caption_maps: list[OffsetMap] = field(default_factory=list, repr=False, compare=False)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Cleaned ``[start, end)`` → raw ``[raw_start, raw_end)`` covering the same words."""
        if self.body_map is None:
            start = max(0, min(start, len(self.text)))
            return start, max(start, min(end, len(self.text)))
        return self.body_map.to_raw(start, end)

    def caption_to_raw(self, index: int, start: int, end: int) -> tuple[int, int]:
        """Offsets inside ``captions[index].text`` → raw offsets."""
        cap = self.captions[index]
        if index < len(self.caption_maps):
            return self.caption_maps[index].to_raw(start, end)
        return cap.raw_start, cap.raw_end


# ---------------------------------------------------------------- normalisation


def _emit_plain(raw: str, start: int, end: int, out: MapBuilder) -> None:
    """Copy raw text, composing any non-NFC word (NFC never crosses whitespace)."""
    chunk = raw[start:end]
    if chunk.isascii() or unicodedata.is_normalized("NFC", chunk):
        out.copy(raw, start, end)
        return
    pos = start
    for m in _TOKEN.finditer(raw, start, end):
        word = m.group()
        if unicodedata.is_normalized("NFC", word):
            continue
        out.copy(raw, pos, m.start())
        out.replace(unicodedata.normalize("NFC", word), m.start(), m.end())
        pos = m.end()
    out.copy(raw, pos, end)


def _emit_span(raw: str, start: int, end: int, out: MapBuilder) -> None:
    """Append one paragraph: whitespace runs become one space, invisible characters go."""
    if _ODD.search(raw, start, end) is None:
        _emit_plain(raw, start, end, out)
        return
    pos = start
    for m in _EDIT.finditer(raw, start, end):
        _emit_plain(raw, pos, m.start(), out)
        if m.lastgroup == "ws" and any(c.isspace() for c in m.group()):
            out.replace(" ", m.start(), m.end())
        pos = m.end()
    _emit_plain(raw, pos, end, out)


def _build(raw: str, spans: list[tuple[int, int]], origin: int) -> tuple[str, OffsetMap]:
    out = MapBuilder(origin=origin)
    prev_end = None
    for s, e in spans:
        if prev_end is not None and out.pos:
            out.replace("\n", prev_end, prev_end)
        _emit_span(raw, s, e, out)
        prev_end = e
    return out.text(), out.build()


# ---------------------------------------------------------------- the stage


def _clean(raw: str, body_end: int) -> CleanedText:
    rules = caption_rules()
    body, caps = find_captions(raw, body_end, rules)
    words = ArticleWords(raw)
    cache: dict[str, list[str] | None] = {}
    text, base = _build(raw, body, 0)
    text, body_map = with_insertions(text, base, glue_positions(text, words, cache))
    captions, maps = [], []
    for cap in caps:
        ctext, cbase = _build(raw, [(cap.start, cap.end)], cap.start)
        ctext, cmap = with_insertions(ctext, cbase, glue_positions(ctext, words, cache))
        credit = photographer = ps = pe = None
        if cap.credit is not None:
            credit, photographer, ps, pe = credit_parts(cap.credit, rules)
        rs, re_ = cmap.to_raw(0, len(ctext))
        captions.append(Caption(ctext, rs, re_, credit, photographer, ps, pe))
        maps.append(cmap)
    return CleanedText(text, captions, body_map, maps)


def clean_article(raw_text: str, body_end: int | None = None) -> CleanedText:
    """Clean ``raw_text[:body_end]``: captions out, whitespace and glue repaired, offsets kept.

    Never raises: an internal error is logged and the body comes back unchanged.
    """
    raw_text = raw_text or ""
    end = len(raw_text) if body_end is None else max(0, min(int(body_end), len(raw_text)))
    try:
        return _clean(raw_text, end)
    except Exception:  # one odd article must not stop a batch; the fallback is still usable
        log.warning("cleaning failed; keeping the raw body", exc_info=True)
        out = MapBuilder()
        out.copy(raw_text, 0, end)
        return CleanedText(out.text(), [], out.build(), [])
