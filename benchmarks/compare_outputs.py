"""Compare two newsmine output folders table by table, row by row.

Why: a refactor must leave every table byte-for-byte the same. Rows are read per
partition in stored order (the runner sorts them), so a difference in order is a
difference. Only ``processed_at`` and ``pipeline_version`` are ignored: they change
with every run and every code change by design.

    python benchmarks/compare_outputs.py /tmp/before /tmp/after

Prints one line per table (rows, and the differing columns with a first example)
and exits 1 when anything differs.

``--by-content`` compares two stores of different layouts or id schemes (a store of an
older newsmine against this one): each table is read whole, every doc_id and item id is
replaced by the article's ``source_path`` (item ids keep their offsets part), rows are
compared as sorted lists, and columns present on one side only are named, not compared::

    python benchmarks/compare_outputs.py --by-content /tmp/main-out /tmp/branch-out
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

IGNORED = frozenset({"processed_at", "pipeline_version"})


def _parts(root: Path) -> dict[str, Path]:
    """Every Parquet file of a table, keyed by its path inside the table folder."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.parquet"))}


def compare_table(name: str, left: Path, right: Path) -> list[str]:
    """Differences of one table between two output folders (empty when identical)."""
    problems: list[str] = []
    a_parts, b_parts = _parts(left / name), _parts(right / name)
    for missing in sorted(set(a_parts) ^ set(b_parts)):
        side = "right" if missing in a_parts else "left"
        problems.append(f"{name}: partition {missing} missing on the {side}")
    for part in sorted(set(a_parts) & set(b_parts)):
        a, b = pq.read_table(a_parts[part]), pq.read_table(b_parts[part])
        if a.schema.remove_metadata() != b.schema.remove_metadata():
            problems.append(f"{name}/{part}: schemas differ")
            continue
        if a.schema.metadata != b.schema.metadata:
            problems.append(f"{name}/{part}: schema metadata differs")
        if a.num_rows != b.num_rows:
            problems.append(f"{name}/{part}: {a.num_rows} rows vs {b.num_rows}")
            continue
        for column in a.column_names:
            if column in IGNORED:
                continue
            problems += _compare_column(f"{name}/{part}", column, a.column(column), b.column(column))
    return problems


def _compare_column(where: str, column: str, a: pa.ChunkedArray, b: pa.ChunkedArray) -> list[str]:
    if a.equals(b):
        return []
    left, right = a.to_pylist(), b.to_pylist()
    diffs = [i for i, (x, y) in enumerate(zip(left, right, strict=True)) if x != y]
    if not diffs:  # equal values, different chunking or null representation
        return []
    i = diffs[0]
    first = f"first row {i}: {left[i]!r} vs {right[i]!r}"
    return [f"{where}: column {column}: {len(diffs)} rows differ ({first})"]


_ID_COLUMNS = ("entity_id", "quote_id", "claim_id")


def _whole(root: Path) -> pa.Table:
    """Every row of a table folder, old (hive ``drop=``) or current layout, ``drop`` a string."""
    import pyarrow.dataset as ds

    files = [str(p) for p in sorted(root.rglob("*.parquet"))]
    if not files:
        return pa.table({})
    hive = any("drop=" in f for f in files)
    dataset = ds.dataset(files, format="parquet", partitioning="hive" if hive else None,
                         partition_base_dir=str(root) if hive else None)
    table = dataset.to_table()
    if "drop" in table.column_names:
        drop = table.column("drop").cast(pa.string())
        table = table.set_column(table.schema.get_field_index("drop"), "drop", drop)
    return table


def _by_path(rows: list[dict], paths: dict[str, str]) -> list[dict]:
    """Rows with every id written in terms of the article's source_path."""
    out = []
    for row in rows:
        row = dict(row)
        doc = row.get("doc_id")
        if doc is not None:
            row["doc_id"] = paths.get(doc, doc)
        for column in _ID_COLUMNS:
            value = row.get(column)
            if isinstance(value, str) and ":" in value and doc is not None:
                row[column] = f"{paths.get(doc, doc)}:{value.split(':', 1)[1]}"
        out.append(row)
    return out


def compare_by_content(name: str, left: Path, right: Path) -> list[str]:
    """Differences of one table between two stores whatever their layout and doc ids."""
    tables = [_whole(root / name) for root in (left, right)]
    docs = [_whole(root / "documents") for root in (left, right)]
    paths = [dict(zip(d.column("doc_id").to_pylist(), d.column("source_path").to_pylist(), strict=True))
             if d.num_rows else {} for d in docs]
    columns = [set(t.column_names) for t in tables]
    shared = sorted((columns[0] & columns[1]) - IGNORED)
    sides = (("left", columns[0] - columns[1]), ("right", columns[1] - columns[0]))
    problems = [f"{name}: only on the {side}: {', '.join(sorted(only))}" for side, only in sides if only]
    rows = [_by_path(t.select(shared).to_pylist(), p) if t.num_rows else []
            for t, p in zip(tables, paths, strict=True)]
    if len(rows[0]) != len(rows[1]):
        return [*problems, f"{name}: {len(rows[0])} rows vs {len(rows[1])}"]
    key = ("doc_id", "source_path", "canonical_id", "start_char", "end_char", "entity_id", "quote_id",
           "claim_id")
    order = [c for c in key if c in shared] + [c for c in shared if c not in key]
    for side in rows:
        side.sort(key=lambda r: tuple(repr(r[c]) for c in order))
    for column in shared:
        diffs = [i for i, (a, b) in enumerate(zip(rows[0], rows[1], strict=True)) if a[column] != b[column]]
        if diffs:
            i = diffs[0]
            problems.append(f"{name}: column {column}: {len(diffs)} rows differ "
                            f"(first: {rows[0][i][column]!r} vs {rows[1][i][column]!r})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("left", type=Path)
    parser.add_argument("right", type=Path)
    parser.add_argument("--by-content", action="store_true", help="Compare across layouts and id schemes.")
    args = parser.parse_args(argv)
    if args.by_content:
        return _main_by_content(args.left, args.right)
    tables = sorted({p.name for root in (args.left, args.right) if root.is_dir()
                     for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))})
    failed = False
    for name in tables:
        problems = compare_table(name, args.left, args.right)
        rows = sum(pq.ParquetFile(p).metadata.num_rows for p in _parts(args.left / name).values())
        parts = len(_parts(args.left / name))
        if problems:
            failed = True
            print(f"{name}: DIFFERENT ({len(problems)} problems)")
            for line in problems[:20]:
                print(f"  {line}")
        else:
            print(f"{name}: identical ({rows} rows in {parts} partitions)")
    print("all tables identical" if not failed else "tables differ")
    return 1 if failed else 0


def _main_by_content(left: Path, right: Path) -> int:
    tables = sorted({p.name for root in (left, right) if root.is_dir()
                     for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))})
    failed = False
    for name in tables:
        problems = compare_by_content(name, left, right)
        failed = failed or any("only on the" not in p for p in problems)
        print(f"{name}: {'identical' if not problems else f'{len(problems)} differences'}")
        for line in problems[:20]:
            print(f"  {line}")
    print("all shared columns identical" if not failed else "tables differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
