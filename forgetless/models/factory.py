"""Build a model by name from a config section."""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

from forgetless.models.cnn import SmallCNN
from forgetless.models.mlp import MLP

MODEL_KINDS = ("mlp", "cnn")


def build_model(
    kind: str = "mlp",
    *,
    in_features: int = 784,
    num_classes: int = 10,
    hidden: Sequence[int] = (400,),
    bias: bool = True,
    normalized: bool = False,
) -> nn.Module:
    """``kind="mlp"``: :class:`MLP`; ``kind="cnn"``: :class:`SmallCNN` (uses ``hidden[0]`` as its
    fully connected width, the other options do not apply)."""
    if kind == "mlp":
        return MLP(in_features, hidden, num_classes, bias=bias, normalized=normalized)
    if kind == "cnn":
        return SmallCNN(hidden=hidden[0] if hidden else 128, num_classes=num_classes)
    raise ValueError(f"model.kind: expected one of {list(MODEL_KINDS)}, got {kind!r}")
