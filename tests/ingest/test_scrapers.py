"""Scraper output as it comes: news-please, newspaper3k and trafilatura JSON, HTML metadata."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from newsmine.ingest.articles import read_articles
from newsmine.ingest.files import discover
from newsmine.ingest.metadata import split_authors
from tests.conftest import REPO

NEWS = REPO / "tests" / "fixtures" / "news"
TEXT = (
    "The council voted on Tuesday to fund a new ferry after 1,200 residents signed a petition.\n"
    '"We cannot wait another winter," the council leader, Joanna Pryce, said after the vote.'
)


def _articles(tmp_path: Path, name: str, data: str, **kwargs):
    path = tmp_path / "drop" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data, encoding="utf-8")
    [src] = [s for s in discover(tmp_path) if s.rel_path == f"drop/{name}"]
    return read_articles(src, **kwargs)


def test_news_please_fields(tmp_path: Path) -> None:
    obj = {"maintext": TEXT, "title": "Council backs ferry", "date_publish": "2025-06-03 16:45:00",
           "authors": ["Mara Ellison", "Tom Reyes"], "source_domain": "www.coastalcourier.co.uk",
           "url": "https://www.coastalcourier.co.uk/news/ferry", "description": "A summary."}
    [a] = _articles(tmp_path, "np.json", json.dumps(obj))
    assert a.error is None and a.raw_text == TEXT and a.title == "Council backs ferry"
    assert a.authors == ("Mara Ellison", "Tom Reyes")
    assert a.published == datetime(2025, 6, 3, 16, 45, tzinfo=UTC)
    assert a.published_raw == "2025-06-03 16:45:00"
    assert a.site == "coastalcourier.co.uk" and a.url == "https://www.coastalcourier.co.uk/news/ferry"


def test_newspaper3k_fields(tmp_path: Path) -> None:
    obj = {"text": TEXT, "title": "Ferry", "publish_date": "2025-06-03T17:45:00+01:00",
           "authors": ["Mara Ellison"], "url": "https://www.coastalcourier.co.uk/a", "top_image": None}
    [a] = _articles(tmp_path, "n3k.json", json.dumps(obj))
    assert a.error is None and a.authors == ("Mara Ellison",)
    assert a.published == datetime(2025, 6, 3, 16, 45, tzinfo=UTC)
    assert a.site == "coastalcourier.co.uk"


def test_trafilatura_json_as_trafilatura_writes_it(tmp_path: Path) -> None:
    import trafilatura

    html = (NEWS / "water-bills.html").read_text(encoding="utf-8")
    dumped = trafilatura.extract(html, output_format="json", with_metadata=True)
    assert '"hostname"' in dumped and '"author"' in dumped  # the scraper's own field names
    [a] = _articles(tmp_path, "t.jsonl", dumped.replace("\n", " ") + "\n")
    assert a.error is None and "26%" in a.raw_text
    assert a.authors == ("Priya Natarajan", "Owen Hale")  # "A; B" is split
    assert a.published is not None and a.published.date().isoformat() == "2024-12-19"
    assert a.site == "northernledger.example.com"


def test_text_field_option_reads_another_field(tmp_path: Path) -> None:
    obj = {"story": TEXT, "headline": "Ferry"}
    [plain] = _articles(tmp_path, "a.json", json.dumps(obj))
    assert plain.error is not None and "no text field" in plain.error
    [named] = _articles(tmp_path, "a.json", json.dumps(obj), text_field="story")
    assert named.error is None and named.raw_text == TEXT and named.title == "Ferry"


def test_authors_from_every_shape() -> None:
    assert split_authors(["By Jane Doe; John Smith"]) == ("Jane Doe", "John Smith")
    assert split_authors([[{"name": "Jane Doe"}, "John Smith", "Jane Doe"]]) == ("Jane Doe", "John Smith")
    assert split_authors([None, ""]) == ()


def test_html_pages_give_text_metadata_and_the_precise_time(tmp_path: Path) -> None:
    found = {s.rel_path: s for s in discover(NEWS.parent)}
    [ferry] = read_articles(found["news/harbour-ferry.html"])
    assert ferry.error is None and "£4.2 million" in ferry.raw_text
    assert "cookies" not in ferry.raw_text and "Most read" not in ferry.raw_text
    assert ferry.title == "Council backs new ferry after 1,200-signature petition"
    assert ferry.authors == ("Mara Ellison",) and ferry.site == "coastalcourier.co.uk"
    # the page's article:published_time has the time of day; the day-only guess is not kept
    assert ferry.published == datetime(2025, 6, 3, 16, 45, tzinfo=UTC)
    [library] = read_articles(found["news/library-closures.html"])
    assert library.published == datetime(2025, 3, 11, 14, 3, tzinfo=UTC)
    [storm] = read_articles(found["news/storm-flights.htm"])
    assert storm.error is None and storm.published == datetime(2025, 1, 24, tzinfo=UTC)
