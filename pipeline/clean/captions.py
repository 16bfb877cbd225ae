"""Captions: find photo captions and credits in an article's paragraphs.

Why: scraped news carries photo captions and credits inside the body ("…of
Ukraine.Sergey Bobok/AFP via Getty Imageshide caption"); left in, they wreck parsing
and invent speakers. Caption paragraphs (NPR's ``hide caption``/``toggle caption``,
``Image caption …``, a caption sentence ending in a ``Name/Agency`` credit,
credit-only lines) are classified here so ``newsmine.clean.article`` can take them out of the
body. The agency and prefix vocabulary is data: ``models/clean/captions.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsmine.rules import RuleSource, models_dir, read_json

RULE_FILE = "clean/captions.json"
_KEYS = ("agencies", "end_markers", "caption_prefixes", "credit_prefixes", "name_particles", "not_person")

_NEWLINES = "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"
_LINE = re.compile(f"[^{_NEWLINES}]+")
_STRIP = "".join(c for c in map(chr, range(0x3000)) if c.isspace()) + "\u00ad\u200b\u2060\ufeff"
_SENTENCE_END = frozenset(".!?:;,\"'”’…")  # a paragraph ending so does not end in a credit
_WORD = re.compile(r"\w+")


# ---------------------------------------------------------------- caption vocabulary


@dataclass(frozen=True)
class CaptionRules:
    credit_line: re.Pattern[str]   # a whole paragraph that is only a credit
    credit_end: re.Pattern[str]    # caption sentence(s) then a credit at the paragraph's end
    credit_glued: re.Pattern[str]  # a credit right before an NPR "hide caption" marker
    credit_start: re.Pattern[str]  # a credit right after a "toggle caption" marker
    tail_hint: re.Pattern[str]     # cheap test: could this paragraph end in a credit?
    marker: re.Pattern[str]
    caption_prefix: re.Pattern[str]
    hide: str
    not_person: frozenset[str]
    agencies: frozenset[str]
    max_words: int


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def caption_rules() -> CaptionRules:
    """The caption rules of the current models folder (compiled once per folder)."""
    return _caption_rules(str(models_dir()))


@lru_cache(maxsize=4)
def _caption_rules(models: str) -> CaptionRules:
    """Compile the caption regexes from ``models/clean/captions.json`` once per models dir."""
    data = read_json(RuleSource(root=Path(models)), RULE_FILE, required=_KEYS, optional=["max_caption_words"])
    agency = _alternation(data["agencies"])
    particle = _alternation(data["name_particles"])
    upper = "A-ZÀ-ÖØ-ÞĀ-Ž"
    tok = rf"(?:[{upper}]\.|[{upper}][\w'’]*(?:-[{upper}][\w'’]*)?)"
    name = rf"{tok}(?:\s(?:(?:{particle})\s)?{tok}){{0,3}}"
    core = (
        rf"(?:\(?AP\sPhoto\s?/\s?(?P<n1>{name})(?:,\s?(?:File|Pool))?\)?"
        rf"|(?:REUTERS|Reuters|AFP|EPA-EFE|EPA)\s?/\s?(?P<n2>{name})"
        rf"|(?:(?P<n3>{name})\s?/\s?)?(?:{agency})(?:\s?(?:/|via)\s?(?:{agency}))*"
        rf"|(?P<n4>{name})\s(?:for|via)\s(?:{agency}))"
    )
    prefix = rf"(?:\(?(?i:{_alternation(data['credit_prefixes'])})\s*[:,]?\s*)"
    credit = rf"(?:{prefix})?(?P<credit>{core})\)?"
    markers = data["end_markers"]
    return CaptionRules(
        credit_line=re.compile(rf"\s*{credit}\s*"),
        credit_end=re.compile(rf"(?<=[.!?\"”’)])\s*{credit}\s*\Z"),
        credit_glued=re.compile(rf"(?<![\w/])\s*{credit}\s*\Z"),
        credit_start=re.compile(rf"\s*{credit}"),
        tail_hint=re.compile(rf"(?:/|{agency})[^/]{{0,40}}\Z"),
        marker=re.compile(rf"(?i:{_alternation(markers)})"),
        caption_prefix=re.compile(rf"(?i:{_alternation(data['caption_prefixes'])})\s*[:,]?\s*"),
        hide=markers[0].lower(),
        not_person=frozenset(data["not_person"]),
        agencies=frozenset(data["agencies"]),
        max_words=int(data.get("max_caption_words", 90)),
    )


# ---------------------------------------------------------------- paragraphs and captions


@dataclass
class RawCaption:
    """A caption found in the raw text (raw offsets), before cleaning."""

    start: int
    end: int
    credit: re.Match[str] | None = None


@dataclass
class _Para:
    kind: str  # body | caption | credit | hide (a bare "hide caption" line) | drop
    start: int
    end: int
    cap: RawCaption | None = None
    rest: tuple[int, int] | None = None  # body text after an inline caption


def _strip_span(raw: str, start: int, end: int) -> tuple[int, int]:
    while start < end and raw[start] in _STRIP:
        start += 1
    while end > start and raw[end - 1] in _STRIP:
        end -= 1
    return start, end


def _paragraphs(raw: str, end: int) -> list[tuple[int, int]]:
    spans = []
    for m in _LINE.finditer(raw, 0, end):
        s, e = _strip_span(raw, m.start(), m.end())
        if e > s:
            spans.append((s, e))
    return spans


def _n_words(raw: str, start: int, end: int) -> int:
    return raw.count(" ", start, end) + 1


def _classify(raw: str, s: int, e: int, rules: CaptionRules) -> _Para:
    """Decide whether a paragraph is body, a caption, a credit line or a caption marker."""
    has_caption = raw.find("aption", s, e) >= 0 or raw.find("APTION", s, e) >= 0
    markers = list(rules.marker.finditer(raw, s, e)) if has_caption else []
    if markers:
        first, last = markers[0], markers[-1]
        text_end = first.start()
        credit = rules.credit_glued.search(raw, s, text_end)
        if credit is not None:
            text_end = credit.start()
        tail = last.end()
        after = rules.credit_start.match(raw, tail, e)
        if after is not None:
            credit = credit or after
            tail = after.end()
        ts, te = _strip_span(raw, s, text_end)
        rest = _strip_span(raw, tail, e)
        rest_span = rest if rest[1] > rest[0] else None
        if te <= ts and credit is None:
            kind = "hide" if first.group().lower() == rules.hide else "drop"
            return _Para(kind, s, e, rest=rest_span)
        if te <= ts:
            return _Para("credit", s, e, RawCaption(credit.start("credit"), credit.start("credit"), credit),
                         rest=rest_span)
        return _Para("caption", s, e, RawCaption(ts, te, credit), rest=rest_span)
    prefix = rules.caption_prefix.match(raw, s, e) if has_caption else None
    if prefix is not None and prefix.end() < e:
        text_end = e
        credit = rules.credit_end.search(raw, prefix.end(), e) if rules.tail_hint.search(raw, s, e) else None
        if credit is not None:
            text_end = credit.start()
        ts, te = _strip_span(raw, prefix.end(), text_end)
        return _Para("caption", s, e, RawCaption(ts, te, credit))
    if raw[e - 1] in _SENTENCE_END or not rules.tail_hint.search(raw, max(s, e - 120), e):
        return _Para("body", s, e)
    line = rules.credit_line.fullmatch(raw, s, e)
    if line is not None:
        return _Para("credit", s, e, RawCaption(line.start("credit"), line.start("credit"), line))
    if _n_words(raw, s, e) <= rules.max_words:
        credit = rules.credit_end.search(raw, s, e)
        if credit is not None:
            ts, te = _strip_span(raw, s, credit.start())
            return _Para("caption", s, e, RawCaption(ts, te, credit))
    return _Para("body", s, e)


def _link(paras: list[_Para], raw: str, rules: CaptionRules) -> list[_Para]:
    """Attach bare ``hide caption`` lines and credit lines to the caption they belong to."""
    for i, p in enumerate(paras):
        if p.kind == "hide" and i > 0 and paras[i - 1].kind == "body":
            prev = paras[i - 1]
            if _n_words(raw, prev.start, prev.end) <= rules.max_words:
                prev.kind, prev.cap = "caption", RawCaption(prev.start, prev.end)
    for i, p in enumerate(paras):
        if p.kind != "credit":
            continue
        for j in (i - 1, i + 1):
            k = j
            while 0 <= k < len(paras) and paras[k].kind in ("hide", "drop"):
                k += -1 if j < i else 1
            if 0 <= k < len(paras) and paras[k].kind == "caption" and paras[k].cap.credit is None:
                paras[k].cap.credit = p.cap.credit
                p.kind = "drop"
                break
    return paras


def credit_parts(
    m: re.Match[str], rules: CaptionRules
) -> tuple[str, str | None, int | None, int | None]:
    """(credit text, photographer, their raw start and end) of a credit match; no
    photographer when the name is an agency or holds a word that names no one."""
    credit = " ".join(m.group("credit").split())
    for g in ("n1", "n2", "n3", "n4"):
        name = m.group(g)
        if name:
            if name in rules.agencies or any(t in rules.not_person for t in _WORD.findall(name)):
                break
            return credit, " ".join(name.split()), m.start(g), m.end(g)
    return credit, None, None, None


def find_captions(
    raw: str, body_end: int, rules: CaptionRules
) -> tuple[list[tuple[int, int]], list[RawCaption]]:
    """The body's paragraph spans and the captions taken out of it, in raw offsets."""
    paras = _link([_classify(raw, s, e, rules) for s, e in _paragraphs(raw, body_end)], raw, rules)
    body: list[tuple[int, int]] = []
    caps: list[RawCaption] = []
    for p in paras:
        if p.kind == "body":
            body.append((p.start, p.end))
        elif p.kind in ("caption", "credit"):
            caps.append(p.cap)
        if p.rest is not None:
            body.append(p.rest)
    return body, caps
