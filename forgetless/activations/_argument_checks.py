"""Argument checks shared by the activations: one clear ``ValueError`` per bad value.

Every message names its owner (the function or module checking), the parameter and the
accepted range, e.g. ``ValueError: elephant: d must be a finite number >= 1, got 0.5``.
"""

from __future__ import annotations

import math
from numbers import Real

import torch


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
