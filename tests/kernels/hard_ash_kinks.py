"""Where Hard ASH has no derivative, and a gradient comparison that allows for it (test helper;
also used by benchmarks/kernel_gpu_checks.py).

"Hard ASH: Sparsity and the right optimizer make a continual learner" (Keskinen, 2024):

    HardASH(x) = clip(x, 0, 2) · clip(v, 0, 6) / 6,   v = α·(x − μ − z_k·σ) + 3

(μ, σ per sample, :mod:`forgetless.activations.ash`) is not differentiable at x ∈ {0, 2} and
at v ∈ {0, 6}. There any value between the two one-sided derivatives is a valid subgradient,
and implementations legitimately differ:

* x exactly 0 or 2 (common in bf16: 2.0 is on its grid, and about 6 in 10 000 standard-normal
  bf16 values round to it). ``torch.clamp``'s gradient at its bounds is 1 in older torch
  releases and 0 in newer ones (pytorch/pytorch#184574; it is 0 in torch 2.14); the fused
  kernels use 0 (open intervals, like ``relu6`` and ``hardtanh``). Only that element's direct
  term dy·gate differs: a_j = dy·clip(x)/6 is continuous in x, so nothing couples to the row.
* v within rounding of 0 or 6: an fp32 kernel and an fp64 reference may put v on different
  sides, which changes a_j and, through A = Σ a_j (the gradient through μ and σ), every
  gradient of that row by about α·|a_j|/M.

:func:`hard_ash_gradient_check` compares a gradient against the float64 reference computed
from the same inputs: exact x kinks may take either one-sided value, rows holding a v within
``margin`` of a kink are left out (and counted), everything else must agree within the given
tolerance (for bf16: its rounding).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from forgetless.activations.ash import _mean_and_std, hard_ash_reference, resolve_stat_dims

# Rows whose v lies within this fraction of the row's scale α·(max|x − μ| + |z_k|·σ) of 0 or 6
# are ambiguous: 32 fp32 ulps of that scale, well above an fp32 kernel's error in v (a few
# ulps, z_k's rounding to fp32 included), and rare (~1 row in 100 of 1000 normal units).
V_MARGIN = 2.0**-18


@dataclass(frozen=True)
class KinkCheck:
    """Per element: ``checked`` (not in a row left out), ``ok`` (checked and acceptable)."""

    checked: torch.Tensor
    ok: torch.Tensor

    @property
    def failures(self) -> int:
        return int((self.checked & ~self.ok).sum())


def hard_ash_kinks(
    x: torch.Tensor, alpha: float, z_k: float, stat_dims: tuple[int, ...] | None = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(x exactly 0 or 2, element's v within the margin of 0 or 6, gate clip(v, 0, 6)/6), all in
    float64 from ``x`` as given (so a bf16 input's exact kinks are found)."""
    dims = resolve_stat_dims("hard_ash", x.dim(), stat_dims)
    wide = x.detach().to(torch.float64)
    mu, sigma = _mean_and_std(wide, dims)
    v = alpha * (wide - mu - z_k * sigma) + 3.0
    scale = alpha * ((wide - mu).abs().amax(dim=dims, keepdim=True) + abs(z_k) * sigma)
    margin = V_MARGIN * scale
    near_v = (v.abs() <= margin) | ((v - 6.0).abs() <= margin)
    at_x = (wide == 0.0) | (wide == 2.0)
    return at_x, near_v, v.clamp(0.0, 6.0) / 6.0


def reference_gradient(
    x: torch.Tensor, dy: torch.Tensor, alpha: float, z_k: float, stat_dims=None
) -> torch.Tensor:
    """dL/dx of Hard ASH in float64 from the same (possibly bf16) ``x`` and ``dy``."""
    wide = x.detach().to(torch.float64).requires_grad_()
    hard_ash_reference(wide, alpha, z_k, stat_dims).backward(dy.detach().to(torch.float64))
    return wide.grad


def hard_ash_gradient_check(
    x: torch.Tensor,
    dy: torch.Tensor,
    grad: torch.Tensor,
    alpha: float,
    z_k: float,
    stat_dims: tuple[int, ...] | None = None,
    *,
    rtol: float,
    atol: float,
) -> KinkCheck:
    """Compare ``grad`` (of Hard ASH at ``x`` for upstream ``dy``) with the float64 reference.

    An element is acceptable when |grad − r| <= atol + rtol·|r| for the reference r, or, at an
    exact x kink, for r ± dy·gate (the other one-sided derivative). Rows (samples) holding a v
    near 0 or 6 are not checked.
    """
    ref = reference_gradient(x, dy, alpha, z_k, stat_dims)
    at_x, near_v, gate = hard_ash_kinks(x, alpha, z_k, stat_dims)
    dims = resolve_stat_dims("hard_ash", x.dim(), stat_dims)
    checked = ~near_v.any(dim=dims, keepdim=True).expand_as(near_v)
    got = grad.detach().to(torch.float64)
    direct = dy.detach().to(torch.float64) * gate

    def close(target: torch.Tensor) -> torch.Tensor:
        return (got - target).abs() <= atol + rtol * target.abs()

    ok = close(ref) | (at_x & (close(ref + direct) | close(ref - direct)))
    return KinkCheck(checked=checked, ok=checked & ok)
