"""Stage 1, ingest: takes a raw folder, gives ``SourceFile``s and ``Article``s.

``files`` lists the raw folder (drops = first-level folders, supported formats only);
``decode`` turns bytes into text (BOMs, UTF-8/16, cp1252, charset detection);
``articles`` reads one file into its article(s): ``.txt`` as is, ``.html`` through
trafilatura, ``.json``/``.jsonl`` by their text fields, with title, url and date.
A bad file is an ``Article`` with ``error`` set, never an exception.
"""
