"""requirements.lock is the whole resolved set: every dependency pyproject names is pinned
there, at a version pyproject allows, with hashes (so a fresh install gets what CI tested)."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.MULTILINE)


def test_every_dependency_is_pinned_in_the_lock_at_an_allowed_version() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    lock = (REPO / "requirements.lock").read_text()
    pins: dict[str, list[str]] = {}
    for name, version in _PIN.findall(lock):
        pins.setdefault(canonicalize_name(name), []).append(version)
    assert len(pins) > 50 and "--hash=sha256:" in lock
    for req in wanted:
        versions = pins.get(canonicalize_name(req.name))
        assert versions, f"{req.name} is not in requirements.lock: refresh it (README: the two commands)"
        assert any(req.specifier.contains(v, prereleases=True) for v in versions), (req, versions)
    assert "lxml-html-clean" in pins and "py3langid" in pins and "python-dateutil" in pins
