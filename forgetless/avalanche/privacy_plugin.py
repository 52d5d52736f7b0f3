"""DP-SGD training of an Avalanche strategy, through Opacus (the Avalanche door).

:class:`PrivacyPlugin` makes a :class:`avalanche.training.Naive` strategy train with DP-SGD:

* ``before_training`` (once): checks the model (:func:`forgetless.privacy.check_private_model`)
  and hooks Opacus's per-sample gradients onto it. Put this plugin **after**
  :class:`~forgetless.avalanche.ActivationPlugin` so the swapped (possibly learnable)
  activations are the ones hooked; a model whose parameters change afterwards is refused.
* ``before_training_exp`` (each experience, after Avalanche built its loader and optimizer):
  replaces the loader by Opacus's Poisson-sampling loader (``q = B / N_i``) and the optimizer by an
  Opacus ``DPOptimizer`` around it (clipping + noise), whose step hook feeds the ledger.
* ``after_training_exp``: gives Avalanche its plain optimizer back (Avalanche updates parameter
  lists itself before each experience; the optimizer state is shared, so nothing is lost).

Accounting covers the whole stream (see :mod:`forgetless.privacy.accounting`): one noise
multiplier for the whole run — calibrated for the total number of steps of all experiences when a
``target_epsilon`` is given — and ``ledger.epsilon()`` is the ε spent so far over all
experiences. The plan needs the experience sizes, the batch size and the epochs up front.

Supported strategy: ``Naive`` only; any other is refused (a ``ValueError`` in
``before_training``). Why: docs/privacy.md#privacyplugin-supports-naive-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from avalanche.core import SupervisedPlugin
from avalanche.training import Naive

from forgetless.privacy import (
    PrivacyLedger,
    PrivacySettings,
    attach_per_sample_gradients,
    calibrate_noise_multiplier,
    dp_optimizer,
    plan_stream,
    poisson_loader,
)

SUPPORTED_STRATEGIES = (Naive,)


class PrivacyPlugin(SupervisedPlugin):
    """Train a ``Naive`` strategy with DP-SGD; ``self.ledger.epsilon()`` is the ε spent so far.

    Args:
        settings: budget or noise multiplier, δ, clipping norm, accountant.
        experience_sizes: number of training examples of each experience of the stream
            (N = their sum is the N of the δ < 1/N check).
        batch_size: expected (Poisson) batch size B; use the strategy's ``train_mb_size``.
        epochs: training epochs per experience; use the strategy's ``train_epochs``.
        seed: seeds the Poisson sampler (``None``: the global torch generator).

    Raises:
        ValueError: ``settings`` is not a :class:`~forgetless.privacy.PrivacySettings`; the
            stream plan is invalid (sizes, batch size, epochs); δ is not below 1/N;
            ``target_epsilon`` cannot be reached; (in ``before_training``) the strategy is not
            ``Naive``; (in ``before_training_exp``) the model's trainable parameters changed
            after the per-sample gradients were attached.
    """

    def __init__(
        self,
        settings: PrivacySettings,
        experience_sizes: Sequence[int],
        batch_size: int,
        epochs: int,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        if not isinstance(settings, PrivacySettings):
            raise ValueError(f"settings: expected PrivacySettings, got {type(settings).__name__}")
        sizes = [int(n) for n in experience_sizes]
        self.phases = plan_stream(sizes, batch_size, epochs)
        self.settings = settings.validate(sum(sizes))
        self.batch_size = batch_size
        self.noise_multiplier = calibrate_noise_multiplier(settings, self.phases)
        self.ledger = PrivacyLedger(settings, self.noise_multiplier)
        self._generator = None if seed is None else torch.Generator().manual_seed(seed)
        self._hooks: Any = None
        self._hooked: set[int] = set()

    def planned_epsilon(self) -> float:
        """ε the whole planned stream spends (≤ the target when a target is given)."""
        from forgetless.privacy import epsilon_of

        history = [(self.noise_multiplier, p.sample_rate, p.steps) for p in self.phases]
        return epsilon_of(history, self.settings.delta, self.settings.accountant)

    def before_training(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        if type(strategy) not in SUPPORTED_STRATEGIES:
            raise ValueError(
                f"strategy: PrivacyPlugin supports {[c.__name__ for c in SUPPORTED_STRATEGIES]} "
                f"only (see the module docstring), got {type(strategy).__name__}"
            )
        if self._hooks is None:
            strategy.model.train()
            self._hooks = attach_per_sample_gradients(strategy.model)
            self._hooked = {id(p) for p in strategy.model.parameters() if p.requires_grad}

    def before_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        current = {id(p) for p in strategy.model.parameters() if p.requires_grad}
        if current != self._hooked:
            raise ValueError(
                "model: its trainable parameters changed after PrivacyPlugin attached per-sample "
                "gradients; put PrivacyPlugin after ActivationPlugin (and any plugin that "
                "changes the model) in the plugin list"
            )
        dataset = strategy.adapted_dataset
        strategy.dataloader = poisson_loader(dataset, self.batch_size, self._generator)
        optimizer = dp_optimizer(
            strategy.optimizer,
            noise_multiplier=self.noise_multiplier,
            max_grad_norm=self.settings.max_grad_norm,
            expected_batch_size=self.batch_size,
        )
        optimizer.attach_step_hook(self.ledger.hook(strategy.dataloader.sample_rate))
        strategy.optimizer = optimizer

    def after_training_exp(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        original = getattr(strategy.optimizer, "original_optimizer", None)
        if original is not None:
            strategy.optimizer = original

    def after_training(self, strategy: Any, *args: Any, **kwargs: Any) -> None:
        for p in strategy.model.parameters():
            p.grad_sample = None
