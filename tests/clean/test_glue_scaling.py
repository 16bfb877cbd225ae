"""Glue repair is linear in the length of a line: long lines without spaces clean quickly.

Scrapes sometimes deliver a whole article as one line with its spaces lost (or a blob
of letters). Glue repair used to rescan the line around every candidate position, so
a 300 KB line took 22 s and a 1.5 MB one minutes. The shortcuts that fixed it are
checked against the plain definitions they replace, and a 2 MB line of several shapes
must clean in a child process well inside a hang guard.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsmine.clean.glue import MAX_GLUED_LETTERS, ArticleWords, _quote_positions, _Tokens, glue_positions

REPO = Path(__file__).resolve().parents[2]
_LETTERS = re.compile(r"[^\W\d_]+")


def _standalone_count(raw: str, word: str) -> int:
    """The definition: occurrences of ``word`` with no letter right before or after it."""
    def alone(a: int, b: int) -> bool:
        return not (a and raw[a - 1].isalpha()) and not (b < len(raw) and raw[b].isalpha())

    return sum(1 for m in re.finditer(re.escape(word), raw) if alone(*m.span()))


_TEXTS = st.text(alphabet="ab²½ _-.\n1\"'é", max_size=60)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_word_counts_equal_a_scan_of_the_text(raw: str) -> None:
    words = ArticleWords(raw)
    for word in sorted(words.words):
        assert words.count(word) == _standalone_count(raw, word), (raw, word)
    for word in {"ab", "a", "b²"} - words.words:  # only whole letter runs are words of the article
        assert words.count(word) == 0


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_token_bounds_equal_a_scan_outwards(text: str) -> None:
    tokens = _Tokens(text)
    for pos in range(len(text) + 1):
        start = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1
        ends = [i for i in (text.find(" ", pos), text.find("\n", pos)) if i >= 0]
        assert tokens.bounds(pos) == (start, min(ends) if ends else len(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab "\n.', max_size=40))
def test_quote_sides_equal_counting_from_the_paragraph_start(text: str) -> None:
    pattern = re.compile(r'"(?=\w)(?<=[^\s(\[{\-–—/]")')
    expected = set()
    for m in pattern.finditer(text):
        p = m.start()
        para = text.rfind("\n", 0, p) + 1
        expected.add(p if text.count('"', para, p) % 2 == 0 else p + 1)
    assert _quote_positions(text) == expected


def test_glue_in_a_long_article_is_still_repaired_but_a_letter_blob_is_left_alone() -> None:
    line = "The ministry said on Monday that the talks would resume. " * 2000
    text = line + "Officials said the assessmentreleased on Tuesday was late."
    positions = glue_positions(text, ArticleWords(text), {})
    assert [text[p - 10 : p + 8] for p in positions] == ["assessmentreleased"]
    blob = "x" * (MAX_GLUED_LETTERS + 1)
    assert glue_positions(f"He said {blob} twice.", ArticleWords(blob), {}) == []


_LONG_LINES = textwrap.dedent(
    """
    import sys
    from newsmine.clean.article import clean_article
    n = 2_000_000
    sentence = 'TheministersaidonMondaythat"talkswouldresume,"andofficialsestimated790people.'
    shapes = [(sentence * (n // len(sentence) + 1))[:n], ("abc" * n)[:n], ('said"it' * n)[:n],
              ("estimated790abc2001alleging" * n)[:n]]
    for line in shapes:
        cleaned = clean_article("Headline\\n\\n" + line + "\\n")
        assert cleaned.text.replace(" ", "").endswith(line[-50:]), cleaned.text[-80:]
    print("ok")
    """
)


def test_two_megabyte_lines_without_spaces_clean_in_a_child() -> None:
    """Each takes about a second now (minutes before); the timeout only guards against a hang."""
    done = subprocess.run(
        [sys.executable, "-c", _LONG_LINES], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"
