"""Element-wise clipping of the optimizer's update (not of the gradient)."""

from __future__ import annotations

from typing import Any

import torch
from avalanche.core import SupervisedPlugin


class UpdateClip(SupervisedPlugin):
    """After each optimizer step, limit every parameter's change to ``[-max_update, max_update]``.

    ``p_new = p_old + clip(step(p_old) - p_old, -c, c)``: the recipe of "Hard ASH: Sparsity and the
    right optimizer make a continual learner" clips Adagrad's update at c = 0.01. Clipping the
    update rather than the gradient bounds how far any weight moves in one step, however small the
    Adagrad accumulator still is.
    """

    def __init__(self, max_update: float = 0.01) -> None:
        super().__init__()
        if not (isinstance(max_update, (int, float)) and 0 < max_update < float("inf")):
            raise ValueError(f"max_update: expected a finite number > 0, got {max_update!r}")
        self.max_update = float(max_update)
        self._before: list[tuple[torch.Tensor, torch.Tensor]] = []

    def before_update(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._before = [
            (p, p.detach().clone())
            for group in strategy.optimizer.param_groups
            for p in group["params"]
            if p.grad is not None
        ]

    @torch.no_grad()
    def after_update(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        c = self.max_update
        for p, old in self._before:
            p.copy_(old + (p - old).clamp_(-c, c))
        self._before = []
