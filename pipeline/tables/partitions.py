"""One drop's stored partition brought up to date: old rows minus the redone ones, plus new.

Pure Arrow functions, so the runner only calls them and the result does not depend on
the engine: rows are sorted by the table's ``SORT_KEYS`` before they are written.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from newsmine.tables.schemas import SORT_KEYS, to_table


def stale_ids(documents: pa.Table, paths: set[str]) -> set[str]:
    """doc_ids of stored rows that came from files being reprocessed or removed.

    A doc_id that another, untouched file also produced stays: the same bytes in two
    files are one document.
    """
    if documents.num_rows == 0 or not paths:
        return set()
    sources = [str(p).split("#", 1)[0] for p in documents.column("source_path").to_pylist()]
    ids = documents.column("doc_id").to_pylist()
    stale = {i for i, s in zip(ids, sources, strict=True) if s in paths}
    kept = {i for i, s in zip(ids, sources, strict=True) if s not in paths}
    return stale - kept


def merge_partition(name: str, old: pa.Table, batches: list[pa.Table], stale: set[str]) -> pa.Table:
    """The stored rows of table ``name`` without ``stale`` doc_ids, plus ``batches``, sorted."""
    new = pa.concat_tables(batches) if batches else to_table(name, [])
    if old.num_rows:
        old = old.select(new.schema.names).cast(new.schema)
        if stale:
            old = old.filter(pc.invert(pc.is_in(old.column("doc_id"), value_set=pa.array(sorted(stale)))))
        new = pa.concat_tables([old, new])
    return new.sort_by(SORT_KEYS[name])
