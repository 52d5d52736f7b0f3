"""ASH (Adaptive SwisH) and Hard ASH.

Papers: "Hard ASH: Sparsity and the right optimizer make a continual learner" (Keskinen, 2024);
ASH from "ASH: Towards Adaptive SwisH" / Lee et al. (2022).

    ASH(x)     = x * sigmoid(alpha * (x - mu - z_k * sigma))
    HardASH(x) = clip(x, 0, 2) * relu6(alpha * (x - mu - z_k * sigma) + 3) / 6

mu and sigma are the mean and population standard deviation of each sample's activations
across the layer's units (not batch statistics); gradients flow through both. alpha = 3 and
z_k = 2.3 (about the top 1 % of units pass) are fixed hyperparameters, not trained.
Hard ASH is in [0, 2] and exactly 0 below ``mu + z_k * sigma - 3 / alpha``.

Which dims are "the units" (``stat_dims``) and how a zero variance is handled are decided in
:mod:`forgetless.activations._sample_stats`: by default every dim but the batch dim (C, H, W
for conv maps), and ``sigma = sqrt(var + 1e-12 * s^2)`` with ``s = max |x - mu|``, which is
finite (about 0) for constant rows and single units.

The references compute in float64 for float16, bfloat16 and float32 inputs and cast back:
in float32 the row sum behind mu overflows for rows of values near the float32 maximum (mean of
[3e38] * 4 is inf, and then NaN), and the chain rule through mu and sigma forms products of two
such values. Every float32 input is safe in float64. (A fused float32 kernel has to guard
against this itself, e.g. by scaling each row by its largest magnitude before reducing.)
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.kernels.dispatch import dispatch

from ._checks import as_finite_float, floating_input, positive
from ._sample_stats import mean_and_std, resolve_stat_dims
from ._tensors import compute_dtype
from .hidden_layer import flag, normalize_input

_WIDE = torch.empty((), dtype=torch.float64)


def _threshold_argument(
    work: torch.Tensor, alpha: float, z_k: float, dims: tuple[int, ...]
) -> torch.Tensor:
    """alpha * (x - mu - z_k * sigma), with per-sample mu and sigma over ``dims``."""
    mu, sigma = mean_and_std(work, dims)
    return alpha * (work - mu - z_k * sigma)


def ash_reference(
    x: torch.Tensor,
    alpha: float = 3.0,
    z_k: float = 2.3,
    stat_dims: tuple[int, ...] | None = None,
) -> torch.Tensor:
    """Reference ASH: ``x * sigmoid(alpha * (x - mu - z_k * sigma))``, per-sample mu, sigma."""
    dims = resolve_stat_dims("ash", x.dim(), stat_dims)
    work = x.to(compute_dtype(x, _WIDE))
    gate = torch.sigmoid(_threshold_argument(work, alpha, z_k, dims))
    return (work * gate).to(x.dtype)


def hard_ash_reference(
    x: torch.Tensor,
    alpha: float = 3.0,
    z_k: float = 2.3,
    stat_dims: tuple[int, ...] | None = None,
) -> torch.Tensor:
    """Reference Hard ASH: ``clip(x, 0, 2) * relu6(alpha * (x - mu - z_k * sigma) + 3) / 6``."""
    dims = resolve_stat_dims("hard_ash", x.dim(), stat_dims)
    work = x.to(compute_dtype(x, _WIDE))
    gate = (_threshold_argument(work, alpha, z_k, dims) + 3.0).clamp(0.0, 6.0) / 6.0
    return (work.clamp(0.0, 2.0) * gate).to(x.dtype)


def _checked(owner: str, x: torch.Tensor, alpha: float, z_k: float) -> tuple[float, float]:
    floating_input(owner, x)
    return positive(owner, "alpha", alpha), as_finite_float(owner, "z_k", z_k)


def ash(
    x: torch.Tensor,
    alpha: float = 3.0,
    z_k: float = 2.3,
    stat_dims: tuple[int, ...] | None = None,
) -> torch.Tensor:
    """ASH activation; alpha must be finite and > 0, z_k finite. Fused kernel when available."""
    alpha, z_k = _checked("ash", x, alpha, z_k)
    resolve_stat_dims("ash", x.dim(), stat_dims)
    return dispatch("ash", ash_reference, x, alpha, z_k, stat_dims)


def hard_ash(
    x: torch.Tensor,
    alpha: float = 3.0,
    z_k: float = 2.3,
    stat_dims: tuple[int, ...] | None = None,
) -> torch.Tensor:
    """Hard ASH activation (output in [0, 2], exact zeros). Fused kernel when available."""
    alpha, z_k = _checked("hard_ash", x, alpha, z_k)
    resolve_stat_dims("hard_ash", x.dim(), stat_dims)
    return dispatch("hard_ash", hard_ash_reference, x, alpha, z_k, stat_dims)


class _ASHBase(nn.Module):
    """``input_norm=True`` applies the activation to the sample-standardised input
    (:mod:`forgetless.activations.hidden_layer`; the registry's default)."""

    def __init__(
        self,
        alpha: float = 3.0,
        z_k: float = 2.3,
        stat_dims: tuple[int, ...] | None = None,
        input_norm: bool = False,
    ) -> None:
        super().__init__()
        owner = self._get_name()
        self.input_norm = flag(owner, "input_norm", input_norm)
        self.alpha = positive(owner, "alpha", alpha)
        self.z_k = as_finite_float(owner, "z_k", z_k)
        if stat_dims is not None:
            # Only the form is checked here; the range is checked against each input's rank.
            stat_dims = _as_tuple(owner, stat_dims)
        self.stat_dims = stat_dims

    def extra_repr(self) -> str:
        return (
            f"alpha={self.alpha}, z_k={self.z_k}, stat_dims={self.stat_dims}, "
            f"input_norm={self.input_norm}"
        )


def _as_tuple(owner: str, stat_dims: object) -> tuple[int, ...]:
    if isinstance(stat_dims, int) and not isinstance(stat_dims, bool):
        stat_dims = (stat_dims,)
    if (
        not isinstance(stat_dims, (tuple, list))
        or not stat_dims
        or not all(isinstance(d, int) and not isinstance(d, bool) for d in stat_dims)
    ):
        raise ValueError(f"{owner}: stat_dims must be None or a tuple of ints, got {stat_dims!r}")
    return tuple(stat_dims)


class ASH(_ASHBase):
    """ASH module (fixed alpha, z_k); see :func:`ash`."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = normalize_input(x) if self.input_norm else x
        return ash(x, self.alpha, self.z_k, self.stat_dims)


class HardASH(_ASHBase):
    """Hard ASH module (fixed alpha, z_k); see :func:`hard_ash`."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = normalize_input(x) if self.input_norm else x
        return hard_ash(x, self.alpha, self.z_k, self.stat_dims)
