"""Article metadata as scrapers write it: which JSON field means what, authors, site.

The field names are those of the common scrapers, so their output is read without
options: news-please (``maintext``, ``date_publish``, ``authors``, ``source_domain``),
newspaper3k (``text``, ``publish_date``, ``authors``), trafilatura's JSON (``text``,
``date``, ``author`` as ``"A; B"``, ``hostname``, ``source`` for the URL) and
schema.org-like exports (``articleBody``, ``datePublished``). The first field of a
list that holds a usable value wins; ``--text-field NAME`` puts another text field first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

TEXT_FIELDS = ("text", "maintext", "body", "content", "article", "articleBody")
TITLE_FIELDS = ("title", "headline", "title_page", "title_rss")
URL_FIELDS = ("url", "link", "source", "canonical_url")
PUBLISHED_FIELDS = (
    "published", "date_publish", "publish_date", "date", "published_at", "publishedAt",
    "pubDate", "datePublished",
)
AUTHOR_FIELDS = ("authors", "author", "byline", "creator")
SITE_FIELDS = ("hostname", "source_domain", "domain", "site")

_AUTHOR_SPLIT = re.compile(r"\s*[;|]\s*")
# The publication-time tags of news CMSs (Open Graph, schema.org, Parsely, Sailthru, Dublin Core).
_PUBLISHED_NAMES = (
    r"article:published_time|og:published_time|datePublished|parsely-pub-date|sailthru\.date"
    r"|pubdate|publishdate|publish-date|dc\.date\.issued|dcterms\.created"
)
_META_PUBLISHED = re.compile(
    rf"<meta\s[^>]*?(?:property|name|itemprop)\s*=\s*[\"'](?:{_PUBLISHED_NAMES})[\"'][^>]*?"
    r"content\s*=\s*[\"']([^\"'<>]{8,40})[\"']"
    rf"|<meta\s[^>]*?content\s*=\s*[\"']([^\"'<>]{{8,40}})[\"'][^>]*?(?:property|name|itemprop)\s*=\s*"
    rf"[\"'](?:{_PUBLISHED_NAMES})[\"']"
    r"|\"datePublished\"\s*:\s*\"([^\"]{8,40})\"",
    re.IGNORECASE,
)
_HAS_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_BY = re.compile(r"^by\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Meta:
    """What a file says about its article besides the text (all optional)."""

    title: str | None = None
    url: str | None = None
    published_raw: str | int | float | None = None
    authors: tuple[str, ...] = ()
    site: str | None = None


def _clean_str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def first_str(obj: dict[str, Any], fields: Sequence[str]) -> str | None:
    """The first of ``fields`` holding a non-blank string (stripped)."""
    for name in fields:
        value = _clean_str(obj.get(name))
        if value is not None:
            return value
    return None


def first_text(obj: dict[str, Any], fields: Sequence[str]) -> str | None:
    """The first of ``fields`` holding non-blank text, unstripped (offsets index into it)."""
    for name in fields:
        value = obj.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _published(obj: dict[str, Any]) -> str | int | float | None:
    for name in PUBLISHED_FIELDS:
        value = obj.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if _clean_str(value) is not None:
            return value.strip()
    return None


def split_authors(values: Iterable[Any]) -> tuple[str, ...]:
    """Author names from strings (``"A; B"``, ``"By A"``), lists and ``{"name": …}`` objects."""
    names: dict[str, None] = {}
    for value in values:
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, (list, tuple)):
            names.update(dict.fromkeys(split_authors(value)))
            continue
        for part in _AUTHOR_SPLIT.split(value) if isinstance(value, str) else ():
            name = _BY.sub("", part.strip()).strip()
            if name and len(name) <= 200:
                names[name] = None
    return tuple(names)


def host_of(url: str | None) -> str | None:
    """The site of a URL, ``www.`` dropped (``https://www.bbc.co.uk/news`` -> ``bbc.co.uk``)."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def published_in_html(html: str, found: str | None) -> str | None:
    """The page's own publication timestamp when it has a time of day and ``found`` (what
    trafilatura's date search gave) has only the day: its tags are more precise."""
    if found and _HAS_TIME.match(found):
        return found
    for match in _META_PUBLISHED.finditer(html, 0, min(len(html), 200_000)):
        value = next(group for group in match.groups() if group)
        if _HAS_TIME.match(value) and (not found or value.startswith(found)):
            return value
    return found


def site_of(site: str | None, url: str | None) -> str | None:
    """The site as a host name: the URL's host, else the scraper's own field (``hostname``).

    The URL comes first because scrapers disagree on the field: news-please writes the
    host, trafilatura the registered domain (``example.com`` for ``news.example.com``).
    """
    if host_of(url):
        return host_of(url)
    if site and "." in site and " " not in site:
        return host_of(site if "//" in site else f"//{site}")
    return site


def meta_of(obj: dict[str, Any]) -> Meta:
    """The metadata of one JSON article object."""
    url = first_str(obj, URL_FIELDS)
    url = url if url and url.startswith(("http://", "https://")) else None
    authors = next((obj[name] for name in AUTHOR_FIELDS if obj.get(name)), None)
    return Meta(
        title=first_str(obj, TITLE_FIELDS),
        url=url,
        published_raw=_published(obj),
        authors=split_authors([authors]),
        site=site_of(first_str(obj, SITE_FIELDS), url),
    )
