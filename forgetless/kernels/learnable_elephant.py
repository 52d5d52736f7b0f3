"""Fused learnable elephant: per-unit trainable width σ and height h, fixed sharpness d.

"Efficient Reinforcement Learning by Reducing Forgetting with Elephant Activation Functions"
(2025 follow-up of "Elephant Neural Networks: Born to Be a Continual Learner"):

    y = h · g,   g = 1 / (1 + |x/σ|^d),   σ = exp(log_sigma), h = exp(log_h)
    ∂y/∂x         = −d · h · g·(1 − g) / x          (0 at x = 0)
    ∂y/∂log_sigma =  d · h · g·(1 − g)              (= −x · ∂y/∂x)
    ∂y/∂log_h     =  y

|x/σ|^d is formed by multiplications for a whole d in [1, 8], else as
2^(d·(log2|x| − log_sigma·log2 e)); g·(1 − g) comes from :mod:`forgetless.kernels._math`
(finite for every finite x). Parameters are
read by pointer (no host sync); their gradients are reduced deterministically from per-program
partial sums (:mod:`forgetless.kernels._channels`). The backward saves only x and the
parameters and recomputes everything else.
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl

from forgetless.checks import Reference, finite_floats, integer_power

from ._channels import (
    channel_backward,
    channel_forward,
    column_channels,
    forward_tile,
    per_channel_op,
    row_block,
    store_partials,
    tile_position,
)
from ._launch import define_ops
from ._math import elephant_bell

LOG2_E = tl.constexpr(1.4426950408889634)  # constexpr: read inside @triton.jit


@triton.jit
def _load_parameters(log_sigma_ptr, log_h_ptr, ch, cdt: tl.constexpr):
    """(log2 σ, 1/σ, h) at channel indices ``ch`` (always in range: no mask needed); per tile
    row or column, not per element."""
    log_sigma = tl.load(log_sigma_ptr + ch).to(cdt)
    h = tl.exp(tl.load(log_h_ptr + ch).to(cdt))
    return log_sigma * LOG2_E, tl.exp(-log_sigma), h


@triton.jit
def _learnable_elephant_fwd_kernel(
    x_ptr, log_sigma_ptr, log_h_ptr, y_ptr, rows, cols, channels, inner, col_blocks, d,
    D_INT: tl.constexpr, PER_ROW: tl.constexpr, WIDE: tl.constexpr,
    BLOCK_R: tl.constexpr, BLOCK_C: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    offs, mask, ch = forward_tile(
        rows, cols, channels, inner, col_blocks, PER_ROW, BLOCK_R, BLOCK_C
    )
    log2_sigma, inv_sigma, h = _load_parameters(log_sigma_ptr, log_h_ptr, ch, cdt)
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    g, _ = elephant_bell(tl.abs(x), log2_sigma, inv_sigma, tl.cast(d, cdt), D_INT)
    tl.store(y_ptr + offs, (h * g).to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _learnable_elephant_tile(
    x_ptr, dy_ptr, dx_ptr, offs, mask, log2_sigma, inv_sigma, h, d,
    D_INT: tl.constexpr, cdt: tl.constexpr,
):  # fmt: skip
    """Write dx for one tile; return its (d log_sigma, d log_h) contributions (0 if masked)."""
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    dy = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(cdt)
    g, one_minus_g = elephant_bell(tl.abs(x), log2_sigma, inv_sigma, d, D_INT)
    slope_sigma = d * h * g * one_minus_g
    safe_x = tl.where(x == 0.0, 1.0, x)
    slope_x = tl.where(x == 0.0, 0.0, -slope_sigma / safe_x)
    tl.store(dx_ptr + offs, (dy * slope_x).to(dx_ptr.dtype.element_ty), mask=mask)
    d_log_sigma = tl.where(mask, dy * slope_sigma, 0.0)
    d_log_h = tl.where(mask, dy * (h * g), 0.0)
    return d_log_sigma, d_log_h


@triton.jit
def _learnable_elephant_bwd_kernel(
    x_ptr, dy_ptr, dx_ptr, log_sigma_ptr, log_h_ptr, part_sigma_ptr, part_h_ptr,
    rows, cols, channels, inner, row_programs, col_blocks, d,
    D_INT: tl.constexpr, PER_ROW: tl.constexpr, WIDE: tl.constexpr,
    BLOCK_R: tl.constexpr, BLOCK_C: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    pid_r, pid_c, _, col = tile_position(tl.program_id(0), col_blocks, BLOCK_R, BLOCK_C)
    col_ok = col < cols
    d = tl.cast(d, cdt)
    if not PER_ROW:  # the parameters of a column tile are the same on every row
        ch = column_channels(col, channels, inner)[None, :]
        log2_sigma, inv_sigma, h = _load_parameters(log_sigma_ptr, log_h_ptr, ch, cdt)
    acc_sigma = tl.zeros([BLOCK_R, BLOCK_C], dtype=cdt)
    acc_h = tl.zeros([BLOCK_R, BLOCK_C], dtype=cdt)
    for r0 in range(pid_r * BLOCK_R, rows, row_programs * BLOCK_R):
        row, offs, mask = row_block(r0, rows, cols, col, col_ok, BLOCK_R)
        if PER_ROW:
            ch = (row % channels)[:, None]
            log2_sigma, inv_sigma, h = _load_parameters(log_sigma_ptr, log_h_ptr, ch, cdt)
        c_sigma, c_h = _learnable_elephant_tile(
            x_ptr, dy_ptr, dx_ptr, offs, mask, log2_sigma, inv_sigma, h, d, D_INT, cdt
        )
        if PER_ROW:
            slot = pid_c.to(tl.int64) * rows + row
            store_partials(part_sigma_ptr, part_h_ptr, c_sigma, c_h, slot, row < rows, 1)
        else:
            acc_sigma += c_sigma
            acc_h += c_h
    if not PER_ROW:
        slot = pid_r.to(tl.int64) * cols + col
        store_partials(part_sigma_ptr, part_h_ptr, acc_sigma, acc_h, slot, col_ok, 0)


def _forward(
    x: torch.Tensor, log_sigma: torch.Tensor, log_h: torch.Tensor, d: float, inner: int
) -> torch.Tensor:
    """y = exp(log_h[c]) / (1 + |x/exp(log_sigma[c])|^d), c = (k // inner) % len(log_sigma)."""
    params = (log_sigma, log_h)
    return channel_forward(
        _learnable_elephant_fwd_kernel, x, params, inner, d, D_INT=integer_power(d)
    )


def _backward(
    x: torch.Tensor,
    log_sigma: torch.Tensor,
    log_h: torch.Tensor,
    dy: torch.Tensor,
    d: float,
    inner: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(dx, d log_sigma, d log_h); parameter gradients in the parameters' dtype."""
    kernel, params = _learnable_elephant_bwd_kernel, (log_sigma, log_h)
    return channel_backward(kernel, x, params, dy, inner, d, D_INT=integer_power(d))


learnable_elephant_op, learnable_elephant_backward_op = define_ops(
    "learnable_elephant", _forward, _backward, tensors=3
)


def fused_learnable_elephant(
    reference: Reference,
    x: torch.Tensor,
    log_sigma: torch.Tensor,
    log_h: torch.Tensor,
    d: float = 4.0,
    channel_dim: int = 1,
) -> torch.Tensor:
    """Fused ``reference(x, log_sigma, log_h, d, channel_dim)``; the reference handles every
    unsupported case.

    Supported: fp16/bf16/fp32 x (fp64 for tests), parameters with one element or one entry per
    channel along ``channel_dim``, finite Python-number d >= 1, non-empty x.
    """
    values = finite_floats(d)
    y = None
    if values is not None and values[0] >= 1:
        y = per_channel_op(learnable_elephant_op, x, (log_sigma, log_h), channel_dim, *values)
    return reference(x, log_sigma, log_h, d, channel_dim) if y is None else y
