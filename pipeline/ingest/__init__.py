"""Stage 1, ingest: takes a raw folder, gives ``SourceFile``s and ``Article``s.

``files`` lists the raw folder (drops = first-level folders, supported formats only) and
names every entry it leaves out (``Skipped``: a symlink pointing outside, a FIFO, an
unsupported extension); ``decode`` turns bytes into text (BOMs, UTF-8/16, UTF-8 with a
few broken bytes replaced, cp1252, charset detection); ``articles`` reads one file into
its article(s): ``.txt`` as is, ``.html`` through trafilatura, ``.json``/``.jsonl`` by
the field names of common scrapers (``metadata``), with title, url, site, authors and
the publication time in UTC (``dates``) and the article's language (``language``).
A bad file is an ``Article`` with ``error`` set, never an exception.
"""
