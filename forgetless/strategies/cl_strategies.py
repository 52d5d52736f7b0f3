"""Avalanche's continual-learning strategies by name, with documented defaults.

Defaults (used when a config does not override them), chosen for Split-MNIST-sized runs:

- ``naive``: fine-tuning, no protection against forgetting (the lower bound).
- ``ewc``: Elastic Weight Consolidation, ``ewc_lambda=1000`` ("Overcoming catastrophic forgetting
  in neural networks", Kirkpatrick et al., 2017), ``mode="separate"``.
- ``si``: Synaptic Intelligence, ``si_lambda=1.0`` ("Continual Learning Through Synaptic
  Intelligence", Zenke et al., 2017).
- ``lwf``: Learning without Forgetting, ``alpha=1.0``, ``temperature=2.0`` (Li & Hoiem, 2017).
- ``replay``: experience replay with a class-balanced-by-experience buffer, ``mem_size=200``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from torch import nn
from torch.optim import Optimizer

STRATEGY_DEFAULTS: dict[str, dict[str, Any]] = {
    "naive": {},
    "ewc": {"ewc_lambda": 1000.0, "mode": "separate"},
    "si": {"si_lambda": 1.0},
    "lwf": {"alpha": 1.0, "temperature": 2.0},
    "replay": {"mem_size": 200},
}


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
    """An Avalanche strategy ``name`` (see the module docstring) with ``params`` over the defaults."""
    from avalanche.training import EWC, LwF, Naive, Replay, SynapticIntelligence

    classes = {"naive": Naive, "ewc": EWC, "si": SynapticIntelligence, "lwf": LwF, "replay": Replay}
    if name not in classes:
        raise ValueError(f"strategy: expected one of {sorted(classes)}, got {name!r}")
    unknown = set(params) - set(STRATEGY_DEFAULTS[name])
    if unknown:
        raise ValueError(
            f"strategy_params.{name}: unknown parameter(s) {sorted(unknown)}; "
            f"accepted: {sorted(STRATEGY_DEFAULTS[name]) or 'none'}"
        )
    kwargs = {**STRATEGY_DEFAULTS[name], **params}
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
        plugins=list(plugins),
        evaluator=evaluator,
        **kwargs,
    )
