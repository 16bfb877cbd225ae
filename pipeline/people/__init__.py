"""Stage 6, people: takes the stored articles' own person ids, gives the ``people`` table.

``index`` reads what linking needs from a chunk's rows (the article's ids, never linked
ones); ``linking`` links one person's ids across articles (alias table, one-edit
surnames, compatible first names); ``state`` keeps the people table and the links up to
date from the ids a commit touched; ``relink`` writes the links into the stored rows so
ids stay joinable. Any history of runs gives the people of one run over the final folder.
"""
