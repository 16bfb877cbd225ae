"""``bench.py --mode store``: does one new article cost the same over 10,000 and 40,000 stored?

What is built, and how (so the numbers can be judged):

* The stores are **not made with spaCy**: ``--store-template`` BBC articles are processed
  once by ``runner.run``; every stored article is a copy of one of them with distinct
  bytes (a last line ``Copy <n>.``) and the rows spaCy gave the original, under the
  copy's own ids. Raw files, manifest rows, chunks, checksums and the person index are
  all real: the stores are committed through the runner's own drop commit
  (``run.commit.DropCommit``) in slices of 2,000 files, then people is linked once.
* Copies repeat the template's people, so the number of distinct person ids (which the
  people step is linear in) is the same in both stores; the benchmark measures the cost
  of the store's size in articles.
* What is **timed** is ``runner.run`` in this process, the model loaded before the
  clock starts: one new BBC article (processed by spaCy) into the stores' one big drop,
  one into a new drop, and a run with nothing to do; and ``newsmine run`` from the
  command line with one new article (interpreter start and model load included, as a
  scheduled job sees it). Each is the median of ``--store-reps``, the stores measured in
  turn so that other work on the machine slows them alike.
* Each timed run starts :data:`newsmine.run.scan_state.TRUST_NS` after the files it finds
  were written (not timed), as a scheduled run comes after a drop lands: a folder changed
  within that margin of a scan is listed again by the next run (``run.scan_state``).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from bench_report import Check

DROP = "bbc"
SLICE = 2_000


def _template(files: list[Path], tmp: Path) -> dict[str, dict[str, pa.Table]]:
    """Each template article's rows (article ids only, unlinked) by its text."""
    from newsmine.run.runner import RunOptions, run
    from newsmine.store.parquet import Store

    raw = tmp / "template" / "raw" / DROP
    raw.mkdir(parents=True)
    for i, path in enumerate(files):
        (raw / f"{i:04d}.txt").write_bytes(path.read_bytes())
    run(RunOptions(raw_dir=raw.parent, out_dir=tmp / "template" / "out"))
    store = Store(tmp / "template" / "out", readonly=True)
    tables = {name: store.read(name) for name in ("documents", "entities", "quotes", "claims")}
    store.close()
    for name, columns in {"entities": ("canonical_id", "canonical_name"),
                          "quotes": ("speaker_id", "speaker_canonical")}.items():
        for column in columns:  # the copies arrive unlinked, as fresh rows do
            tables[name] = _set(tables[name], column, tables[name].column(f"article_{column}"))
    docs = tables["documents"].to_pylist()
    by_doc = {}
    for doc in docs:
        rows = {}
        for name, table in tables.items():
            rows[name] = table.filter(pc.equal(table.column("doc_id"), doc["doc_id"]))
        by_doc[doc["source_path"]] = rows
    return {path: by_doc[f"{DROP}/{i:04d}.txt"] for i, path in enumerate(map(str, files))}


def _set(table: pa.Table, column: str, values: pa.Array | pa.ChunkedArray | list) -> pa.Table:
    if isinstance(values, list):
        values = pa.array(values, pa.string())
    return table.set_column(table.schema.get_field_index(column), column, values)


def _copy_rows(rows: dict[str, pa.Table], rel: str, sha: str) -> dict[str, pa.Table]:
    """One template article's rows under the ids of the copy at ``rel``."""
    from newsmine.tables.records import document_id

    doc_id = document_id(rel, sha)
    out = {}
    for name, table in rows.items():
        table = _set(table, "doc_id", [doc_id] * table.num_rows)
        if name == "documents":
            table = _set(_set(table, "source_path", [rel]), "content_sha256", [sha])
        else:  # item ids start with the doc_id's first 16 characters
            column = {"entities": "entity_id", "quotes": "quote_id", "claims": "claim_id"}[name]
            for col in [column, "quote_id"] if name == "claims" else [column]:
                ids = table.column(col).to_pylist()
                table = _set(table, col, [None if i is None else doc_id[:16] + i[16:] for i in ids])
        out[name] = table
    return out


def build_store(template: dict, size: int, root: Path, version: str) -> tuple[Path, Path]:
    """A raw folder of ``size`` copies and the store a run over it would have made."""
    from newsmine.people.linking import default_aliases
    from newsmine.people.relink import people_change
    from newsmine.run.commit import DropCommit
    from newsmine.store.manifest import FileRecord
    from newsmine.store.parquet import Store
    from newsmine.tables.partitions import combined

    raw, out = root / "raw", root / "out"
    (raw / DROP).mkdir(parents=True)
    sources = list(template)
    store = Store(out)
    for start in range(0, size, SLICE):
        records, rows = [], {n: [] for n in ("documents", "entities", "quotes", "claims")}
        for i in range(start, min(start + SLICE, size)):
            source = sources[i % len(sources)]
            rel = f"{DROP}/{i:06d}.txt"
            data = Path(source).read_bytes() + f"\nCopy {i}.\n".encode()
            (raw / rel).write_bytes(data)
            st = (raw / rel).stat()
            sha = hashlib.sha256(data).hexdigest()
            copy = _copy_rows(template[source], rel, sha)
            for name, table in copy.items():
                rows[name].append(table)
            doc_ids = copy["documents"].column("doc_id").to_pylist()
            records.append(FileRecord(rel, DROP, st.st_size, st.st_mtime_ns, sha, doc_ids, 0, version))
        paths = {r.rel_path for r in records}
        commit = DropCommit(store, DROP, paths, set(), paths)
        commit.prepare()
        store.commit(commit.change(records, {n: combined(n, [], t) for n, t in rows.items()}))
    change = people_change(store, default_aliases())
    if change is not None:
        store.commit(change)
    store.close()
    return raw, out


def _timed_run(raw: Path, out: Path, expect: str) -> float:
    from newsmine.run.runner import RunOptions, run
    from newsmine.run.scan_state import TRUST_NS

    time.sleep(TRUST_NS / 1e9 + 0.2)  # the files landed before the scheduled run (module doc)
    started = time.perf_counter()
    line = run(RunOptions(raw_dir=raw, out_dir=out)).line()
    seconds = time.perf_counter() - started
    assert line.startswith(f"newsmine run: {expect} files processed"), line
    return seconds


def _cli_run(raw: Path, out: Path) -> float:
    """Wall time of ``newsmine run`` from the command line (interpreter and model load included)."""
    from newsmine.run.scan_state import TRUST_NS

    time.sleep(TRUST_NS / 1e9 + 0.2)
    started = time.perf_counter()
    command = [str(Path(sys.executable).with_name("newsmine")), "run", str(raw), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    assert done.stdout.strip().splitlines()[-1].startswith("newsmine run: 1 files processed"), done.stdout
    return seconds


def measure_once(raw: Path, out: Path, new: list[Path], k: int) -> dict[str, float]:
    """One of each: a new article into the big drop, one in a new drop, a no-op run, and a
    new article through the command line."""
    into = raw / DROP / f"{(k + 1) * 997:06d}_new.txt"  # sorts among the copies
    into.write_bytes(new[4 * k].read_bytes())
    times = {"into": _timed_run(raw, out, "1")}
    (raw / f"new{k}").mkdir()
    (raw / f"new{k}" / "a.txt").write_bytes(new[4 * k + 1].read_bytes())
    times["new_drop"] = _timed_run(raw, out, "1")
    times["noop"] = _timed_run(raw, out, "0")
    (raw / DROP / f"{(k + 1) * 991:06d}_cli.txt").write_bytes(new[4 * k + 2].read_bytes())
    times["cli"] = _cli_run(raw, out)
    return times


def store_mode(args: argparse.Namespace, tmp: Path, corpus_files, machine) -> list[Check]:
    """Build the stores, then time each in turn (interleaved, so a busy machine slows both alike)."""
    from newsmine.nlp.loading import read_config, resolve_model
    from newsmine.run.batch import get_pipeline
    from newsmine.run.runner import current_version

    sizes = [int(s) for s in args.store_sizes.split(",")]
    files = corpus_files(args.corpus, args.store_template + 4 * (args.store_reps + 1))
    model = resolve_model(None, read_config())
    get_pipeline(model)
    print(f"# store mode: stores of {', '.join(f'{s:,}' for s in sizes)} articles (copies of "
          f"{args.store_template} BBC articles, rows not re-made by spaCy), {machine()}")
    started = time.perf_counter()
    template = _template(files[: args.store_template], tmp)
    print(f"template: {len(template)} articles processed in {time.perf_counter() - started:.1f}s")
    stores = {}
    for size in sizes:
        started = time.perf_counter()
        stores[size] = build_store(template, size, tmp / f"store{size}", current_version(model))
        _timed_run(*stores[size], "0")  # warm: the first run imports what a run with work needs
        print(f"store of {size:,}: built in {time.perf_counter() - started:.1f}s")
    new = files[args.store_template :]
    measure_once(*stores[sizes[0]], new, args.store_reps)  # warm-up, not counted: the first
    # run with work in a process imports what processing needs (pandas, the components' tables)
    runs: dict[int, list[dict[str, float]]] = {size: [] for size in sizes}
    for k in range(args.store_reps):
        for size in sizes:
            runs[size].append(measure_once(*stores[size], new, k))
    medians = {size: {key: statistics.median(r[key] for r in rs) for key in rs[0]}
               for size, rs in runs.items()}
    return _report(sizes, medians)


def _report(sizes: list[int], results: dict[int, dict[str, float]]) -> list[Check]:
    heads = ("stored", "new article, big drop", "new article, new drop", "no-op run", "new article, CLI")
    print("\nmedians; runner.run in process, model loaded; the CLI column: interpreter and model load too")
    print(f"{heads[0]:>8} {heads[1]:>22} {heads[2]:>22} {heads[3]:>10} {heads[4]:>17}")
    for size, r in results.items():
        print(f"{size:8,} {r['into']:21.2f}s {r['new_drop']:21.2f}s {r['noop']:9.2f}s {r['cli']:16.2f}s")
    small, big = results[sizes[0]], results[sizes[-1]]
    pair = f"{sizes[-1]:,} vs {sizes[0]:,}"
    checks = [
        Check(f"one new article {name}, {pair} stored", f"{big[key] / small[key]:.2f}x",
              big[key] / small[key] <= 1.15, "<= 1.15x")
        for key, name in (("into", "into the big drop"), ("new_drop", "in a new drop"))
    ]
    cli = big["cli"] / small["cli"]
    print(f"one new article through the CLI, {pair}: {cli:.2f}x (model load included, not a target)")
    return [*checks, Check(f"no-op re-run of {sizes[-1]:,} stored, in process", f"{big['noop']:.2f}s",
                           big["noop"] < 1.0, "< 1 s")]
