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

from collections.abc import Collection, Iterable

import pyarrow as pa
import pyarrow.compute as pc

from newsmine.nlp.entities.names import AliasTable
from newsmine.people import state
from newsmine.people.index import ENTITY_ID, ENTITY_NAME, SPEAKER_ID, SPEAKER_NAME
from newsmine.store.db import ManifestDB
from newsmine.store.parquet import PEOPLE, Change, PartKey, Store

Link = tuple[str, str | None]
RELINK_MIN = 4  # older chunks a people step may rewrite whatever it wrote (``relink_budget``)

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


def _relink_queue(db: ManifestDB, changed: set[str]) -> tuple[list[str], list[str], int]:
    """The chunks waiting for their links (oldest first), the chunks that now name an id
    whose link moved and do not wait yet, and the next ``relink.seq``."""
    waiting = db.query("SELECT chunk, seq FROM relink ORDER BY seq")
    new = sorted(_chunks_naming(db, changed) - {chunk for chunk, _ in waiting})
    return [c for c, _ in waiting], new, (waiting[-1][1] + 1) if waiting else 0


def relink_budget(written: int) -> int:
    """How many waiting chunks a run that wrote ``written`` chunks rewrites: as many as it
    wrote, and at least :data:`RELINK_MIN`. Why in proportion: with a fixed 16, one new
    article read (and, where a link moved, rewrote) 16 waiting chunks while a link caught
    up over 40,000 stored articles, and none over 10,000 whose queue had emptied (34 part
    reads against 26, 0.04 s of a 0.6 s run); so a run's cost follows its own work, and a
    big run still pays back a big queue."""
    return max(RELINK_MIN, written)


def people_change(store: Store, aliases: AliasTable, force: bool = False,
                  budget: int | None = None, fresh: Collection[str] = ()) -> Change | None:
    """The people commit: the people table, the links, and the parts whose linked ids move.

    The chunks in ``fresh`` (those the run wrote) are relinked, and at most ``budget``
    others (None: all; a run gives :func:`relink_budget`); the rest wait in ``relink``
    for the next runs that commit rows (a run with nothing to process writes nothing),
    oldest first. Why: a link that moves (a lone "Guy" that now has one John Guy to
    join) touches every stored chunk naming the id, a number that grows with the store
    (303 chunks of 40,000 articles against 71 of 10,000 for one new article); with a
    budget one run's cost follows its own work, not the store.
    ``newsmine.read_tables`` applies the current links to waiting rows (:func:`current`),
    so only a plain Parquet reader sees the older ids, for a few runs.

    None when nothing is to do: no committed row changed a person since the last people
    commit, no chunk waits, and ``force`` is not set (the people part is missing or damaged).
    """
    db = store.db
    if not force and not db.people_dirty() and not db.relink_waiting():
        return None
    update = state.update(db, aliases)
    change = Change(parts={PartKey(PEOPLE): update.people}, delta=update.delta)
    waiting, new, seq = _relink_queue(db, update.changed)
    older = [c for c in waiting + new if c not in fresh]
    now = {c for c in waiting + new if c in fresh} | set(older if budget is None else older[:budget])
    change.delta["relink_put"] = [[c, seq + i] for i, c in enumerate(c for c in new if c not in now)]
    change.delta["relink_done"] = [c for c in waiting if c in now]
    for key in sorted(now):
        drop, chunk = key.rsplit("/", 1)
        for table in COLUMNS:
            for part in store.parts_of(table, drop, chunk):
                rows = store.read_part(part)
                linked = apply_links(table, rows, update.links)
                if not linked.equals(rows):
                    change.parts[PartKey(table, drop, chunk)] = linked
    return change


def current(store: Store, table: str, rows: pa.Table) -> pa.Table:
    """``rows`` of ``table`` read from ``store`` with the links of today, also where their
    chunk still waits for its rewrite (``people_change``)."""
    if table not in COLUMNS or not store.db.relink_waiting():
        return rows
    return apply_links(table, rows, stored_links(store.db, article_ids(table, rows)))
