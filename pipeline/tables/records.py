"""Turn one processed article (cleaned text + spaCy Docs) into table rows.

Components leave plain records on the Doc; this module adds what only the run
knows: the document id, the drop, stable item ids and offsets back into the raw
text, so every row can be traced to the exact characters it came from.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import numpy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, SENT_START
from spacy.tokens import Doc

from newsmine.clean.article import CleanedText
from newsmine.ingest.articles import Article
from newsmine.nlp.attrs import CLAIMS, PEOPLE, QUOTES
from newsmine.nlp.entities.names import slug
from newsmine.nlp.labels import PERSON
from newsmine.tables.cue_offsets import cue_offsets
from newsmine.tables.schemas import Rows


def document_id(source_path: str, content_sha256: str) -> str:
    """The id of the document at ``source_path`` with these bytes: SHA-256 of both.

    Path-scoped on purpose: two files with identical bytes (the BBC corpus has 98
    duplicate texts) are two documents with their own rows and ids, so deleting one
    copy deletes exactly its rows. ``documents.content_sha256`` still finds duplicates.
    """
    return hashlib.sha256(f"{source_path}\0{content_sha256}".encode()).hexdigest()


def item_id(doc_id: str, kind: str, start: int | None, end: int | None, section: str = "") -> str:
    """A stable, readable id: the same article and offsets always give the same id."""
    where = f"{section}{start}-{end}"
    return f"{doc_id[:16]}:{kind}:{where}"


def _sentence_starts(doc: Doc) -> list[int]:
    """Where each of ``doc.sents`` starts, read per column (``doc.sents`` makes a Span per
    sentence): its first token, then every token marked as starting one."""
    if not doc.has_annotation("SENT_START"):
        return [0]
    if "sents" in doc.user_hooks or len(doc) == 0:
        return [sent.start_char for sent in doc.sents]
    columns = doc.to_array([SENT_START, IDX])
    starts = columns[:, 0] == 1
    starts[0] = True
    return columns[starts, 1].tolist()


def _sentence_id(starts: Sequence[int], char: int) -> int:
    return max(bisect_right(starts, char) - 1, 0)


def _cluster_index(doc: Doc) -> dict[tuple[int, int], dict[str, Any]]:
    index: dict[tuple[int, int], dict[str, Any]] = {}
    for cluster in doc._.get(PEOPLE) or []:
        for start, end in cluster.get("mentions", []):
            index[(start, end)] = cluster
    return index


def entity_rows(
    article: Article,
    doc: Doc,
    to_raw: Callable[[int, int], tuple[int, int]],
    section: str,
    caption_index: int | None = None,
    relink: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Rows of the entities table for one Doc (the body or one caption)."""
    clusters = _cluster_index(doc)
    starts = _sentence_starts(doc)
    doc_id, drop = article.doc_id, article.drop
    tag = "" if section == "body" else section if caption_index is None else f"{section}{caption_index}:"
    rows = []
    for ent in doc.ents:
        # each read once: ``Span.text`` joins the span's tokens, the offsets are computed
        text, label, start, end = ent.text, ent.label_, ent.start_char, ent.end_char
        cluster = clusters.get((start, end))
        canonical_id = cluster["canonical_id"] if cluster else slug(text)
        canonical_name = cluster["canonical_name"] if cluster else text
        if relink and label == PERSON and canonical_id in relink:
            target = relink[canonical_id]
            canonical_id, canonical_name = target["canonical_id"], target["canonical_name"]
        raw_start, raw_end = to_raw(start, end)
        rows.append(
            {
                "doc_id": doc_id,
                "drop": drop,
                "entity_id": item_id(doc_id, "e", start, end, tag),
                "text": text,
                "label": label,
                "section": section,
                "caption_index": caption_index,
                "start_char": start,
                "end_char": end,
                "raw_start": raw_start,
                "raw_end": raw_end,
                "sentence_id": _sentence_id(starts, start),
                "canonical_id": canonical_id,
                "canonical_name": canonical_name,
                "titles": list(cluster.get("titles") or []) if cluster and label == PERSON else [],
                # what this article alone says; people linking may rewrite the two above
                "article_canonical_id": canonical_id,
                "article_canonical_name": canonical_name,
                **_gender(cluster if label == PERSON else None),
            }
        )
    return rows


def _gender(cluster: dict[str, Any] | None) -> dict[str, Any]:
    """A person row's ``gender``/``gender_source``: what the article's cluster says."""
    if not cluster or not cluster.get("gender"):
        return {"gender": None, "gender_source": None}
    return {"gender": cluster["gender"], "gender_source": cluster.get("gender_source")}


def _caption_relink(body: Doc, caption: Doc) -> dict[str, dict[str, Any]]:
    """Map a caption's person clusters onto the body's when the surname is unambiguous.

    A caption often names someone by surname only; the article body has the full
    name, so the caption row should carry the same canonical id.
    """
    by_surname: dict[str, list[dict[str, Any]]] = {}
    for cluster in body._.get(PEOPLE) or []:
        if cluster.get("label") == PERSON:
            surname = cluster["canonical_name"].split()[-1].lower()
            by_surname.setdefault(surname, []).append(cluster)
    relink = {}
    for cluster in caption._.get(PEOPLE) or []:
        if cluster.get("label") != PERSON:
            continue
        surname = cluster["canonical_name"].split()[-1].lower()
        matches = by_surname.get(surname, [])
        if len(matches) == 1:
            relink[cluster["canonical_id"]] = matches[0]
    for target in list(relink.values()):
        relink.setdefault(target["canonical_id"], target)
    return relink


def credit_rows(article: Article, cleaned: CleanedText) -> list[dict[str, Any]]:
    """Photographers named in photo credits, as PERSON rows outside the body."""
    rows = []
    for index, caption in enumerate(cleaned.captions):
        if not caption.photographer:
            continue
        start, end = caption.photographer_raw_start, caption.photographer_raw_end
        rows.append(
            {
                "doc_id": article.doc_id,
                "drop": article.drop,
                "entity_id": item_id(article.doc_id, "e", start, end, f"credit{index}:"),
                "text": caption.photographer,
                "label": PERSON,
                "section": "credit",
                "caption_index": index,
                "start_char": None,
                "end_char": None,
                "raw_start": start,
                "raw_end": end,
                "sentence_id": None,
                "canonical_id": slug(caption.photographer),
                "canonical_name": caption.photographer,
                "titles": ["photographer"],
                "article_canonical_id": slug(caption.photographer),
                "article_canonical_name": caption.photographer,
            }
        )
    return rows


def _located(article: Article, cleaned: CleanedText, kind: str, item: dict[str, Any]) -> dict[str, Any]:
    """A component's record plus the article's ids and offsets into the raw text."""
    row = dict(item)
    row["raw_start"], row["raw_end"] = cleaned.to_raw(item["start_char"], item["end_char"])
    row.update(doc_id=article.doc_id, drop=article.drop)
    row[f"{kind}_id"] = item_id(article.doc_id, kind[0], item["start_char"], item["end_char"])
    return row


def quote_rows(article: Article, doc: Doc, cleaned: CleanedText) -> list[dict[str, Any]]:
    """Rows of the quotes table: the component's records located in the article, with the
    cue's offsets when the component did not give them, and the speaker as this article
    alone names it (people linking may rewrite ``speaker_id``/``speaker_canonical``).

    A speaker with a name always has an id: the speaker resolver leaves ``speaker_id``
    empty for a name no cluster holds ("analysts", a person found by a name's last word);
    the id is then that of the article's cluster of that name (or form), else the name's slug, so
    every named speaker joins ``entities``/``people`` when they hold that name."""
    rows = []
    ids: dict[str, str] = {}
    for cluster in doc._.get(PEOPLE) or []:
        for name in [cluster.get("canonical_name"), *(cluster.get("aliases") or [])]:
            if name and cluster.get("canonical_id"):
                ids.setdefault(str(name), cluster["canonical_id"])
    for quote in doc._.get(QUOTES) or []:
        row = _located(article, cleaned, "quote", quote)
        if "cue_start" not in row:
            row["cue_start"], row["cue_end"] = cue_offsets(doc, row)
        name = row.get("speaker_canonical")
        if name and not row.get("speaker_id"):
            row["speaker_id"] = ids.get(name) or slug(name) or name
        row["article_speaker_id"] = row.get("speaker_id")
        row["article_speaker_canonical"] = row.get("speaker_canonical")
        rows.append(row)
    return rows


def claim_rows(
    article: Article, doc: Doc, cleaned: CleanedText, quote_ids: list[str]
) -> list[dict[str, Any]]:
    """Claims carry the id of the quote they sit in (the component gives its index)."""
    rows = []
    for claim in doc._.get(CLAIMS) or []:
        row = _located(article, cleaned, "claim", claim)
        index = row.pop("quote_index", None)
        row["quote_id"] = quote_ids[index] if index is not None and 0 <= index < len(quote_ids) else None
        rows.append(row)
    return rows


def document_row(
    article: Article,
    version: str,
    processed_at: datetime,
    cleaned: CleanedText | None = None,
    body: Doc | None = None,
    counts: dict[str, int] | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """The article's documents row: its metadata, cleaned text, counts and status."""
    counts = counts or {}
    failed = error is not None or article.error is not None
    return {
        "doc_id": article.doc_id,
        "drop": article.drop,
        "source_path": article.source_path,
        "format": article.format,
        "encoding": article.encoding,
        "title": article.title,
        "url": article.url,
        "site": article.site,
        "authors": list(article.authors),
        "published": article.published,
        "published_raw": article.published_raw,
        "language": article.language,
        "language_score": article.language_score,
        "text": cleaned.text if cleaned is not None else None,
        "captions": [c.text for c in cleaned.captions] if cleaned is not None else [],
        "n_words": _n_words(body) if body is not None else 0,
        "n_entities": counts.get("entities", 0),
        "n_quotes": counts.get("quotes", 0),
        "n_claims": counts.get("claims", 0),
        "status": "failed" if failed else "ok",
        "error": error or article.error,
        "pipeline_version": version,
        "processed_at": processed_at,
    }


def _n_words(body: Doc) -> int:
    """Tokens that are neither punctuation nor space, counted from the lexeme flags per
    column (a Python loop over every token's two properties cost more than the rows)."""
    flags = body.to_array([IS_PUNCT, IS_SPACE])
    return int(len(flags) - numpy.count_nonzero(flags.any(axis=1))) if len(flags) else 0


def article_rows(
    article: Article,
    cleaned: CleanedText,
    body: Doc,
    captions: Sequence[Doc],
    version: str,
    processed_at: datetime,
) -> Rows:
    """Every table's rows for one successfully processed article."""
    entities = entity_rows(article, body, cleaned.to_raw, "body")
    for index, caption_doc in enumerate(captions):
        entities += entity_rows(
            article,
            caption_doc,
            lambda s, e, i=index: cleaned.caption_to_raw(i, s, e),
            "caption",
            caption_index=index,
            relink=_caption_relink(body, caption_doc),
        )
    entities += credit_rows(article, cleaned)
    quotes = quote_rows(article, body, cleaned)
    claims = claim_rows(article, body, cleaned, [q["quote_id"] for q in quotes])
    counts = {"entities": len(entities), "quotes": len(quotes), "claims": len(claims)}
    return {
        "documents": [document_row(article, version, processed_at, cleaned, body, counts)],
        "entities": entities,
        "quotes": quotes,
        "claims": claims,
    }


def failed_rows(article: Article, version: str, processed_at: datetime, error: str | None = None) -> Rows:
    """The one documents row a failed article leaves, so the failure is visible in the tables."""
    return {
        "documents": [document_row(article, version, processed_at, error=error)],
        "entities": [],
        "quotes": [],
        "claims": [],
    }


def skipped_rows(article: Article, version: str, processed_at: datetime, reason: str) -> Rows:
    """The documents row of an article set aside (another language): its text and metadata, no items.

    The text is the article as read, not cleaned: cleaning is tuned for English.
    """
    row = document_row(article, version, processed_at, error=reason)
    text = article.raw_text[: article.body_end]
    row.update(status="skipped", text=text, n_words=len(text.split()))
    return {"documents": [row], "entities": [], "quotes": [], "claims": []}
