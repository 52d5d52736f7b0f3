"""Streaming heads (:mod:`forgetless.heads`) inside Avalanche: a strategy that trains a head in
one pass, and a plugin that makes any strategy read its features into a head while it trains.

Both evaluate through the head: ``mb_output`` is the head's logits (``−inf`` for classes not seen
yet), so :class:`~forgetless.avalanche.AccuracyMatrixPlugin` and Avalanche's metrics read them.
The math is the core's (:class:`~forgetless.heads.HeadOnFeatures`); what the head does when the
features drift: docs/heads.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from avalanche.core import BasePlugin, SupervisedPlugin
from avalanche.training.templates import SupervisedTemplate
from torch import nn

from forgetless.avalanche.cl_strategies import quiet_evaluator
from forgetless.heads import HeadOnFeatures


class StreamHeadStrategy(SupervisedTemplate):
    """Avalanche strategy whose ``train(experience)`` is one pass of ``head.update`` over the
    experience's minibatches (no loss, no gradient, no optimizer step) and whose model is the
    :class:`~forgetless.heads.HeadOnFeatures` (its extractor frozen).

    Args:
        head: the head on its extractor.
        train_mb_size, eval_mb_size, device, plugins: as Avalanche's.
        evaluator: an ``EvaluationPlugin``; None: a silent one (no training-stream metrics:
            ``mb_output`` stays None while training, since scoring every minibatch would
            recompute streaming LDA's read-out after every update).

    Raises:
        ValueError: ``head`` is not a HeadOnFeatures.
    """

    def __init__(
        self,
        *,
        head: HeadOnFeatures,
        train_mb_size: int = 64,
        eval_mb_size: int = 256,
        device: str | torch.device = "cpu",
        plugins: Sequence[BasePlugin] | None = None,
        evaluator: Any = None,
    ) -> None:
        if not isinstance(head, HeadOnFeatures):
            raise ValueError(f"head must be a forgetless.heads.HeadOnFeatures, got {head!r}")
        placeholder = nn.Parameter(torch.zeros(1))  # Avalanche wants an optimizer; never stepped
        super().__init__(
            model=head,
            optimizer=torch.optim.SGD([placeholder], lr=0.0),
            criterion=nn.CrossEntropyLoss(),
            train_mb_size=train_mb_size,
            train_epochs=1,
            eval_mb_size=eval_mb_size,
            device=device,
            plugins=list(plugins) if plugins else None,
            evaluator=quiet_evaluator() if evaluator is None else evaluator,
        )

    def model_adaptation(self, model: nn.Module | None = None) -> nn.Module:
        return self.model if model is None else model  # the head's size is fixed

    def make_optimizer(self, **kwargs: Any) -> None:
        """No optimizer to reset: the head has no parameters."""

    def training_epoch(self, **kwargs: Any) -> None:
        """One ``head.update(x, y)`` per minibatch, with the plugins' iteration hooks."""
        for batch in self.dataloader:
            if self._stop_training:
                break
            self.mbatch = batch
            self._unpack_minibatch()
            self._before_training_iteration(**kwargs)
            self.model.update(self.mb_x, self.mb_y)
            self.mb_output = None
            self.loss = torch.zeros((), device=self.device)
            self._after_training_iteration(**kwargs)


class StreamHeadPlugin(SupervisedPlugin):
    """Makes a strategy that trains a network also fill a streaming head with that network's
    current features, and evaluate through the head.

    In the last training epoch of each experience (one pass), after every optimizer step, the
    minibatch is read into ``head`` (``update``); the statistics of earlier batches are kept as
    they were (features that drift are not re-estimated). Every evaluation minibatch's
    ``mb_output`` is replaced by the head's logits.

    Args:
        head: the head on the strategy model's feature extractor (a module of that model).
    """

    def __init__(self, head: HeadOnFeatures) -> None:
        super().__init__()
        if not isinstance(head, HeadOnFeatures):
            raise ValueError(f"head must be a forgetless.heads.HeadOnFeatures, got {head!r}")
        self.head = head

    def after_training_iteration(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        if strategy.clock.train_exp_epochs == strategy.train_epochs - 1:
            self.head.to(strategy.device).update(strategy.mb_x, strategy.mb_y)

    def after_eval_forward(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        strategy.mb_output = self.head.to(strategy.device)(strategy.mb_x)
