"""Hidden activations for the rules' networks, looked up by registry name.

The rules build their hidden layers with :func:`make_activation`, which defers to
``forgetless.activations.get_activation`` (the project's registry: relu, elephant, ash, hard_ash,
tempered_sigmoid, apa, aglu, gelu, ...). Decision: while that registry is not importable (it is
written in parallel), a small table of plain torch activations stands in, so the rules and their
tests never depend on the registry being present; once it exists, every name goes through it.
"""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

_TORCH_FALLBACK: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "gelu": nn.GELU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "silu": nn.SiLU,
}


def make_activation(name: str, **params: object) -> nn.Module:
    """Return a fresh activation module for ``name`` (a registry name) built with ``params``."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"activation must be a non-empty registry name, got {name!r}")
    try:
        from forgetless.activations import get_activation
    except ImportError:
        get_activation = None
    if get_activation is not None:
        return get_activation(name, **params)
    if name not in _TORCH_FALLBACK:
        known = ", ".join(sorted(_TORCH_FALLBACK))
        raise ValueError(f"activation: unknown name {name!r}; known: {known}")
    if params:
        raise ValueError(f"activation {name!r} takes no parameters, got {sorted(params)}")
    return _TORCH_FALLBACK[name]()
