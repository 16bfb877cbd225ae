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
from functools import lru_cache
from typing import Any

import pyarrow as pa

from newsmine.nlp.entities.names import clean_name, slug
from newsmine.nlp.labels import PERSON
from newsmine.nlp.lexicon import read_pronouns
from newsmine.rules import RuleSource
from newsmine.store.person_index import TABLES

ENTITY_ID, ENTITY_NAME = "article_canonical_id", "article_canonical_name"
SPEAKER_ID, SPEAKER_NAME = "article_speaker_id", "article_speaker_canonical"
PRONOUNS_FILE = "lexicon/pronouns.json"


def present(value: object) -> bool:
    """A real value: not None, NaN or the empty string (pandas hands over all three)."""
    return value is not None and not (isinstance(value, float) and value != value) and str(value) != ""


@lru_cache(maxsize=8_192, typed=True)
def row_key(cname: object, text: object, cid: object) -> tuple[str, str]:
    """(cleaned name, canonical id) of one PERSON entity row; the id falls back to the name's slug.

    Cached: a chunk names the same people over and over, and every index of a chunk asks
    for every entity row's key twice (mentions, votes); ``typed`` keeps 1 and 1.0 apart."""
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
    surfaces: dict[str, str] = {}  # text -> its clean_name: the same surface recurs in a chunk
    for cid, cname, text, label, doc_id, pos, seen in zip(*columns, strict=True):
        if label != PERSON:
            continue
        name, key = row_key(cname, text, cid)
        text = str(text)
        surface = surfaces.get(text)
        if surface is None:
            surface = surfaces[text] = clean_name(text)
        mentions.append([chunk, key, name, surface, str(doc_id), pos])
        for i, title in enumerate(seen if seen is not None else ()):
            titles.append([chunk, key, str(title), f"{pos}\x01{i:04d}"])
    return mentions, titles


def speaker_rows(chunk: str, ids: Iterable[Any], names: Iterable[Any],
                 labels: Iterable[Any] | None = None) -> list[list[Any]]:
    """``speakers`` rows: how many quotes each person id is credited with in the chunk.
    With ``labels`` (the quotes' ``speaker_label``) only a PERSON speaker counts: "people
    said" or "research suggests" credit no one called People or Research."""
    keys = map(speaker_key, ids, names)
    if labels is not None:
        keys = (k if label == PERSON else None for k, label in zip(keys, labels, strict=True))
    counts = Counter(k for k in keys if k is not None)
    return [[chunk, key, n] for key, n in sorted(counts.items())]


def vote_rows(chunk: str, entities: dict[str, Any], quotes: dict[str, Any]) -> list[list[Any]]:
    """``votes`` rows: what the chunk's rows say of each id's kind and gender, counted.

    ``label:<LABEL>``: a mention of the id under another label than PERSON (the id
    ``boeing`` tagged ORG elsewhere); ``gender:<gender>:<source>``: a person mention whose
    article gives that gender (``honorific``, ``title``, ``first_name``), or a quote the
    quote stage credited to the id through a gendered pronoun (``pronoun``: "he said")."""
    votes: Counter = Counter()
    for cid, cname, text, label, gender, source in zip(
        entities[ENTITY_ID], entities[ENTITY_NAME], entities["text"], entities["label"], entities["gender"],
        entities["gender_source"], strict=True,
    ):
        key = row_key(cname, text, cid)[1]
        if label != PERSON:
            votes[key, f"label:{label}"] += 1
        elif present(gender):
            votes[key, f"gender:{gender}:{source}"] += 1
    genders = pronoun_genders()
    for sid, canon, resolution, speaker in zip(
        quotes[SPEAKER_ID], quotes[SPEAKER_NAME], quotes["resolution"], quotes["speaker"], strict=True
    ):
        key = speaker_key(sid, canon)
        gender = genders.get(str(speaker).lower()) if resolution == "pronoun" else None
        if key is not None and gender:
            votes[key, f"gender:{gender}:pronoun"] += 1
    return [[chunk, cid, vote, n] for (cid, vote), n in sorted(votes.items())]


@lru_cache(maxsize=1)
def pronoun_genders() -> dict[str, str]:
    """Pronoun -> the gender it gives its person (``he``: male), from the shared lexicon."""
    pronouns = read_pronouns(RuleSource.models(), PRONOUNS_FILE)
    return {word: spec["gender"] for word, spec in pronouns.items() if spec.get("gender")}


def _columns(table: pa.Table, names: Sequence[str]) -> dict[str, list]:
    """The named columns of ``table`` as lists; a column the table lacks (a part written
    before it existed) reads as nulls."""
    return {n: table.column(n).to_pylist() if n in table.column_names else [None] * table.num_rows
            for n in names}


def empty_index(chunks: Iterable[str]) -> dict[str, list]:
    """An index delta replacing ``chunks`` with no rows yet (one list per index table)."""
    return {"chunks": list(chunks), **{table: [] for table in TABLES}}


def chunk_index(chunk: str, entities: pa.Table, quotes: pa.Table) -> dict[str, list]:
    """The index rows of one chunk's stored entities and quotes parts."""
    e = _columns(entities, ["drop", "doc_id", "entity_id", "text", "label", ENTITY_ID, ENTITY_NAME, "titles",
                            "gender", "gender_source"])
    positions = [
        f"{d}\x01{doc}\x01{ent}" for d, doc, ent in zip(e["drop"], e["doc_id"], e["entity_id"], strict=True)
    ]
    columns = (e[ENTITY_ID], e[ENTITY_NAME], e["text"], e["label"], e["doc_id"], positions, e["titles"])
    q = _columns(quotes, [SPEAKER_ID, SPEAKER_NAME, "resolution", "speaker", "speaker_label"])
    refs = {str(i) for i in e[ENTITY_ID] if present(i)} | {str(i) for i in q[SPEAKER_ID] if present(i)}
    mentions, titles = mention_rows(chunk, columns)
    return {
        "mentions": mentions,
        "titles": titles,
        "speakers": speaker_rows(chunk, q[SPEAKER_ID], q[SPEAKER_NAME], q["speaker_label"]),
        "refs": [[chunk, cid] for cid in sorted(refs)],
        "votes": vote_rows(chunk, e, q),
    }
