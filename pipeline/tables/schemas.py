"""The explicit Arrow schema of every output table, and rows → Arrow conversion.

One place defines the columns so the writer, the reader, the README's data
dictionary and the tests agree. ``SCHEMA_VERSION`` is stamped into every
Parquet file's metadata; bump it whenever a column changes meaning or type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

# 2: documents gained site, authors, language; published is a timestamp
# 3: doc_id scoped by path, documents.content_sha256, the article's own person ids beside the
#    linked ones, drop a column inside every file
# 4: entities.gender/gender_source (the article's evidence), people.kind/gender/gender_source
# 5: quotes gained cue_type and quoted
SCHEMA_VERSION = "5"

_str = pa.string()
_int = pa.int64()
_float = pa.float64()
_strings = pa.list_(pa.string())

DOCUMENTS = pa.schema(
    [
        ("doc_id", _str),
        ("drop", _str),
        ("source_path", _str),
        ("content_sha256", _str),
        ("format", _str),
        ("encoding", _str),
        ("title", _str),
        ("url", _str),
        ("site", _str),
        ("authors", _strings),
        ("published", pa.timestamp("us", tz="UTC")),
        ("published_raw", _str),
        ("language", _str),
        ("language_score", _float),
        ("text", _str),
        ("captions", _strings),
        ("n_words", _int),
        ("n_entities", _int),
        ("n_quotes", _int),
        ("n_claims", _int),
        ("status", _str),
        ("error", _str),
        ("pipeline_version", _str),
        ("processed_at", pa.timestamp("us", tz="UTC")),
    ]
)

ENTITIES = pa.schema(
    [
        ("doc_id", _str),
        ("drop", _str),
        ("entity_id", _str),
        ("text", _str),
        ("label", _str),
        ("section", _str),
        ("caption_index", _int),
        ("start_char", _int),
        ("end_char", _int),
        ("raw_start", _int),
        ("raw_end", _int),
        ("sentence_id", _int),
        ("canonical_id", _str),
        ("canonical_name", _str),
        ("titles", _strings),
        ("article_canonical_id", _str),
        ("article_canonical_name", _str),
        ("gender", _str),
        ("gender_source", _str),
    ]
)

QUOTES = pa.schema(
    [
        ("doc_id", _str),
        ("drop", _str),
        ("quote_id", _str),
        ("kind", _str),
        ("text", _str),
        ("start_char", _int),
        ("end_char", _int),
        ("raw_start", _int),
        ("raw_end", _int),
        ("speaker", _str),
        ("speaker_start", _int),
        ("speaker_end", _int),
        ("speaker_canonical", _str),
        ("speaker_id", _str),
        ("speaker_label", _str),
        ("resolution", _str),
        ("cue", _str),
        ("cue_start", _int),
        ("cue_end", _int),
        ("cue_type", _str),
        ("quoted", pa.list_(pa.list_(_int))),
        ("sentence_id", _int),
        ("article_speaker_id", _str),
        ("article_speaker_canonical", _str),
    ]
)

CLAIMS = pa.schema(
    [
        ("doc_id", _str),
        ("drop", _str),
        ("claim_id", _str),
        ("text", _str),
        ("start_char", _int),
        ("end_char", _int),
        ("raw_start", _int),
        ("raw_end", _int),
        ("value", _float),
        ("value_low", _float),
        ("value_high", _float),
        ("unit", _str),
        ("kind", _str),
        ("qualifier", _str),
        ("trend", _str),
        ("subject", _str),
        ("predicate", _str),
        ("claimant", _str),
        ("claimant_canonical", _str),
        ("quote_id", _str),
        ("sentence", _str),
    ]
)

PEOPLE = pa.schema(
    [
        ("canonical_id", _str),
        ("canonical_name", _str),
        ("aliases", _strings),
        ("titles", _strings),
        ("n_docs", _int),
        ("n_mentions", _int),
        ("n_quotes", _int),
        ("kind", _str),
        ("gender", _str),
        ("gender_source", _str),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "claims": CLAIMS,
    "people": PEOPLE,
}

# Tables stored one partition per drop; ``people`` is rebuilt whole from entities.
PARTITIONED = ("documents", "entities", "quotes", "claims")
Rows = dict[str, list[dict[str, Any]]]  # table name -> its rows, as a batch returns them

# Rows are sorted before writing so every engine and every re-run writes identical files.
SORT_KEYS: dict[str, list[tuple[str, str]]] = {
    "documents": [("source_path", "ascending")],
    "entities": [("doc_id", "ascending"), ("entity_id", "ascending")],
    "quotes": [("doc_id", "ascending"), ("start_char", "ascending"), ("end_char", "ascending")],
    "claims": [("doc_id", "ascending"), ("start_char", "ascending"), ("end_char", "ascending")],
}

def schema_metadata() -> dict[bytes, bytes]:
    """The metadata stamped into every Parquet file (readers check the schema version)."""
    return {b"newsmine.schema_version": SCHEMA_VERSION.encode()}


def to_table(name: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts keyed by column) → an Arrow table of the named schema.

    Missing keys become nulls and unknown keys are an error, so a typo in a
    component's record cannot silently drop a column.
    """
    schema = SCHEMAS[name]
    rows = list(rows)
    known = frozenset(schema.names).issuperset
    for row in rows:
        if not known(row):
            raise KeyError(f"{name}: unknown column(s) {sorted(set(row) - set(schema.names))}")
    # pyarrow picks each column out of the dicts in compiled code (``row.get``: a missing
    # key is a null), twice as fast as building the column lists here.
    return pa.Table.from_pylist(rows, schema=schema.with_metadata(schema_metadata()))


def empty_table(name: str) -> pa.Table:
    """A table of the named schema with no rows."""
    return to_table(name, [])
