"""Readers of the structured shared lexicon under ``models/lexicon/``: pronouns and genders.

The word lists there (speech verbs, roles, organisation nouns) are plain ``.txt`` lists
read with ``rules.read_words``; these two are mappings with a meaning per entry, read
here once for every stage that needs them (quotes resolve pronouns and genders; claims
take the subject pronouns as claimants).
"""

from __future__ import annotations

from typing import Any

from newsmine.rules import RuleDataError, RuleSource, read_json

_PRONOUN_SPEC = frozenset({"can_be", "gender", "number", "case"})


def read_pronouns(source: RuleSource, rel: str) -> dict[str, dict[str, Any]]:
    """Speaker pronouns (lower-cased) -> their spec (``can_be``, ``gender``, ``number``, ``case``)."""
    pronouns = read_json(source, rel, required=["pronouns"])["pronouns"]
    for word, spec in pronouns.items():
        unknown = set(spec) - _PRONOUN_SPEC if isinstance(spec, dict) else {"(not an object)"}
        if unknown:
            raise RuleDataError(f"{source.where(rel)}: pronoun {word!r}: unknown key(s) {sorted(unknown)}")
    return {k.lower(): v for k, v in pronouns.items()}


def read_genders(source: RuleSource, honorifics: str, nouns: str) -> dict[str, str]:
    """Words that give a person's gender (lower-cased) -> the gender: honorifics that have
    one (``lexicon/honorifics.json``) and the gendered nouns of the quote stage."""
    known = read_json(source, honorifics, required=["honorifics"])["honorifics"]
    gendered = {k.lower(): v for k, v in known.items() if v}
    for word, gender in read_json(source, nouns, required=["gendered_nouns"])["gendered_nouns"].items():
        if word.lower() in gendered:
            raise RuleDataError(f"{source.where(nouns)}: {word!r} is already in {source.where(honorifics)}")
        gendered[word.lower()] = gender
    return gendered
