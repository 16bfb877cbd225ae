"""Rows as text: a terminal table that stays readable at 80 columns, CSV, JSON, JSONL.

Empty cells are empty (never ``nan``/``<NA>``), whole numbers print without ``.0``, lists
are joined with ``; `` for people and spreadsheets and kept as arrays in JSON. The table
lets one long column wrap and cuts the short ones; when the terminal is too narrow for
that column to get a readable width, each row is printed as a block of ``column value``
lines instead (psql's expanded display).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pandas as pd
from rich import box
from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

NARROW_MAX = 24  # widest a cut column gets
WIDE_MIN = 30  # the wrapped column's width below which rows become blocks


def plain(value: Any) -> Any:
    """A cell as JSON data: None for missing, lists as lists, timestamps as ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "item"):  # a numpy scalar
        return plain(value.item())
    return value


def cell(value: Any) -> str:
    """A cell as text: empty for missing, lists joined with ``; ``."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        if any(isinstance(v, list | dict) for v in value):
            return json.dumps(value, ensure_ascii=False)  # offsets pairs and the like keep their shape
        return "; ".join(cell(v) for v in value)
    return str(value)


def records(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """The rows as JSON-ready dicts."""
    for row in frame.astype(object).to_dict("records"):
        yield {key: plain(value) for key, value in row.items()}


def to_csv(frame: pd.DataFrame) -> str:
    """CSV with a header; empty cells empty, lists joined with ``; ``."""
    buffer = io.StringIO()
    frame.astype(object).map(cell).to_csv(buffer, index=False)
    return buffer.getvalue()


def to_json(frame: pd.DataFrame) -> str:
    """A JSON array of row objects."""
    return json.dumps(list(records(frame)), ensure_ascii=False, indent=1) + "\n"


def to_jsonl(frame: pd.DataFrame) -> str:
    """One JSON object a line."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in records(frame))


def _narrow_widths(frame: pd.DataFrame, wide: str | None) -> dict[str, int]:
    widths = {}
    for column in frame.columns:
        if column == wide:
            continue
        longest = max([len(str(column)), *(len(cell(v)) for v in frame[column])])
        widths[column] = min(longest, NARROW_MAX)
    return widths


def _table(frame: pd.DataFrame, wide: str | None, widths: dict[str, int]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    for column in frame.columns:
        if column == wide:
            table.add_column(str(column), ratio=1, min_width=WIDE_MIN, overflow="fold")
        else:
            table.add_column(str(column), no_wrap=True, overflow="ellipsis", max_width=widths[column])
    for row in frame.itertuples(index=False):
        table.add_row(*[Text(cell(v)) for v in row])
    return table


def _blocks(frame: pd.DataFrame) -> Group:
    parts: list[RenderableType] = []
    for number, row in enumerate(frame.itertuples(index=False), start=1):
        parts.append(Rule(f"{number}", align="left", style="dim"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(overflow="fold")
        for column, value in zip(frame.columns, row, strict=True):
            text = cell(value)
            if text:
                grid.add_row(str(column), Text(text))
        parts.append(grid)
    return Group(*parts)


def terminal_view(frame: pd.DataFrame, wide: str | None, width: int) -> RenderableType:
    """A table when the long column gets ``WIDE_MIN`` characters at ``width``, else blocks.

    Columns empty in every row shown are left out (a table of ok documents has no errors).
    """
    filled = [c for c in frame.columns if any(cell(v) for v in frame[c])]
    frame = frame[filled or list(frame.columns)]
    widths = _narrow_widths(frame, wide)
    gaps = 3 * (len(frame.columns) - 1)  # a separator and a space either side between columns
    needed = sum(widths.values()) + gaps + (WIDE_MIN if wide in frame.columns else 0)
    if needed <= width:
        return _table(frame, wide if wide in frame.columns else None, widths)
    return _blocks(frame)


def render_terminal(frame: pd.DataFrame, wide: str | None, console: Console) -> None:
    """Print ``frame`` on ``console`` as :func:`terminal_view` lays it out."""
    console.print(terminal_view(frame, wide, console.width))
