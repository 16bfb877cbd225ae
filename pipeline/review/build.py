"""Choose the articles, gather their rows and write the review page (``newsmine review``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from newsmine.review.article import anchor, article_html
from newsmine.review.page import index_html, page_html
from newsmine.tables.frames import read_frame, rows_by_doc
from newsmine.tables.views import match_documents

DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class Review:
    """A written review page: where, how many articles it shows of how many selected."""

    path: Path
    shown: int
    selected: int


def select_documents(
    documents: pd.DataFrame, docs: list[str] | None, drops: list[str] | None
) -> pd.DataFrame:
    """The documents rows ``--doc``/``--drop`` name (all when neither is given), in stored order."""
    if drops:
        documents = documents[documents["drop"].isin(drops)]
    if docs:
        mask = pd.Series(False, index=documents.index)
        for key in docs:
            mask |= match_documents(documents, key)
        documents = documents[mask]
    return documents


def _index_row(document: dict, quotes: list[dict], claims: list[dict], entities: list[dict]) -> dict:
    kinds = [q.get("kind") for q in quotes]
    path = str(document.get("source_path"))
    return {
        "anchor": anchor("doc", str(document["doc_id"])[:16]), "file": PurePosixPath(path).name,
        "drop": str(document.get("drop")), "title": str(document.get("title") or ""),
        "words": document.get("n_words") or 0, "direct": kinds.count("direct"),
        "indirect": kinds.count("indirect"), "mixed": kinds.count("mixed"), "claims": len(claims),
        "entities": len(entities), "status": str(document.get("status")),
    }


def build_page(out_dir: Path, docs: list[str] | None = None, drops: list[str] | None = None,
               limit: int | None = DEFAULT_LIMIT) -> tuple[str, int, int]:
    """(the page's HTML, articles shown, articles selected) for the stored tables."""
    documents = select_documents(read_frame(out_dir, "documents"), docs, drops)
    selected = len(documents)
    if limit is not None:
        documents = documents.head(limit)
    wanted = set(documents["doc_id"])
    rows = {name: rows_by_doc(frame[frame["doc_id"].isin(wanted)])
            for name in ("quotes", "claims", "entities") for frame in [read_frame(out_dir, name)]}
    index, articles, labels, cue_types = [], [], set(), set()
    for document in rows_by_doc(documents).values():
        document = document[0]
        mine = {name: by_doc.get(document["doc_id"], []) for name, by_doc in rows.items()}
        index.append(_index_row(document, mine["quotes"], mine["claims"], mine["entities"]))
        articles.append(article_html(document, mine["quotes"], mine["claims"], mine["entities"],
                                     index[-1]["anchor"], only=len(documents) == 1))
        labels |= {str(e["label"]) for e in mine["entities"]}
        cue_types |= {str(q["cue_type"]) for q in mine["quotes"] if q.get("cue_type")}
    title = f"newsmine review: {len(index)} article{'' if len(index) == 1 else 's'}"
    return page_html(index_html(index, selected), articles, labels, cue_types, title), len(index), selected


def write_review(out_dir: Path, to: Path, docs: list[str] | None = None, drops: list[str] | None = None,
                 limit: int | None = DEFAULT_LIMIT) -> Review:
    """Write the review page of the selected articles to ``to`` (atomically: temp + rename)."""
    html, shown, selected = build_page(out_dir, docs, drops, limit)
    to = Path(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    temp = to.with_name(f".{to.name}.tmp")
    temp.write_text(html, encoding="utf-8")
    temp.replace(to)
    return Review(path=to, shown=shown, selected=selected)
