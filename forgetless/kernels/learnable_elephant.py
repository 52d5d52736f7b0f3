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

import math

import torch
import triton
import triton.language as tl
from torch.library import triton_op, wrap_triton

from ._channels import (
    ChannelLayout,
    as_channel_vector,
    channel_layout,
    column_channels,
    forward_tiles,
    reduce_partials,
    reduction_tiles,
    tile_position,
)
from ._common import TILE_WARPS, integer_power, kernel_dtype_ok, plain_float, reference
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
    _, _, row, col = tile_position(tl.program_id(0), col_blocks, BLOCK_R, BLOCK_C)
    offs = row[:, None] * cols + col[None, :]
    mask = (row < rows)[:, None] & (col < cols)[None, :]
    if PER_ROW:
        ch = (row % channels)[:, None]
    else:
        ch = column_channels(col, channels, inner)[None, :]
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
        row = tl.cast(r0, tl.int64) + tl.arange(0, BLOCK_R)
        offs = row[:, None] * cols + col[None, :]
        mask = (row < rows)[:, None] & col_ok[None, :]
        if PER_ROW:
            ch = (row % channels)[:, None]
            log2_sigma, inv_sigma, h = _load_parameters(log_sigma_ptr, log_h_ptr, ch, cdt)
        c_sigma, c_h = _learnable_elephant_tile(
            x_ptr, dy_ptr, dx_ptr, offs, mask, log2_sigma, inv_sigma, h, d, D_INT, cdt
        )
        if PER_ROW:
            slot = pid_c.to(tl.int64) * rows + row
            tl.store(part_sigma_ptr + slot, tl.sum(c_sigma, axis=1), mask=row < rows)
            tl.store(part_h_ptr + slot, tl.sum(c_h, axis=1), mask=row < rows)
        else:
            acc_sigma += c_sigma
            acc_h += c_h
    if not PER_ROW:
        slot = pid_r.to(tl.int64) * cols + col
        tl.store(part_sigma_ptr + slot, tl.sum(acc_sigma, axis=0), mask=col_ok)
        tl.store(part_h_ptr + slot, tl.sum(acc_h, axis=0), mask=col_ok)


@triton_op("forgetless::learnable_elephant", mutates_args={})
def learnable_elephant_op(
    x: torch.Tensor, log_sigma: torch.Tensor, log_h: torch.Tensor, d: float, inner: int
) -> torch.Tensor:
    """y = exp(log_h[c]) / (1 + |x/exp(log_sigma[c])|^d), c = (k // inner) % len(log_sigma)."""
    y = torch.empty_like(x)
    channels = log_sigma.numel()
    if x.numel() > 0:
        tiles = forward_tiles(ChannelLayout(x.numel() // (channels * inner), channels, inner))
        wrap_triton(_learnable_elephant_fwd_kernel)[tiles.grid](
            x,
            log_sigma,
            log_h,
            y,
            tiles.rows,
            tiles.cols,
            channels,
            inner,
            tiles.col_blocks,
            d,
            D_INT=integer_power(d),
            PER_ROW=tiles.per_row,
            WIDE=x.dtype == torch.float64,
            BLOCK_R=tiles.block_rows,
            BLOCK_C=tiles.block_cols,
            num_warps=TILE_WARPS,
        )
    return y


@triton_op("forgetless::learnable_elephant_backward", mutates_args={})
def learnable_elephant_backward_op(
    x: torch.Tensor,
    log_sigma: torch.Tensor,
    log_h: torch.Tensor,
    dy: torch.Tensor,
    d: float,
    inner: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(dx, d log_sigma, d log_h); parameter gradients in the parameters' dtype."""
    dy = dy.contiguous()
    channels = log_sigma.numel()
    layout = ChannelLayout(x.numel() // max(1, channels * inner), channels, inner)
    tiles = reduction_tiles(layout)
    dx = torch.empty_like(x)
    part_dtype = torch.float64 if x.dtype == torch.float64 else torch.float32
    part_sigma = torch.empty(tiles.partial_shape, dtype=part_dtype, device=x.device)
    part_h = torch.empty(tiles.partial_shape, dtype=part_dtype, device=x.device)
    wrap_triton(_learnable_elephant_bwd_kernel)[tiles.grid](
        x,
        dy,
        dx,
        log_sigma,
        log_h,
        part_sigma,
        part_h,
        tiles.rows,
        tiles.cols,
        channels,
        inner,
        tiles.row_programs,
        tiles.col_blocks,
        d,
        D_INT=integer_power(d),
        PER_ROW=tiles.per_row,
        WIDE=x.dtype == torch.float64,
        BLOCK_R=tiles.block_rows,
        BLOCK_C=tiles.block_cols,
        num_warps=TILE_WARPS,
    )
    d_log_sigma = reduce_partials(part_sigma, tiles, layout).to(log_sigma.dtype)
    d_log_h = reduce_partials(part_h, tiles, layout).to(log_h.dtype)
    return dx, d_log_sigma, d_log_h


def _setup_context(ctx, inputs, output) -> None:
    x, log_sigma, log_h, d, inner = inputs
    ctx.save_for_backward(x, log_sigma, log_h)
    ctx.d, ctx.inner = d, inner


def _backward(ctx, dy: torch.Tensor):
    x, log_sigma, log_h = ctx.saved_tensors
    dx, d_log_sigma, d_log_h = learnable_elephant_backward_op(
        x, log_sigma, log_h, dy, ctx.d, ctx.inner
    )
    return dx, d_log_sigma, d_log_h, None, None


learnable_elephant_op.register_autograd(_backward, setup_context=_setup_context)


def fused_learnable_elephant(
    x: torch.Tensor,
    log_sigma: torch.Tensor,
    log_h: torch.Tensor,
    d: float = 4.0,
    channel_dim: int = 1,
) -> torch.Tensor:
    """Fused ``learnable_elephant_reference``; the reference handles every unsupported case.

    Supported: fp16/bf16/fp32 x (fp64 for tests), parameters with one element or one entry per
    channel along ``channel_dim``, finite Python-number d >= 1, non-empty x.
    """
    d_val = plain_float(d)
    layout = channel_layout(x, (log_sigma, log_h), channel_dim)
    supported = (
        layout is not None
        and d_val is not None
        and math.isfinite(d_val)
        and d_val >= 1
        and kernel_dtype_ok(x)
        and x.numel() > 0
    )
    if not supported:
        ref = reference("elephant", "learnable_elephant_reference")
        return ref(x, log_sigma, log_h, d, channel_dim)
    return learnable_elephant_op(
        x.contiguous(),
        as_channel_vector(log_sigma, layout),
        as_channel_vector(log_h, layout),
        d_val,
        layout.inner,
    )
