"""Build a model by name from a config section."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from torch import nn

from forgetless.models.cnn import SmallCNN
from forgetless.models.mlp import MLP
from forgetless.models.resnet import ReducedResNet18

MODEL_KINDS = ("mlp", "cnn", "reduced_resnet18")


def build_model(
    kind: str = "mlp",
    *,
    in_features: int | None = None,
    num_classes: int = 10,
    hidden: Sequence[int] = (400,),
    bias: bool = True,
    normalized: bool = False,
    input_shape: Sequence[int] = (1, 28, 28),
) -> nn.Module:
    """``kind="mlp"``: :class:`MLP` on ``in_features`` (default: the product of ``input_shape``);
    ``kind="cnn"``: :class:`SmallCNN` on ``input_shape`` (uses ``hidden[0]`` as its fully
    connected width; ``bias``/``normalized`` do not apply); ``kind="reduced_resnet18"``:
    :class:`ReducedResNet18` with ``nf = 20`` on ``input_shape`` (``hidden`` does not apply)."""
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
    raise ValueError(f"model.kind: expected one of {list(MODEL_KINDS)}, got {kind!r}")
