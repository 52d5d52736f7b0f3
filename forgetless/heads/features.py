"""Features for the streaming heads: a fixed random ReLU map, and any frozen model read as a
feature extractor.

The random map is the "random features" of "Random Features for Large-Scale Kernel Machines"
(Rahimi & Recht, NeurIPS 2007) with a ReLU, as in "Uniform approximation of functions with random
bases" (Rahimi & Recht, 2008): ``φ(x) = ReLU(x W + b)`` with ``W_ij ~ N(0, 1) / √d`` (``d × k``)
and ``b_j ~ N(0, 0.25)``, drawn once from a seeded generator and never trained.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from forgetless.checks import check_seed, positive_int

BIAS_STD = 0.5  # b ~ N(0, 0.25)


class RandomReLUFeatures(nn.Module):
    """``φ(x) = ReLU(flatten(x) W + b)``, fixed (buffers, no parameters), seeded.

    Args:
        in_features: ``d``, the length of a flattened input (784 for MNIST).
        num_features: ``k``, the number of random features.
        seed: the seed of the ``torch.Generator`` that draws ``W`` and ``b``.

    Raises:
        ValueError: naming ``in_features``, ``num_features`` or ``seed`` when out of range.
    """

    weight: torch.Tensor
    bias: torch.Tensor

    def __init__(self, in_features: int, num_features: int = 2000, seed: int = 0) -> None:
        super().__init__()
        owner = "RandomReLUFeatures"
        self.in_features = positive_int(owner, "in_features", in_features)
        self.num_features = positive_int(owner, "num_features", num_features)
        generator = torch.Generator().manual_seed(check_seed(seed))
        weight = torch.randn(in_features, num_features, generator=generator)
        bias = torch.randn(num_features, generator=generator) * BIAS_STD
        self.register_buffer("weight", weight / math.sqrt(in_features))
        self.register_buffer("bias", bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, num_features={self.num_features}"

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, ...)`` inputs with ``in_features`` values each -> ``(N, num_features)``.

        Raises:
            ValueError: naming ``x`` when a row does not hold ``in_features`` values.
        """
        flat = x.reshape(x.shape[0], -1)
        if flat.shape[1] != self.in_features:
            raise ValueError(
                f"RandomReLUFeatures: x must hold {self.in_features} values per row, "
                f"got shape {tuple(x.shape)}"
            )
        return torch.relu(flat.to(self.weight.dtype) @ self.weight + self.bias)


def _batches(data: Dataset | DataLoader, batch_size: int) -> Iterable:
    if isinstance(data, DataLoader):
        return data
    if isinstance(data, Dataset):
        return DataLoader(data, batch_size=batch_size, shuffle=False)
    raise ValueError(f"extract_features: data must be a Dataset or DataLoader, got {data!r}")


@torch.no_grad()
def extract_features(
    extractor: nn.Module | None,
    data: Dataset | DataLoader,
    batch_size: int = 1024,
    device: torch.device | str | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Run ``extractor`` (frozen: eval mode, no gradient) over ``data``; flattened outputs.

    Items are ``(x, y)`` or ``(x, y, t)`` (the task label is ignored), as an
    :class:`~forgetless.scenarios.ExperienceDataset` serves them. ``extractor=None`` reads the
    inputs themselves (raw pixels, flattened). The extractor's training mode is restored after.

    Args:
        extractor: the feature map, or None for the flattened inputs.
        data: a dataset (read in order, ``batch_size`` at a time) or a ready DataLoader.
        batch_size: the batch size for a dataset.
        device: where the extractor runs (default: where its first parameter or buffer is).

    Returns:
        ``(features (N, k), labels (N,))`` on the CPU, features in the extractor's dtype.

    Raises:
        ValueError: naming ``batch_size`` or ``data`` when invalid.
    """
    positive_int("extract_features", "batch_size", batch_size)
    if device is None and extractor is not None:
        tensors = [*extractor.parameters(), *extractor.buffers()]
        device = tensors[0].device if tensors else None
    was_training = extractor.training if extractor is not None else False
    if extractor is not None:
        extractor.eval()
    features, labels = [], []
    try:
        for batch in _batches(data, batch_size):
            x, y = batch[0], batch[1]
            if device is not None:
                x = x.to(device)
            out = x if extractor is None else extractor(x)
            features.append(out.reshape(out.shape[0], -1).cpu())
            labels.append(torch.as_tensor(y).cpu())
    finally:
        if extractor is not None:
            extractor.train(was_training)
    if not features:
        raise ValueError("extract_features: data must hold at least one sample, got none")
    return torch.cat(features), torch.cat(labels)
