"""Cleaning: captions out, glue repaired, nothing real split, and offsets that map back to raw."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsmine.clean.article import _clean, clean_article

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "data" / "raw" / "sample").glob("*.txt"))
BBC = REPO.parent / "shared" / "corpus" / "bbc"

# Names used whole elsewhere in the article, as a real article would.
CONTEXT = (
    "\nUkrainian President Volodymyr Zelenskyy met Secretary of State Marco Rubio and Pete Hegseth "
    "in Kharkiv. Zelenskyy thanked Trump. Trump said the U.S. would help Ukraine."
)


def cleaned(sentence: str) -> str:
    """The cleaned first paragraph of a sentence placed in a small article."""
    return clean_article(sentence + CONTEXT).text.split("\n")[0]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# ---------------------------------------------------------------- glue repairs


@pytest.mark.parametrize(
    ("glued", "repaired"),
    [
        ("According to aU.S. assessmentreleased in April, losses rose.",
         "According to a U.S. assessment released in April, losses rose."),
        ("An estimated790,000 Russian soldiers have been killed.",
         "An estimated 790,000 Russian soldiers have been killed."),
        ("A wary Zelenskyysayson the Telegram app that talks failed.",
         "A wary Zelenskyy says on the Telegram app that talks failed."),
        ("Weeks later, Trumpmade separate calls to both leaders.",
         "Weeks later, Trump made separate calls to both leaders."),
        ("Secretary of State Marco Rubiomet with his counterpart.",
         "Secretary of State Marco Rubio met with his counterpart."),
        ("Kyiv would have topermanently cede some territory.",
         "Kyiv would have to permanently cede some territory."),
        ("Russia lost troops, whileZelenskyy has saidmore than 400,000 forcesbeen hurt.",
         "Russia lost troops, while Zelenskyy has said more than 400,000 forces been hurt."),
        ("He suggested that Kyiv was to blamefor the invasion.",
         "He suggested that Kyiv was to blame for the invasion."),
        ('He is prepared to"just back away"and let it continue.',
         'He is prepared to "just back away" and let it continue.'),
        ('An adviser,saying"we can\'t accept it" in its current form.',
         'An adviser, saying "we can\'t accept it" in its current form.'),
        ("“There's nothing to talk about here,”Zelenskyy said.",
         "“There's nothing to talk about here,” Zelenskyy said."),
        ("The mayor said“we will rebuild” on Monday.", "The mayor said “we will rebuild” on Monday."),
        ("Zelenskyy rejected offering the U.S.access to reserves.",
         "Zelenskyy rejected offering the U.S. access to reserves."),
        ("He traveled there for anow-infamous meeting.", "He traveled there for a now-infamous meeting."),
        ("Officials meet face-to-facein Istanbul.", "Officials meet face-to-face in Istanbul."),
        ("Duringhigh-level talks in Jeddah, Ukraine agreed.",
         "During high-level talks in Jeddah, Ukraine agreed."),
        ("Zelenskyy alsoaccusedRussia of deception.", "Zelenskyy also accused Russia of deception."),
        ("The pledge came in the researchinstitute report.",
         "The pledge came in the research institute report."),
        ("Trump took to theTruth Social platform.", "Trump took to the Truth Social platform."),
        ("Moscow agreed to aBlack Sea ceasefireaimed at safe navigation.",
         "Moscow agreed to a Black Sea ceasefire aimed at safe navigation."),
        ("The talks ended.The minister left early.", "The talks ended. The minister left early."),
        ("He said the figure rose by 2001alleging fraud.", "He said the figure rose by 2001 alleging fraud."),
        ("This is one ofthe largest attacks.", "This is one of the largest attacks."),
    ],
)
def test_glue_is_repaired(glued: str, repaired: str) -> None:
    assert cleaned(glued) == repaired


# ---------------------------------------------------------------- things that must never change


@pytest.mark.parametrize(
    "sentence",
    [
        "A U.S. assessment of the infrastructure notwithstanding, Zelenskyy and Hegseth met in Kharkiv.",
        "Leaders met at Dolmabahce Palace while troops held the frontlines near a trolleybus depot.",
        "They met face-to-face in a well-known, long-running, so-called peace process.",
        "Read more at https://www.npr.org/2025/06/02/ukraine-talks or email tips@example.com today.",
        "Follow @ZelenskyyUa and #StandWithUkraine on example.com for updates.",
        "Over 1,000 detainees, 3.5% inflation, $1.13bn in 2022 and 30mph winds on the A320 route.",
        "Russia's strikes don't stop, Zelenskyy's aides said; it's the Kremlin's war.",
        "COVID19 cases rose, the G7 met, and F16 jets flew 24/7 in 5G-era tests of 10km.",
        "TimeWarner and DeepSeek, McDonald's, iPhone users and LeBron James were all mentioned.",
        "Analysts cited asbestosis cases and a throughputs report from the stategist at the bank.",
        'He said: "We will win." Then he added: "Not today."',
    ],
)
def test_must_not_change(sentence: str) -> None:
    assert cleaned(sentence) == sentence


@pytest.mark.parametrize("word", ["Zelenskyy", "Hegseth", "Kharkiv", "Dolmabahce", "trolleybus", "frontlines",
                                  "assessment", "infrastructure", "notwithstanding", "Ryabkov", "Peskov"])
def test_names_and_rare_words_are_never_split(word: str) -> None:
    assert cleaned(f"The report on {word} was published.") == f"The report on {word} was published."


def test_rare_name_the_article_repeats_is_kept_even_if_it_splits() -> None:
    # "Bridgewell" = "Bridge" + "well"; the article spelling it twice proves it is a name
    text = "Bridgewell said profits rose. Analysts at Bridgewell agreed."
    assert clean_article(text).text == text


# ---------------------------------------------------------------- captions and credits


def test_npr_glued_caption_and_credit_leave_the_body() -> None:
    raw = SAMPLES[1].read_text(encoding="utf-8")
    c = clean_article(raw)
    assert "Getty" not in c.text and "hide caption" not in c.text and "trolleybus" not in c.text
    assert c.text.startswith("Donald Trump often promised to get a deal")
    assert len(c.captions) == 4
    first = c.captions[0]
    assert first.text.startswith("Ukrainian rescuers work to extinguish a fire in a trolleybus depot")
    assert first.text.endswith("amid the Russian invasion of Ukraine.")
    assert first.credit == "Sergey Bobok/AFP via Getty Images"
    assert first.photographer == "Sergey Bobok"
    assert raw[first.photographer_raw_start:first.photographer_raw_end] == "Sergey Bobok"
    assert raw[first.raw_start:first.raw_end] == first.text
    assert [cap.photographer for cap in c.captions] == ["Sergey Bobok", "Genya Savilov", "Mikhail Metzel",
                                                        "Francisco Seco"]


@pytest.mark.parametrize(
    ("paragraph", "text", "credit", "photographer"),
    [
        ("Rescuers search the rubble in Dnipro on Tuesday. Evgeniy Maloletka/Reuters",
         "Rescuers search the rubble in Dnipro on Tuesday.", "Evgeniy Maloletka/Reuters",
         "Evgeniy Maloletka"),
        ("President Trump speaks in the Oval Office. (Photo by Andrew Harnik/Getty Images)",
         "President Trump speaks in the Oval Office.", "Andrew Harnik/Getty Images", "Andrew Harnik"),
        ("Image caption, Firefighters work at the scene in Kyiv",
         "Firefighters work at the scene in Kyiv", None, None),
        ("Smoke rises over the port of Odesa.\nhide caption\ntoggle caption\n"
         "Oleksandr Gimanov/AFP via Getty Images",
         "Smoke rises over the port of Odesa.", "Oleksandr Gimanov/AFP via Getty Images",
         "Oleksandr Gimanov"),
        ("Photo: Efrem Lukatsky/AP\nA woman walks past a destroyed building in Irpin.",
         "", "Efrem Lukatsky/AP", "Efrem Lukatsky"),
        ("Soldiers ride an armoured vehicle near Bakhmut. Pool/AFP via Getty Images",
         "Soldiers ride an armoured vehicle near Bakhmut.", "Pool/AFP via Getty Images", None),
    ],
)
def test_caption_forms(paragraph: str, text: str, credit: str | None, photographer: str | None) -> None:
    body = "The talks in Istanbul ended without a deal, officials said on Monday."
    raw = f"{body}\n{paragraph}\n{body}"
    c = clean_article(raw)
    assert len(c.captions) == 1
    cap = c.captions[0]
    assert (cap.text, cap.credit, cap.photographer) == (text, credit, photographer)
    if photographer:
        assert raw[cap.photographer_raw_start:cap.photographer_raw_end] == photographer
    assert "Getty" not in c.text and "caption" not in c.text and "Reuters" not in c.text
    assert c.text.startswith(body) and c.text.endswith(body)


def test_bbc_style_credit_line_attaches_to_following_caption() -> None:
    raw = ("Protesters gathered outside parliament.\nImage source, Getty Images\n"
           "Image caption, Police watched the crowd in Westminster\nThe vote is due on Tuesday.")
    c = clean_article(raw)
    assert c.text == "Protesters gathered outside parliament.\nThe vote is due on Tuesday."
    assert [(x.text, x.credit, x.photographer) for x in c.captions] == [
        ("Police watched the crowd in Westminster", "Getty Images", None)]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The minister told Reuters that the talks would resume next week.",
        "A Reuters/Ipsos poll found that 52% of Americans back more aid to Ukraine.",
        "Asked about the deal, he said: \"Ask AFP, they have the photos.\"",
        "The caption contest at the Getty Images office drew 200 entries, organisers said.",
    ],
)
def test_body_paragraphs_mentioning_agencies_stay(paragraph: str) -> None:
    c = clean_article(paragraph)
    assert c.text == paragraph and c.captions == []


# ---------------------------------------------------------------- whitespace, unicode, paragraphs


def test_whitespace_paragraphs_and_invisibles() -> None:
    raw = "  First  para\u00a0graph\twith infra\u00adstructure.\r\n\r\n\n Second\u200b one. \n"
    c = clean_article(raw)
    assert c.text == "First para graph with infrastructure.\nSecond one."
    s = c.text.index("infrastructure")
    rs, re_ = c.to_raw(s, s + len("infrastructure"))
    assert raw[rs:re_] == "infra\u00adstructure"


def test_nfc_composes_and_maps_back() -> None:
    raw = "The cafe\u0301 in Kyiv reopened."
    c = clean_article(raw)
    assert c.text == "The café in Kyiv reopened."
    s = c.text.index("café")
    rs, re_ = c.to_raw(s, s + 4)
    assert raw[rs:re_] == "cafe\u0301"


def test_body_end_excludes_trailing_metadata() -> None:
    raw = "Body text here.\nimage source from:https://example.com/x"
    c = clean_article(raw, body_end=raw.index("image"))
    assert c.text == "Body text here."


def test_deterministic() -> None:
    raw = SAMPLES[1].read_text(encoding="utf-8")
    assert clean_article(raw) == clean_article(raw)


# ---------------------------------------------------------------- offsets


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_word_maps_back_to_raw(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    c = clean_article(raw)
    for m in re.finditer(r"\S+", c.text):
        rs, re_ = c.to_raw(*m.span())
        assert squash(raw[rs:re_]) == m.group(), m.group()
    for m in re.finditer(r"[^.!?\n]+[.!?]", c.text):  # sentences across repaired glue
        rs, re_ = c.to_raw(*m.span())
        assert squash(raw[rs:re_]) == squash(m.group())
    for i, cap in enumerate(c.captions):
        for m in re.finditer(r"\S+", cap.text):
            rs, re_ = c.caption_to_raw(i, *m.span())
            assert raw[rs:re_] == m.group()


def test_inserted_space_maps_between_the_glued_words() -> None:
    raw = "Trump said Zelenskyy was to blamefor the invasion, Trump said."
    c = clean_article(raw)
    s, r = c.text.index("blame for"), raw.index("blamefor")
    assert c.to_raw(s, s + len("blame for")) == (r, r + 8)
    assert c.to_raw(s + 5, s + 6) == (r + 5, r + 5)  # the inserted space itself: empty, between the words
    assert c.to_raw(s + 6, s + 9) == (r + 5, r + 8)


# ---------------------------------------------------------------- property: never raises, sane offsets

_alphabet = st.sampled_from(list("abcXYZ019 .,'\"“”-\n\t\r/@#") + ["\u00ad", "\u200b", "e\u0301", "\u00a0",
                                                                   "hide caption", "Getty Images", "/AFP",
                                                                   "Trump", "blamefor", "aU.S.", "\x00"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_alphabet, max_size=60).map("".join), st.integers(min_value=-5, max_value=400))
def test_property_never_raises_and_offsets_are_sane(raw: str, body_end: int) -> None:
    n = len(raw)
    c = _clean(raw, max(0, min(body_end, n)))  # not clean_article: its safety net would hide a bug
    assert clean_article(raw, body_end) == c
    last = 0
    for i in range(len(c.text) + 1):
        rs, re_ = c.to_raw(i, i)
        assert 0 <= rs <= n and rs >= last  # monotonic, inside raw
        last = rs
    for m in re.finditer(r"\S+", c.text):
        rs, re_ = c.to_raw(*m.span())
        assert 0 <= rs <= re_ <= n
        raw_slice = re.sub(r"[\s\u00ad\u200b\x00]", "", raw[rs:re_])
        assert unicodedata.normalize("NFC", raw_slice) == m.group()
    for i, cap in enumerate(c.captions):
        rs, re_ = c.caption_to_raw(i, 0, len(cap.text))
        assert 0 <= rs <= re_ <= n


# ---------------------------------------------------------------- robustness on clean text


@pytest.mark.skipif(not BBC.is_dir(), reason="BBC corpus not available")
def test_clean_bbc_articles_come_through_unchanged() -> None:
    files = sorted(BBC.glob("*/*.txt"))[::7][:300]
    changed = 0
    for f in files:
        raw = f.read_bytes().decode("utf-8", errors="replace")
        text = clean_article(raw).text
        assert squash(raw) == squash(text), f.name  # only whitespace may change: nothing removed
        changed += len(text.split()) - len(raw.split())  # tokens split by the glue repair
    assert changed <= 12  # of ~115k words; most are real glue in the BBC text ("inwhich", "hesaid.")


def test_cleaning_and_the_entity_stage_share_one_copy_of_the_word_list() -> None:
    """wordfreq keeps its list per call signature: the glue repair's zipf table and the
    entity stage's ``zipf_frequency`` must reach the same cached copy (7.5 MiB each)."""
    from wordfreq import get_frequency_dict

    from newsmine.clean.glue import word_zipfs
    from newsmine.nlp.entities.labelling import _is_word

    word_zipfs()
    loaded = get_frequency_dict.cache_info().currsize
    assert loaded >= 1
    assert _is_word("Americans") and not _is_word("Trumpmade")
    assert get_frequency_dict.cache_info().currsize == loaded
