"""ASH / Hard ASH for rows too long to keep on chip (more than ``ash.ON_CHIP_MAX_ROW`` units).

One program per row walks the row in chunks of ``LONG_ROW_BLOCK``: three passes for the
statistics (μ; s = max|x − μ|; ρ = sqrt(mean(((x − μ)/s)²) + ε)), the reference's overflow-safe
form, then one pass writing y. The backward adds one pass for A = Σ a_j and one writing dx
(formulas in :mod:`forgetless.kernels.ash`). The repeated reads of a row mostly hit L2; this
path exists so conv feature maps with per-sample statistics over C·H·W never fall back to the
(many-pass) reference, not to reach copy bandwidth.
"""

from __future__ import annotations

from typing import Any

import torch
import triton
import triton.language as tl

from ._ash_math import EPS, ash_output, ash_slopes, smallest_normal
from ._launch import launch

LONG_ROW_BLOCK = 4096
LONG_ROW_WARPS = 8


@triton.jit
def _long_row_statistics(x_ptr, base, row_len, WIDE: tl.constexpr, BLOCK: tl.constexpr):
    """(μ, s, ρ) of the row starting at ``base``, in three chunked passes."""
    cdt = tl.float64 if WIDE else tl.float32
    cols = tl.arange(0, BLOCK)
    total = tl.zeros([BLOCK], dtype=cdt)
    for start in range(0, row_len, BLOCK):
        mask = start + cols < row_len
        total += tl.load(x_ptr + base + start + cols, mask=mask, other=0.0).to(cdt)
    mu = tl.sum(total, axis=0) / row_len
    peak = tl.zeros([BLOCK], dtype=cdt)
    for start in range(0, row_len, BLOCK):
        mask = start + cols < row_len
        x = tl.load(x_ptr + base + start + cols, mask=mask, other=0.0).to(cdt)
        peak = tl.maximum(peak, tl.where(mask, tl.abs(x - mu), 0.0))
    s = tl.maximum(tl.max(peak, axis=0), smallest_normal(WIDE))
    squares = tl.zeros([BLOCK], dtype=cdt)
    for start in range(0, row_len, BLOCK):
        mask = start + cols < row_len
        x = tl.load(x_ptr + base + start + cols, mask=mask, other=0.0).to(cdt)
        n = tl.where(mask, (x - mu) / s, 0.0)
        squares += n * n
    rho = tl.sqrt(tl.sum(squares, axis=0) / row_len + EPS)
    return mu, s, rho


@triton.jit
def _long_row(x_ptr, row_len, alpha, z_k, WIDE: tl.constexpr, BLOCK: tl.constexpr):
    """This program's row: (its first offset, μ, s, ρ, and α, z_k in the compute type)."""
    cdt = tl.float64 if WIDE else tl.float32
    base = tl.program_id(0).to(tl.int64) * row_len
    mu, s, rho = _long_row_statistics(x_ptr, base, row_len, WIDE, BLOCK)
    return base, mu, s, rho, tl.cast(alpha, cdt), tl.cast(z_k, cdt)


@triton.jit
def ash_long_fwd_kernel(
    x_ptr, y_ptr, row_len, alpha, z_k,
    HARD: tl.constexpr, WIDE: tl.constexpr, BLOCK: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    base, mu, s, rho, alpha, z_k = _long_row(x_ptr, row_len, alpha, z_k, WIDE, BLOCK)
    shift = z_k * (s * rho)
    cols = tl.arange(0, BLOCK)
    for start in range(0, row_len, BLOCK):
        mask = start + cols < row_len
        x = tl.load(x_ptr + base + start + cols, mask=mask, other=0.0).to(cdt)
        y = ash_output(x, alpha * ((x - mu) - shift), HARD)
        tl.store(y_ptr + base + start + cols, y.to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def ash_long_bwd_kernel(
    x_ptr, dy_ptr, dx_ptr, row_len, alpha, z_k,
    HARD: tl.constexpr, WIDE: tl.constexpr, BLOCK: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    base, mu, s, rho, alpha, z_k = _long_row(x_ptr, row_len, alpha, z_k, WIDE, BLOCK)
    shift = z_k * (s * rho)
    cols = tl.arange(0, BLOCK)
    totals = tl.zeros([BLOCK], dtype=cdt)
    for start in range(0, row_len, BLOCK):
        mask = start + cols < row_len
        x = tl.load(x_ptr + base + start + cols, mask=mask, other=0.0).to(cdt)
        dy = tl.load(dy_ptr + base + start + cols, mask=mask, other=0.0).to(cdt)
        _, a = ash_slopes(x, dy, alpha * ((x - mu) - shift), HARD)
        totals += tl.where(mask, a, 0.0)
    total = tl.sum(totals, axis=0)
    for start in range(0, row_len, BLOCK):
        mask = start + cols < row_len
        x = tl.load(x_ptr + base + start + cols, mask=mask, other=0.0).to(cdt)
        dy = tl.load(dy_ptr + base + start + cols, mask=mask, other=0.0).to(cdt)
        direct, a = ash_slopes(x, dy, alpha * ((x - mu) - shift), HARD)
        n = (x - mu) / s
        dx = direct + alpha * (a - total / row_len - z_k * total * n / (row_len * rho))
        tl.store(dx_ptr + base + start + cols, dx.to(dx_ptr.dtype.element_ty), mask=mask)


def launch_long_rows(
    kernel: Any,
    tensors: tuple[torch.Tensor, ...],
    rows: int,
    row_len: int,
    alpha: float,
    z_k: float,
    hard: bool,
) -> None:
    """Launch the forward (``tensors`` = x, y) or backward (x, dy, dx) long-row kernel over
    ``rows`` consecutive rows of contiguous tensors: one program per row."""
    launch(
        kernel,
        (rows,),
        *tensors,
        row_len,
        alpha,
        z_k,
        HARD=hard,
        BLOCK=LONG_ROW_BLOCK,
        num_warps=LONG_ROW_WARPS,
    )
