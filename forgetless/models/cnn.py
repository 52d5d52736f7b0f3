"""A small convolutional network for 28x28 single-channel images, with ``nn.ReLU`` swap sites."""

from __future__ import annotations

import torch
from torch import nn


class SmallCNN(nn.Module):
    """conv(1->c1, 5x5) - ReLU - maxpool - conv(c1->c2, 5x5) - ReLU - maxpool - fc(hidden) - ReLU - fc."""

    def __init__(
        self, channels: tuple[int, int] = (16, 32), hidden: int = 128, num_classes: int = 10
    ) -> None:
        super().__init__()
        c1, c2 = channels
        self.features = nn.Sequential(
            nn.Conv2d(1, c1, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(c2 * 7 * 7, hidden),
            nn.ReLU(),
        )
        self.classifier = nn.Linear(hidden, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim == 2:
            x = x.view(-1, 1, 28, 28)
        return self.classifier(self.features(x))
