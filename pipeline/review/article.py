"""One article's section of the review page: the marked-up text, its quotes and claims
listed beside it, captions and entities in displaCy's manner.

Rows are plain dicts straight from the tables, so a column another stage adds shows up
where it is used: ``cue_type`` colours a quote's underline, ``cue_start``/``cue_end``
mark the cue, ``quoted`` marks the verbatim parts of a ``mixed`` quote.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from spacy import displacy
from spacy.displacy.render import DEFAULT_LABEL_COLORS

from newsmine.review.spans import Span, make_span, render

ENTITY_COLORS = dict(DEFAULT_LABEL_COLORS)  # displaCy's palette, in the text and in its own view
QUOTE_COLUMNS = ["speaker_canonical", "speaker", "kind", "cue_type", "cue", "resolution", "text"]
CLAIM_COLUMNS = ["text", "value", "unit", "qualifier", "trend", "kind", "claimant_canonical", "subject"]


def anchor(prefix: str, item_id: str) -> str:
    """An id safe in URLs and CSS: ``q-f671775bae2b7d8f-q-1010-1026``."""
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9_-]", "-", item_id)


def number_text(value: Any) -> str:
    """A number as people write it: 790000, 2.5, '' for none."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _quote_spans(quote: dict[str, Any], taken: dict[tuple[int, int], list[str]]) -> list[Span | None]:
    qid = quote["quote_id"]
    cue_type = quote.get("cue_type")
    said = f"{quote.get('kind')} quote · {quote.get('speaker_canonical') or 'no speaker'}" \
           f" · cue {quote.get('cue') or '-'}" + (f" ({cue_type})" if cue_type else "")
    spans = [make_span("quote", quote.get("start_char"), quote.get("end_char"), qid,
                       classes=(f"kind-{quote.get('kind')}", f"cue-{cue_type or 'none'}"),
                       attrs={"id": anchor("q", qid), "title": said,
                              "data-speaker": quote.get("speaker_canonical")})]
    for part in quote.get("quoted") or []:
        start, end = (part.get("start"), part.get("end")) if isinstance(part, dict) else part
        spans.append(make_span("verbatim", start, end, qid, attrs={"data-quote": qid}))
    for kind, start, end in (("speaker", quote.get("speaker_start"), quote.get("speaker_end")),
                             ("cue", quote.get("cue_start"), quote.get("cue_end"))):
        if start is not None and end is not None:
            taken.setdefault((kind, int(start), int(end)), []).append(qid)
    return spans


def _linked(kind: str, where: tuple[int, int], quote_ids: list[str], kinds: dict[str, str]) -> Span | None:
    """One speaker or cue mention, linked to the (first) quote it belongs to."""
    first = quote_ids[0]
    return make_span(kind, where[0], where[1], first, tag="a",
                     classes=(f"kind-{kinds.get(first)}",),
                     attrs={"href": "#" + anchor("q", first), "data-quotes": " ".join(quote_ids),
                            "title": f"{kind} of {len(quote_ids)} quote(s)"})


def _claim_span(claim: dict[str, Any]) -> Span | None:
    parts = [f"value {number_text(claim.get('value'))}"]
    if claim.get("value_low") is not None:
        parts.append(f"range {number_text(claim['value_low'])}–{number_text(claim.get('value_high'))}")
    parts += [f"{key} {claim[key]}" for key in ("unit", "qualifier", "trend") if claim.get(key)]
    claimant = claim.get("claimant_canonical") or claim.get("claimant")
    parts.append(f"claimant {claimant or '-'}")
    tip = " · ".join(parts)
    return make_span("claim", claim.get("start_char"), claim.get("end_char"), claim["claim_id"],
                     attrs={"id": anchor("c", claim["claim_id"]), "title": tip, "data-tip": tip})


def _fold_speakers(taken: dict[tuple[str, int, int], list[str]]) -> None:
    """Speaker mentions that overlap (``Smith and his aides`` and ``Smith``) become one
    link over both, to all their quotes: a link inside a link is no HTML."""
    mentions = sorted((s, -e) for kind, s, e in taken if kind == "speaker")
    group: tuple[int, int] | None = None
    for start, neg_end in mentions:
        end = -neg_end
        if group is not None and start < group[1]:
            outer = taken.pop(("speaker", *group))
            ids = taken.pop(("speaker", start, end))
            group = (group[0], max(group[1], end))
            taken[("speaker", *group)] = outer + [i for i in ids if i not in outer]
            continue
        group = (start, end)


def text_spans(quotes: list[dict], claims: list[dict], entities: list[dict]) -> list[Span]:
    """Every span to mark in the body: quotes (with speakers and cues), claims, entities."""
    spans: list[Span | None] = []
    taken: dict[tuple[str, int, int], list[str]] = {}
    kinds = {q["quote_id"]: str(q.get("kind")) for q in quotes}
    for quote in quotes:
        spans += _quote_spans(quote, taken)
    _fold_speakers(taken)
    speakers = [(s, e) for kind, s, e in taken if kind == "speaker"]
    for (kind, start, end), ids in taken.items():
        if kind == "cue" and any(s < end and start < e for s, e in speakers):
            continue  # a cue inside a speaker mention would nest a link in a link
        spans.append(_linked(kind, (start, end), ids, kinds))
    spans += [_claim_span(claim) for claim in claims]
    for ent in entities:
        if ent.get("section") == "body":
            label = str(ent.get("label"))
            attrs = {"data-label": label, "title": f"{label}: {ent.get('canonical_name')}",
                     "style": f"--ent: {ENTITY_COLORS.get(label, '#ddd')}"}
            spans.append(make_span("entity", ent.get("start_char"), ent.get("end_char"), ent["entity_id"],
                                   tag="mark", attrs=attrs))
    return [s for s in spans if s is not None]


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return escape(number_text(value))
    return "" if value is None else escape(str(value))


def _table(rows: list[dict], columns: list[str], link: tuple[str, str], caption: str) -> str:
    """A small table of items, each row linked to its element in the text."""
    if not rows:
        return f'<p class="none">No {caption}.</p>'
    present = [c for c in columns if any(c in row for row in rows)]
    head = "".join(f"<th>{escape(c)}</th>" for c in present)
    body = []
    prefix, id_column = link
    for row in rows:
        cells = []
        for column in present:
            text = _cell(row.get(column))
            if column == "text":
                text = f'<a href="#{anchor(prefix, row[id_column])}">{text}</a>'
            cells.append(f'<td class="col-{escape(column)}">{text}</td>')
        body.append(f'<tr class="kind-{escape(str(row.get("kind")))}">{"".join(cells)}</tr>')
    return (f'<table class="items {prefix}-items"><caption>{len(rows)} {escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _displacy(text: str, entities: list[dict], title: str) -> str:
    """Entities in displaCy's own markup (its ``manual`` input: text and offsets)."""
    ents = [{"start": int(e["start_char"]), "end": int(e["end_char"]), "label": str(e["label"])}
            for e in entities if e.get("start_char") is not None and e.get("end_char") is not None]
    markup = displacy.render({"text": text, "ents": sorted(ents, key=lambda e: e["start"]), "title": None},
                             style="ent", manual=True, page=False, jupyter=False,
                             options={"colors": ENTITY_COLORS})
    return f'<div class="displacy" data-part="{escape(title)}">{markup}</div>'


def _captions(document: dict, entities: list[dict]) -> str:
    captions = list(document.get("captions") or [])
    if not captions:
        return ""
    parts = [_displacy(caption, [e for e in entities if e.get("section") == "caption"
                                 and e.get("caption_index") == index], f"caption {index}")
             for index, caption in enumerate(captions)]
    return f'<section class="captions"><h3>Photo captions</h3>{"".join(parts)}</section>'


def _header(document: dict, counts: dict[str, int]) -> str:
    title = document.get("title") or document.get("source_path")
    facts = [f"<code>{escape(str(document.get('source_path')))}</code>",
             f"drop {escape(str(document.get('drop')))}"]
    for key in ("published", "language"):
        if document.get(key) is not None:
            facts.append(f"{key} {escape(str(document[key]))}")
    if document.get("url"):
        facts.append(f'<a href="{escape(str(document["url"]), quote=True)}" rel="noreferrer">source</a>')
    facts += [f"{n} {name}" for name, n in counts.items()]
    return (f'<header><a class="back" href="#index">&larr; all articles</a>'
            f"<h2>{escape(str(title))}</h2><p class=\"facts\">{' · '.join(facts)}</p></header>")


def article_html(document: dict, quotes: list[dict], claims: list[dict], entities: list[dict],
                 element_id: str, only: bool = False) -> str:
    """The ``<article>`` of one document: header, marked-up text, item tables, entity views."""
    counts = {"words": document.get("n_words") or 0, "quotes": len(quotes), "claims": len(claims),
              "entities": len(entities)}
    classes = "doc only" if only else "doc"
    opening = (f'<article class="{classes}" id="{element_id}" data-doc-id="{escape(str(document["doc_id"]))}"'
               f' data-status="{escape(str(document.get("status")))}">')
    if document.get("status") == "failed" or document.get("text") is None:
        reason = escape(str(document.get("error") or "no text"))
        return f'{opening}{_header(document, counts)}<p class="error">Failed: {reason}</p></article>'
    text = str(document["text"])
    body = render(text, text_spans(quotes, claims, entities))
    body_entities = [e for e in entities if e.get("section") == "body"]
    return (
        f"{opening}{_header(document, counts)}"
        f'<div class="text" data-length="{len(text)}">{body}</div>'
        f'{_table(quotes, QUOTE_COLUMNS, ("q", "quote_id"), "quotes")}'
        f'{_table(claims, CLAIM_COLUMNS, ("c", "claim_id"), "claims")}'
        f"{_captions(document, entities)}"
        f'<details class="entities-view"><summary>Entities in displaCy ({len(body_entities)} in the body)'
        f"</summary>{_displacy(text, body_entities, 'body')}</details>"
        "</article>"
    )
