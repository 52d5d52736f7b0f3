"""ASH (Adaptive SwisH) and Hard ASH.

Papers: "Hard ASH: Sparsity and the right optimizer make a continual learner" (Keskinen, 2024);
ASH from "ASH: Towards Adaptive SwisH" / Lee et al. (2022).

    ASH(x)     = x * sigmoid(alpha * (x - mu - z_k * sigma))
    HardASH(x) = clip(x, 0, 2) * relu6(alpha * (x - mu - z_k * sigma) + 3) / 6

mu and sigma are the mean and population standard deviation of each sample's activations
across the layer's units (not batch statistics); gradients flow through both. alpha = 3 and
z_k = 2.3 (about the top 1 % of units pass) are fixed hyperparameters, not trained.
Hard ASH is in [0, 2] and exactly 0 below ``mu + z_k * sigma - 3 / alpha``.

``stat_dims=None`` reduces over every dim but dim 0 (the batch; a 1-D input is one sample); dim
0 may never be reduced. ``sigma`` is the population std computed overflow-safe (scaled by the
largest ``|x - mu|``, ``eps = 1e-12``), the references compute in float64, a sample holding ±inf
or NaN gives NaN for its units and an input with no units along ``stat_dims`` is refused. Why
each of these: docs/activations.md ("ASH and Hard ASH").
"""

from __future__ import annotations

import torch
from torch import nn

from forgetless.checks import as_finite_float, flag, floating_input, positive
from forgetless.kernels.dispatch import dispatch

from .inactive import exactly, near
from .reference_inputs import compute_dtype, normalize_input
from .spec import INPUT_NORM, ActivationSpec

ASH_NAME = "ash"
HARD_ASH_NAME = "hard_ash"

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
    dims = resolve_stat_dims(ASH_NAME, x.dim(), stat_dims)
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
    dims = resolve_stat_dims(HARD_ASH_NAME, x.dim(), stat_dims)
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
    """ASH ``x * sigmoid(alpha * (x - mu - z_k * sigma))``; fused kernel when available.

    Args:
        x: a floating-point tensor, batch first.
        alpha: the slope of the soft threshold, finite and > 0.
        z_k: the threshold in per-sample standard deviations, finite.
        stat_dims: the axes of the per-sample statistics (None: every axis but the batch).

    Raises:
        ValueError: for a value out of range, bad ``stat_dims`` or no units along them.
    """
    alpha, z_k = _checked(ASH_NAME, x, alpha, z_k)
    _units_present(ASH_NAME, x, stat_dims)
    return dispatch(ASH_NAME, ash_reference, x, alpha, z_k, stat_dims)


def hard_ash(
    x: torch.Tensor,
    alpha: float = 3.0,
    z_k: float = 2.3,
    stat_dims: tuple[int, ...] | None = None,
) -> torch.Tensor:
    """Hard ASH (output in [0, 2], exact zeros); fused kernel when available.

    Args and Raises: as :func:`ash`.
    """
    alpha, z_k = _checked(HARD_ASH_NAME, x, alpha, z_k)
    _units_present(HARD_ASH_NAME, x, stat_dims)
    return dispatch(HARD_ASH_NAME, hard_ash_reference, x, alpha, z_k, stat_dims)


class _ASHBase(nn.Module):
    """What ASH and Hard ASH modules share (fixed alpha, z_k).

    Args:
        alpha, z_k, stat_dims: as :func:`ash`.
        input_norm: apply the activation to the sample-standardised input
            (:func:`~forgetless.activations.reference_inputs.normalize_input`; the registry's
            default).

    Raises:
        ValueError: for a value out of range or of the wrong type.
    """

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
        x = normalize_input(x, ASH_NAME) if self.input_norm else x
        return ash(x, self.alpha, self.z_k, self.stat_dims)


class HardASH(_ASHBase):
    """Hard ASH module (fixed alpha, z_k); see :func:`hard_ash`."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = normalize_input(x, HARD_ASH_NAME) if self.input_norm else x
        return hard_ash(x, self.alpha, self.z_k, self.stat_dims)


def _ash_factory(
    alpha: float = 3.0,
    z_k: float = 1.0,
    stat_dims: tuple[int, ...] | None = None,
    input_norm: bool = True,
) -> nn.Module:
    return ASH(alpha=alpha, z_k=z_k, stat_dims=stat_dims, input_norm=input_norm)


def _hard_ash_factory(
    alpha: float = 3.0,
    z_k: float = 0.0,
    stat_dims: tuple[int, ...] | None = None,
    input_norm: bool = True,
) -> nn.Module:
    return HardASH(alpha=alpha, z_k=z_k, stat_dims=stat_dims, input_norm=input_norm)


_STATS = "axes of the per-sample mean and std (None: every axis but the batch axis)"

SPECS = (
    ActivationSpec(
        name=ASH_NAME,
        reference=ash_reference,
        functional=ash,
        module=ASH,
        inactive=near((0.0,)),
        factory=_ash_factory,
        meanings={
            "alpha": "slope of the soft threshold: y = x · sigmoid(alpha (x − μ − z_k σ))",
            "z_k": "threshold in standard deviations above the sample mean "
            "(2.3 keeps ~1 % of units)",
            "stat_dims": _STATS,
            "input_norm": INPUT_NORM,
        },
        fused="forgetless.kernels.ash:fused_ash",
        paper_defaults={"alpha": 3.0, "z_k": 2.3, "input_norm": False},
    ),
    ActivationSpec(
        name=HARD_ASH_NAME,
        reference=hard_ash_reference,
        functional=hard_ash,
        module=HardASH,
        inactive=exactly(0.0, 2.0),
        factory=_hard_ash_factory,
        meanings={
            "alpha": "slope of the gate: y = clip(x, 0, 2) · relu6(alpha (x − μ − z_k σ) + 3) / 6",
            "z_k": "threshold in standard deviations above the sample mean",
            "stat_dims": _STATS,
            "input_norm": INPUT_NORM,
        },
        fused="forgetless.kernels.ash:fused_hard_ash",
        paper_defaults={"alpha": 3.0, "z_k": 2.3, "input_norm": False},
    ),
)
