"""Where an activation's output is *inactive*: the flat part of the function, where a unit passes
(almost) no gradient. Each :class:`~forgetless.activations.spec.ActivationSpec` names its test
(the ``inactive`` field); the dormant-unit monitor of "Loss of plasticity in deep continual
learning" (Dohare et al., Nature 2024) counts a unit dormant when it is active on fewer than 1 %
of the probe inputs (:mod:`forgetless.plasticity.dormant`). The form of each activation and why:
docs/plasticity.md.

A test takes the activation module (for its parameters) and its output ``h`` and returns a
boolean tensor of ``h``'s shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

InactiveTest = Callable[[nn.Module, torch.Tensor], torch.Tensor]

BAND = 0.01  # how close to a flat limit an output must be to count as inactive (tanh: |f| > 0.99)

Limits = Sequence[float] | Callable[[nn.Module], Sequence[float]]


def exactly_zero(module: nn.Module, h: torch.Tensor) -> torch.Tensor:
    """Inactive where the output is exactly 0: ReLU's form, Dohare et al.'s own definition."""
    return h == 0


def never(module: nn.Module, h: torch.Tensor) -> torch.Tensor:
    """Never inactive: an activation without a flat part (identity, leaky ReLU)."""
    return torch.zeros_like(h, dtype=torch.bool)


def near(limits: Limits, band: float | Callable[[nn.Module], float] = BAND) -> InactiveTest:
    """A test: inactive where the output lies within ``band`` of one of ``limits``.

    Args:
        limits: the values the activation flattens towards (tanh: ``(-1, 1)``), or a function of
            the module giving them (tempered sigmoid: ``(-o, s - o)``).
        band: the distance that counts as "at the limit", or a function of the module.
    """

    def test(module: nn.Module, h: torch.Tensor) -> torch.Tensor:
        values = limits(module) if callable(limits) else limits
        width = band(module) if callable(band) else band
        flat = torch.zeros_like(h, dtype=torch.bool)
        for value in values:
            flat |= (h - float(value)).abs() <= width
        return flat

    return test


def exactly(*limits: float) -> InactiveTest:
    """A test: inactive where the output equals one of ``limits`` exactly (piecewise-linear
    activations flat at those values: ReLU6 at 0 and 6, Hard ASH at 0 and 2)."""

    def test(module: nn.Module, h: torch.Tensor) -> torch.Tensor:
        flat = torch.zeros_like(h, dtype=torch.bool)
        for value in limits:
            flat |= h == value
        return flat

    return test
