"""The cross-article ``people`` table: one row per person, rebuilt from all stored entities.

Inside an article ``newsmine_entities`` already clusters mentions to the fullest name.
Across articles the same person may still arrive under different ids: a spelling
variant (Zelensky / Zelenskyy / Zelenskiy) or a surname-only article ("Putin"). This
module links them with the rules of ``newsmine.nlp.entities.names`` (alias table first, then same or
one-edit surname with compatible first names; a surname-only id joins only when exactly
one full-name person matches), then counts documents, mentions and quotes.

Linking is a function of the stored articles alone (never of earlier links), so the
people of any history of runs are those of one run over the final raw folder.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from newsmine.nlp.entities.gender import read_name_genders
from newsmine.nlp.entities.names import (
    AliasTable,
    Nicknames,
    fold,
    load_aliases,
    name_parts,
    read_nicknames,
    same_person,
    same_surname,
)
from newsmine.rules import RuleSource

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

ALIASES_FILE = "entities/aliases.json"
NICKNAMES_FILE = "lexicon/nicknames.tsv"
FIRST_NAMES_FILE = "lexicon/first_names.tsv"


def default_aliases() -> AliasTable:
    """The alias table of ``models/`` (the one ``newsmine_entities`` reads by default)."""
    return load_aliases(RuleSource.models(), ALIASES_FILE)


@lru_cache(maxsize=1)
def default_nicknames() -> Nicknames:
    """The nickname pairs of ``models/``, less those whose two names have opposite genders
    by the first-name table (the list pairs Aaron with Erin: two people, not one)."""
    source = RuleSource.models()
    table, genders = read_nicknames(source, NICKNAMES_FILE), read_name_genders(source, FIRST_NAMES_FILE)
    keep = set()
    for name, nick in table.pairs:
        a, b = genders.of_first_name(name), genders.of_first_name(nick)
        if not (a and b and a != b):
            keep.add((name, nick))
    return Nicknames(frozenset(keep))


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


def link_ids(name_of: dict[str, str], weight: dict[str, int], aliases: AliasTable,
             nicknames: Nicknames | None = None) -> dict[str, str]:
    """Person id -> linked id, for every id that links elsewhere (ids that stay are left out).

    ``name_of`` gives each id's most used name, in the order the ids first occur in the
    entities table (that order settles the rare ties); ``weight`` its number of mentions.
    First names match through ``nicknames`` (default: :func:`default_nicknames`), so
    Bernie Ebbers is Bernard Ebbers, and then a lone "Ebbers" has one person to join.
    """
    nicknames = default_nicknames() if nicknames is None else nicknames
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
                if same_person(name_of[a], name_of[b], nicknames):
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


def best_name(names: Counter) -> str:
    """The fullest name, then the most frequent: 'Keir Starmer' x2 beats a one-off 'Keir Starmerr'."""
    return max(names, key=lambda n: (len(n.split()), names[n], n))


def link_canonical_ids(entities: pd.DataFrame, aliases: AliasTable | None = None) -> dict[str, str]:
    """Old canonical_id -> linked canonical_id for entity rows (``doc_id``, ``text``, ``label``,
    ``canonical_id``, ``canonical_name``), for every PERSON id that links elsewhere."""
    from newsmine.people.state import frame_state

    return frame_state(entities, None, aliases if aliases is not None else default_aliases()).mapping


def build_people(
    entities: pd.DataFrame, quotes: pd.DataFrame | None, aliases: AliasTable | None = None
) -> pa.Table:
    """The ``people`` table (schema ``newsmine.tables.schemas.PEOPLE``) of entity and quote rows.

    ``titles`` come from an optional ``titles`` list column of ``entities`` (absent: empty).
    The store computes the same table incrementally (``newsmine.people.state``); this is
    the whole-frame form, one code path with it.
    """
    from newsmine.people.state import frame_state

    return frame_state(entities, quotes, aliases if aliases is not None else default_aliases()).people
