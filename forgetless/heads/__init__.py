"""Closed-form streaming heads (core, plain torch): streaming LDA and nearest class mean, and the
features they read (raw inputs, a fixed random ReLU map, fixed random conv filters, any frozen
model; ``HeadOnFeatures`` joins an extractor and a head in one module).

Each head learns in one pass with ``update(x, y)`` (one sample or one batch, exactly the batch
formula's statistics) and answers ``forward(x)`` with logits over the classes seen so far. What
they compute and the decisions behind them: docs/heads.md.
"""

from forgetless.heads.class_means import ClassMeanHead
from forgetless.heads.conv_features import RandomConvFeatures
from forgetless.heads.features import RandomReLUFeatures, extract_features
from forgetless.heads.ncm import NearestClassMean
from forgetless.heads.on_features import HeadOnFeatures
from forgetless.heads.slda import StreamingLDA

__all__ = [
    "ClassMeanHead",
    "HeadOnFeatures",
    "NearestClassMean",
    "RandomConvFeatures",
    "RandomReLUFeatures",
    "StreamingLDA",
    "extract_features",
]
