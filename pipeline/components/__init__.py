"""newsmine's spaCy components; importing this package registers their factories."""

from pipeline.components import claims, entities, paragraphs, quotes  # noqa: F401
