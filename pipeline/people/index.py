"""The person index: what people linking reads from the stored rows, kept per chunk.

Why an index: linking and counting people from every stored entity on every run cost
a full read of the entities table per run. The store instead keeps, per chunk of
parts, the few fields linking needs (``newsmine.store.db``: ``mentions``, ``speakers``,
``refs``), replaced whenever a chunk is rewritten, so a run reads what it changed.

Everything here reads the *article's own* ids and names (``article_canonical_id``,
``article_speaker_id`` …), never the linked ones: the people table is then a
function of the stored articles alone, whatever order they arrived in.

``pos`` orders mentions as the entities table is ordered (drop, then doc_id, then
entity_id, joined by ``\x01``, which sorts before any character of them): the order in
which a from-scratch pass meets them, which decides ties.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from newsmine.nlp.entities.names import clean_name, slug
from newsmine.nlp.labels import PERSON

ENTITY_ID, ENTITY_NAME = "article_canonical_id", "article_canonical_name"
SPEAKER_ID, SPEAKER_NAME = "article_speaker_id", "article_speaker_canonical"


def present(value: object) -> bool:
    """A real value: not None, NaN or the empty string (pandas hands over all three)."""
    return value is not None and not (isinstance(value, float) and value != value) and str(value) != ""


def row_key(cname: object, text: object, cid: object) -> tuple[str, str]:
    """(cleaned name, canonical id) of one PERSON entity row; the id falls back to the name's slug."""
    name = clean_name(str(cname if present(cname) else text))
    return name, str(cid) if present(cid) else slug(name)


def speaker_key(sid: object, canon: object) -> str | None:
    """The person id a quote counts for: its speaker id, else the slug of its speaker's name."""
    if present(sid):
        return str(sid)
    return slug(str(canon)) if present(canon) else None


def mention_rows(chunk: str, columns: Sequence[Iterable[Any]]) -> tuple[list[list[Any]], list[list[Any]]]:
    """``mentions`` and ``titles`` rows of PERSON entities; ``columns`` are, in order:
    article id, article name, text, label, doc_id, position, titles. A title's position
    is its mention's, then its place in the mention's list (``\x01`` sorts first)."""
    mentions, titles = [], []
    for cid, cname, text, label, doc_id, pos, seen in zip(*columns, strict=True):
        if label != PERSON:
            continue
        name, key = row_key(cname, text, cid)
        mentions.append([chunk, key, name, clean_name(str(text)), str(doc_id), pos])
        for i, title in enumerate(seen if seen is not None else ()):
            titles.append([chunk, key, str(title), f"{pos}\x01{i:04d}"])
    return mentions, titles


def speaker_rows(chunk: str, ids: Iterable[Any], names: Iterable[Any]) -> list[list[Any]]:
    """``speakers`` rows: how many quotes each person id is credited with in the chunk."""
    counts = Counter(k for k in map(speaker_key, ids, names) if k is not None)
    return [[chunk, key, n] for key, n in sorted(counts.items())]


def chunk_index(chunk: str, entities: pa.Table, quotes: pa.Table) -> dict[str, list]:
    """The index rows of one chunk's stored entities and quotes parts."""
    e = entities.select(["drop", "doc_id", "entity_id", "text", "label", ENTITY_ID, ENTITY_NAME, "titles"])
    e = e.to_pydict()
    positions = [
        f"{d}\x01{doc}\x01{ent}" for d, doc, ent in zip(e["drop"], e["doc_id"], e["entity_id"], strict=True)
    ]
    columns = (e[ENTITY_ID], e[ENTITY_NAME], e["text"], e["label"], e["doc_id"], positions, e["titles"])
    q = quotes.select([SPEAKER_ID, SPEAKER_NAME]).to_pydict()
    refs = {str(i) for i in e[ENTITY_ID] if present(i)} | {str(i) for i in q[SPEAKER_ID] if present(i)}
    mentions, titles = mention_rows(chunk, columns)
    return {
        "mentions": mentions,
        "titles": titles,
        "speakers": speaker_rows(chunk, q[SPEAKER_ID], q[SPEAKER_NAME]),
        "refs": [[chunk, cid] for cid in sorted(refs)],
    }
