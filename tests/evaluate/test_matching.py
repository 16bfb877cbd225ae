"""The matching rules, on hand-made rows: words, coverage, speakers, units, values, pairing."""

from __future__ import annotations

from newsmine.evaluate.claims import score_claims
from newsmine.evaluate.gold import GoldClaim, GoldQuote
from newsmine.evaluate.matching import (
    coverage,
    head_words,
    qualifier_matches,
    speaker_matches,
    unit_words,
    value_matches,
    words,
)
from newsmine.evaluate.quotes import score_quotes
from newsmine.evaluate.tally import Tally


def quote_row(text: str, kind: str, speaker: str | None, canonical: str | None = None) -> dict:
    return {"text": text, "kind": kind, "speaker": speaker, "speaker_canonical": canonical or speaker}


def claim_row(text: str, value: float, unit: str | None = None, qualifier: str = "exact", **more) -> dict:
    return {"text": text, "value": value, "unit": unit, "qualifier": qualifier, "subject": None,
            "trend": None, "claimant": None, "claimant_canonical": None, **more}


def test_words_ignore_case_punctuation_curly_apostrophes_and_digit_groups() -> None:
    assert words("“We’ll need 1,200 more,” she said.") == ["we", "ll", "need", "1200", "more", "she", "said"]
    assert words(None) == [] and words(float("nan")) == []


def test_coverage_counts_words_in_order_and_is_not_symmetric() -> None:
    part, whole = words("the pier will reopen"), words("the harbour master said the pier will reopen in May")
    assert coverage(part, whole) == 4
    assert coverage(whole, part) == 4
    assert coverage(words("reopen will pier"), whole) == 1


def test_a_speaker_matches_on_the_head_word_of_the_gold_phrase() -> None:
    assert head_words("Chris Low at FTN Financial") == {"financial", "low"}
    assert head_words("a spokeswoman for the campaign, who asked not to be named") == {"named", "spokeswoman"}
    assert speaker_matches("Ines Marlow", "Marlow")
    assert speaker_matches("the union leaders", None, "union leader")  # plurals stemmed
    assert not speaker_matches("Ines Marlow", "Tomas Reddy", "he")
    assert not speaker_matches(None, "Marlow")


def test_units_spell_out_symbols_and_merge_aliases() -> None:
    assert unit_words(["$4.5bn"]) >= {"dollar"}
    assert unit_words(["12 pct"]) == {"12", "percent"}
    assert "week" in unit_words(["more than 40 days a week"])
    assert unit_words(["about the total"]) == set()


def test_values_scalars_intervals_and_qualifiers() -> None:
    assert value_matches(40.0, {"value": 40.0000001})
    assert not value_matches(40.0, {"value": 41.0})
    assert value_matches([10.0, 12.0], {"value": 11.0})  # the midpoint
    assert value_matches([10.0, 12.0], {"value": 3.0, "value_low": 10.0, "value_high": 12.0})
    assert not value_matches(40.0, {"value": None})
    assert qualifier_matches("more_than", 40.0, {"qualifier": "at_least"})
    assert qualifier_matches("exact", [10.0, 12.0], {"qualifier": "range"})
    assert not qualifier_matches("exact", 40.0, {"qualifier": "range"})
    assert qualifier_matches("up", 3.0, {"qualifier": "exact", "trend": "up"})


def test_direct_quotes_spans_speakers_and_a_mixed_row() -> None:
    gold = [
        GoldQuote("The pier will reopen in May", "the harbour master, Ines Marlow", "direct"),
        GoldQuote("We will strike until the yard pays", "Tomas Reddy", "direct"),
        GoldQuote("Nobody was hurt", None, "direct"),
    ]
    rows = [
        quote_row("The pier will reopen in May,", "direct", "the harbour master", "Ines Marlow"),
        quote_row("the union would strike, saying \u201cwe will strike until the yard pays\u201d", "mixed",
                  "he", "Gary Holt"),
        quote_row("Harbour closed, officials said", "direct", None),
    ]
    tally = Tally()
    score_quotes("port.txt", gold, rows, tally)
    c = tally.counts
    assert (c["direct_found"], c["direct_gold"]) == (2, 3)  # the mixed row finds Reddy's words
    assert (c["direct_attributed"], c["direct_gold_with_speaker"]) == (1, 2)
    assert (c["direct_pred_ok"], c["direct_pred"]) == (1, 2)  # the mixed row is not judged here
    assert (c["indirect_pred_ok"], c["indirect_pred"]) == (0, 1)  # right words, wrong speaker
    assert [(m.what, m.expected) for m in tally.misses if m.what.startswith("quote")] == [
        ("quote misattributed", "Tomas Reddy"),
        ("quote invented", None),
    ]
    assert "Nobody was hurt" not in {m.text for m in tally.misses}  # no named source: span only


def test_reported_speech_needs_half_the_words_and_the_speaker() -> None:
    gold = [GoldQuote("the yard had lost two contracts this year", "Tomas Reddy", "indirect")]
    rows = [
        quote_row("the yard had lost two contracts", "indirect", "Reddy"),
        quote_row("two contracts", "indirect", "a spokesman"),
    ]
    tally = Tally()
    score_quotes("union.txt", gold, rows, tally)
    c = tally.counts
    assert (c["indirect_found"], c["indirect_gold"]) == (1, 1)
    assert (c["indirect_pred_ok"], c["indirect_pred"]) == (1, 2)
    assert [m.got for m in tally.misses] == ["a spokesman"]


def test_claims_pair_on_value_then_unit_and_check_qualifier_and_claimant() -> None:
    gold = [
        GoldClaim("40 boats", 40.0, ["boats"], "exact", "Ines Marlow", False),
        GoldClaim("more than 1,200 members", 1200.0, ["members"], "more_than", None, False),
        GoldClaim("12 weeks", 12.0, ["weeks"], "exact", None, False),
        GoldClaim("a decade", 10.0, ["year"], "exact", None, True),
    ]
    rows = [
        claim_row("40 days", 40.0, "day"),
        claim_row("40 boats", 40.0, "boats", claimant_canonical="Ines Marlow"),
        claim_row("1,200 members", 1200.0, "members", "exact"),
        claim_row("ten years", 10.0, "year"),
        claim_row("3 cranes", 3.0, "cranes"),
    ]
    tally = Tally()
    score_claims("port.txt", gold, rows, tally)
    c = tally.counts
    assert (c["claims_found"], c["claims_gold"]) == (2, 3)
    assert (c["claims_pred_ok"], c["claims_pred"]) == (3, 5)  # the optional claim takes "ten years"
    assert (c["claims_unit_ok"], c["claims_qualifier_ok"], c["claimant_ok"]) == (2, 1, 1)
    assert sorted((m.what, m.text) for m in tally.misses) == [
        ("claim invented", "3 cranes"), ("claim invented", "40 days"),
        ("claim missed", "12 weeks"), ("claim qualifier", "more than 1,200 members"),
    ]


def test_speech_only_keeps_speech_and_quotes_of_unknown_cue_type() -> None:
    import pandas as pd

    from newsmine.evaluate.scoring import speech_only

    quotes = pd.DataFrame({"text": ["a", "b", "c", "d"], "cue_type": ["speech", "thought", None, "evidence"]})
    assert list(speech_only(quotes)["text"]) == ["a", "c"]
    assert len(speech_only(quotes.drop(columns=["cue_type"]))) == 4
