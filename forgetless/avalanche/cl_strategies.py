"""Avalanche's continual-learning strategies by name, with the defaults of
:mod:`forgetless.strategy_specs` (where they are documented)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from torch import nn
from torch.optim import Optimizer

from forgetless.strategy_specs import check_strategy_params


def quiet_evaluator() -> Any:
    """An ``EvaluationPlugin`` with no metrics and no loggers, without its "No loggers" warning:
    forgetless records its own accuracy matrix."""
    from avalanche.training.plugins import EvaluationPlugin

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return EvaluationPlugin(loggers=[])


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
    """An Avalanche strategy ``name`` (see the module docstring) with ``params`` over the defaults.

    ``params`` are checked against :data:`forgetless.strategy_specs.STRATEGY_SCHEMAS` first
    (ValueError naming the parameter)."""
    from avalanche.training import EWC, LwF, Naive, SynapticIntelligence

    from forgetless.avalanche.replay_plugin import QuietReplayPlugin

    classes = {"naive": Naive, "ewc": EWC, "si": SynapticIntelligence, "lwf": LwF, "replay": Naive}
    kwargs = check_strategy_params(name, params)
    plugins = list(plugins)
    if name == "replay":  # avalanche's Replay is Naive + ReplayPlugin appended last
        plugins.append(QuietReplayPlugin(mem_size=kwargs.pop("mem_size")))
    if evaluator is None:
        evaluator = quiet_evaluator()
    return classes[name](
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
