"""The people state kept in the manifest database, brought up to date from what changed.

Why incremental: a run that adds one article must not relink every person of the
store. The index (``newsmine.people.index``) marks *dirty* every person id whose
mentions a commit changed; :func:`update` then

1. refreshes the summary (``cids``: most used name, mentions, first position) of the
   dirty ids only;
2. links all ids (``linking.link_ids``; one pass over the summaries, not the mentions);
3. recomputes the ``people`` row of every group that gained, lost or changed a member;
4. compares the links with the stored ones: the ids whose target or target name moved
   are the rows ``newsmine.people.relink`` rewrites.

Each step is a function of the stored mentions alone, so the result equals a
from-scratch pass over the same articles (:func:`frame_state` is that pass, used by
``linking.build_people``, over an in-memory database).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from newsmine.nlp.entities.names import AliasTable
from newsmine.people.index import (
    ENTITY_ID,
    ENTITY_NAME,
    SPEAKER_ID,
    SPEAKER_NAME,
    empty_index,
    mention_rows,
    speaker_rows,
    vote_rows,
)
from newsmine.people.kind import gender_of, gender_votes, kind_of, label_votes
from newsmine.people.linking import best_name, link_ids
from newsmine.store.db import ManifestDB
from newsmine.tables.schemas import to_table

if TYPE_CHECKING:
    import pandas as pd

Link = tuple[str, str | None]


@dataclass
class PeopleUpdate:
    """What one people step changes, and the state after it."""

    delta: dict[str, list] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    people: pa.Table | None = None


def _refresh(db: ManifestDB) -> tuple[dict[str, tuple[str, int, str]], set[str]]:
    """New summaries of the dirty ids (from their tallies), and the dirty ids left without any
    mention. A name's first position is one step of the ``mentions_first`` index."""
    rows = db.query(
        "SELECT d.cid, t.name, t.n, (SELECT min(m.pos) FROM mentions m WHERE m.cid = t.cid AND "
        "m.name = t.name) FROM dirty d LEFT JOIN tally_names t ON t.cid = d.cid"
    )
    by_cid: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    gone = set()
    for cid, name, n, pos in rows:
        if name is None:
            gone.add(cid)
        else:
            by_cid[cid].append((name, n, pos))
    puts = {}
    for cid, names in by_cid.items():
        top = min(names, key=lambda r: (-r[1], r[2]))  # most used, then first seen
        puts[cid] = (top[0], sum(r[1] for r in names), min(r[2] for r in names))
    return puts, gone


def _documents(db: ManifestDB, members: list[str], docs: dict[str, int]) -> int:
    """Documents naming any of ``members``: each member's count, less the documents an
    earlier (larger) member also names, probed one by one in the ``mentions_docs`` index."""
    ordered = sorted(members, key=lambda c: (-docs.get(c, 0), c))
    total = docs.get(ordered[0], 0)
    for i, cid in enumerate(ordered[1:], start=1):
        earlier = ordered[:i]
        marks = ", ".join("?" * len(earlier))
        sql = (f"SELECT count(DISTINCT m.doc_id) FROM mentions m WHERE m.cid = ? AND NOT EXISTS "
               f"(SELECT 1 FROM mentions e WHERE e.cid IN ({marks}) AND e.doc_id = m.doc_id)")
        total += db.query(sql, [cid, *earlier])[0][0]
    return total


def _group_rows(db: ManifestDB, groups: dict[str, list[str]], aliases: AliasTable) -> dict[str, list]:
    """``people`` rows (as stored in the database) of the given groups, target -> row, from
    the members' tallies: a cost per group that does not grow with its mentions."""
    db.temp_groups((cid, target) for target, members in groups.items() for cid in members)
    lead = "FROM temp.grp g CROSS JOIN"  # CROSS: the few groups lead, each tally found by key
    names: dict[str, Counter] = defaultdict(Counter)
    for target, name, n in db.query(f"SELECT g.target, t.name, t.n {lead} tally_names t ON t.cid = g.cid"):
        names[target][name] += n
    aliases_of: dict[str, set[str]] = defaultdict(set)
    for target, alias in db.query(f"SELECT g.target, t.alias {lead} tally_aliases t ON t.cid = g.cid"):
        aliases_of[target].add(alias)
    firsts: dict[str, dict[str, str]] = defaultdict(dict)
    sql = (f"SELECT g.target, t.title, (SELECT min(x.pos) FROM titles x WHERE x.cid = t.cid AND "
           f"x.title = t.title) {lead} tally_titles t ON t.cid = g.cid")
    for target, title, pos in db.query(sql):
        firsts[target][title] = min(pos, firsts[target].get(title, pos))
    counts = {cid: (m, d) for _, cid, m, d in db.query(
        f"SELECT g.target, t.cid, t.mentions, t.docs {lead} tally_ids t ON t.cid = g.cid")}
    quotes = dict(db.query(f"SELECT g.target, sum(t.n) {lead} tally_quotes t ON t.cid = g.cid "
                           "GROUP BY g.target"))
    votes: dict[str, list] = defaultdict(list)
    sql = f"SELECT g.target, t.cid, t.vote, t.n {lead} tally_votes t ON t.cid = g.cid"
    for target, *vote in db.query(sql):
        votes[target].append(vote)
    rows = {}
    for target, members in groups.items():
        present = [c for c in members if c in counts]
        if not present:
            continue
        docs = {c: counts[c][1] for c in present}
        titles = sorted(firsts[target], key=lambda t: firsts[target][t])
        rows[target] = [
            target, aliases.names.get(target) or best_name(names[target]),
            json.dumps(sorted(aliases_of[target]), ensure_ascii=False),
            json.dumps(titles, ensure_ascii=False),
            _documents(db, present, docs) if len(present) > 1 else docs[present[0]],
            sum(counts[c][0] for c in present), int(quotes.get(target) or 0),
            *_kind_gender(target, votes[target], counts[target][0] if target in counts else 0),
        ]
    return rows


Vote = tuple[str, str, int]  # member id, vote, count


def _kind_gender(target: str, votes: list[Vote], mentions: int) -> tuple[str, str, str | None]:
    """(kind, gender, gender_source) of a group from its members' votes; the kind looks
    at the group's own id only (``ford`` tagged ORG says nothing of Harrison Ford)."""
    genders = gender_votes((vote, n) for _, vote, n in votes)
    gender, source = gender_of(genders)
    other = label_votes((vote, n) for cid, vote, n in votes if cid == target)
    return kind_of(genders, other, mentions), gender, source


def _people_table(rows: dict[str, list]) -> pa.Table:
    out = [
        {
            "canonical_id": cid, "canonical_name": name, "aliases": json.loads(al), "titles": json.loads(ti),
            "n_docs": docs, "n_mentions": mentions, "n_quotes": quotes, "kind": kind, "gender": gender,
            "gender_source": source,
        }
        for cid, (_, name, al, ti, docs, mentions, quotes, kind, gender, source) in sorted(rows.items())
    ]
    return to_table("people", out)


def _affected(
    dirty: set[str], gone: set[str], cids: dict[str, Any], mapping: dict[str, str], old: dict[str, Link]
) -> set[str]:
    """Targets, old and new, whose people row may differ: groups that changed a member."""
    def target(c: str) -> str:
        return mapping.get(c, c)

    def old_target(c: str) -> str:
        return old[c][0] if c in old else c

    moved = {c for c in set(cids) | set(old) if target(c) != old_target(c)} | gone
    touched = dirty | moved
    return {target(c) for c in touched if c in cids} | {old_target(c) for c in touched}


def update(db: ManifestDB, aliases: AliasTable) -> PeopleUpdate:
    """The people step's delta and the state after it (nothing is written here)."""
    dirty = {c for (c,) in db.query("SELECT cid FROM dirty")}
    puts, gone = _refresh(db)
    cids = {c: (n, w, p) for c, n, w, p in db.query("SELECT cid, name, weight, first_pos FROM cids")}
    stored_cids = set(cids)
    for cid in gone:
        cids.pop(cid, None)
    cids.update(puts)
    ordered = sorted(cids.items(), key=lambda item: item[1][2])
    mapping = link_ids({c: v[0] for c, v in ordered}, {c: v[1] for c, v in ordered}, aliases)
    old = {c: (t, n) for c, t, n in db.query("SELECT cid, target, name FROM links")}
    affected = _affected(dirty, gone, cids, mapping, old)
    groups: dict[str, list[str]] = defaultdict(list)
    for cid in cids:
        target = mapping.get(cid, cid)
        if target in affected:
            groups[target].append(cid)
    fresh = _group_rows(db, groups, aliases)
    people = {row[0]: list(row) for row in db.query("SELECT * FROM people")}
    for target in affected:
        people.pop(target, None)
    people.update(fresh)
    links = {c: (t, people[t][1] if t in people else None) for c, t in mapping.items()}
    changed = {c for c in set(links) | set(old) if links.get(c) != old.get(c)}
    delta = {
        "cids_put": [[c, *puts[c]] for c in sorted(puts)],
        "cids_del": sorted(gone & stored_cids),
        "links_put": [[c, *links[c]] for c in sorted(changed) if c in links],
        "links_del": sorted(c for c in changed if c not in links),
        "people_put": [fresh[t] for t in sorted(fresh)],
        "people_del": sorted(affected - set(fresh)),
        "dirty_done": sorted(dirty),
    }
    return PeopleUpdate(delta, mapping, links, changed, _people_table(people))


def _frame_columns(frame: pd.DataFrame | None, names: dict[str, str]) -> dict[str, list]:
    """Columns of a frame as lists under the index's names (frame column -> name); a
    missing frame or column reads as nulls, and so do pandas' NA values (``read_tables``
    frames carry ``pd.NA``, which no comparison can test)."""
    n = 0 if frame is None else len(frame)
    return {key: frame[col].astype(object).where(frame[col].notna(), None).tolist()
            if n and col in frame.columns else [None] * n for col, key in names.items()}


def frame_state(entities: pd.DataFrame, quotes: pd.DataFrame | None, aliases: AliasTable) -> PeopleUpdate:
    """The people state of whole frames of entity and quote rows (in their row order)."""
    db = ManifestDB(Path(":memory:"))
    try:
        index = empty_index([])
        plain = ("text", "label", "doc_id", "titles", "gender", "gender_source")
        e = _frame_columns(entities, {"canonical_id": ENTITY_ID, "canonical_name": ENTITY_NAME,
                                      **{c: c for c in plain}})
        q = _frame_columns(quotes, {"speaker_id": SPEAKER_ID, "speaker_canonical": SPEAKER_NAME,
                                    "resolution": "resolution", "speaker": "speaker",
                                    "speaker_label": "speaker_label"})
        n = len(e["label"])
        columns = (e[ENTITY_ID], e[ENTITY_NAME], e["text"], e["label"], e["doc_id"],
                   [f"{i:012d}" for i in range(n)], e["titles"])
        index["mentions"], index["titles"] = mention_rows("frame", columns)
        labelled = quotes is not None and "speaker_label" in quotes.columns
        index["speakers"] = speaker_rows("frame", q[SPEAKER_ID], q[SPEAKER_NAME],
                                         q["speaker_label"] if labelled else None)
        index["votes"] = vote_rows("frame", e, q)
        db.apply({"index": index})
        return update(db, aliases)
    finally:
        db.close()
