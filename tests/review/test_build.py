"""Which articles the review page shows, and how columns other stages add appear on it."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from typer.testing import CliRunner

from newsmine.cli.app import app
from newsmine.review import build_page, write_review
from newsmine.review.article import article_html

TEXT = 'The mayor, Lena Ortiz, believes that the bridge is "safe for now" and said 3 lanes will open.'
DOCUMENT = {"doc_id": "d" * 64, "drop": "city", "source_path": "city/bridge.txt", "title": "Bridge reopens",
            "text": TEXT, "captions": ["Lena Ortiz on the bridge."], "n_words": 18, "status": "ok"}
QUOTE = {"quote_id": "dddd:q:37-66", "kind": "mixed", "text": TEXT[37:66], "start_char": 37, "end_char": 66,
         "speaker": "Lena Ortiz", "speaker_start": 11, "speaker_end": 21, "speaker_canonical": "Lena Ortiz",
         "cue": "believe", "cue_start": 23, "cue_end": 31, "cue_type": "thought", "quoted": [[52, 64]]}
CLAIM = {"claim_id": "dddd:c:75-82", "text": "3 lanes", "start_char": 75, "end_char": 82, "value": 3.0,
         "unit": "lanes", "qualifier": "exact", "claimant_canonical": "Lena Ortiz"}
ENTITIES = [
    {"entity_id": "dddd:e:11-21", "text": "Lena Ortiz", "label": "PERSON", "section": "body",
     "start_char": 11, "end_char": 21, "canonical_name": "Lena Ortiz"},
    {"entity_id": "dddd:e:caption0:0-10", "text": "Lena Ortiz", "label": "PERSON", "section": "caption",
     "caption_index": 0, "start_char": 0, "end_char": 10, "canonical_name": "Lena Ortiz"},
]


def test_columns_other_stages_add_show_up_in_the_markup() -> None:
    html = article_html(DOCUMENT, [QUOTE], [CLAIM], ENTITIES, "doc-dddd", only=True)
    tree = lxml.html.fragment_fromstring(html)
    quote = tree.xpath("//span[contains(@class, 'quote')]")[0]
    assert {"kind-mixed", "cue-thought"} <= set(quote.get("class").split())
    assert tree.xpath("//span[contains(@class, 'verbatim')]")[0].text_content() == "safe for now"
    assert tree.xpath("//a[contains(@class, 'cue')]")[0].text_content() == "believes"
    assert tree.xpath("//a[contains(@class, 'speaker')]")[0].get("href") == "#" + quote.get("id")
    assert "thought" in [td.text_content() for td in tree.xpath("//table[contains(@class, 'q-items')]//td")]
    caption = tree.xpath("//section[@class='captions']//mark")[0]
    assert caption.text_content().split() == ["Lena", "Ortiz", "PERSON"]  # displaCy's own markup


def test_a_failed_article_shows_its_reason() -> None:
    failed = dict(DOCUMENT, status="failed", text=None, error="binary file (contains NUL bytes)")
    html = article_html(failed, [], [], [], "doc-dddd")
    assert "Failed: binary file (contains NUL bytes)" in html and 'class="text"' not in html


def test_limit_doc_and_drop_choose_the_articles(sample_run: Path, tmp_path: Path) -> None:
    html, shown, selected = build_page(sample_run, limit=1)
    assert (shown, selected) == (1, 2) and "1 article of 2 (raise --limit for more)" in html
    _, shown, _ = build_page(sample_run, docs=["001_d01"])
    assert shown == 1
    assert build_page(sample_run, drops=["no-such-drop"])[1] == 0
    written = write_review(sample_run, tmp_path / "sub" / "page.html",
                           docs=["sample/000_a03c45c6a71a2a84.txt"])
    assert written.path.is_file() and written.shown == 1
    assert 'class="doc only"' in written.path.read_text(encoding="utf-8")


def test_review_of_nothing_is_bad_usage(sample_run: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["review", "--out", str(sample_run), "--doc", "nope.txt",
                                      "--to", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "no stored article matches" in result.output
    missing = CliRunner().invoke(app, ["review", "--out", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no documents table yet" in missing.output
