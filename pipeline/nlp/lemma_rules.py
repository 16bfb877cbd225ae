"""The base model's lemmatizer, answering one token at a time as fast as its own code allows.

``Lemmatizer.rule_lemmatize`` checks each candidate form with ``form in index``, where
the index is a list (57,000 nouns in ``en_core_web_sm``), so every new word costs a
few list scans. ``RuleLemmatizer`` runs that same method over the same tables with the
index lists turned into sets: the same code and data, the same answers, without the
scans. Any other mode (or a subclass that overrides ``rule_lemmatize``) is asked
through its own ``lemmatize``. The base-form test of spaCy's own English (and default)
lemmatizer reads only the token's POS and morphology, so its answers are kept per pair
(``to_dict`` of the morphology per new word cost a quarter of the method).
"""

from __future__ import annotations

from typing import Any

from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.strings import get_string_id
from spacy.tokens import Token

_TABLES = ("lemma_rules", "lemma_exc", "lemma_index")
_POS_AND_MORPH_ONLY = (Lemmatizer.is_base_form, EnglishLemmatizer.is_base_form)  # read nothing else


class _Table(dict):
    """A lookups table keyed by string hash, read by ``get`` like ``spacy.lookups.Table``."""

    def get(self, key: Any, default: Any = None) -> Any:  # type: ignore[override]
        return dict.get(self, get_string_id(key), default)


class RuleLemmatizer:
    """``Lemmatizer.rule_lemmatize`` over set-valued index tables (see module doc)."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self._base = lemmatizer
        self.cache: dict = {}  # rule_lemmatize's own memo, keyed (ORTH, POS, MORPH)
        known = type(lemmatizer).is_base_form in _POS_AND_MORPH_ONLY
        self._base_forms: dict[tuple[int, int], bool] | None = {} if known else None  # (POS, MORPH) -> answer
        self.lookups = Lookups()
        for name in _TABLES:
            table = lemmatizer.lookups.get_table(name, {})
            as_set = name == "lemma_index"
            self.lookups.set_table(name, _Table({k: frozenset(v) if as_set else v for k, v in table.items()}))

    def is_base_form(self, token: Token) -> bool:
        """The base lemmatizer's own test (English: singular nouns, infinitives...)."""
        if self._base_forms is None:
            return self._base.is_base_form(token)
        key = (token.pos, token.morph.key)
        answer = self._base_forms.get(key)
        if answer is None:
            answer = self._base_forms[key] = self._base.is_base_form(token)  # bounded: POS x morphs seen
        return answer

    def __call__(self, token: Token) -> str:
        return Lemmatizer.rule_lemmatize(self, token)[0]  # type: ignore[arg-type]


class ModeLemmatizer:
    """Any other mode: the lemmatizer's own ``lemmatize`` (and its own cache)."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self._base = lemmatizer
        self.cache = lemmatizer.cache

    def __call__(self, token: Token) -> str:
        return self._base.lemmatize(token)[0]


def token_lemmatizer(lemmatizer: Lemmatizer) -> RuleLemmatizer | ModeLemmatizer:
    """A callable giving ``token``'s lemma exactly as ``lemmatizer`` would (with a ``cache``)."""
    if lemmatizer.mode == "rule" and type(lemmatizer).rule_lemmatize is Lemmatizer.rule_lemmatize:
        return RuleLemmatizer(lemmatizer)
    return ModeLemmatizer(lemmatizer)
