"""The cue's words in the text: the speech verb nearest the speaker, never one inside the quote."""

from __future__ import annotations

import newsmine
from newsmine.tables.cue_offsets import cue_offsets


def test_every_quote_of_an_article_gets_its_cue_word() -> None:
    art = newsmine.extract(
        '"Everyone says the rail line is finished," the union leader, Omar Haddad, told reporters.\n'
        "According to the council, 300 homes lost power. Haddad added that talks would resume.\n"
    )
    cues = {(q.cue, art.text[q.cue_start:q.cue_end]) for q in art.quotes if q.cue_start is not None}
    assert len(art.quotes) >= 3
    assert {("tell", "told"), ("according to", "According to"), ("add", "added")} <= cues


def test_the_cue_inside_the_quote_is_skipped_and_the_nearest_wins(nlp) -> None:
    text = 'Lee said on Friday: "He said no." Later Lee said more.'
    doc = nlp(text)
    quote = {"cue": "say", "start_char": text.index("He"), "end_char": text.index('."') + 1,
             "speaker_start": 0, "speaker_end": 3}
    start, end = cue_offsets(doc, quote)
    assert (start, end) == (4, 8)
    assert cue_offsets(doc, dict(quote, cue="deny")) == (None, None)
    assert cue_offsets(doc, dict(quote, cue=None)) == (None, None)
