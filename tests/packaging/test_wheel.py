"""The wheel runs anywhere: built from a copy of the repository, installed into a bare
folder, run from another directory with no ``models/`` in sight.

Dependencies come from the test's own venv (``PYTHONPATH`` puts the installed wheel
first, ahead of the editable install), so the test proves what the wheel itself
carries: the ``newsmine`` package, its rule data and its entry points.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import REPO

ARTICLE = (
    "Harbour Council Votes on New Ferry\n\n"
    '"We cannot wait another winter," the council leader, Mara Quinlan, said on Tuesday.\n'
    "The council said 1,200 residents had signed a petition for the new ferry.\n"
)


def _files(root: Path) -> set[str]:
    files = (f for f in root.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
    return {f.relative_to(root).as_posix() for f in files}


def _build_wheel(tmp_path: Path) -> Path:
    """Build from a copy so no ``build/`` folder lands in the repository."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    for folder in ("pipeline", "models"):
        shutil.copytree(REPO / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(dist)],
        check=True,
        capture_output=True,
    )
    wheels = list(dist.glob("newsmine-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_installs_and_runs_from_another_directory(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    assert _files(site / "newsmine" / "models") == _files(REPO / "models")  # every rule file ships
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "raw" / "drop1").mkdir(parents=True)
    (elsewhere / "raw" / "drop1" / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NEWSMINE_MODELS"}
    env["PYTHONPATH"] = str(site)
    where = subprocess.run(
        [sys.executable, "-c", "import newsmine.rules as r; print(r.__file__); print(r.models_dir())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert where == [str(site / "newsmine" / "rules.py"), str(site / "newsmine" / "models")]
    done = subprocess.run(
        [sys.executable, "-m", "newsmine", "run", "raw", "--out", "out"],
        cwd=elsewhere, env=env, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert "1 documents, 0 failed" in summary
    assert " 0 quotes" not in summary and " 0 claims" not in summary
    assert (elsewhere / "out" / "quotes" / "drop-drop1" / "part-tail.parquet").is_file()
    review = subprocess.run(  # the review page's styles and script ship as package data
        [sys.executable, "-m", "newsmine", "review", "--out", "out", "--to", "page.html"],
        cwd=elsewhere, env=env, capture_output=True, text=True,
    )
    assert review.returncode == 0, review.stderr
    assert "--direct:" in (elsewhere / "page.html").read_text(encoding="utf-8")


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    """``packages`` is explicit (pipeline/ installs as newsmine): a new folder must be added."""
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(("newsmine", *init.parent.relative_to(REPO / "pipeline").parts))
        for init in (REPO / "pipeline").rglob("__init__.py")
    }
    assert folders
    assert listed == folders | {"newsmine.models"}
