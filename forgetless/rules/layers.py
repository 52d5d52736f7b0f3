"""Shared building blocks of the rules' networks: checked widths and linear + activation layers."""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

from forgetless.rules.activation import make_activation


def check_hidden(hidden: Sequence[int]) -> tuple[int, ...]:
    """Return ``hidden`` as a tuple of positive ints, or raise naming the parameter."""
    if isinstance(hidden, int):
        hidden = (hidden,)
    widths = tuple(hidden)
    if not widths or any(not isinstance(w, int) or w < 1 for w in widths):
        raise ValueError(f"hidden must be a non-empty sequence of positive ints, got {hidden!r}")
    return widths


def dense_layer(
    in_features: int, out_features: int, activation: str, activation_params: dict
) -> nn.Sequential:
    """``activation(Linear(in_features, out_features)(x))`` as one module."""
    return nn.Sequential(
        nn.Linear(in_features, out_features), make_activation(activation, **activation_params)
    )


def dense_stack(
    in_features: int, hidden: Sequence[int], activation: str, activation_params: dict
) -> nn.ModuleList:
    """One :func:`dense_layer` per width in ``hidden``, chained from ``in_features``."""
    widths = (in_features, *check_hidden(hidden))
    return nn.ModuleList(
        dense_layer(widths[i], widths[i + 1], activation, activation_params)
        for i in range(len(widths) - 1)
    )
