"""Read stored tables back for people: the rows ``newsmine show`` prints or exports.

Rows of the per-document tables come in document order (drop, then source path, then
position in the article: body before captions, by offset) and carry the article's
``source_path``; ``people`` come most quoted first. ``--doc`` accepts a doc_id prefix, a
stored source path, a file name or a prefix of either, or the path of the raw file
(``data/raw/sample/x.txt`` ends with the stored ``sample/x.txt``).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pandas as pd

from newsmine.tables.frames import read_frame

# The columns worth a terminal's width, per table (absent ones are skipped, so a column
# a newer schema adds can be listed before every store has it). The one that wraps is
# ``WIDE``; the others are cut with an ellipsis.
COLUMNS = {
    "documents": ["file", "drop", "status", "n_words", "n_quotes", "n_claims", "title", "error"],
    "quotes": ["file", "speaker_canonical", "kind", "cue_type", "cue", "text"],
    "claims": ["file", "text", "value", "unit", "qualifier", "claimant_canonical", "subject"],
    "entities": ["file", "text", "label", "section", "canonical_name"],
    "people": ["canonical_name", "n_docs", "n_mentions", "n_quotes", "titles"],
}
WIDE = {"documents": "title", "quotes": "text", "claims": "subject", "entities": "canonical_name",
        "people": "titles"}
_SECTION_ORDER = {"body": 0, "caption": 1, "credit": 2}


def match_documents(documents: pd.DataFrame, key: str) -> pd.Series:
    """Which documents ``--doc key`` names (a boolean mask over ``documents``)."""
    paths = documents["source_path"].astype(str)
    names = paths.map(lambda p: PurePosixPath(p).name)
    key = key.strip()
    whole = key.replace("\\", "/")
    return (
        documents["doc_id"].astype(str).str.startswith(key)
        | paths.str.startswith(key)
        | names.str.startswith(key)
        | paths.map(lambda p: whole.endswith("/" + p))
    )


def _in_document_order(frame: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by their article's place in ``documents``, then by place in the article."""
    position = {doc_id: i for i, doc_id in enumerate(documents["doc_id"])}
    keys = pd.DataFrame({"_doc": frame["doc_id"].map(position).fillna(len(position))}, index=frame.index)
    if "section" in frame.columns:
        keys["_section"] = frame["section"].map(_SECTION_ORDER).fillna(3)
    for column in ("caption_index", "start_char", "end_char"):
        if column in frame.columns:
            keys[column] = frame[column].astype("Float64").fillna(-1)
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _by_speaker(frame: pd.DataFrame, name: str, speaker: str) -> pd.DataFrame:
    column = {"quotes": "speaker_canonical", "claims": "claimant_canonical"}.get(name, "canonical_name")
    if column not in frame.columns:
        raise ValueError(f"--speaker does not apply to the {name} table")
    return frame[frame[column].fillna("").str.contains(speaker, case=False, regex=False)]


def select_rows(
    out_dir: Path, name: str, doc: str | None = None, speaker: str | None = None,
    limit: int | None = 20, all_columns: bool = False,
) -> pd.DataFrame:
    """The rows ``newsmine show`` prints: optionally one document's, or one speaker's.

    ``all_columns`` keeps every column (exports), else the terminal's choice
    (``COLUMNS``); ``file`` is the article's file name, ``source_path`` its stored path.
    """
    frame = read_frame(out_dir, name)
    if name == "people":
        if doc:
            raise ValueError("--doc does not apply to the people table (people span articles)")
        frame = frame.sort_values(["n_quotes", "n_mentions", "canonical_name"],
                                  ascending=[False, False, True], kind="stable")
    else:
        documents = frame if name == "documents" else read_frame(out_dir, "documents")
        if doc:
            documents = documents[match_documents(documents, doc)]
            frame = frame[frame["doc_id"].isin(set(documents["doc_id"]))]
        if name != "documents":
            paths = documents.set_index("doc_id")["source_path"]
            frame = frame.assign(source_path=frame["doc_id"].map(paths).astype("string"))
        frame = _in_document_order(frame, documents)
        frame.insert(0, "file", frame["source_path"].map(
            lambda p: PurePosixPath(p).name if isinstance(p, str) else p).astype("string"))
    if speaker:
        frame = _by_speaker(frame, name, speaker)
    if limit is not None:
        frame = frame.head(limit)
    if all_columns:
        return frame.drop(columns=["file"], errors="ignore").reset_index(drop=True)
    return frame[[c for c in COLUMNS[name] if c in frame.columns]].reset_index(drop=True)
