"""Ingest: discovery, decoding, every format, and every bad input becoming an error Article."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsmine.ingest.articles import Article, read_articles
from newsmine.ingest.files import SourceFile, discover

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "raw" / "sample"

BODY = (
    "Ukrainian officials said on Monday that the talks in Istanbul had produced little progress, "
    "despite hopes in Washington that a ceasefire could be agreed before the summer.\n"
    "\"We are not giving up,\" Foreign Minister Andrii Sybiha told reporters after the meeting."
)

HTML = f"""<html><head><title>Peace talks stall in Istanbul</title>
<meta property="og:url" content="https://example.com/world/peace-talks">
<meta name="date" content="2025-06-02"></head>
<body><nav>Home | World | Business</nav>
<article><h1>Peace talks stall in Istanbul</h1>
<p>{BODY.splitlines()[0]}</p><p>{BODY.splitlines()[1]}</p></article>
<footer>Copyright 2025 Example News</footer></body></html>"""


def src(tmp_path: Path, rel: str, data: bytes | str) -> SourceFile:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return next(s for s in discover(tmp_path) if s.rel_path == rel)


def one(articles: list[Article]) -> Article:
    assert len(articles) == 1
    return articles[0]


# ---------------------------------------------------------------- discover


def test_discover_drops_root_hidden_and_order(tmp_path: Path) -> None:
    for rel in ["b/2.txt", "b/1.html", "a/x.jsonl", "top.json", "a/sub/deep.txt", "a/notes.md",
                ".hidden/h.txt", "a/.part.txt", "b/README"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("text")
    found = discover(tmp_path)
    assert [s.rel_path for s in found] == ["a/sub/deep.txt", "a/x.jsonl", "b/1.html", "b/2.txt", "top.json"]
    assert [s.drop for s in found] == ["a", "a", "b", "b", "_root"]
    assert all(s.path.is_absolute() and s.size == 4 and s.mtime_ns > 0 for s in found)
    assert discover(tmp_path) == found  # deterministic
    assert [s.rel_path for s in discover(tmp_path, drops={"b"})] == ["b/1.html", "b/2.txt"]
    assert [s.rel_path for s in discover(tmp_path, drops=["_root"])] == ["top.json"]


def test_discover_missing_dir_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        discover(tmp_path / "nope")


# ---------------------------------------------------------------- txt and decoding


def test_sample_txt_trailing_image_source_is_url_not_body() -> None:
    path = next(SAMPLE_DIR.glob("000_*.txt"))
    s = next(s for s in discover(SAMPLE_DIR.parent) if s.path == path)
    a = one(read_articles(s))
    assert a.error is None and a.format == "txt" and a.encoding == "utf-8" and a.drop == "sample"
    assert a.doc_id == hashlib.sha256(path.read_bytes()).hexdigest()
    assert a.url == "https://www.npr.org/2025/06/02/nx-s1-5414522/ukraine-peace-talks-russia-trump-putin-istanbul"
    assert a.raw_text[: a.body_end].rstrip().endswith("considered seriously by Kyiv.")
    assert "image source" not in a.raw_text[: a.body_end]
    assert a.title is None  # the first line is a long sentence, not a headline


def test_txt_headline_taken_as_title_conservatively(tmp_path: Path) -> None:
    a = one(read_articles(src(tmp_path, "d/t.txt", "Peace talks stall in Istanbul\n\n" + BODY)))
    assert a.title == "Peace talks stall in Istanbul" and a.url is None
    assert a.body_end == len(a.raw_text)
    b = one(read_articles(src(tmp_path, "d/u.txt", "Talks stalled on Monday.\n\n" + BODY)))
    assert b.title is None


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (codecs.BOM_UTF8 + BODY.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + BODY.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + BODY.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + BODY.encode("utf-32-le"), "utf-32-le"),
        (BODY.encode("utf-16-le"), "utf-16-le"),  # no BOM: NULs on every other byte
    ],
)
def test_unicode_with_and_without_bom(tmp_path: Path, encoded: bytes, encoding: str) -> None:
    a = one(read_articles(src(tmp_path, "d/a.txt", encoded)))
    assert a.error is None and a.encoding == encoding
    assert a.raw_text == BODY  # the BOM is not part of the text
    assert a.doc_id == hashlib.sha256(encoded).hexdigest()


def test_cp1252_and_latin1_are_decoded(tmp_path: Path) -> None:
    text = "“We won’t stop,” said Zoë Müller, the café owner in Saint-Étienne — a €5 fee."
    a = one(read_articles(src(tmp_path, "d/w.txt", text.encode("cp1252"))))
    assert a.error is None and a.encoding == "cp1252" and a.raw_text == text
    fr = "Le café était très bon, a déclaré le ministre à Paris."
    b = one(read_articles(src(tmp_path, "d/l.txt", fr.encode("latin-1"))))
    assert b.raw_text == fr


def test_cyrillic_legacy_encoding_goes_to_charset_normalizer(tmp_path: Path) -> None:
    ru = "Президент Украины Владимир Зеленский заявил в понедельник, что переговоры продолжатся. " * 2
    a = one(read_articles(src(tmp_path, "d/ru.txt", ru.encode("cp1251"))))
    assert a.error is None and a.raw_text == ru and a.encoding == "cp1251"


def test_unbalanced_quotes_are_not_an_input_error(tmp_path: Path) -> None:
    a = one(read_articles(src(tmp_path, "d/q.txt", 'He said: "we will never give up\n\nThen he left.')))
    assert a.error is None


# ---------------------------------------------------------------- html, json, jsonl


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    a = one(read_articles(src(tmp_path, "web/p.html", HTML)))
    assert a.error is None and a.format == "html"
    assert "Foreign Minister Andrii Sybiha told reporters" in a.raw_text
    assert "Home | World" not in a.raw_text and "Copyright 2025" not in a.raw_text
    assert "\n" in a.raw_text  # paragraphs kept on their own lines
    assert a.title == "Peace talks stall in Istanbul"
    assert a.url == "https://example.com/world/peace-talks"
    assert a.published == datetime(2025, 6, 2, tzinfo=UTC) and a.published_raw == "2025-06-02"
    assert a.site == "example.com" and a.language == "en" and a.language_score > 0.9
    assert a.body_end == len(a.raw_text)


def test_json_fields_and_fallbacks(tmp_path: Path) -> None:
    obj = {"title": "Talks stall", "url": "https://example.com/a", "date": "2025-06-02", "text": "",
           "body": BODY}
    a = one(read_articles(src(tmp_path, "j/a.json", json.dumps(obj))))
    assert a.error is None and a.format == "json"
    assert a.raw_text == BODY and a.title == "Talks stall" and a.published_raw == "2025-06-02"
    assert a.published == datetime(2025, 6, 2, tzinfo=UTC)
    b = one(read_articles(src(tmp_path, "j/b.json", json.dumps({"content": BODY, "published_at": "2025"}))))
    assert b.raw_text == BODY and b.published_raw == "2025"
    assert b.published == datetime(2025, 1, 1, tzinfo=UTC)


def test_json_html_content_is_extracted(tmp_path: Path) -> None:
    paras = "".join(f"<p>{line}</p>" for line in BODY.splitlines())
    a = one(read_articles(src(tmp_path, "j/h.json", json.dumps({"content": paras}))))
    assert a.error is None and "<p>" not in a.raw_text and "Andrii Sybiha" in a.raw_text


def test_jsonl_one_article_per_line(tmp_path: Path) -> None:
    lines = [json.dumps({"text": "First article text.", "title": "One"}), "",
             "{not json", json.dumps({"title": "no text here"}), json.dumps({"body": "Fourth text."})]
    data = "\n".join(lines).encode("utf-8")
    arts = read_articles(src(tmp_path, "feed/x.jsonl", data))
    assert [a.source_path for a in arts] == ["feed/x.jsonl#1", "feed/x.jsonl#3", "feed/x.jsonl#4",
                                             "feed/x.jsonl#5"]
    assert [a.error is None for a in arts] == [True, False, False, True]
    assert arts[0].raw_text == "First article text." and arts[0].title == "One"
    assert arts[0].doc_id == hashlib.sha256(lines[0].encode()).hexdigest()
    assert "malformed json" in arts[1].error and "line 3" in arts[1].error
    assert "no text" in arts[2].error
    assert all(a.format == "jsonl" and a.drop == "feed" for a in arts)


# ---------------------------------------------------------------- bad input: an error Article, never a raise


@pytest.mark.parametrize(
    ("rel", "data", "reason"),
    [
        ("bad/empty.txt", b"", "empty"),
        ("bad/blank.txt", b"  \n\n ", "blank"),
        ("bad/binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
        ("bad/undecodable.txt", bytes(range(0x80, 0x100)) * 4, "undecodable"),
        ("bad/nobody.html", "<html><head><title>x</title></head><body></body></html>", "no article text"),
        ("bad/notext.json", json.dumps({"title": "only a title"}), "no text"),
        ("bad/broken.json", '{"text": "unterminated', "malformed json"),
        ("bad/list.json", "[1, 2]", "object was expected"),
        ("bad/emptyfeed.jsonl", b"\n\n", "no json lines"),
    ],
)
def test_bad_inputs_become_error_articles(tmp_path: Path, rel: str, data: bytes | str, reason: str) -> None:
    s = src(tmp_path, rel, data)
    a = one(read_articles(s))
    assert a.error is not None and reason in a.error and "\n" not in a.error
    assert a.source_path == rel and a.drop == "bad" and a.raw_text == ""
    raw = data.encode() if isinstance(data, str) else data
    assert a.doc_id == hashlib.sha256(raw if raw else rel.encode()).hexdigest()


def test_over_max_bytes(tmp_path: Path) -> None:
    big = ("word " * 1_100_000).encode()  # 5.5 MB
    a = one(read_articles(src(tmp_path, "bad/big.txt", big)))
    assert a.error is not None and "over the 2000000-byte limit" in a.error
    assert a.doc_id == hashlib.sha256(big).hexdigest()
    small = one(read_articles(src(tmp_path, "ok/s.txt", BODY), max_bytes=50))
    assert small.error is not None and "limit" in small.error


def test_vanished_and_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = src(tmp_path, "d/gone.txt", BODY)
    s.path.unlink()
    a = one(read_articles(s))
    assert a.error == "file vanished before it could be read"
    assert a.doc_id == hashlib.sha256(b"d/gone.txt").hexdigest()

    s2 = src(tmp_path, "d/locked.txt", BODY)

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", deny)  # root reads a chmod 000 file, so deny it this way
    assert one(read_articles(s2)).error == "permission denied"


def test_directory_named_like_an_article(tmp_path: Path) -> None:
    (tmp_path / "d" / "dir.txt").mkdir(parents=True)
    fake = SourceFile("d", tmp_path / "d" / "dir.txt", "d/dir.txt", 0, 0)
    assert discover(tmp_path) == []
    assert one(read_articles(fake)).error is not None
