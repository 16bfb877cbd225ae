"""The cross-article ``people`` table: one row per person, rebuilt from all stored entities.

Inside an article ``newsmine_entities`` already clusters mentions to the fullest name.
Across articles the same person may still arrive under different ids: a spelling
variant (Zelensky / Zelenskyy / Zelenskiy) or a surname-only article ("Putin"). This
module links them with the rules of ``newsmine.nlp.entities.names`` (alias table first, then same or
one-edit surname with compatible first names; a surname-only id joins only when exactly
one full-name person matches), then counts documents, mentions and quotes.

It is rebuilt whole on every run, so it stays right as drops are added or reprocessed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd
import pyarrow as pa

from newsmine.nlp.entities.names import (
    AliasTable,
    clean_name,
    fold,
    load_aliases,
    name_parts,
    same_person,
    same_surname,
    slug,
)
from newsmine.nlp.labels import PERSON
from newsmine.rules import RuleSource
from newsmine.tables.schemas import to_table

ALIASES_FILE = "entities/aliases.json"


def default_aliases() -> AliasTable:
    """The alias table of ``models/`` (the one ``newsmine_entities`` reads by default)."""
    return load_aliases(RuleSource.models(), ALIASES_FILE)


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value) != ""


def _row_key(cname: object, text: object, cid: object) -> tuple[str, str]:
    """(cleaned name, canonical id) of one PERSON entity row; the id falls back to the name's slug."""
    name = clean_name(str(cname if _present(cname) else text))
    return name, str(cid) if _present(cid) else slug(name)


def _person_ids(entities: pd.DataFrame) -> dict[str, Counter]:
    """canonical_id -> Counter of canonical names seen for it (PERSON rows only)."""
    names: dict[str, Counter] = defaultdict(Counter)
    if entities.empty:
        return names
    persons = entities[entities["label"] == PERSON]
    columns = (persons["canonical_id"], persons["canonical_name"], persons["text"])
    for cid, cname, text in zip(*columns, strict=True):
        name, cid = _row_key(cname, text, cid)
        names[cid][name] += 1
    return names


class _Union:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def link_canonical_ids(entities: pd.DataFrame, aliases: AliasTable | None = None) -> dict[str, str]:
    """Old canonical_id -> linked canonical_id, for every PERSON id that links elsewhere.

    Ids that stay as they are are left out, so the result can rewrite ids in place
    (``df["canonical_id"].replace(mapping)``).
    """
    aliases = aliases if aliases is not None else default_aliases()
    names = _person_ids(entities)
    name_of = {cid: counter.most_common(1)[0][0] for cid, counter in names.items()}
    weight = {cid: sum(counter.values()) for cid, counter in names.items()}
    union = _Union(name_of)
    # 1. the alias table: every variant of a known person goes to its entry
    by_alias: dict[str, str] = {}
    for cid, name in name_of.items():
        known = aliases.lookup(name)
        if known:
            first = by_alias.setdefault(known[0], cid)
            union.join(first, cid)
    # 2. full names: same or one-edit surname, first names compatible (blocked by surname initial)
    full = [cid for cid, n in name_of.items() if len(n.split()) >= 2]
    blocks: dict[str, list[str]] = defaultdict(list)
    for cid in full:
        blocks[name_parts(name_of[cid])[1][:1]].append(cid)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if same_person(name_of[a], name_of[b]):
                    union.join(a, b)
    # 3. a surname-only id joins the one full-name person with that surname, if only one
    for cid, name in name_of.items():
        if len(name.split()) != 1:
            continue
        word = fold(name)
        near = blocks.get(word[:1], [])
        groups = {union.find(f) for f in near if same_surname(name_parts(name_of[f])[1], word)}
        if len(groups) == 1:
            union.join(groups.pop(), cid)
    # the group's id: the alias table's, else the id of its fullest, most mentioned name
    members: dict[str, list[str]] = defaultdict(list)
    for cid in name_of:
        members[union.find(cid)].append(cid)
    mapping = {}
    for group in members.values():
        known = next(filter(None, (aliases.lookup(name_of[c]) for c in group)), None)
        target = known[0] if known else max(group, key=lambda c: (len(name_of[c].split()), weight[c], c))
        for cid in group:
            if cid != target:
                mapping[cid] = target
    return mapping


def _best_name(names: Counter) -> str:
    """The fullest name, then the most frequent: 'Keir Starmer' x2 beats a one-off 'Keir Starmerr'."""
    return max(names, key=lambda n: (len(n.split()), names[n], n))


def build_people(
    entities: pd.DataFrame,
    quotes: pd.DataFrame,
    aliases: AliasTable | None = None,
    mapping: dict[str, str] | None = None,
) -> pa.Table:
    """The ``people`` table (schema ``newsmine.tables.schemas.PEOPLE``) from all stored entities and quotes.

    ``titles`` come from an optional ``titles`` list column of ``entities`` (absent: empty).
    """
    aliases = aliases if aliases is not None else default_aliases()
    if entities is None or entities.empty:
        return to_table("people", [])
    if mapping is None:  # callers that also rewrite stored ids pass the one they computed
        mapping = link_canonical_ids(entities, aliases)
    persons = entities[entities["label"] == PERSON]
    rows: dict[str, dict] = {}
    titles = persons["titles"] if "titles" in persons.columns else [None] * len(persons)
    columns = (persons["doc_id"], persons["text"], persons["canonical_id"], persons["canonical_name"], titles)
    for doc_id, text, cid, cname, seen in zip(*columns, strict=True):
        name, cid = _row_key(cname, text, cid)
        cid = mapping.get(cid, cid)
        rec = rows.setdefault(cid, {"names": Counter(), "aliases": {}, "titles": {}, "docs": set(), "n": 0})
        rec["names"][name] += 1
        rec["aliases"][clean_name(str(text))] = None
        rec["docs"].add(doc_id)
        rec["n"] += 1
        for title in seen if seen is not None else ():
            rec["titles"][str(title)] = None
    n_quotes: Counter = Counter()
    if quotes is not None and not quotes.empty:
        nothing = [None] * len(quotes)
        ids = quotes["speaker_id"] if "speaker_id" in quotes.columns else nothing
        canons = quotes["speaker_canonical"] if "speaker_canonical" in quotes.columns else nothing
        for sid, canon in zip(ids, canons, strict=True):
            cid = str(sid) if _present(sid) else (slug(str(canon)) if _present(canon) else None)
            if cid:
                n_quotes[mapping.get(cid, cid)] += 1
    out = []
    for cid, rec in sorted(rows.items()):
        known = aliases.names.get(cid)
        out.append(
            {
                "canonical_id": cid,
                "canonical_name": known or _best_name(rec["names"]),
                "aliases": sorted(rec["aliases"]),
                "titles": list(rec["titles"]),
                "n_docs": len(rec["docs"]),
                "n_mentions": rec["n"],
                "n_quotes": n_quotes.get(cid, 0),
            }
        )
    return to_table("people", out)
