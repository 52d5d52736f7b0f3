"""Small helpers shared by the kernel files: block sizes, grids, argument checks, fallbacks.

Every fused function in this package follows the same contract: it takes exactly the
arguments of the activation's reference, runs the Triton kernel when it supports the case, and
otherwise returns ``reference(*args)`` so that an unsupported layout never gives a wrong answer
(and invalid arguments get the reference's own error message).
"""

from __future__ import annotations

import importlib
import numbers
import sys
from collections.abc import Callable

import torch
import triton
import triton.language as tl

# Elementwise kernels: one program handles ELEMENTWISE_BLOCK contiguous elements, 8 per thread
# with 8 warps of 32 lanes (two 128-bit fp32 loads per thread and tensor). Checked offline with
# ptxas for sm_90a: <= 64 registers, no spills, for every elementwise kernel.
ELEMENTWISE_BLOCK = 2048
ELEMENTWISE_WARPS = 8

# Tile kernels that also reduce parameter gradients aim at roughly this many programs
# (several per streaming multiprocessor of an H100) and this many elements per tile, with
# TILE_WARPS warps (8 elements per thread: ~110 registers, no spills for the APA backward;
# 4096-element tiles with 4 warps spilled).
TARGET_PROGRAMS = 1024
TILE_ELEMENTS = 2048
TILE_WARPS = 8


def compute_type(dtype: torch.dtype) -> tl.dtype:
    """The register type of the kernels: float32, or float64 for float64 input.

    float64 never reaches the kernels through dispatch (it takes the reference path); the
    float64 mode exists so that the tests can gradcheck the kernels' formulas exactly.
    """
    return tl.float64 if dtype == torch.float64 else tl.float32


def flat_grid(numel: int, block: int = ELEMENTWISE_BLOCK) -> tuple[int]:
    """A 1-D launch grid that covers ``numel`` elements with ``block`` per program."""
    return (triton.cdiv(numel, block),)


def next_pow2(n: int) -> int:
    """Smallest power of two >= n (1 for n <= 1)."""
    return 1 if n <= 1 else 1 << (int(n) - 1).bit_length()


def plain_float(value: object) -> float | None:
    """``float(value)`` for a Python (or numpy) real number; None for tensors, bools and others.

    Fixed hyperparameters reach the kernels as fp32 scalars; anything else (a tensor that may
    carry a gradient, a bool) makes the fused function fall back to the reference.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def integer_power(d: float) -> int:
    """d as an int when it is a whole number in [1, 8] (elephant's power by multiplication),
    else 0 (the log-domain power)."""
    return int(d) if float(d).is_integer() and 1 <= d <= 8 else 0


def kernel_dtype_ok(x: torch.Tensor) -> bool:
    """The kernels handle floating tensors in fp16, bf16, fp32 (and fp64 for the tests)."""
    return x.dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def reference(module: str, name: str) -> Callable[..., torch.Tensor]:
    """``forgetless.activations.<module>.<name>``, looked up when a fallback needs it.

    Not imported at module level: the activation modules import the dispatch point, which
    imports these kernel modules. ``sys.modules`` first, because torch.compile can trace a dict
    lookup but not ``importlib.import_module`` (the module is loaded whenever a public
    functional called us).
    """
    full_name = f"forgetless.activations.{module}"
    loaded = sys.modules.get(full_name)
    if loaded is None:
        loaded = importlib.import_module(full_name)
    return getattr(loaded, name)


def normalize_dim(dim: object, ndim: int) -> int | None:
    """``dim`` as a non-negative axis of an ``ndim``-dimensional tensor, or None if invalid."""
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
        return None
    dim = int(dim)
    if not -ndim <= dim < ndim:
        return None
    return dim % ndim
