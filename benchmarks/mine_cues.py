"""Mine the quote stage's cue frames from an annotated attribution corpus (PolNeAR train).

Why: which (cue, content shape) pairs are attributions is a property of how news is
written, so it is counted, not listed from memory. Every token the pipeline parses is
a candidate under ``frames.verb_frame``/``noun_frame`` (the same code the component
runs); a candidate is right when an annotated relation has its cue on that token and
shares half its content. The pairs precise enough on the corpus become
``models/quotes/cue_frames.tsv`` (lemma, pattern, cue type); no text of the corpus is
written, only the keys and their counts.

    .venv/bin/python benchmarks/mine_cues.py --split train --stats /tmp/stats.tsv
    .venv/bin/python benchmarks/mine_cues.py --split train --write   # rewrites the lexicon

The corpus is read in place from ``../shared/dev/polnear/<split>/attributions.jsonl``
(research use only; never copied). Parsed docs are cached under the temp dir.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections import defaultdict
from pathlib import Path

from spacy.tokens import Doc, DocBin

from newsmine.nlp.loading import load_pipeline
from newsmine.nlp.quotes.component import QuoteExtractor
from newsmine.nlp.quotes.cues import Cues
from newsmine.nlp.quotes.frames import noun_frame, noun_source, verb_frame
from newsmine.nlp.quotes.quote_marks import find_quotes
from newsmine.nlp.quotes.sources import relative_source, written_span

REPO = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (a worktree sits one level deeper)
SHARED = next((p / "shared" for p in (REPO.parent, REPO.parent.parent) if (p / "shared").is_dir()),
              REPO.parent / "shared")
CORPUS = SHARED / "dev" / "polnear"


def parsed(split: str, nlp) -> tuple[list[Doc], list[dict]]:
    """The split's articles, parsed by the pipeline's base model (cached)."""
    articles = [json.loads(line) for line in (CORPUS / split / "attributions.jsonl").open(encoding="utf-8")]
    cache = Path(tempfile.gettempdir()) / f"newsmine-mine-{split}.spacy"
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(articles):
            return docs, articles
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n.startswith("newsmine_")
                                   and n != "newsmine_paragraphs"]):
        docs = list(nlp.pipe((a["text"] for a in articles), batch_size=16))
    bin_ = DocBin(attrs=["ORTH", "LEMMA", "TAG", "POS", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"])
    for doc in docs:
        bin_.add(doc)
    bin_.to_disk(cache)
    return docs, articles


def candidates(doc: Doc, inside: list[int], cues: Cues):
    """(frame, the source as written or None) for every candidate outside quotes."""
    for tok in doc:
        if inside[tok.i] >= 0:
            continue
        source = None
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            frame = verb_frame(tok)
            if frame is not None:
                source = cues.subject_of(tok, inside)
        elif tok.pos_ == "NOUN" and noun_source(tok) is not None:
            frame = noun_frame(tok)
            source = noun_source(tok)
        else:
            continue
        if frame is None:
            continue
        if source is None:
            yield frame, None
            continue
        rel = relative_source(tok, source)
        yield frame, (rel.text if rel is not None else written_span(doc, source, tok).text)


def overlaps(a: tuple[int, int], spans: list[list[int]]) -> bool:
    """Half of the candidate's characters or half of the gold content's are shared."""
    size_b = sum(e - s for s, e in spans)
    shared = sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in spans)
    return shared * 2 >= (a[1] - a[0]) or shared * 2 >= size_b


_HEAD_STOP = r",|\(|\b(?:at|of|for|from|with|in|on|who|which|whose|that)\b"


def same_source(gold: str | None, written: str | None) -> bool:
    """The scorer's rule, roughly: the written source holds the gold source's last word
    (or the last word before a comma or preposition)."""
    if not gold or not written:
        return not gold
    words = set(re.findall(r"[a-z0-9]+", written.lower().replace("\u2019", "'")))
    gold_words = re.findall(r"[a-z0-9]+", gold.lower().replace("\u2019", "'"))
    front = re.split(_HEAD_STOP, gold.lower(), maxsplit=1)[0]
    heads = {w for w in gold_words[-1:] + re.findall(r"[a-z0-9]+", front)[-1:]}
    return bool(heads & words)


def label(docs: list[Doc], articles: list[dict], cues: Cues):
    """Per (key, pattern): [candidates, with the cue annotated there, also sharing content,
    also with the source's head word]."""
    stats: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    found = 0
    total = 0
    for doc, art in zip(docs, articles, strict=True):
        idx = [t.idx for t in doc]
        _, inside = QuoteExtractor._map_quotes(idx, [len(t) for t in doc], find_quotes(doc.text))
        rels = [r for r in art["quotes"] if r.get("cue_start") is not None]
        hit: set[int] = set()
        for frame, source in candidates(doc, inside, cues):
            tok = doc[frame.token]
            cue_rels = [k for k, r in enumerate(rels) if r["cue_start"] <= tok.idx < r["cue_end"]]
            span = (doc[frame.start].idx, doc[frame.end - 1].idx + len(doc[frame.end - 1]))
            good = [k for k in cue_rels if overlaps(span, rels[k]["spans"])]
            s = stats[(frame.key, frame.pattern)]
            s[0] += 1
            s[1] += bool(cue_rels)
            s[2] += bool(good)
            s[3] += any(same_source(rels[k]["speaker"], source) for k in good)
            hit.update(good)
        found += len(hit)
        total += len(rels)
    return stats, found, total


_DEFAULT_TYPE = {"xcomp": "intention", "acomp": "thought"}
LEXICON = REPO / "models" / "quotes" / "cue_frames.json"
_NOTE = ("Cue frames: pattern -> {{cue key: cue type}}. A cue word whose content has this shape "
         "is an attribution (see pipeline/nlp/quotes/frames.py). Mined from PolNeAR train by "
         "benchmarks/mine_cues.py: pairs seen at least {min_n} times whose cue and content "
         "and source matched an annotated relation at least {min_p:.0%} of the time; cue types reviewed "
         "by hand (speech, thought, intention, evidence). Edit freely; a rewrite keeps the types and "
         "leaves out the pairs listed in _excluded.")


def write_lexicon(stats: dict[tuple[str, str], list[int]], min_n: int, min_p: float) -> int:
    """Rewrite ``cue_frames.json`` with the pairs precise enough, keeping known cue types."""
    old: dict[str, dict[str, str]] = {}
    excluded: list[str] = []  # "pattern key" pairs a reviewer took out: a rewrite leaves them out
    if LEXICON.exists():
        data = json.loads(LEXICON.read_text(encoding="utf-8"))
        old = {k: v for k, v in data.items() if not k.startswith("_")}
        excluded = list(data.get("_excluded", []))
    out: dict[str, dict[str, str]] = {}
    for (key, pattern), (n, _, _, ok) in sorted(stats.items()):  # ok: cue, content and source
        if n < min_n or ok / n < min_p:
            continue
        section, entry = (("pp", f"{key} {pattern[3:]}") if pattern.startswith("pp:") else (pattern, key))
        if f"{section} {entry}" in excluded:
            continue
        known = old.get(section, {}).get(entry)
        out.setdefault(section, {})[entry] = known or _DEFAULT_TYPE.get(section, "speech")
    data = {"_note": _NOTE.format(min_n=min_n, min_p=min_p), "_excluded": excluded,
            **{k: out[k] for k in sorted(out)}}
    LEXICON.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return sum(len(v) for v in out.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="train")
    ap.add_argument("--stats", type=Path, help="write every (key, pattern) with its counts here")
    ap.add_argument("--write", action="store_true", help="rewrite models/quotes/cue_frames.json")
    ap.add_argument("--min-n", type=int, default=3)
    ap.add_argument("--min-p", type=float, default=0.6)
    args = ap.parse_args()
    nlp = load_pipeline()
    docs, articles = parsed(args.split, nlp)
    stats, found, total = label(docs, articles, nlp.get_pipe("newsmine_quotes").cues)
    print(f"{args.split}: {total} relations, {found} matched by some candidate frame")
    if args.write:
        print(f"wrote {write_lexicon(stats, args.min_n, args.min_p)} frames to {LEXICON}")
    if args.stats:
        with args.stats.open("w", encoding="utf-8") as out:
            out.write("key\tpattern\tn\tcue_hit\tok\tok_source\n")
            for (key, pattern), (n, hit, ok, ok_source) in sorted(stats.items(), key=lambda x: -x[1][2]):
                out.write(f"{key}\t{pattern}\t{n}\t{hit}\t{ok}\t{ok_source}\n")


if __name__ == "__main__":
    main()
