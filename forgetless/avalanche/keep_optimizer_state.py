"""Keep the optimizer's accumulated state across experiences."""

from __future__ import annotations

from typing import Any

from avalanche.core import SupervisedPlugin


class KeepOptimizerState(SupervisedPlugin):
    """Carry the optimizer state (Adagrad's sums, Adam's moments, momentum buffers) from one
    experience to the next.

    Avalanche rebuilds the optimizer's parameter list before each experience and, depending on the
    strategy and version, may reset its state. Recipes such as Hard ASH's ("Hard ASH: Sparsity and
    the right optimizer make a continual learner") depend on Adagrad's accumulator persisting over
    the whole stream: this plugin snapshots the per-parameter state after each experience and puts
    it back, for every parameter still optimised, before the next one starts.
    """

    def __init__(self) -> None:
        super().__init__()
        self._saved: dict[int, dict] = {}

    def after_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._saved = {id(p): dict(s) for p, s in strategy.optimizer.state.items()}

    def before_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        if not self._saved:
            return
        optimizer = strategy.optimizer
        for group in optimizer.param_groups:
            for p in group["params"]:
                saved = self._saved.get(id(p))
                if saved is not None:
                    optimizer.state[p] = saved
