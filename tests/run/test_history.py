"""Results do not depend on history: any sequence of runs ends with the tables (ids, people,
links) of one run over the final raw folder, part file by part file; identical files are
separate documents; a run with removals in one drop and work in a later one goes through.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsmine.run.runner import RunOptions, RunSummary, run
from newsmine.store import person_index
from newsmine.store.parquet import Store
from newsmine.tables.schemas import PARTITIONED

TEXTS = {
    "starmer_full": "Prime Minister Keir Starmer said on Monday that the government would raise spending "
                    "on defence. Starmer told reporters the plan was fully funded.",
    "starmer": 'Starmer met union leaders in Leeds on Tuesday, officials said. "We will not back away," '
               "Starmer said.",
    "joe": "President Joe Biden said the talks in Geneva had gone well, according to a statement.",
    "jill": "Jill Biden visited a school in Ohio on Wednesday, her office said.",
    "biden": "Biden told reporters he expected a deal within weeks.",
    "putin": "Vladimir Putin said Russia would keep its troops near the border.",
    "putin_later": "Putin's spokesman said the Kremlin had no plans for a meeting.",
    "power": "Officials in Kharkiv said 790,000 people had lost power after the overnight strikes.",
    "prices": "Prices rose 3.5 percent in March, the statistics office said.",
    "troops": "Pete Hegseth said the Pentagon would send 3,000 more troops, according to a statement.",
}
# The final raw folder: drop -> file -> text key. Two pairs of identical files.
FINAL = {
    "mon": {"a1.txt": "starmer", "a2.txt": "joe", "a3.txt": "power", "a4.txt": "putin", "a5.txt": "prices"},
    "tue": {"b1.txt": "biden", "b2.txt": "putin_later", "b3.txt": "putin", "b4.txt": "troops",
            "b5.txt": "troops"},
    "wed": {"c1.txt": "prices", "c2.txt": "power"},
}
CHUNK_FILES = 2  # several chunks per drop, so chunk splits and merges happen


def _write(raw: Path, layout: dict[str, dict[str, str]]) -> None:
    if raw.exists():
        shutil.rmtree(raw)
    for drop, files in layout.items():
        (raw / drop).mkdir(parents=True)
        for name, key in files.items():
            (raw / drop / name).write_text(TEXTS[key] + "\n", encoding="utf-8")


def _run(raw: Path, out: Path) -> RunSummary:
    summary = run(RunOptions(raw_dir=raw, out_dir=out, chunk_files=CHUNK_FILES))
    assert summary.failed == 0, summary.errors
    return summary


def _state(out: Path) -> dict[str, object]:
    """Every table as read, and every part file as stored, without ``processed_at``."""
    store = Store(out)
    try:
        tables = {name: store.read(name) for name in (*PARTITIONED, "people")}
    finally:
        store.close()
    tables["documents"] = tables["documents"].drop_columns(["processed_at"])
    parts = {}
    for path in sorted(out.glob("*/**/*.parquet")):
        table = pq.read_table(path)
        if "processed_at" in table.column_names:
            table = table.drop_columns(["processed_at"])
        parts[path.relative_to(out).as_posix()] = table
    return {"tables": tables, "parts": parts, "index": _index(out)}


RECOUNT = {  # each tally, counted again from the rows it sums
    "tally_names": "SELECT cid, name, count(*) FROM mentions GROUP BY cid, name",
    "tally_aliases": "SELECT cid, alias, count(*) FROM mentions GROUP BY cid, alias",
    "tally_titles": "SELECT cid, title, count(*) FROM titles GROUP BY cid, title",
    "tally_ids": "SELECT cid, count(*), count(DISTINCT doc_id) FROM mentions GROUP BY cid",
    "tally_quotes": "SELECT cid, sum(n) FROM speakers GROUP BY cid",
    "tally_votes": "SELECT cid, vote, sum(n) FROM votes GROUP BY cid, vote",
}


def _index(out: Path) -> dict[str, list[tuple]]:
    """The person index rows as the manifest database holds them, row order aside, after
    checking that every running tally (moved by what each commit changed,
    ``store.person_index``) equals a count over the rows."""
    conn = sqlite3.connect(out / "_manifest.sqlite")
    try:
        for tally, recount in RECOUNT.items():
            assert sorted(conn.execute(f"SELECT * FROM {tally}")) == sorted(conn.execute(recount)), tally
        return {table: sorted(conn.execute(f"SELECT * FROM {table}")) for table in person_index.TABLES}
    finally:
        conn.close()


def _assert_same(left: dict, right: dict) -> None:
    assert sorted(left["parts"]) == sorted(right["parts"])
    for name, table in left["parts"].items():
        assert table.equals(right["parts"][name]), name
    for name, table in left["tables"].items():
        assert table.equals(right["tables"][name]), name
    assert left["index"] == right["index"]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("fresh")
    _write(root / "raw", FINAL)
    _run(root / "raw", root / "out")
    return _state(root / "out")


def _linked(state: dict, table: str, article_id: str) -> set[str]:
    rows = state["tables"][table]
    column, article = ("canonical_id", "article_canonical_id") if table == "entities" else (
        "speaker_id", "article_speaker_id")
    return {c for c, a in zip(rows.column(column).to_pylist(), rows.column(article).to_pylist(), strict=True)
            if a == article_id}


def test_one_run_links_people_from_the_stored_articles_alone(fresh: dict) -> None:
    people = {r["canonical_id"]: r for r in fresh["tables"]["people"].to_pylist()}
    assert _linked(fresh, "entities", "putin") == {"vladimir-putin"}  # one full name with that surname
    assert _linked(fresh, "entities", "biden") == {"joe-biden"}  # Jill Biden is not in the final folder
    assert _linked(fresh, "entities", "starmer") == {"starmer"}  # no full name: stays the article's
    assert _linked(fresh, "quotes", "starmer") == {"starmer"}
    assert people["vladimir-putin"]["n_docs"] == 3 and "putin" not in people
    assert people["starmer"]["n_quotes"] == 1


def test_three_histories_end_in_the_tables_of_one_run(tmp_path: Path, fresh: dict) -> None:
    raw = tmp_path / "raw"
    # 1. drop by drop, the last drop first
    one = tmp_path / "one"
    for n in (1, 2, 3):
        _write(raw, dict(list(FINAL.items())[-n:]))
        _run(raw, one)
    _assert_same(_state(one), fresh)

    # 2. more than the final folder (Keir Starmer and Jill Biden link and unlink people),
    #    then files deleted, one changed and changed back, a drop renamed away and back
    two = tmp_path / "two"
    extra = {d: dict(f) for d, f in FINAL.items()}
    extra["mon"]["a0.txt"] = "starmer_full"
    extra["tue"]["b0.txt"] = "jill"
    _write(raw, extra)
    _run(raw, two)
    assert _linked(_state(two), "entities", "starmer") == {"keir-starmer"}
    assert _linked(_state(two), "entities", "biden") == {"biden"}  # two full names: ambiguous
    _write(raw, FINAL)
    (raw / "tue" / "b4.txt").write_text(TEXTS["power"] + "\n", encoding="utf-8")
    _run(raw, two)
    (raw / "wed").rename(raw / "zzz")
    _run(raw, two)
    _write(raw, FINAL)
    _run(raw, two)
    _assert_same(_state(two), fresh)

    # 3. everything at once but in the wrong drops, then moved to the final layout
    three = tmp_path / "three"
    _write(raw, {"all": {f"{d}-{n}": k for d, files in FINAL.items() for n, k in files.items()}})
    _run(raw, three)
    _write(raw, FINAL)
    summary = _run(raw, three)
    assert summary.files_removed == 12 and summary.files_processed == 12
    _assert_same(_state(three), fresh)


def test_identical_files_are_separate_documents_and_deleting_one_copy_deletes_its_rows(
    tmp_path: Path, fresh: dict
) -> None:
    docs = fresh["tables"]["documents"]
    by_path = dict(zip(docs.column("source_path").to_pylist(), docs.to_pylist(), strict=True))
    copies = [by_path["mon/a4.txt"], by_path["tue/b3.txt"]]
    assert copies[0]["content_sha256"] == copies[1]["content_sha256"]
    assert copies[0]["doc_id"] != copies[1]["doc_id"]
    for name, id_column in (("documents", "doc_id"), ("entities", "entity_id"), ("quotes", "quote_id"),
                            ("claims", "claim_id")):
        ids = fresh["tables"][name].column(id_column).to_pylist()
        assert ids and len(ids) == len(set(ids)), name
    raw, out, again = tmp_path / "raw", tmp_path / "out", tmp_path / "again"
    _write(raw, FINAL)
    _run(raw, out)
    (raw / "tue" / "b5.txt").unlink()  # one of two identical files
    _run(raw, out)
    _run(raw, again)
    state = _state(out)
    _assert_same(state, _state(again))
    paths = state["tables"]["documents"].column("source_path").to_pylist()
    assert "tue/b4.txt" in paths and "tue/b5.txt" not in paths
    kept = {r["doc_id"] for r in state["tables"]["documents"].to_pylist()}
    assert set(state["tables"]["claims"].column("doc_id").to_pylist()) <= kept


def test_removals_in_one_drop_and_work_in_a_later_drop_commit_both(tmp_path: Path) -> None:
    """This raised KeyError on a manifest record the earlier drop's commit had deleted."""
    raw, out, again = tmp_path / "raw", tmp_path / "out", tmp_path / "again"
    _write(raw, FINAL)
    _run(raw, out)
    (raw / "mon" / "a5.txt").unlink()
    (raw / "tue" / "b9.txt").write_text(TEXTS["jill"] + "\n", encoding="utf-8")
    summary = _run(raw, out)
    assert (summary.files_processed, summary.files_removed) == (1, 1)
    (raw / "mon").rename(raw / "xyz")  # a renamed drop: removals first, work in a later drop
    summary = _run(raw, out)
    assert (summary.files_processed, summary.files_removed) == (4, 4)
    _run(raw, again)
    _assert_same(_state(out), _state(again))
    assert _state(out)["tables"]["documents"].num_rows == 12
    assert isinstance(_state(out)["tables"]["people"], pa.Table)


def test_a_run_with_nothing_to_do_trusts_the_fingerprint_only_of_a_completed_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsmine.people.relink
    from newsmine.store.manifest import Manifest

    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, {"mon": FINAL["mon"]})
    _run(raw, out)

    def no_planning(*args, **kwargs):
        raise AssertionError("planned although the folder is as the last run left it")

    with monkeypatch.context() as patch:
        patch.setattr(Manifest, "narrowed", no_planning)
        assert _run(raw, out).files_unchanged == 5
    # A run stopped after its drop commit (before people) must not leave a fingerprint that
    # a folder put back as it was would match: the new file's rows would stay for good.
    (raw / "mon" / "a9.txt").write_text(TEXTS["jill"] + "\n", encoding="utf-8")

    class Killed(BaseException):
        pass

    def killed(*args, **kwargs):
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(newsmine.people.relink, "people_change", killed)
        with pytest.raises(Killed):
            _run(raw, out)
    (raw / "mon" / "a9.txt").unlink()
    assert _run(raw, out).files_removed == 1
    assert "mon/a9.txt" not in _state(out)["tables"]["documents"].column("source_path").to_pylist()
    fresh = tmp_path / "fresh"
    _run(raw, fresh)
    _assert_same(_state(out), _state(fresh))


def test_a_drop_as_the_last_run_left_it_is_not_planned_but_a_file_rewritten_in_place_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsmine.store.manifest import Manifest

    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, {"mon": FINAL["mon"], "tue": FINAL["tue"]})
    _run(raw, out)
    planned: list[tuple[list[str], object]] = []
    narrowed = Manifest.narrowed.__func__

    def spy(cls, db, files, version, drops=None):  # noqa: ANN001, ANN202 - a classmethod's stand-in
        files = list(files)
        planned.append((sorted({f.drop for f in files}), drops))
        return narrowed(cls, db, files, version, drops)

    (raw / "wed").mkdir()
    (raw / "wed" / "c1.txt").write_text(TEXTS["prices"] + "\n", encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(Manifest, "narrowed", classmethod(spy))
        assert _run(raw, out).files_processed == 1
    assert planned == [(["wed"], {"wed"})]  # mon and tue: neither their files nor records looked at
    # Rewritten in place (as `cp` over a file does), a file keeps its folder's mtime; its own
    # size and mtime move, and those are in its drop's fingerprint.
    folder = (raw / "mon").stat().st_mtime_ns
    with open(raw / "mon" / "a2.txt", "r+", encoding="utf-8") as handle:
        handle.write(TEXTS["jill"] + "\n")
        handle.truncate()
    assert (raw / "mon").stat().st_mtime_ns == folder
    (raw / "wed" / "c2.txt").write_text(TEXTS["power"] + "\n", encoding="utf-8")
    planned.clear()
    with monkeypatch.context() as patch:
        patch.setattr(Manifest, "narrowed", classmethod(spy))
        assert _run(raw, out).files_processed == 2
    assert planned == [(["mon", "wed"], {"mon", "wed"})]
    entities = _state(out)["tables"]["entities"]
    texts = entities.filter(pa.compute.equal(entities.column("doc_id"), _doc_of(out, "mon/a2.txt")))
    assert "Jill Biden" in texts.column("text").to_pylist()
    fresh = tmp_path / "fresh"
    _run(raw, fresh)
    _assert_same(_state(out), _state(fresh))


def _doc_of(out: Path, source_path: str) -> str:
    documents = _state(out)["tables"]["documents"]
    ids = [d for d, p in zip(documents.column("doc_id").to_pylist(),
                             documents.column("source_path").to_pylist(), strict=True) if p == source_path]
    assert len(ids) == 1
    return ids[0]


def test_a_drop_kept_although_gone_stays_kept_when_other_drops_are_skipped(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, {"mon": FINAL["mon"], "tue": FINAL["tue"]})
    _run(raw, out)
    shutil.rmtree(raw / "tue")
    keep = RunOptions(raw_dir=raw, out_dir=out, chunk_files=CHUNK_FILES, keep_removed=True)
    assert run(keep).files_removed == 0
    (raw / "wed").mkdir()
    (raw / "wed" / "c1.txt").write_text(TEXTS["prices"] + "\n", encoding="utf-8")
    summary = run(keep)  # mon: as left (skipped); tue: gone, kept; wed: new
    assert (summary.files_processed, summary.files_removed) == (1, 0)
    drops = _state(out)["tables"]["documents"].column("drop").to_pylist()
    assert (drops.count("mon"), drops.count("tue"), drops.count("wed")) == (5, 5, 1)
    assert run(RunOptions(raw_dir=raw, out_dir=out, chunk_files=CHUNK_FILES)).files_removed == 5
    assert "tue" not in _state(out)["tables"]["documents"].column("drop").to_pylist()


def test_a_link_that_moves_rewrites_a_few_chunks_a_run_and_reads_are_current_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsmine
    import newsmine.people.relink

    monkeypatch.setattr(newsmine.people.relink, "RELINK_MIN", 1)
    raw, out = tmp_path / "raw", tmp_path / "out"
    lone = {f"s{i}.txt": "starmer" for i in range(1, 7)}  # three chunks name a lone "Starmer"
    _write(raw, {"mon": lone})
    _run(raw, out)
    assert _linked(_state(out), "entities", "starmer") == {"starmer"}
    _write(raw, {"mon": {**lone, "s9.txt": "starmer_full"}})  # now one Keir Starmer to join
    _run(raw, out)

    def stored_ids(where: Path = out) -> set[str]:
        return {i for path in where.glob("entities/**/*.parquet")
                for i in pq.read_table(path, columns=["canonical_id"]).column(0).to_pylist()}

    assert {"starmer", "keir-starmer"} <= stored_ids()  # some chunks still wait for the new link
    entities = newsmine.read_tables(out, ["entities"])["entities"]
    starmer = entities[entities["article_canonical_id"] == "starmer"]
    assert len(starmer) >= 6 and set(starmer["canonical_id"]) == {"keir-starmer"}
    repaired = tmp_path / "repaired"  # `newsmine check --repair` rewrites every waiting chunk
    shutil.copytree(out, repaired)
    run(RunOptions(raw_dir=raw, out_dir=repaired, chunk_files=CHUNK_FILES, repair=True))
    assert "keir-starmer" in stored_ids(repaired) and "starmer" not in stored_ids(repaired)
    before = stored_ids()
    assert _run(raw, out).files_processed == 0 and stored_ids() == before  # a no-op writes nothing
    runs = 0
    while "starmer" in stored_ids():  # each run that processes a file rewrites one more chunk
        (raw / "mon" / f"p{runs}.txt").write_text(TEXTS["prices"] + "\n", encoding="utf-8")
        assert _run(raw, out).files_processed == 1
        runs += 1
        assert runs <= 4
    assert runs >= 1
    fresh = tmp_path / "fresh"
    _run(raw, fresh)
    _assert_same(_state(out), _state(fresh))
