"""newsmine_entities: takes a Doc after ``ner``, gives consistent ``doc.ents`` and
``doc._.newsmine_people`` (one cluster per person, place or organisation).

``component`` (gazetteer and the model's spans: steps 1-2), ``labelling`` (step 3: each
name's label by the whole article's evidence), ``clusters`` (step 4), ``evidence``
(organisation and work-title evidence, datelines), ``arrays`` (per-doc plain arrays),
``gazetteer`` (the rule data), ``names`` (pure name comparison, shared with ``people``),
``gender`` (a person's gender from first name, honorific or title; a cluster's ``gender``).
"""
