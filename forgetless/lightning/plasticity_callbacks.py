"""The plasticity interventions and monitor as Lightning callbacks; the math is in the core
(:mod:`forgetless.plasticity`).

- :class:`ContinualBackpropCallback`, :class:`ReDoCallback`: the hidden layers are found from the
  calls of the first training batch (whatever ``training_step`` runs: a module without
  ``forward`` works too), and the intervention steps after every training batch (after the
  optimizer step) with the first optimizer of ``configure_optimizers``.
- :class:`ShrinkPerturbCallback`: shrinks and perturbs after every training batch.
- :class:`PlasticityMonitorCallback`: measures the monitors on a fixed probe batch at the start,
  every ``every_n_steps`` global steps and at each epoch's end, logs them to every logger at
  ``step = trainer.global_step`` (:func:`forgetless.metrics.logged.plasticity_name`) and keeps
  them in :attr:`~PlasticityMonitorCallback.history`.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.utilities import rank_zero_only

from forgetless.checks import positive_int
from forgetless.plasticity import PlasticityMonitor
from forgetless.plasticity.chains import call_order, chains_from_calls
from forgetless.plasticity.continual_backprop import ContinualBackprop
from forgetless.plasticity.probe import ProbeForward, call_model
from forgetless.plasticity.redo import ReDo
from forgetless.plasticity.shrink_perturb import ShrinkPerturb


def _first_optimizer(trainer: pl.Trainer) -> torch.optim.Optimizer | None:
    return trainer.optimizers[0] if trainer.optimizers else None


class _AttachedCallback(pl.Callback):
    """Records the first training batch's calls, attaches ``self.method`` to their chains."""

    def __init__(self, method: ContinualBackprop | ReDo) -> None:
        super().__init__()
        self.method = method
        self._recording: ExitStack | None = None
        self._called: list[Any] | None = None
        self._attached = False

    def on_train_batch_start(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, batch: Any, batch_idx: int
    ) -> None:
        if not self._attached and self._recording is None:
            self._recording = ExitStack()
            self._called = self._recording.enter_context(call_order(pl_module))

    def on_train_batch_end(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, *args: Any, **kwargs: Any
    ) -> None:
        if self._recording is not None:
            self._recording.close()
            self._recording = None
            self.method.attach_chains(chains_from_calls(pl_module, self._called))
            self._attached = True
            return
        self.method.step(_first_optimizer(trainer))

    def on_train_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if self._recording is not None:
            self._recording.close()
            self._recording = None


class ContinualBackpropCallback(_AttachedCallback):
    """Continual backprop (:class:`~forgetless.plasticity.continual_backprop.ContinualBackprop`;
    keyword arguments as its)."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(ContinualBackprop(**settings))


class ReDoCallback(_AttachedCallback):
    """ReDo (:class:`~forgetless.plasticity.redo.ReDo`; keyword arguments as its)."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(ReDo(**settings))


class ShrinkPerturbCallback(pl.Callback):
    """Shrink and perturb (:class:`~forgetless.plasticity.shrink_perturb.ShrinkPerturb`; keyword
    arguments as its) after every training batch."""

    def __init__(self, **settings: Any) -> None:
        super().__init__()
        self.method = ShrinkPerturb(**settings)

    def on_train_batch_end(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, *args: Any, **kwargs: Any
    ) -> None:
        optimizer = _first_optimizer(trainer)
        if optimizer is not None:
            self.method.step(optimizer)


class PlasticityMonitorCallback(pl.Callback):
    """Log the plasticity metrics of the module on ``probe`` during training.

    Args:
        probe: the fixed probe inputs.
        every_n_steps: measure every this many global steps (and at each epoch's end).
        forward: how to run the module on the probe (default ``module(probe)``; a module
            without ``forward``: e.g. ``lambda module, x: module.encoder(x)``).

    Raises:
        ValueError: an empty probe, or ``every_n_steps`` not a positive int.
    """

    def __init__(
        self, probe: torch.Tensor, every_n_steps: int = 100, forward: ProbeForward = call_model
    ) -> None:
        super().__init__()
        if not isinstance(probe, torch.Tensor) or probe.dim() == 0 or probe.shape[0] == 0:
            raise ValueError("probe: expected a non-empty batch tensor (N, ...)")
        self.probe = probe
        self.every_n_steps = positive_int(
            "PlasticityMonitorCallback", "every_n_steps", every_n_steps
        )
        self.forward = forward
        self.history: list[dict[str, float]] = []
        self.monitor: PlasticityMonitor | None = None
        self._last_step = -1

    def _measure(self, trainer: pl.Trainer) -> None:
        step = trainer.global_step
        if step == self._last_step:
            return
        self._last_step = step
        values = self.monitor.measure()
        self.history.append({"step": float(step), **values})
        self._log(trainer, values, step)

    @rank_zero_only
    def _log(self, trainer: pl.Trainer, values: dict[str, float], step: int) -> None:
        for logger in trainer.loggers:
            logger.log_metrics(values, step=step)

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if self.monitor is None:  # the stream's start: weights now are θ_0
            self.monitor = PlasticityMonitor(pl_module, self.probe, forward=self.forward)
            self._measure(trainer)

    def on_train_batch_end(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, *args: Any, **kwargs: Any
    ) -> None:
        if trainer.global_step % self.every_n_steps == 0:
            self._measure(trainer)

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._measure(trainer)
