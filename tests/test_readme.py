"""The README's data dictionary lists exactly the columns of every table schema."""

from __future__ import annotations

import re

from newsmine.tables.schemas import SCHEMAS
from tests.conftest import REPO


def dictionary() -> dict[str, list[str]]:
    """Table name -> the columns its data-dictionary section lists, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Data dictionary", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, list[str]] = {}
    for block in re.split(r"\n### ", section)[1:]:
        name = block.split(" ", 1)[0]
        columns = []
        for line in block.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if line.startswith("|") and cells[0] not in ("column", "") and not set(cells[0]) <= {"-"}:
                columns += [c.strip() for c in cells[0].split(",")]
        tables[name] = columns
    return tables


def test_data_dictionary_lists_exactly_the_schema_columns() -> None:
    documented = dictionary()
    assert set(documented) == set(SCHEMAS)
    for name, schema in SCHEMAS.items():
        assert documented[name], name
        assert len(documented[name]) == len(set(documented[name])), name
        assert set(documented[name]) == set(schema.names), name
