"""Swap a model's activations from inside an Avalanche strategy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from avalanche.core import SupervisedPlugin
from torch import nn

from forgetless.activations import swap_activations


class ActivationPlugin(SupervisedPlugin):
    """Replace the strategy model's activations (``nn.ReLU`` by default) with ``name``, once.

    The swap happens at the first ``before_training`` or ``before_eval`` (so an evaluation of the
    untrained model already sees the new activation), before Avalanche's ``make_optimizer`` runs
    for the first experience. Learnable activation parameters (APA/AGLU's κ, λ; learnable
    elephant's σ, h) are put in their own optimizer parameter group with ``weight_decay=0``, so
    they are trained and never decayed.

    ``ActivationPlugin("elephant", a=0.08, d=4)``; ``target`` picks the module classes to replace.
    """

    def __init__(
        self,
        name: str | Callable[[], nn.Module],
        *,
        target: tuple[type[nn.Module], ...] = (nn.ReLU,),
        **params: Any,
    ) -> None:
        super().__init__()
        self.name = name
        self.target = target
        self.params = params
        self.swapped: list[str] = []

    def _ensure_swapped(self, strategy: Any) -> None:
        if self.swapped:
            return
        model: nn.Module = strategy.model
        self.swapped = swap_activations(model, self.name, target=self.target, **self.params)
        new_params = [
            p
            for site in self.swapped
            for p in model.get_submodule(site).parameters()
            if p.requires_grad
        ]
        optimizer = getattr(strategy, "optimizer", None)
        if new_params and optimizer is not None:
            optimizer.add_param_group({"params": new_params, "weight_decay": 0.0})

    def before_training(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._ensure_swapped(strategy)

    def before_eval(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._ensure_swapped(strategy)
