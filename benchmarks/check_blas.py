"""Does the base model predict the same with numpy's BLAS as with blis?

Why: ``nlp/blas.py`` sends the model's matrix products to numpy's OpenBLAS (issue 13).
The weights are the same but the products round differently in the last bits, so a
near-tie could flip a tag, an arc or an entity. Every cleaned text of the first ``--n``
BBC articles goes through the base model twice, once on blis and once on numpy's
``gemm``, at one BLAS thread; the tag, head, dependency, sentence start, entity IOB and
type of every token are compared, and each difference is printed in its context. Both
sides are timed, so the speed-up is shown too.

    .venv/bin/python benchmarks/check_blas.py --n 300
    .venv/bin/python benchmarks/check_blas.py               # all 2,225 articles

The corpus is read in place (``--corpus``) and nothing is written.
"""

from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

from bench import DEFAULT_CORPUS, corpus_files
from check_pos_lemma import texts_of, token_differences

FIELDS = ("tag", "head", "dep", "sent_start", "ent_iob", "ent_type")
BATCH = 64


def _attrs(token) -> tuple:
    return (token.tag_, token.head.i, token.dep_, token.is_sent_start, token.ent_iob_, token.ent_type_)


def _parse(nlp, texts: list[str]) -> tuple[list, float]:
    began = time.process_time()
    docs = [doc for start in range(0, len(texts), BATCH) for doc in nlp.pipe(texts[start : start + BATCH])]
    return docs, time.process_time() - began


def compare(texts: list[str]) -> tuple[int, collections.Counter, dict, dict[str, float]]:
    """Tokens compared, differences by field, an example of each, CPU seconds per side."""
    import spacy

    from newsmine.nlp import blas
    from newsmine.nlp.config import read_config, resolve_model

    blas.limit_blas_threads(1)
    name = resolve_model(None, read_config())
    stock, ours = spacy.load(name), spacy.load(name)
    switched = blas.use_numpy_gemm(ours)
    print(f"{switched} layers switched to numpy's gemm")
    reference, blis_seconds = _parse(stock, texts)
    mine, numpy_seconds = _parse(ours, texts)
    diffs: collections.Counter = collections.Counter()
    examples: dict = {}
    tokens = token_differences(reference, mine, FIELDS, _attrs, diffs, examples)
    return tokens, diffs, examples, {"blis": blis_seconds, "numpy": numpy_seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="BBC corpus folder (read only).")
    parser.add_argument("--n", type=int, default=2225, help="Articles (round-robin over topics).")
    args = parser.parse_args()
    files = corpus_files(args.corpus, args.n)
    texts = texts_of(files)
    tokens, diffs, examples, seconds = compare(texts)
    print(f"{len(files)} articles, {len(texts)} texts, {tokens:,} tokens")
    print(f"base model CPU s: blis {seconds['blis']:.1f}, numpy {seconds['numpy']:.1f} "
          f"({seconds['blis'] / seconds['numpy']:.2f}x)")
    print("differences:", ", ".join(f"{f} {n}" for f, n in diffs.items()) if diffs else "none")
    for (field, blis_value, numpy_value), (text, context) in list(examples.items())[:40]:
        print(f"  {field}: blis {blis_value!r}, numpy {numpy_value!r} at {text!r} in {context!r}")


if __name__ == "__main__":
    main()
