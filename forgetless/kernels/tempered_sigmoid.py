"""Fused tempered sigmoid.

"Tempered Sigmoid Activations for Deep Learning with Differential Privacy" (Papernot et al.,
AAAI 2021):

    y = s · sigmoid(T·x) − o
    dy/dx = s · T · sigmoid(T·x) · sigmoid(−T·x)

Both sigmoids come from e = exp(−|T·x|) ∈ (0, 1], so ±1e30 inputs give finite values and a
zero slope. The backward saves only x and recomputes the sigmoid.
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl

from forgetless.checks import Reference, finite_floats, kernel_dtype_ok

from ._launch import define_ops, element_block, elementwise
from ._math import sigmoid_pair


@triton.jit
def _tempered_sigmoid_fwd_kernel(
    x_ptr, y_ptr, numel, s, T, o, WIDE: tl.constexpr, BLOCK: tl.constexpr
):
    cdt = tl.float64 if WIDE else tl.float32
    offs, mask, x = element_block(x_ptr, numel, cdt, BLOCK)
    sig, _ = sigmoid_pair(tl.cast(T, cdt) * x)
    y = tl.cast(s, cdt) * sig - tl.cast(o, cdt)
    tl.store(y_ptr + offs, y.to(y_ptr.dtype.element_ty), mask=mask)


@triton.jit
def _tempered_sigmoid_bwd_kernel(
    x_ptr, dy_ptr, dx_ptr, numel, s, T, WIDE: tl.constexpr, BLOCK: tl.constexpr
):
    cdt = tl.float64 if WIDE else tl.float32
    offs, mask, x = element_block(x_ptr, numel, cdt, BLOCK)
    dy = tl.load(dy_ptr + offs, mask=mask, other=0.0).to(cdt)
    temperature = tl.cast(T, cdt)
    sig, one_minus_sig = sigmoid_pair(temperature * x)
    dx = dy * (tl.cast(s, cdt) * temperature) * (sig * one_minus_sig)
    tl.store(dx_ptr + offs, dx.to(dx_ptr.dtype.element_ty), mask=mask)


def _forward(x: torch.Tensor, s: float, T: float, o: float) -> torch.Tensor:
    """y = s·sigmoid(T·x) − o for a contiguous x, one Triton pass."""
    y = torch.empty_like(x)
    elementwise(_tempered_sigmoid_fwd_kernel, (x, y), s, T, o)
    return y


def _backward(x: torch.Tensor, dy: torch.Tensor, s: float, T: float, o: float) -> torch.Tensor:
    """dx = dy · s·T·sigmoid(T·x)·sigmoid(−T·x) (the offset o does not enter the slope)."""
    dx = torch.empty_like(x)
    elementwise(_tempered_sigmoid_bwd_kernel, (x, dy.contiguous(), dx), s, T)
    return dx


tempered_sigmoid_op, tempered_sigmoid_backward_op = define_ops(
    "tempered_sigmoid", _forward, _backward, tensors=1
)


def fused_tempered_sigmoid(
    reference: Reference, x: torch.Tensor, s: float, T: float, o: float
) -> torch.Tensor:
    """Fused ``reference(x, s, T, o)`` (tempered sigmoid); ``reference`` runs for anything else.

    The kernel takes finite Python-number s, T, o (cast to fp32 in the kernel); tensors or
    non-finite values go to the reference, which validates them.
    """
    values = finite_floats(s, T, o)
    if values is None or not kernel_dtype_ok(x):
        return reference(x, s, T, o)
    return tempered_sigmoid_op(x.contiguous(), *values)
