"""What an activation of a run really was: its resolved parameters and how they differ from the
paper's bare function.

``resolved_parameters("hard_ash", z_k=2.3)`` is every keyword parameter of the registered
factory after its defaults and the overrides (``alpha``, ``z_k``, ``stat_dims``, ``input_norm``),
as JSON values; :func:`paper_differences` compares them with the spec's ``paper_defaults`` so a
table can say which "hard_ash" it ran; :func:`activation_record` is both, as a record holds them.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any


def _plain(value: Any) -> Any:
    """A JSON value: tuples become lists, anything unusual its ``repr``."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return repr(value)


def resolved_parameters(name: str, **overrides: Any) -> dict[str, Any]:
    """Every keyword parameter of activation ``name``'s factory with its value after the
    factory's defaults and ``overrides`` (parameters without a default and not given: omitted).

    Raises:
        ValueError: an unknown activation or parameter (the registry's message).
    """
    from forgetless.activations.registry import _REGISTRY, _check_parameter_names, _normalize

    key = _normalize(name)
    factory = _REGISTRY.get(key)
    if factory is None:
        from forgetless.activations.registry import _unknown

        raise _unknown(name)
    _check_parameter_names(key, factory, overrides)
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):  # a builtin factory without a signature
        return {k: _plain(v) for k, v in overrides.items()}
    out = {}
    for p in parameters:
        if p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            continue
        if p.name in overrides:
            out[p.name] = _plain(overrides[p.name])
        elif p.default is not p.empty:
            out[p.name] = _plain(p.default)
    return out


def paper_defaults(name: str) -> Mapping[str, Any]:
    """The spec's ``paper_defaults`` of activation ``name`` ({} for a user-registered one)."""
    from forgetless.activations.registry import _REGISTRY, _SPECS, _normalize

    key = _normalize(name)
    spec = _SPECS.get(key)
    return spec.paper_defaults if spec is not None and spec.factory is _REGISTRY.get(key) else {}


def paper_differences(name: str, resolved: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{parameter: [ours, paper's]}`` for each parameter where ``resolved`` differs from the
    paper's bare function (floats compared to 1e-12 relative)."""
    out = {}
    for key, paper in paper_defaults(name).items():
        ours = resolved.get(key)
        same = ours == paper
        if isinstance(ours, int | float) and isinstance(paper, int | float):
            same = abs(float(ours) - float(paper)) <= 1e-12 * max(1.0, abs(float(paper)))
        if not same:
            out[key] = [ours, _plain(paper)]
    return out


def activation_record(name: str, **overrides: Any) -> dict[str, Any]:
    """What a run record says about its activation: ``activation_params`` (the resolved
    parameters) and ``activation_paper_differences`` (``{parameter: [ours, paper's]}``).

    Raises:
        ValueError: an unknown activation or parameter.
    """
    params = resolved_parameters(name, **overrides)
    return {
        "activation_params": params,
        "activation_paper_differences": paper_differences(name, params),
    }
