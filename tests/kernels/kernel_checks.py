"""Shared comparison helpers for the kernel tests (fused launchers against the references)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

# Per-dtype tolerances for values and gradients. fp32 kernels vs references that compute in
# fp32 (or fp64): a few ulps plus reduction-order differences. bf16: ~2 ulps of bf16 (8 bits).
VALUE_TOL = {
    torch.float32: {"atol": 1e-5, "rtol": 1e-5},
    torch.bfloat16: {"atol": 1.6e-2, "rtol": 1.6e-2},
    torch.float16: {"atol": 2e-3, "rtol": 2e-3},
    torch.float64: {"atol": 1e-12, "rtol": 1e-10},
}
GRAD_TOL = {
    torch.float32: {"atol": 1e-5, "rtol": 1e-4},
    torch.bfloat16: {"atol": 3.2e-2, "rtol": 3.2e-2},
    torch.float16: {"atol": 4e-3, "rtol": 4e-3},
    torch.float64: {"atol": 1e-11, "rtol": 1e-9},
}


def compare_with_reference(
    fused: Callable[..., torch.Tensor],
    reference: Callable[..., torch.Tensor],
    tensors: Sequence[torch.Tensor],
    *,
    seed: int = 0,
    param_tol: dict | None = None,
) -> torch.Tensor:
    """Run ``fused(*tensors)`` and ``reference(*tensors)`` on separate leaf copies and assert
    equal values and equal gradients for every tensor (x and parameters). Returns fused output.

    x's tolerance follows x's dtype; parameter gradients (fp32 parameters, fp32 reductions in
    both paths) use ``param_tol`` or the fp32 gradient tolerance.
    """
    a = [t.detach().clone().requires_grad_() for t in tensors]
    b = [t.detach().clone().requires_grad_() for t in tensors]
    y, r = fused(*a), reference(*b)
    assert y.shape == r.shape and y.dtype == r.dtype
    torch.testing.assert_close(y, r, **VALUE_TOL[r.dtype])
    g = torch.randn(r.shape, generator=torch.Generator().manual_seed(seed)).to(r.dtype)
    y.backward(g)
    r.backward(g)
    torch.testing.assert_close(a[0].grad, b[0].grad, **GRAD_TOL[r.dtype])
    for fused_leaf, ref_leaf in zip(a[1:], b[1:], strict=True):
        tol = param_tol or GRAD_TOL[fused_leaf.dtype]
        torch.testing.assert_close(fused_leaf.grad, ref_leaf.grad, **tol)
    return y


def random_input(shape: Sequence[int], dtype: torch.dtype, scale: float = 1.0, seed: int = 0):
    """Standard-normal input in fp64, scaled and rounded to ``dtype`` (reproducible)."""
    gen = torch.Generator().manual_seed(seed)
    return (torch.randn(tuple(shape), generator=gen, dtype=torch.float64) * scale).to(dtype)
