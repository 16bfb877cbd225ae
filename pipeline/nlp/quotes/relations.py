"""One row per attribution: reported content that holds quoted words becomes ``mixed``.

A reported relation (``reported``) whose content touches direct quotes is grown to hold
those quotes whole. Then

* nothing but the quotes (and punctuation) in it: the content *is* the quote, which
  stays a ``direct`` row with its own attribution; the relation lends it its speaker
  when the quote found none (``he slammed "..."``);
* words of paraphrase too (``called the plan "a disaster"``, ``said it was "unfair"
  and would appeal``): one ``mixed`` row whose text is the whole content and whose
  ``quoted`` column lists the verbatim parts; those quotes get no row of their own.

A reported relation with neither a source nor quoted words is dropped: ``it is
believed that ...`` tells no one's view. Linear in the content lengths.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from newsmine.nlp.quotes.attribution import PairedQuote
from newsmine.nlp.quotes.reported import Reported


@dataclass
class Relation:
    """A reported relation settled against the direct quotes: ``kind`` is ``indirect``
    or ``mixed``; ``quotes`` are the ``PairedQuote.index`` of the quotes it holds."""

    reported: Reported
    start: int
    end: int
    kind: str = "indirect"
    quotes: list[int] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # char offsets of their words


def _grow(doc: Doc, quotes: dict[int, PairedQuote], start: int, end: int,
          touched: list[int]) -> tuple[int, int]:
    """[start, end) grown to hold every touched quote whole, with its marks."""
    for k in touched:
        q = quotes[k]
        start, end = min(start, q.ts), max(end, q.te)
        close = q.span.close
        while close is not None and end < len(doc) and doc[end].idx <= close and doc[end].is_punct:
            end += 1
        if close is not None and q.ts > 0 and doc[q.ts - 1].idx < q.span.start and start == q.ts:
            start -= 1  # the opening mark
    return start, end


def settle(doc: Doc, reported: list[Reported], quotes: list[PairedQuote],
           inside: list[int]) -> tuple[list[Relation], set[int], dict[int, Reported]]:
    """The relations to emit, the quotes a mixed row holds (no direct row for them), and
    for quotes that are a relation's whole content the relation (its speaker is a
    fallback for the quote). ``quotes`` are all paired quotes, titles and scare quotes
    too (inside reported content they are quoted words like any other); ``inside[i]`` is
    the quote index of token i or -1. Quotes are named by ``PairedQuote.index``."""
    by_index = {q.index: q for q in quotes}
    relations: list[Relation] = []
    held: set[int] = set()
    whole: dict[int, Reported] = {}
    for r in reported:
        touched = sorted({inside[i] for i in range(r.start, r.end) if inside[i] in by_index})
        if not touched:
            if r.speaker_token is not None:  # reported words of no one (`it is feared that`) say little
                relations.append(Relation(r, r.start, r.end))
            continue
        start, end = _grow(doc, by_index, r.start, r.end, touched)
        subject = set()
        if r.speaker_token is not None:
            subj = doc[r.speaker_token]
            subject = set(range(subj.left_edge.i, subj.right_edge.i + 1))
        paraphrase = any(inside[i] < 0 and not (doc[i].is_punct or doc[i].is_space) and i != r.cue_token
                         and i not in subject for i in range(start, end))
        if not paraphrase:
            for k in touched:
                whole.setdefault(k, r)
            continue
        spans = [(by_index[k].span.start, by_index[k].span.end) for k in touched]
        relations.append(Relation(r, start, end, "mixed", touched, spans))
        held.update(touched)
    return relations, held, whole


def _person(record: dict) -> str | None:
    """Who a record's speaker is: the person or organisation it resolved to, else the
    source as written (lower-cased), else None."""
    key = record.get("speaker_id") or record.get("speaker_canonical") or record.get("speaker")
    return str(key).lower() if key else None


def drop_nested(records: list[dict]) -> list[dict]:
    """Without the reported rows that lie inside another reported row's content and
    name someone else: in ``Bamberg said the videos show Scott leaving his car`` or
    ``Police say he refused to drop the gun`` the inner clause is what the outer source
    reports, not a second attribution (``the videos`` and ``he`` report nothing). An inner
    row of the same person stays (``He said he hoped ...``: his hope, told by him).
    Quadratic only in the reported rows of one article, a few dozen."""
    reported = [r for r in records if r["kind"] in ("indirect", "mixed")]
    nested: set[int] = set()
    for inner in reported:
        who = _person(inner)
        for outer in reported:
            if outer is not inner and outer["start_char"] <= inner["start_char"] \
                    and inner["end_char"] <= outer["end_char"] \
                    and outer["end_char"] - outer["start_char"] > inner["end_char"] - inner["start_char"] \
                    and _person(outer) != who:
                nested.add(id(inner))
                break
    return [r for r in records if id(r) not in nested]


_OPEN_MARKS, _CLOSE_MARKS = "\"\u201c'\u2018", "\"\u201d'\u2019"


def merge_split(records: list[dict], text: str) -> list[dict]:
    """One row for one attribution whose content its cue splits: `In the speech, she
    said, the plan would fail` (a parenthetical cue) or `By then, he said, "it was over."`
    are the two sides of one cue in one sentence, so one row spans both (its text holds
    the cue, as the offsets must), ``mixed`` when a side is quoted. Rows that are all
    ``direct`` stay apart (`"A," he said, "B."` are two quotes), and so do rows the cue
    does not stand between."""
    groups: dict[tuple[int, int], list[dict]] = {}
    for r in records:
        if r["cue_start"] is not None:
            groups.setdefault((r["cue_start"], r["sentence_id"]), []).append(r)
    merged: dict[int, dict] = {}
    for parts in groups.values():
        if len(parts) < 2 or all(p["kind"] == "direct" for p in parts):
            continue
        parts.sort(key=lambda p: p["start_char"])
        start, end = parts[0]["start_char"], max(p["end_char"] for p in parts)
        if not parts[0]["end_char"] <= parts[0]["cue_start"] < parts[-1]["start_char"]:
            continue  # the cue is not between them: two contents, not one split
        while parts[0]["kind"] == "direct" and start > 0 and text[start - 1] in _OPEN_MARKS:
            start -= 1
        while parts[-1]["kind"] == "direct" and end < len(text) and text[end] in _CLOSE_MARKS:
            end += 1
        quoted = [span for p in parts if p["kind"] != "indirect" for span in p["quoted"]]
        head = next((p for p in parts if p["speaker"] is not None), parts[0])
        row = {**head, "kind": "mixed" if quoted else "indirect", "text": text[start:end],
               "start_char": start, "end_char": end, "quoted": quoted}
        merged[id(parts[0])] = row
        merged.update({id(p): None for p in parts[1:]})
    return [merged.get(id(r), r) for r in records if merged.get(id(r), r) is not None]
