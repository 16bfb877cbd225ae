"""Real inputs end to end through the CLI: news HTML pages and scraper JSONL, other languages.

CI runs this on its fresh venv, so a broken HTML extraction path (a dependency that
moved, a reader that raises) turns it red.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from newsmine.cli.app import app
from tests.conftest import REPO

NEWS = REPO / "tests" / "fixtures" / "news"

FRENCH = (
    "Le gouvernement a présenté mercredi un projet de loi visant à réduire le déficit public de deux "
    "milliards d'euros. « Nous ne lâcherons rien », a déclaré la ministre de l'Économie devant les "
    "députés. Les syndicats appellent à une nouvelle journée de grève jeudi, et 3 000 personnes ont "
    "manifesté à Lyon selon la préfecture.\n"
)
GERMAN = (
    "Die Bundesregierung hat am Mittwoch neue Hilfen für Familien beschlossen. „Wir lassen niemanden "
    "zurück“, sagte die Ministerin in Berlin. Die Opposition kritisierte, das Paket komme zu spät und "
    "sei zu klein, um die gestiegenen Preise auszugleichen. Rund 2,5 Millionen Haushalte sollen davon "
    "profitieren.\n"
)
SPANISH = (
    "El Gobierno aprobó este martes un nuevo plan de vivienda que prevé construir 50.000 pisos en cinco "
    "años. «Es una prioridad para este país», afirmó la ministra en una rueda de prensa en Madrid. La "
    "oposición denunció la falta de financiación y pidió que el plan se debata en el Congreso.\n"
)
ENGLISH_QUOTING_FRENCH = (
    "The French president struck a defiant tone on Monday as farmers blocked roads around Paris.\n"
    '"La France ne cédera pas," he told a crowd in Marseille, meaning France will not give in. '
    "Officials in London said the remarks were aimed at a domestic audience ahead of next month's vote, "
    "and the farm minister, Claire Dupont, said talks with the unions would resume on Wednesday.\n"
)
BRIEF = (
    "Police closed the M4 near Reading after a lorry overturned on Tuesday morning.\n"
    "No one was hurt, a spokesman said.\n"
)


def _run(raw: Path, out: Path, *args: str):
    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(out), *args])
    assert "Traceback" not in result.output, result.output
    return result


def test_news_html_pages_and_scraper_jsonl_end_to_end(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(NEWS, raw / "news")
    result = _run(raw, out)
    assert result.exit_code == 0, result.output
    assert "5 files processed" in result.stdout and "7 documents, 0 failed" in result.stdout
    docs = pd.read_parquet(out / "documents")
    assert set(docs["format"]) == {"html", "jsonl"} and (docs["status"] == "ok").all()
    assert (docs["n_quotes"] > 0).all() and (docs["n_words"] > 40).all()  # every page and line has quotes
    assert (docs["language"] == "en").all() and (docs["language_score"] > 0.9).all()
    by_path = docs.set_index("source_path")
    assert list(by_path.loc["news/scrapers.jsonl#2", "authors"]) == ["Tom Whitaker", "Ella Grant"]
    assert by_path.loc["news/scrapers.jsonl#1", "site"] == "midlandsherald.example.com"
    assert str(by_path.loc["news/water-bills.html", "published"]) == "2024-12-19 07:00:00+00:00"
    assert str(docs["published"].dtype) == "datetime64[us, UTC]"
    quotes = pd.read_parquet(out / "quotes")
    ferry = quotes[quotes["doc_id"] == by_path.loc["news/harbour-ferry.html", "doc_id"]]
    said = set(zip(ferry["kind"], ferry["speaker_canonical"], ferry["text"], strict=True))
    assert ("direct", "Joanna Pryce",
            "We cannot ask islanders to wait another winter for a boat that works,") in said
    waits = quotes[quotes["doc_id"] == by_path.loc["news/scrapers.jsonl#1", "doc_id"]]
    assert "Fiona McLeod" in set(waits["speaker_canonical"])


def test_other_languages_are_skipped_with_their_text_and_english_is_processed(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "wire").mkdir(parents=True)
    for name, text in {"fr.txt": FRENCH, "de.txt": GERMAN, "es.txt": SPANISH,
                       "en_quote.txt": ENGLISH_QUOTING_FRENCH, "brief.txt": BRIEF}.items():
        (raw / "wire" / name).write_text(text, encoding="utf-8")
    result = _run(raw, out)
    assert result.exit_code == 0, result.output
    assert "3 skipped (1 language de, 1 language es, 1 language fr)" in result.stdout
    docs = pd.read_parquet(out / "documents").set_index("source_path")
    for name, code in (("fr", "fr"), ("de", "de"), ("es", "es")):
        row = docs.loc[f"wire/{name}.txt"]
        assert (row["status"], row["error"], row["language"]) == ("skipped", f"language {code}", code)
        assert row["text"].strip() == {"fr": FRENCH, "de": GERMAN, "es": SPANISH}[name].strip()
    skipped_ids = set(docs[docs["status"] == "skipped"]["doc_id"])
    for table in ("entities", "quotes", "claims"):
        assert not skipped_ids & set(pd.read_parquet(out / table)["doc_id"]), table
    for name in ("en_quote", "brief"):
        row = docs.loc[f"wire/{name}.txt"]
        assert (row["status"], row["language"]) == ("ok", "en"), name
    assert docs.loc["wire/en_quote.txt", "n_quotes"] > 0
    status = CliRunner().invoke(app, ["status", str(raw), "--out", str(out)])
    assert "skipped 3: 1 language de, 1 language es, 1 language fr" in status.stdout
    again = _run(raw, out, "--languages", "en,fr")  # French is now wanted: only it is redone
    assert again.exit_code == 0 and "1 files processed (4 unchanged" in again.stdout
    assert pd.read_parquet(out / "documents").set_index("source_path").loc["wire/fr.txt", "status"] == "ok"


def test_bad_languages_option_is_bad_usage(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    result = CliRunner().invoke(app, ["run", str(tmp_path / "raw"), "--out", str(tmp_path / "o"),
                                      "--languages", " , "])
    assert result.exit_code == 2 and "at least one language" in result.output


@pytest.mark.parametrize("text_field", ["story"])
def test_text_field_option_end_to_end(tmp_path: Path, text_field: str) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "feed").mkdir(parents=True)
    (raw / "feed" / "a.jsonl").write_text(
        '{"story": "The mayor said 40 staff would move to other branches.", "headline": "Libraries"}\n'
    )
    assert _run(raw, out).exit_code == 1  # no known text field: a failed row, named
    result = _run(raw, out, "--text-field", text_field, "--retry-failed")
    assert result.exit_code == 0, result.output
    assert pd.read_parquet(out / "documents")["status"].tolist() == ["ok"]


def test_out_inside_the_raw_folder_is_never_read_as_articles(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "wire").mkdir(parents=True)
    (raw / "wire" / "brief.txt").write_text(BRIEF, encoding="utf-8")
    out = raw / "out"
    first = _run(raw, out)
    assert first.exit_code == 0 and "1 documents" in first.stdout
    again = _run(raw, out)
    assert again.exit_code == 0 and "0 files processed (1 unchanged" in again.stdout
    assert "skipped: out: the output folder (--out) is inside the raw folder" in again.output
    assert pd.read_parquet(out / "documents")["source_path"].tolist() == ["wire/brief.txt"]
