"""Avalanche's continual-learning strategies by name, built from their entries in
:data:`forgetless.strategy_specs.STRATEGIES` (where they and their defaults are listed)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from torch import nn
from torch.optim import Optimizer

from forgetless.resolve import resolve
from forgetless.strategy_specs import (
    STRATEGIES,
    StrategySpec,
    check_strategy_params,
    strategy_spec,
)


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
        ValueError: an unknown strategy, one a local rule cannot run (its entry's ``rule_ok``
            is unset: the strategy is its own Avalanche class), or a bad parameter (naming it).
    """
    spec = strategy_spec(name)
    if not spec.rule_ok:
        raise ValueError(
            f"strategies: {name} is its own Avalanche strategy class, which a local rule's "
            "RuleStrategy does not run; expected one of "
            f"{[n for n, s in STRATEGIES.items() if s.rule_ok]}"
        )
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
    input_shape: Sequence[int] | None = None,
    **params: Any,
):
    """The Avalanche strategy of entry ``name`` with ``params`` over its defaults.

    Args:
        name: an entry of :data:`forgetless.strategy_specs.STRATEGIES`.
        model, optimizer, train_mb_size, train_epochs, eval_mb_size, device: as Avalanche's.
        plugins: the caller's plugins; the entry's own plugin (replay's buffer) comes last.
        evaluator: an ``EvaluationPlugin`` (None: a silent one, :func:`quiet_evaluator`).
        criterion: the loss (None: cross-entropy; iCaRL and CoPE bring their own).
        input_shape: one input's shape (GSS allocates its memory with it).
        params: the strategy's parameters (``strategy_params.<name>``).

    Raises:
        ValueError: an unknown strategy, one that cannot run here (its entry's reason), a
            parameter outside its schema, or a model the strategy cannot use (naming it).
    """
    spec = strategy_spec(name)
    if spec.refusal:
        raise ValueError(f"strategies: {name} cannot run here: {spec.refusal}")
    kwargs, plugin_kwargs = spec.split_arguments(check_strategy_params(name, params))
    plugins = [*plugins, *_entry_plugins(spec, plugin_kwargs)]
    if evaluator is None:
        evaluator = quiet_evaluator()
    arguments = {
        "model": model,
        "criterion": criterion if criterion is not None else nn.CrossEntropyLoss(),
        **kwargs,
    }
    if spec.builder is not None:
        arguments = resolve(spec.builder)(arguments, input_shape)
    return resolve(spec.avalanche_class)(
        optimizer=optimizer,
        train_mb_size=train_mb_size,
        train_epochs=train_epochs,
        eval_mb_size=eval_mb_size,
        device=device,
        plugins=plugins,
        evaluator=evaluator,
        **arguments,
    )
