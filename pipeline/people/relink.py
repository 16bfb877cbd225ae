"""Cross-article person links applied to stored rows, so ids stay joinable with ``people``.

Articles are processed alone, so one person can arrive under several ids (a spelling
variant, a surname-only article). The linked id and the person's name are written into
``entities.canonical_id``/``canonical_name`` and ``quotes.speaker_id``/``speaker_canonical``;
the article's own values stay beside them (``article_canonical_id`` …), and the linked
ones are always computed from those with the current links, never from earlier links.
So unlinking (the article that tied two ids is deleted) restores the article's values,
and any history of runs leaves the rows one run over the final raw folder writes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from newsmine.nlp.entities.names import AliasTable
from newsmine.people import state
from newsmine.people.index import ENTITY_ID, ENTITY_NAME, SPEAKER_ID, SPEAKER_NAME
from newsmine.store.db import ManifestDB
from newsmine.store.parquet import PEOPLE, Change, PartKey, Store

Link = tuple[str, str | None]

# table -> (linked id, linked name, article id, article name)
COLUMNS: dict[str, tuple[str, str, str, str]] = {
    "entities": ("canonical_id", "canonical_name", ENTITY_ID, ENTITY_NAME),
    "quotes": ("speaker_id", "speaker_canonical", SPEAKER_ID, SPEAKER_NAME),
}


def article_ids(table: str, rows: pa.Table) -> set[str]:
    """The article ids a part's rows carry (what its links depend on)."""
    if table not in COLUMNS or rows.num_rows == 0:
        return set()
    return {i for i in rows.column(COLUMNS[table][2]).to_pylist() if i is not None}


def apply_links(table: str, rows: pa.Table, links: dict[str, Link]) -> pa.Table:
    """``rows`` with the linked columns computed from the article columns and ``links``
    (article id -> (linked id, person name)); other tables come back unchanged."""
    if table not in COLUMNS:
        return rows
    id_col, name_col, article_id, article_name = COLUMNS[table]
    ids, names = rows.column(article_id), rows.column(article_name)
    if links and rows.num_rows:
        keys = sorted(links)
        where = pc.index_in(ids, value_set=pa.array(keys, pa.string()))
        targets = pa.array([links[k][0] for k in keys], pa.string())
        people = pa.array([links[k][1] for k in keys], pa.string())
        ids = pc.coalesce(pc.take(targets, where), ids)
        names = pc.coalesce(pc.take(people, where), names)  # no name in people: the article's
    rows = rows.set_column(rows.schema.get_field_index(id_col), id_col, ids)
    return rows.set_column(rows.schema.get_field_index(name_col), name_col, names)


def stored_links(db: ManifestDB, ids: Iterable[str]) -> dict[str, Link]:
    """The stored links of ``ids`` (the ones that link elsewhere)."""
    rows = db.query_in("SELECT cid, target, name FROM links WHERE cid IN ({marks})", ids)
    return {cid: (target, name) for cid, target, name in rows}


def _chunks_naming(db: ManifestDB, ids: Iterable[str]) -> set[str]:
    """Chunk keys (``drop/chunk``) whose rows carry any of the article ids ``ids``."""
    return {chunk for (chunk,) in db.query_in("SELECT DISTINCT chunk FROM refs WHERE cid IN ({marks})", ids)}


def people_change(store: Store, aliases: AliasTable, force: bool = False) -> Change | None:
    """The people commit: the people table, the links, and every part whose linked ids move.

    None when no committed row changed a person since the last people commit (and
    ``force`` is not set: the people part is missing or damaged).
    """
    db = store.db
    if not force and not db.query("SELECT 1 FROM dirty LIMIT 1"):
        return None
    update = state.update(db, aliases)
    change = Change(parts={PartKey(PEOPLE): update.people}, delta=update.delta)
    for key in sorted(_chunks_naming(db, update.changed)):
        drop, chunk = key.rsplit("/", 1)
        for table in COLUMNS:
            for part in store.parts_of(table, drop, chunk):
                rows = store.read_part(part)
                linked = apply_links(table, rows, update.links)
                if not linked.equals(rows):
                    change.parts[PartKey(table, drop, chunk)] = linked
    return change
