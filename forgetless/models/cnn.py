"""A small convolutional network for 28×28 grey or 32×32 colour images, with ``nn.ReLU`` swap sites."""

from __future__ import annotations

import torch
from torch import nn


class SmallCNN(nn.Module):
    """conv(in->c1, 5x5) - ReLU - maxpool - conv(c1->c2, 5x5) - ReLU - maxpool - fc(hidden) - ReLU - fc.

    ``in_channels`` and ``image_size`` default to MNIST's 1×28×28; CIFAR uses 3 and 32. The side
    must be divisible by 4 (two 2×2 poolings); flat inputs are reshaped to the image.
    """

    def __init__(
        self,
        channels: tuple[int, int] = (16, 32),
        hidden: int = 128,
        num_classes: int = 10,
        *,
        in_channels: int = 1,
        image_size: int = 28,
    ) -> None:
        super().__init__()
        if image_size % 4 or image_size < 4:
            raise ValueError(f"SmallCNN: image_size must be a multiple of 4, got {image_size}")
        c1, c2 = channels
        self.in_channels, self.image_size = in_channels, image_size
        side = image_size // 4
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, c1, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(c2 * side * side, hidden),
            nn.ReLU(),
        )
        self.classifier = nn.Linear(hidden, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim == 2:
            x = x.view(-1, self.in_channels, self.image_size, self.image_size)
        return self.classifier(self.features(x))
