"""Fused ASH and Hard ASH: row kernels that keep each sample's row of units on chip.

"Hard ASH: Sparsity and the right optimizer make a continual learner" (Keskinen, 2024); ASH
from Lee et al. (2022). Per row x (M units), exactly as the reference
(:mod:`forgetless.activations.ash`):

    μ = mean(x),  c = x − μ,  s = max(max|c|, tiny),  n = c/s,  ρ = sqrt(mean(n²) + ε),
    σ = s·ρ  (= sqrt(var + ε·s²), ε = 1e-12: overflow-safe population std)
    u = α·(c − z_k·σ)
    ASH:      y = x · sigmoid(u)
    Hard ASH: y = clip(x, 0, 2) · clip(u + 3, 0, 6) / 6

Backward, with the gradient through μ and σ. Let a_j = ∂y_j/∂u_j · dy_j (ASH:
x·sigmoid(u)·sigmoid(−u)·dy; Hard ASH: clip(x, 0, 2)·[0 < u + 3 < 6]/6·dy) and A = Σ_j a_j.
Since ∂u_i/∂x_j = α·(δ_ij − 1/M − z_k·∂σ/∂x_j) and ∂σ/∂x_j = c_j/(M·σ) = n_j/(M·ρ),

    dx_j = dy_j·∂y_j/∂x_j|_u  +  α·(a_j − A/M − z_k·A·n_j/(M·ρ))

where the direct term is dy·sigmoid(u) (ASH) or dy·[0 < x < 2]·clip(u + 3, 0, 6)/6 (Hard ASH;
the clip masks are open intervals, as torch.clamp's gradient). The reference also
passes gradient through s = max|c| via the ε·s² term; that term is ε·s/σ ≤ 1e-12·sqrt(M)
relative to the others and is dropped. Using n/ρ instead of c/σ keeps constant rows (σ ≈ 0)
finite.

Supported rows: the statistic dims must be a trailing block of dims (the default "all but
dim 0", the last dim, or all of a 1-D input); anything else runs the reference. Rows of up to
``ON_CHIP_MAX_ROW`` units: each program holds ``BLOCK_R`` rows × ``BLOCK_M`` (next power of two
≥ M) units in registers; forward reads x once and writes y once, backward reads x and dy and
writes dx once. Longer rows (conv maps): chunked kernels in :mod:`._ash_long_rows`.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import torch
import triton
import triton.language as tl

from forgetless.checks import Reference, finite_floats, kernel_dtype_ok

from ._ash_long_rows import ash_long_bwd_kernel, ash_long_fwd_kernel, launch_long_rows
from ._ash_math import EPS, ash_output, ash_slopes, smallest_normal
from ._launch import define_ops, launch, next_pow2

ON_CHIP_MAX_ROW = 16384
ROW_TILE = 2048


@triton.jit
def _row_statistics(x, mask, row_len, WIDE: tl.constexpr):
    """(c = x − μ, n = c/s, s, ρ) for a [BLOCK_R, BLOCK_M] tile; c, n are 0 where masked."""
    mu = tl.sum(x, axis=1) / row_len
    c = tl.where(mask, x - mu[:, None], 0.0)
    s = tl.maximum(tl.max(tl.abs(c), axis=1), smallest_normal(WIDE))
    n = c / s[:, None]
    rho = tl.sqrt(tl.sum(n * n, axis=1) / row_len + EPS)
    return c, n, s, rho


@triton.jit
def _rows_tile(pid, rows, row_len, BLOCK_R: tl.constexpr, BLOCK_M: tl.constexpr):
    row = pid.to(tl.int64) * BLOCK_R + tl.arange(0, BLOCK_R)
    col = tl.arange(0, BLOCK_M)
    mask = (row < rows)[:, None] & (col < row_len)[None, :]
    return row[:, None] * row_len + col[None, :], mask


@triton.jit
def _ash_fwd_kernel(
    x_ptr, y_ptr, rows, row_len, alpha, z_k,
    HARD: tl.constexpr, WIDE: tl.constexpr, BLOCK_R: tl.constexpr, BLOCK_M: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    offs, mask = _rows_tile(tl.program_id(0), rows, row_len, BLOCK_R, BLOCK_M)
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    c, n, s, rho = _row_statistics(x, mask, row_len, WIDE)
    u = tl.cast(alpha, cdt) * (c - tl.cast(z_k, cdt) * (s * rho)[:, None])
    tl.store(y_ptr + offs, ash_output(x, u, HARD).to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _ash_bwd_kernel(
    x_ptr, dy_ptr, dx_ptr, rows, row_len, alpha, z_k,
    HARD: tl.constexpr, WIDE: tl.constexpr, BLOCK_R: tl.constexpr, BLOCK_M: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    offs, mask = _rows_tile(tl.program_id(0), rows, row_len, BLOCK_R, BLOCK_M)
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    dy = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(cdt)
    alpha = tl.cast(alpha, cdt)
    z_k = tl.cast(z_k, cdt)
    c, n, s, rho = _row_statistics(x, mask, row_len, WIDE)
    u = alpha * (c - z_k * (s * rho)[:, None])
    direct, a = ash_slopes(x, dy, u, HARD)
    a = tl.where(mask, a, 0.0)
    total = tl.sum(a, axis=1)[:, None]
    dx = direct + alpha * (a - total / row_len - z_k * total * n / (row_len * rho[:, None]))
    tl.store(dx_ptr + offs, dx.to(dx_ptr.dtype.element_ty), mask=mask)


@functools.lru_cache(maxsize=1024)
def _launch_config(rows: int, row_len: int, tile: int) -> tuple[int, int, int, tuple[int]]:
    """(BLOCK_R, BLOCK_M, warps, grid), cached per shape (``tile`` = ROW_TILE, in the key)."""
    block_m = max(16, next_pow2(row_len))
    block_r = min(next_pow2(rows), max(1, tile // block_m))
    # 8 elements per thread (2048-element tile: 8 warps, ~77 registers for 1000-unit rows);
    # 32 warps for the longest rows (8192: no spills; 16384: ~100 bytes of spills).
    num_warps = min(32, max(4, block_r * block_m // 256))
    return block_r, block_m, num_warps, (triton.cdiv(rows, block_r),)


def _launch_rows(
    kernels: tuple[Any, Any],
    tensors: tuple[torch.Tensor, ...],
    row_len: int,
    alpha: float,
    z_k: float,
    hard: bool,
) -> None:
    """Launch ``kernels`` = (on-chip kernel, long-row kernel), by row length, over the rows of
    ``row_len`` units of the contiguous ``tensors`` (x, y in the forward; x, dy, dx backward)."""
    rows = tensors[0].numel() // row_len if row_len > 0 else 0
    if rows > 0 and row_len > ON_CHIP_MAX_ROW:
        launch_long_rows(kernels[1], tensors, rows, row_len, alpha, z_k, hard)
    elif rows > 0:
        block_r, block_m, num_warps, grid = _launch_config(rows, row_len, ROW_TILE)
        launch(
            kernels[0],
            grid,
            *tensors,
            rows,
            row_len,
            alpha,
            z_k,
            HARD=hard,
            BLOCK_R=block_r,
            BLOCK_M=block_m,
            num_warps=num_warps,
        )


def _define(name: str, hard: bool):
    """The forward and backward ops of ASH (``hard=False``) or Hard ASH, and its fused function."""

    def forward(x: torch.Tensor, alpha: float, z_k: float, row_len: int) -> torch.Tensor:
        y = torch.empty_like(x)
        _launch_rows((_ash_fwd_kernel, ash_long_fwd_kernel), (x, y), row_len, alpha, z_k, hard)
        return y

    def backward(
        x: torch.Tensor, dy: torch.Tensor, alpha: float, z_k: float, row_len: int
    ) -> torch.Tensor:
        dx = torch.empty_like(x)
        kernels = (_ash_bwd_kernel, ash_long_bwd_kernel)
        _launch_rows(kernels, (x, dy.contiguous(), dx), row_len, alpha, z_k, hard)
        return dx

    op, backward_op = define_ops(name, forward, backward, tensors=1)

    def fused(
        reference: Reference,
        x: torch.Tensor,
        alpha: float = 3.0,
        z_k: float = 2.3,
        stat_dims: tuple[int, ...] | None = None,
    ) -> torch.Tensor:
        values = finite_floats(alpha, z_k)
        row_len = row_length(x, stat_dims) if kernel_dtype_ok(x) else None
        if values is None or values[0] <= 0 or row_len is None:
            return reference(x, alpha, z_k, stat_dims)
        return op(x.contiguous(), *values, row_len)

    fused.__name__ = fused.__qualname__ = f"fused_{name}"
    fused.__doc__ = (
        f"Fused ``reference(x, alpha, z_k, stat_dims)`` ({name}); unsupported stat_dims, "
        "parameters or dtypes, and empty x, run the reference."
    )
    return op, backward_op, fused


def _statistic_dims(ndim: int, stat_dims: object) -> tuple[int, ...] | None:
    """The reference's reading of ``stat_dims`` (``forgetless.activations.ash.resolve_stat_dims``):
    None means every dim but the batch dim (all of a 1-D input). Returns None for anything the
    reference would reject, so that the reference raises its own error."""
    if stat_dims is None:
        return (0,) if ndim == 1 else tuple(range(1, ndim))
    if isinstance(stat_dims, int) and not isinstance(stat_dims, bool):
        stat_dims = (stat_dims,)
    if not isinstance(stat_dims, (tuple, list)) or not stat_dims:
        return None
    dims = []
    for dim in stat_dims:
        if isinstance(dim, bool) or not isinstance(dim, int) or not -ndim <= dim < ndim:
            return None
        dims.append(dim % ndim)
    if len(set(dims)) != len(dims) or (ndim > 1 and 0 in dims):
        return None
    return tuple(sorted(dims))


_cached_statistic_dims = functools.lru_cache(maxsize=256)(_statistic_dims)


def row_length(x: torch.Tensor, stat_dims: object) -> int | None:
    """Units per row when ``stat_dims`` is a trailing block of dims the kernel supports, else None.

    None also for invalid ``stat_dims`` (the reference then raises its own error) and empty
    input.
    """
    if x.dim() == 0 or x.numel() == 0:
        return None
    try:
        dims = _cached_statistic_dims(x.dim(), stat_dims)
    except TypeError:  # unhashable (a list): read it without the cache
        dims = _statistic_dims(x.dim(), stat_dims)
    if dims is None or dims != tuple(range(dims[0], x.dim())):
        return None
    return math.prod(x.shape[dims[0] :])


# Over consecutive rows of ``row_len`` units of a contiguous x; the backward ops return dx,
# through μ and σ.
ash_op, ash_backward_op, fused_ash = _define("ash", hard=False)
hard_ash_op, hard_ash_backward_op, fused_hard_ash = _define("hard_ash", hard=True)
