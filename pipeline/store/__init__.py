"""Stage 5, store: takes Arrow tables, gives Parquet files that are always complete.

``parquet`` writes and reads the hive-partitioned tables (``Store``); ``journal`` makes a
commit atomic and recoverable after any crash; ``manifest`` records what was processed
from which bytes and plans what a run must redo; ``lock`` keeps one run per folder.
"""
