"""Stage 5, store: takes Arrow tables, gives Parquet files that are always complete and checked.

``parquet`` writes and reads the tables (``Store``: parts per chunk, each verified against
its size and sha256); ``chunks`` decides which part of its drop a raw file's rows live in,
so a run rewrites only the parts its changes touch; ``journal`` makes a commit atomic and
recoverable after any crash; ``db`` is the manifest database (files, parts, and the person
index of ``person_index``); ``manifest`` records what was processed from which bytes and
plans what a run must redo; ``paths`` keeps every write inside the output folder; ``lock``
keeps one run per folder.
"""
