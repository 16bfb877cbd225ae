"""Build ``models/lexicon/first_names.tsv``: P(female) per given name, from nomquamgender.

Why a derived table and not the package at run time: nomquamgender (MIT) ships 722,000
names pooled from up to 35 national and web sources, but importing it loads a 22 MB JSON and pandas
(3 s and ~340 MB per process, measured); the pipeline needs one number per common name.
This script keeps the names with enough evidence (at least ``--min-sources`` sources and
``--min-counts`` observations, plain letters) rounded to two decimals: ~56,000 rows,
read in a few milliseconds. Re-run it after a new nomquamgender release:

    pip install ".[names]" && python tools/first_names.py
"""

from __future__ import annotations

import argparse
import re
from importlib.metadata import distribution
from pathlib import Path

_PLAIN = re.compile(r"^[a-z][a-z'-]*[a-z]$")
_OUT = Path(__file__).resolve().parent.parent / "models" / "lexicon" / "first_names.tsv"


def rows(data: dict[str, list], min_sources: int, min_counts: int) -> list[tuple[str, float]]:
    """(name, P(female)) for names with enough evidence, sorted by name."""
    out = []
    for name, info in data.items():
        sources, counts, p_female = info[0], info[1], info[2]
        if sources >= min_sources and counts >= min_counts and _PLAIN.match(name):
            out.append((name, round(float(p_female), 2)))
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-sources", type=int, default=3)
    parser.add_argument("--min-counts", type=int, default=50)
    parser.add_argument("--out", type=Path, default=_OUT)
    args = parser.parse_args()
    import nomquamgender  # imported here: only this build step needs it

    table = rows(nomquamgender.dump(), args.min_sources, args.min_counts)
    dist = distribution("nomquamgender")
    licence = next(f for f in dist.files or () if f.name.upper().startswith("LICENSE"))
    header = [
        "# First-name gender: P(female) of each given name (lower case, accents removed),",
        f"# from nomquamgender {dist.version}, which pools national and web name-gender sources.",
        f"# Names kept: at least {args.min_sources} sources and {args.min_counts} observations.",
        "# Built by tools/first_names.py; re-run it, or add a line (name, tab, probability).",
        "# nomquamgender's licence, which covers this derived table:",
        *(f"#   {line}".rstrip() for line in licence.read_text(encoding="utf-8").splitlines()),
        "name\tp_female",
    ]
    body = [f"{name}\t{p:.2f}" for name, p in table]
    args.out.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(table)} names")


if __name__ == "__main__":
    main()
