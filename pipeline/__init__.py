"""newsmine: raw news articles in, Parquet tables of entities, quotes and numeric claims out."""

__version__ = "0.1.0"
