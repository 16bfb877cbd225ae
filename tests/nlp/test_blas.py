"""The base model's matrix products go to numpy's BLAS, with the same predictions."""

from __future__ import annotations

import subprocess
import sys

import spacy
from thinc.api import NumpyOps

from newsmine.nlp import blas
from newsmine.nlp.config import read_config, resolve_model

TEXT = (
    "The Welsh Assembly approved a £45m plan for rural bus services on Tuesday. "
    "Transport minister Alun Davies said the money would reach 120 villages by 2027, "
    "but opposition members told reporters the scheme was \"too little, too late\"."
)


def _layers_with_ops(nlp) -> list:
    return [
        layer
        for _, proc in nlp.pipeline
        if getattr(proc, "model", None) is not None and hasattr(proc.model, "walk")
        for layer in proc.model.walk()
    ]


def test_every_model_layer_of_the_loaded_pipeline_uses_numpy_gemm(nlp):
    layers = _layers_with_ops(nlp)
    assert len(layers) > 50  # tok2vec, tagger, parser and ner each have dozens
    assert all(isinstance(layer.ops, NumpyOps) and not layer.ops.use_blis for layer in layers)


def test_numpy_gemm_predicts_what_blis_predicts():
    name = resolve_model(None, read_config())
    stock, switched = spacy.load(name), spacy.load(name)
    assert blas.use_numpy_gemm(switched) > 50
    assert blas.use_numpy_gemm(switched) == 0  # already switched: nothing left to do
    a, b = stock(TEXT), switched(TEXT)
    assert len(a) > 40
    assert [(t.tag_, t.dep_, t.head.i, t.is_sent_start) for t in a] == [
        (t.tag_, t.dep_, t.head.i, t.is_sent_start) for t in b
    ]
    assert [(e.text, e.label_) for e in a.ents] == [(e.text, e.label_) for e in b.ents]
    assert any(e.label_ == "PERSON" for e in b.ents)


class UsersOwnOps(NumpyOps):
    """Stands for ops a user installed on purpose (a GPU's, or a subclass of their own)."""

    name = "users-own"


def test_layers_on_other_ops_are_left_alone():
    nlp = spacy.load(resolve_model(None, read_config()))
    theirs = UsersOwnOps()
    ner_layers = list(nlp.get_pipe("ner").model.walk())
    for layer in ner_layers:
        layer.ops = theirs
    switched = blas.use_numpy_gemm(nlp)
    assert switched > 0  # tok2vec, tagger and parser are still on thinc's default
    assert all(layer.ops is theirs for layer in ner_layers)


def test_a_run_process_keeps_blas_to_one_thread():
    code = (
        "import threadpoolctl\n"
        "from newsmine.nlp import blas\n"
        "blas.limit_blas_threads(1)\n"
        "info = [p for p in threadpoolctl.threadpool_info() if p['user_api'] == 'blas']\n"
        "assert info, 'numpy loaded no BLAS'\n"
        "print(max(p['num_threads'] for p in info))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
