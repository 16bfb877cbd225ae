"""Which person ids of different articles may be one person: the pair rules of linking.

Why stricter than inside an article: within one article "S Williams" next to "Serena
Williams" is her, but across 2,000 articles "S Williams" fits Serena, Shane and Sonny
Bill Williams alike, and linking by any compatible pair chains all three into one row
(who then gets her gender). So across articles a name is one of three forms
(:func:`form_of`):

* ``spelled``: a first name written out ("Serena Williams", "Al Gore");
* ``initials``: only initials before the surname ("S Williams", "J.D. Salinger");
* ``surname``: no first name at all ("Williams", "de Gaulle").

Two spelled names link (:func:`pair_rank`) when their first names are the same and the
surnames the same or one edit apart (Robert Peston / Robert Preston), or when one
first name is a nickname of the other and the surnames are equal (Bernie / Bernard
Ebbers); a one-edit surname with different first names (Billy Preston, Robert Peston)
is two people. A group never holds two spelled names that could not link directly
(:func:`conflict`), so no name is the bridge between two people. Short forms are
attached afterwards, and only to the one group they fit (``linking.link_ids``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from newsmine.nlp.entities.names import (
    Nicknames,
    clean_name,
    first_names_compatible,
    name_parts,
    same_surname,
)

SPELLED, INITIALS, SURNAME = "spelled", "initials", "surname"


def _letters(word: str) -> str:
    return word.replace(".", "").replace("-", "")


def form_of(name: str) -> str:
    """``spelled``, ``initials`` or ``surname``: what stands before the name's surname.

    Initials are one letter ("S", "J.") or up to three capitals ("JD", "J.D.", "JPR"):
    "Al" or "Ed" are first names, "AJ" is not.
    """
    firsts, surname = name_parts(name)
    if not firsts or not surname:
        return SURNAME
    letters = _letters(clean_name(name).split()[0])  # the word name_parts folded to firsts[0]
    if letters.isalpha() and (len(letters) == 1 or (letters.isupper() and len(letters) <= 3)):
        return INITIALS
    return SPELLED


def pair_rank(a: str, b: str, nicknames: Nicknames) -> int | None:
    """How surely two spelled names are one person (0 surest), or None if they are not.

    0: same first name and surname; 1: same first name, one-edit surname (a misspelling);
    2: nickname first names, same surname. Of two equally attested links the surer is
    made first, so a misspelt "Robert Preston" joins Robert Peston before a nickname could
    pull him to Billy Preston (who then conflicts with Robert Peston and stays apart).
    """
    (fa, sa), (fb, sb) = name_parts(a), name_parts(b)
    if not (fa and fb and sa and sb) or not same_surname(sa, sb):
        return None
    if _letters(fa[0]) == _letters(fb[0]):
        return 0 if sa == sb else 1
    if sa == sb and nicknames.same(fa[0], fb[0]):
        return 2
    return None


def candidate_pairs(name_of: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Each pair of ids whose spelled names ``pair_rank`` could accept, once.

    A pair it accepts has the same first name and surnames within one edit (which share
    their first letter), or the same surname (nicknames): so names are compared only
    within those two blockings, not all against all (at 1,000 BBC articles 199k
    comparisons, most of the people step's time, for the same pairs).
    """
    by_first: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_surname: dict[str, list[str]] = defaultdict(list)
    for cid, name in name_of.items():
        firsts, surname = name_parts(name)
        if firsts and surname:
            by_first[(_letters(firsts[0]), surname[:1])].append(cid)
            by_surname[surname].append(cid)
    seen: set[tuple[str, str]] = set()
    for block in (*by_first.values(), *by_surname.values()):
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                key = (a, b) if a < b else (b, a)
                if key not in seen:
                    seen.add(key)
                    yield key


def conflict(a: str, b: str, nicknames: Nicknames) -> bool:
    """May two spelled names not share a group? Different first names that are not
    nicknames of each other conflict, and so do nicknames whose surnames differ (Billy
    Preston, Robert Peston); the same first name never does (a group of one-edit
    spellings may reach two edits)."""
    (fa, sa), (fb, sb) = name_parts(a), name_parts(b)
    if _letters(fa[0]) == _letters(fb[0]):
        return False
    return not (sa == sb and nicknames.same(fa[0], fb[0]))


def fits(short: str, full: str, nicknames: Nicknames) -> bool:
    """Can an initials name ("S Williams") be this spelled one ("Serena Williams")?
    The surname must be the same: initials are too little to vouch for a misspelling."""
    (fs, ss), (ff, sf) = name_parts(short), name_parts(full)
    return ss == sf and first_names_compatible(fs, ff, nicknames)


def initials_key(name: str) -> tuple[str, str]:
    """(initials, surname): "J.D. Salinger" and "JD Salinger" are one short form."""
    firsts, surname = name_parts(name)
    return "".join(_letters(w) for w in firsts), surname
