"""Reading a fused function's arguments: does its kernel support this call?

Every fused function takes the activation's reference followed by exactly the reference's
arguments (see :mod:`.dispatch`). It runs its kernel when these helpers accept the arguments and
otherwise returns ``reference(*args)``, so that an unsupported case never gives a wrong answer and
invalid arguments get the reference's own error message.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable

import torch

# The activation's pure-PyTorch definition, handed to every fused function by dispatch.
Reference = Callable[..., torch.Tensor]


def plain_float(value: object) -> float | None:
    """``float(value)`` for a Python (or numpy) real number; None for tensors, bools and others.

    Fixed hyperparameters reach the kernels as fp32 scalars; anything else (a tensor that may
    carry a gradient, a bool) makes the fused function fall back to the reference.
    """
    if type(value) is float:  # the common case, without the slow ABC check below
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def finite_floats(*values: object) -> list[float] | None:
    """Every value as a float (:func:`plain_float`) when all are finite, else None."""
    floats = []
    for value in values:
        number = plain_float(value)
        if number is None or not math.isfinite(number):
            return None
        floats.append(number)
    return floats


@functools.lru_cache(maxsize=256)
def integer_power(d: float) -> int:
    """d as an int when it is a whole number in [1, 8] (elephant's power by multiplication),
    else 0 (the log-domain power)."""
    return int(d) if float(d).is_integer() and 1 <= d <= 8 else 0


def kernel_dtype_ok(x: torch.Tensor) -> bool:
    """The kernels handle floating tensors in fp16, bf16, fp32 (and fp64 for the tests)."""
    return x.dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def normalize_dim(dim: object, ndim: int) -> int | None:
    """``dim`` as a non-negative axis of an ``ndim``-dimensional tensor, or None if invalid."""
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
        return None
    dim = int(dim)
    if not -ndim <= dim < ndim:
        return None
    return dim % ndim
