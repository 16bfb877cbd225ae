"""Stage 4, tables: takes an article's Docs and cleaned text, gives rows and Arrow tables.

``schemas`` holds the explicit schema of every table, its sort keys and its person
columns; ``records`` turns one article into rows (ids, raw offsets); ``partitions``
merges new rows into a stored partition; ``views`` reads tables back for ``newsmine show``.
"""
