"""Pair double quotation marks in a string: pure text, no spaCy.

Why a hand-written pairer: counting marks (textacy's approach) loses a whole article as
soon as one apostrophe or one unclosed mark makes the count odd. Here

* double marks (straight ``"``, curly, guillemets, low-9, and the wire/archive marks:
  two apostrophes at either end, two backticks opening) open or close a quote; single
  marks never do where they could be nested or apostrophes, so ``don't`` and nested
  ``'walking away'`` cannot shift the pairing;
* a quote in another mark style inside the open one (``"the so-called “Fair Fares
  Act,” she said"``) stays nested when the outer style closes later in the paragraph;
* British style, curly single marks as the primary quotes (``‘It is modest,’ she
  said``), is read only in paragraphs with no double marks: ``‘`` at a word start opens,
  and the closing ``’`` is one followed by a non-letter, preferring one that is not a
  plural possessive (``the NHS’ budget``) so apostrophes never close a quote;
* whether a mark opens or closes is read from its neighbours (space before -> opens,
  space/punctuation after -> closes), falling back to its shape (curly) and then to the
  open/closed state, which handles marks glued to words in scraped text (``to"just"and``);
* pairing never crosses a paragraph, except the news convention where a quoted
  paragraph is left unclosed and the next paragraph re-opens with a mark: that is one
  multi-paragraph quote, unless the new paragraph opens with a transcript label
  (``"SMITH: ...``: a new turn, a new quote). A truly unclosed quote ends at its
  paragraph's end.
"""

import re
from dataclasses import dataclass, field

OPEN_ONLY = frozenset("\u201c\u201e\u00ab")  # “ „ «
CLOSE_ONLY = frozenset("\u201d\u00bb")  # ” »
MARKS = frozenset('"') | OPEN_ONLY | CLOSE_ONLY
WIDE = ("''", "``")  # the two-character double marks of wire and archive text
_OPEN_BEFORE = frozenset("([{\u2014\u2013-/:")  # a mark after these opens
_SENTENCE_END = frozenset(".?!\u2026")
_AFTER_SENTENCE = frozenset("'\u2019)]")  # may follow a sentence's end before the next opener
# Two ASCII apostrophes are a double mark at either end, two backticks open one; in a run
# of three apostrophes one is a single mark nested inside (see ``_marks``).
_MARK_RE = re.compile("''+|``|[" + re.escape("".join(sorted(MARKS))) + "]")
_CLOSE_AFTER = frozenset(".,;:!?)]}\u2014\u2013-'\u2019")  # a mark before these closes
_FAMILY = {"\u201c": "curly", "\u201d": "curly", "\u201e": "curly", "\u00ab": "angle", "\u00bb": "angle",
           '"': "straight", "''": "wide", "``": "wide"}


def mark_width(text: str, i: int) -> int:
    """Characters the double mark at ``i`` takes: 2 for the wide marks, else 1."""
    return 2 if text[i : i + 2] in WIDE else 1


def _family(text: str, i: int) -> str:
    return _FAMILY.get(text[i : i + mark_width(text, i)], "straight")


def _marks(text: str) -> list[int]:
    """Offsets of every double mark in ``text``, in order (see ``_MARK_RE``)."""
    out = []
    for m in _MARK_RE.finditer(text):
        i, run = m.start(), m.end() - m.start()
        if text[i] != "'":
            out.append(i)
        elif run >= 2:
            # three apostrophes open with the double mark first, and close with it last
            before = text[i - 1] if i > 0 else "\n"
            out.append(i if run == 2 or before.isspace() or before in _OPEN_BEFORE else m.end() - 2)
    return out


@dataclass(frozen=True)
class QuoteSpan:
    """One paired quotation: marks at ``open``/``close`` (close is None if unclosed).

    ``start``/``end`` are the content offsets (without the outer marks); ``reopen`` lists
    the offsets of marks that re-open a continued paragraph inside the content.
    """

    open: int
    close: int | None
    start: int
    end: int
    reopen: tuple[int, ...] = field(default=())

    def text(self, source: str) -> str:
        """The content with paragraph re-opening marks removed."""
        if not self.reopen:
            return source[self.start : self.end]
        parts, pos = [], self.start
        for mark in self.reopen:
            parts.append(source[pos:mark])
            pos = mark + mark_width(source, mark)
        parts.append(source[pos : self.end])
        return "".join(parts)


def _direction(text: str, i: int) -> str:
    """'open', 'close' or '?' for the mark at ``text[i]``, from its neighbours and shape."""
    width = mark_width(text, i)
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + width] if i + width < len(text) else "\n"
    before_space = prev.isspace() or prev in _OPEN_BEFORE
    after_space = nxt.isspace() or nxt in _CLOSE_AFTER
    if before_space and not after_space:
        return "open"
    if after_space and not before_space:
        return "close"
    ch = text[i : i + width]
    if ch in OPEN_ONLY or ch == "``":
        return "open"
    if ch in CLOSE_ONLY:
        return "close"
    return "?"


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line-separated paragraph."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _first_mark(text: str, start: int, end: int) -> int | None:
    """Offset of a mark opening the paragraph (after leading spaces), else None."""
    i = start
    while i < end and text[i].isspace():
        i += 1
    if i >= end or not (text[i] in MARKS or text[i : i + 2] in WIDE):
        return None
    return i if _direction(text, i) != "close" else None


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every quoted span in ``text``, in order; linear in its length."""
    paragraphs = _paragraphs(text)
    spans = _double_quotes(text, paragraphs)
    if SINGLE_OPEN in text:
        singles = _single_quotes(text, paragraphs)
        if singles:
            spans = sorted(spans + singles, key=lambda s: s.open)
    return spans


SINGLE_OPEN, SINGLE_CLOSE = "\u2018", "\u2019"  # ‘ ’


def _single_close(text: str, i: int) -> int:
    """How good a close the ``’`` at ``i`` is: 0 none (a letter follows: ``don’t``),
    1 weak (``the NHS’ budget``: after an s, before a lower-case word), 2 clear."""
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    if nxt.isalnum():
        return 0
    prev = text[i - 1] if i > 0 else " "
    if nxt == " " and prev in "sSzZ" and i + 2 < len(text) and text[i + 2].islower():
        return 1
    return 2


def _single_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteSpan]:
    """British-style quotes in paragraphs that have no double marks (see module doc)."""
    spans: list[QuoteSpan] = []
    carry: tuple[int, list[int]] | None = None
    for p, (pstart, pend) in enumerate(paragraphs):
        para = text[pstart:pend]
        if SINGLE_OPEN not in para or any(ch in MARKS for ch in para) or "''" in para:
            carry = None
            continue
        opened: int | None = None
        reopen: list[int] = []
        if carry is not None:
            opened, reopen = carry
            carry = None
        weak: int | None = None  # last plural-possessive-like mark since the opener
        for i in range(pstart, pend):
            ch = text[i]
            if reopen and i == reopen[-1]:
                continue
            if ch == SINGLE_OPEN:
                prev = text[i - 1] if i > 0 else "\n"
                nxt = text[i + 1] if i + 1 < len(text) else "\n"
                if opened is None and (prev.isspace() or prev in _OPEN_BEFORE) and not nxt.isspace():
                    opened, reopen, weak = i, [], None
                continue
            if ch != SINGLE_CLOSE or opened is None or i == opened + 1:
                continue
            strength = _single_close(text, i)
            if strength == 1:
                weak = i
            elif strength == 2:
                spans.append(QuoteSpan(opened, i, opened + 1, i, tuple(reopen)))
                opened, reopen, weak = None, [], None
        if opened is None:
            continue
        if weak is not None:  # only a possessive-looking mark: it was the close after all
            spans.append(QuoteSpan(opened, weak, opened + 1, weak, tuple(reopen)))
            continue
        nxt_par = paragraphs[p + 1] if p + 1 < len(paragraphs) else None
        if nxt_par is not None and text[nxt_par[0] : nxt_par[1]].lstrip().startswith(SINGLE_OPEN):
            carry = (opened, [*reopen, nxt_par[0] + len(text[nxt_par[0] : nxt_par[1]]) -
                              len(text[nxt_par[0] : nxt_par[1]].lstrip())])
            continue
        end = pend
        while end > opened + 1 and text[end - 1].isspace():
            end -= 1
        spans.append(QuoteSpan(opened, None, opened + 1, end, tuple(reopen)))
    return spans


def _opens_paragraph(text: str, i: int) -> bool:
    """Whether the mark at ``i`` is the first thing on its line."""
    j = i - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    return j < 0 or text[j] == "\n"


_LABEL_RE = re.compile(r"[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,2}:")  # a transcript turn: `SMITH:`


def _nested(text: str, marks: list[int], k: int, opened: int) -> int | None:
    """A quote in another mark style nested in the open one (`"the so-called “Bathroom
    Bill,” he said"`): the index of its closing mark in ``marks`` when ``marks[k]`` opens
    one of another family, the next mark closes it in that family and a mark of the
    outer family still follows in the paragraph, or the outer mark opens its paragraph
    (a quoted paragraph may run unclosed to its end; ``marks`` holds one paragraph's)."""
    outer, inner = _family(text, opened), _family(text, marks[k])
    if inner == outer:
        return None
    j = k + 1
    if j >= len(marks) or _family(text, marks[j]) != inner or _direction(text, marks[j]) == "open":
        return None
    if _opens_paragraph(text, opened):
        return j  # the outer quote opens its paragraph: it may run unclosed to the end
    return j if any(_family(text, m) == outer for m in marks[j + 1 :]) else None


def _restart(text: str, opened: int, i: int, reopen: list[int]) -> QuoteSpan | None:
    """A clear opener while a quote is open. After a finished sentence it is the
    multi-paragraph convention with the line break lost (`...he is. "The training...`):
    the first part is a quote of its own. Otherwise the earlier mark was stray (None)."""
    j = i - 1
    while j > opened and text[j].isspace():
        j -= 1
    last = j + 1
    while j > opened and text[j] in _AFTER_SENTENCE:
        j -= 1  # `... 9.15 metres?' "If they ...`: a nested quote or bracket closes first
    if text[j] in _SENTENCE_END:
        return QuoteSpan(opened, None, opened + mark_width(text, opened), last, tuple(reopen))
    return None


def _pair_paragraph(text: str, marks: list[int], opened: int | None, reopen: list[int],
                    spans: list[QuoteSpan]) -> int | None:
    """Pair one paragraph's marks (appending to ``spans``); returns the mark still open
    at its end, if any. ``opened``/``reopen``: a quote continued from the last paragraph."""
    k = 0
    while k < len(marks):
        i = marks[k]
        k += 1
        if reopen and i == reopen[-1]:
            continue  # the re-opening mark of a continued paragraph
        direction = _direction(text, i)
        if opened is None:
            if direction != "close":
                opened, reopen[:] = i, []
            continue  # a stray closing mark is ignored
        width = mark_width(text, opened)
        if direction == "open" and text[i - 1].isspace() and i - opened > width:
            inner = _nested(text, marks, k - 1, opened)
            if inner is not None:
                k = inner + 1
                continue
            span = _restart(text, opened, i, reopen)
            if span is not None:
                spans.append(span)
            opened, reopen[:] = i, []
            continue
        spans.append(QuoteSpan(opened, i, opened + width, i, tuple(reopen)))
        opened, reopen[:] = None, []
    return opened


def _double_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[QuoteSpan]:
    """Every double-quoted span in ``text``, in order."""
    spans: list[QuoteSpan] = []
    carry: tuple[int, list[int]] | None = None  # an open quote continued from the last paragraph
    marks = _marks(text)  # offsets of all marks, in order
    m = 0
    for p, (pstart, pend) in enumerate(paragraphs):
        opened: int | None = None
        reopen: list[int] = []
        if carry is not None:
            opened, reopen = carry
            carry = None
        if opened is None and (m >= len(marks) or marks[m] >= pend):
            continue  # no mark in this paragraph and nothing open
        while m < len(marks) and marks[m] < pstart:
            m += 1
        first = m
        while m < len(marks) and marks[m] < pend:
            m += 1
        opened = _pair_paragraph(text, marks[first:m], opened, reopen, spans)
        if opened is None:
            continue
        nxt = paragraphs[p + 1] if p + 1 < len(paragraphs) else None
        mark = _first_mark(text, *nxt) if nxt else None
        if mark is not None and not _LABEL_RE.match(text, mark + mark_width(text, mark)):
            carry = (opened, [*reopen, mark])  # news convention: the quote continues
        else:
            end = pend
            width = mark_width(text, opened)
            while end > opened + width and text[end - 1].isspace():
                end -= 1
            spans.append(QuoteSpan(opened, None, opened + width, end, tuple(reopen)))
    return spans
