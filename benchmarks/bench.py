"""Benchmark newsmine against bare spaCy on the same BBC texts, in one run.

    .venv/bin/python benchmarks/bench.py                   # all 2,225 articles, --workers 2
    .venv/bin/python benchmarks/bench.py --n 400 --memory-n 0
    .venv/bin/python benchmarks/bench.py --mode noop        # 10,000 tiny processed docs, re-run
    .venv/bin/python benchmarks/bench.py --mode store       # one new article into 10,000 and 40,000

The corpus is read from ``../shared/corpus/bbc`` (``--corpus``) and never copied into
the repo: the raw drop is a folder of symlinks under the system temp dir, and every
output folder lives there too, next to a copy of ``pipeline/`` and ``models/`` taken
at the start that every measurement runs (so edits made meanwhile don't mix in).
Each measurement runs in its own child process so its peak RSS (``ru_maxrss``; of
the pool workers: ``RUSAGE_CHILDREN``, the largest one) is its own. Measured side by side:

* **bare**: ``spacy.load(base model)`` + ``nlp.pipe(texts, batch_size)`` over the texts
  ingest produces, model load excluded;
* **newsmine 1**: ``runner.run`` in one process (ingest → Parquet), model loaded
  before the clock starts; per stage (ingest, clean, records from the runner's own
  stage timers; writing = merge + commit + people) and per spaCy component (every
  component is wrapped in a timer; the tokenizer too);
* **newsmine W**: ``runner.run`` with ``--workers W`` (a cold pool: worker start and
  model load included), compared with newsmine 1 *including* its model load;
* **no-op**: ``runner.run`` again over the processed corpus (in-process, and the CLI
  wall time with interpreter start-up);
* **memory**: newsmine 1 and W on ``--memory-n`` articles, to show RSS does not grow.

Words are tokens that are neither punctuation nor space (the ``n_words`` column);
bare spaCy's are counted the same way over its docs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import zip_longest
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "bbc"
MIB = 1024  # ru_maxrss is in KiB on Linux


# ---------------------------------------------------------------- child side


class Timed:
    """A pipeline component whose ``pipe`` counts the time spent pulling docs through it.

    The time is inclusive of everything upstream in the generator chain, so a
    component's own time is its total minus the total of the component before it.
    """

    def __init__(self, proc, clock: dict, name: str) -> None:
        self._proc, self._clock, self._name = proc, clock, name

    def __getattr__(self, attr):
        return getattr(self._proc, attr)

    def __call__(self, doc, **kwargs):
        started = time.perf_counter()
        try:
            return self._proc(doc, **kwargs)
        finally:
            self._clock[self._name] = self._clock.get(self._name, 0.0) + time.perf_counter() - started

    def pipe(self, docs, **kwargs):
        if hasattr(self._proc, "pipe"):
            inner = self._proc.pipe(docs, **kwargs)
        else:
            kwargs.pop("batch_size", None)
            inner = (self._proc(doc, **kwargs) for doc in docs)
        while True:
            started = time.perf_counter()
            try:
                doc = next(inner)
            except StopIteration:
                self._clock[self._name] = self._clock.get(self._name, 0.0) + time.perf_counter() - started
                return
            self._clock[self._name] = self._clock.get(self._name, 0.0) + time.perf_counter() - started
            yield doc


class TimedTokenizer(Timed):
    def pipe(self, texts, **kwargs):  # spaCy calls the tokenizer per text; never through here
        return self._proc.pipe(texts, **kwargs)


def instrument(nlp) -> tuple[dict, list[str]]:
    """Wrap the tokenizer and every component; returns the clock and the component order."""
    clock: dict[str, float] = {}
    names = [name for name, _ in nlp.pipeline]
    nlp.tokenizer = TimedTokenizer(nlp.tokenizer, clock, "tokenizer")
    nlp._components[:] = [(n, p if n not in names else Timed(p, clock, n)) for n, p in nlp._components]
    return clock, names


def exclusive(clock: dict, names: list[str]) -> dict[str, float]:
    """Per-component own time from the inclusive chain times."""
    own = {"tokenizer": clock.get("tokenizer", 0.0)}
    before = own["tokenizer"]
    for name in names:
        total = clock.get(name, 0.0)
        own[name] = total - before
        before = total
    return own


def rss() -> dict[str, float]:
    return {
        "self_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB,
        "worker_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / MIB,
    }


def child_bare(raw: Path, model: str, batch_size: int) -> dict:
    import spacy

    from newsmine.ingest.articles import read_articles
    from newsmine.ingest.files import discover

    texts = [a.raw_text for f in discover(raw) for a in read_articles(f)]
    nlp = spacy.load(model)
    clock, names = instrument(nlp)
    started = time.perf_counter()
    words = 0
    for doc in nlp.pipe(texts, batch_size=batch_size):
        words += sum(1 for t in doc if not (t.is_punct or t.is_space))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "words": words, "components": exclusive(clock, names), **rss()}


def child_newsmine(raw: Path, out: Path, workers: int, batch_size: int | None, profile: bool) -> dict:
    import newsmine.people.relink as relink
    import newsmine.run.runner as runner
    from newsmine.nlp.loading import read_config, resolve_model
    from newsmine.run.batch import get_pipeline

    model = resolve_model(None, read_config())
    load_seconds = 0.0
    clock: dict[str, float] = {}
    names: list[str] = []
    if workers == 1:  # the engine runs in this process: load (and instrument) its pipeline now
        started = time.perf_counter()
        nlp = get_pipeline(model)
        load_seconds = time.perf_counter() - started
        if profile:
            clock, names = instrument(nlp)
    writing = {"seconds": 0.0}

    def timed(fn):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                writing["seconds"] += time.perf_counter() - started

        return wrapper

    runner.DropCommit.change = timed(runner.DropCommit.change)
    relink.people_change = timed(relink.people_change)  # the runner imports it lazily
    runner.Store.commit = timed(runner.Store.commit)
    options = runner.RunOptions(raw_dir=raw, out_dir=out, workers=workers, batch_size=batch_size)
    started = time.perf_counter()
    summary = runner.run(options)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "version": summary.version,
        "load_seconds": load_seconds,
        "words": summary.words,
        "documents": summary.documents,
        "failed": summary.failed,
        "files_processed": summary.files_processed,
        "stages": {**summary.stage_seconds, "writing": writing["seconds"]},
        "components": exclusive(clock, names) if names else {},
        **rss(),
    }


def run_child(kind: str, **kwargs) -> dict:
    """Run one measurement in a fresh interpreter; its last stdout line is the JSON result."""
    argv = [sys.executable, __file__, "--child", json.dumps({"kind": kind, **kwargs})]
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"bench: {kind} child failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_main(spec: dict) -> None:
    kind = spec.pop("kind")
    if kind == "bare":
        result = child_bare(Path(spec["raw"]), spec["model"], spec["batch_size"])
    else:
        result = child_newsmine(
            Path(spec["raw"]),
            Path(spec["out"]),
            spec["workers"],
            spec.get("batch_size"),
            spec.get("profile", False),
        )
    print(json.dumps(result))


# ---------------------------------------------------------------- parent side


def corpus_files(corpus: Path, n: int) -> list[Path]:
    """``n`` articles taken round-robin over the topic folders, so any ``n`` mixes topics."""
    topics = [sorted(d.glob("*.txt")) for d in sorted(corpus.iterdir()) if d.is_dir()]
    mixed = [p for group in zip_longest(*topics) for p in group if p is not None]
    if not mixed:
        raise SystemExit(f"bench: no articles under {corpus}")
    return mixed[:n]


def make_drop(root: Path, files: list[Path]) -> Path:
    """A raw dir with one drop ``bbc`` of symlinks to the corpus files."""
    raw = root / "raw"
    drop = raw / "bbc"
    drop.mkdir(parents=True)
    for path in files:
        (drop / f"{path.parent.name}_{path.name}").symlink_to(path.resolve())
    return raw


def cli_noop(raw: Path, out: Path) -> str:
    """Wall time of ``newsmine run`` with nothing to do, interpreter start-up included."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("newsmine")), "run", str(raw), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    line = (done.stdout.strip().splitlines() or ["?"])[-1]
    if not line.startswith("newsmine run: 0 files processed"):
        return f"not a no-op ({line[:60]}...; did models/ change during the benchmark?)"
    return f"{seconds:.2f}s"


def same_version(*results: dict) -> None:
    """Warn when models/ or the code changed between two measurements (the numbers then mix versions)."""
    versions = {r["version"] for r in results}
    if len(versions) > 1:
        print(f"WARNING: the pipeline version changed during the benchmark ({', '.join(sorted(versions))})")


def speed(args: argparse.Namespace, tmp: Path) -> None:
    from newsmine.nlp.loading import read_config, resolve_model

    config = read_config()
    model = resolve_model(None, config)
    batch_size = args.batch_size or config.batch_size
    files = corpus_files(args.corpus, args.n)
    raw = make_drop(tmp / "full", files)
    print(f"# {len(files)} BBC articles, model {model}, batch size {batch_size}, {machine()}")

    bare = run_child("bare", raw=str(raw), model=model, batch_size=batch_size)
    one = run_child(
        "newsmine", raw=str(raw), out=str(tmp / "out1"), workers=1, batch_size=batch_size, profile=True
    )
    many = run_child(
        "newsmine", raw=str(raw), out=str(tmp / "outW"), workers=args.workers, batch_size=batch_size
    )
    noop_cli = cli_noop(raw, tmp / "out1")
    noop = run_child("newsmine", raw=str(raw), out=str(tmp / "out1"), workers=1, batch_size=batch_size)
    same_version(one, many, noop)

    bare_wps = bare["words"] / bare["seconds"]
    one_wps = one["words"] / one["seconds"]
    one_cold = one["seconds"] + one["load_seconds"]
    many_wps = many["words"] / many["seconds"]
    rows = [
        ("bare spaCy nlp.pipe, 1 process", bare["seconds"], bare_wps, 1.0, bare["self_mib"]),
        ("newsmine end to end, 1 process", one["seconds"], one_wps, one_wps / bare_wps, one["self_mib"]),
        (
            f"newsmine end to end, --workers {args.workers} (cold)",
            many["seconds"],
            many_wps,
            many_wps / bare_wps,
            many["worker_mib"],
        ),
    ]
    print(f"\n{'run':44} {'seconds':>8} {'words/s':>9} {'x bare':>7} {'peak RSS MiB':>13}")
    for name, seconds, wps, ratio, mib in rows:
        print(f"{name:44} {seconds:8.1f} {wps:9,.0f} {ratio:7.2f} {mib:13.0f}")
    print(f"\npipeline version {one['version']} (code and models/ copied at start)")
    print(
        f"words: bare {bare['words']:,}, newsmine {one['words']:,} ({one['documents']} documents, "
        f"{one['failed']} failed); time ratio bare/newsmine {bare['seconds'] / one['seconds']:.2f}"
    )
    print(
        f"--workers {args.workers} speedup vs 1 (both cold, model load {one['load_seconds']:.1f}s included): "
        f"{one_cold / many['seconds']:.2f}x; vs 1 warm: {one['seconds'] / many['seconds']:.2f}x"
    )
    print(
        f"no-op re-run of {len(files)} processed files: runner.run {noop['seconds']:.2f}s "
        f"({noop['files_processed']} files processed), CLI wall (with interpreter start) {noop_cli}"
    )

    print("\nnewsmine, 1 process, per stage (s, % of end to end):")
    stages = dict(one["stages"])
    stages["other (discover, plan, manifest)"] = one["seconds"] - sum(stages.values())
    for name, seconds in stages.items():
        print(f"  {name:34} {seconds:7.1f} {100 * seconds / one['seconds']:5.1f}%")
    print("\nper spaCy component (s): bare | in newsmine")
    for name in dict.fromkeys([*one["components"], *bare["components"]]):
        b = bare["components"].get(name)
        o = one["components"].get(name)
        print(f"  {name:20} {'-' if b is None else f'{b:7.1f}':>7} | {'-' if o is None else f'{o:7.1f}':>7}")

    if args.memory_n and args.memory_n < len(files):
        small = make_drop(tmp / "small", files[: args.memory_n])
        one_s = run_child(
            "newsmine", raw=str(small), out=str(tmp / "outS1"), workers=1, batch_size=batch_size
        )
        many_s = run_child(
            "newsmine", raw=str(small), out=str(tmp / "outSW"), workers=args.workers, batch_size=batch_size
        )
        same_version(one, one_s, many_s)
        print(f"\npeak RSS MiB         {args.memory_n:>6} articles {len(files):>6} articles")
        print(f"  1 process          {one_s['self_mib']:15.0f} {one['self_mib']:15.0f}")
        print(f"  per pool worker    {many_s['worker_mib']:15.0f} {many['worker_mib']:15.0f}")
        print(f"  pool parent        {many_s['self_mib']:15.0f} {many['self_mib']:15.0f}")


def noop_mode(args: argparse.Namespace, tmp: Path) -> None:
    raw = tmp / "raw" / "tiny"
    raw.mkdir(parents=True)
    for i in range(args.noop_docs):
        (raw / f"{i:05d}.txt").write_text(
            f"Item {i}\n\nThe council said on Monday it would spend {i} pounds on roads.\n", encoding="utf-8"
        )
    first = run_child(
        "newsmine", raw=str(raw.parent), out=str(tmp / "out"), workers=args.workers, batch_size=None
    )
    cli = cli_noop(raw.parent, tmp / "out")
    again = run_child("newsmine", raw=str(raw.parent), out=str(tmp / "out"), workers=1, batch_size=None)
    same_version(first, again)
    print(f"# no-op re-run, {args.noop_docs:,} tiny processed documents, {machine()}")
    print(f"first run (--workers {args.workers}): {first['seconds']:.1f}s, {first['documents']} documents")
    print(
        f"re-run, runner.run in process: {again['seconds']:.2f}s "
        f"({again['files_processed']} files processed; target < 3 s)"
    )
    print(f"re-run, CLI wall incl. interpreter start: {cli}")


def snapshot(code: Path) -> None:
    """Copy ``pipeline/`` (as the package ``newsmine``) and ``models/`` and run every
    measurement on the copy.

    Others edit the working tree while a long benchmark runs; a copy keeps one
    pipeline version for every measurement (the package finds ``models/`` next to
    it, as in a checkout, and children and pool workers inherit ``PYTHONPATH``, which
    comes before the editable install).
    """
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "pipeline", code / "newsmine", ignore=skip)
    shutil.copytree(REPO / "models", code / "models", ignore=skip)
    sys.path.insert(0, str(code))
    os.environ["PYTHONPATH"] = str(code)
    os.environ.pop("NEWSMINE_MODELS", None)


def machine() -> str:
    """CPU model, cores, versions and the load average (other jobs skew every number)."""
    from importlib.metadata import version

    cpu = platform.machine()
    with contextlib.suppress(OSError):
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        names = [line for line in lines if line.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, spaCy {version('spacy')}, "
        f"blis {version('blis')}, load average {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="BBC corpus folder (read only).")
    parser.add_argument("--n", type=int, default=2225, help="Articles to use (round-robin over topics).")
    parser.add_argument("--workers", type=int, default=2, help="Workers for the parallel run.")
    parser.add_argument(
        "--batch-size", type=int, default=None, help="spaCy batch size (default: the config's)."
    )
    parser.add_argument(
        "--memory-n", type=int, default=500, help="Smaller run for the RSS comparison (0: skip)."
    )
    parser.add_argument("--mode", choices=["speed", "noop", "store"], default="speed")
    parser.add_argument("--noop-docs", type=int, default=10_000, help="Tiny documents for --mode noop.")
    parser.add_argument("--store-sizes", default="10000,40000", help="Stored articles for --mode store.")
    parser.add_argument("--store-template", type=int, default=200, help="BBC articles copied in the stores.")
    parser.add_argument("--store-reps", type=int, default=3, help="Timed runs per measurement (median).")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if args.child:
        if not os.environ.get("PYTHONPATH"):
            sys.path.insert(0, str(REPO))
        child_main(json.loads(args.child))
        return
    tmp = Path(tempfile.mkdtemp(prefix="newsmine-bench-"))
    try:
        snapshot(tmp / "code")
        if args.mode == "store":  # benchmarks/bench_store.py: the cost of one new article vs store size
            from bench_store import store_mode

            store_mode(args, tmp, corpus_files, machine)
        else:
            (speed if args.mode == "speed" else noop_mode)(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
