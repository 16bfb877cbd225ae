"""The whole review page: one HTML file with its styles and a few lines of script inline.

Nothing is fetched: no fonts, no scripts, no images, so the file opens offline and can be
mailed. The index lists the articles with their counts; each article is an ``<article>``
shown when its anchor is the URL's fragment (CSS ``:target``), so the page works as an
index page and one page per article without any script. The script only lights up a
quote while the mouse is on its speaker or cue, and the other way round.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from newsmine.review.article import ENTITY_COLORS

# The page's styles and script live beside this module as plain files (inlined at build).
STYLE = (Path(__file__).with_name("review.css")).read_text(encoding="utf-8")
SCRIPT = (Path(__file__).with_name("review.js")).read_text(encoding="utf-8")


INDEX_COLUMNS = ["#", "file", "drop", "title", "words", "direct", "indirect", "mixed", "claims", "entities",
                 "status"]


def index_html(rows: list[dict], total: int) -> str:
    """The index: one row per article with its counts, linked to the article."""
    head = "".join(f"<th>{escape(c)}</th>" for c in INDEX_COLUMNS)
    body = []
    for number, row in enumerate(rows, start=1):
        cells = [str(number), f'<a href="#{row["anchor"]}">{escape(row["file"])}</a>', escape(row["drop"]),
                 escape(row["title"]), *(str(row[k]) for k in INDEX_COLUMNS[4:10]), escape(row["status"])]
        body.append("<tr>" + "".join(
            f'<td class="{"num" if 4 <= i < 10 or i == 0 else "col"}">{c}</td>' for i, c in enumerate(cells)
        ) + "</tr>")
    shown = f"{len(rows)} article{'' if len(rows) == 1 else 's'}"
    if total > len(rows):
        shown += f" of {total} (raise --limit for more)"
    return (f'<section id="index"><h1>newsmine review: {shown}</h1>'
            f'<table class="index"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></section>')


def _legend(labels: set[str], cue_types: set[str]) -> str:
    kinds = "".join(f'<span class="quote kind-{k}">{k} quote</span>' for k in ("direct", "indirect", "mixed"))
    cues = "".join(f'<span class="quote kind-indirect cue-{escape(c)}">{escape(c)}</span>'
                   for c in sorted(cue_types))
    ents = "".join(f'<span class="ent-key" style="--ent: {ENTITY_COLORS.get(label, "#ddd")}">'
                   f"{escape(label)}</span>" for label in sorted(labels))
    return (f'<div class="legend">{kinds} <a class="speaker kind-direct">speaker</a> <a class="cue">cue</a> '
            f'<span class="claim">claim</span> {cues} {ents}</div>')


def page_html(index: str, articles: list[str], labels: set[str], cue_types: set[str], title: str) -> str:
    """The complete, self-contained HTML document."""
    boxes = "".join(f'<label><input type="checkbox" id="show-{name}" checked> {name}</label>'
                    for name in ("entities", "labels", "claims"))
    bar = f'<div class="bar">{boxes}{_legend(labels, cue_types)}</div>'
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{STYLE}</style></head><body><main>{bar}{index}{''.join(articles)}</main>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )
