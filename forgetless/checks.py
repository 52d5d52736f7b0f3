"""Argument checks of the core: one clear ``ValueError`` per bad value, and the fused kernels'
reading of their arguments.

Two kinds of helper live here, both pure functions of their arguments:

* **Refusals** (``as_finite_float``, ``positive``, ``at_least``, ``optional_count``, ``flag``,
  ``floating_input``, ``normalize_dim``, ``one_of``, ``positive_int``; the scenarios'
  ``check_int``, ``check_seed``, ``check_class_order``, whose messages start with the argument
  name alone): return the checked value or raise a one-line
  ``ValueError`` that names its owner (the function or module checking), the parameter and the
  accepted range, e.g. ``ValueError: elephant: d must be a finite number >= 1, got 0.5``.
* **Kernel coverage** (``plain_float``, ``finite_floats``, ``integer_power``,
  ``kernel_dtype_ok``, ``kernel_dim``): return the value a kernel can use, or None (or False)
  when the fused function must hand the call to the activation's reference instead, so that an
  unsupported case never gives a wrong answer and invalid arguments get the reference's own
  error message.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable, Sequence
from numbers import Real

import torch

# An activation's pure-PyTorch definition, handed to every fused function by dispatch.
Reference = Callable[..., torch.Tensor]


# -- refusals -------------------------------------------------------------------------------


def as_finite_float(owner: str, name: str, value: object) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{owner}: {name} must be a finite real number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{owner}: {name} must be a finite real number, got {number}")
    return number


def positive(owner: str, name: str, value: object) -> float:
    """Return ``value`` as a float, or raise unless it is finite and > 0."""
    number = as_finite_float(owner, name, value)
    if number <= 0:
        raise ValueError(f"{owner}: {name} must be a finite number > 0, got {number}")
    return number


def at_least(owner: str, name: str, value: object, low: float) -> float:
    """Return ``value`` as a float, or raise unless it is finite and >= ``low``."""
    number = as_finite_float(owner, name, value)
    if number < low:
        raise ValueError(f"{owner}: {name} must be a finite number >= {low:g}, got {number}")
    return number


def optional_count(owner: str, name: str, value: object) -> int | None:
    """Return ``value`` as a positive int or None (size inferred later), else raise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"{owner}: {name} must be a positive int (or None to infer it), got {value!r}"
        )
    return value


def flag(owner: str, name: str, value: object) -> bool:
    """``value`` if it is a bool, else a ValueError naming ``owner`` and ``name``."""
    if not isinstance(value, bool):
        raise ValueError(f"{owner}: {name} must be a bool, got {value!r}")
    return value


def floating_input(owner: str, x: object) -> torch.Tensor:
    """Raise unless ``x`` is a floating-point tensor."""
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        kind = x.dtype if isinstance(x, torch.Tensor) else type(x).__name__
        raise ValueError(f"{owner}: x must be a floating-point torch.Tensor, got {kind}")
    return x


def normalize_dim(owner: str, name: str, dim: int, ndim: int) -> int:
    """Return ``dim`` as a non-negative index into an ``ndim``-dimensional tensor, else raise."""
    if isinstance(dim, bool) or not isinstance(dim, int) or not -ndim <= dim < ndim:
        raise ValueError(
            f"{owner}: {name} must be an int in [{-ndim}, {ndim - 1}] for a {ndim}-d input, "
            f"got {dim!r}"
        )
    return dim % ndim


def one_of(name: str, value: object, choices: tuple) -> object:
    """``value`` if it is one of ``choices``.

    Raises:
        ValueError: naming ``name``, the choices and the value.
    """
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def positive_int(owner: str, name: str, value: object) -> int:
    """``value`` if it is an int >= 1 (bools refused), else a ValueError naming ``owner``."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{owner}: {name} must be a positive int, got {value!r}")
    return value


def check_int(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    """``value`` as an int ≥ ``minimum`` (and ≤ ``maximum`` if given; bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name}: expected an int >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name}: expected an int in [{minimum}, {maximum}], got {value!r}")
    return value


def check_seed(seed: object) -> int:
    """A seed for ``torch.Generator``: an int in ``[0, 2**63)``."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ValueError(f"seed: expected an int in [0, 2**63), got {seed!r}")
    return seed


def check_class_order(class_order: Sequence[int], num_classes: int) -> list[int]:
    """``class_order`` as a list, which must be a permutation of ``0..num_classes-1``."""
    try:
        order = list(class_order)
    except TypeError:
        order = None
    if (
        order is None
        or not all(isinstance(c, int) and not isinstance(c, bool) for c in order)
        or sorted(order) != list(range(num_classes))
    ):
        order = class_order if order is None else order
        raise ValueError(
            f"class_order: expected a permutation of 0..{num_classes - 1}, got {order!r}"
        )
    return order


# -- kernel coverage ------------------------------------------------------------------------


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


def kernel_dim(dim: object, ndim: int) -> int | None:
    """``dim`` as a non-negative axis of an ``ndim``-dimensional tensor, or None if invalid."""
    if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
        return None
    dim = int(dim)
    if not -ndim <= dim < ndim:
        return None
    return dim % ndim
