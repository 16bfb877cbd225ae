"""Build ``models/lexicon/nicknames.tsv``: given names and their nicknames (Bernard, Bernie).

Why a derived table: the ``nicknames`` package (Apache-2.0, hand-curated by Carlton
Northern and Nick Crews) is one CSV of ``name,has_nickname,nickname`` rows; people
linking needs exactly those pairs, so they are kept as rule data under ``models/`` like
every other list, and the package is needed only to rebuild them:

    pip install ".[names]" && python tools/nickname_pairs.py
"""

from __future__ import annotations

import argparse
import csv
import io
from importlib.metadata import distribution
from importlib.resources import files
from pathlib import Path

_OUT = Path(__file__).resolve().parent.parent / "models" / "lexicon" / "nicknames.tsv"


def pairs(text: str) -> list[tuple[str, str]]:
    """(name, nickname) pairs of the package's CSV, lower-cased, deduplicated, sorted."""
    out = set()
    for row in csv.DictReader(io.StringIO(text)):
        if row["relationship"] == "has_nickname" and row["name1"] != row["name2"]:
            out.add((row["name1"].strip().lower(), row["name2"].strip().lower()))
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=_OUT)
    args = parser.parse_args()
    table = pairs(files("nicknames").joinpath("names.csv").read_text(encoding="utf-8"))
    dist = distribution("nicknames")
    header = [
        "# Given names and their nicknames (one pair a line), from the nicknames package",
        f"# {dist.version} (Apache-2.0, Carlton Northern and Nick Crews,",
        "# github.com/carltonnorthern/nicknames).",
        "# Built by tools/nickname_pairs.py; re-run it, or add a line (name, tab, nickname).",
        "name\tnickname",
    ]
    body = [f"{name}\t{nick}" for name, nick in table]
    args.out.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(table)} pairs")


if __name__ == "__main__":
    main()
