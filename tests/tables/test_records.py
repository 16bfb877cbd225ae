"""Records: one article's Docs become rows with stable ids and offsets into the raw text."""

from __future__ import annotations

from datetime import UTC, datetime

from newsmine.clean.article import clean_article
from newsmine.ingest.articles import Article
from newsmine.tables.records import article_rows, failed_rows, item_id

RAW = (
    "Harbour talks\n\n"
    '"We  will\u00a0not sign this deal," the union leader, Maria Okafor, said on Friday.\n'
    "Okafor said 1,500 dockers had voted to strike.\n"
)
WHEN = datetime(2024, 1, 2, tzinfo=UTC)


def _article(raw: str = RAW, error: str | None = None) -> Article:
    return Article(doc_id="ab" * 32, drop="d1", source_path="d1/talks.txt", format="txt",
                   encoding="utf-8", title="Harbour talks", url=None, published=None, raw_text=raw,
                   body_end=len(raw), error=error)


def _rows(nlp):
    article = _article()
    cleaned = clean_article(article.raw_text, article.body_end)
    body = nlp(cleaned.text)
    return article, cleaned, article_rows(article, cleaned, body, [], "v1", WHEN)


def test_item_ids_are_stable_and_readable() -> None:
    assert item_id("ab" * 32, "q", 3, 9) == "abababababababab:q:3-9"
    assert item_id("ab" * 32, "e", 3, 9, "caption0:") == "abababababababab:e:caption0:3-9"


def test_every_row_points_back_to_the_same_words_in_the_raw_text(nlp) -> None:
    article, cleaned, rows = _rows(nlp)
    assert rows["entities"] and rows["quotes"] and rows["claims"]
    for name in ("entities", "quotes", "claims"):
        for row in rows[name]:
            clean_words = cleaned.text[row["start_char"] : row["end_char"]].split()
            assert RAW[row["raw_start"] : row["raw_end"]].split() == clean_words, (name, row)
            assert row["doc_id"] == article.doc_id and row["drop"] == "d1"
    okafor = [r for r in rows["entities"] if r["text"] == "Maria Okafor"]
    assert okafor and okafor[0]["canonical_id"] == "maria-okafor" and okafor[0]["section"] == "body"


def test_the_documents_row_counts_the_other_tables(nlp) -> None:
    _, cleaned, rows = _rows(nlp)
    (doc,) = rows["documents"]
    assert doc["status"] == "ok" and doc["error"] is None and doc["text"] == cleaned.text
    assert (doc["n_entities"], doc["n_quotes"], doc["n_claims"]) == tuple(
        len(rows[t]) for t in ("entities", "quotes", "claims")
    )
    assert doc["n_words"] > 10 and doc["processed_at"] == WHEN and doc["pipeline_version"] == "v1"


def test_a_claim_inside_a_quote_carries_the_quotes_id(nlp) -> None:
    article = _article('"We lost 300 jobs this year," the chief executive, Ana Ruiz, said.\n')
    cleaned = clean_article(article.raw_text)
    rows = article_rows(article, cleaned, nlp(cleaned.text), [], "v1", WHEN)
    assert rows["claims"] and rows["quotes"]
    assert rows["claims"][0]["quote_id"] == rows["quotes"][0]["quote_id"]


def test_a_failed_article_leaves_one_documents_row_with_the_reason() -> None:
    rows = failed_rows(_article(raw="", error="empty file"), "v1", WHEN)
    (doc,) = rows["documents"]
    assert (doc["status"], doc["error"], doc["n_words"], doc["text"]) == ("failed", "empty file", 0, None)
    assert rows["entities"] == rows["quotes"] == rows["claims"] == []


def test_every_named_speaker_has_an_id_and_person_rows_their_gender(nlp) -> None:
    raw = ("Port strike spreads\n\n"
           "Analysts said the strike would cost the port millions. Mrs Okafor, the union's leader, "
           'said: "We will not back down." Okafor added that talks would resume on Monday.\n')
    article = _article(raw)
    cleaned = clean_article(article.raw_text, article.body_end)
    rows = article_rows(article, cleaned, nlp(cleaned.text), [], "v1", WHEN)
    named = [q for q in rows["quotes"] if q["speaker_canonical"]]
    assert len(named) >= 2
    assert all(q["speaker_id"] for q in named)
    assert {q["speaker_id"] for q in named if q["speaker_canonical"].lower() == "analysts"} == {"analysts"}
    okafor = [e for e in rows["entities"] if e["label"] == "PERSON" and "Okafor" in e["text"]]
    assert okafor and all((e["gender"], e["gender_source"]) == ("female", "honorific") for e in okafor)
    assert all(e["gender"] is None for e in rows["entities"] if e["label"] != "PERSON")


def test_per_column_counts_match_the_token_loops(nlp) -> None:
    """Word counts and sentence starts are read per column: the same as the per-token
    properties they stand for."""
    from newsmine.tables.records import _n_words, _sentence_starts

    texts = [RAW, "  Leading spaces. Then a question?\n\nYes!  Mr. O'Neil (of the RMT) agreed.", "", "\n"]
    for text in texts:
        doc = nlp(text)
        assert _n_words(doc) == sum(1 for t in doc if not (t.is_punct or t.is_space))
        assert _sentence_starts(doc) == [sent.start_char for sent in doc.sents]
    _, _, rows = _rows(nlp)
    assert {row["text"] for row in rows["entities"]} >= {"Maria Okafor"}
