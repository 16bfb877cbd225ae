"""Phrases that end right before a number, found from the number backwards.

Why: ``qual_before`` (``(?P<q>more than|about|...)(?:\\s+(?P<f>a|the|...))?\\s*$``) is
searched over the 48 characters before a number, and a regex search tries the whole
alternation of ~100 qualifiers at every one of those 48 positions (the pattern has no
literal start the engine could skip to). Read backwards from the number, the same
language is one anchored match: the reversed window starts with the optional spaces,
the filler reversed, then the qualifier reversed. The leftmost forward match is the
longest backward one, so the backward matches only tell where the forward match starts;
the forward pattern is then matched there once, and its groups are exactly the ones the
search would give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def _reversed_alt(words: Iterable[str]) -> str:
    """An alternation of the reversed ``words``, longest first (a first success is a longest one)."""
    return "|".join(re.escape(w[::-1]) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


def _suffix_of_another(words: list[str]) -> bool:
    """Does one word end another after a space, ignoring case (``a`` and ``a mere`` do not;
    ``the`` and ``not the`` would)? Then two fillers could end at one place, and the
    backward match would see only the first. (``a`` ends ``an extra`` with no space
    before it: the ``\\s+`` a filler needs before it cannot match inside a word.)"""
    for short in words:
        rx = re.compile(rf"(?i:{re.escape(short)})\Z")
        for long in words:
            if len(long) > len(short) and rx.search(long) and long[: -len(short)][-1:].isspace():
                return True
    return False


class TailSearch:
    """``forward.search(text, pos, endpos)`` for the ``forward`` pattern
    ``(?i:(?P<q>heads)(?:\\s+(?P<f>fills))?\\s*)$``.

    The shortcut holds when no word starts or ends with a space (the spaces between words
    are then all taken by the ``\\s`` runs) and no filler ends another after a space (one
    filler at most then ends at any place); otherwise every search is the plain one."""

    def __init__(self, forward: re.Pattern[str], heads: Iterable[str], fills: Iterable[str]) -> None:
        heads, fills = list(heads), list(fills)
        words = [*heads, *fills]
        self.forward = forward
        self.exact = bool(heads) and all(w and not w[0].isspace() and not w[-1].isspace() for w in words) \
            and not _suffix_of_another(fills)
        rev_heads = _reversed_alt(heads)
        self.bare = re.compile(rf"(?i:\s*(?:{rev_heads}))")
        self.filled = re.compile(rf"(?i:\s*(?:{_reversed_alt(fills)})\s+(?:{rev_heads}))")

    def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        """The forward pattern's search of ``text[pos:endpos]`` (the same match object)."""
        if not self.exact:
            return self.forward.search(text, pos, endpos)
        back = text[pos:endpos][::-1]
        bare, filled = self.bare.match(back), self.filled.match(back)
        if bare is None and filled is None:
            return None
        longest = max(m.end() for m in (bare, filled) if m is not None)
        found = self.forward.match(text, endpos - longest, endpos)
        return found if found is not None else self.forward.search(text, pos, endpos)
