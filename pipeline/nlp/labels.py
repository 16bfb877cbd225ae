"""The spaCy entity labels newsmine reads, and the groups of them its rules use.

One module, so a rule that asks "can this entity speak?" or "is this a place or an
organisation?" names the group instead of repeating a tuple of labels; a label added
to a group here reaches every stage that uses it. Plain strings, no spaCy import:
the tables and people stages read them too.
"""

from __future__ import annotations

PERSON = "PERSON"
ORG = "ORG"
GPE = "GPE"
LOC = "LOC"
NORP = "NORP"
FAC = "FAC"
DATE = "DATE"
TIME = "TIME"
NO_LABEL = ""  # ``token.ent_type_`` of a token outside every entity

# Labels of names: what the entity stage settles across an article and clusters.
NAME_LABELS = frozenset({PERSON, ORG, GPE, LOC, NORP, FAC, "WORK_OF_ART", "PRODUCT", "EVENT"})
# Places and organisations: a name the article labels so keeps that label at every mention.
PLACE_ORG = frozenset({ORG, GPE, LOC, FAC, NORP})
# Who can speak or make a claim: people, organisations, countries and groups.
SPEAKER_LABELS = frozenset({PERSON, ORG, GPE, NORP})
# Bodies a spokesperson or an unnamed role speaks for (`a spokesman for the ministry`).
BODY_LABELS = frozenset({ORG, GPE, NORP})
# The mentions a later pronoun or `the company` can point back to.
SALIENT_LABELS = frozenset({PERSON, ORG})
# Dates and times: a noun tagged so is not what a number counts.
TEMPORAL_LABELS = frozenset({DATE, TIME})
