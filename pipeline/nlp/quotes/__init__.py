"""newsmine_quotes: takes a Doc with entities and people, gives ``doc._.newsmine_quotes``
(direct, partial and reported quotes with their speaker, cue and resolution).

``quote_marks`` pairs quote marks in the text; ``cues`` finds speech cues and their
subjects on the parse; ``attribution`` picks each direct quote's cue and speaker;
``reported`` finds reported speech without marks; ``speakers`` resolves a source token
to a person (the ``resolution`` rules), with ``mentions`` (the source as written,
conjuncts, appositions), ``discourse`` (the salience pass for pronouns and role nouns)
and ``roles`` (role nouns, epithets, document issuers); ``component`` runs them in order.
"""
