"""A person's gender from what an article gives: an honorific, a gendered title, a first name.

Why: a pronoun must agree with the person it points to (``she`` is never John Smith), and
"how many women are quoted" needs a gender per person. News gives it three ways, most
certain first: an honorific (``Mrs Ruiz``, ``Sir Keir``), a gendered noun next to the name
(``the actress Jane Doe``, ``Doe, a spokeswoman``), and the first name. First names come
from ``models/lexicon/first_names.tsv`` (P(female) per name, derived from the MIT-licensed
nomquamgender data by ``tools/first_names.py``); a name counts only when it is nearly
always one gender (``certainty``, 0.9 by default: Jordan, Jean, Kim and Nicola stay
unknown). Unknown is ``None``, never a guess.

The same functions serve every stage: ``newsmine_entities`` puts a ``gender`` on each
person cluster, the quote stage reads it for pronouns, the people table can count it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from newsmine.nlp.entities.names import PARTICLES, strip_accents
from newsmine.rules import RuleDataError, RuleSource

FEMALE = "female"
MALE = "male"
GENDERS = frozenset({FEMALE, MALE})
_HEADER = "name\tp_female"


@dataclass(frozen=True, eq=False)
class NameGenders:
    """P(female) per lower-cased, accent-free first name, and how sure a name must be."""

    p_female: Mapping[str, float] = field(default_factory=dict)
    certainty: float = 0.9

    def probability(self, first: str) -> float | None:
        """P(female) of one first name (any case, accents ignored), None if not listed;
        ``Jean-Claude`` is looked up whole, then by its first part."""
        key = strip_accents(first).lower().strip(".,'\u2019")
        p = self.p_female.get(key)
        if p is None and "-" in key:
            p = self.p_female.get(key.split("-", 1)[0])
        return p

    def of_first_name(self, first: str) -> str | None:
        """``female``/``male`` when the name is nearly always that gender, else None."""
        p = self.probability(first)
        if p is None:
            return None
        if p >= self.certainty:
            return FEMALE
        if p <= 1.0 - self.certainty:
            return MALE
        return None

    def of_name(self, name: str) -> str | None:
        """Gender of a full name by its first given name (``Hillary Rodham Clinton`` ->
        female); None for a single word (a surname tells nothing) or an initial (``J.D.``)."""
        words = [w for w in name.split() if w.lower() not in PARTICLES]
        if len(words) < 2:
            return None
        first = words[0]
        if len(first.strip(".")) <= 1 or (first.endswith(".") and first[:-1].replace(".", "").isupper()):
            return None
        return self.of_first_name(first)


def agreed(genders: Iterable[str | None]) -> str | None:
    """The one gender all the known votes give; None when there is none or they conflict."""
    known = {g for g in genders if g}
    return known.pop() if len(known) == 1 else None


def read_name_genders(source: RuleSource, rel: str, certainty: float = 0.9) -> NameGenders:
    """The first-name table (``name<TAB>p_female`` lines under a header; ``#`` comments)."""
    if not 0.5 < certainty <= 1.0:
        raise RuleDataError(f"{source.where(rel)}: certainty must be in (0.5, 1], not {certainty}")
    table: dict[str, float] = {}
    seen_header = False
    where = source.where(rel)
    for lineno, line in enumerate(source.text(rel).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not seen_header:
            if line.strip() != _HEADER:
                raise RuleDataError(f"{where}:{lineno}: expected the header {_HEADER!r}")
            seen_header = True
            continue
        name, _, value = line.partition("\t")
        try:
            p = float(value)
        except ValueError:
            raise RuleDataError(f"{where}:{lineno}: not 'name<TAB>probability': {line!r}") from None
        key = name.strip().lower()
        if not key or not 0.0 <= p <= 1.0:
            raise RuleDataError(f"{where}:{lineno}: not 'name<TAB>probability': {line!r}")
        if key in table:
            raise RuleDataError(f"{where}:{lineno}: duplicate entry {key!r}")
        table[key] = p
    return NameGenders(table, certainty)
