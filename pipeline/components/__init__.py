"""newsmine's spaCy components; importing this package registers their factories."""

from pipeline.components import claims, entities, quotes  # noqa: F401
