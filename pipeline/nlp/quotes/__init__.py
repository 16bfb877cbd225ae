"""newsmine_quotes: takes a Doc with entities and people, gives ``doc._.newsmine_quotes``
(direct, partial and reported quotes with their speaker, cue and resolution).

``quote_marks`` pairs quote marks in the text; ``cues`` finds speech cues and their
subjects on the parse; ``attribution`` picks each direct quote's cue and speaker;
``reported`` finds reported speech without marks; ``speakers`` resolves a subject token
to a canonical speaker (named, pronoun, role); ``component`` runs them in order.
"""
