"""``newsmine review``: one HTML page to check the extractions in context, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsmine.cli.app import DEFAULT_OUT, _fail, app


@app.command()
def review(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Where the run's tables are.")] = DEFAULT_OUT,
    doc: Annotated[
        list[str] | None,
        typer.Option("--doc", help="This article: doc_id prefix, source_path or file name (repeatable)."),
    ] = None,
    drop: Annotated[
        list[str] | None, typer.Option("--drop", "-d", help="Only this drop (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many articles.")] = 100,
    to: Annotated[Path, typer.Option("--to", "-t", help="The HTML file to write.")] = Path("review.html"),
) -> None:
    """Write an HTML page (one file, opens offline) of articles with their quotes, claims and entities."""
    from newsmine.review import write_review

    try:
        written = write_review(out_dir, to, docs=doc or None, drops=drop or None, limit=limit)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    if written.shown == 0:
        raise _fail("no stored article matches --doc/--drop")
    more = f" of {written.selected} (--limit {limit})" if written.selected > written.shown else ""
    print(f"newsmine review: {written.shown} article(s){more} -> {written.path}")
