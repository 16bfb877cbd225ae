"""The gold format: good lines read into dataclasses, every bad line named with its file and number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsmine.evaluate.gold import GoldFormatError, read_gold

GOOD = {
    "doc": "port.txt",
    "quotes": [
        {"text": "The pier will reopen in May", "speaker": "Ines Marlow", "kind": "direct"},
        {"text": "40 boats had been damaged", "speaker": None, "kind": "indirect"},
    ],
    "claims": [
        {"text": "40 boats", "value": 40, "unit": ["boats", "boat"], "qualifier": "exact"},
        {"text": "between 10 and 12 weeks", "value": [10, 12], "unit": "week", "optional": True},
    ],
    "persons": ["Ines Marlow"],
}


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems(tmp_path: Path, *lines: str) -> list[str]:
    with pytest.raises(GoldFormatError) as caught:
        read_gold(write(tmp_path, *lines))
    return caught.value.problems


def test_a_good_line_reads_into_quotes_and_claims(tmp_path: Path) -> None:
    [article] = read_gold(write(tmp_path, json.dumps(GOOD), ""))
    assert article.doc == "port.txt" and article.line == 1
    assert [(q.speaker, q.kind) for q in article.quotes] == [("Ines Marlow", "direct"), (None, "indirect")]
    first, second = article.claims
    assert (first.value, first.units, first.qualifier) == (40.0, ["boats", "boat"], "exact")
    assert (second.value, second.units, second.qualifier) == ([10.0, 12.0], ["week"], "exact")
    assert (first.optional, second.optional) == (False, True)
    assert article.persons == ["Ines Marlow"] and article.not_persons == [] and article.text is None


def test_a_table_left_out_is_not_annotated_and_an_empty_list_is(tmp_path: Path) -> None:
    [article] = read_gold(write(tmp_path, json.dumps({"doc": "a.txt", "claims": []})))
    assert article.quotes is None and article.persons is None
    assert article.claims == []


def test_every_bad_line_is_named_with_file_line_and_field(tmp_path: Path) -> None:
    strike = {"text": "We will strike", "speaker": "Reddy", "kind": "reported"}
    bad_kind = dict(GOOD, doc="b.txt", quotes=[strike])
    bad_value = dict(GOOD, doc="c.txt", claims=[{"text": "forty boats", "value": "forty", "unit": "boats"}])
    found = problems(
        tmp_path,
        json.dumps(GOOD),
        '{"doc": "broken.txt", "quotes": [',
        json.dumps(bad_kind),
        "",
        json.dumps(bad_value),
    )
    path = tmp_path / "gold.jsonl"
    assert len(found) == 3
    assert found[0].startswith(f"{path}:2: not JSON (")
    assert found[1] == f"{path}:3: quotes[0].kind: must be one of direct, indirect, mixed, not \"reported\""
    assert found[2] == f"{path}:5: claims[0].value: must be a number or [low, high], not \"forty\""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('["port.txt"]', 'must be a JSON object with a "doc" key'),
        ('{"quotes": []}', "doc: missing (a string is required)"),
        ('{"doc": "a.txt", "quotes": [{"text": "Yes", "speker": "Ann Lee", "kind": "direct"}]}',
         "quotes[0].unknown key 'speker'"),
        ('{"doc": "a.txt", "quotes": [{"text": "…", "speaker": null, "kind": "direct"}]}',
         "quotes[0].text: has no words to match"),
        ('{"doc": "a.txt", "quotes": {"text": "Yes"}}', "quotes: must be a list of objects"),
        ('{"doc": "a.txt", "claims": [{"text": "12%", "value": 12, "qualifier": "roughly"}]}',
         "claims[0].qualifier: must be one of exact, approximate"),
        ('{"doc": "a.txt", "claims": [{"text": "12%", "value": [1, 2, 3]}]}', "claims[0].value: must be"),
        ('{"doc": "a.txt", "claims": [{"text": "12%", "value": 12, "unit": 5}]}', "claims[0].unit: must be"),
        ('{"doc": "a.txt", "claims": [{"text": "12%", "value": 12, "optional": "no"}]}',
         "claims[0].optional: must be true or false"),
        ('{"doc": "a.txt", "persons": "Ann Lee"}', "persons: must be a list of strings"),
    ],
)
def test_one_clear_message_per_kind_of_mistake(tmp_path: Path, line: str, message: str) -> None:
    [problem] = problems(tmp_path, line)
    assert problem.startswith(f"{tmp_path / 'gold.jsonl'}:1: ")
    assert message in problem


def test_the_same_article_twice_names_the_first_line(tmp_path: Path) -> None:
    [problem] = problems(tmp_path, json.dumps(GOOD), json.dumps(GOOD))
    assert problem.endswith(":2: doc 'port.txt' is already annotated on line 1")


def test_an_empty_or_unreadable_file_is_an_error(tmp_path: Path) -> None:
    assert "no annotated articles" in problems(tmp_path, "", "  ")[0]
    with pytest.raises(GoldFormatError, match="cannot read"):
        read_gold(tmp_path / "nope.jsonl")
