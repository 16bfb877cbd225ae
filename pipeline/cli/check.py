"""``newsmine check``: verify the stored tables against the manifest; ``--repair`` rebuilds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsmine.cli.app import DEFAULT_OUT, DEFAULT_RAW, _fail, app, log, run_reporting


@app.command()
def check(
    raw_dir: Annotated[Path, typer.Argument(help="Folder of drops (needed by --repair).")] = DEFAULT_RAW,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Where the tables are.")] = DEFAULT_OUT,
    repair: Annotated[
        bool, typer.Option("--repair", help="Rebuild every damaged part from the raw folder.")
    ] = False,
) -> None:
    """Check every stored part's size and sha256; exit 1 if anything is damaged.

    With --repair, run as `newsmine run` does, but verify every checksum first: a damaged
    part is rebuilt by reprocessing its files, an unreadable manifest is moved aside and
    the tables rebuilt from the raw folder.
    """
    from newsmine.nlp.config import ModelNotFound
    from newsmine.run.machine import explain
    from newsmine.run.repair import check_store
    from newsmine.run.runner import RunOptions

    if repair:
        if not raw_dir.is_dir():
            raise _fail(f"{raw_dir}: not a folder of article drops (--repair rebuilds from it)")
        summary = run_reporting(RunOptions(raw_dir=raw_dir, out_dir=out_dir, repair=True), ModelNotFound)
        for line in summary.errors:
            log(f"failed: {line}")
        print(summary.line())
        raise typer.Exit(summary.exit_code)
    if not out_dir.is_dir():
        raise _fail(f"{out_dir}: no such folder of tables")
    try:
        checked, problems = check_store(out_dir)
    except Exception as exc:
        explained = explain(exc, out_dir)
        if explained is None:
            raise
        raise _fail(*explained) from None
    for line in problems:
        log(f"damaged: {line}")
    fix = f"; run `newsmine check {raw_dir} --out {out_dir} --repair`" if problems else ""
    print(f"newsmine check: {checked} parts checked, {len(problems)} problems{fix}")
    raise typer.Exit(1 if problems else 0)
