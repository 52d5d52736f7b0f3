"""Avalanche's continual-learning strategies by name, built from their entries in
:data:`forgetless.strategy_specs.STRATEGIES` (where they and their defaults are listed)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from torch import nn
from torch.optim import Optimizer

from forgetless.resolve import resolve
from forgetless.strategy_specs import StrategySpec, check_strategy_params, strategy_spec


def quiet_evaluator() -> Any:
    """An ``EvaluationPlugin`` with no metrics and no loggers, without its "No loggers" warning:
    forgetless records its own accuracy matrix."""
    from avalanche.training.plugins import EvaluationPlugin

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return EvaluationPlugin(loggers=[])


def _entry_plugins(spec: StrategySpec, plugin_kwargs: dict[str, Any]) -> list[Any]:
    """The plugin the entry appends (e.g. replay's buffer), built from its parameters."""
    return [] if spec.plugin is None else [resolve(spec.plugin)(**plugin_kwargs)]


def strategy_plugins(name: str, params: dict[str, Any]) -> list[Any]:
    """The plugins strategy ``name`` adds to a strategy it does not build itself (a local rule's
    :class:`~forgetless.avalanche.rule_strategy.RuleStrategy`): replay's buffer, or none.

    Raises:
        ValueError: an unknown strategy or a bad parameter (naming it).
    """
    spec = strategy_spec(name)
    _, plugin_kwargs = spec.split_arguments(check_strategy_params(name, params))
    return _entry_plugins(spec, plugin_kwargs)


def build_cl_strategy(
    name: str,
    model: nn.Module,
    optimizer: Optimizer,
    *,
    train_mb_size: int,
    train_epochs: int,
    eval_mb_size: int,
    device: str = "cpu",
    plugins: Sequence[Any] = (),
    evaluator: Any = None,
    criterion: nn.Module | None = None,
    **params: Any,
):
    """The Avalanche strategy of entry ``name`` with ``params`` over its defaults.

    Args:
        name: an entry of :data:`forgetless.strategy_specs.STRATEGIES`.
        model, optimizer, train_mb_size, train_epochs, eval_mb_size, device: as Avalanche's.
        plugins: the caller's plugins; the entry's own plugin (replay's buffer) comes last.
        evaluator: an ``EvaluationPlugin`` (None: a silent one, :func:`quiet_evaluator`).
        criterion: the loss (None: cross-entropy).
        params: the strategy's parameters (``strategy_params.<name>``).

    Raises:
        ValueError: an unknown strategy or a parameter outside its schema (naming it).
    """
    spec = strategy_spec(name)
    kwargs, plugin_kwargs = spec.split_arguments(check_strategy_params(name, params))
    plugins = [*plugins, *_entry_plugins(spec, plugin_kwargs)]
    if evaluator is None:
        evaluator = quiet_evaluator()
    return resolve(spec.avalanche_class)(
        model=model,
        optimizer=optimizer,
        criterion=criterion if criterion is not None else nn.CrossEntropyLoss(),
        train_mb_size=train_mb_size,
        train_epochs=train_epochs,
        eval_mb_size=eval_mb_size,
        device=device,
        plugins=plugins,
        evaluator=evaluator,
        **kwargs,
    )
