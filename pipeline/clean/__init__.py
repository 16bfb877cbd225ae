"""Stage 2, clean: takes ``Article.raw_text``, gives ``CleanedText`` (body, captions, offset maps).

``captions`` finds photo captions and credits in the paragraphs; ``glue`` finds where a
scraper glued words together; ``offsets`` maps every cleaned position back to the raw
text; ``article`` runs them in order (``clean_article``). Rule data:
``models/clean/captions.json`` and ``models/clean/glue.json``.
"""
