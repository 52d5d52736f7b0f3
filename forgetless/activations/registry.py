"""Activations by name: ``get_activation``, ``register_activation``, ``available_activations``.

Names are matched case-insensitively with ``-`` read as ``_`` (``"Hard-ASH"`` is ``hard_ash``).
Keyword parameters go to the factory: an unknown parameter name is a ``ValueError`` that lists
the accepted ones, and an out-of-range value is a ``ValueError`` from the activation itself that
names the parameter and its range.

Registered: forgetless's activations, under their names from :mod:`forgetless.kernels.names`,
and the ordinary torch activations (:mod:`forgetless.activations._torch_factories`).

Defaults (decided): a registry name's defaults are the ones under which it learns as the hidden
activation of a plain network, which is where the registry is used (``swap_activations``,
``ActivationSwap``, ``ActivationPlugin``, ``forgetless compare``, the rules' layers). Where that
needs more than the module's own defaults, the factory below says so and the module class keeps
the paper's definition (``Elephant()``, ``APA()``, ``HardASH()`` are unchanged):

- ``elephant``: ``a = 0.5``, ``d = 4``, ``input_norm=True`` (a LayerNorm without affine before
  it, as in the authors' code; :mod:`forgetless.activations.hidden_layer`).
- ``learnable_elephant``: ``sigma = 0.5``, ``h = 1``, ``d = 4``, ``input_norm=True``.
- ``apa``: ``kappa = lam = 1``, ``centered=True`` (``2 APA − 1``, tanh(x/2) at init).
- ``ash``: ``alpha = 3``, ``z_k = 1``, ``input_norm=True``; ``hard_ash``: ``alpha = 3``,
  ``z_k = 0``, ``input_norm=True``. The Hard ASH paper's ``z_k = 2.3`` (about 1 % of the units
  pass) belongs to its recipe (1000 units, normalised rows, Adagrad kept across experiences;
  the ``hard_ash_recipe`` preset pins it); in a 256-unit MLP trained by SGD it leaves two or
  three units active per sample and learning stalls (LA 0.65 to 0.79 against ReLU's 0.94).
- ``tempered_sigmoid``, ``aglu`` and the torch activations: their modules' defaults.

Measurements behind each choice: docs/recipes.md, and ``tests/activations/test_defaults_learn.py``
checks that every name learns with its defaults.

Per-channel sizes (decided): ``learnable_elephant`` defaults to ``num_units=None`` and
``apa``/``aglu`` accept ``num_parameters=None``; ``None`` means "infer on the first forward"
(see :mod:`forgetless.activations._lazy_per_channel`). :func:`swap_activations` fills the size in
from the preceding layer where it can, so the parameters exist before an optimizer is built.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from torch import nn

from forgetless.kernels import names

from ._torch_factories import TORCH_FACTORIES
from .apa import AGLU, APA
from .ash import ASH, HardASH
from .elephant import Elephant, LearnableElephant
from .tempered_sigmoid import TemperedSigmoid

ActivationFactory = Callable[..., nn.Module]


def _elephant(a: float = 0.5, d: float = 4.0, input_norm: bool = True) -> nn.Module:
    return Elephant(a=a, d=d, input_norm=input_norm)


def _learnable_elephant(
    num_units: int | None = None,
    d: float = 4.0,
    sigma: float = 0.5,
    h: float = 1.0,
    channel_dim: int = 1,
    input_norm: bool = True,
) -> nn.Module:
    return LearnableElephant(
        num_units, d=d, sigma=sigma, h=h, channel_dim=channel_dim, input_norm=input_norm
    )


def _ash(
    alpha: float = 3.0,
    z_k: float = 1.0,
    stat_dims: tuple[int, ...] | None = None,
    input_norm: bool = True,
) -> nn.Module:
    return ASH(alpha=alpha, z_k=z_k, stat_dims=stat_dims, input_norm=input_norm)


def _hard_ash(
    alpha: float = 3.0,
    z_k: float = 0.0,
    stat_dims: tuple[int, ...] | None = None,
    input_norm: bool = True,
) -> nn.Module:
    return HardASH(alpha=alpha, z_k=z_k, stat_dims=stat_dims, input_norm=input_norm)


def _apa(
    num_parameters: int | None = 1,
    kappa: float = 1.0,
    lam: float = 1.0,
    channel_dim: int = 1,
    centered: bool = True,
) -> nn.Module:
    return APA(num_parameters, kappa=kappa, lam=lam, channel_dim=channel_dim, centered=centered)


_REGISTRY: dict[str, ActivationFactory] = {
    **TORCH_FACTORIES,
    names.ELEPHANT: _elephant,
    names.LEARNABLE_ELEPHANT: _learnable_elephant,
    names.ASH: _ash,
    names.HARD_ASH: _hard_ash,
    names.TEMPERED_SIGMOID: TemperedSigmoid,
    names.APA: _apa,
    names.AGLU: AGLU,
}


def _normalize(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"activation name must be a non-empty string, got {name!r}")
    return name.strip().lower().replace("-", "_")


def available_activations() -> list[str]:
    """Sorted names accepted by :func:`get_activation`."""
    return sorted(_REGISTRY)


def register_activation(name: str, factory: ActivationFactory, *, overwrite: bool = False) -> None:
    """Make ``get_activation(name, **params)`` call ``factory(**params)``.

    Registering a name that exists raises ``ValueError`` unless ``overwrite=True`` (a typo must
    not silently shadow a built-in).
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
    """Remove a registered name (mainly for tests of user registrations)."""
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
    accepted = [
        p.name
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        listed = ", ".join(accepted) if accepted else "none"
        raise ValueError(
            f"activation {key!r} got unknown parameter(s) {', '.join(unknown)}; accepted: {listed}"
        )


def get_activation(name: str, **params: object) -> nn.Module:
    """A new activation module for ``name`` built with ``params``.

    Raises ``ValueError`` for an unknown name (listing the known ones), an unknown parameter
    name (listing the accepted ones) or a value out of range (naming the parameter).
    """
    key = _normalize(name)
    factory = _REGISTRY.get(key)
    if factory is None:
        raise ValueError(
            f"unknown activation {name!r}; known: {', '.join(available_activations())}"
        )
    _check_parameter_names(key, factory, params)
    module = factory(**params)
    if not isinstance(module, nn.Module):
        raise TypeError(
            f"activation factory for {key!r} returned {type(module).__name__}, not an nn.Module"
        )
    return module
