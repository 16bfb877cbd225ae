"""The quote stage's per-doc columns and caches give what the token-by-token code gives."""

from __future__ import annotations

from newsmine.nlp.attrs import PEOPLE
from newsmine.nlp.quotes import columns
from newsmine.nlp.quotes.mentions import entity_bounds, name_span
from newsmine.nlp.quotes.speakers import SpeakerResolver

TEXT = ("LONDON - Prime Minister Keir Starmer told the House of Commons on Tuesday that the "
        "plan would go ahead. In a joint statement, the American Academy of Pediatrics said "
        "the rules were unclear. \"We will not back down,\" said Ana Ruiz, 52, a spokeswoman "
        "for the union. According to the Office for National Statistics, prices rose 3%.\n"
        "Ruiz's colleague, the 47-year-old striker Tom Hale, said he agreed.")


def _walked_bounds(doc, i: int) -> tuple[int, int]:
    """Entity bounds the way the stage once found them: walking the IOB tags."""
    start, end = i, i + 1
    if not doc[i].ent_type_:
        return start, end
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def test_entity_ranges_match_the_iob_walk(nlp):
    doc = nlp(TEXT)
    assert any(t.ent_type_ for t in doc)
    with columns.bound(doc):
        assert [entity_bounds(t) for t in doc] == [_walked_bounds(doc, t.i) for t in doc]
    assert [entity_bounds(t) for t in doc] == [_walked_bounds(doc, t.i) for t in doc]  # unbound


def test_columns_outside_the_block_are_built_for_the_doc_asked(nlp):
    first, second = nlp(TEXT), nlp("Ruiz said no.")
    with columns.bound(first) as cols:
        assert columns.of(first) is cols
        assert columns.of(second).doc is second
    assert columns.of(first) is not cols


def test_resolver_caches_give_the_uncached_answers(nlp):
    doc = nlp(TEXT)
    q = nlp.get_pipe("newsmine_quotes")
    n = len(doc)
    resolver = SpeakerResolver(doc, doc._.get(PEOPLE), q.roles, q.org_nouns, q.pronouns, q.gendered,
                               [False] * n, [0] * n, rules=q.speaker_rules)
    for tok in doc:
        first = resolver._describe(tok)
        first["speaker"] = "changed"  # a caller's change must not reach the cache
        again = resolver._describe(tok)
        assert "speaker" not in again
        assert again == resolver._fields(tok)
        assert resolver._name_span(tok) == name_span(tok)


def test_children_outside_quotes_match_the_token_walk(nlp):
    doc = nlp('"We will not back down," said Ana Ruiz, who called the deal "a disgrace" on Monday.')
    inside = [0 if i in range(1, 7) else 1 if i in range(15, 18) else -1 for i in range(len(doc))]
    expected = {}
    for tok in doc:
        if inside[tok.i] >= 0:
            kids = [c.i for c in tok.children if inside[c.i] < 0]
            if kids:
                expected[tok.i] = kids
    assert expected  # the quotes' heads hang words outside them
    with columns.bound(doc) as cols:
        assert cols.children_outside(inside) == expected
        assert cols.children_outside(inside) is cols.children_outside(inside)  # once per doc
        assert cols.head == [t.head.i for t in doc]
        assert cols.punct == [t.is_punct for t in doc]
