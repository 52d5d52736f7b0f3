"""Activations by name: ``get_activation``, ``register_activation``, ``available_activations``.

Names are matched case-insensitively with ``-`` read as ``_`` (``"Hard-ASH"`` is ``hard_ash``).
Keyword parameters go to the factory: an unknown parameter name is a ``ValueError`` that lists
the accepted ones, and an out-of-range value is a ``ValueError`` from the activation itself that
names the parameter and its range.

Registered at import: every :class:`~forgetless.activations.spec.ActivationSpec` in the
``SPECS`` of this package's public modules (one file per activation, and
:mod:`.torch_activations`), under the spec's name with the spec's factory, whose defaults are
the registry defaults (why they differ from some modules' own: docs/activations.md). Each
spec's fused target is registered with :func:`forgetless.kernels.dispatch.register_fused`; on a
machine with CUDA the kernels are then imported up front (:func:`~forgetless.kernels.dispatch.
preload`: ``torch.compile`` cannot trace an import).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from collections.abc import Callable

import torch
from torch import nn

from forgetless.kernels.dispatch import kernels_enabled, preload, register_fused

from .spec import ActivationSpec, keyword_parameters

ActivationFactory = Callable[..., nn.Module]

_REGISTRY: dict[str, ActivationFactory] = {}
_SPECS: dict[str, ActivationSpec] = {}


def _normalize(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"activation name must be a non-empty string, got {name!r}")
    return name.strip().lower().replace("-", "_")


def available_activations() -> list[str]:
    """Sorted names accepted by :func:`get_activation`."""
    return sorted(_REGISTRY)


def activation_specs() -> tuple[ActivationSpec, ...]:
    """The specs of forgetless's built-in activations (torch's included), sorted by name."""
    return tuple(_SPECS[name] for name in sorted(_SPECS))


def register_activation(name: str, factory: ActivationFactory, *, overwrite: bool = False) -> None:
    """Make ``get_activation(name, **params)`` call ``factory(**params)``.

    Args:
        name: the name (normalised: lower case, ``-`` read as ``_``).
        factory: a callable returning an ``nn.Module``; its keyword parameters are the ones
            :func:`get_activation` accepts.
        overwrite: replace an existing name (a typo must not silently shadow a built-in).

    Raises:
        ValueError: for an empty name, a factory that is not callable, or a name that exists
            while ``overwrite`` is False.
    """
    key = _normalize(name)
    if not callable(factory):
        raise ValueError(f"register_activation: factory for {key!r} must be callable")
    if key in _REGISTRY and not overwrite:
        raise ValueError(
            f"register_activation: {key!r} is already registered; pass overwrite=True to replace"
        )
    _REGISTRY[key] = factory


def unregister_activation(name: str) -> None:
    """Remove a registered name (mainly for tests of user registrations).

    Raises:
        ValueError: for a name that is not registered.
    """
    key = _normalize(name)
    if key not in _REGISTRY:
        raise ValueError(f"unregister_activation: unknown activation {key!r}")
    del _REGISTRY[key]


def _check_parameter_names(key: str, factory: ActivationFactory, params: dict) -> None:
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        return
    kinds = {p.kind for p in signature.parameters.values()}
    if inspect.Parameter.VAR_KEYWORD in kinds:
        return
    accepted = [p.name for p in keyword_parameters(factory)]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        listed = ", ".join(accepted) if accepted else "none"
        raise ValueError(
            f"activation {key!r} got unknown parameter(s) {', '.join(unknown)}; accepted: {listed}"
        )


def _unknown(name: object) -> ValueError:
    return ValueError(f"unknown activation {name!r}; known: {', '.join(available_activations())}")


def get_activation(name: str, **params: object) -> nn.Module:
    """A new activation module for ``name`` built with ``params``.

    Raises:
        ValueError: for an unknown name (listing the known ones), an unknown parameter name
            (listing the accepted ones) or a value out of range (naming the parameter).
        TypeError: if a registered factory returns something other than an ``nn.Module``.
    """
    key = _normalize(name)
    factory = _REGISTRY.get(key)
    if factory is None:
        raise _unknown(name)
    _check_parameter_names(key, factory, params)
    module = factory(**params)
    if not isinstance(module, nn.Module):
        raise TypeError(
            f"activation factory for {key!r} returned {type(module).__name__}, not an nn.Module"
        )
    return module


def activation_parameters_help(name: str) -> list[tuple[str, str, str]]:
    """``(parameter, default, meaning)`` for every keyword parameter of activation ``name``.

    Defaults come from the registered factory's signature, meanings from the spec (empty for
    a user-registered factory). Raises ``ValueError`` for an unknown name.
    """
    if name not in _REGISTRY:
        raise _unknown(name)
    spec = _SPECS.get(name)
    meanings = spec.meanings if spec is not None and spec.factory is _REGISTRY[name] else {}
    rows = []
    for parameter in keyword_parameters(_REGISTRY[name]):
        default = "required" if parameter.default is parameter.empty else repr(parameter.default)
        rows.append((parameter.name, default, meanings.get(parameter.name, "")))
    return rows


def _register_builtin(spec: ActivationSpec) -> None:
    if spec.name in _SPECS:
        raise ValueError(f"activation {spec.name!r} is declared by two specs")
    _SPECS[spec.name] = spec
    _REGISTRY[spec.name] = spec.factory
    if spec.fused is not None:
        register_fused(spec.name, spec.fused)


def _register_package_specs() -> None:
    """Register the ``SPECS`` of every public module of this package (imported here)."""
    package = sys.modules[__package__]
    for info in pkgutil.iter_modules(package.__path__):
        if info.ispkg or info.name.startswith("_") or info.name == "registry":
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        for spec in getattr(module, "SPECS", ()):
            _register_builtin(spec)


_register_package_specs()
if torch.cuda.is_available() and kernels_enabled():
    preload()
