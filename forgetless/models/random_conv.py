"""A frozen random-filter convolutional map followed by a trainable linear output layer."""

from __future__ import annotations

import torch
from torch import nn

from forgetless.heads.conv_features import RandomConvFeatures


class RandomConvNet(nn.Module):
    """``classifier(features(x))`` with ``features`` a :class:`RandomConvFeatures` (its filters
    are buffers drawn from ``seed``: nothing there trains) and ``classifier`` an ``nn.Linear``.

    The network of issue 24's best one-pass configuration (docs/findings.md): a streaming head
    (``heads=[slda] head.features=init``) reads ``features``; the output layer is what the joint
    reference and ``heads=[none]`` train. Flat inputs are reshaped to the image.

    Args:
        num_classes: outputs.
        in_channels, image_size: one input image, channels first, square.
        num_filters, kernel_size, pool, pool_mode: :class:`RandomConvFeatures`' arguments.
        seed: the seed of the filters (the run seed in ``compare``).

    Raises:
        ValueError: naming the argument when out of range.
    """

    def __init__(
        self,
        num_classes: int = 10,
        *,
        in_channels: int = 1,
        image_size: int = 28,
        num_filters: int = 64,
        kernel_size: int = 5,
        pool: int = 4,
        pool_mode: str = "max",
        seed: int = 0,
    ) -> None:
        super().__init__()
        self.in_channels, self.image_size = in_channels, image_size
        self.features = RandomConvFeatures(
            in_channels, num_filters, kernel_size, pool, pool_mode, seed=seed
        )
        width = self.features.num_features(image_size, image_size)
        self.classifier = nn.Linear(width, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim == 2:
            x = x.view(-1, self.in_channels, self.image_size, self.image_size)
        return self.classifier(self.features(x))
