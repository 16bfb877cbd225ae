"""One raw file's bytes to its article(s): text plus metadata, or the reason it failed.

With ``ingest.decode`` this is the only code that touches raw bytes. Everything downstream works on
``Article.raw_text``, and every ``raw_start``/``raw_end`` offset in the output
tables indexes into it:

* ``.txt`` — the decoded file, unchanged.
* ``.html``/``.htm`` — the main text trafilatura extracts (paragraphs on their own
  lines), *not* the HTML source; offsets are into that extracted text.
* ``.json`` (one object) and ``.jsonl`` (one object per line) — the first non-empty
  text field of the common scrapers (``ingest.metadata``: ``text``, ``maintext``,
  ``body``, ``content`` …; HTML in it is extracted like a page).

A bad input never raises out of :func:`read_articles`: it comes back as an
``Article`` whose ``error`` names the reason in one line, so a run over a drop
folder stores one failed row per bad file and carries on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from newsmine.ingest.dates import parse_published
from newsmine.ingest.decode import UTF8_REPLACED, InputError, check_text, decode_bytes, sha256_hex
from newsmine.ingest.files import FORMATS, SourceFile
from newsmine.ingest.language import detect_language
from newsmine.ingest.metadata import (
    TEXT_FIELDS,
    Meta,
    first_text,
    host_of,
    meta_of,
    published_in_html,
    site_of,
    split_authors,
)

log = logging.getLogger(__name__)


# A trailing "image source from:<url>" line (scrapes of NPR & co.) is metadata, not body text.
_TRAILING_URL = re.compile(
    r"(?:\A|\n)[ \t]*(?:image source from|source|original article|read more at)[ \t]*:[ \t]*"
    r"(?P<url>https?://\S+)[ \t]*\s*\Z",
    re.IGNORECASE,
)
_HTML_IN_TEXT = re.compile(r"<(?:p|div|br|span|a|h[1-6]|article|section)\b[^>]*>", re.IGNORECASE)


NO_TEXT = "no article text found"


@dataclass(frozen=True)
class Article:
    """One article's decoded text and metadata, or the reason it could not be read.

    ``published`` is the UTC time parsed from ``published_raw`` (the string as the file
    wrote it); ``language``/``language_score`` are the detector's (``ingest.language``).
    """

    doc_id: str
    drop: str
    source_path: str
    format: str
    encoding: str | None
    title: str | None
    url: str | None
    published: datetime | None
    raw_text: str
    body_end: int
    error: str | None
    published_raw: str | None = None
    authors: tuple[str, ...] = ()
    site: str | None = None
    language: str | None = None
    language_score: float | None = None


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


def _date_config() -> dict[str, Any]:
    """trafilatura's date search, asked for the time and zone too, not just the day."""
    return {
        "original_date": True,
        "extensive_search": True,
        "max_date": datetime.now().astimezone().strftime("%Y-%m-%d"),
        "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    }


def html_to_text(html: str) -> tuple[str | None, Meta]:
    """Main text (paragraphs on their own lines) and the metadata of an HTML page."""
    import trafilatura

    text = trafilatura.extract(html, output_format="txt", include_comments=False)
    if not text or not text.strip():
        text = trafilatura.extract(html, output_format="txt", include_comments=False, favor_recall=True)
    try:
        doc = trafilatura.extract_metadata(html, date_config=_date_config())
    except ImportError:
        raise
    except Exception as exc:  # metadata is optional; a broken <head> must not fail the article
        log.debug("trafilatura metadata failed: %s", exc)
        doc = None
    meta = Meta()
    if doc is not None:
        date = doc.date.removesuffix("T00:00:00") if doc.date else None  # a day without a time
        date = published_in_html(html, date)
        meta = Meta(title=doc.title, url=doc.url, published_raw=date,
                    authors=split_authors([doc.author]), site=site_of(doc.hostname, doc.url))
    return (text if text and text.strip() else None), meta


def _article(src: SourceFile, data: bytes | None, fmt: str, *, source_path: str | None = None,
             encoding: str | None = None, error: str | None = None, raw_text: str = "",
             body_end: int | None = None, meta: Meta | None = None) -> Article:
    source_path = source_path or src.rel_path
    meta = meta or Meta()
    body_end = len(raw_text) if body_end is None else body_end
    language, score = detect_language(raw_text[:body_end]) if raw_text and error is None else (None, None)
    raw_date = meta.published_raw
    return Article(
        doc_id=sha256_hex(data if data else source_path.encode("utf-8")), drop=src.drop,
        source_path=source_path, format=fmt, encoding=encoding, title=meta.title, url=meta.url,
        published=parse_published(raw_date), raw_text=raw_text, body_end=body_end, error=error,
        published_raw=None if raw_date is None else str(raw_date), authors=meta.authors,
        site=meta.site or host_of(meta.url), language=language, language_score=score,
    )


def _from_object(src: SourceFile, data: bytes, fmt: str, obj: Any, encoding: str,
                 fields: tuple[str, ...], source_path: str | None = None) -> Article:
    """An article from one JSON object (a .json file or one .jsonl line)."""
    if not isinstance(obj, dict):
        kind = type(obj).__name__
        return _article(src, data, fmt, source_path=source_path, encoding=encoding,
                        error=f"json {kind} where an object was expected")
    text, meta = first_text(obj, fields), meta_of(obj)
    if text is None:
        return _article(src, data, fmt, source_path=source_path, encoding=encoding, meta=meta,
                        error=f"json object has no text field ({', '.join(fields[:3])} …)")
    if _HTML_IN_TEXT.search(text):
        extracted, _ = html_to_text(text)
        if extracted is None:
            return _article(src, data, fmt, source_path=source_path, encoding=encoding, meta=meta,
                            error=f"{NO_TEXT} (html in the text field)")
        text = extracted
    body_end, trailing_url = split_trailing_url(text)
    if trailing_url and not meta.url:
        meta = Meta(meta.title, trailing_url, meta.published_raw, meta.authors, meta.site)
    return _article(src, data, fmt, source_path=source_path, encoding=encoding, raw_text=text,
                    body_end=body_end, meta=meta)


def _lines(data: bytes, text: str, encoding: str) -> list[tuple[bytes, str | None]]:
    """Each line's bytes (its doc id) and, where bytes cannot be split on b"\n", its text."""
    if encoding.startswith(("utf-16", "utf-32")):
        return [(line.encode(encoding), line) for line in text.lstrip("\ufeff").split("\n")]
    return [(raw, None) for raw in data.split(b"\n")]


def _read_jsonl(src: SourceFile, data: bytes, max_bytes: int, fields: tuple[str, ...]) -> list[Article]:
    """One article per non-blank line; a bad line is an error article, the rest go on."""
    text, encoding = decode_bytes(data)
    codec, errors = ("utf-8", "replace") if encoding == UTF8_REPLACED else (
        "utf-8-sig" if encoding == "utf-8" else encoding, "strict")
    out: list[Article] = []
    for no, (raw, decoded) in enumerate(_lines(data, text, encoding), start=1):
        where = f"{src.rel_path}#{no}"
        try:
            line = decoded if decoded is not None else raw.decode(codec, errors)
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
        out.append(_from_object(src, raw, "jsonl", obj, encoding, fields, source_path=where))
    if not out:
        out.append(_article(src, data, "jsonl", encoding=encoding, error="no json lines (file is blank)"))
    return out


def _read(src: SourceFile, fmt: str, data: bytes, max_bytes: int, fields: tuple[str, ...]) -> list[Article]:
    if fmt == "jsonl":
        return _read_jsonl(src, data, max_bytes, fields)
    text, encoding = decode_bytes(data)
    if fmt == "txt":
        text = check_text(text)
        body_end, url = split_trailing_url(text)
        meta = Meta(title=guess_title(text[:body_end]), url=url)
        return [_article(src, data, fmt, encoding=encoding, raw_text=text, body_end=body_end, meta=meta)]
    if fmt == "html":
        text = check_text(text)
        extracted, meta = html_to_text(text)
        if extracted is None:
            return [_article(src, data, fmt, encoding=encoding, error=NO_TEXT, meta=meta)]
        return [_article(src, data, fmt, encoding=encoding, raw_text=extracted, meta=meta)]
    try:
        obj = json.loads(text.lstrip("\ufeff"))
    except (json.JSONDecodeError, RecursionError) as exc:
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        raise InputError(f"malformed json ({msg})") from None
    return [_from_object(src, data, fmt, obj, encoding, fields)]


def text_article(
    text: str, *, drop: str, source_path: str, title: str | None = None, url: str | None = None,
    published: str | None = None,
) -> Article:
    """The ``Article`` a ``.txt`` file of ``text`` would give, with the metadata given
    (``newsmine.extract``); raises ``InputError`` for blank or binary text."""
    text = check_text(text)
    body_end, trailing_url = split_trailing_url(text)
    title = title if title is not None else guess_title(text[:body_end])
    src = SourceFile(drop, Path(source_path), source_path, len(text), 0)
    meta = Meta(title=title, url=url or trailing_url, published_raw=published)
    return _article(src, text.encode("utf-8"), "txt", encoding="utf-8", raw_text=text, body_end=body_end,
                    meta=meta)


def _open_regular(path: Path) -> int:
    """A descriptor on ``path``, refusing anything but a regular file (never blocks on a FIFO)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputError("is a directory, not a file" if stat.S_ISDIR(mode) else "not a regular file")
    return fd


def _read_bytes(path: Path, max_bytes: int, fmt: str) -> tuple[bytes, str | None]:
    """The file's bytes; over ``max_bytes`` only the hash of the whole file is kept."""
    with os.fdopen(_open_regular(path), "rb") as fh:
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


def read_articles(
    src: SourceFile, max_bytes: int = 2_000_000, text_field: str | None = None
) -> list[Article]:
    """The article(s) in one file; bad input gives an error ``Article``, never an exception.

    ``.jsonl`` yields one article per non-blank line (``source_path`` gets ``#<line>``);
    every other format yields exactly one. ``text_field`` is tried before the usual
    JSON text fields. An ``ImportError`` is not the article's fault: it propagates, and
    the run stops with an environment error.
    """
    fmt = FORMATS.get(src.path.suffix.lower(), "txt")
    fields = (text_field, *TEXT_FIELDS) if text_field else TEXT_FIELDS
    data: bytes = b""
    try:
        data, too_big = _read_bytes(src.path, max_bytes, fmt)
        if too_big is not None:  # data holds the hex digest of the whole file
            return [Article(doc_id=data.decode("ascii"), drop=src.drop, source_path=src.rel_path,
                            format=fmt, encoding=None, title=None, url=None, published=None,
                            raw_text="", body_end=0, error=too_big)]
        return _read(src, fmt, data, max_bytes, fields)
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
    except ImportError:
        raise
    except Exception as exc:  # a parser bug must cost one article, not the run
        log.warning("unexpected error reading %s", src.rel_path, exc_info=True)
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return [_article(src, data, fmt, error=f"unreadable ({reason})")]
