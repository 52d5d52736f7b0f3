"""Dormant units, the two definitions of the loss-of-plasticity literature.

- **τ-dormant ratio** ("The Dormant Neuron Phenomenon in Deep Reinforcement Learning", Sokar et
  al., ICML 2023, ReDo): unit ``i``'s score ``s_i = E|h_i| / (mean_k E|h_k| + 1e-9)`` (expectation
  over the probe inputs, and over the positions of a convolutional channel); the unit is
  τ-dormant when ``s_i ≤ τ`` (τ = 0 in the paper's code, 0.025 in the PyTorch reimplementation).
- **Dormant units** ("Loss of plasticity in deep continual learning", Dohare et al., Nature 2024):
  a unit is dormant when it is *active* on fewer than 1 % of the probe inputs; active means its
  output is off the activation's flat part (:mod:`forgetless.activations.inactive`: for ReLU,
  non-zero). A channel is active on an input when it is active at any position.
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.activations.inactive import InactiveTest
from forgetless.plasticity.probe import unit_view

EPSILON = 1e-9
ACTIVE_FRACTION = 0.01  # Dohare et al.: dormant when active on fewer than 1 % of the inputs


def dormant_scores(h: torch.Tensor) -> torch.Tensor:
    """ReDo's score ``s_i`` of every unit of ``h`` (``(N, units)`` or ``(N, C, ...)``), float64."""
    mean_abs = unit_view(h).abs().to(torch.float64).mean(dim=(0, 2))
    return mean_abs / (mean_abs.mean() + EPSILON)


def tau_dormant_ratio(h: torch.Tensor, tau: float) -> float:
    """The fraction of the units of ``h`` whose ReDo score is at most ``tau``.

    Raises:
        ValueError: ``tau`` is negative.
    """
    if tau < 0:
        raise ValueError(f"tau: expected a number >= 0, got {tau!r}")
    return float((dormant_scores(h) <= tau).to(torch.float64).mean())


def dormant_unit_fraction(module: nn.Module, h: torch.Tensor, inactive: InactiveTest) -> float:
    """Dohare et al.'s dormant fraction of the units of ``h``, the output of ``module``:
    units active (``not inactive(module, h)``) on fewer than 1 % of the inputs."""
    active = ~inactive(module, h)
    per_input = unit_view(active).any(dim=2).to(torch.float64)  # (N, units)
    return float((per_input.mean(dim=0) < ACTIVE_FRACTION).to(torch.float64).mean())
