"""A multilayer perceptron with ``nn.ReLU`` modules between layers (the swap sites)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from forgetless.models.normalized_linear import CenteredNormalizedLinear


class MLP(nn.Module):
    """``in_features -> hidden[0] -> ... -> num_classes``, ReLU after each hidden layer.

    ``normalized=True`` uses :class:`CenteredNormalizedLinear` for the hidden layers (the Hard ASH
    recipe); ``bias=False`` drops every bias (also the recipe). Inputs of any shape are flattened.
    """

    def __init__(
        self,
        in_features: int = 784,
        hidden: Sequence[int] = (400,),
        num_classes: int = 10,
        *,
        bias: bool = True,
        normalized: bool = False,
    ) -> None:
        super().__init__()
        if in_features < 1 or num_classes < 2 or any(h < 1 for h in hidden):
            raise ValueError(
                f"MLP sizes: expected in_features >= 1, hidden sizes >= 1 and num_classes >= 2, "
                f"got {in_features}, {list(hidden)}, {num_classes}"
            )
        hidden_layer = CenteredNormalizedLinear if normalized else nn.Linear
        layers: list[nn.Module] = [nn.Flatten()]
        width = in_features
        for h in hidden:
            layers += [hidden_layer(width, h, bias=bias), nn.ReLU()]
            width = h
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(width, num_classes, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))
