"""Cross-article person linking applied to the store: the new people table and the
partitions whose person ids it rewrites.

Articles are processed alone, so one person can arrive under several ids (a spelling
variant, a surname-only article). Rewriting the stored ids keeps
``entities.canonical_id``, ``quotes.speaker_id`` and ``people.canonical_id``
joinable; once rewritten, rows map to themselves, so later runs touch nothing.
"""

from __future__ import annotations

import pyarrow as pa

from newsmine.people import linking
from newsmine.store.parquet import Store
from newsmine.tables.schemas import PERSON_COLUMNS


def relinked(
    table: pa.Table, id_column: str, name_column: str, mapping: dict[str, str], names: dict[str, str]
) -> pa.Table | None:
    """``table`` with linked ids (and their people names) rewritten, or None if none links."""
    ids = table.column(id_column).to_pylist()
    if not any(i in mapping for i in ids):
        return None
    old_names = table.column(name_column).to_pylist()
    new_ids = [mapping.get(i, i) for i in ids]
    new_names = [names.get(mapping[i], n) if i in mapping else n for i, n in zip(ids, old_names, strict=True)]
    table = table.set_column(
        table.schema.get_field_index(id_column), id_column, pa.array(new_ids, pa.string())
    )
    return table.set_column(
        table.schema.get_field_index(name_column), name_column, pa.array(new_names, pa.string())
    )


def link_people(store: Store) -> tuple[dict[tuple[str, str], pa.Table], pa.Table]:
    """The people table of every stored drop, and the ``(table, drop)`` partitions to rewrite."""
    entities = store.read("entities").to_pandas()
    mapping = linking.link_canonical_ids(entities)
    people = linking.build_people(entities, store.read("quotes").to_pandas(), mapping=mapping)
    partitions: dict[tuple[str, str], pa.Table] = {}
    if not mapping:
        return partitions, people
    names = dict(
        zip(
            people.column("canonical_id").to_pylist(),
            people.column("canonical_name").to_pylist(),
            strict=True,
        )
    )
    for drop in store.drops():
        for table, (id_column, name_column) in PERSON_COLUMNS.items():
            rewritten = relinked(store.read(table, drop), id_column, name_column, mapping, names)
            if rewritten is not None:
                partitions[(table, drop)] = rewritten
    return partitions, people
