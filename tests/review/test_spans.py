"""Overlapping items become properly nested elements whose text is the article's text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from newsmine.review.spans import make_span, nest, render

TEXT = 'The minister, Ana Ruiz, said "prices rose 4% in May" and would fall.'


class Checker(HTMLParser):
    """Walks rendered HTML, checking each element's data-start/data-end against the text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.pos, self.open, self.seen = text, 0, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        assert int(attrs["data-start"]) == self.pos, (tag, attrs, self.pos)
        self.open.append((tag, attrs))

    def handle_endtag(self, tag):
        opened, attrs = self.open.pop()
        assert opened == tag and int(attrs["data-end"]) == self.pos
        self.seen.append((attrs["data-id"], int(attrs["data-start"]), int(attrs["data-end"])))

    def handle_data(self, data):
        assert self.text[self.pos:self.pos + len(data)] == data
        self.pos += len(data)


def check(text: str, html: str) -> list[tuple[str, int, int]]:
    checker = Checker(text)
    checker.feed(html)
    checker.close()
    assert checker.pos == len(text) and not checker.open
    return checker.seen


def test_a_span_crossing_its_parent_is_cut_into_fragments_with_one_id() -> None:
    quote = make_span("quote", 30, 52, "q1")
    claim = make_span("claim", 42, 44, "c1")
    entity = make_span("entity", 14, 22, "e1", tag="mark")
    crossing = make_span("entity", 48, 58, "e2", tag="mark")  # "May" runs past the quote's end
    speaker = make_span("speaker", 14, 22, "q1", tag="a")
    seen = check(TEXT, render(TEXT, [quote, claim, entity, crossing, speaker]))
    assert ("q1", 30, 52) in seen and ("c1", 42, 44) in seen
    assert [(s, e) for i, s, e in seen if i == "e2"] == [(48, 52), (52, 58)]
    html = render(TEXT, [speaker, entity])
    assert html.index("<a ") < html.index("<mark ")  # the speaker opens outside the entity
    assert 'class="entity cont"' in render(TEXT, [quote, crossing])


def test_text_is_escaped_and_bad_offsets_are_dropped() -> None:
    text = "Profits <rose> & fell"
    assert make_span("claim", 5, 5, "c") is None and make_span("claim", None, 3, "c") is None
    html = render(text, [make_span("claim", 8, 14, "c1"), make_span("claim", 15, 99, "c2")])
    assert "&lt;rose&gt;" in html and "&amp;" in html
    assert check(text, html) == [("c1", 8, 14), ("c2", 15, 21)]  # clipped to the text's end


@given(st.lists(st.tuples(st.integers(0, 70), st.integers(1, 30), st.sampled_from(
    ["quote", "speaker", "claim", "entity"])), max_size=12))
def test_any_overlap_renders_to_the_same_text_with_true_offsets(items) -> None:
    spans = [make_span(kind, start, start + size, f"{kind}{i}")
             for i, (start, size, kind) in enumerate(items)]
    spans = [s for s in spans if s is not None]
    html = render(TEXT, spans)
    seen = check(TEXT, html)
    assert re.sub(r"<[^>]+>", "", html).replace("&quot;", '"') == TEXT.replace("&", "&amp;")
    for span in spans:  # each span is covered exactly by its fragments
        if span.start < len(TEXT):
            parts = sorted((s, e) for i, s, e in seen if i == span.item_id)
            assert parts[0][0] == span.start and parts[-1][1] == min(span.end, len(TEXT))
            assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))
    assert len(nest(spans, len(TEXT))) == len(seen)
