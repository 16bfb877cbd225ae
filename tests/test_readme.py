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


def test_the_plotting_example_runs_on_a_run_and_draws_a_picture(sample_run, tmp_path, monkeypatch) -> None:
    """The README's notebook example, as written, on the sample run (matplotlib's Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### In a notebook", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    code = next(block for block in blocks if "savefig" in block)
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    exec(compile(code.replace('"data/out"', repr(str(sample_run))), "README.md", "exec"), {})
    picture = tmp_path / "docs" / "notebook.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 10_000
