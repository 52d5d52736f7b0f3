"""Build a model by name from a config section."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from torch import nn

from forgetless.models.cnn import SmallCNN
from forgetless.models.mlp import MLP
from forgetless.models.random_conv import RandomConvNet
from forgetless.models.resnet import ReducedResNet18

#: The names ``build_model`` accepts (``model.kind`` in a compare config).
MODEL_KINDS = ("mlp", "cnn", "reduced_resnet18", "random_conv")


def build_model(
    kind: str = "mlp",
    *,
    in_features: int | None = None,
    num_classes: int = 10,
    hidden: Sequence[int] = (400,),
    bias: bool = True,
    normalized: bool = False,
    input_shape: Sequence[int] = (1, 28, 28),
    seed: int = 0,
) -> nn.Module:
    """The network ``kind`` (one of :data:`MODEL_KINDS`).

    Args:
        kind: ``"mlp"``: :class:`MLP` on ``in_features``; ``"cnn"``: :class:`SmallCNN` on
            ``input_shape`` (``hidden[0]`` is its fully connected width; ``bias``/``normalized``
            do not apply); ``"reduced_resnet18"``: :class:`ReducedResNet18` with ``nf = 20`` on
            ``input_shape`` ("Gradient Episodic Memory for Continual Learning"; ``hidden`` does
            not apply); ``"random_conv"``: :class:`RandomConvNet` (64 frozen random 5 x 5
            filters drawn from ``seed``, ReLU, 4 x 4 max pooling, then a linear output layer;
            ``hidden``/``bias``/``normalized`` do not apply).
        in_features: the MLP's input width (default: the product of ``input_shape``).
        num_classes: outputs.
        hidden: hidden layer widths.
        bias, normalized: the MLP's linear layers (``normalized``: centred, L2-normalised rows).
        input_shape: one input's shape, channels first.
        seed: the seed of ``random_conv``'s filters (the others draw from torch's global RNG).

    Raises:
        ValueError: an unknown ``kind`` (naming ``model.kind``).
    """
    if kind == "mlp":
        width = int(np.prod(input_shape)) if in_features is None else in_features
        return MLP(width, hidden, num_classes, bias=bias, normalized=normalized)
    channels, side = int(input_shape[0]), int(input_shape[-1])
    if kind == "cnn":
        return SmallCNN(
            hidden=hidden[0] if hidden else 128,
            num_classes=num_classes,
            in_channels=channels,
            image_size=side,
        )
    if kind == "reduced_resnet18":
        return ReducedResNet18(num_classes, in_channels=channels, image_size=side)
    if kind == "random_conv":
        return RandomConvNet(num_classes, in_channels=channels, image_size=side, seed=seed)
    raise ValueError(f"model.kind: expected one of {list(MODEL_KINDS)}, got {kind!r}")
