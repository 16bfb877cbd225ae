"""The table schemas are the contract with analysts: explicit, strict, versioned."""

import pyarrow as pa
import pytest

from newsmine.tables.schemas import SCHEMA_VERSION, SCHEMAS, to_table


def test_rows_become_typed_columns_and_missing_keys_become_null():
    table = to_table("quotes", [{"doc_id": "d1", "text": "We will win.", "start_char": 4, "end_char": 16}])
    assert table.schema.field("start_char").type == pa.int64()
    row = table.to_pylist()[0]
    assert row["text"] == "We will win."
    assert row["speaker"] is None


def test_unknown_column_is_an_error_not_a_silent_drop():
    with pytest.raises(KeyError, match="speakr"):
        to_table("quotes", [{"doc_id": "d1", "speakr": "Jones"}])


def test_schema_version_is_in_the_metadata():
    table = to_table("claims", [])
    assert table.schema.metadata[b"newsmine.schema_version"] == SCHEMA_VERSION.encode()


def test_every_table_has_offsets_or_is_the_people_rollup():
    for name, schema in SCHEMAS.items():
        if name in ("people", "documents"):
            continue
        assert {"start_char", "end_char", "raw_start", "raw_end", "doc_id"} <= set(schema.names), name
