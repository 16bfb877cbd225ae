"""Stored tables as pandas DataFrames with the dtypes their schemas promise.

``pd.read_parquet`` on a table folder gives float64 for an integer column with a null,
a categorical for ``drop`` and numpy arrays for lists. Here every column's dtype comes
from its Arrow type in ``tables.schemas``: integers are pandas' nullable ``Int64``,
strings the ``string`` dtype, timestamps ``datetime64[us, UTC]``, lists plain Python
lists and ``drop`` a string like any other, so a column added to a schema reads right
with no change here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from newsmine.people.relink import current
from newsmine.store.parquet import Store, conform
from newsmine.tables.schemas import PARTITIONED, SCHEMAS


def _types_mapper(arrow_type: pa.DataType) -> object | None:
    """The pandas dtype of an Arrow type (None: pyarrow's default, e.g. float64, timestamps)."""
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.StringDtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    return None


def to_frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as a DataFrame with nullable dtypes and list cells as Python lists."""
    frame = table.to_pandas(types_mapper=_types_mapper)
    for field in table.schema:
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            frame[field.name] = pd.Series(table.column(field.name).to_pylist(), dtype=object)
    return frame


def rows_by_doc(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Each document's rows as plain dicts (missing cells None), in the frame's order."""
    plain = frame.astype(object).where(frame.notna(), None)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in plain.to_dict("records"):
        grouped[row["doc_id"]].append(row)
    return dict(grouped)


def has_table(out_dir: Path, name: str) -> bool:
    """Whether a run has written the table under ``out_dir``."""
    return (Path(out_dir) / name).is_dir()


def read_frame(out_dir: Path, name: str, drops: Iterable[str] | None = None) -> pd.DataFrame:
    """One stored table (optionally only some drops) in document order, its person ids
    linked as of the last run (``people.relink.current``); a table no run has written is
    an error that says what to do."""
    if name not in SCHEMAS:
        raise KeyError(f"unknown table {name!r} (tables: {', '.join(SCHEMAS)})")
    if not has_table(out_dir, name):
        raise FileNotFoundError(f"{Path(out_dir) / name}: no {name} table yet (run `newsmine run` first)")
    store = Store(Path(out_dir), readonly=True)
    try:
        if name in PARTITIONED and drops is not None:
            wanted = set(drops)
            parts = [store.read(name, drop) for drop in store.drops() if drop in wanted]
            table = pa.concat_tables(parts) if parts else conform(name, pa.table({}))
        else:
            table = store.read(name)
        table = current(store, name, table)
    finally:
        store.close()
    return to_frame(table)


def read_tables(
    out_dir: str | Path, tables: Iterable[str] | None = None, drops: Iterable[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Every table a run wrote under ``out_dir`` (or the named ones) as DataFrames.

    ``drops`` keeps only those drops' rows of the partitioned tables; ``people`` is
    always whole. Tables no run has written yet are left out unless named.
    """
    names = list(tables) if tables is not None else [n for n in SCHEMAS if has_table(Path(out_dir), n)]
    drop_list = list(drops) if drops is not None else None
    return {name: read_frame(Path(out_dir), name, drop_list) for name in names}
