"""What scoring accumulates over articles: counts by name and the misses worth reading."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Miss:
    """One item the run got wrong: a gold item it missed or got partly wrong, or an item
    it invented. ``expected``/``got`` say what differs (a speaker, a value, a unit)."""

    doc: str
    what: str
    text: str
    expected: str | None = None
    got: str | None = None


@dataclass
class Tally:
    """Counts (``direct_gold``, ``claims_found`` …) and misses, summed over articles."""

    counts: Counter[str] = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)

    def add(self, name: str, n: int = 1) -> None:
        """Count ``n`` more of ``name``."""
        self.counts[name] += n

    def miss(self, doc: str, what: str, text: Any, expected: Any = None, got: Any = None) -> None:
        """Record one miss; ``expected``/``got`` are shown as strings."""
        self.misses.append(Miss(doc, what, str(text), _show(expected), _show(got)))


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple | set):
        return ", ".join(str(v) for v in value if v is not None) or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
