"""Swap a model's activations from inside an Avalanche strategy."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import torch
from avalanche.core import SupervisedPlugin
from torch import nn

from forgetless.activations.swap import SwapReport, swap_activations

log = logging.getLogger(__name__)


def _example_from(experience: Any) -> torch.Tensor | None:
    """The inputs of an experience's first two samples, stacked (two: BatchNorm needs > 1)."""
    dataset = getattr(experience, "dataset", None)
    if dataset is None or len(dataset) == 0:
        return None
    inputs = [dataset[i][0] for i in range(min(2, len(dataset)))]
    if not all(isinstance(x, torch.Tensor) for x in inputs):
        return None
    return torch.stack(inputs)


class ActivationPlugin(SupervisedPlugin):
    """Replace the strategy model's activations (``nn.ReLU`` by default) with ``name``, once.

    Held modules and the activations the model's code calls (``F.relu``, ``torch.relu``, ...)
    are swapped (see :func:`forgetless.activations.swap_activations`; ``functional=False``
    swaps held modules only). The swap happens at the first ``before_training`` (so
    :class:`~forgetless.avalanche.PrivacyPlugin`, placed after this plugin, hooks the swapped
    model) or, for an evaluation first, at the first ``before_eval_exp``. Its checked forward
    runs ``example_input`` (default: the first two inputs of the first experience of the
    strategy's evaluation streams, which are the training experiences unless ``eval_streams``
    is given), which creates the call sites' modules before they are needed and proves what
    runs; the report is logged once and kept as ``self.report``. With ``eval_streams=[]`` and
    no ``example_input`` the swap waits for the first ``before_training_exp`` (after
    ``PrivacyPlugin`` hooked the model, which it then refuses: give ``example_input`` there).

    Learnable activation parameters (APA/AGLU's κ, λ; learnable elephant's σ, h), at held
    modules and call sites, are put in their own optimizer parameter group with
    ``weight_decay=0``, so they are trained and never decayed.

    ``ActivationPlugin("elephant", a=0.08, d=4)``; ``target`` picks the activations to replace.

    Args:
        name: a registry name or a factory returning a module.
        target: the activations to replace (classes and/or torch functions).
        functional: also swap the activations the model calls (default True).
        example_input: the checked forward's input (default: from the first experience).
        **params: the new activation's parameters.

    Raises:
        ValueError: whatever :func:`~forgetless.activations.swap_activations` refuses, at the
            first ``before_training`` / ``before_eval_exp``.
    """

    def __init__(
        self,
        name: str | Callable[[], nn.Module],
        *,
        target: Any = (nn.ReLU,),
        functional: bool = True,
        example_input: Any = None,
        **params: Any,
    ) -> None:
        super().__init__()
        self.name = name
        self.target = target
        self.functional = functional
        self.example_input = example_input
        self.params = params
        self.swapped: list[str] = []
        self.report: SwapReport | None = None

    def _ensure_swapped(self, strategy: Any, experience: Any) -> None:
        if self.report is not None:
            return
        model: nn.Module = strategy.model
        example = self.example_input
        if example is None and experience is not None:
            example = _example_from(experience)
        before = {id(p) for p in model.parameters()}
        self.report = swap_activations(
            model,
            self.name,
            target=self.target,
            functional=self.functional,
            example_input=example,
            **self.params,
        )
        self.swapped = list(self.report.modules)
        log.info("%s", self.report.summary())
        new_params = [p for p in model.parameters() if id(p) not in before and p.requires_grad]
        optimizer = getattr(strategy, "optimizer", None)
        if new_params and optimizer is not None:
            optimizer.add_param_group({"params": new_params, "weight_decay": 0.0})

    def before_training(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        # The experiences are not set yet; Avalanche's grouped eval streams are the training
        # experiences by default, and any experience gives an input of the right shape. With
        # no example here (eval_streams=[]), the swap waits for the first experience.
        streams = getattr(strategy, "_eval_streams", None) or [[]]
        first = next((exp for stream in streams for exp in stream), None)
        if self.example_input is not None or first is not None:
            self._ensure_swapped(strategy, first)

    def before_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._ensure_swapped(strategy, strategy.experience)

    def before_eval_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        self._ensure_swapped(strategy, strategy.experience)
