"""One raw file's bytes to its article(s): text plus metadata, or the reason it failed.

With ``ingest.decode`` this is the only code that touches raw bytes. Everything downstream works on
``Article.raw_text``, and every ``raw_start``/``raw_end`` offset in the output
tables indexes into it:

* ``.txt`` — the decoded file, unchanged.
* ``.html``/``.htm`` — the main text trafilatura extracts (paragraphs on their own
  lines), *not* the HTML source; offsets are into that extracted text.
* ``.json`` (one object) and ``.jsonl`` (one object per line) — the first non-empty
  of the fields ``text``/``body``/``content`` (HTML in it is extracted like a page).

A bad input never raises out of :func:`read_articles`: it comes back as an
``Article`` whose ``error`` names the reason in one line, so a run over a drop
folder stores one failed row per bad file and carries on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsmine.ingest.decode import InputError, check_text, decode_bytes, sha256_hex
from newsmine.ingest.files import FORMATS, SourceFile

log = logging.getLogger(__name__)


TEXT_FIELDS = ("text", "body", "content", "article", "articleBody")
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link")
PUBLISHED_FIELDS = ("published", "date", "published_at", "publishedAt", "pubDate", "datePublished")

# A trailing "image source from:<url>" line (scrapes of NPR & co.) is metadata, not body text.
_TRAILING_URL = re.compile(
    r"(?:\A|\n)[ \t]*(?:image source from|source|original article|read more at)[ \t]*:[ \t]*"
    r"(?P<url>https?://\S+)[ \t]*\s*\Z",
    re.IGNORECASE,
)
_HTML_IN_TEXT = re.compile(r"<(?:p|div|br|span|a|h[1-6]|article|section)\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One article's decoded text and metadata, or the reason it could not be read."""

    doc_id: str
    drop: str
    source_path: str
    format: str
    encoding: str | None
    title: str | None
    url: str | None
    published: str | None
    raw_text: str
    body_end: int
    error: str | None


def split_trailing_url(text: str) -> tuple[int, str | None]:
    """``(body_end, url)``: a last line ``image source from:<url>`` is metadata, not body."""
    tail_start = max(0, len(text) - 2_000)
    m = _TRAILING_URL.search(text, tail_start)
    if m is None:
        return len(text), None
    return m.start(), m.group("url")


def guess_title(text: str) -> str | None:
    """A first line that looks like a headline: short, no final period, then a blank line.

    Conservative on purpose: a wrong title costs little, a real first paragraph
    taken as a title would be worse, so the title stays in the body either way.
    """
    m = re.match(r"[ \t]*([^\n]{3,150}?)[ \t]*\r?\n[ \t]*\r?\n\s*\S", text)
    if m is None:
        return None
    line = m.group(1)
    if line[-1] in ".!?:;,\"'”’)" or len(line.split()) > 20 or not line[0].isupper():
        return None
    return line


def html_to_text(html: str) -> tuple[str | None, dict[str, str | None]]:
    """Main text (paragraphs on their own lines) and title/url/date of an HTML page."""
    import trafilatura

    text = trafilatura.extract(html, output_format="txt", include_comments=False)
    if not text or not text.strip():
        text = trafilatura.extract(html, output_format="txt", include_comments=False, favor_recall=True)
    meta: dict[str, str | None] = {"title": None, "url": None, "published": None}
    try:
        doc = trafilatura.extract_metadata(html)
    except Exception as exc:  # metadata is optional; a broken <head> must not fail the article
        log.debug("trafilatura metadata failed: %s", exc)
        doc = None
    if doc is not None:
        meta = {"title": doc.title, "url": doc.url, "published": doc.date}
    return (text if text and text.strip() else None), meta


def _first_str(obj: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    for name in fields:
        value = obj.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and name in PUBLISHED_FIELDS:
            return str(value)
        if isinstance(value, str) and value.strip():
            return value.strip() if name not in TEXT_FIELDS else value
    return None


def _article(src: SourceFile, data: bytes | None, fmt: str, *, source_path: str | None = None,
             encoding: str | None = None, error: str | None = None, raw_text: str = "",
             body_end: int | None = None, title: str | None = None, url: str | None = None,
             published: str | None = None) -> Article:
    source_path = source_path or src.rel_path
    doc_id = sha256_hex(data if data else source_path.encode("utf-8"))
    return Article(
        doc_id=doc_id, drop=src.drop, source_path=source_path, format=fmt, encoding=encoding,
        title=title, url=url, published=published, raw_text=raw_text,
        body_end=len(raw_text) if body_end is None else body_end, error=error,
    )


def _from_object(src: SourceFile, data: bytes, fmt: str, obj: Any, encoding: str,
                 source_path: str | None = None) -> Article:
    """An article from one JSON object (a .json file or one .jsonl line)."""
    if not isinstance(obj, dict):
        kind = type(obj).__name__
        return _article(src, data, fmt, source_path=source_path, encoding=encoding,
                        error=f"json {kind} where an object was expected")
    text = _first_str(obj, TEXT_FIELDS)
    title, url = _first_str(obj, TITLE_FIELDS), _first_str(obj, URL_FIELDS)
    published = _first_str(obj, PUBLISHED_FIELDS)
    if text is None:
        return _article(src, data, fmt, source_path=source_path, encoding=encoding, title=title, url=url,
                        published=published, error="json object has no text, body or content field")
    if _HTML_IN_TEXT.search(text):
        extracted, meta = html_to_text(text)
        if extracted is None:
            return _article(src, data, fmt, source_path=source_path, encoding=encoding, title=title,
                            url=url, published=published, error="html in json text has no main text")
        text = extracted
    body_end, trailing_url = split_trailing_url(text)
    return _article(src, data, fmt, source_path=source_path, encoding=encoding, raw_text=text,
                    body_end=body_end, title=title, url=url or trailing_url, published=published)


def _read_jsonl(src: SourceFile, data: bytes, max_bytes: int) -> list[Article]:
    """One article per non-blank line; a bad line is an error article, the rest go on."""
    text, encoding = decode_bytes(data)
    if encoding.startswith(("utf-16", "utf-32")):  # lines cannot be split on b"\n" bytes
        lines = [(line.encode(encoding), line) for line in text.lstrip("\ufeff").split("\n")]
    else:
        lines = [(raw, None) for raw in data.split(b"\n")]
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    out: list[Article] = []
    for no, (raw, decoded) in enumerate(lines, start=1):
        where = f"{src.rel_path}#{no}"
        try:
            line = decoded if decoded is not None else raw.decode(codec)
        except UnicodeDecodeError as exc:
            out.append(_article(src, raw, "jsonl", source_path=where, encoding=encoding,
                                error=f"line {no}: undecodable as {encoding} ({exc.reason})"))
            continue
        if not line.strip():
            continue
        if len(raw) > max_bytes:
            out.append(_article(src, raw, "jsonl", source_path=where, encoding=encoding,
                                error=f"line {no} is {len(raw)} bytes, over the {max_bytes}-byte limit"))
            continue
        try:
            obj = json.loads(line.lstrip("\ufeff"))
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            out.append(_article(src, raw, "jsonl", source_path=where, encoding=encoding,
                                error=f"line {no}: malformed json ({msg})"))
            continue
        out.append(_from_object(src, raw, "jsonl", obj, encoding, source_path=where))
    if not out:
        out.append(_article(src, data, "jsonl", encoding=encoding, error="no json lines (file is blank)"))
    return out


def _read(src: SourceFile, fmt: str, data: bytes, max_bytes: int) -> list[Article]:
    if fmt == "jsonl":
        return _read_jsonl(src, data, max_bytes)
    text, encoding = decode_bytes(data)
    if fmt == "txt":
        text = check_text(text)
        body_end, url = split_trailing_url(text)
        return [_article(src, data, fmt, encoding=encoding, raw_text=text, body_end=body_end,
                         title=guess_title(text[:body_end]), url=url)]
    if fmt == "html":
        text = check_text(text)
        extracted, meta = html_to_text(text)
        if extracted is None:
            return [_article(src, data, fmt, encoding=encoding, error="html has no main text", **meta)]
        return [_article(src, data, fmt, encoding=encoding, raw_text=extracted, **meta)]
    try:
        obj = json.loads(text.lstrip("\ufeff"))
    except (json.JSONDecodeError, RecursionError) as exc:
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        raise InputError(f"malformed json ({msg})") from None
    return [_from_object(src, data, fmt, obj, encoding)]


def _read_bytes(path: Path, max_bytes: int, fmt: str) -> tuple[bytes, str | None]:
    """The file's bytes; over ``max_bytes`` only the hash of the whole file is kept."""
    with path.open("rb") as fh:
        if fmt == "jsonl":  # the limit applies per line: a jsonl file holds many articles
            return fh.read(), None
        data = fh.read(max_bytes + 1)
        if len(data) <= max_bytes:
            return data, None
        digest = hashlib.sha256(data)
        size = len(data)
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest().encode("ascii"), f"file is {size} bytes, over the {max_bytes}-byte limit"


def read_articles(src: SourceFile, max_bytes: int = 2_000_000) -> list[Article]:
    """The article(s) in one file; bad input gives an error ``Article``, never an exception.

    ``.jsonl`` yields one article per non-blank line (``source_path`` gets ``#<line>``);
    every other format yields exactly one.
    """
    fmt = FORMATS.get(src.path.suffix.lower(), "txt")
    data: bytes = b""
    try:
        data, too_big = _read_bytes(src.path, max_bytes, fmt)
        if too_big is not None:  # data holds the hex digest of the whole file
            return [Article(doc_id=data.decode("ascii"), drop=src.drop, source_path=src.rel_path,
                            format=fmt, encoding=None, title=None, url=None, published=None,
                            raw_text="", body_end=0, error=too_big)]
        return _read(src, fmt, data, max_bytes)
    except InputError as exc:
        return [_article(src, data, fmt, error=str(exc))]
    except FileNotFoundError:
        return [_article(src, data, fmt, error="file vanished before it could be read")]
    except PermissionError:
        return [_article(src, data, fmt, error="permission denied")]
    except IsADirectoryError:
        return [_article(src, data, fmt, error="is a directory, not a file")]
    except OSError as exc:
        return [_article(src, data, fmt, error=f"read error: {exc.strerror or exc}")]
    except Exception as exc:  # a parser bug must cost one article, not the run
        log.warning("unexpected error reading %s", src.rel_path, exc_info=True)
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return [_article(src, data, fmt, error=f"unreadable ({reason})")]
