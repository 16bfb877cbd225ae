"""newsmine_claims: takes a Doc with quotes and people, gives ``doc._.newsmine_claims``
(numeric claims with value, unit, qualifier, subject, predicate and claimant).

The number grammar reads characters only: ``numbers`` (values, scales, units, ranges),
``number_context`` (qualifiers, trends, and what is not a claim), ``number_lexicon``
(the regexes built from ``models/claims/lexicon.json``). ``component`` adds what needs
the parse (the counted noun, rates, the predicate); ``claimant`` says who makes it.
"""
