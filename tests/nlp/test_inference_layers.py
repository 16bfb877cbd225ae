"""The prediction-only maxout and layernorm give thinc's numbers, bit for bit."""

from __future__ import annotations

import numpy
import pytest
import spacy
from thinc.api import NumpyOps
from thinc.layers import layernorm, maxout

from newsmine.nlp import inference_layers
from newsmine.nlp.blas import model_layers
from newsmine.nlp.config import read_config, resolve_model

TEXT = (
    "Ministers in Cardiff approved a £45m plan for rural bus services on Tuesday.\n"
    "Transport minister Alun Davies said the money would reach 120 villages by 2027, "
    "but opposition members told reporters the scheme was \"too little, too late\".\n"
    "\"We have waited ten years for this,\" said Gwen Price, who runs a shop in Llandovery."
)


def _stock():
    return spacy.load(resolve_model(None, read_config()))


def _layers(nlp, forward) -> list:
    return [layer for layer in model_layers(nlp) if layer._func is forward]


def test_predictions_match_thincs_forward_bit_for_bit():
    nlp = _stock()
    compared: list[tuple[str, bool]] = []

    def checking(thincs, ours):
        def forward(model, X, is_train):
            expected, backprop = thincs(model, X, is_train)
            got, _ = ours(model, X, False)
            same = got.dtype == expected.dtype and got.shape == expected.shape
            compared.append((model.name, same and numpy.array_equal(got.view(numpy.uint32),
                                                                    expected.view(numpy.uint32))))
            return expected, backprop
        return forward

    for thincs, ours in ((maxout.forward, inference_layers.maxout_forward),
                         (layernorm.forward, inference_layers.layernorm_forward)):
        for layer in _layers(nlp, thincs):
            layer._func = checking(thincs, ours)
    list(nlp.pipe([TEXT, TEXT.upper(), TEXT[:40]]))
    assert {name for name, _ in compared} == {"maxout", "layernorm"}
    assert len(compared) >= 20  # five blocks in each of the two CNNs, per batch
    assert all(same for _, same in compared)


def test_the_loaded_pipeline_predicts_with_them(nlp):
    assert _layers(nlp, inference_layers.maxout_forward)
    assert _layers(nlp, inference_layers.layernorm_forward)
    assert not _layers(nlp, maxout.forward) and not _layers(nlp, layernorm.forward)


def test_switching_twice_switches_nothing_more_and_spares_other_ops():
    nlp = _stock()

    class UsersOwnOps(NumpyOps):
        name = "users-own"

    ner_layers = list(nlp.get_pipe("ner").model.walk())
    for layer in ner_layers:
        layer.ops = UsersOwnOps()
    assert inference_layers.predict_faster(nlp) == 10  # tok2vec's five blocks only
    assert inference_layers.predict_faster(nlp) == 0
    assert _layers(nlp, inference_layers.maxout_forward)[0] not in ner_layers
    assert _layers(nlp, maxout.forward)  # ner's, on the user's ops, kept thinc's


def test_training_still_gets_a_backprop():
    nlp = _stock()
    layer = _layers(nlp, maxout.forward)[0]
    X = numpy.random.default_rng(0).random((7, layer.get_dim("nI")), dtype=numpy.float32)
    predicted, no_backprop = inference_layers.maxout_forward(layer, X, False)
    trained, backprop = inference_layers.maxout_forward(layer, X, True)
    assert numpy.array_equal(predicted, trained)
    assert backprop(numpy.ones_like(trained)).shape == X.shape
    with pytest.raises(RuntimeError, match="cannot backprop"):
        no_backprop(numpy.ones_like(predicted))
