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

import torch
import triton
import triton.language as tl

from forgetless.checks import Reference, finite_floats, integer_power, kernel_dtype_ok

from ._launch import define_ops, element_block, elementwise
from ._math import elephant_bell


@triton.jit
def _elephant_fwd_kernel(
    x_ptr, y_ptr, numel, a, d,
    D_INT: tl.constexpr, WIDE: tl.constexpr, BLOCK: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    offs, mask, x = element_block(x_ptr, numel, cdt, BLOCK)
    a = tl.cast(a, cdt)
    y, _ = elephant_bell(tl.abs(x), tl.log2(a), 1.0 / a, tl.cast(d, cdt), D_INT)
    tl.store(y_ptr + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _elephant_bwd_kernel(
    x_ptr, dy_ptr, dx_ptr, numel, a, d,
    D_INT: tl.constexpr, WIDE: tl.constexpr, BLOCK: tl.constexpr,
):  # fmt: skip
    cdt = tl.float64 if WIDE else tl.float32
    offs, mask, x = element_block(x_ptr, numel, cdt, BLOCK)
    dy = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(cdt)
    d = tl.cast(d, cdt)
    a = tl.cast(a, cdt)
    y, one_minus_y = elephant_bell(tl.abs(x), tl.log2(a), 1.0 / a, d, D_INT)
    safe_x = tl.where(x == 0.0, 1.0, x)
    slope = tl.where(x == 0.0, 0.0, -d * y * one_minus_y / safe_x)
    tl.store(dx_ptr + offs, (dy * slope).to(dx_ptr.dtype.element_ty), mask=mask)


def _forward(x: torch.Tensor, a: float, d: float) -> torch.Tensor:
    """y = 1 / (1 + |x/a|^d) for a contiguous x, one Triton pass."""
    y = torch.empty_like(x)
    elementwise(_elephant_fwd_kernel, (x, y), a, d, D_INT=integer_power(d))
    return y


def _backward(x: torch.Tensor, dy: torch.Tensor, a: float, d: float) -> torch.Tensor:
    """dx = dy · (−d·y·(1 − y) / x), recomputing y from x."""
    dx = torch.empty_like(x)
    elementwise(_elephant_bwd_kernel, (x, dy.contiguous(), dx), a, d, D_INT=integer_power(d))
    return dx


elephant_op, elephant_backward_op = define_ops("elephant", _forward, _backward, tensors=1)


def fused_elephant(reference: Reference, x: torch.Tensor, a: float, d: float) -> torch.Tensor:
    """Fused ``reference(x, a, d)`` (elephant); ``reference`` runs for anything else.

    The kernel handles Python-number a > 0 and d >= 1 (finite) on fp16/bf16/fp32 input;
    tensor-valued or invalid hyperparameters go to the reference, which raises its own error.
    """
    values = finite_floats(a, d)
    if values is None or values[0] <= 0 or values[1] < 1 or not kernel_dtype_ok(x):
        return reference(x, a, d)
    return elephant_op(x.contiguous(), *values)
