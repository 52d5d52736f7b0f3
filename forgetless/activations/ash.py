"""ASH (Adaptive SwisH) and Hard ASH.

Papers: "Hard ASH: Sparsity and the right optimizer make a continual learner" (Keskinen, 2024);
ASH from "ASH: Towards Adaptive SwisH" / Lee et al. (2022).

    ASH(x)     = x * sigmoid(alpha * (x - mu - z_k * sigma))
    HardASH(x) = clip(x, 0, 2) * relu6(alpha * (x - mu - z_k * sigma) + 3) / 6

mu and sigma are the mean and population standard deviation of each sample's activations
across the layer's units (not batch statistics); gradients flow through both. alpha = 3 and
z_k = 2.3 (about the top 1 % of units pass) are fixed hyperparameters, not trained.
Hard ASH is in [0, 2] and exactly 0 below ``mu + z_k * sigma - 3 / alpha``.

Per-sample statistics (decided here; the fused kernels read ``stat_dims`` the same way):

* ``stat_dims=None`` reduces over every dim but dim 0 (the batch): for ``(N, F)`` the F units,
  for conv maps ``(N, C, H, W)`` all of C, H and W. Pass e.g. ``stat_dims=(1,)`` for
  statistics per spatial position across channels. Dim 0 may not be reduced (the statistics
  are per sample, never batch statistics). A 1-D input is one sample: all of it is reduced.
* ``sigma = s * sqrt(mean(((x - mu) / s)^2) + eps)`` with ``s = max |x - mu|`` over the same
  dims (at least the dtype's smallest normal number) and ``eps = 1e-12``. This equals
  ``sqrt(var + eps * s^2)``: the population std up to a relative 1e-12. Scaling by ``s``
  keeps the squares in [0, 1] so inputs like 1e30 never overflow, and ``eps`` keeps the slope
  of the square root finite when the variance is 0 (a constant row, or a single unit), where
  sigma becomes ~0 and both value and gradient stay finite. Gradients flow through mu, s and
  sigma (autograd of this formula is exact).

The references compute in float64 for float16, bfloat16 and float32 inputs and cast back:
in float32 the row sum behind mu overflows for rows of values near the float32 maximum (mean of
[3e38] * 4 is inf, and then NaN), and the chain rule through mu and sigma forms products of two
such values. Every float32 input is safe in float64. (A fused float32 kernel has to guard
against this itself, e.g. by scaling each row by its largest magnitude before reducing.)

Non-finite and empty inputs (decided): a sample holding ±inf or NaN has no finite mean or std,
so ASH and Hard ASH return NaN for every unit of that sample (other samples are unaffected);
clean or clip such inputs first. An input with no units along ``stat_dims`` (e.g. shape
``(4, 0)``) has no statistics at all and is refused with a ``ValueError``.
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.kernels import names
from forgetless.kernels.dispatch import dispatch

from ._argument_checks import as_finite_float, floating_input, positive
from .hidden_layer import flag, normalize_input
from .reference_inputs import compute_dtype

EPS = 1e-12
_WIDE = torch.empty((), dtype=torch.float64)


def resolve_stat_dims(owner: str, ndim: int, stat_dims: tuple[int, ...] | None) -> tuple[int, ...]:
    """The non-negative dims to reduce, checked: none repeated, never the batch dim 0."""
    if ndim == 0:
        raise ValueError(f"{owner}: x must have at least one dim (a sample's units), got 0-d")
    if ndim == 1:
        default: tuple[int, ...] = (0,)
    else:
        default = tuple(range(1, ndim))
    if stat_dims is None:
        return default
    if isinstance(stat_dims, int) and not isinstance(stat_dims, bool):
        stat_dims = (stat_dims,)
    try:
        dims = tuple(stat_dims)
    except TypeError:
        raise ValueError(
            f"{owner}: stat_dims must be None or a tuple of ints, got {stat_dims!r}"
        ) from None
    resolved = []
    for dim in dims:
        if isinstance(dim, bool) or not isinstance(dim, int) or not -ndim <= dim < ndim:
            raise ValueError(
                f"{owner}: stat_dims entries must be ints in [{-ndim}, {ndim - 1}] for a "
                f"{ndim}-d input, got {stat_dims!r}"
            )
        resolved.append(dim % ndim)
    if not resolved or len(set(resolved)) != len(resolved):
        raise ValueError(f"{owner}: stat_dims must be non-empty and unique, got {stat_dims!r}")
    if ndim > 1 and 0 in resolved:
        raise ValueError(
            f"{owner}: stat_dims must not include dim 0 (the batch dim; statistics are per "
            f"sample), got {stat_dims!r}"
        )
    return tuple(sorted(resolved))


def _mean_and_std(x: torch.Tensor, dims: tuple[int, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and overflow-safe population std of ``x`` over ``dims`` (kept for broadcasting)."""
    mu = x.mean(dim=dims, keepdim=True)
    centred = x - mu
    scale = centred.abs().amax(dim=dims, keepdim=True).clamp_min(torch.finfo(x.dtype).tiny)
    scaled = centred / scale
    sigma = scale * (scaled.square().mean(dim=dims, keepdim=True) + EPS).sqrt()
    return mu, sigma


def _threshold_argument(
    work: torch.Tensor, alpha: float, z_k: float, dims: tuple[int, ...]
) -> torch.Tensor:
    """alpha * (x - mu - z_k * sigma), with per-sample mu and sigma over ``dims``."""
    mu, sigma = _mean_and_std(work, dims)
    return alpha * (work - mu - z_k * sigma)


def ash_reference(
    x: torch.Tensor,
    alpha: float = 3.0,
    z_k: float = 2.3,
    stat_dims: tuple[int, ...] | None = None,
) -> torch.Tensor:
    """Reference ASH: ``x * sigmoid(alpha * (x - mu - z_k * sigma))``, per-sample mu, sigma."""
    dims = resolve_stat_dims(names.ASH, x.dim(), stat_dims)
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
    dims = resolve_stat_dims(names.HARD_ASH, x.dim(), stat_dims)
    work = x.to(compute_dtype(x, _WIDE))
    gate = (_threshold_argument(work, alpha, z_k, dims) + 3.0).clamp(0.0, 6.0) / 6.0
    return (work.clamp(0.0, 2.0) * gate).to(x.dtype)


def _checked(owner: str, x: torch.Tensor, alpha: float, z_k: float) -> tuple[float, float]:
    floating_input(owner, x)
    return positive(owner, "alpha", alpha), as_finite_float(owner, "z_k", z_k)


def _units_present(owner: str, x: torch.Tensor, stat_dims: tuple[int, ...] | None) -> None:
    dims = resolve_stat_dims(owner, x.dim(), stat_dims)
    if any(x.shape[d] == 0 for d in dims):
        raise ValueError(
            f"{owner}: x of shape {tuple(x.shape)} has no units along stat_dims {dims} to take "
            "the per-sample mean and std over"
        )


def ash(
    x: torch.Tensor,
    alpha: float = 3.0,
    z_k: float = 2.3,
    stat_dims: tuple[int, ...] | None = None,
) -> torch.Tensor:
    """ASH activation; alpha must be finite and > 0, z_k finite. Fused kernel when available."""
    alpha, z_k = _checked(names.ASH, x, alpha, z_k)
    _units_present(names.ASH, x, stat_dims)
    return dispatch(names.ASH, ash_reference, x, alpha, z_k, stat_dims)


def hard_ash(
    x: torch.Tensor,
    alpha: float = 3.0,
    z_k: float = 2.3,
    stat_dims: tuple[int, ...] | None = None,
) -> torch.Tensor:
    """Hard ASH activation (output in [0, 2], exact zeros). Fused kernel when available."""
    alpha, z_k = _checked(names.HARD_ASH, x, alpha, z_k)
    _units_present(names.HARD_ASH, x, stat_dims)
    return dispatch(names.HARD_ASH, hard_ash_reference, x, alpha, z_k, stat_dims)


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
