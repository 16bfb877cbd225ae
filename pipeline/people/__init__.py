"""Stage 6, people: takes every stored entity and quote, gives the ``people`` table.

``linking`` links one person's ids across articles (alias table, one-edit surnames,
compatible first names) and counts documents, mentions and quotes; ``relink`` applies
the links to the stored partitions so ids stay joinable. Rebuilt whole on every run.
"""
