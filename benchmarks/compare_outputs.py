"""Compare two newsmine output folders table by table, row by row.

Why: a refactor must leave every table byte-for-byte the same. Rows are read per
partition in stored order (the runner sorts them), so a difference in order is a
difference. Only ``processed_at`` and ``pipeline_version`` are ignored: they change
with every run and every code change by design.

    python benchmarks/compare_outputs.py /tmp/before /tmp/after

Prints one line per table (rows, and the differing columns with a first example)
and exits 1 when anything differs.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("left", type=Path)
    parser.add_argument("right", type=Path)
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
