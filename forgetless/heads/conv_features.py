"""Fixed random convolutional features for the streaming heads.

``φ(x) = flatten(pool(σ(conv(x, W) + b)))`` with ``F`` random filters ``W`` (``k × k`` over the
``c`` input channels, ``W ~ N(0, 1) / √(c k²)``, ``b ~ N(0, 0.25)``), "same" padding, ``σ`` an
activation (ReLU by default) and a ``p × p`` max (or average) pooling of stride ``p``: the
single-layer random-filter networks of "What is the Best Multi-Stage Architecture for Object
Recognition?" (Jarrett et al., ICCV 2009) and "On Random Weights and Unsupervised Feature
Learning" (Saxe et al., ICML 2011), drawn once from a seeded generator and never trained.
Measurements with streaming LDA: docs/findings.md.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional

from forgetless.checks import check_seed, positive_int
from forgetless.heads.features import BIAS_STD

POOLS = ("max", "avg")


class RandomConvFeatures(nn.Module):
    """``flatten(pool(σ(conv(x) + b)))`` with fixed random filters (buffers, no parameters).

    Args:
        in_channels: ``c``, the channels of an input image (1 for MNIST).
        num_filters: ``F``, the number of random filters.
        kernel_size: ``k``, the filters' side (odd, so "same" padding is symmetric).
        pool: ``p``, the side and stride of the pooling window.
        pool_mode: ``"max"`` or ``"avg"``.
        seed: the seed of the ``torch.Generator`` that draws ``W`` and ``b``.
        activation: ``σ``, applied before pooling (None: ReLU).

    Raises:
        ValueError: naming the argument when out of range.
    """

    weight: torch.Tensor
    bias: torch.Tensor

    def __init__(
        self,
        in_channels: int = 1,
        num_filters: int = 64,
        kernel_size: int = 5,
        pool: int = 4,
        pool_mode: str = "max",
        seed: int = 0,
        activation: nn.Module | None = None,
    ) -> None:
        super().__init__()
        owner = "RandomConvFeatures"
        self.in_channels = positive_int(owner, "in_channels", in_channels)
        self.num_filters = positive_int(owner, "num_filters", num_filters)
        self.kernel_size = positive_int(owner, "kernel_size", kernel_size)
        if kernel_size % 2 == 0:
            raise ValueError(f"{owner}: kernel_size must be odd, got {kernel_size}")
        self.pool = positive_int(owner, "pool", pool)
        if pool_mode not in POOLS:
            raise ValueError(f"{owner}: pool_mode must be one of {list(POOLS)}, got {pool_mode!r}")
        self.pool_mode = pool_mode
        self.activation = nn.ReLU() if activation is None else activation
        generator = torch.Generator().manual_seed(check_seed(seed))
        shape = (num_filters, in_channels, kernel_size, kernel_size)
        weight = torch.randn(shape, generator=generator)
        bias = torch.randn(num_filters, generator=generator) * BIAS_STD
        self.register_buffer("weight", weight / math.sqrt(in_channels * kernel_size**2))
        self.register_buffer("bias", bias)

    def extra_repr(self) -> str:
        return (
            f"in_channels={self.in_channels}, num_filters={self.num_filters}, "
            f"kernel_size={self.kernel_size}, pool={self.pool}, pool_mode={self.pool_mode!r}"
        )

    def num_features(self, height: int, width: int) -> int:
        """The length of one output for a ``height × width`` input."""
        return self.num_filters * (height // self.pool) * (width // self.pool)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, c, H, W)`` images -> ``(N, F · ⌊H/p⌋ · ⌊W/p⌋)`` features.

        Raises:
            ValueError: naming ``x`` when it is not ``(N, in_channels, H, W)`` with ``H, W ≥ p``.
        """
        if x.dim() != 4 or x.shape[1] != self.in_channels or min(x.shape[2:]) < self.pool:
            raise ValueError(
                f"RandomConvFeatures: x must be (N, {self.in_channels}, H, W) with H, W >= "
                f"{self.pool}, got shape {tuple(x.shape)}"
            )
        maps = functional.conv2d(
            x.to(self.weight.dtype), self.weight, self.bias, padding=self.kernel_size // 2
        )
        maps = self.activation(maps)
        pooled = (functional.max_pool2d if self.pool_mode == "max" else functional.avg_pool2d)(
            maps, self.pool
        )
        return pooled.flatten(1)
