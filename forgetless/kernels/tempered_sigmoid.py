"""Fused tempered sigmoid.

"Tempered Sigmoid Activations for Deep Learning with Differential Privacy" (Papernot et al.,
AAAI 2021):

    y = s · sigmoid(T·x) − o
    dy/dx = s · T · sigmoid(T·x) · sigmoid(−T·x)

Both sigmoids come from e = exp(−|T·x|) ∈ (0, 1], so ±1e30 inputs give finite values and a
zero slope. The backward saves only x and recomputes the sigmoid.
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
    kernel_dtype_ok,
    plain_float,
    reference,
)
from ._math import sigmoid_pair


@triton.jit
def _tempered_sigmoid_fwd_kernel(
    x_ptr, y_ptr, numel, s, T, o, WIDE: tl.constexpr, BLOCK: tl.constexpr
):
    cdt = tl.float64 if WIDE else tl.float32
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < numel
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    sig, _ = sigmoid_pair(tl.cast(T, cdt) * x)
    y = tl.cast(s, cdt) * sig - tl.cast(o, cdt)
    tl.store(y_ptr + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _tempered_sigmoid_bwd_kernel(
    x_ptr, dy_ptr, dx_ptr, numel, s, T, WIDE: tl.constexpr, BLOCK: tl.constexpr
):
    cdt = tl.float64 if WIDE else tl.float32
    offs = tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < numel
    x = tl.load(x_ptr + offs, mask=mask, other=0.0).to(cdt)
    dy = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(cdt)
    temperature = tl.cast(T, cdt)
    sig, one_minus_sig = sigmoid_pair(temperature * x)
    dx = dy * (tl.cast(s, cdt) * temperature) * (sig * one_minus_sig)
    tl.store(dx_ptr + offs, dx.to(dx_ptr.dtype.element_ty), mask=mask)


@triton_op("forgetless::tempered_sigmoid", mutates_args={})
def tempered_sigmoid_op(x: torch.Tensor, s: float, T: float, o: float) -> torch.Tensor:
    """y = s·sigmoid(T·x) − o for a contiguous x, one Triton pass."""
    y = torch.empty_like(x)
    numel = x.numel()
    if numel > 0:
        wrap_triton(_tempered_sigmoid_fwd_kernel)[flat_grid(numel)](
            x,
            y,
            numel,
            s,
            T,
            o,
            WIDE=x.dtype == torch.float64,
            BLOCK=ELEMENTWISE_BLOCK,
            num_warps=ELEMENTWISE_WARPS,
        )
    return y


@triton_op("forgetless::tempered_sigmoid_backward", mutates_args={})
def tempered_sigmoid_backward_op(
    x: torch.Tensor, dy: torch.Tensor, s: float, T: float
) -> torch.Tensor:
    """dx = dy · s·T·sigmoid(T·x)·sigmoid(−T·x)."""
    dy = dy.contiguous()
    dx = torch.empty_like(x)
    numel = x.numel()
    if numel > 0:
        wrap_triton(_tempered_sigmoid_bwd_kernel)[flat_grid(numel)](
            x,
            dy,
            dx,
            numel,
            s,
            T,
            WIDE=x.dtype == torch.float64,
            BLOCK=ELEMENTWISE_BLOCK,
            num_warps=ELEMENTWISE_WARPS,
        )
    return dx


def _setup_context(ctx, inputs, output) -> None:
    x, s, T, _ = inputs
    ctx.save_for_backward(x)
    ctx.s, ctx.T = s, T


def _backward(ctx, dy: torch.Tensor):
    (x,) = ctx.saved_tensors
    return tempered_sigmoid_backward_op(x, dy, ctx.s, ctx.T), None, None, None


tempered_sigmoid_op.register_autograd(_backward, setup_context=_setup_context)


def fused_tempered_sigmoid(x: torch.Tensor, s: float, T: float, o: float) -> torch.Tensor:
    """Fused ``tempered_sigmoid_reference(x, s, T, o)``; the reference handles anything else.

    The kernel takes finite Python-number s, T, o (cast to fp32 in the kernel); tensors or
    non-finite values go to the reference, which validates them.
    """
    values = [plain_float(v) for v in (s, T, o)]
    if any(v is None or not math.isfinite(v) for v in values) or not kernel_dtype_ok(x):
        return reference("tempered_sigmoid", "tempered_sigmoid_reference")(x, s, T, o)
    return tempered_sigmoid_op(x.contiguous(), *values)
