"""The person index in the manifest database: per-chunk rows and running tallies.

Why tallies: the people step asks, per person id, for its names, aliases, titles,
documents, mentions and quotes. Counting them from every mention of a popular person
grows with the store (Tony Blair has 11,800 mentions in 40,000 BBC copies), so each
count is kept as a running tally, updated when a chunk's rows are replaced; the only
questions left for the rows are "where does this name or title first occur" and "is
this document also another id's", which one index answers in a step.

Rows per chunk (``chunk`` is ``drop/chunk``): ``mentions`` (one per PERSON entity:
id, cleaned name, alias, doc_id, position), ``titles`` (one per title of a mention,
with its position), ``speakers`` (quotes per id) and ``refs`` (every article id the
chunk's rows carry, for relinking), ``votes`` (per id, how many rows say one thing of
it: ``label:ORG``, ``gender:female:honorific``, for the people's kind and gender).
Tallies per id: ``tally_names``, ``tally_aliases``, ``tally_titles``, ``tally_ids``
(mentions, documents), ``tally_quotes`` and ``tally_votes``.

:func:`reindex` replaces a chunk's rows inside the caller's transaction by what
differs: a commit hands over every row of the chunks it rewrote, but a new article in a
chunk of 68 changes one article's rows, and swapping all of them dirtied pages across
indexes of ~300 MB at 40,000 articles (0.13 s a run over 10,000, 0.17 s over 40,000).
So it reads the rows the chunks hold now, deletes only those the new rows lack, inserts
only the new ones, moves the tallies by that difference, and marks dirty the ids whose
rows changed. Replaying a journal (the rows already swapped) finds no difference and
changes nothing. Documents never span chunks, so per-chunk document counts add up exactly.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS mentions (
    chunk TEXT NOT NULL, cid TEXT NOT NULL, name TEXT NOT NULL, alias TEXT NOT NULL,
    doc_id TEXT NOT NULL, pos TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mentions_first ON mentions (cid, name, pos);
CREATE INDEX IF NOT EXISTS mentions_docs ON mentions (cid, doc_id);
CREATE INDEX IF NOT EXISTS mentions_by_chunk ON mentions (chunk);
CREATE TABLE IF NOT EXISTS titles (chunk TEXT NOT NULL, cid TEXT NOT NULL, title TEXT NOT NULL,
    pos TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS titles_first ON titles (cid, title, pos);
CREATE INDEX IF NOT EXISTS titles_by_chunk ON titles (chunk);
CREATE TABLE IF NOT EXISTS speakers (chunk TEXT NOT NULL, cid TEXT NOT NULL, n INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS speakers_by_chunk ON speakers (chunk);
CREATE TABLE IF NOT EXISTS refs (chunk TEXT NOT NULL, cid TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS votes (chunk TEXT NOT NULL, cid TEXT NOT NULL, vote TEXT NOT NULL,
    n INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS votes_by_chunk ON votes (chunk);
CREATE INDEX IF NOT EXISTS refs_by_cid ON refs (cid);
CREATE INDEX IF NOT EXISTS refs_by_chunk ON refs (chunk);
CREATE TABLE IF NOT EXISTS tally_names (cid TEXT, name TEXT, n INTEGER NOT NULL,
    PRIMARY KEY (cid, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tally_aliases (cid TEXT, alias TEXT, n INTEGER NOT NULL,
    PRIMARY KEY (cid, alias)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tally_titles (cid TEXT, title TEXT, n INTEGER NOT NULL,
    PRIMARY KEY (cid, title)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tally_ids (cid TEXT PRIMARY KEY, mentions INTEGER NOT NULL,
    docs INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tally_quotes (cid TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tally_votes (cid TEXT, vote TEXT, n INTEGER NOT NULL,
    PRIMARY KEY (cid, vote)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dirty (cid TEXT PRIMARY KEY);
"""

TABLES = ("mentions", "titles", "speakers", "refs", "votes")
_WIDTH = {"mentions": 6, "titles": 4, "speakers": 3, "refs": 2, "votes": 4}


def _rows_now(conn: sqlite3.Connection, table: str) -> dict[tuple, list[int]]:
    """The rows the chunks in ``temp.rechunk`` hold now: each row -> its rowids."""
    held: dict[tuple, list[int]] = defaultdict(list)
    for rowid, *row in conn.execute(
        f"SELECT rowid, * FROM {table} WHERE chunk IN (SELECT chunk FROM temp.rechunk)"
    ):
        held[tuple(row)].append(rowid)
    return held


def _diff(held: dict[tuple, list[int]], rows: list) -> tuple[list[int], list[tuple]]:
    """(rowids to delete, rows to insert) that turn the held rows into ``rows``, as multisets."""
    added = []
    for row in map(tuple, rows):
        ids = held.get(row)
        if ids:
            ids.pop()
        else:
            added.append(row)
    return [i for ids in held.values() for i in ids], added


def _tallies(changes: dict[str, tuple[list[tuple], list[tuple]]]) -> dict[str, Counter]:
    """Each tally's change from the rows removed and added: (key, ...) -> difference."""
    out = {name: Counter() for name in ("tally_names", "tally_aliases", "tally_titles", "tally_quotes",
                                        "tally_votes", "mentions")}
    for sign, i in ((-1, 0), (1, 1)):
        for _, cid, name, alias, _, _ in changes["mentions"][i]:
            out["tally_names"][cid, name] += sign
            out["tally_aliases"][cid, alias] += sign
            out["mentions"][cid] += sign
        for _, cid, title, _ in changes["titles"][i]:
            out["tally_titles"][cid, title] += sign
        for _, cid, n in changes["speakers"][i]:
            out["tally_quotes"][cid,] += sign * n
        for _, cid, vote, n in changes["votes"][i]:
            out["tally_votes"][cid, vote] += sign * n
    return out


def _doc_counts(rows: Iterable[tuple]) -> Counter:
    """Documents per id among mention rows (documents never span chunks: these add up)."""
    return Counter(cid for cid, _ in {(row[1], row[4]) for row in rows})


def _apply_tallies(conn: sqlite3.Connection, tallies: dict[str, Counter], docs: Counter) -> None:
    """Add each non-zero change to its tally; drop the tallies that reach zero."""
    for table, keys in _TALLY_KEYS.items():
        change = [(*key, n) for key, n in tallies[table].items() if n]
        marks = ", ".join("?" * (len(keys) + 1))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks}) ON CONFLICT ({', '.join(keys)}) "
                         "DO UPDATE SET n = n + excluded.n", change)
        match = " AND ".join(f"{k} = ?" for k in keys)
        conn.executemany(f"DELETE FROM {table} WHERE {match} AND n = 0", [row[:-1] for row in change])
    ids = [(cid, tallies["mentions"][cid], docs[cid]) for cid in {*tallies["mentions"], *docs}
           if tallies["mentions"][cid] or docs[cid]]
    conn.executemany(
        "INSERT INTO tally_ids VALUES (?, ?, ?) ON CONFLICT (cid) DO UPDATE SET "
        "mentions = mentions + excluded.mentions, docs = docs + excluded.docs", ids)
    conn.executemany("DELETE FROM tally_ids WHERE cid = ? AND mentions = 0", [(cid,) for cid, _, _ in ids])


_TALLY_KEYS = {"tally_names": ("cid", "name"), "tally_aliases": ("cid", "alias"),
               "tally_titles": ("cid", "title"), "tally_quotes": ("cid",), "tally_votes": ("cid", "vote")}


def reindex(conn: sqlite3.Connection, index: dict[str, Any]) -> None:
    """Replace the index rows of ``index["chunks"]`` with the given rows (see the module doc)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS rechunk (chunk TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.rechunk")
    new = {row[0] for table in TABLES for row in index.get(table, [])}
    chunks = [(c,) for c in {*index["chunks"], *new}]
    conn.executemany("INSERT OR IGNORE INTO temp.rechunk VALUES (?)", chunks)
    changes: dict[str, tuple[list[tuple], list[tuple]]] = {}
    docs = Counter()
    for table in TABLES:
        held = _rows_now(conn, table)
        if table == "mentions":
            docs.subtract(_doc_counts(held))
            docs.update(_doc_counts(map(tuple, index.get(table, []))))
        gone, added = _diff(held, index.get(table, []))
        removed = [row for row, ids in held.items() for _ in ids]  # what _diff left unmatched
        conn.executemany(f"DELETE FROM {table} WHERE rowid = ?", [(i,) for i in gone])
        conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * _WIDTH[table])})", added)
        changes[table] = (removed, added)
    _apply_tallies(conn, _tallies(changes), docs)
    touched = {row[1] for table in ("mentions", "titles", "speakers", "votes") for rows in changes[table]
               for row in rows}
    conn.executemany("INSERT OR IGNORE INTO dirty VALUES (?)", [(cid,) for cid in touched])
