"""Stage 3, nlp: takes cleaned texts, gives spaCy Docs carrying plain records.

``config`` reads ``models/pipeline.toml`` (no spaCy needed); ``loading`` builds the base
English model plus newsmine's components; ``component`` is what they share (rule data
loaded from ``models/`` and saved with ``to_disk``); ``attrs`` names the Doc extensions
they write; ``labels`` the entity-label groups the rules use; ``lexicon`` reads the shared
pronoun and gender lists. The components, in pipeline order: ``paragraphs``
(line breaks are sentence starts), ``entities/``, ``quotes/``, ``claims/``.
"""
