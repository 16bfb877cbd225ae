"""Quote accuracy on held-out news: run the pipeline on each gold set, print the scorer's table.

    .venv/bin/python benchmarks/eval_quotes.py                  # PolNeAR dev and the samples
    .venv/bin/python benchmarks/eval_quotes.py --sets polnear-dev --json

Why: the sample articles score 1.0 and say nothing about other outlets; PolNeAR dev
(84 US political articles from seven publishers, every attribution annotated) does.
Each set is processed by ``newsmine run`` into a fresh folder under the temp dir and
scored by the project's scorer (``../shared/eval/score.py``), which is the only judge
of accuracy. The samples' gold marks speech only, so they are also scored with
``--speech-only`` (rows whose ``cue_type`` is thought, intention or evidence left out).
The data are read in place from ``../shared`` and never copied.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = next((p / "shared" for p in (REPO.parent, REPO.parent.parent) if (p / "shared").is_dir()),
              REPO.parent / "shared")
POLNEAR_DEV = SHARED / "dev" / "polnear" / "dev"
SETS = {  # name -> (raw folder, gold file, extra scorer flags)
    "polnear-dev": (POLNEAR_DEV / "raw", POLNEAR_DEV / "gold.jsonl", []),
    "samples": (REPO / "data" / "raw", SHARED / "gold" / "seeds.jsonl", []),
    "samples-speech": (REPO / "data" / "raw", SHARED / "gold" / "seeds.jsonl", ["--speech-only"]),
}
COLUMNS = ["direct_quote_p", "direct_quote_r", "direct_quote_f1", "attributed_p", "attributed_r",
           "attributed_f1", "indirect_p", "indirect_r", "indirect_f1"]


def run_set(raw: Path, out: Path) -> float:
    """``newsmine run`` on one raw folder (the installed command), in seconds."""
    started = time.perf_counter()
    cli = Path(sys.executable).with_name("newsmine")
    argv = [str(cli)] if cli.exists() else [sys.executable, "-m", "newsmine.cli"]
    subprocess.run([*argv, "run", str(raw), "--out", str(out), "--workers", "1"], check=True,
                   capture_output=True, text=True)
    return time.perf_counter() - started


def score(gold: Path, out: Path, flags: list[str]) -> dict:
    """The scorer's JSON summary for one run."""
    done = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold),
                           "--out", str(out), "--json", *flags], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(results: dict[str, dict]) -> str:
    """The scores as a Markdown table, one row per set."""
    head = "| set | " + " | ".join(c.replace("_quote", "") for c in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 1)]
    for name, summary in results.items():
        lines.append(f"| {name} | " + " | ".join(f"{summary[c]:.3f}" if summary[c] is not None else "-"
                                                  for c in COLUMNS) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", choices=sorted(SETS), default=list(SETS))
    ap.add_argument("--json", action="store_true", help="print the summaries as JSON")
    args = ap.parse_args()
    results: dict[str, dict] = {}
    runs: dict[Path, Path] = {}  # raw folder -> its run (the samples are run once)
    with tempfile.TemporaryDirectory(prefix="newsmine-eval-") as tmp:
        for name in args.sets:
            raw, gold, flags = SETS[name]
            if not raw.is_dir() or not gold.is_file():
                print(f"eval_quotes: {name}: {raw} or {gold} not found, skipped", file=sys.stderr)
                continue
            if raw not in runs:
                runs[raw] = Path(tmp) / name
                seconds = run_set(raw, runs[raw])
                print(f"{name}: newsmine run {seconds:.1f}s", file=sys.stderr)
            results[name] = score(gold, runs[raw], flags)
    print(json.dumps(results, indent=1) if args.json else table(results))
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
