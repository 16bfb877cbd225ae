"""The Doc extension attributes our components write.

They hold plain data only (dicts of str/int/float/None and lists of them), never
Span objects, so a Doc survives ``n_process > 1``, DocBin and pickling to a Dask
worker (scispacy issue #338 is the cautionary tale).

* ``doc._.newsmine_people``: one dict per person/organisation cluster in the doc:
  ``{"canonical_id", "canonical_name", "label", "aliases": [...], "titles": [...], "gender",
  "gender_source", "mentions": [[start_char, end_char], ...]}``; ``gender`` is "female",
  "male" or None (persons only, see ``entities.gender``), ``gender_source`` the evidence
  (``honorific``, ``title`` or ``first_name``). Written by ``newsmine_entities``.
* ``doc._.newsmine_quotes``: one dict per quote, keys as in the ``quotes`` table
  minus doc_id/drop/quote_id/raw offsets. Written by ``newsmine_quotes``.
* ``doc._.newsmine_claims``: one dict per numeric claim, keys as in the ``claims``
  table minus doc_id/drop/claim_id/raw offsets, plus ``quote_index`` (position in
  ``newsmine_quotes`` of the quote it sits in, or None). Written by ``newsmine_claims``.
* ``doc._.newsmine_text``: ``doc.text``, kept once per doc (``doc_text``).
"""

from __future__ import annotations

from spacy.tokens import Doc

PEOPLE = "newsmine_people"
QUOTES = "newsmine_quotes"
CLAIMS = "newsmine_claims"
TEXT = "newsmine_text"


def register_extensions() -> None:
    """Register every extension once; ``force=True`` keeps re-imports harmless."""
    for name in (PEOPLE, QUOTES, CLAIMS, TEXT):
        Doc.set_extension(name, default=None, force=True)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc: spaCy joins every token's text on each access,
    and the entity, quote and claim stages all read it."""
    text = doc._.get(TEXT)
    if text is None:
        text = doc.text
        doc._.set(TEXT, text)
    return text


register_extensions()
