"""newsmine: raw news articles in, Parquet tables of entities, quotes and numeric claims out.

The stages, one folder each, in the order data flows::

    ingest -> clean -> nlp (entities, quotes, claims) -> tables -> store -> people

``run`` wires them together and ``cli`` is the ``newsmine`` command; ``rules`` finds
and reads the rule data under ``models/``; ``evaluate`` scores tables against gold
annotations and ``review`` writes an HTML page to read them in context.

The Python API (``newsmine.api``)::

    import newsmine
    art = newsmine.extract(text)               # quotes, claims, entities of one article
    tables = newsmine.read_tables("data/out")  # every stored table as a DataFrame

Its names are imported on first use, so ``import newsmine`` (and the command) stay quick.
"""

from typing import Any

__version__ = "0.1.0"

_API = ("Article", "Claim", "Entity", "ExtractError", "Quote", "extract", "read_tables")
__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _API:
        from newsmine import api

        return getattr(api, name)
    raise AttributeError(f"module 'newsmine' has no attribute {name!r}")
