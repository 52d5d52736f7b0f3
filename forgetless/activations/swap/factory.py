"""The per-site activation factory of a swap: one new module for every held site and call site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import nn

from ..registry import get_activation


class SiteFactory:
    """Builds one new activation module per site: ``build(**params)`` (picklable)."""

    def __init__(self, build: Callable[..., nn.Module], params: dict[str, Any]) -> None:
        self.build = build
        self.params = dict(params)

    def __call__(self) -> nn.Module:
        module = self.build(**self.params)
        if not isinstance(module, nn.Module):
            raise TypeError(
                f"swap_activations: to() returned {type(module).__name__}, not a module"
            )
        return module


def site_factory(to: object, params: dict[str, Any]) -> SiteFactory:
    """The factory for ``to``: a registry name or a callable returning a module.

    Args:
        to: a registry name (see :func:`~forgetless.activations.get_activation`) or a factory
            called as ``to(**params)`` (e.g. the class).
        params: the new activation's parameters.

    Raises:
        ValueError: ``to`` is a module instance (sites would share it), an unknown name, a name
            with a bad parameter, or neither a name nor a callable.
    """
    if isinstance(to, nn.Module):
        raise ValueError(
            "swap_activations: to must be a registry name or a factory (e.g. the class), not a "
            "module instance: every site needs its own module"
        )
    if isinstance(to, str):
        get_activation(to, **params)  # fail on a bad name or parameter before changing anything
        return SiteFactory(get_activation, {"name": to, **params})
    if callable(to):
        return SiteFactory(to, params)
    raise ValueError(f"swap_activations: to must be a registry name or a callable, got {to!r}")
