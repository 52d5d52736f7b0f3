"""How many directions a layer's representation spans, from the singular values ``σ`` of the probe
feature matrix ``(N, units)`` (a convolutional channel: its mean over positions).

- **Effective rank** ("The effective rank: a measure of effective dimensionality", Roy & Vetterli,
  2007): ``exp(−Σ p_i log p_i)``, ``p_i = σ_i / Σσ`` (``0 log 0 = 0``).
- **srank_δ** as the loss-of-plasticity code computes it (Kumar et al., "Implicit
  Under-Parameterization Inhibits Data-Efficient Deep Reinforcement Learning", ICLR 2021): the
  smallest ``k`` with ``Σ_{i≤k} σ_i / Σσ ≥ 1 − δ`` (δ = 0.01: ``srank_0.01``). Not the stable rank
  ``‖A‖_F² / ‖A‖_2²``.

A zero matrix has rank 0 under both.
"""

from __future__ import annotations

import math

import torch

from forgetless.plasticity.probe import unit_view


def feature_matrix(h: torch.Tensor) -> torch.Tensor:
    """``h`` as the ``(N, units)`` float64 matrix whose singular values the ranks use."""
    return unit_view(h).to(torch.float64).mean(dim=2)


def _singular_values(h: torch.Tensor) -> torch.Tensor:
    return torch.linalg.svdvals(feature_matrix(h))


def effective_rank(h: torch.Tensor) -> float:
    """Roy & Vetterli's effective rank of the features ``h``."""
    sigma = _singular_values(h)
    total = float(sigma.sum())
    if total == 0.0:
        return 0.0
    p = sigma[sigma > 0] / total
    return math.exp(float(-(p * p.log()).sum()))


def srank(h: torch.Tensor, delta: float = 0.01) -> int:
    """The smallest ``k`` whose top-``k`` singular values hold ``1 − delta`` of their sum.

    Raises:
        ValueError: ``delta`` outside ``[0, 1)``.
    """
    if not 0.0 <= delta < 1.0:
        raise ValueError(f"delta: expected a number in [0, 1), got {delta!r}")
    sigma = _singular_values(h)  # descending
    total = float(sigma.sum())
    if total == 0.0:
        return 0
    share = sigma.cumsum(0) / total
    return int((share < (1.0 - delta) - 1e-12).sum()) + 1
