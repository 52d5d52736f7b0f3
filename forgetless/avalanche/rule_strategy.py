"""An Avalanche strategy that trains and evaluates any :class:`~forgetless.rules.Rule`.

The rule is the strategy's ``model``. Training replaces Avalanche's "forward → criterion →
backward → step" with the rule's own ``train_step`` (which may update layer by layer); everything
else is Avalanche's ``SupervisedTemplate``: dataloaders, experiences, the optimizer's reset/update
between experiences, evaluation (``model(x)`` = the rule's logits), plugins and the
``EvaluationPlugin``.

Design decisions (the order of the hooks around ``train_step``, which plugins then have no
effect, keyword-only arguments): docs/rules.md#rulestrategy-in-avalanche.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from avalanche.core import BasePlugin
from avalanche.training.plugins import EvaluationPlugin
from avalanche.training.templates import SupervisedTemplate
from torch import nn

from forgetless.rules.base import Rule


class RuleStrategy(SupervisedTemplate):
    """Avalanche ``SupervisedTemplate`` whose training iteration is ``rule.train_step``.

    Args:
        rule: the :class:`~forgetless.rules.Rule` to train (the strategy's ``model``).
        optimizer: the one torch optimizer over the rule's parameters.
        train_mb_size: the training minibatch size.
        train_epochs: training epochs per experience.
        eval_mb_size: the evaluation minibatch size.
        device: where the rule trains and is evaluated.
        plugins: Avalanche plugins (those that edit the loss or the gradients before the step
            have no effect on a rule's update).
        evaluator: Avalanche's ``EvaluationPlugin`` (None: Avalanche's default).
        eval_every: Avalanche's periodic evaluation setting (-1: none during training).
        train_logits: compute the rule's logits after each update for ``mb_output`` (False
            leaves ``mb_output`` None: attach no training-stream accuracy metrics).

    Raises:
        ValueError: ``rule`` is not a Rule, ``optimizer`` not a torch optimizer, or a minibatch
            size or ``train_epochs`` not a positive int.
    """

    def __init__(
        self,
        *,
        rule: Rule,
        optimizer: torch.optim.Optimizer,
        train_mb_size: int = 64,
        train_epochs: int = 1,
        eval_mb_size: int = 256,
        device: str | torch.device = "cpu",
        plugins: Sequence[BasePlugin] | None = None,
        evaluator: EvaluationPlugin | None = None,
        eval_every: int = -1,
        train_logits: bool = True,
    ) -> None:
        if not isinstance(rule, Rule):
            raise ValueError(f"rule must be a forgetless.rules.Rule, got {type(rule).__name__}")
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise ValueError(
                f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}"
            )
        for name, value in (("train_mb_size", train_mb_size), ("eval_mb_size", eval_mb_size)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        if not isinstance(train_epochs, int) or train_epochs < 1:
            raise ValueError(f"train_epochs must be a positive int, got {train_epochs!r}")
        kwargs = {} if evaluator is None else {"evaluator": evaluator}
        super().__init__(
            model=rule,
            optimizer=optimizer,
            criterion=nn.CrossEntropyLoss(),
            train_mb_size=train_mb_size,
            train_epochs=train_epochs,
            eval_mb_size=eval_mb_size,
            device=device,
            plugins=list(plugins) if plugins else None,
            eval_every=eval_every,
            **kwargs,
        )
        self.train_logits = train_logits

    @property
    def rule(self) -> Rule:
        """The rule being trained (Avalanche's ``model``)."""
        return self.model

    def training_epoch(self, **kwargs) -> None:
        """One pass over the experience's dataloader, one ``rule.train_step`` per minibatch."""
        for batch in self.dataloader:
            if self._stop_training:
                break
            self.mbatch = batch
            self._unpack_minibatch()
            self._before_training_iteration(**kwargs)
            self._before_forward(**kwargs)
            losses = self.model.train_step(self.mb_x, self.mb_y, self.optimizer)
            if self.train_logits:
                with torch.no_grad():
                    self.mb_output = self.model(self.mb_x)
            else:
                self.mb_output = None
            self._after_forward(**kwargs)
            self.loss = torch.tensor(losses.get("loss", sum(losses.values())), device=self.device)
            self._before_backward(**kwargs)
            self._after_backward(**kwargs)
            self._before_update(**kwargs)
            self._after_update(**kwargs)
            self._after_training_iteration(**kwargs)
