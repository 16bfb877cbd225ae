"""newsmine: raw news articles in, Parquet tables of entities, quotes and numeric claims out.

The stages, one folder each, in the order data flows::

    ingest -> clean -> nlp (entities, quotes, claims) -> tables -> store -> people

``run`` wires them together and ``cli`` is the ``newsmine`` command; ``rules`` finds
and reads the rule data under ``models/``.
"""

__version__ = "0.1.0"
