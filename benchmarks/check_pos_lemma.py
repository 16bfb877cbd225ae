"""Is ``newsmine_pos_lemma`` identical to spaCy's ``attribute_ruler`` + ``lemmatizer``?

Why: the component replaces two of the base model's components by a cached table (issue
13); the tests prove it on sentences written for the ruler's exceptions, this proves it
on a real corpus, token by token. Every cleaned text (body and captions) of the first
``--n`` BBC articles is parsed up to the parser, then one copy goes through spaCy's two
components and one through ours; tag, dependency label, POS, morphology and lemma of
every token are compared, and each kind of difference is printed with an example.
``--zones`` runs every batch but the first inside a ``memory_zone``, as the runner does
once the vocabulary is full (lemmas must survive the zone's string store).

    .venv/bin/python benchmarks/check_pos_lemma.py --n 300
    .venv/bin/python benchmarks/check_pos_lemma.py --zones       # all 2,225 articles

The corpus is read in place (``--corpus``) and nothing is written.
"""

from __future__ import annotations

import argparse
import collections
import time
from contextlib import nullcontext
from pathlib import Path

from bench import DEFAULT_CORPUS, corpus_files

FIELDS = ("tag", "dep", "pos", "morph", "lemma")
BATCH = 64


def texts_of(files: list[Path]) -> list[str]:
    """What the pipeline parses: each article's cleaned body and its captions."""
    from newsmine.clean.article import clean_article
    from newsmine.ingest.articles import read_articles
    from newsmine.ingest.files import SourceFile

    texts = []
    for path in files:
        st = path.stat()
        source = SourceFile("bbc", path, path.name, st.st_size, st.st_mtime_ns)
        for article in read_articles(source):
            cleaned = clean_article(article.raw_text, article.body_end)
            texts.append(cleaned.text)
            texts.extend(caption.text for caption in cleaned.captions)
    return texts


def _attrs(token) -> tuple[str, ...]:
    return (token.tag_, token.dep_, token.pos_, str(token.morph), token.lemma_)


def token_differences(reference: list, mine: list, fields: tuple[str, ...], attrs, diffs: collections.Counter,
                      examples: dict) -> int:
    """Compare two parses of the same texts token by token: the tokens compared; each field
    that differs is counted in ``diffs``, and its first example kept in ``examples``."""
    tokens = 0
    for ref_doc, my_doc in zip(reference, mine, strict=True):
        for ref, tok in zip(ref_doc, my_doc, strict=True):
            tokens += 1
            for field, a, b in zip(fields, attrs(ref), attrs(tok), strict=True):
                if a != b:
                    diffs[field] += 1
                    context = ref_doc[max(0, ref.i - 3) : ref.i + 3].text
                    examples.setdefault((field, a, b), (ref.text, context))
    return tokens


def compare(texts: list[str], zones: bool) -> tuple[int, collections.Counter, dict, dict]:
    """Tokens compared, differences by field, one example per difference, seconds per side."""
    from newsmine.nlp.loading import load_pipeline

    nlp = load_pipeline(None)
    ours = nlp.get_pipe("newsmine_pos_lemma")
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    upstream = nlp.pipe_names[: nlp.pipe_names.index("newsmine_pos_lemma")]
    tokens, diffs, examples = 0, collections.Counter(), {}
    seconds = {"spaCy": 0.0, "ours": 0.0}
    with nlp.select_pipes(enable=upstream):
        for start in range(0, len(texts), BATCH):
            with nlp.memory_zone() if zones and start else nullcontext():
                docs = list(nlp.pipe(texts[start : start + BATCH]))
                copies = [doc.copy() for doc in docs]
                began = time.perf_counter()
                reference = [lemmatizer(ruler(doc)) for doc in docs]
                seconds["spaCy"] += time.perf_counter() - began
                began = time.perf_counter()
                mine = [ours(doc) for doc in copies]
                seconds["ours"] += time.perf_counter() - began
                tokens += token_differences(reference, mine, FIELDS, _attrs, diffs, examples)
    return tokens, diffs, examples, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="BBC corpus folder (read only).")
    parser.add_argument("--n", type=int, default=2225, help="Articles (round-robin over topics).")
    parser.add_argument("--zones", action="store_true", help="Batches after the first in memory zones.")
    args = parser.parse_args()
    files = corpus_files(args.corpus, args.n)
    texts = texts_of(files)
    tokens, diffs, examples, seconds = compare(texts, args.zones)
    print(f"{len(files)} articles, {len(texts)} texts, {tokens:,} tokens, memory zones {args.zones}")
    print(f"attribute_ruler + lemmatizer {seconds['spaCy']:.2f}s, newsmine_pos_lemma {seconds['ours']:.2f}s")
    print("differences:", ", ".join(f"{f} {n}" for f, n in diffs.items()) if diffs else "none")
    for (field, spacy_value, ours), (text, context) in list(examples.items())[:30]:
        print(f"  {field}: spaCy {spacy_value!r}, ours {ours!r} at {text!r} in {context!r}")


if __name__ == "__main__":
    main()
