"""Pure name normalisation: the rules that decide when two surface forms name one entity.

No coreference model runs offline, so person clustering follows the Gender Gap
Tracker's rules: compare names by their parts (surname, first names), with titles,
honorifics, possessives and accents removed, and allow one-edit spelling variants of a
surname (Zelensky / Zelenskyy / Zelenskiy) -- but never merge when the first names
conflict. Both the in-article clustering (``newsmine_entities``) and the cross-article
people table (``newsmine.people.linking``) use these functions, so they agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from newsmine.rules import RuleDataError, RuleSource, read_json

# Tokens spaCy splits off as a possessive ("Zelenskyy" + "'s"; "Jones" + "'").
POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACE = re.compile(r"\s+")
# Entries per word cache (here, ``arrays``, ``labelling``, ``gazetteer``, ``quotes``): a news
# vocabulary's frequent words fit, and a worker fills each within its first hundred articles,
# so its size is the same on a short run and a long one (flat memory). 8,192 were still
# filling at 250 articles: one pool worker's share replayed, its peak grew 26 MiB from 500
# to 2,225 BBC articles, 15 MiB with 2,048 entries, for ~28,000 more misses over the share
# (~0.1 s of its 36). 65,536 grew with the whole run.
CACHE_SIZE = 2_048
# Name particles that stay lower-case inside a name ("Ursula von der Leyen").
PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "da", "di", "del", "la", "le", "bin", "al", "ibn", "dos"}
)


def strip_accents(text: str) -> str:
    """'Erdoğan' -> 'Erdogan': spellings with and without diacritics must compare equal."""
    if text.isascii():  # most names: NFKD leaves ASCII as it is and no ASCII character combines
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def strip_possessive(text: str) -> str:
    """ "Zelenskyy's" -> "Zelenskyy", "Jones'" -> "Jones": a possessive is the same name."""
    return _POSSESSIVE.sub("", text.strip())


def strip_titles(text: str, titles: Iterable[str] = (), honorifics: Iterable[str] = ()) -> str:
    """Drop leading title/honorific words ("President Joe Biden" -> "Joe Biden").

    Stops at the first word that is neither, so a name is never emptied; ``titles``
    and ``honorifics`` are lower-cased words (from ``models/entities``).
    """
    stop = {t.lower() for t in titles} | {h.lower() for h in honorifics}
    words = _SPACE.split(text.strip())
    while len(words) > 1 and words[0].lower() in stop:
        words.pop(0)
    return " ".join(words)


@lru_cache(maxsize=CACHE_SIZE)
def clean_name(text: str) -> str:
    """A surface form ready to compare: possessive off, whitespace collapsed, 'the' dropped."""
    text = _SPACE.sub(" ", strip_possessive(text)).strip(" ,.;:\"'\u201c\u201d()[]")
    if text.lower().startswith("the "):
        text = text[4:]
    return text


@lru_cache(maxsize=CACHE_SIZE)
def fold(text: str) -> str:
    """Case- and accent-insensitive key of a name: 'Erdoğan's' -> 'erdogan'."""
    return _SPACE.sub(" ", strip_accents(clean_name(text)).lower()).strip()


@lru_cache(maxsize=CACHE_SIZE)
def slug(text: str) -> str:
    """Stable id of a name: 'Volodymyr Zelenskyy' -> 'volodymyr-zelenskyy'."""
    return _NON_ALNUM.sub("-", strip_accents(clean_name(text)).lower()).strip("-")


@lru_cache(maxsize=CACHE_SIZE)
def name_parts(name: str) -> tuple[tuple[str, ...], str]:
    """(first/middle names, surname), folded. 'Ursula von der Leyen' -> (('ursula',), 'von der leyen')."""
    words = fold(name).split()
    if not words:
        return (), ""
    i = len(words) - 1
    while i > 0 and words[i - 1] in PARTICLES:
        i -= 1
    return tuple(words[:i]), " ".join(words[i:])


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion or substitution.

    Only used on surnames of five or more letters: short names (Li / Lee) differ by
    one edit too often to mean a spelling variant.
    """
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def same_surname(a: str, b: str) -> bool:
    """Surnames (folded) equal, or one-edit spelling variants of a long enough name."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and a[0] == b[0] and within_one_edit(a, b)


def _initials(first: str) -> str:
    return first.replace(".", "").replace("-", "")


@dataclass(frozen=True, eq=False)
class Nicknames:
    """Given names and their nicknames (``models/lexicon/nicknames.tsv``), either order:
    'Bernie' ~ 'Bernard', 'Bill' ~ 'William'. Folded (lower case, no accents)."""

    pairs: frozenset[tuple[str, str]] = frozenset()

    def same(self, a: str, b: str) -> bool:
        """Is one of the two folded first names a nickname of the other?"""
        return (a, b) in self.pairs or (b, a) in self.pairs


def read_nicknames(source: RuleSource, rel: str) -> Nicknames:
    """The nickname table: ``name<TAB>nickname`` lines under a header (``#`` comments)."""
    where, header, pairs = source.where(rel), None, set()
    for lineno, line in enumerate(source.text(rel).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if header is None:
            header = line.strip()
            if header != "name\tnickname":
                raise RuleDataError(f"{where}:{lineno}: expected the header 'name<TAB>nickname'")
            continue
        name, tab, nick = line.partition("\t")
        pair = (fold(name), fold(nick))
        if not tab or not all(pair) or "\t" in nick:
            raise RuleDataError(f"{where}:{lineno}: not 'name<TAB>nickname': {line!r}")
        if pair in pairs:
            raise RuleDataError(f"{where}:{lineno}: duplicate entry {line!r}")
        pairs.add(pair)
    return Nicknames(frozenset(pairs))


def first_names_compatible(a: tuple[str, ...], b: tuple[str, ...],
                           nicknames: Nicknames | None = None) -> bool:
    """Do two first-name lists allow the same person? Missing names never conflict.

    'J.D.'/'JD' ~ 'James David', 'Joe' ~ 'J.', 'Donald J.' ~ 'Donald'; 'Joe' vs 'Jill'
    conflict; with ``nicknames``, 'Bernie' ~ 'Bernard'.
    """
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if x == y or (nicknames is not None and nicknames.same(x, y)):
        return True
    xi, yi = _initials(x), _initials(y)
    if xi == yi:
        return True
    # an initial or run of initials against spelled-out names
    if len(x.rstrip(".")) == 1 or (x.endswith(".") and len(xi) <= 3) or (xi.isalpha() and len(xi) <= 2):
        return "".join(w[0] for w in b)[: len(xi)] == xi
    if len(y.rstrip(".")) == 1 or (y.endswith(".") and len(yi) <= 3) or (yi.isalpha() and len(yi) <= 2):
        return "".join(w[0] for w in a)[: len(yi)] == yi
    return False


def same_person(a: str, b: str, nicknames: Nicknames | None = None) -> bool:
    """Can names a and b (titles already stripped) refer to one person?

    Same or one-edit surname, and first names that do not conflict (a nickname of the
    other's, given ``nicknames``). A single word is treated as a surname ("Zelensky" ~
    "Volodymyr Zelenskyy").
    """
    fa, sa = name_parts(a)
    fb, sb = name_parts(b)
    return bool(sa and sb) and same_surname(sa, sb) and first_names_compatible(fa, fb, nicknames)


def fuller(a: str, b: str) -> str:
    """The more informative of two names of one person: more words, then longer."""
    return max((a, b), key=lambda n: (len(n.split()), len(n)))


@dataclass
class AliasTable:
    """Spelling variants -> canonical id and name, from ``models/entities/aliases.json``.

    Users add a variant by editing the JSON; lookups ignore case, accents and possessives.
    """

    names: dict[str, str] = field(default_factory=dict)  # canonical_id -> canonical_name
    index: dict[str, str] = field(default_factory=dict)  # folded variant -> canonical_id

    @classmethod
    def from_dict(cls, data: dict) -> AliasTable:
        """From the alias file's data: ``{canonical_id: {"name": ..., "variants": [...]}}``."""
        table = cls()
        for cid, entry in data.items():
            if cid.startswith("_") or not isinstance(entry, dict):
                continue
            unknown = set(entry) - {"name", "variants"}
            if unknown:
                raise ValueError(f"alias {cid!r}: unknown key(s) {sorted(unknown)}")
            table.names[cid] = entry["name"]
            for variant in [entry["name"], *entry.get("variants", [])]:
                table.index[fold(variant)] = cid
        return table

    def lookup(self, name: str) -> tuple[str, str] | None:
        """(canonical_id, canonical_name) of a known variant, else None."""
        cid = self.index.get(fold(name))
        return (cid, self.names[cid]) if cid else None

    def canonical(self, name: str) -> tuple[str, str]:
        """(canonical_id, canonical_name): the alias table's entry, else the slug of the name."""
        return self.lookup(name) or (slug(name), clean_name(name))


def load_aliases(source: RuleSource, rel: str) -> AliasTable:
    """The alias table (``entities/aliases.json``); entity clustering and people linking share it."""
    try:
        return AliasTable.from_dict(read_json(source, rel, any_keys=True))
    except ValueError as exc:
        if isinstance(exc, RuleDataError):
            raise
        raise RuleDataError(f"{source.where(rel)}: {exc}") from None
