"""The person index of a chunk: the cached name keys give what computing each row gives."""

from __future__ import annotations

import pyarrow as pa

from newsmine.people import index
from newsmine.tables.schemas import to_table


def _entities() -> pa.Table:
    people = [
        ("Mr Sunak's", "PERSON", None, None),
        ("Rishi Sunak", "PERSON", "rishi-sunak", "Rishi Sunak"),
        ("Sunak", "PERSON", "rishi-sunak", "Rishi Sunak"),
        ("the Treasury", "ORG", None, None),
        ("Mr Sunak's", "PERSON", None, None),
        ("Ford", "ORG", "ford", "Ford"),
        ("Ford", "PERSON", "harrison-ford", "Harrison Ford"),
    ]
    return to_table("entities", [
        {"doc_id": f"d{i % 3}", "drop": "bbc", "entity_id": f"d{i % 3}:e:{i}", "text": text, "label": label,
         "canonical_id": cid, "canonical_name": cname, "article_canonical_id": cid,
         "article_canonical_name": cname, "titles": ["Chancellor"] if cid == "rishi-sunak" else [],
         "gender": "male" if label == "PERSON" else None, "gender_source": "honorific"}
        for i, (text, label, cid, cname) in enumerate(people * 3)
    ])


def _quotes() -> pa.Table:
    return to_table("quotes", [
        {"doc_id": "d0", "drop": "bbc", "quote_id": "q0", "speaker": "he", "resolution": "pronoun",
         "article_speaker_id": "rishi-sunak", "article_speaker_canonical": "Rishi Sunak",
         "speaker_label": "PERSON"},
    ])


def test_chunk_index_with_cached_keys_matches_the_uncached_keys(monkeypatch) -> None:
    cached = index.chunk_index("bbc/tail", _entities(), _quotes())
    index.row_key.cache_clear()
    monkeypatch.setattr(index, "row_key", index.row_key.__wrapped__)
    assert index.chunk_index("bbc/tail", _entities(), _quotes()) == cached
    assert {row[1] for row in cached["mentions"]} == {"mr-sunak", "rishi-sunak", "harrison-ford"}


def test_row_key_keeps_values_of_different_types_apart() -> None:
    assert index.row_key(None, "Ford", 1) == ("Ford", "1")
    assert index.row_key(None, "Ford", 1.0) == ("Ford", "1.0")
    assert index.row_key(None, "Ford", float("nan")) == ("Ford", "ford")
