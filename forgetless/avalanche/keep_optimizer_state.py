"""Keep the optimizer's accumulated state across experiences, on whatever device the model is."""

from __future__ import annotations

from typing import Any

import torch
from avalanche.core import SupervisedPlugin


def _follow(value: Any, param: torch.Tensor, key: str, group: dict[str, Any]) -> Any:
    """``value`` (one entry of a parameter's optimizer state) moved to where ``param`` lives.

    The rule of ``torch.optim.Optimizer.load_state_dict``: per-element buffers (Adagrad's sum,
    Adam's moments, momentum) take the parameter's device and, when floating, its dtype; the
    ``step`` counter stays where it is (a CPU scalar) unless the group is fused or capturable.
    """
    if not isinstance(value, torch.Tensor):
        return value
    if key == "step":
        if group.get("fused") or group.get("capturable"):
            return value.to(device=param.device, dtype=torch.float32)
        return value
    if value.is_floating_point() and param.is_floating_point():
        return value.to(device=param.device, dtype=param.dtype)
    return value.to(device=param.device)


def _eager_adagrad_state(optimizer: torch.optim.Optimizer, param: torch.Tensor) -> dict:
    """The state Adagrad's constructor gives a parameter (step 0, sum = initial accumulator)."""
    initial = optimizer.defaults["initial_accumulator_value"]
    return {"step": torch.tensor(0.0), "sum": torch.full_like(param, initial)}


class KeepOptimizerState(SupervisedPlugin):
    """Carry the optimizer state (Adagrad's sums, Adam's moments, momentum buffers) from one
    experience to the next, and make it follow the parameters to their device and dtype.

    Why it is needed: before each experience Avalanche moves the model to the strategy's device
    (``model_adaptation``) and updates the optimizer's parameter list (``make_optimizer``); the
    first time, it resets the state (``optimizer.state = defaultdict(dict)``). Adagrad builds its
    ``sum`` accumulators in its constructor, on the device the model had then, so after that
    reset an Adagrad that does not initialise lazily fails with ``KeyError: 'sum'``, and one that
    does silently starts from new accumulators. Recipes such as Hard ASH's ("Hard ASH: Sparsity
    and the right optimizer make a continual learner") depend on the accumulator persisting over
    the whole stream.

    What it does: at ``before_training`` (before any reset) it snapshots the state the optimizer
    already holds, e.g. Adagrad's initial accumulators; after each experience it snapshots the
    state again. Snapshots are keyed by the parameter's **name** in the model, so a parameter
    that a device or dtype conversion replaced by a new object (``torch.__future__``'s
    overwrite-on-conversion) keeps its state. Before the next experience it puts the state back
    for every optimised parameter, each tensor moved to that parameter's device (and dtype, for
    floating buffers; see :func:`_follow`). Adagrad parameters with no saved state at all (added
    later, e.g. a learnable activation's) get the constructor's state.
    """

    def __init__(self) -> None:
        super().__init__()
        self._saved: dict[str, dict[str, Any]] = {}

    def _snapshot(self, strategy: Any) -> None:
        state = strategy.optimizer.state
        self._saved.update(
            {name: dict(state[p]) for name, p in strategy.model.named_parameters() if state.get(p)}
        )

    def before_training(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        if not self._saved:
            self._snapshot(strategy)

    def after_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._snapshot(strategy)

    def before_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        optimizer = strategy.optimizer
        names = {p: name for name, p in strategy.model.named_parameters()}
        adagrad = isinstance(optimizer, torch.optim.Adagrad)
        for group in optimizer.param_groups:
            for p in group["params"]:
                saved = self._saved.get(names.get(p, ""))
                if saved is None and adagrad and not optimizer.state.get(p):
                    saved = _eager_adagrad_state(optimizer, p)
                if saved is not None:
                    optimizer.state[p] = {k: _follow(v, p, k, group) for k, v in saved.items()}
