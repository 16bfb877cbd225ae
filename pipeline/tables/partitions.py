"""A drop's rewritten chunks: old rows minus the redone ones, plus new, split by chunk.

Pure Arrow functions, so the runner only calls them and the result does not depend on
the engine: rows are sorted by the table's ``SORT_KEYS`` before they are written, so a
chunk's part holds the same rows in the same order whatever history produced it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import pyarrow as pa
import pyarrow.compute as pc

from newsmine.tables.schemas import SORT_KEYS, to_table


def file_of(source_path: str) -> str:
    """The raw file a documents row came from (``.jsonl`` lines add ``#<line>``)."""
    return source_path.split("#", 1)[0]


def without_docs(table: pa.Table, doc_ids: Iterable[str]) -> pa.Table:
    """``table`` minus the rows of ``doc_ids``."""
    stale = pa.array(sorted(set(doc_ids)), pa.string())
    if table.num_rows == 0 or len(stale) == 0:
        return table
    return table.filter(pc.invert(pc.is_in(table.column("doc_id"), value_set=stale)))


def combined(name: str, old: list[pa.Table], new: list[pa.Table]) -> pa.Table:
    """Kept and new rows of one table as one table of its schema."""
    pieces = [t for t in (*old, *new) if t.num_rows]
    if not pieces:
        return to_table(name, [])
    schema = pieces[-1].schema
    return pa.concat_tables([t.select(schema.names).cast(schema) for t in pieces])


def doc_files(documents: pa.Table) -> dict[str, str]:
    """doc_id -> the raw file it came from, for every documents row."""
    ids = documents.column("doc_id").to_pylist()
    paths = documents.column("source_path").to_pylist()
    return {doc: file_of(path) for doc, path in zip(ids, paths, strict=True)}


def split_by_chunk(
    name: str, rows: pa.Table, file_chunk: Mapping[str, str], doc_file: Mapping[str, str]
) -> dict[str, pa.Table]:
    """Rows of table ``name`` per chunk (by the file each row came from), each sorted.

    Every chunk in ``file_chunk`` gets a table, empty if none of its files has a row.
    """
    if name == "documents":
        files = [file_of(p) for p in rows.column("source_path").to_pylist()]
    else:
        files = [doc_file[d] for d in rows.column("doc_id").to_pylist()]
    chunks = sorted(set(file_chunk.values()))
    number = {chunk: i for i, chunk in enumerate(chunks)}
    keys = [number[file_chunk[f]] for f in files]
    ordered = rows.append_column("__chunk", pa.array(keys, pa.int64()))
    ordered = ordered.sort_by([("__chunk", "ascending"), *SORT_KEYS[name]])
    counts = Counter(keys)
    out, start = {}, 0
    for chunk in chunks:
        n = counts.get(number[chunk], 0)
        out[chunk] = ordered.slice(start, n).drop_columns(["__chunk"])
        start += n
    return out
