"""``newsmine eval``: score a run's tables against the user's own gold annotations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from newsmine.cli.app import DEFAULT_OUT, _fail, app, err


@app.command("eval")
def evaluate_command(
    gold: Annotated[Path, typer.Option("--gold", "-g", help="Gold annotations, one article a JSONL line.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Where the run's tables are.")] = DEFAULT_OUT,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object (metrics and misses).")
    ] = False,
    misses: Annotated[
        bool, typer.Option("--misses/--no-misses", help="List every missed, wrong or invented item.")
    ] = True,
    speech_only: Annotated[
        bool,
        typer.Option("--speech-only", help="Drop quotes whose cue_type is thought, intention or evidence."),
    ] = False,
) -> None:
    """Precision, recall and F1 per item type against a gold file, and the misses."""
    from newsmine.evaluate import GoldFormatError, evaluate
    from newsmine.evaluate.report import render_misses, render_summary

    if not gold.is_file():
        raise _fail(f"{gold}: no such gold file")
    if speech_only and (out_dir / "quotes").is_dir():
        from newsmine.tables.frames import read_frame

        if "cue_type" not in read_frame(out_dir, "quotes").columns:
            err.print("newsmine eval: the quotes have no cue_type column; --speech-only keeps them all",
                      markup=False, highlight=False)
    try:
        report = evaluate(gold, out_dir, only_speech=speech_only)
    except GoldFormatError as exc:
        for problem in exc.problems:
            err.print(problem, markup=False, highlight=False)
        raise _fail(f"{gold}: {len(exc.problems)} bad line(s); nothing scored") from None
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        data = report.to_json()
        if not misses:
            data.pop("misses")
        json.dump(data, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    lines = (render_misses(report) + [""] if misses and report.misses else []) + render_summary(report)
    sys.stdout.write("\n".join(lines) + "\n")
