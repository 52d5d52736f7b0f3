"""Hidden activations for the rules' networks, looked up by registry name."""

from __future__ import annotations

from torch import nn

from forgetless.activations import get_activation


def make_activation(name: str, **params: object) -> nn.Module:
    """A fresh activation module: ``forgetless.activations.get_activation(name, **params)``.

    Raises:
        ValueError: ``name`` is not a non-empty string, an unknown name or bad ``params``.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"activation must be a non-empty registry name, got {name!r}")
    return get_activation(name, **params)
