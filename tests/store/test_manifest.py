"""Manifest planning on real files: new, changed, touched, removed, version, force, drop filter."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsmine.store.manifest import (
    FileRecord,
    Manifest,
    ManifestError,
    file_sha256,
    pipeline_version,
    plan_run,
)

V1 = "0.1.0-aaaa"


@dataclass(frozen=True)
class Src:
    """Stands in for ingest.SourceFile: the fields planning reads."""

    drop: str
    path: Path
    rel_path: str
    size: int
    mtime_ns: int


def _write(raw: Path, rel: str, text: str) -> None:
    path = raw / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _scan(raw: Path) -> list[Src]:
    files = []
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        rel = path.relative_to(raw).as_posix()
        st = path.stat()
        files.append(Src(rel.split("/")[0], path, rel, st.st_size, st.st_mtime_ns))
    return files


def _processed(files: list[Src], version: str = V1) -> Manifest:
    """The manifest a run that processed ``files`` would commit."""
    records = {
        f.rel_path: FileRecord(
            f.rel_path, f.drop, f.size, f.mtime_ns, file_sha256(f.path), [f.rel_path], 0, version
        )
        for f in files
    }
    return Manifest(records)


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    _write(raw, "mon/kyiv.txt", "Zelenskyy said on Monday that talks would resume.")
    _write(raw, "mon/rubio.txt", "Rubio met his counterpart in Riyadh.")
    _write(raw, "tue/hegseth.txt", "Hegseth said 790,000 troops were deployed.")
    return raw


def _paths(files: list) -> list[str]:
    return [f.rel_path for f in files]


def test_everything_is_new_on_an_empty_manifest(raw: Path) -> None:
    plan = plan_run(_scan(raw), Manifest(), V1)
    assert _paths(plan.process) == ["mon/kyiv.txt", "mon/rubio.txt", "tue/hegseth.txt"]
    assert set(plan.reasons.values()) == {"new"}
    assert plan.affected_drops == {"mon", "tue"}
    assert not plan.unchanged and not plan.removed


def test_second_run_has_nothing_to_do(raw: Path) -> None:
    manifest = _processed(_scan(raw))
    plan = plan_run(_scan(raw), manifest, V1)
    assert plan.is_noop
    assert len(plan.unchanged) == 3 and plan.affected_drops == set()


def test_new_changed_and_removed_files(raw: Path) -> None:
    manifest = _processed(_scan(raw))
    _write(raw, "tue/hegseth.txt", "Hegseth said 800,000 troops were deployed.")
    _write(raw, "wed/kharkiv.txt", "Shelling hit Kharkiv overnight.")
    (raw / "mon" / "rubio.txt").unlink()
    plan = plan_run(_scan(raw), manifest, V1)
    assert plan.reasons == {"tue/hegseth.txt": "changed", "wed/kharkiv.txt": "new"}
    assert _paths(plan.unchanged) == ["mon/kyiv.txt"]
    assert plan.removed == ["mon/rubio.txt"]
    assert plan.affected_drops == {"mon", "tue", "wed"}


def test_touched_file_is_unchanged_and_its_stat_refreshed(raw: Path) -> None:
    manifest = _processed(_scan(raw))
    path = raw / "mon" / "kyiv.txt"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    plan = plan_run(_scan(raw), manifest, V1)
    assert plan.process == [] and plan.touched == ["mon/kyiv.txt"]
    assert manifest.records["mon/kyiv.txt"].mtime_ns == st.st_mtime_ns + 5_000_000_000
    assert not plan.is_noop  # the refreshed stat must be committed
    assert plan_run(_scan(raw), manifest, V1).is_noop  # ...after which no hashing is needed


def test_same_size_same_mtime_is_trusted_without_hashing(raw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = _processed(_scan(raw))

    def no_hashing(path: Path) -> str:
        raise AssertionError(f"hashed {path}")

    monkeypatch.setattr("newsmine.store.manifest.file_sha256", no_hashing)
    assert plan_run(_scan(raw), manifest, V1).is_noop


def test_new_pipeline_version_reprocesses_everything(raw: Path) -> None:
    manifest = _processed(_scan(raw))
    plan = plan_run(_scan(raw), manifest, "0.1.0-bbbb")
    assert len(plan.process) == 3 and set(plan.reasons.values()) == {"version"}


def test_force_reprocesses_everything(raw: Path) -> None:
    manifest = _processed(_scan(raw))
    plan = plan_run(_scan(raw), manifest, V1, force=True)
    assert len(plan.process) == 3 and set(plan.reasons.values()) == {"forced"}


def test_drop_filter_limits_processing_and_removal(raw: Path) -> None:
    manifest = _processed(_scan(raw))
    shutil.rmtree(raw / "mon")
    _write(raw, "tue/new.txt", "Officials said the ceasefire held.")
    plan = plan_run(_scan(raw), manifest, V1, drops=["tue"])
    assert _paths(plan.process) == ["tue/new.txt"]
    assert plan.removed == []  # mon is out of scope, its rows stay
    assert plan.affected_drops == {"tue"}
    forced = plan_run(_scan(raw), manifest, V1, force=True, drops=["tue"])
    assert _paths(forced.process) == ["tue/hegseth.txt", "tue/new.txt"]
    assert plan_run(_scan(raw), manifest, V1, drops=["mon"]).removed == ["mon/kyiv.txt", "mon/rubio.txt"]


def test_keep_removed_keeps_rows_of_vanished_files(raw: Path) -> None:
    manifest = _processed(_scan(raw))
    shutil.rmtree(raw / "tue")
    plan = plan_run(_scan(raw), manifest, V1, keep_removed=True)
    assert plan.removed == [] and plan.kept_missing == ["tue/hegseth.txt"]
    assert plan.is_noop


def test_file_vanishing_after_discovery_goes_to_processing(raw: Path) -> None:
    manifest = _processed(_scan(raw))
    _write(raw, "mon/kyiv.txt", "Zelenskyy said on Tuesday that talks would resume, officials said.")
    files = _scan(raw)
    (raw / "mon" / "kyiv.txt").unlink()
    plan = plan_run(files, manifest, V1)
    assert plan.reasons == {"mon/kyiv.txt": "changed"}  # processing reports the failure


def test_manifest_loads_from_the_database_and_names_a_damaged_one(tmp_path: Path, raw: Path) -> None:
    manifest = _processed(_scan(raw))
    assert Manifest.load(tmp_path / "nowhere").records == {}
    (tmp_path / "_manifest.sqlite").write_bytes(b"this is not a database, it was overwritten" * 100)
    with pytest.raises(ManifestError, match="_manifest.sqlite"):
        Manifest.load(tmp_path)
    assert manifest.versions("mon") == {V1} and manifest.drops() == {"mon", "tue"}
    assert manifest.to_json() == _processed(_scan(raw)).to_json()  # deterministic


def test_a_store_of_newsmine_0_1_still_shows_its_records(tmp_path: Path, raw: Path) -> None:
    records = {
        f.rel_path: {"rel_path": f.rel_path, "drop": f.drop, "size": f.size, "mtime_ns": f.mtime_ns,
                     "sha256": "ab" * 32, "doc_ids": [], "n_failed": 0, "pipeline_version": V1}
        for f in _scan(raw)
    }
    (tmp_path / "_manifest.json").write_text(json.dumps({"format": 1, "records": records}))
    assert sorted(Manifest.load(tmp_path).records) == sorted(records)
    (tmp_path / "_manifest.json").write_text("{not json")
    with pytest.raises(ManifestError, match="_manifest.json"):
        Manifest.load(tmp_path)


def test_file_sha256_matches_hashlib(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    data = os.urandom(3 * (1 << 20) + 17)
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()


def test_pipeline_version_follows_models_package_and_extra(tmp_path: Path) -> None:
    models = tmp_path / "models"
    _write(models, "quotes/cues.json", '["said", "told"]')
    _write(models, "pipeline.toml", "[run]\nbatch_size = 32\n")
    base = pipeline_version(models, "0.1.0")
    assert base.startswith("0.1.0-")
    assert pipeline_version(models, "0.1.0") == base
    assert pipeline_version(models, "0.2.0") != base
    assert pipeline_version(models, "0.1.0", extra="en_core_web_md") != base
    _write(models, ".cues.json.swp", "editor noise")
    assert pipeline_version(models, "0.1.0") == base
    _write(models, "quotes/cues.json", '["said", "told", "added"]')
    edited = pipeline_version(models, "0.1.0")
    assert edited != base
    (models / "quotes" / "cues.json").rename(models / "quotes" / "verbs.json")
    assert pipeline_version(models, "0.1.0") not in (base, edited)
