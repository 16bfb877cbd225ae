"""What the claims tests share."""

from __future__ import annotations

from newsmine.nlp.claims.numbers import NumberMatch, parse_claims


def only(text: str) -> NumberMatch:
    """The one claim the parser finds in ``text`` (the test fails if there are more or none)."""
    claims = parse_claims(text)
    assert len(claims) == 1, claims
    return claims[0]
