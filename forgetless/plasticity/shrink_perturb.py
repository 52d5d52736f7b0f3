"""Shrink and perturb ("On Warm-Starting Neural Network Training", Ash & Adams, NeurIPS 2020), in
the form of the loss-of-plasticity experiments (Dohare et al., Nature 2024): after every optimizer
step, every parameter shrinks by ``lr · weight_decay`` and gets Gaussian noise,
``θ ← (1 − lr · λ) θ + ε``, ``ε ~ N(0, σ²)``. The shrink is decoupled from the gradient (equal to
L2 weight decay for SGD; like AdamW's for Adam): docs/plasticity.md. Defaults from the
Permuted-MNIST configuration: λ 1e-4, σ 1e-5 (the code sweeps 1e-4 … 1e-6)."""

from __future__ import annotations

import torch
from torch.optim import Optimizer

from forgetless.checks import as_finite_float


class ShrinkPerturb:
    """Shrink and perturb the parameters an optimizer updates.

    Args:
        weight_decay: λ ≥ 0, scaled by each parameter group's ``lr``.
        sigma: σ ≥ 0 of the noise.
        seed: seeds the noise.

    Raises:
        ValueError: a negative or non-finite ``weight_decay`` or ``sigma``.
    """

    def __init__(self, *, weight_decay: float = 1e-4, sigma: float = 1e-5, seed: int = 0) -> None:
        self.weight_decay = as_finite_float("shrink_perturb", "weight_decay", weight_decay)
        self.sigma = as_finite_float("shrink_perturb", "sigma", sigma)
        if self.weight_decay < 0 or self.sigma < 0:
            raise ValueError(
                f"shrink_perturb: weight_decay and sigma must be >= 0, got "
                f"{self.weight_decay} and {self.sigma}"
            )
        self.generator = torch.Generator().manual_seed(seed)

    @torch.no_grad()
    def step(self, optimizer: Optimizer) -> None:
        """Shrink and perturb every parameter of ``optimizer`` (after its step)."""
        for group in optimizer.param_groups:
            shrink = 1.0 - float(group["lr"]) * self.weight_decay
            for param in group["params"]:
                param.mul_(shrink)
                if self.sigma > 0:
                    noise = torch.randn(param.shape, generator=self.generator, dtype=param.dtype)
                    param.add_(noise.to(param.device), alpha=self.sigma)
