"""The cross-article ``people`` table: one row per person, rebuilt from all stored entities.

Inside an article ``newsmine_entities`` already clusters mentions to the fullest name.
Across articles the same person may still arrive under different ids: a spelling
variant (Zelensky / Zelenskyy / Zelenskiy) or a surname-only article ("Putin"). This
module links them (alias table first, then the pair rules of ``newsmine.people.match``:
spelled full names whose first names agree, then initials and surname-only names that
fit exactly one of those groups), then counts documents, mentions and quotes.

Linking is a function of the stored articles alone (never of earlier links), so the
people of any history of runs are those of one run over the final raw folder.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from newsmine.nlp.entities.gender import read_name_genders
from newsmine.nlp.entities.names import AliasTable, Nicknames, load_aliases, name_parts, read_nicknames
from newsmine.people.match import (
    INITIALS,
    SPELLED,
    SURNAME,
    candidate_pairs,
    conflict,
    fits,
    form_of,
    initials_key,
    pair_rank,
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
    """Union-find over person ids that keeps each group's spelled names, so a join can
    refuse to put two people who could not link directly into one group."""

    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}
        self.spelled: dict[str, list[str]] = {}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.spelled.setdefault(ra, []).extend(self.spelled.pop(rb, []))

    def join_if_fits(self, a: str, b: str, nicknames: Nicknames) -> None:
        ra, rb = self.find(a), self.find(b)
        names_a, names_b = self.spelled.get(ra, []), self.spelled.get(rb, [])
        if ra != rb and not any(conflict(x, y, nicknames) for x in names_a for y in names_b):
            self.join(ra, rb)


def _by_form(name_of: dict[str, str]) -> dict[str, list[str]]:
    forms: dict[str, list[str]] = {SPELLED: [], INITIALS: [], SURNAME: []}
    for cid, name in name_of.items():
        forms[form_of(name)].append(cid)
    return forms


def _link_spelled(union: _Union, name_of: dict[str, str], weight: dict[str, int], spelled: list[str],
                  nicknames: Nicknames) -> None:
    """Spelled full names, the pairs of well-attested names first (the fewer mentions of the
    two), then the surer rule (``match.pair_rank``); each join is refused when it would put
    two names into one group that could not link directly (``match.conflict``)."""
    for cid in spelled:
        union.spelled.setdefault(union.find(cid), []).append(name_of[cid])
    pairs = []
    for a, b in candidate_pairs({cid: name_of[cid] for cid in spelled}):
        rank = pair_rank(name_of[a], name_of[b], nicknames)
        if rank is not None:
            wa, wb = weight[a], weight[b]
            pairs.append((-min(wa, wb), rank, -wa - wb, a, b))
    for *_, a, b in sorted(pairs):
        union.join_if_fits(a, b, nicknames)


def _link_short(union: _Union, name_of: dict[str, str], forms: dict[str, list[str]],
                nicknames: Nicknames) -> None:
    """Initials names, then surname-only ones, join the one group they fit, else none:
    "S Williams" among Serena and Shane Williams is nobody's (``match``)."""
    by_surname: dict[str, list[str]] = defaultdict(list)
    for cid in forms[SPELLED]:
        by_surname[name_parts(name_of[cid])[1]].append(cid)
    short: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cid in forms[INITIALS]:
        short[initials_key(name_of[cid])].append(cid)
    for (_, surname), ids in short.items():
        for cid in ids[1:]:
            union.join(ids[0], cid)
        name = name_of[ids[0]]
        groups = {union.find(f) for f in by_surname.get(surname, ()) if fits(name, name_of[f], nicknames)}
        if len(groups) == 1:
            union.join(groups.pop(), ids[0])
    for cid in forms[INITIALS]:
        by_surname[name_parts(name_of[cid])[1]].append(cid)
    for cid in forms[SURNAME]:
        groups = {union.find(f) for f in by_surname.get(name_parts(name_of[cid])[1], ())}
        if len(groups) == 1:
            union.join(groups.pop(), cid)


def link_ids(name_of: dict[str, str], weight: dict[str, int], aliases: AliasTable,
             nicknames: Nicknames | None = None) -> dict[str, str]:
    """Person id -> linked id, for every id that links elsewhere (ids that stay are left out).

    ``name_of`` gives each id's most used name, in the order the ids first occur in the
    entities table; ``weight`` its number of mentions. First names match through
    ``nicknames`` (default: :func:`default_nicknames`), so Bernie Ebbers is Bernard
    Ebbers, and then a lone "Ebbers" has one person to join. The result depends on the
    names and weights only, never on the order they arrive in.
    """
    nicknames = default_nicknames() if nicknames is None else nicknames
    union = _Union(name_of)
    # 1. the alias table: every variant of a known person goes to its entry
    by_alias: dict[str, str] = {}
    for cid, name in name_of.items():
        known = aliases.lookup(name)
        if known:
            union.join(by_alias.setdefault(known[0], cid), cid)
    forms = _by_form(name_of)
    _link_spelled(union, name_of, weight, forms[SPELLED], nicknames)  # 2. spelled full names
    _link_short(union, name_of, forms, nicknames)  # 3. short forms, only where unambiguous
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
