"""The constructor arguments of the strategies that need more than ``model`` and ``criterion``
(their entry's ``builder`` in :data:`forgetless.strategy_specs.STRATEGIES`): each function takes
the keywords :func:`~forgetless.avalanche.cl_strategies.build_cl_strategy` prepared and returns
those the class takes. forgetless's models (MLP, SmallCNN, ReducedResNet18) split into a
feature extractor and a ``classifier`` layer (:func:`features_and_classifier`).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from avalanche.models import BaseModel
from avalanche.training import CoPE
from avalanche.training.plugins import CoPEPlugin
from torch import nn

from forgetless.models.resnet import ReducedResNet18


class ResNetFeatures(nn.Module):
    """The pooled features of a :class:`ReducedResNet18` (everything but its classifier), on
    the same modules."""

    def __init__(self, net: ReducedResNet18) -> None:
        super().__init__()
        self.stem, self.stages = net.stem, net.stages
        self.in_channels, self.image_size = net.in_channels, net.image_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.view(-1, self.in_channels, self.image_size, self.image_size)
        return F.adaptive_avg_pool2d(self.stages(self.stem(x)), 1).flatten(1)


def features_and_classifier(model: nn.Module, strategy: str) -> tuple[nn.Module, nn.Linear]:
    """``(feature extractor, classifier)`` of ``model``: its ``features`` and ``classifier``
    (MLP, SmallCNN), or :class:`ResNetFeatures` and its classifier.

    Raises:
        ValueError: a model with neither, naming ``strategy``.
    """
    classifier = getattr(model, "classifier", None)
    if isinstance(model, ReducedResNet18):
        return ResNetFeatures(model), model.classifier
    features = getattr(model, "features", None)
    if isinstance(features, nn.Module) and isinstance(classifier, nn.Linear):
        return features, classifier
    raise ValueError(
        f"strategy {strategy}: needs a model with a feature extractor `features` and a linear "
        f"`classifier` (forgetless's mlp, cnn, reduced_resnet18), got {type(model).__name__}"
    )


class WithFeatures(nn.Module, BaseModel):
    """``model`` as an Avalanche ``BaseModel`` with the ``get_features`` LFL calls: the same
    outputs and parameters."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model
        self.features, _ = features_and_classifier(model, "lfl")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)

    def get_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x)


def icarl_arguments(arguments: dict[str, Any], input_shape: Any) -> dict[str, Any]:
    """iCaRL builds its own model (the feature extractor with a trained classifier, read by a
    nearest-mean-of-exemplars classifier at evaluation) and its own loss."""
    model = arguments.pop("model")
    arguments.pop("criterion")
    features, classifier = features_and_classifier(model, "icarl")
    return {
        **arguments,
        "feature_extractor": features,
        "classifier": classifier,
        "buffer_transform": None,
    }


def er_aml_arguments(arguments: dict[str, Any], input_shape: Any) -> dict[str, Any]:
    """ER-AML's metric-learning loss reads the feature extractor."""
    features, _ = features_and_classifier(arguments["model"], "er_aml")
    return {**arguments, "feature_extractor": features}


def lfl_arguments(arguments: dict[str, Any], input_shape: Any) -> dict[str, Any]:
    """LFL's distance is between the current and previous model's ``get_features``."""
    return {**arguments, "model": WithFeatures(arguments["model"])}


def cwr_arguments(arguments: dict[str, Any], input_shape: Any) -> dict[str, Any]:
    """CWR* consolidates the layer named ``classifier`` and freezes the rest after the first
    experience."""
    features_and_classifier(arguments["model"], "cwr_star")
    return {**arguments, "cwr_layer_name": "classifier"}


def cope_arguments(arguments: dict[str, Any], input_shape: Any) -> dict[str, Any]:
    """CoPE's prototypes live in the model's output space (``p_size`` = its width), one per
    class (``n_classes`` = the same width: forgetless's models have one output per class)."""
    _, classifier = features_and_classifier(arguments["model"], "cope")
    width = classifier.out_features
    return {**arguments, "n_classes": width, "p_size": width}


class PredictingCoPE(CoPE):
    """Avalanche's CoPE with its plugin first: the nearest-prototype predictions it writes into
    ``mb_output`` at ``after_eval_iteration`` are then what the caller's plugins (forgetless's
    accuracy matrix) read, not the embeddings (with CoPE's plugin last, LA read 0.090, below
    chance, on embedded Split-MNIST: docs/strategies.md)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        first = [p for p in self.plugins if isinstance(p, CoPEPlugin)]
        self.plugins = [*first, *(p for p in self.plugins if p not in first)]


def gss_arguments(arguments: dict[str, Any], input_shape: Any) -> dict[str, Any]:
    """GSS allocates its memory as a tensor of the input's shape.

    Raises:
        ValueError: no ``input_shape`` given.
    """
    if input_shape is None:
        raise ValueError("strategy gss_greedy: build_cl_strategy needs input_shape (one input's)")
    return {**arguments, "input_size": list(input_shape)}
