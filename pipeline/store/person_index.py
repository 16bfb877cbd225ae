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

:func:`reindex` replaces a chunk's rows inside the caller's transaction: it subtracts
the tallies of the rows the database holds for the chunk now, swaps the rows, and adds
the new rows' tallies, so replaying a journal (the rows already swapped) changes
nothing. Documents never span chunks, so per-chunk document counts add up exactly.
"""

from __future__ import annotations

import sqlite3
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

# tally table -> (key columns, the sum over the rows of the chunks in temp.rechunk)
_TALLIES = {
    "tally_names": ("cid, name", "SELECT cid, name, {sign} * count(*) FROM mentions"),
    "tally_aliases": ("cid, alias", "SELECT cid, alias, {sign} * count(*) FROM mentions"),
    "tally_titles": ("cid, title", "SELECT cid, title, {sign} * count(*) FROM titles"),
    "tally_quotes": ("cid", "SELECT cid, {sign} * sum(n) FROM speakers"),
    "tally_votes": ("cid, vote", "SELECT cid, vote, {sign} * sum(n) FROM votes"),
}
TABLES = ("mentions", "titles", "speakers", "refs", "votes")
_WHERE = " WHERE chunk IN (SELECT chunk FROM temp.rechunk) GROUP BY {keys}"


def _tally(conn: sqlite3.Connection, sign: int) -> None:
    """Add (``sign`` 1) or subtract (-1) the tallies of the rows the chunks hold now."""
    for table, (keys, select) in _TALLIES.items():
        conn.execute(
            f"INSERT INTO {table} {select.format(sign=sign)}{_WHERE.format(keys=keys)} "
            f"ON CONFLICT ({keys}) DO UPDATE SET n = n + excluded.n"
        )
    conn.execute(
        f"INSERT INTO tally_ids SELECT cid, {sign} * count(*), {sign} * count(DISTINCT doc_id) "
        f"FROM mentions{_WHERE.format(keys='cid')} "
        "ON CONFLICT (cid) DO UPDATE SET mentions = mentions + excluded.mentions, docs = docs + excluded.docs"
    )


def _touched_ids(conn: sqlite3.Connection) -> None:
    """Every id the chunks' rows name now, into ``dirty`` (the people step's to-do list)."""
    for table in ("mentions", "speakers", "votes"):
        conn.execute(f"INSERT OR IGNORE INTO dirty SELECT cid FROM {table}{_WHERE.format(keys='cid')}")


def reindex(conn: sqlite3.Connection, index: dict[str, Any]) -> None:
    """Replace the index rows of ``index["chunks"]`` with the given rows (see the module doc)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS rechunk (chunk TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.rechunk")
    new = {row[0] for table in TABLES for row in index.get(table, [])}
    chunks = [(c,) for c in {*index["chunks"], *new}]
    conn.executemany("INSERT OR IGNORE INTO temp.rechunk VALUES (?)", chunks)
    _touched_ids(conn)
    _tally(conn, -1)
    for table in TABLES:
        conn.execute(f"DELETE FROM {table} WHERE chunk IN (SELECT chunk FROM temp.rechunk)")
    conn.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?)", index.get("mentions", []))
    conn.executemany("INSERT INTO titles VALUES (?, ?, ?, ?)", index.get("titles", []))
    conn.executemany("INSERT INTO speakers VALUES (?, ?, ?)", index.get("speakers", []))
    conn.executemany("INSERT INTO refs VALUES (?, ?)", index.get("refs", []))
    conn.executemany("INSERT INTO votes VALUES (?, ?, ?, ?)", index.get("votes", []))
    _tally(conn, 1)
    _touched_ids(conn)
    for table in ("tally_names", "tally_aliases", "tally_titles", "tally_quotes", "tally_votes"):
        conn.execute(f"DELETE FROM {table} WHERE n = 0 AND cid IN (SELECT cid FROM dirty)")
    conn.execute("DELETE FROM tally_ids WHERE mentions = 0 AND cid IN (SELECT cid FROM dirty)")
