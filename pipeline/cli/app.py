"""The ``newsmine`` command: thin Typer commands over the runner and the tables.

Exit codes: 0 all good, 1 some documents failed (the rest written) or another
run holds the lock, 2 bad usage or an environment problem (a missing folder, model or
rule file, permission denied, ``--out`` not a folder, a corrupt manifest), 3 the disk
(full, read-only, I/O error), each with one line saying what to do (``run.machine`` has
the table). Results go to stdout, logs and progress to stderr; progress only on a
terminal. Log lines are written as they are, never wrapped to the terminal's width, so
a log file holds one line per message whatever ``COLUMNS`` says.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

if TYPE_CHECKING:
    from newsmine.run.runner import RunOptions, RunSummary

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help=__doc__.splitlines()[0], pretty_exceptions_enable=False
)
err = Console(stderr=True, soft_wrap=True)
out = Console()

DEFAULT_RAW = Path("data/raw")
DEFAULT_OUT = Path("data/out")


def log(line: str) -> None:
    """One log line on stderr, exactly as given (rich would wrap it at the terminal width)."""
    sys.stderr.write(" ".join(line.splitlines()) + "\n")
    sys.stderr.flush()


def _fail(message: str, code: int = 2) -> typer.Exit:
    log(f"newsmine: {message}")
    return typer.Exit(code)


def _versions(value: bool) -> None:
    """``--version``: the package version and the pipeline version a run would stamp."""
    if not value:
        return
    from newsmine import __version__
    from newsmine.nlp.config import read_config, resolve_model
    from newsmine.run.failures import ENVIRONMENT_ERRORS
    from newsmine.run.version import current_version

    try:
        pipeline = current_version(resolve_model(None, read_config()))
    except ENVIRONMENT_ERRORS as exc:
        pipeline = f"unknown ({exc})"
    print(f"newsmine {__version__}, pipeline {pipeline}")
    raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_versions, is_eager=True, help="Print the versions and exit."),
    ] = False,
) -> None:
    """newsmine: raw news articles in, Parquet tables of entities, quotes and numeric claims out."""


RawDir = Annotated[Path, typer.Argument(help="Folder of drops (first-level subfolders) of raw articles.")]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="Where the Parquet tables go.")]
Model = Annotated[str | None, typer.Option("--model", "-m", help="spaCy base model name or path.")]
Workers = Annotated[
    int | None,
    typer.Option("--workers", "-w", min=1, help="Worker processes [default: one per core if >1 file is new]"),
]
BatchSize = Annotated[int | None, typer.Option("--batch-size", "-b", min=1, help="spaCy batch size.")]
Force = Annotated[bool, typer.Option("--force", "-f", help="Reprocess every file, changed or not.")]
Drops = Annotated[list[str] | None, typer.Option("--drop", "-d", help="Only this drop (repeatable).")]
KeepRemoved = Annotated[
    bool, typer.Option("--keep-removed", help="Keep rows of files no longer in the raw folder.")
]
Engine = Annotated[str, typer.Option("--engine", "-e", help="local or dask.")]
Scheduler = Annotated[
    str | None, typer.Option("--scheduler", help="Dask scheduler address; default: a LocalCluster.")
]
MaxBytes = Annotated[
    int | None, typer.Option("--max-bytes", min=1, help="Larger files are stored as failed.")
]
FullScan = Annotated[bool, typer.Option(
    "--full-scan", help="Stat every raw file (a run otherwise lists only changed folders and "
    "re-checks known files in turns: a file rewritten in place in a big store is seen within a few runs).")]
RetryFailed = Annotated[
    bool, typer.Option("--retry-failed", help="Also redo files whose documents failed for any reason.")
]
Languages = Annotated[
    str | None,
    typer.Option("--languages", help="Languages to extract, e.g. en or en,de; others are stored as skipped."),
]
TextField = Annotated[
    str | None, typer.Option("--text-field", help="JSON field holding the article text, tried first.")
]


def _run_with_progress(options: RunOptions) -> RunSummary:
    """The run, with a progress bar on stderr only when it is a terminal."""
    from newsmine.run.runner import run as run_pipeline

    if not err.is_terminal:
        return run_pipeline(options)
    columns = (TextColumn("processing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err) as bar:
        task = bar.add_task("files", total=None)
        return run_pipeline(options, lambda done, total: bar.update(task, completed=done, total=total))


@app.command()
def run(
    raw_dir: RawDir = DEFAULT_RAW,
    out_dir: OutDir = DEFAULT_OUT,
    model: Model = None,
    workers: Workers = None,
    batch_size: BatchSize = None,
    force: Force = False,
    drop: Drops = None,
    keep_removed: KeepRemoved = False,
    engine: Engine = "local",
    scheduler: Scheduler = None,
    max_bytes: MaxBytes = None,
    retry_failed: RetryFailed = False,
    languages: Languages = None,
    text_field: TextField = None,
    full_scan: FullScan = False,
) -> None:
    """Process new and changed articles in RAW_DIR into Parquet tables under --out."""
    from newsmine.nlp.config import parse_languages
    from newsmine.rules import RuleDataError
    from newsmine.run.failures import EnvironmentProblem
    from newsmine.run.runner import RunOptions

    if not raw_dir.is_dir():
        raise _fail(f"{raw_dir}: not a folder of article drops")
    if engine not in ("local", "dask"):
        raise _fail(f"--engine {engine}: choose local or dask")
    try:
        codes = parse_languages(languages) if languages is not None else None
    except RuleDataError as exc:
        raise _fail(str(exc)) from None
    options = RunOptions(
        raw_dir=raw_dir, out_dir=out_dir, model=model, workers=workers, batch_size=batch_size,
        force=force, drops=drop or None, keep_removed=keep_removed, engine=engine,
        scheduler=scheduler, max_bytes=max_bytes, retry_failed=retry_failed, languages=codes,
        text_field=text_field, full_scan=full_scan,
    )
    summary = run_reporting(options, EnvironmentProblem)
    for line in summary.notices:
        log(f"skipped: {line}")
    for line in summary.errors:
        log(f"failed: {line}")
    print(summary.line())
    raise typer.Exit(summary.exit_code)


def run_reporting(options: RunOptions, *usage_errors: type[Exception]) -> RunSummary:
    """The run; a held lock, a usage error or a failure of the machine ends it with one line
    on stderr and its exit code (``run.machine``), the tables as the last commit left them."""
    from newsmine.run.machine import explain
    from newsmine.store.lock import LockHeld

    try:
        summary = _run_with_progress(options)
    except LockHeld as exc:
        raise _fail(f"{options.out_dir}: another newsmine run (pid {exc.pid}) is writing here", 1) from None
    except usage_errors as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:
        explained = explain(exc, options.out_dir)
        if explained is None:
            raise
        for note in getattr(exc, "__notes__", []):
            log(note)
        raise _fail(*explained) from None
    for line in summary.warnings:
        log(f"warning: {line}")
    return summary


@app.command()
def status(
    raw_dir: Annotated[Path, typer.Argument(help="Folder of drops.")] = DEFAULT_RAW,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Where the tables are.")] = DEFAULT_OUT,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Base model the next run would use.")
    ] = None,
) -> None:
    """Per drop: files, processed, pending, removed, failed, skipped, and the stored pipeline version;
    then failed and skipped documents and unread files, by reason."""
    from newsmine.run.failures import ENVIRONMENT_ERRORS, by_reason, environment_problem
    from newsmine.run.status import status_report
    from newsmine.store.manifest import ManifestError

    if not raw_dir.is_dir():
        raise _fail(f"{raw_dir}: not a folder of article drops")
    try:
        report = status_report(raw_dir, out_dir, model)
    except ENVIRONMENT_ERRORS as exc:
        raise _fail(str(environment_problem(exc))) from None
    except ManifestError as exc:
        raise _fail(f"{exc}; move it aside and run again to rebuild it") from None
    table = Table("drop", "files", "done", "pending", "removed", "failed", "skipped", "version", "current")
    for row in report.drops:
        table.add_row(
            row.drop, str(row.files), str(row.processed), str(row.pending), str(row.removed),
            str(row.failed), str(row.skipped), (row.stored_version or "-")[:14],
            "yes" if row.up_to_date else "no",
        )
    (out if out.is_terminal else Console(width=200)).print(table)  # a log gets every column whole
    for title, counts in (("failed", report.failures), ("skipped", report.skipped),
                          ("not read", report.not_read)):
        if counts:
            print(f"{title} {sum(counts.values())}: {by_reason(counts)}")
    print(f"pipeline version {report.version}")


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="One article (.txt, .html, .json or .jsonl).")],
    model: Annotated[str | None, typer.Option("--model", "-m", help="spaCy base model name or path.")] = None,
) -> None:
    """Run the pipeline on one article and print its rows as JSON (nothing is stored)."""
    from newsmine.run.extract import extract_file
    from newsmine.run.failures import ENVIRONMENT_ERRORS, environment_problem

    if not file.is_file():
        raise _fail(f"{file}: no such file")
    try:
        result = extract_file(file, model)
    except ENVIRONMENT_ERRORS as exc:
        raise _fail(str(environment_problem(exc))) from None
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
    failed = any(d["status"] == "failed" for d in result["documents"])
    raise typer.Exit(1 if failed else 0)


# Commands in their own modules register themselves on ``app``.
from newsmine.cli import check, evaluate, review, show  # noqa: E402, F401

if __name__ == "__main__":
    app()
