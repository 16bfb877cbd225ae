"""Matrix products of the base model through numpy's BLAS instead of blis.

Most of the base model's time is two CNNs (``tok2vec`` and the one inside ``ner``) and
the parsers' precomputed layers, and most of theirs is ``gemm``. thinc runs it with
blis, which on the machines we measured reaches ~28 GFLOPS on these shapes (20,000 x
288 by 288 x 288) against ~100 for the OpenBLAS that ships inside numpy's wheel, on one
thread each. thinc offers the switch itself (``NumpyOps(use_blis=False)`` sends
``gemm`` to ``numpy.dot``); the weights and every other operation stay as they are.
The products round differently in the last bits, so the predictions could differ on a
near-tie: ``benchmarks/check_blas.py`` compares the tag, head, dependency, sentence
start and entity of every token of the BBC corpus under both.

OpenBLAS starts one thread per core, but newsmine runs one process per core
(``--workers``), so a run limits it to one thread (``limit_blas_threads``); the speed
is measured at one thread against bare spaCy at one.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

NUMPY_GEMM = NumpyOps(use_blis=False)


def use_numpy_gemm(nlp: Language) -> int:
    """Point every CPU layer of ``nlp``'s models at numpy's ``gemm``; returns how many.

    Only layers on thinc's default CPU ops with blis are switched, so a pipeline on a GPU,
    or on ops of a user's own, is left alone.
    """
    switched = 0
    for layer in model_layers(nlp):
        if type(layer.ops) is NumpyOps and layer.ops.use_blis:
            layer.ops = NUMPY_GEMM
            switched += 1
    return switched


def model_layers(nlp: Language) -> Iterator[Model]:
    """Every thinc layer of ``nlp``'s components (rule components have no thinc model)."""
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            yield from model.walk()


def limit_blas_threads(threads: int = 1) -> None:
    """Keep numpy's BLAS at ``threads`` threads for the rest of the process.

    Parallelism comes from worker processes; a BLAS thread per core inside each of them
    would only compete with the other workers for the same cores.
    """
    threadpool_limits(limits=threads, user_api="blas")
