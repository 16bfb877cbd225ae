"""``newsmine show``: rows of a stored table on the terminal, or exported as CSV/JSON/JSONL."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from newsmine.cli.app import DEFAULT_OUT, _fail, app, err, out


class ShowTable(StrEnum):
    documents = "documents"
    quotes = "quotes"
    claims = "claims"
    entities = "entities"
    people = "people"


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def _describe(table: str, doc: str | None, speaker: str | None) -> str:
    filters = [f"--doc {doc}" if doc else "", f"--speaker {speaker}" if speaker else ""]
    wanted = " ".join(f for f in filters if f)
    return f"no {table} rows" + (f" match {wanted}" if wanted else " stored yet")


@app.command()
def show(
    table: Annotated[ShowTable, typer.Argument(help="Which table.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Where the tables are.")] = DEFAULT_OUT,
    doc: Annotated[
        str | None,
        typer.Option("--doc", help="Only this article: a doc_id prefix, stored source_path or file name."),
    ] = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", "-s", help="Quotes/claims by this person (part of the name).")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=1, help="Rows (default: 20 in a table, every row in exports)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table, csv, json or jsonl.")] = Format.table,
) -> None:
    """Print rows of a table in document order: a terminal table, or every column as CSV/JSON/JSONL."""
    from newsmine.cli import render
    from newsmine.tables.views import WIDE, select_rows

    exporting = fmt is not Format.table
    rows = limit if limit is not None else (None if exporting else 20)
    try:
        frame = select_rows(out_dir, table.value, doc=doc, speaker=speaker, limit=rows, all_columns=exporting)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if frame.empty:
        err.print(f"newsmine show: {_describe(table.value, doc, speaker)}", markup=False, highlight=False)
    if fmt is Format.table:
        if not frame.empty and doc and "file" in frame.columns and frame["file"].nunique() == 1:
            out.print(f"{frame['file'].iloc[0]}", markup=False, highlight=False)  # one article: say it once
            frame = frame.drop(columns=["file"])
        if not frame.empty:
            render.render_terminal(frame, WIDE[table.value], out)
        return
    writer = {Format.csv: render.to_csv, Format.json: render.to_json, Format.jsonl: render.to_jsonl}[fmt]
    sys.stdout.write(writer(frame))
