"""The manifest database (``<out>/_manifest.sqlite``): files, parts and the person index.

Why SQLite: a run must read and write what changed, not the whole manifest. One JSON
document of every file cost a store of 40,000 articles a full rewrite per commit;
here a commit updates the rows it names, and planning asks indexed questions (the
boundary before a path, the files of a chunk, the chunks naming a person).

Tables: ``files`` (one row per raw file: stat, hash, doc ids, chunk), ``parts`` (every
committed Parquet file with its size and sha256, for verification), ``meta``, the
person index (``store.person_index``: what ``newsmine.people`` links and counts, kept
per chunk, with running tallies per person id) and the people state derived from it
(``cids``, ``links``, ``people``, and ``relink``: the chunks whose stored linked ids a
later people step still rewrites, oldest first).

The database is changed only by :meth:`ManifestDB.apply`, with a delta taken from a
commit's journal (which is the commit point), inside one transaction. Every statement
of a delta sets rows to given values or deletes them, so applying a journal twice
after a crash changes nothing.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsmine.store import person_index

FORMAT = "2"
_BATCH = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    rel_path TEXT PRIMARY KEY, drop_name TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, pipeline_version TEXT NOT NULL,
    doc_ids TEXT NOT NULL, data TEXT NOT NULL, chunk TEXT NOT NULL, boundary INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS files_by_drop ON files (drop_name, rel_path);
CREATE INDEX IF NOT EXISTS files_by_chunk ON files (drop_name, chunk);
CREATE INDEX IF NOT EXISTS boundaries ON files (drop_name, rel_path) WHERE boundary = 1;
CREATE INDEX IF NOT EXISTS files_extra ON files (rel_path) WHERE data != '';
-- a listed drop's files of another version, without reading every row (run.scan_state.Records)
CREATE INDEX IF NOT EXISTS files_by_version ON files (drop_name, pipeline_version);
CREATE TABLE IF NOT EXISTS parts (
    path TEXT PRIMARY KEY, tbl TEXT NOT NULL, drop_name TEXT, chunk TEXT,
    size INTEGER NOT NULL, sha256 TEXT NOT NULL, rows INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS parts_by_chunk ON parts (drop_name, chunk);
CREATE TABLE IF NOT EXISTS cids (
    cid TEXT PRIMARY KEY, name TEXT NOT NULL, weight INTEGER NOT NULL, first_pos TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS links (cid TEXT PRIMARY KEY, target TEXT NOT NULL, name TEXT);
CREATE TABLE IF NOT EXISTS people (
    cid TEXT PRIMARY KEY, name TEXT, aliases TEXT NOT NULL, titles TEXT NOT NULL,
    n_docs INTEGER NOT NULL, n_mentions INTEGER NOT NULL, n_quotes INTEGER NOT NULL,
    kind TEXT, gender TEXT, gender_source TEXT);
CREATE TABLE IF NOT EXISTS relink (chunk TEXT PRIMARY KEY, seq INTEGER NOT NULL);
""" + person_index.SCHEMA
# columns added to ``people`` since format 2 began: a store made before gets them, and its
# people are recomputed (every id dirty) by the next people step
_PEOPLE_ADDED = ("kind", "gender", "gender_source")
FILE_COLUMNS = (
    "rel_path", "drop_name", "size", "mtime_ns", "sha256", "pipeline_version", "doc_ids", "data", "chunk",
    "boundary",
)
_RECORD_CORE = ("rel_path", "drop", "size", "mtime_ns", "sha256", "pipeline_version")
PART_COLUMNS = ("path", "tbl", "drop_name", "chunk", "size", "sha256", "rows")
FileRow = namedtuple("FileRow", FILE_COLUMNS)  # one ``files`` row as read
# delta key -> (table, number of columns) of rows put, and (table, key column) of rows deleted
_PUTS = {
    "files_put": ("files", len(FILE_COLUMNS)), "parts_put": ("parts", len(PART_COLUMNS)),
    "cids_put": ("cids", 4), "links_put": ("links", 3), "people_put": ("people", 10),
    "relink_put": ("relink", 2),
}
_DELS = {
    "files_del": ("files", "rel_path"), "parts_del": ("parts", "path"), "cids_del": ("cids", "cid"),
    "links_del": ("links", "cid"), "people_del": ("people", "cid"), "dirty_done": ("dirty", "cid"),
    "relink_done": ("relink", "chunk"),
}


class ManifestError(RuntimeError):
    """The manifest exists but cannot be read (damaged, hand-edited or a foreign file)."""


@dataclass(frozen=True)
class PartRecord:
    """One committed Parquet file: what verification compares the file on disk with."""

    path: str
    table: str
    drop: str | None
    chunk: str | None
    size: int
    sha256: str
    rows: int


def _damaged(path: Path, exc: Exception) -> ManifestError:
    return ManifestError(f"{path}: unreadable manifest ({type(exc).__name__}: {exc})")


class ManifestDB:
    """One connection to an output folder's manifest database."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.conn: sqlite3.Connection | None = None
        try:
            if readonly:
                self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None)
                self.conn.execute("PRAGMA synchronous = FULL")
                self.conn.execute("PRAGMA temp_store = MEMORY")
                # a commit swaps a chunk's index rows: random steps in indexes of ~300 MB at
                # 40,000 articles, which SQLite's default 2 MiB cache read again and again
                # (one chunk's reindex: 0.23 -> 0.16 s at 40,000, 0.13 -> 0.09 s at 10,000)
                self.conn.execute("PRAGMA cache_size = -65536")
                self._create()
            self._check_format()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise _damaged(self.path, exc) from exc

    def _create(self) -> None:
        assert self.conn is not None
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            self._add_people_columns()
            self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (FORMAT,))
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _add_people_columns(self) -> None:
        """Bring an older ``people`` table up to the current columns (inside ``_create``)."""
        assert self.conn is not None
        have = {row[1] for row in self.conn.execute("PRAGMA table_info(people)")}
        missing = [c for c in _PEOPLE_ADDED if c not in have]
        for column in missing:
            self.conn.execute(f"ALTER TABLE people ADD COLUMN {column} TEXT")
        if missing:
            self.conn.execute("INSERT OR IGNORE INTO dirty SELECT cid FROM cids")

    def _check_format(self) -> None:
        found = self.meta("format")
        if found is not None and found != FORMAT:
            raise sqlite3.DatabaseError(f"unknown manifest format {found!r}")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    # ------------------------------------------------------------------ reads
    def query(self, sql: str, args: Iterable[Any] = ()) -> list[tuple]:
        """Rows of a read; a damaged database raises :class:`ManifestError`."""
        assert self.conn is not None, "closed"
        try:
            return self.conn.execute(sql, tuple(args)).fetchall()
        except sqlite3.OperationalError as exc:
            if self.readonly and "no such table" in str(exc):  # a read-only store's empty file
                return []
            raise _damaged(self.path, exc) from exc
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, exc) from exc

    def query_in(self, sql: str, values: Iterable[Any]) -> list[tuple]:
        """Rows of ``sql`` with its ``{marks}`` filled by ``values``, asked 500 at a time
        (SQLite bounds the variables of one statement)."""
        ordered, rows = sorted(values), []
        for i in range(0, len(ordered), _BATCH):
            batch = ordered[i : i + _BATCH]
            rows += self.query(sql.format(marks=", ".join("?" * len(batch))), batch)
        return rows

    def stored_paths(self, paths: Iterable[str]) -> set[str]:
        """Which of ``paths`` (relative to the raw folder) have a ``files`` row."""
        rows = self.query_in("SELECT rel_path FROM files WHERE rel_path IN ({marks})", paths)
        return {path for (path,) in rows}

    def people_dirty(self) -> bool:
        """Whether committed rows changed persons that ``people`` does not reflect yet."""
        return bool(self.query("SELECT 1 FROM dirty LIMIT 1"))

    def relink_waiting(self) -> bool:
        """Whether some chunks' linked ids wait to be rewritten (``relink``; a store made
        before that table, opened read-only, has none)."""
        return bool(self.query("SELECT name FROM sqlite_master WHERE name = 'relink'")) and bool(
            self.query("SELECT 1 FROM relink LIMIT 1"))

    def meta(self, key: str, default: str | None = None) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def file_rows(self, where: str = "", args: Iterable[Any] = (), many: bool = False) -> list[FileRow]:
        """``files`` rows; ``many``: ``where`` has ``IN ({marks})`` for the ``args`` (any number)."""
        sql = f"SELECT {', '.join(FILE_COLUMNS)} FROM files {where}"
        rows = self.query_in(sql, args) if many else self.query(sql, args)
        return [FileRow(*row) for row in rows]

    def drop_names(self) -> list[str]:
        """Every drop the ``files`` table names, sorted: one index step per drop, not per file."""
        found: list[str] = []
        while True:
            where, args = ("", []) if not found else (" WHERE drop_name > ?", [found[-1]])
            name = self.query(f"SELECT min(drop_name) FROM files{where}", args)[0][0]
            if name is None:
                return found
            found.append(name)

    def prev_boundary(self, drop: str, path: str) -> str | None:
        """The last boundary path of ``drop`` before ``path``."""
        sql = "SELECT max(rel_path) FROM files WHERE drop_name = ? AND boundary = 1 AND rel_path < ?"
        return self.query(sql, (drop, path))[0][0]

    def next_boundary(self, drop: str, path: str, inclusive: bool) -> str | None:
        """The first boundary path of ``drop`` at (``inclusive``) or after ``path``."""
        op = ">=" if inclusive else ">"
        sql = f"SELECT min(rel_path) FROM files WHERE drop_name = ? AND boundary = 1 AND rel_path {op} ?"
        return self.query(sql, (drop, path))[0][0]

    def files_between(self, drop: str, low: str | None, high: str | None) -> list[FileRow]:
        """File rows of ``drop`` with ``low < rel_path <= high`` (None: unbounded)."""
        where, args = "WHERE drop_name = ?", [drop]
        if low is not None:
            where, args = where + " AND rel_path > ?", [*args, low]
        if high is not None:
            where, args = where + " AND rel_path <= ?", [*args, high]
        return self.file_rows(where + " ORDER BY rel_path", args)

    def parts(self, where: str = "", args: Iterable[Any] = ()) -> list[PartRecord]:
        rows = self.query(f"SELECT {', '.join(PART_COLUMNS)} FROM parts {where} ORDER BY path", args)
        return [PartRecord(*row) for row in rows]

    def in_turn(self, table: str, columns: Iterable[str], cursor: str, limit: int) -> list[tuple]:
        """Up to ``limit`` rows after ``cursor`` in the order of the first column, wrapping
        around to the start up to ``cursor``: checks that go through a table a few rows a run."""
        columns = list(columns)
        sql = f"SELECT {', '.join(columns)} FROM {table} WHERE {columns[0]} > ? ORDER BY {columns[0]} LIMIT ?"
        rows = self.query(sql, (cursor, limit))
        if len(rows) < limit:
            rows += [row for row in self.query(sql, ("", limit - len(rows))) if row[0] <= cursor]
        return rows

    def temp_groups(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Fill the connection's temporary table ``grp`` (cid -> target) for joins."""
        self._temp("grp (cid TEXT PRIMARY KEY, target TEXT NOT NULL)", pairs)

    def _temp(self, table: str, rows: Iterable[tuple]) -> None:
        assert self.conn is not None, "closed"
        conn, name = self.conn, table.split(" ", 1)[0]
        width = table.count(",") + 1
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}")
        conn.execute("BEGIN")
        try:
            conn.execute(f"DELETE FROM temp.{name}")
            conn.executemany(f"INSERT INTO temp.{name} VALUES ({', '.join('?' * width)})", rows)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------ writes
    def apply(self, delta: dict[str, Any]) -> None:
        """Carry out one commit's delta in one transaction (idempotent; see the module doc)."""
        if self.readonly or self.conn is None:
            raise RuntimeError(f"{self.path} is not open for writing")
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for key, (table, column) in _DELS.items():
                rows = [(k,) for k in delta.get(key, [])]
                conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", rows)
            for key, (table, width) in _PUTS.items():
                marks = ", ".join("?" * width)
                conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", delta.get(key, []))
            meta = sorted(delta.get("meta", {}).items())
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta)
            if "index" in delta:
                person_index.reindex(conn, delta["index"])
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def file_row(record: Any, chunk: str, boundary: bool) -> list[Any]:
    """A ``files`` row of a :class:`newsmine.store.manifest.FileRecord`: the fields planning
    reads as columns (doc ids comma-joined: they are hex), every other field that differs
    from its default as JSON in ``data`` (empty when none does), so a field added to the
    record is kept without a new column and loading 40,000 records parses little JSON."""
    extra = {
        f.name: getattr(record, f.name) for f in dataclasses.fields(record)
        if f.name not in _RECORD_CORE and f.name != "doc_ids" and getattr(record, f.name) != _default(f)
    }
    core = [getattr(record, name) for name in _RECORD_CORE]
    data = json.dumps(extra, sort_keys=True) if extra else ""
    return [*core, ",".join(record.doc_ids), data, chunk, int(boundary)]


def _default(field: dataclasses.Field) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    return field.default_factory() if field.default_factory is not dataclasses.MISSING else None


def record_fields(row: FileRow) -> dict[str, Any]:
    """The :class:`newsmine.store.manifest.FileRecord` fields of a ``files`` row."""
    fields = dict(zip(_RECORD_CORE, row[:6], strict=True))
    fields["doc_ids"] = row.doc_ids.split(",") if row.doc_ids else []
    if row.data:
        fields.update(json.loads(row.data))
    return fields
