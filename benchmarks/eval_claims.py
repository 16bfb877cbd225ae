"""Claims evaluation: the scorer's claims table on the development sets, and the number
parser against the Microsoft Recognizers-Text specs.

    .venv/bin/python benchmarks/eval_claims.py                   # run newsmine on both sets, then score
    .venv/bin/python benchmarks/eval_claims.py --newsquant-out DIR --samples-out DIR   # score runs
    .venv/bin/python benchmarks/eval_claims.py --only recognizers

The data is read in place from ``../shared`` (the first ancestor folder holding
``shared/dev``; ``--shared`` overrides) and never copied: ``dev/newsquant`` (raw + gold),
the samples (``data/raw`` of this repo, gold ``shared/gold/seeds.jsonl``), the scorer
``shared/eval/score.py`` and ``dev/recognizers/*.json``. Runs go to a temporary folder.

How a Recognizers entry counts as reproduced (the parser is ``parse_numbers``, which
returns every number, claim or not):

* **NumberModel**: the multiset of the entry's resolved values equals the multiset of the
  values we find (relative tolerance 1e-6), every value found and none extra. A range we
  find gives both its ends. Matches of kind ``ordinal``, ``idiom`` and ``anaphoric`` count
  as no number (the spec ignores ordinals and the pronoun "one"); dates, identifiers and
  the like count with their value, since the spec is context-free number extraction.
* **PercentModel**: the same, over our matches of kind ``percent``. A resolution of
  ``null`` (a percent word with no number: "how do I calculate a percentage?") is
  reproduced when we find no percent value there; the strict share, which counts those
  entries as failures, is printed beside it.
* **NumberRangeModel**: every claim we find becomes bounds: a range (low, high), a lower
  bound (more_than, at_least) (v, none), an upper bound (less_than, at_most) (none, v);
  an unbounded plain number is none. The multiset of bounds must equal the spec's
  intervals' bounds (open or closed ends are not judged).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
METRICS = ["claims_p", "claims_r", "claims_f1", "claims_value_unit_f1", "claims_value_qualifier_f1",
           "claims_unit_acc", "claims_qualifier_acc", "claimant_acc"]
NO_NUMBER = {"ordinal", "idiom", "anaphoric"}


def find_shared(start: Path) -> Path:
    """The ``shared`` folder beside the repository or one of its parents."""
    for folder in [start, *start.parents]:
        if (folder / "shared" / "dev").is_dir():
            return folder / "shared"
    raise SystemExit("no shared/dev folder above the repository: pass --shared")


def run_newsmine(raw: Path, out: Path) -> None:
    """One ``newsmine run`` over ``raw`` into ``out`` (one worker: the machine is shared)."""
    cmd = [sys.executable, "-m", "newsmine", "run", str(raw), "--out", str(out), "--workers", "1"]
    subprocess.run(cmd, check=False, capture_output=True, text=True)


def score(shared: Path, gold: Path, out: Path) -> dict[str, float | None]:
    """The scorer's JSON summary for one run."""
    cmd = [sys.executable, str(shared / "eval" / "score.py"), "--gold", str(gold), "--out", str(out),
           "--json"]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(columns: dict[str, dict[str, float | None]]) -> None:
    names = list(columns)
    print(f"{'metric':28}" + "".join(f"{n:>12}" for n in names))
    for key in METRICS:
        cells = "".join(f"{_fmt(columns[n].get(key)):>12}" for n in names)
        print(f"{key:28}{cells}")


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


# ---------------------------------------------------------------- recognizers


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def same_multiset(expected: Iterable, found: Iterable, eq=_close) -> bool:
    rest = list(found)
    for x in expected:
        hit = next((i for i, y in enumerate(rest) if eq(x, y)), None)
        if hit is None:
            return False
        del rest[hit]
    return not rest


def number_values(text: str, parse) -> list[float]:
    out: list[float] = []
    for m in parse(text):
        if m.kind in NO_NUMBER:
            continue
        out += [m.value_low, m.value_high] if m.value_low is not None else [m.value]
    return out


def bounds(m) -> tuple[float | None, float | None] | None:
    if m.value_low is not None:
        return m.value_low, m.value_high
    if m.qualifier in ("more_than", "at_least"):
        return m.value, None
    if m.qualifier in ("less_than", "at_most"):
        return None, m.value
    return None


def spec_bounds(res: str) -> tuple[float | None, float | None, str]:
    m = re.fullmatch(r"\s*([\[(])\s*([^,]*)\s*,\s*([^\])]*)\s*([\])])\s*", res)
    lo = float(m.group(2)) if m.group(2).strip() else None
    hi = float(m.group(3)) if m.group(3).strip() else None
    return lo, hi, m.group(1) + m.group(4)


def _bounds_eq(a, b) -> bool:
    return all((x is None and y is None) or (x is not None and y is not None and _close(x, y))
               for x, y in zip(a[:2], b[:2], strict=True))


def recognizers(spec_dir: Path) -> list[tuple[str, int, int, str]]:
    """(file, reproduced, entries, note) for the three spec files."""
    from newsmine.nlp.claims.numbers import parse_claims, parse_numbers

    rows = []
    data = json.loads((spec_dir / "NumberModel.json").read_text(encoding="utf-8"))
    ok = sum(same_multiset([float(r["Resolution"]["value"]) for r in e["Results"]],
                           number_values(e["Input"], parse_numbers)) for e in data)
    rows.append(("NumberModel", ok, len(data), ""))
    data = json.loads((spec_dir / "PercentModel.json").read_text(encoding="utf-8"))
    ok = strict = 0
    for e in data:
        values = [r["Resolution"]["value"] for r in e["Results"]]
        expected = [float(v.rstrip("%")) for v in values if v != "null"]
        found = [m.value for m in parse_numbers(e["Input"]) if m.kind == "percent"]
        hit = same_multiset(expected, found)
        ok += hit
        strict += hit and "null" not in values
    note = f"strict (a null result never reproduced): {strict}/{len(data)}"
    rows.append(("PercentModel", ok, len(data), note))
    data = json.loads((spec_dir / "NumberRangeModel.json").read_text(encoding="utf-8"))
    ok = 0
    for e in data:
        expected = [spec_bounds(r["Resolution"]["value"]) for r in e["Results"]]
        found = [b for m in parse_claims(e["Input"]) if (b := bounds(m)) is not None]
        ok += same_multiset(expected, found, _bounds_eq)
    rows.append(("NumberRangeModel", ok, len(data), "open/closed ends not judged"))
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, help="the shared data folder (default: found above the repo)")
    ap.add_argument("--newsquant-out", type=Path, help="score this run of dev/newsquant instead of running")
    ap.add_argument("--samples-out", type=Path, help="score this run of data/raw instead of running")
    ap.add_argument("--only", choices=["scorer", "recognizers"])
    args = ap.parse_args(argv)
    shared = args.shared or find_shared(REPO)
    if args.only != "recognizers":
        with tempfile.TemporaryDirectory(prefix="newsmine-eval-") as tmp:
            nq, samples = args.newsquant_out, args.samples_out
            if nq is None:
                nq = Path(tmp) / "newsquant"
                run_newsmine(shared / "dev" / "newsquant" / "raw", nq)
            if samples is None:
                samples = Path(tmp) / "samples"
                run_newsmine(REPO / "data" / "raw", samples)
            print_table({"newsquant": score(shared, shared / "dev" / "newsquant" / "gold.jsonl", nq),
                         "samples": score(shared, shared / "gold" / "seeds.jsonl", samples)})
    if args.only != "scorer":
        print("\nRecognizers-Text English specs (match rule in this script's docstring)")
        for name, ok, n, note in recognizers(shared / "dev" / "recognizers"):
            print(f"{name:18} {ok:4}/{n:<4} {ok / n:6.1%}  {note}")


if __name__ == "__main__":
    main()
