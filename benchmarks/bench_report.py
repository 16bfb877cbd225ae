"""What ``bench.py`` prints: the runs table, where the time goes, memory, and the issue's targets.

Why a module of its own: the measurements (``bench.py``, ``bench_store.py``) and their
reading are separate concerns, and every target is printed as a ratio with its threshold
so one run answers issue 13's Done-when (``Check`` rows, collected by each part and
printed together at the end).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One of the issue's targets: what was measured, against what."""

    name: str
    value: str
    ok: bool
    target: str


def wps(result: dict, clock: str = "seconds") -> float:
    """Words per second of a run by wall time (``seconds``) or by process CPU time (``cpu``)."""
    return result["words"] / result[clock]


def single(bare: list[dict], one: list[dict]) -> list[Check]:
    """Newsmine in one process against bare spaCy, pair by pair (they ran interleaved)."""
    wall = [wps(o) / wps(b) for b, o in zip(bare, one, strict=True)]
    cpu = [wps(o, "cpu") / wps(b, "cpu") for b, o in zip(bare, one, strict=True)]
    b, o = bare[0], one[0]
    print(f"\n{'run':44} {'seconds':>8} {'CPU s':>7} {'words/s':>9} {'x bare':>7} {'peak RSS MiB':>13}")
    for name, r in (("bare spaCy nlp.pipe, 1 process", b), ("newsmine end to end, 1 process", o)):
        print(f"{name:44} {r['seconds']:8.1f} {r['cpu']:7.1f} {wps(r):9,.0f} {wps(r) / wps(b):7.2f} "
              f"{r['self_mib']:13.0f}")
    print(f"pipeline version {o['version']} (code and models/ copied at start)")
    print(f"words: bare {b['words']:,}, newsmine {o['words']:,} "
          f"({o['documents']} documents, {o['failed']} failed)")
    print("newsmine 1 process / bare, words/s, by wall time: " + ", ".join(f"{r:.3f}" for r in wall)
          + "; by CPU time: " + ", ".join(f"{r:.3f}" for r in cpu))
    return [
        Check("end to end vs bare spaCy (words/s, CPU time)", f"{statistics.median(cpu):.2f}x",
              statistics.median(cpu) >= 1.1, ">= 1.10x"),
        Check("end to end vs bare spaCy (words/s, wall)", f"{statistics.median(wall):.2f}x",
              statistics.median(wall) >= 1.1, ">= 1.10x"),
    ]


def costs(bare: dict, one: dict) -> None:
    """Where newsmine's time goes: per stage, and per spaCy component against bare."""
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


def workers(one: list[dict], many: list[dict], n_workers: int) -> list[Check]:
    """``--workers W`` against one process, both cold (model load, pool start included)."""
    cold = [(o["seconds"] + o["load_seconds"]) / m["seconds"] for o, m in zip(one, many, strict=True)]
    warm = [o["seconds"] / m["seconds"] for o, m in zip(one, many, strict=True)]
    m = many[-1]
    print(f"\n{'run':44} {'seconds':>8} {'CPU s':>7} {'words/s':>9} {'peak RSS MiB':>13}")
    print(f"{f'newsmine, --workers {n_workers} (cold pool)':44} {m['seconds']:8.1f} {m['cpu']:7.1f} "
          f"{wps(m):9,.0f} {m['worker_mib']:9.0f} per worker")
    print(f"--workers {n_workers} vs 1 process, both cold (1: model load included): "
          + ", ".join(f"{r:.2f}x" for r in cold) + "; vs 1 warm: " + ", ".join(f"{r:.2f}x" for r in warm))
    speedup = statistics.median(cold)
    return [Check(f"--workers {n_workers} vs 1 process (wall, cold)", f"{speedup:.2f}x", speedup >= 1.85,
                  ">= 1.85x")]


def memory(small_n: int, full_n: int, small: dict, full: dict) -> list[Check]:
    """Peak RSS on a small and the full run: a worker stays under 500 MiB and flat (within 5%)."""
    print(f"\npeak RSS MiB         {small_n:>6} articles {full_n:>6} articles   growth")
    pairs = (("1 process", "one", "self_mib"), ("per pool worker", "many", "worker_mib"),
             ("pool parent", "many", "self_mib"))
    for name, run, key in pairs:
        s, f = small[run][key], full[run][key]
        print(f"  {name:18} {s:15.0f} {f:15.0f} {100 * (f / s - 1):+7.1f}%")
    worker = full["many"]["worker_mib"]
    growth = worker / small["many"]["worker_mib"] - 1
    return [
        Check("peak RSS per worker", f"{worker:.0f} MiB", worker <= 500, "<= 500 MiB"),
        Check(f"peak RSS per worker, {full_n} vs {small_n} articles", f"{100 * growth:+.1f}%",
              growth <= 0.05, "<= +5%"),
    ]


def targets(checks: list[Check]) -> None:
    """The issue's targets, each with its measured value."""
    print("\ntargets (issue 13):")
    for c in checks:
        print(f"  {c.name:60} {c.value:>10}  target {c.target:10} {'ok' if c.ok else 'MISSED'}")
