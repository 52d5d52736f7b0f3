"""The reduced ResNet-18 of the continual-learning literature, with ``nn.ReLU`` swap sites.

"Gradient Episodic Memory for Continual Learning" (Lopez-Paz & Ranzato, NeurIPS 2017) trains
Split-CIFAR-100 on a ResNet-18 ("Deep Residual Learning for Image Recognition", He et al., 2016)
with three times fewer feature maps per layer: ``nf = 20`` instead of 64. Later work (A-GEM,
ER, DER, ...) kept it as the standard small CIFAR backbone. Layout, as in the GEM code: a 3×3
stem convolution (stride 1, no max-pool), four stages of two basic blocks with ``nf, 2nf, 4nf,
8nf`` channels (strides 1, 2, 2, 2), batch norm after every convolution, 1×1 projection
shortcuts where the shape changes, average pooling of the final 4×4 maps (global average
pooling, so other image sizes work too) and one linear classifier. On 32×32
inputs with ``nf = 20`` that is 1.1 M parameters for 10 classes.

Every ReLU is its own ``nn.ReLU`` module (two per block, one in the stem) and the forward code
calls none functionally, so :func:`forgetless.activations.swap_activations` replaces all 17.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


def _conv3x3(in_channels: int, out_channels: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)


class BasicBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN, plus the (projected) input, then ReLU."""

    def __init__(self, in_channels: int, channels: int, stride: int = 1) -> None:
        super().__init__()
        self.branch = nn.Sequential(
            _conv3x3(in_channels, channels, stride),
            nn.BatchNorm2d(channels),
            nn.ReLU(),
            _conv3x3(channels, channels),
            nn.BatchNorm2d(channels),
        )
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or in_channels != channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(channels),
            )
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.branch(x) + self.shortcut(x))


class ReducedResNet18(nn.Module):
    """ResNet-18 with ``nf`` base feature maps (GEM's reduced version: ``nf = 20``).

    Args:
        num_classes: outputs of the classifier.
        nf: feature maps of the first stage (then ``2nf``, ``4nf``, ``8nf``).
        in_channels: image channels (3 for CIFAR).
        image_size: side of the square input; flat inputs are reshaped to it.
    """

    def __init__(
        self, num_classes: int = 10, nf: int = 20, in_channels: int = 3, image_size: int = 32
    ) -> None:
        super().__init__()
        if nf < 1 or num_classes < 2 or image_size < 8:
            raise ValueError(
                f"ReducedResNet18: expected nf >= 1, num_classes >= 2, image_size >= 8, "
                f"got {nf}, {num_classes}, {image_size}"
            )
        self.in_channels, self.image_size = in_channels, image_size
        self.stem = nn.Sequential(_conv3x3(in_channels, nf), nn.BatchNorm2d(nf), nn.ReLU())
        stages, width = [], nf
        for multiple, stride in ((1, 1), (2, 2), (4, 2), (8, 2)):
            channels = nf * multiple
            stages.append(
                nn.Sequential(BasicBlock(width, channels, stride), BasicBlock(channels, channels))
            )
            width = channels
        self.stages = nn.Sequential(*stages)
        self.classifier = nn.Linear(width, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.view(-1, self.in_channels, self.image_size, self.image_size)
        out = self.stages(self.stem(x))  # (n, 8nf, 4, 4) for 32×32 inputs
        return self.classifier(F.adaptive_avg_pool2d(out, 1).flatten(1))
