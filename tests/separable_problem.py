"""A small separable problem whose first C inputs are blank (room for a label): the rules' tests."""

from __future__ import annotations

import torch

NUM_CLASSES = 4
DATA_FEATURES = 16
IN_FEATURES = NUM_CLASSES + DATA_FEATURES


def separable_problem(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Gaussian clusters around fixed centres; the first C features are zero (room for a label)."""
    centres = torch.randn(NUM_CLASSES, DATA_FEATURES, generator=torch.Generator().manual_seed(7))
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, NUM_CLASSES, (n,), generator=g)
    x = 2.0 * centres[y] + torch.randn(n, DATA_FEATURES, generator=g)
    return torch.cat([torch.zeros(n, NUM_CLASSES), x], dim=1), y
