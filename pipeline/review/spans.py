"""The marked-up text of one article: every extracted item as an element at its offsets.

Items overlap freely (a claim inside a quote, an entity that is also the speaker, an
entity running past a quote's end), but HTML elements must nest. :func:`nest` turns the
spans into fragments that do: a span that crosses the end of the element it opened in
is cut there and goes on in a second fragment with the same ``data-id``. Every fragment
carries its own ``data-start``/``data-end``, so ``text[start:end]`` is its text, and the
text between the tags is exactly the cleaned text (no labels are inserted: the page
shows them with CSS), which is what lets a browser test check the offsets.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

# Which element opens outside which when two start at the same character.
RANK = {"quote": 0, "speaker": 1, "cue": 1, "verbatim": 1, "claim": 2, "entity": 3}


@dataclass(frozen=True, order=True)
class Span:
    """One item to mark: where, what kind, the element's tag and attributes."""

    start: int
    rank: int
    neg_end: int
    kind: str = field(compare=False)
    item_id: str = field(compare=False)
    tag: str = field(compare=False, default="span")
    classes: tuple[str, ...] = field(compare=False, default=())
    attrs: tuple[tuple[str, str], ...] = field(compare=False, default=())
    first: bool = field(compare=False, default=True)

    @property
    def end(self) -> int:
        return -self.neg_end


def make_span(kind: str, start: Any, end: Any, item_id: str, *, tag: str = "span",
              classes: tuple[str, ...] = (), attrs: dict[str, Any] | None = None) -> Span | None:
    """A span, or None when the offsets are missing or empty."""
    if start is None or end is None or int(end) <= int(start):
        return None
    pairs = tuple((k, str(v)) for k, v in (attrs or {}).items() if v is not None and str(v) != "")
    return Span(int(start), RANK[kind], -int(end), kind, item_id, tag, (kind, *classes), pairs)


def nest(spans: list[Span], length: int) -> list[Span]:
    """Fragments of ``spans`` that nest properly, in document order (see module doc)."""
    queue = [s for s in spans if 0 <= s.start < min(s.end, length + 1)]
    queue = [replace(s, neg_end=-min(s.end, length)) for s in queue]
    heapq.heapify(queue)
    fragments: list[Span] = []
    open_ends: list[int] = []
    open_tags: list[str] = []
    while queue:
        span = heapq.heappop(queue)
        while open_ends and open_ends[-1] <= span.start:
            open_ends.pop()
            open_tags.pop()
        if open_ends and span.end > open_ends[-1]:
            cut = open_ends[-1]
            heapq.heappush(queue, replace(span, start=cut, first=False))
            span = replace(span, neg_end=-cut)
        if span.tag == "a" and "a" in open_tags:
            span = replace(span, tag="span")  # no link in a link: the browser would close the outer
        fragments.append(span)
        open_ends.append(span.end)
        open_tags.append(span.tag)
    return fragments


def _open(span: Span) -> str:
    attrs = [("class", " ".join(span.classes)), ("data-id", span.item_id),
             ("data-start", str(span.start)), ("data-end", str(span.end))]
    attrs += [(k, v) for k, v in span.attrs if span.first or k not in ("id",)]
    if not span.first:
        attrs[0] = ("class", attrs[0][1] + " cont")
    body = " ".join(f'{k}="{escape(v, quote=True)}"' for k, v in attrs)
    return f"<{span.tag} {body}>"


def render(text: str, spans: list[Span]) -> str:
    """``text`` as escaped HTML with every span's fragments as elements around their words."""
    out: list[str] = []
    stack: list[Span] = []
    pos = 0
    for span in nest(spans, len(text)):
        while stack and stack[-1].end <= span.start:
            top = stack.pop()
            out.append(escape(text[pos:top.end], quote=False) + f"</{top.tag}>")
            pos = top.end
        out.append(escape(text[pos:span.start], quote=False) + _open(span))
        pos = span.start
        stack.append(span)
    while stack:
        top = stack.pop()
        out.append(escape(text[pos:top.end], quote=False) + f"</{top.tag}>")
        pos = top.end
    out.append(escape(text[pos:], quote=False))
    return "".join(out)
