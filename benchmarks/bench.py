"""Benchmark newsmine against bare spaCy on the same BBC texts, in one run.

    .venv/bin/python benchmarks/bench.py                   # every target of issue 13 (~25 min)
    .venv/bin/python benchmarks/bench.py --mode speed --n 400 --memory-n 0
    .venv/bin/python benchmarks/bench.py --mode workers --repeat 3   # W vs 1 only (wall time)
    .venv/bin/python benchmarks/bench.py --mode store       # one new article into 10,000 and 40,000
    .venv/bin/python benchmarks/bench.py --mode noop        # 10,000 tiny processed docs, re-run

``--mode all`` (the default) ends with the issue's targets, each a ratio against its
threshold: newsmine in one process against bare spaCy (words/s by process CPU time,
which other jobs on a shared machine sway less, and by wall time), ``--workers 2``
against one process (wall: run it on a quiet machine, ``--mode workers`` alone), the
per-worker peak RSS and its growth from ``--memory-n`` to ``--n`` articles, and from
``bench_store.py`` one new article into 40,000 against 10,000 stored and a no-op re-run.

The corpus is read from ``../shared/corpus/bbc`` (``--corpus``) and never copied into
the repo: the raw drop is a folder of hard links under the system temp dir, and every
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
import dataclasses
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

import bench_report

REPO = Path(__file__).resolve().parent.parent
# ../shared next to a checkout, or ../../shared next to a worktree under wt/
DEFAULT_CORPUS = next(
    (p / "shared" / "corpus" / "bbc" for p in (REPO.parent, REPO.parent.parent) if (p / "shared").is_dir()),
    REPO.parent / "shared" / "corpus" / "bbc",
)
MIB = 1024  # ru_maxrss is in KiB on Linux


# ---------------------------------------------------------------- child side


class Timed:
    """A pipeline component whose ``pipe`` counts the time spent pulling docs through it.

    The time is the component's own: while it runs, the time of any timed component it
    pulls docs from (upstream in a generator chain, or the tokenizer) is kept apart on
    a stack, whether the runner chains every component in one ``nlp.pipe`` or runs
    them in separate calls (``run.minibatch``).
    """

    def __init__(self, proc, clock: dict, name: str) -> None:
        self._proc, self._clock, self._name = proc, clock, name

    def __getattr__(self, attr):
        return getattr(self._proc, attr)

    def _timed(self, fn, *args, **kwargs):
        stack = self._clock.setdefault("_stack", [])
        stack.append(0.0)
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            nested = stack.pop()
            self._clock[self._name] = self._clock.get(self._name, 0.0) + spent - nested
            if stack:
                stack[-1] += spent

    def __call__(self, doc, **kwargs):
        return self._timed(self._proc, doc, **kwargs)

    def pipe(self, docs, **kwargs):
        if hasattr(self._proc, "pipe"):
            inner = self._proc.pipe(docs, **kwargs)
        else:
            kwargs.pop("batch_size", None)
            inner = (self._proc(doc, **kwargs) for doc in docs)
        while True:
            try:
                doc = self._timed(next, inner)
            except StopIteration:
                return
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
    """Per-component own time, the tokenizer first."""
    return {name: clock.get(name, 0.0) for name in ["tokenizer", *names]}


def rss() -> dict[str, float]:
    return {
        "self_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB,
        "worker_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / MIB,
    }


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (pool workers): less swayed by
    other jobs on a shared machine than wall time."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def child_bare(raw: Path, model: str, batch_size: int) -> dict:
    import spacy

    from newsmine.ingest.articles import read_articles
    from newsmine.ingest.files import discover

    texts = [a.raw_text for f in discover(raw) for a in read_articles(f)]
    nlp = spacy.load(model)
    clock, names = instrument(nlp)
    cpu = cpu_seconds()
    started = time.perf_counter()
    words = 0
    for doc in nlp.pipe(texts, batch_size=batch_size):
        words += sum(1 for t in doc if not (t.is_punct or t.is_space))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cpu": cpu_seconds() - cpu, "words": words,
            "components": exclusive(clock, names), **rss()}


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
    cpu = cpu_seconds()
    started = time.perf_counter()
    summary = runner.run(options)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": cpu_seconds() - cpu,
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


def run_child(kind: str, echo: bool = False, **kwargs) -> dict | list:
    """Run one measurement in a fresh interpreter; its last stdout line is the JSON result
    (``echo``: the lines before it are printed)."""
    argv = [sys.executable, __file__, "--child", json.dumps({"kind": kind, **kwargs})]
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"bench: {kind} child failed ({done.returncode})")
    *lines, last = done.stdout.strip().splitlines()
    if echo:
        print("\n".join(lines))
    return json.loads(last)


def store_child(args: argparse.Namespace, tmp: Path) -> list[bench_report.Check]:
    """``bench_store`` in a child of its own: the stores and the model it loads would
    otherwise stay in this process, and a child's ``ru_maxrss`` starts from its parent's
    size at fork (Linux keeps the high-water mark across exec)."""
    keys = ("corpus", "store_sizes", "store_template", "store_reps")
    spec = {key: str(getattr(args, key)) if key == "corpus" else getattr(args, key) for key in keys}
    checks = run_child("store", echo=True, args=spec, tmp=str(tmp))
    return [bench_report.Check(**check) for check in checks]


def child_main(spec: dict) -> None:
    kind = spec.pop("kind")
    if kind == "store":
        from bench_store import store_mode

        args = argparse.Namespace(**{**spec["args"], "corpus": Path(spec["args"]["corpus"])})
        checks = store_mode(args, Path(spec["tmp"]), corpus_files, machine)
        result = [dataclasses.asdict(check) for check in checks]
    elif kind == "bare":
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
    """A raw dir with one drop ``bbc`` of hard links to the corpus files (the same files,
    read in place; ingest refuses symlinks that leave the raw folder). On another file
    system the files are copied into the temp dir, which is removed at the end."""
    raw = root / "raw"
    drop = raw / "bbc"
    drop.mkdir(parents=True)
    for path in files:
        target = drop / f"{path.parent.name}_{path.name}"
        try:
            os.link(path.resolve(), target)
        except OSError:
            shutil.copyfile(path, target)
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


def _one(raw: Path, out: Path, workers: int, batch_size: int, profile: bool = False) -> dict:
    return run_child("newsmine", raw=str(raw), out=str(out), workers=workers, batch_size=batch_size,
                     profile=profile)


def speed(args: argparse.Namespace, tmp: Path) -> None:
    """Every target of issue 13 in one run (``--mode all``), or all but the stores (``speed``).

    Order: bare / newsmine-1 pairs interleaved (``--repeat``), the no-op re-run, the small
    memory runs, the stores, and last the full ``--workers`` run, which is judged by wall
    time (a pool's CPU seconds say nothing of its speed-up) and so wants a quiet machine.
    """
    from newsmine.nlp.loading import read_config, resolve_model

    model = resolve_model(None, read_config())
    batch_size = args.batch_size or read_config().batch_size
    files = corpus_files(args.corpus, args.n)
    raw = make_drop(tmp / "full", files)
    print(f"# {len(files)} BBC articles, model {model}, batch size {batch_size}, {machine()}")
    bare, one = [], []
    for i in range(args.repeat):  # interleaved, so a change in the machine's load hits both
        bare.append(run_child("bare", raw=str(raw), model=model, batch_size=batch_size))
        one.append(_one(raw, tmp / f"out1-{i}", 1, batch_size, profile=i == 0))
    checks = bench_report.single(bare, one)
    bench_report.costs(bare[0], one[0])
    noop_cli = cli_noop(raw, tmp / "out1-0")
    noop = _one(raw, tmp / "out1-0", 1, batch_size)
    print(f"\nno-op re-run of {len(files):,} processed files: runner.run {noop['seconds']:.2f}s "
          f"({noop['files_processed']} files processed); CLI wall (interpreter start included) {noop_cli}")
    small = None
    if args.memory_n and args.memory_n < len(files):
        small_raw = make_drop(tmp / "small", files[: args.memory_n])
        small = {"one": _one(small_raw, tmp / "outS1", 1, batch_size),
                 "many": _one(small_raw, tmp / "outSW", args.workers, batch_size)}
    if args.mode == "all":
        checks += store_child(args, tmp / "stores")
    many = _one(raw, tmp / "outW", args.workers, batch_size)
    same_version(*one, noop, many, *(small or {}).values())
    checks += bench_report.workers(one[:1], [many], args.workers)
    if small:
        checks += bench_report.memory(args.memory_n, len(files), small, {"one": one[0], "many": many})
    bench_report.targets(checks)
    print(f"\nload average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def workers_mode(args: argparse.Namespace, tmp: Path) -> None:
    """Only ``--workers W`` against one process, in ``--repeat`` interleaved pairs (wall time:
    for a quiet machine)."""
    from newsmine.nlp.loading import read_config

    batch_size = args.batch_size or read_config().batch_size
    files = corpus_files(args.corpus, args.n)
    raw = make_drop(tmp / "full", files)
    print(f"# workers: {len(files)} BBC articles, batch size {batch_size}, {machine()}")
    one, many = [], []
    for i in range(args.repeat):
        one.append(_one(raw, tmp / f"out1-{i}", 1, batch_size))
        many.append(_one(raw, tmp / f"outW-{i}", args.workers, batch_size))
    same_version(*one, *many)
    bench_report.targets(bench_report.workers(one, many, args.workers))
    print(f"\nload average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


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
    parser.add_argument(
        "--repeat", type=int, default=1, help="Bare / newsmine 1-process pairs, interleaved (median ratio)."
    )
    parser.add_argument("--mode", choices=["all", "speed", "workers", "store", "noop"], default="all")
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

            bench_report.targets(store_mode(args, tmp, corpus_files, machine))
        else:
            {"all": speed, "speed": speed, "workers": workers_mode, "noop": noop_mode}[args.mode](args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
