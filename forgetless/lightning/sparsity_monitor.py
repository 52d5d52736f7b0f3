"""Per layer, how sparse the activations and their gradients are: ``SparsityMonitor``.

"Elephant Neural Networks: Born to Be a Continual Learner" (Lan & Mahmood, 2023) credits sparse
outputs *and* sparse gradients for elephant's low forgetting; this callback measures both where
a Lightning user sees them. For every activation module ``m`` (a leaf module whose class comes
from ``torch.nn.modules.activation`` or ``forgetless.activations``; ``target=`` narrows it) and
every training forward pass it counts

- **activation zeros**: outputs ``a = m(x)`` with ``|a| ≤ atol`` (default ``1e-3``; absolute,
  because the bounded activations — elephant, tempered sigmoid, APA — have fixed output scales);
- **gradient zeros**: entries of ``∂L/∂x`` (the gradient reaching the activation's *input*,
  i.e. the upstream gradient times ``m'(x)``) with ``|g| ≤ rtol · max |g|`` over that tensor
  (default ``rtol = 1e-3``; relative, because gradient scales depend on the loss and batch).

The fractions (zeros / entries) over each experience are logged to every logger as
``sparsity/<module name>/activation_zero_fraction`` and ``.../gradient_zero_fraction`` at
``step = trainer.global_step`` (iterations so far: the one step axis of
:mod:`forgetless.metrics.logged`, shared with :class:`ContinualMetrics`), and kept in
:attr:`history` with ``experience`` (1-based) and ``step``. With a :class:`ContinualDataModule`
an experience is its epochs; otherwise every epoch is one "experience". Counts are summed over processes before the division (global under DDP).

Only training-mode forward passes with gradients enabled are counted. Design decisions:
docs/lightning.md#sparsity-monitor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.utilities import rank_zero_only
from torch import nn

from forgetless.lightning.datamodule import ContinualDataModule
from forgetless.metrics.logged import sparsity_name
from forgetless.plasticity.probe import activation_modules


class SparsityMonitor(pl.Callback):
    """Log per-layer fractions of (near-)zero activations and gradients, per experience.

    Args:
        atol: an activation output counts as zero when ``|a| <= atol``.
        rtol: a gradient entry counts as zero when ``|g| <= rtol * max |g|`` over its tensor.
        every_n_batches: count every n-th training batch only.
        target: the activation module classes to watch (default: every activation module, see
            :func:`forgetless.plasticity.probe.activation_modules`).

    Raises:
        ValueError: ``atol < 0``, ``rtol`` outside ``[0, 1)``, ``every_n_batches`` not a
            positive int, or (when training starts) a model with no activation module to
            watch.
    """

    def __init__(
        self,
        *,
        atol: float = 1e-3,
        rtol: float = 1e-3,
        every_n_batches: int = 1,
        target: Sequence[type[nn.Module]] | None = None,
    ) -> None:
        if not atol >= 0:
            raise ValueError(f"SparsityMonitor: atol must be >= 0, got {atol!r}")
        if not 0 <= rtol < 1:
            raise ValueError(f"SparsityMonitor: rtol must be in [0, 1), got {rtol!r}")
        if not isinstance(every_n_batches, int) or every_n_batches < 1:
            raise ValueError(
                f"SparsityMonitor: every_n_batches must be a positive int, got {every_n_batches!r}"
            )
        self.atol, self.rtol, self.every_n_batches = float(atol), float(rtol), every_n_batches
        self.target = None if target is None else tuple(target)
        self.history: list[dict[str, float]] = []
        self._handles: list[Any] = []
        self._counts: dict[str, torch.Tensor] = {}
        self._active = False

    # -- hooks on the activation modules -------------------------------------------------------
    def _add(self, name: str, kind: str, zeros: torch.Tensor, total: int) -> None:
        counts = self._counts.setdefault(name, torch.zeros(4, dtype=torch.float64))
        offset = 0 if kind == "activation" else 2
        counts[offset] += float(zeros)
        counts[offset + 1] += total

    def _gradient_hook(self, name: str) -> Any:
        def hook(grad: torch.Tensor) -> None:
            magnitude = grad.detach().abs()
            limit = self.rtol * magnitude.max()
            self._add(name, "gradient", (magnitude <= limit).sum(), magnitude.numel())

        return hook

    def _pre_hook(self, name: str) -> Any:
        def hook(module: nn.Module, inputs: tuple[Any, ...]) -> None:
            if not self._counting(module) or not inputs:
                return
            x = inputs[0]
            if isinstance(x, torch.Tensor) and x.requires_grad:
                x.register_hook(self._gradient_hook(name))

        return hook

    def _forward_hook(self, name: str) -> Any:
        def hook(module: nn.Module, inputs: tuple[Any, ...], output: Any) -> None:
            if not self._counting(module) or not isinstance(output, torch.Tensor):
                return
            a = output.detach()
            self._add(name, "activation", (a.abs() <= self.atol).sum(), a.numel())

        return hook

    def _counting(self, module: nn.Module) -> bool:
        return self._active and module.training and torch.is_grad_enabled()

    # -- Lightning hooks -----------------------------------------------------------------------
    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        modules = activation_modules(pl_module, self.target)
        if not modules:
            raise ValueError(
                f"SparsityMonitor: {type(pl_module).__name__} has no activation modules to "
                "watch (functional calls such as F.relu cannot be hooked); pass target=(...)"
            )
        for name, module in modules.items():
            self._handles.append(module.register_forward_pre_hook(self._pre_hook(name)))
            self._handles.append(module.register_forward_hook(self._forward_hook(name)))

    def on_train_batch_start(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, batch: Any, batch_idx: int
    ) -> None:
        self._active = batch_idx % self.every_n_batches == 0

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._active = False
        datamodule = trainer.datamodule
        epoch = trainer.current_epoch
        if isinstance(datamodule, ContinualDataModule):
            if not datamodule.ends_experience(epoch):
                return
            experience = datamodule.experience_of_epoch(epoch) + 1
        else:
            experience = epoch + 1
        step = trainer.global_step
        names = sorted(self._counts)
        if not names:
            return
        stacked = torch.stack([self._counts[n] for n in names]).to(pl_module.device)
        stacked = trainer.strategy.reduce(stacked, reduce_op="sum").cpu()
        fractions: dict[str, float] = {}
        for name, (act_zero, act_total, grad_zero, grad_total) in zip(
            names, stacked.tolist(), strict=True
        ):
            if act_total:
                fractions[sparsity_name(name, "activation_zero_fraction")] = act_zero / act_total
            if grad_total:
                fractions[sparsity_name(name, "gradient_zero_fraction")] = grad_zero / grad_total
        self._counts = {}
        self.history.append({"experience": experience, "step": step, **fractions})
        self._log(trainer, fractions, step)

    @rank_zero_only
    def _log(self, trainer: pl.Trainer, fractions: dict[str, float], step: int) -> None:
        for logger in trainer.loggers:
            logger.log_metrics(fractions, step=step)

    def on_exception(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, exception: BaseException
    ) -> None:
        self.on_train_end(trainer, pl_module)

    def on_train_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self._active = False
