"""The small CNN of "Tempered Sigmoid Activations for Deep Learning with Differential Privacy"
(Papernot et al., AAAI 2021) for 28x28 MNIST / Fashion-MNIST.

    conv 16 8x8 stride 2 (padding 3, TensorFlow's "same": 28 -> 14) - act - maxpool 2x2 stride 1
    conv 32 4x4 stride 2 (no padding: 13 -> 5)                       - act - maxpool 2x2 stride 1
    flatten (32·4·4 = 512) - fc 32 - act - fc 10

The activation is an argument (the paper's point: tanh = tempered sigmoid (2, 2, 1) against ReLU);
by default ``nn.ReLU`` modules, so :func:`forgetless.activations.swap_activations` can replace
them. No normalisation layers (none is needed, and BatchNorm is not DP-compatible).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


class PapernotCNN(nn.Module):
    """The paper's MNIST/Fashion-MNIST CNN (26,010 parameters with 10 classes)."""

    def __init__(
        self, activation: Callable[[], nn.Module] = nn.ReLU, num_classes: int = 10
    ) -> None:
        super().__init__()
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes: expected an int >= 2, got {num_classes!r}")
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 8, stride=2, padding=3),
            activation(),
            nn.MaxPool2d(2, stride=1),
            nn.Conv2d(16, 32, 4, stride=2),
            activation(),
            nn.MaxPool2d(2, stride=1),
            nn.Flatten(),
            nn.Linear(32 * 4 * 4, 32),
            activation(),
        )
        self.classifier = nn.Linear(32, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 2:
            x = x.view(-1, 1, 28, 28)
        return self.classifier(self.features(x))
