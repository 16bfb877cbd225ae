"""What a linked person is and their gender, from the votes the stored rows cast.

Why: spaCy tags companies, products and places as PERSON often enough ("Boeing said",
"Yukos", "Macrovision") that a people table of raw PERSON ids counts them as people,
and "who gets quoted, women or men" needs one gender per person, not one per article.

The index (``newsmine.people.index``) keeps per id how many rows say what of it:

* ``gender:<gender>:<source>``: the article's evidence for a person mention
  (``honorific``: "Mrs Ruiz", ``title``: "the actress Jane Doe", ``first_name``) and
  ``pronoun``: a quote the quote stage credited to the person through "he"/"she";
* ``label:<LABEL>``: a mention of the same id under another label (``boeing`` as ORG).

:func:`gender_of` takes the strongest kind of evidence the group has (honorific, then
title, then pronoun, then first name) and the gender nearly all of it gives (two thirds);
a group whose strongest evidence disagrees stays ``unknown``, as does one without any.
:func:`kind_of` calls a group ``organisation`` when its own id is tagged as something
other than a person at least half as often as a person, and nothing the articles say makes it
one (an honorific, a gendered title or pronoun; a gendered first name asks for three
times as many other tags); everything else is a ``person``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

PERSON_KIND, ORGANISATION = "person", "organisation"
UNKNOWN = "unknown"
# strongest first: what the article says of the person beats what their first name suggests
SOURCES = ("honorific", "title", "pronoun", "first_name")
ARTICLE_SAYS = frozenset(SOURCES[:3])
_MAJORITY = 2 / 3
_NAMED = 3  # other tags per PERSON tag that outweigh a gendered first name
_UNNAMED = 0.5  # ... and without one (spaCy tags Yukos PERSON about as often as ORG)


def gender_votes(votes: Iterable[tuple[str, int]]) -> Counter:
    """(gender, source) -> count, from ``gender:<gender>:<source>`` votes."""
    out: Counter = Counter()
    for vote, n in votes:
        kind, _, rest = vote.partition(":")
        if kind == "gender":
            gender, _, source = rest.partition(":")
            out[gender, source] += n
    return out


def label_votes(votes: Iterable[tuple[str, int]]) -> int:
    """How many mentions tag the id with a label other than PERSON."""
    return sum(n for vote, n in votes if vote.startswith("label:"))


def gender_of(genders: Counter) -> tuple[str, str | None]:
    """(gender, source) of a group: the strongest source with votes decides, when two
    thirds of its votes agree; (``unknown``, None) otherwise."""
    for source in SOURCES:
        tier = Counter({g: n for (g, s), n in genders.items() if s == source and n > 0})
        if not tier:
            continue
        gender, n = tier.most_common(1)[0]
        if n >= _MAJORITY * sum(tier.values()):
            return gender, source
        return UNKNOWN, None
    return UNKNOWN, None


def kind_of(genders: Counter, other_labels: int, person_mentions: int) -> str:
    """``organisation`` when the id is tagged otherwise at least half as often as PERSON
    and the articles never say it is a person (no honorific, gendered title or pronoun); a
    gendered first name needs the other tags to outnumber PERSON ones ``_NAMED`` times
    (Cate Blanchett once a WORK_OF_ART stays a person; Merrill Lynch, always ORG, not)."""
    sources = {s for (_, s), n in genders.items() if n > 0}
    if sources & ARTICLE_SAYS:
        return PERSON_KIND
    need = _NAMED * max(person_mentions, 1) if "first_name" in sources else _UNNAMED * person_mentions
    return ORGANISATION if other_labels and other_labels >= need else PERSON_KIND
