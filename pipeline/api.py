"""The Python API: one article's text in, plain dataclasses out; stored tables as DataFrames.

``newsmine.extract(text)`` runs exactly what ``newsmine run`` runs on a ``.txt`` file
(the same ingest checks, cleaning, spaCy pipeline and row building, through
``run.batch.process_articles``) and stores nothing. Its dataclasses are made from the
table schemas, one field per column (the article's ids and run bookkeeping left out), so
a column added to a schema appears here too. Offsets (``start_char``/``end_char``)
index into ``Article.text``, the cleaned body, for body rows; caption entities index
into their caption (``Article.captions[caption_index]``).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import cache
from typing import Any

import pyarrow as pa

from newsmine.ingest.articles import Article as _SourceArticle
from newsmine.ingest.articles import text_article
from newsmine.ingest.decode import InputError
from newsmine.tables.frames import read_tables
from newsmine.tables.schemas import CLAIMS, DOCUMENTS, ENTITIES, QUOTES

__all__ = ["Article", "Claim", "Entity", "ExtractError", "Quote", "extract", "read_tables"]

# Columns an item of one article does not need to repeat, and run bookkeeping.
_ITEM_SKIP = {"doc_id", "drop"}
_ARTICLE_SKIP = {"drop", "source_path", "format", "encoding", "n_entities", "n_quotes", "n_claims",
                 "pipeline_version", "processed_at"}


class ExtractError(ValueError):
    """The article could not be processed (blank or binary text, a pipeline failure)."""


def _python_type(arrow_type: pa.DataType) -> Any:
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return list
    if pa.types.is_integer(arrow_type):
        return int
    if pa.types.is_floating(arrow_type):
        return float
    if pa.types.is_boolean(arrow_type):
        return bool
    if pa.types.is_timestamp(arrow_type):
        return datetime
    return str


def _fields(schema: pa.Schema, skip: set[str]) -> list[tuple[str, Any, Any]]:
    fields = []
    for column in schema:
        if column.name in skip:
            continue
        kind = _python_type(column.type)
        default = dataclasses.field(default_factory=list) if kind is list else dataclasses.field(default=None)
        fields.append((column.name, kind if kind is list else kind | None, default))
    return fields


def _dataclass(name: str, schema: pa.Schema, doc: str, extra: list | None = None) -> type:
    made = dataclasses.make_dataclass(name, _fields(schema, _ITEM_SKIP if extra is None else _ARTICLE_SKIP)
                                      + (extra or []), frozen=True)
    made.__module__ = __name__
    made.__doc__ = doc
    return made


Quote = _dataclass("Quote", QUOTES, "One quote: the columns of the quotes table (offsets into Article.text).")
Claim = _dataclass("Claim", CLAIMS, "One numeric claim: the columns of the claims table.")
Entity = _dataclass("Entity", ENTITIES, "One entity mention: the columns of the entities table.")
Article = _dataclass(
    "Article", DOCUMENTS,
    "One processed article: its cleaned text and metadata, and its quotes, claims and entities.",
    extra=[(name, list, dataclasses.field(default_factory=list))
           for name in ("quotes", "claims", "entities")],
)


def _item(kind: type, row: dict[str, Any]) -> Any:
    names = {f.name for f in dataclasses.fields(kind)}
    return kind(**{key: value for key, value in row.items() if key in names})


def _source(text: str, title: str | None, url: str | None, published: str | None) -> _SourceArticle:
    """The ingest ``Article`` a ``.txt`` file of this text would give, with the given metadata."""
    try:
        return text_article(text, drop="_api", source_path="<text>", title=title, url=url,
                            published=published)
    except InputError as exc:
        raise ExtractError(str(exc)) from None


@cache
def _settings(model: str | None) -> Any:
    from newsmine.nlp.loading import read_config, resolve_model
    from newsmine.run.batch import ProcessSettings
    from newsmine.run.runner import current_version

    config = read_config()
    resolved = resolve_model(model, config)
    return ProcessSettings(model=resolved, version=current_version(resolved), batch_size=config.batch_size,
                           max_bytes=config.max_bytes, max_chars=config.max_chars, languages=config.languages)


def extract(
    text: str, title: str | None = None, *, url: str | None = None, published: str | None = None,
    model: str | None = None,
) -> Any:
    """Run the whole pipeline on one article's text and return an :class:`Article`.

    ``title`` defaults to the first line when it reads like a headline, as for a
    ``.txt`` file. Raises :class:`ExtractError` when the text cannot be processed.
    The first call loads the spaCy pipeline (about a second); later calls reuse it.
    """
    from newsmine.run.batch import process_articles

    if not isinstance(text, str):
        raise TypeError(f"extract() takes the article's text as a str, not {type(text).__name__}")
    rows = process_articles([_source(text, title, url, published)], _settings(model)).rows
    [document] = rows["documents"]
    if document["status"] == "failed":
        raise ExtractError(document["error"] or "the pipeline gave no output")
    article = {key: value for key, value in document.items()
               if key in {f.name for f in dataclasses.fields(Article)}}
    return Article(
        **article,
        quotes=[_item(Quote, row) for row in rows["quotes"]],
        claims=[_item(Claim, row) for row in rows["claims"]],
        entities=[_item(Entity, row) for row in rows["entities"]],
    )
