"""The continual-learning strategies as one table of plain data: :data:`STRATEGIES`.

One :class:`StrategySpec` per name holds the Avalanche class (a ``"module:Class"`` string,
imported only by the Avalanche door), the parameters with their defaults and ranges, what the
strategy allows (DP-SGD, streaming, a local rule), its paper, and, for a strategy that cannot run
here, why. No framework is imported here: the door builds a strategy from its entry
(:func:`forgetless.avalanche.build_cl_strategy`), the app validates a config against it without
loading Avalanche, ``forgetless strategies --params`` lists it. The entries live in one module
per family (:mod:`.baselines`, :mod:`.regularisation`, :mod:`.replay`, :mod:`.architectural`,
:mod:`.plasticity`, :mod:`.elsewhere`); adding a strategy is one entry (and its test).
Defaults, ranges and the recipes measured: docs/strategies.md.
"""

from __future__ import annotations

from typing import Any

from forgetless.strategy_specs import (
    architectural,
    baselines,
    elsewhere,
    plasticity,
    regularisation,
    replay,
)
from forgetless.strategy_specs.spec import NAIVE, ParamSpec, StrategySpec

__all__ = [
    "NAIVE",
    "STRATEGIES",
    "ParamSpec",
    "StrategySpec",
    "check_strategy_params",
    "runnable_strategies",
    "strategies_where",
    "strategy_spec",
]

#: Every entry by name, in family order (baselines, regularisation, replay, architectural,
#: plasticity, then those that cannot run here).
STRATEGIES: dict[str, StrategySpec] = {
    spec.name: spec
    for family in (baselines, regularisation, replay, architectural, plasticity, elsewhere)
    for spec in family.ENTRIES
}


def strategy_spec(name: str) -> StrategySpec:
    """The entry of strategy ``name``.

    Raises:
        ValueError: ``name`` is not in :data:`STRATEGIES` (the message lists them).
    """
    if name not in STRATEGIES:
        raise ValueError(f"strategy: expected one of {sorted(STRATEGIES)}, got {name!r}")
    return STRATEGIES[name]


def strategies_where(flag: str) -> list[str]:
    """The names whose entry has ``flag`` (``"private_ok"``, ``"streaming_ok"``,
    ``"loss_penalty"``) set, in table order."""
    return [name for name, spec in STRATEGIES.items() if getattr(spec, flag)]


def runnable_strategies() -> list[str]:
    """The names that can run here (no ``refusal``), in table order."""
    return [name for name, spec in STRATEGIES.items() if not spec.refusal]


def check_strategy_params(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """The defaults of strategy ``name`` updated with ``params``, every value checked.

    Args:
        name: an entry of :data:`STRATEGIES`.
        params: the values a user gave (``strategy_params.<name>``).

    Raises:
        ValueError: one line naming ``strategy_params.<name>.<key>``, what is accepted and what
            was given, for an unknown strategy, an unknown key or a value of the wrong type or
            range.
    """
    spec = strategy_spec(name)
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        raise ValueError(
            f"strategy_params.{name}: unknown {unknown}; accepted: {sorted(spec.params) or 'none'}"
        )
    checked = spec.defaults
    for key, value in params.items():
        try:
            checked[key] = spec.params[key].check(value)
        except ValueError as error:
            raise ValueError(
                f"strategy_params.{name}.{key}: expected {error}, got {value!r}"
            ) from None
    if spec.check is not None:
        spec.check(checked)
    return checked
