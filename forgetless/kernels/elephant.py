"""Fused elephant activation (fixed width a and sharpness d).

"Elephant Neural Networks: Born to Be a Continual Learner" (Lan & Mahmood, 2023):

    y = 1 / (1 + |x/a|^d)
    dy/dx = −(d/a)·sign(x)·|x/a|^(d−1) / (1 + |x/a|^d)^2 = −d·y·(1 − y) / x,   0 at x = 0.

For a whole d in [1, 8] (d = 4 by default) |x/a|^d is formed by multiplications, otherwise as
2^(d·log2|x/a|). The second form of the derivative is finite for every finite x (1 − y is
computed without cancellation, see :func:`forgetless.kernels._math.bell`); at x = 0 we return
0, the derivative's value for d > 1 (and the mean of the one-sided slopes for d = 1). The forward reads x and writes y once; the
backward saves only x and recomputes y, reading x and dy and writing dx once.
"""

from __future__ import annotations

import math

import torch
import triton
import triton.language as tl
from torch.library import triton_op, wrap_triton

from ._common import (
    ELEMENTWISE_BLOCK,
    ELEMENTWISE_WARPS,
    flat_grid,
    integer_power,
    kernel_dtype_ok,
    plain_float,
    reference,
)
from ._math import elephant_bell


@triton.jit
def _elephant_fwd_kernel(
    x_ptr, y_ptr, numel, a, d,
    D_INT: tl.constexpr, WIDE: tl.constexpr, BLOCK: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < numel
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    a = tl.cast(a, cdt)
    y, _ = elephant_bell(tl.abs(x), tl.log2(a), 1.0 / a, tl.cast(d, cdt), D_INT)
    tl.store(y_ptr + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _elephant_bwd_kernel(
    x_ptr, dy_ptr, dx_ptr, numel, a, d,
    D_INT: tl.constexpr, WIDE: tl.constexpr, BLOCK: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < numel
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    dy = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(cdt)
    d = tl.cast(d, cdt)
    a = tl.cast(a, cdt)
    y, one_minus_y = elephant_bell(tl.abs(x), tl.log2(a), 1.0 / a, d, D_INT)
    safe_x = tl.where(x == 0.0, 1.0, x)
    slope = tl.where(x == 0.0, 0.0, -d * y * one_minus_y / safe_x)
    tl.store(dx_ptr + offs, (dy * slope).to(dx_ptr.dtype.element_ty), mask=mask)


@triton_op("forgetless::elephant", mutates_args={})
def elephant_op(x: torch.Tensor, a: float, d: float) -> torch.Tensor:
    """y = 1 / (1 + |x/a|^d) for a contiguous x, one Triton pass."""
    y = torch.empty_like(x)
    numel = x.numel()
    if numel > 0:
        wrap_triton(_elephant_fwd_kernel)[flat_grid(numel)](
            x,
            y,
            numel,
            a,
            d,
            D_INT=integer_power(d),
            WIDE=x.dtype == torch.float64,
            BLOCK=ELEMENTWISE_BLOCK,
            num_warps=ELEMENTWISE_WARPS,
        )
    return y


@triton_op("forgetless::elephant_backward", mutates_args={})
def elephant_backward_op(x: torch.Tensor, dy: torch.Tensor, a: float, d: float) -> torch.Tensor:
    """dx = dy · (−d·y·(1 − y) / x), recomputing y from x."""
    dy = dy.contiguous()
    dx = torch.empty_like(x)
    numel = x.numel()
    if numel > 0:
        wrap_triton(_elephant_bwd_kernel)[flat_grid(numel)](
            x,
            dy,
            dx,
            numel,
            a,
            d,
            D_INT=integer_power(d),
            WIDE=x.dtype == torch.float64,
            BLOCK=ELEMENTWISE_BLOCK,
            num_warps=ELEMENTWISE_WARPS,
        )
    return dx


def _setup_context(ctx, inputs, output) -> None:
    x, a, d = inputs
    ctx.save_for_backward(x)
    ctx.a, ctx.d = a, d


def _backward(ctx, dy: torch.Tensor):
    (x,) = ctx.saved_tensors
    return elephant_backward_op(x, dy, ctx.a, ctx.d), None, None


elephant_op.register_autograd(_backward, setup_context=_setup_context)


def fused_elephant(x: torch.Tensor, a: float, d: float) -> torch.Tensor:
    """Fused ``elephant_reference(x, a, d)``; falls back to the reference for anything else.

    The kernel handles Python-number a > 0 and d >= 1 (finite) on fp16/bf16/fp32 input;
    tensor-valued or invalid hyperparameters go to the reference, which raises its own error.
    """
    a_val, d_val = plain_float(a), plain_float(d)
    supported = (
        a_val is not None
        and d_val is not None
        and math.isfinite(a_val)
        and math.isfinite(d_val)
        and a_val > 0
        and d_val >= 1
        and kernel_dtype_ok(x)
    )
    if not supported:
        return reference("elephant", "elephant_reference")(x, a, d)
    return elephant_op(x.contiguous(), a_val, d_val)
