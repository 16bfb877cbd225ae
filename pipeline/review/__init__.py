"""Review: takes a run's stored tables, gives one self-contained HTML page to read them in
context (``newsmine review``).

``spans`` turns overlapping items into properly nested elements at their offsets;
``article`` lays out one article (marked-up text, quote and claim tables, entities in
displaCy's manner); ``page`` holds the styles, the small script and the index;
``build`` picks the articles and writes the file.
"""

from newsmine.review.build import Review, build_page, write_review

__all__ = ["Review", "build_page", "write_review"]
